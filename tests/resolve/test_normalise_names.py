"""Name keys: variants of one name share a key, different names never do."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from joinedup.errors import ProfileError
from joinedup.resolve.normalise import (
    first_name_alternatives,
    first_name_key,
    name_variants_table,
    normalise_alias,
    split_name,
    surname_key,
)
from joinedup.resolve.normalise.names import NAME_VARIANTS_PATH, load_name_variants


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("the Ugly One", "ugly one"),
        ("'Tiger'", "tiger"),
        ("“Tiger”", "tiger"),
        ("Car-Zero", "car zero"),
        ("  CAR   zero ", "car zero"),
        ("Smiler!", "smiler"),
        ("Big.Man", "big man"),
        ("Zé", "ze"),
        ("The", "the"),
        ("Theo", "theo"),
    ],
)
def test_alias_key_ignores_case_quotes_punctuation_and_a_leading_the(raw: str, key: str) -> None:
    assert normalise_alias(raw) == key


@pytest.mark.parametrize(
    ("forms", "key"),
    [
        (["K", "K.", "Kay", "'kay'"], "kay"),
        (["J", "Jay"], "jay"),
        (["Doc", "the Doctor", "Dr", "DOCTOR", "Docs"], "doctor"),
        (["Prof", "The Prof", "Professor"], "professor"),
        (["Mr. Nice", "Mister Nice", "mr nice"], "mr nice"),
        (["Master", "Masta", "Mastah", "the Master"], "master"),
        (["Gangsta", "Gangster"], "gangster"),
        (["Gold Teeth", "Gold Tooth", "gold-tooth"], "gold tooth"),
        (["te Prof", "the The Prof", "teh Professor"], "professor"),
        (["thee Snake", "th Snake", "Tha Snake", "Snake"], "snake"),
        (["Big Men", "Big Man"], "big man"),
    ],
)
def test_spoken_forms_of_one_nickname_share_a_key(forms: list[str], key: str) -> None:
    assert {normalise_alias(f) for f in forms} == {key}


@pytest.mark.parametrize(
    ("raw", "key"),
    [("Big K", "big k"), ("Papa", "papa"), ("Sarah", "sarah"), ("Cobra", "cobra"),
     ("Jai", "jai"), ("Mo", "mo"), ("Boss", "boss"), ("Cookies", "cookies")],
)
def test_nickname_rules_leave_other_nicknames_alone(raw: str, key: str) -> None:
    assert normalise_alias(raw) == key


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Mohammed Ali Khan", ("mohammed", "khan")),
        ("Courtney", ("courtney", None)),
        ("Zoë  Brontë", ("zoe", "bronte")),
        ("Paweł Wiśniewski", ("pawel", "wisniewski")),
        ("Siobhán O'Brien", ("siobhan", "obrien")),
        ("Mary-Jane Smith-Jones", ("mary-jane", "smith-jones")),
        ("Khan, Imran", ("imran", "khan")),
        ("Sean O Sullivan", ("sean", "o-sullivan")),
        ("Layla Al Sayed", ("layla", "al-sayed")),
        ("Jan van der Berg", ("jan", "van-der-berg")),
        ("Al Smith", ("al", "smith")),
        ("Mohammed Ali Khan", ("mohammed", "khan")),
        ("", (None, None)),
        ("  ", (None, None)),
    ],
)
def test_split_name_keeps_first_and_last_token_folded(
    full: str, parts: tuple[str | None, str | None]
) -> None:
    assert split_name(full) == parts


GIVEN_GROUPS = [
    ["Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "Mohamad", "Mohd", "Mo", "MD"],
    ["Imran", "Imraan"],
    ["Piotr", "Peter", "Pete"],
    ["Katarzyna", "Kasia", "Kate", "Katie", "Catherine", "Kathryn", "Katherine", "Kath",
     "Cath"],
    ["Rebecca", "Rebekah", "Rebeca"],
    ["William", "Bill", "Billy", "Will"],
    ["Yusuf", "Yousef", "Youssef"],
    ["Tariq", "Tarik"],
    ["Shahid", "Shahed"],
    ["Aziz", "Azeez"],
    ["Zubair", "Zubayr"],
    ["Hamza", "Hamzah"],
    ["Usman", "Osman", "Uthman"],
    ["Qasim", "Kasim", "Qassim"],
    ["Ayesha", "Aisha", "Aysha"],
    ["Abdirahman", "Abdulrahman", "Abdi Rahman", "Abdul-Rahman"],
    ["Paweł", "Pawel", "Paul"],
    ["Ionut", "Ionuț"],
    ["Andrei", "Andrey"],
    ["Mehmet", "Mehmed"],
    ["Siobhan", "Siobhán", "Shivon"],
    ["Niamh", "Neeve"],
    ["Tomasz", "Tom", "Tommy", "Thomas"],
    ["Jim", "James"],
    ["Christopher", "Kristopher", "Kristoffer"],
    ["Dave", "David"],
    ["Agnieszka", "Aga", "Agnes"],
    ["Magdalena", "Magda", "Madeleine"],
    ["Maryam", "Mariam", "Miriam"],
    ["Temitope", "Temi"],
    ["Chiamaka", "Amaka"],
    # Somali orthography (c for 'ayn, x for h) and its English-style spellings
    ["Maxamed", "Mohamed", "Muhammad"],
    ["Xasan", "Hassan", "Hasan"],
    ["Cabdi", "Abdi"],
    ["Cali", "Ali"],
    ["Cismaan", "Osman"],
    ["Faadumo", "Fadumo", "Faduma", "Fatima", "Fatuma"],
    ["Nimco", "Nimo"],
    ["Ubax", "Ubah"],
    ["Maxamuud", "Mohamud", "Mohamoud"],
    # Arabic and South Asian romanisations
    ["Karim", "Kareem", "Karem"],
    ["Yasmin", "Yasmine", "Yasmeen", "Jasmin"],
    ["Layla", "Leila", "Laila"],
    ["Huda", "Houda", "Hoda"],
    ["Nasreen", "Nasrin"],
    ["Rukhsana", "Ruksana", "Rukshana"],
    ["Farzana", "Farzanah", "Farsana"],
    ["Sajid", "Sajed"],
    ["Naveed", "Navid"],
    # Polish, Romanian and Irish forms
    ["Jakub", "Kuba", "Jacob"],
    ["Andrzej", "Andrew"],
    ["Wojciech", "Wojtek"],
    ["Małgorzata", "Gosia", "Margaret"],
    # Romanian names and the English forms their bearers use in the UK (as Piotr / Peter)
    ["Ion", "Ioan", "John"],
    ["Mihai", "Mihail", "Michael", "Mick"],
    ["Gheorghe", "Gheorghi", "George"],
    ["Pádraig", "Padraig", "Patrick"],
    ["Róisín", "Rosheen"],
    ["Gráinne", "Grania"],
    # Yoruba and Igbo short forms, English and Caribbean spellings
    ["Babatunde", "Tunde"],
    ["Chukwuemeka", "Emeka"],
    ["Oluwaseun", "Seun"],
    ["Kayleigh", "Kayley", "Kaylee", "Caleigh"],
    ["Chantelle", "Shantelle", "Shantel"],
]


@pytest.mark.parametrize(("typo", "key"), [("Katarzina", "catherine"), ("Madeeleine", "magdalena")])
def test_a_misspelt_table_name_keeps_the_key_of_the_name_it_misspells(typo: str, key: str) -> None:
    assert key in first_name_alternatives(typo)


def test_short_names_are_not_taken_for_typos_of_each_other() -> None:
    assert first_name_alternatives("Amal") == ["amal"]


@pytest.mark.parametrize("group", GIVEN_GROUPS, ids=lambda g: g[0])
def test_spellings_and_diminutives_of_one_given_name_share_a_key(group: list[str]) -> None:
    assert len({first_name_key(name) for name in group}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Yusuf", "Joseph"),
        ("Ibrahim", "Abraham"),
        ("Andrei", "Andrew"),
        ("Mohamud", "Mohammed"),
        ("Mehmet", "Mohammed"),
        ("Kathleen", "Catherine"),
        ("Cathleen", "Catherine"),
        ("Krzysztof", "Chris"),
        ("Abdi", "Abdirahman"),
        ("Liam", "William"),
        ("Erin", "Aaron"),
        ("Leah", "Ashley"),
        ("Mark", "Marcus"),
        ("Peter", "Patrick"),
        ("Wilbur", "William"),
        ("Sajjad", "Sajid"),
        ("Hana", "Hannah"),
        ("Jasmine", "Yasmin"),
        ("Caitlin", "Catherine"),
    ],
)
def test_different_given_names_keep_different_keys(a: str, b: str) -> None:
    assert first_name_key(a) != first_name_key(b)


@pytest.mark.parametrize("name", ["Al", "Chris", "Sam", "Alex", "Nick"])
def test_diminutive_of_several_names_is_not_folded_into_any_of_them(name: str) -> None:
    assert first_name_key(name) == name.lower()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Mohd", "muhammad"),
        ("Billy", "william"),
        ("JIM", "james"),
        ("Charlie", "charles"),
        ("Zoë", "zoe"),
        ("Courtney", "courtney"),
        ("Abdul-Rahman", "abdulrahman"),
        ("محمد", ""),
    ],
)
def test_given_name_key_is_lowercase_ascii(name: str, key: str) -> None:
    assert first_name_key(name) == key


def test_every_given_name_key_in_the_table_is_its_own_key() -> None:
    for key in set(load_name_variants(NAME_VARIANTS_PATH).given.values()):
        assert first_name_key(key) == key


def test_given_name_key_is_stable_for_every_name_the_nicknames_package_knows() -> None:
    from nicknames import NickNamer

    nn = NickNamer()
    for name in set(nn.canonical_lookup) | set(nn.nickname_lookup):
        key = first_name_key(name)
        assert first_name_key(key) == key, name


SURNAME_GROUPS = [
    ["Hussain", "Hussein", "Husain", "Hossain"],
    ["Chowdhury", "Choudhury", "Chaudhry", "Chaudhary"],
    ["Khan", "KHAN", "khan"],
    ["Clarke", "Clark", "Clerk"],
    ["Kowalski", "Kowalska"],
    ["Mohammed", "Muhammad", "Mohamed"],
    ["O'Brien", "OBrien", "O Brien", "O’Brien"],
    ["Nowak", "NOWAK"],
    ["Wiśniewska", "Wisniewski"],
    ["Maxamed", "Mohamed"],
    ["Jaamac", "Jama"],
    ["Nuur", "Nur", "Noor"],
    ["Clarke", "Clark"],
    ["Gheorghiu", "Georgiu"],
]


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["Al-Sayed", "Al Sayed", "El-Sayed", "el sayed", "Alsayed", "Sayed"], "saeed"),
        (["Al-Amin", "Al Amin", "Amin"], "amin"),
    ],
)
def test_arabic_article_written_apart_is_dropped_from_a_surname(names: list[str], key: str) -> None:
    assert {surname_key(n) for n in names} == {key}


@pytest.mark.parametrize("name", ["Ali", "Alam", "Elliott", "Al-Ab"])
def test_surnames_only_starting_like_the_article_keep_it(name: str) -> None:
    assert surname_key(name) == name.lower().replace("-", "")


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["MacCarthy", "McCarthy", "Mc Carthy", "Mac Carthy"], "mccarthy"),
        (["Mackay", "McKay"], "mckay"),
        (["MacDonald", "McDonald"], "mcdonald"),
    ],
)
def test_mac_and_mc_are_one_prefix(names: list[str], key: str) -> None:
    assert {surname_key(n) for n in names} == {key}


@pytest.mark.parametrize("name", ["Mack", "Macey", "Macaulay"])
def test_names_only_starting_with_mac_are_not_folded(name: str) -> None:
    assert surname_key(name) == name.lower()


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["Lewandowski", "Lewandowska", "Lewandowsky"], "lewandowski"),
        (["Zieliński", "Zielińska", "Zielinsky"], "zielinski"),
        (["Sawicki", "Sawicka", "Sawicky"], "sawicki"),
        (["Gradzki", "Gradzka"], "gradzki"),
        (["Kowalski", "Kovalski", "Kowalska", "Kovalsky"], "kowalski"),
        (["Lewandowski", "Levandowski"], "lewandowski"),
        (["Dostoevsky", "Dostoevskiy", "Dostoevskaya"], "dostoewski"),
    ],
)
def test_sexed_and_anglicised_slavic_endings_share_a_key(names: list[str], key: str) -> None:
    assert {surname_key(n) for n in names} == {key}


@pytest.mark.parametrize(
    ("name", "key"),
    [("Ska", "ska"), ("Sky", "sky"), ("Nowak", "nowak"), ("Wójcik", "wojcik"),
     ("Kowalczyk", "kowalczyk"), ("Laska", "laska")],
)
def test_other_endings_are_not_slavic_sexed_forms(name: str, key: str) -> None:
    assert surname_key(name) == key


def test_a_particle_written_apart_stays_with_the_surname_key() -> None:
    assert surname_key(split_name("Niall O Sullivan")[1] or "") == surname_key("O'Sullivan")
    assert surname_key(split_name("Layla Al Sayed")[1] or "") == surname_key("Al-Sayed")


@pytest.mark.parametrize("group", SURNAME_GROUPS, ids=lambda g: g[0])
def test_spellings_of_one_surname_share_a_key(group: list[str]) -> None:
    assert len({surname_key(name) for name in group}) == 1


@pytest.mark.parametrize(("name", "key"), [("Smith-Jones", "smithjones"), ("Brontë", "bronte")])
def test_unknown_surname_folds_to_itself(name: str, key: str) -> None:
    assert surname_key(name) == key


def test_given_name_diminutives_are_not_surname_variants() -> None:
    assert surname_key("Mo") == "mo"
    assert surname_key("Mohammed") == "muhammad"


def test_shipped_table_covers_many_origins() -> None:
    data = yaml.safe_load(NAME_VARIANTS_PATH.read_text(encoding="utf-8"))
    assert len(data["given_names"]) >= 40
    assert len(data["surnames"]) >= 20
    origins = {group["origin"] for group in data["given_names"]}
    assert {"arabic", "polish", "romanian", "somali", "kurdish", "turkish", "irish"} <= origins
    assert {"english", "caribbean", "south_asian"} <= origins


def test_table_maps_variants_to_keys() -> None:
    table = name_variants_table()
    assert table["mohd"] == "muhammad"
    assert table["chaudhry"] == "chowdhury"
    table["mohd"] = "changed by a caller"
    assert name_variants_table()["mohd"] == "muhammad"


def write_table(tmp_path: Path, given: list[dict[str, object]], **extra: object) -> Path:
    path = tmp_path / "name_variants.yaml"
    surnames = [{"key": "khan", "origin": "south_asian", "variants": ["khaan"]}]
    path.write_text(yaml.safe_dump({"given_names": given, "surnames": surnames, **extra}))
    return path


def test_variant_in_two_groups_is_a_profile_error_naming_file_and_entry(tmp_path: Path) -> None:
    path = write_table(
        tmp_path,
        [
            {"key": "muhammad", "origin": "arabic", "variants": ["mohammed", "mo"]},
            {"key": "maurice", "origin": "english", "variants": ["Mo"]},
        ],
    )
    with pytest.raises(ProfileError) as caught:
        load_name_variants(path)
    assert str(path) in caught.value.message
    assert "'Mo'" in caught.value.message and "muhammad" in caught.value.message


def test_variant_with_two_keys_across_sections_is_a_profile_error(tmp_path: Path) -> None:
    path = write_table(tmp_path, [{"key": "kaan", "origin": "turkish", "variants": ["khaan"]}])
    with pytest.raises(ProfileError, match="khaan"):
        load_name_variants(path)


@pytest.mark.parametrize(
    "group",
    [
        {"key": "Muhammad", "variants": ["mo"]},
        {"key": "muhammad"},
        {"key": "muhammad", "variants": ["!!"]},
        "muhammad",
    ],
)
def test_malformed_group_is_a_profile_error(tmp_path: Path, group: object) -> None:
    path = write_table(tmp_path, [group])  # type: ignore[list-item]
    with pytest.raises(ProfileError, match=r"given_names\[0\]"):
        load_name_variants(path)


def test_name_in_its_own_right_that_is_also_a_variant_is_a_profile_error(tmp_path: Path) -> None:
    path = write_table(
        tmp_path,
        [{"key": "aaron", "origin": "english", "variants": ["erin"]}],
        names_in_their_own_right=["erin"],
    )
    with pytest.raises(ProfileError, match="erin"):
        load_name_variants(path)


def test_same_variant_repeated_inside_one_group_is_accepted(tmp_path: Path) -> None:
    path = write_table(tmp_path, [{"key": "ionut", "origin": "romanian", "variants": ["Ionuț"]}])
    assert load_name_variants(path).given == {"ionut": "ionut"}


def test_missing_file_is_a_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot read"):
        load_name_variants(tmp_path / "absent.yaml")


def test_a_yoruba_surname_shortened_to_its_last_part_is_one_surname() -> None:
    assert surname_key("Bayo") == surname_key("Adebayo") == "adebayo"


@pytest.mark.parametrize(
    ("name", "not_a_typo_of"),
    [("Hodan", "huda"), ("Ciara", "ciaran"), ("Danielle", "daniel"), ("Hannah", "hana"),
     ("Natalia", "natalie")],
)
def test_a_name_in_its_own_right_is_not_taken_for_a_misspelling(
    name: str, not_a_typo_of: str
) -> None:
    # Somali Hodan was a "typo" of Arabic Hoda, so every Hodan was a similar first name to
    # every Huda; a misspelling proper still finds its table name
    assert not_a_typo_of not in first_name_alternatives(name)
    assert "catherine" in first_name_alternatives("Katarzina")


@pytest.mark.parametrize(
    ("name", "not_also"),
    [("Anna", "hannah"), ("Ali", "alison"), ("Peter", "patrick"), ("Kate", "caitlin"),
     ("Cathy", "kathleen"), ("Bill", "robert")],
)
def test_a_table_name_stands_only_for_its_table_key(name: str, not_also: str) -> None:
    # the nicknames package lists Anna under Hannah and Ali under Alison: a Polish Anna and an
    # English Hannah were "similar first names"; the table's groups say otherwise
    assert first_name_alternatives(name) == [first_name_key(name)]
    assert not_also not in first_name_alternatives(name)
    assert "rebecca" in first_name_alternatives("Becky")  # a name the table does not list
