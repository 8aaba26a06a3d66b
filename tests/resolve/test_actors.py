"""Actors with dated aliases (conflict.md rule 5): any name resolves, a label's date is noted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from joinedup.errors import ProfileError
from joinedup.resolve.actors import Actor, ActorName, ActorRegistry, load_actors, shipped_actors

NUSRA_NAMES = ["Jabhat al-Nusra", "al-Nusra Front", "Jabhat Fateh al-Sham", "JFS",
               "Hay'at Tahrir al-Sham", "Hayat Tahrir al Sham", "HTS", "tahrir al-sham"]


@pytest.mark.parametrize("name", NUSRA_NAMES)
def test_every_name_of_al_nusra_resolves_to_one_actor(name: str) -> None:
    assert shipped_actors().identify(name).actor == "jabhat_al_nusra"


@pytest.mark.parametrize(("name", "on", "fits"), [
    ("Jabhat al-Nusra", date(2016, 7, 27), True),
    ("Jabhat al-Nusra", date(2016, 7, 28), False),   # renamed that day
    ("Jabhat Fateh al-Sham", date(2016, 3, 1), False),  # UCDP's anachronistic label
    ("Jabhat Fateh al-Sham", date(2016, 10, 1), True),
    ("Jabhat Fateh al-Sham", date(2017, 2, 14), False),
    ("HTS", date(2016, 4, 5), False),
    ("HTS", date(2018, 1, 1), True),
])
def test_a_name_used_outside_its_dates_still_resolves_and_is_noted(
    name: str, on: date, fits: bool
) -> None:
    found = shipped_actors().identify(name, on=on)
    assert found.actor == "jabhat_al_nusra" and found.known
    assert (found.anachronism is None) == fits
    if not fits:
        assert name in (found.anachronism or "")


def test_a_coalition_is_related_to_its_member_only_while_the_membership_lasts() -> None:
    reg = shipped_actors()
    assert reg.relation("jabhat_al_nusra", "jaish_al_fateh", date(2016, 5, 1)) == "related"
    assert reg.relation("jaish_al_fateh", "jabhat_al_nusra", date(2016, 5, 1)) == "related"
    assert reg.relation("jabhat_al_nusra", "jaish_al_fateh", date(2018, 5, 1)) is None
    # two members of one coalition are not related through it
    assert reg.relation("jabhat_al_nusra", "ahrar_al_sham", date(2016, 5, 1)) is None
    assert reg.identify("Army of Conquest").actor == "jaish_al_fateh" != "jabhat_al_nusra"


@pytest.mark.parametrize(("names", "actor"), [
    (["Government of Syria", "Syrian Arab Army", "regime forces", "SAA", "Syrian government"],
     "government_of_syria"),
    (["Russia", "Russian forces", "Government of Russia", "Russian warplanes"],
     "government_of_russia"),
    (["IS", "ISIS", "ISIL", "Daesh", "Islamic State"], "islamic_state"),
    (["SDF", "Syrian Democratic Forces"], "sdf"),
    (["Ahrar al-Sham", "Ahrar ash-Sham"], "ahrar_al_sham"),
    (["Levant Front", "Al-Jabha al-Shamiyyah"], "levant_front"),
])
def test_aliases_of_the_main_parties_resolve(names: list[str], actor: str) -> None:
    assert {shipped_actors().identify(n).actor for n in names} == {actor}


def test_russia_is_a_belligerent_apart_from_the_syrian_government() -> None:
    reg = shipped_actors()
    assert reg.relation("government_of_russia", "government_of_syria") is None


def test_the_ypg_is_related_to_the_sdf_and_the_pkk_is_not() -> None:
    reg = shipped_actors()
    assert reg.relation("ypg", "sdf", date(2017, 1, 1)) == "related"
    assert reg.relation("pkk", "sdf", date(2017, 1, 1)) is None
    assert reg.relation("pkk", "ypg", date(2017, 1, 1)) is None


def test_a_similar_name_of_another_group_is_not_taken_for_hts() -> None:
    assert shipped_actors().identify("Tahrir al- Sham Army").actor == "tahrir_al_sham_army"


def test_an_unknown_name_is_its_own_actor_and_agrees_with_itself() -> None:
    reg = shipped_actors()
    a, b = reg.identify("Liwa Nowhere"), reg.identify("liwa  nowhere")
    assert not a.known and a.actor == b.actor
    assert reg.label(a.actor) == "liwanowhere"


def test_an_alias_given_by_the_report_is_used_when_the_name_is_unknown() -> None:
    found = shipped_actors().identify("the Front", aliases=["Jabhat al-Nusra"])
    assert found.actor == "jabhat_al_nusra" and found.name == "the Front"


def test_every_actor_name_in_the_ucdp_syria_file_is_known() -> None:
    # the side_a / side_b names of UCDP GED Syria 2016-2019 (SOURCE.md), as that file spells them
    ucdp = ["Government of Syria", "Syrian insurgents", "IS", "SDF", "Civilians",
            "Hawar Kilis Operations Room", "HTS", "SNA", "National Front for Liberation",
            "Government of Turkey", "23rd Division", "Jaysh al Nasr", "Jaysh al-Nukhba",
            "Nour al-Din al-Zenki", "Sham Legion", "Syrian Liberation Front", "Fatah Halab",
            "Jabhat Fateh al-Sham", "Southern Front", "Government of Iraq", "Jaysh al-Islam",
            "Jaysh Asoud al-Sharqiya", "Martyr Lieutenant Ahmed Abdou Brigades", "Rahman Corps",
            "Government of Israel", "Liwa al-Aqsa", "Mare' Operations Room", "Government of Iran",
            "FSA", "Tahrir al- Sham Army", "Aknaf Bait al-Maqdis", "Sons of Yarmouk Movement",
            "NSA", "Liwa al-Sultan Murad", "Ahrar al-Sharqiya", "Jaysh al-Asha’er", "Hezbollah",
            "Hamza Division", "Government of Jordan", "Shohadaa al-Yarmouk",
            "Government of United States of America", "al-Qaida", "Ajnad al-Kavkaz", "ETIM",
            "Liwa al-Haq Idlib", "Suqour al-Sham Brigades", "NDF (Syria)", "PFLP-GC", "PIJ",
            "Rahman Corps - “Abu al-Joud al-Arbini” faction", "Tanzim Hurras ad-Din"]
    reg = shipped_actors()
    assert [n for n in ucdp if not reg.identify(n).known] == []


def test_civilians_are_not_a_party() -> None:
    reg = shipped_actors()
    assert not reg.is_party(reg.identify("Civilians").actor)
    assert reg.is_party(reg.identify("IS").actor)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "actors.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_name_given_to_two_actors_is_refused_naming_both(tmp_path: Path) -> None:
    path = _write(tmp_path, "actors:\n  - {id: a, label: A, names: [Front]}\n"
                            "  - {id: b, label: B, names: [the front]}\n")
    with pytest.raises(ProfileError, match=r"'the front' already names 'a'"):
        load_actors(path)


def test_a_membership_of_an_unknown_actor_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "actors:\n  - {id: a, label: A, names: [A], "
                            "member_of: [{actor: nobody}]}\n")
    with pytest.raises(ProfileError, match="unknown actor 'nobody'"):
        load_actors(path)


def test_a_bad_date_is_refused_naming_the_actor(tmp_path: Path) -> None:
    path = _write(tmp_path, "actors:\n  - {id: a, label: A, names: [{name: A, from: soon}]}\n")
    with pytest.raises(ProfileError, match=r"actors\[0\] \(a\).*'soon' is not a date"):
        load_actors(path)


@pytest.mark.parametrize(("name", "actor"), [
    ("Syrian Libberation Front", "syrian_liberation_front"),  # a letter doubled
    ("Suthern Front", "southern_front"),  # a vowel changed
    ("Government of Irak", "government_of_iraq"),  # q as k
    ("Ahrar Sham", "ahrar_al_sham"),  # the article left out
    ("Jaysh el-Islam", "jaysh_al_islam"),
])
def test_a_spelling_the_file_does_not_list_is_found_by_its_transliteration(
    name: str, actor: str) -> None:
    found = shipped_actors().identify(name)
    assert found.known and found.actor == actor and found.name == name


def test_a_skeleton_shared_by_two_actors_names_neither() -> None:
    reg = ActorRegistry([
        Actor("a", "A", "armed_group", (ActorName("Liwa Nasr"),)),
        Actor("b", "B", "armed_group", (ActorName("Liwa Nasir"),)),
    ])
    assert reg.identify("Liwa Nasr").actor == "a"  # a listed spelling is its actor's
    assert not reg.identify("Liwa Nosr").known  # but "nsr" could be either


def test_a_respelled_name_keeps_its_dates() -> None:
    found = shipped_actors().identify("Jabhat Fatteh al-Sham", on=date(2016, 3, 1))
    assert found.actor == "jabhat_al_nusra" and found.anachronism
