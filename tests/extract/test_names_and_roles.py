"""Who the reader says a person is: whole names in the letters of any origin, ages and roles,
nicknames as agencies write them."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.extract.narrative import extract_narrative
from joinedup.extract.proposals import Proposal

AT = date(2009, 3, 2)


def people(text: str, at: date = AT) -> list[Proposal]:
    return [p for p in extract_narrative(text, at) if p.type in ("person", "alias")]


def person(text: str, name: str) -> Proposal:
    [found] = [p for p in people(text) if p.text == name]
    return found


# -- names in the letters of their origin (fairness: no origin loses more children) ----------

# One name per letter a name of that origin is typically written with, the letter in the
# surname, in the given name, or as the capital that starts it.
ORIGIN_LETTERS = [
    # Polish: ł ń ś ż ó ą ę ć ź, and their capitals
    ("Anna Kamiński", "ń"), ("Paweł Nowak", "ł"), ("Zofia Wiśniewska", "ś"),
    ("Kasia Żak", "Ż"), ("Ola Wójcik", "ó"), ("Ewa Dąbrowska", "ą"), ("Ela Kałęga", "ę"),
    ("Maja Ćwik", "Ć"), ("Ada Źrebiec", "Ź"), ("Łucja Nowak", "Ł"), ("Ślązak Anna", "Ś"),
    # German and Turkish: ü ö ä
    ("Lena Müller", "ü"), ("Ömer Öztürk", "Ö"), ("Mia Bäcker", "ä"),
    # French and Portuguese: é è ç ê ë ã
    ("Émilie Dubois", "É"), ("Hélène Martin", "é"), ("Chloë Lefèvre", "è"),
    ("Luc Françoise", "ç"), ("Inês Conceição", "ã"),
    # Turkish: ı ş ğ İ
    ("Aylin Yılmaz", "ı"), ("Şule Kaya", "Ş"), ("Ayşe Doğan", "ğ"), ("İrem Çelik", "İ"),
    # Latvian, Lithuanian and romanised Arabic, Hindi, Maori: ā ī ū ē
    ("Māra Bērziņa", "ā"), ("Aisha Rahīm", "ī"), ("Tūī Ngata", "ū"),
    # Romanian: ș ț ă â
    ("Ana Țurcan", "Ț"), ("Ioana Ștefănescu", "Ș"), ("Ana Mureșan", "ș"),
    # Spanish and Irish: ñ á í ú
    ("Begoña Núñez", "ñ"), ("Róisín Ní Bhriain", "í"),
    # Nordic, Czech, Hungarian, Vietnamese: ø å č ő ễ
    ("Søren Ødegård", "ø"), ("Tereza Nováčková", "č"), ("Réka Győri", "ő"),
    ("Ngọc Nguyễn", "ễ"),
]


@pytest.mark.parametrize(("name", "letter"), ORIGIN_LETTERS)
def test_a_name_with_the_letters_of_its_origin_is_read_whole_with_its_age(
        name: str, letter: str) -> None:
    assert letter in name
    for written in (f"{name} (14) said a man known as 'Tiger' gave her vodka.",
                    f"Concern for {name}, aged 14, who has been missing overnight."):
        found = person(written, name)
        assert (found.attrs.get("age"), found.role) == ("14", "child")


def test_a_name_typed_with_combining_accents_is_read_whole() -> None:
    name = "Jose\u0301 Garci\u0301a"  # é and í written as a letter and an accent
    assert person(f"{name} (15) was seen.", name).attrs.get("age") == "15"


def test_a_dotted_capital_i_does_not_move_what_is_read_after_it() -> None:
    """'İ' lowers to two characters: the words after it are still where they were."""
    text = "İbrahim Yılmaz (15) said a man known as 'Tiger' gave him vodka. He went missing."
    found = {(p.type, p.text) for p in extract_narrative(text, AT)}
    assert {("link", "gave him vodka"), ("indicator", "went missing"),
            ("person", "İbrahim Yılmaz")} <= found


def test_the_same_sentence_reads_alike_whatever_the_names_origin() -> None:
    def shape(text: str) -> list[tuple[str, str, str]]:
        return [(p.type, p.role, str(p.attrs.get("age", "")))
                for p in extract_narrative(text, AT)]

    template = ("{} (13) told staff that {} (15) had introduced her to a man known as "
                "'Tiger', who drove them to Rochdale.")
    assert shape(template.format("Małgorzata Wiśniewska", "Şule Doğan")) == shape(
        template.format("Margaret Wilson", "Sarah Dawson"))


# -- surnames that are street words --------------------------------------------------------


@pytest.mark.parametrize(("text", "name", "role", "age"), [
    ("Sophie Green (12) shows signs of neglect.", "Sophie Green", "child", "12"),
    ("a local man, Stephen Green, aged between 30 and 39, was there.", "Stephen Green",
     "person_of_concern", "30-39"),
    ("His mother, Rehana Green, made this report.", "Rehana Green", "parent", None),
    ("Lauren Hill, 15, was seen with a man named Tariq Hussain, aged 20 to 29.",
     "Lauren Hill", "child", "15"),
])
def test_a_surname_that_is_a_street_word_is_part_of_the_name(
        text: str, name: str, role: str, age: str | None) -> None:
    found = person(text, name)
    assert (found.role, found.attrs.get("age")) == (role, age)
    assert not [p for p in extract_narrative(text, AT) if p.type == "place"]


def test_a_street_named_like_a_person_is_still_a_street_where_a_place_is_meant() -> None:
    places = [p.text for p in extract_narrative(
        "She was seen on Rose Hill and at Mary Lane, and at 4 Lucy Green.", AT)
        if p.type == "place"]
    assert places == ["Rose Hill", "Mary Lane", "4 Lucy Green"]


def test_an_age_range_under_eighteen_makes_a_child() -> None:
    assert person("Jade (aged 15-16) was there.", "Jade").role == "child"
    assert person("Tariq Hussain, aged 20 to 29, was there.", "Tariq Hussain").attrs[
        "age"] == "20-29"
