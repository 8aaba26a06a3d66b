"""Applying a review: how accepted proposals are put together into a report's structured fields
(extract/apply.py), on proposals written by hand so that only the grouping is tested."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.extract.apply import structured_from


def proposals(text: str, spans: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Accepted proposals for ``(type, words, value[, role[, attrs]])``, each found in ``text``
    after the one before it."""
    out, at = [], 0
    for i, (kind, words, value, *rest) in enumerate(spans):
        start = text.index(words, at)
        at = start + 1
        out.append({"id": i + 1, "type": kind, "start": start, "end": start + len(words),
                    "text": words, "value": value, "role": rest[0] if rest else "",
                    "attrs": rest[1] if len(rest) > 1 else {}, "status": "accepted",
                    "edited_value": None})
    return out


def test_a_link_runs_to_the_place_named_after_it() -> None:
    text = "Chloe (14) was taken to the Crown Lodge."
    made = structured_from(proposals(text, [
        ("person", "Chloe", "Chloe", "child", {"age": "14"}),
        ("link", "was taken to", "taken_to"),
        ("place", "the Crown Lodge", "the Crown Lodge")]))
    assert made.links == [{"from": "p1", "to": "l1", "type": "taken_to"}]
    assert made.left_out == []


def test_a_name_said_again_is_the_person_already_named() -> None:
    text = "Chloe Smith (14) is often out. Chloe spends time at Karahi King."
    made = structured_from(proposals(text, [
        ("person", "Chloe Smith", "Chloe Smith", "child", {"age": "14"}),
        ("person", "Chloe", "Chloe"),
        ("link", "spends time at", "frequents"),
        ("place", "Karahi King", "Karahi King")]))
    assert made.people == [{"ref": "p1", "role": "child", "name": "Chloe Smith", "age": 14}]
    assert made.left_out == []  # the reviewer is not asked to give Chloe a role again
    assert made.links == [{"from": "p1", "to": "l1", "type": "frequents"}]


def test_a_name_said_again_is_the_last_person_of_it_whose_role_it_may_be() -> None:
    """A girl and her mother of one first name: "Abena", read as a child's name, is the girl,
    not the mother named after her as "Abena Adebayo"."""
    text = ("Abena, aged 13, was seen in cars. Her mother, Abena Adebayo, told us. "
            "Abena is often at Kebab King.")
    made = structured_from(proposals(text, [
        ("person", "Abena", "Abena", "child", {"age": "13"}),
        ("person", "Abena Adebayo", "Abena Adebayo", "parent"),
        ("person", "Abena", "Abena", "child"),
        ("link", "is often at", "frequents"),
        ("place", "Kebab King", "Kebab King")]))
    assert [p["name"] for p in made.people] == ["Abena", "Abena Adebayo"]
    assert made.links == [{"from": "p1", "to": "l1", "type": "frequents"}]


@pytest.mark.parametrize(("again", "who"), [("Natalie", "p1"), ("Natalie Wilson", "p2")])
def test_a_name_said_again_whole_is_the_person_it_was_said_of(again: str, who: str) -> None:
    """"Natalie named a girl called Natalie Wilson (18) ... Natalie is often at Kebab King":
    a writer who keeps calling the second girl "Natalie Wilson" means the first by "Natalie"
    (narratives seed 255: "Bethany" at a takeaway was read as the recruiter Bethany Whitehead,
    a third child there a report early). A word of one name only is that person (above)."""
    text = ("Natalie, 17, was seen with men. Natalie named a girl called Natalie Wilson (18). "
            f"{again} is often at Kebab King.")
    made = structured_from(proposals(text, [
        ("person", "Natalie", "Natalie", "child", {"age": "17"}),
        ("person", "Natalie Wilson", "Natalie Wilson", "recruiter", {"age": "18"}),
        ("person", again, again, "child"),
        ("link", "is often at", "frequents"),
        ("place", "Kebab King", "Kebab King")]))
    assert made.links == [{"from": who, "to": "l1", "type": "frequents"}]


def test_a_child_said_again_after_a_man_is_the_one_who_frequents_a_place() -> None:
    text = 'Chloe (14) was seen with a man known as "Tiger". Chloe hangs around at Karahi King.'
    made = structured_from(proposals(text, [
        ("person", "Chloe", "Chloe", "child", {"age": "14"}),
        ("link", "was seen with", "seen_with"),
        ("alias", "Tiger", "Tiger", "person_of_concern"),
        ("person", "Chloe", "Chloe"),
        ("link", "hangs around at", "frequents"),
        ("place", "Karahi King", "Karahi King")]))
    assert {"from": "p1", "to": "l1", "type": "frequents"} in made.links


def test_a_young_person_who_introduced_a_child_is_the_introductions_source() -> None:
    text = ('Chloe (14) said a man known as "Tiger" gave her vodka. Her friend Jordan (15) '
            "introduced her to them.")
    made = structured_from(proposals(text, [
        ("person", "Chloe", "Chloe", "child", {"age": "14"}),
        ("alias", "Tiger", "Tiger", "person_of_concern"),
        ("link", "gave her vodka", "supplied_alcohol"),
        ("person", "Jordan", "Jordan", "child", {"age": "15"}),
        ("link", "introduced her to", "introduced")]))
    assert made.links == [{"from": "p2", "to": "p1", "type": "supplied_alcohol"},
                          {"from": "p3", "to": "p1", "type": "introduced"}]


def test_a_link_runs_to_a_child_named_after_it() -> None:
    text = 'A man known as "Tiger" keeps calling Chloe Smith (14).'
    made = structured_from(proposals(text, [
        ("alias", "Tiger", "Tiger", "person_of_concern"),
        ("link", "keeps calling", "contacted"),
        ("person", "Chloe Smith", "Chloe Smith", "child", {"age": "14"})]))
    assert made.links == [{"from": "p1", "to": "p2", "type": "contacted"}]


def test_a_link_joins_the_man_its_own_sentence_names_after_it() -> None:
    # "in the company of" names the man after it; a man named in an earlier sentence is not
    # the one she was seen with
    text = ('A man known as "Tiger" gave her vodka. Chloe (14) has been seen in the company of '
            'a man who calls himself "Bgiman".')
    sentence = [text.index("Chloe"), len(text)]
    made = structured_from(proposals(text, [
        ("alias", "Tiger", "Tiger", "person_of_concern"),
        ("link", "gave her vodka", "supplied_alcohol"),
        ("person", "Chloe", "Chloe", "child", {"age": "14"}),
        ("link", "in the company of", "seen_with", "", {"sentence": sentence}),
        ("alias", "Bgiman", "Bgiman", "person_of_concern")]))
    assert {"from": "p3", "to": "p2", "type": "seen_with"} in made.links
    assert made.left_out == []
    # without the reader's sentence (a proposal stored before it gave one) the nearest man
    # before the link is taken, as before
    old = structured_from(proposals(text, [
        ("alias", "Tiger", "Tiger", "person_of_concern"),
        ("person", "Chloe", "Chloe", "child", {"age": "14"}),
        ("link", "in the company of", "seen_with"),
        ("alias", "Bgiman", "Bgiman", "person_of_concern")]))
    assert old.links == [{"from": "p1", "to": "p2", "type": "seen_with"}]


def test_the_reader_gives_a_link_its_sentence_and_the_review_joins_its_people() -> None:
    from datetime import date

    from joinedup.extract.propose import read_narrative

    text = ('Maeve Doyle, aged 12, has missed a lot of school. Maeve has been seen in the '
            'company of a man in his twenties who calls himself "Bgiman".')
    found = read_narrative(text, date(2007, 2, 1))
    link = next(p for p in found if p.type == "link")
    assert link.value == "seen_with"
    assert link.attrs["sentence"] == [text.index("Maeve has"), len(text)]
    accepted = [{"id": i, "type": p.type, "start": p.start, "end": p.end, "text": p.text,
                 "value": p.value, "role": p.role, "attrs": dict(p.attrs),
                 "status": "accepted", "edited_value": None} for i, p in enumerate(found)]
    made = structured_from(accepted)
    man = next(q["ref"] for q in made.people if q["role"] == "person_of_concern")
    child = next(q["ref"] for q in made.people if q["role"] == "child")
    assert made.links == [{"from": man, "to": child, "type": "seen_with"}]


def test_a_link_runs_past_a_town_to_the_address_said_just_after_it() -> None:
    # a misspelt "bus tation" leaves the premises unread: the place she hangs around at is
    # the one at the address, not the town
    text = "Amal (14) hangs around at Rochdale bus tation taxi rank, 113 High Street, Rochdale."
    spans = [("person", "Amal", "Amal", "child", {"age": "14"}),
             ("link", "hangs around at", "frequents", "", {"sentence": [0, len(text)]}),
             ("place", "Rochdale", "Rochdale", "", {"kind": "town"}),
             ("place", "113 High Street", "113 High Street", "", {"kind": "street"}),
             ("place", "Rochdale", "Rochdale", "", {"kind": "town"})]
    made = structured_from(proposals(text, spans))
    [street] = [p["ref"] for p in made.places if p.get("name") == "113 High Street"]
    assert made.links == [{"from": "p1", "to": street, "type": "frequents"}]
    # a town alone in the sentence is the place
    text = "Amal (14) was taken to Rochdale. A man lives at 113 High Street."
    made = structured_from(proposals(text, [
        ("person", "Amal", "Amal", "child", {"age": "14"}),
        ("link", "was taken to", "taken_to", "", {"sentence": [0, text.index(".") + 1]}),
        ("place", "Rochdale", "Rochdale", "", {"kind": "town"}),
        ("place", "113 High Street", "113 High Street", "", {"kind": "street"})]))
    assert made.links[0] == {"from": "p1", "to": "l1", "type": "taken_to"}


def test_a_link_to_a_place_keeps_to_the_places_its_own_sentence_names() -> None:
    """"Spends time at takeaways and in taxis" names no place: it is no link to the taxi rank
    the next sentence names (a false hotspot, before). Without the reader's sentence (a
    proposal stored before it gave one) the first place after the link is taken, as before."""
    text = ("Bridget (16) spends time at takeaways and in taxis. "
            "The report also names Middleton station taxi rank.")
    spans = [("person", "Bridget", "Bridget", "child", {"age": "16"}),
             ("link", "spends time at", "frequents", "", {"sentence": [0, text.index(".") + 1]}),
             ("place", "Middleton station taxi rank", "Middleton station taxi rank")]
    made = structured_from(proposals(text, spans))
    assert made.links == []
    assert [p.get("name") for p in made.places] == ["Middleton station taxi rank"]
    spans[1] = ("link", "spends time at", "frequents")
    assert structured_from(proposals(text, spans)).links == [
        {"from": "p1", "to": "l1", "type": "frequents"}]


def test_a_registration_after_a_description_is_the_same_vehicle() -> None:
    text = 'A man known as "Tiger" drives a silver Toyota taxi, registration MA08 XKZ.'
    made = structured_from(proposals(text, [
        ("alias", "Tiger", "Tiger", "person_of_concern"),
        ("vehicle", "a silver Toyota taxi", "a silver toyota taxi", "", {"kind": "taxi"}),
        ("vehicle", "MA08 XKZ", "MA08XKZ")]))
    assert made.people[0]["vehicles"] == [
        {"colour": "silver", "make": "toyota", "kind": "taxi", "reg": "MA08XKZ"}]


def test_two_registrations_are_two_vehicles() -> None:
    text = 'A man known as "Tiger" has used MA08 XKZ and MA09 ABC.'
    made = structured_from(proposals(text, [
        ("alias", "Tiger", "Tiger", "person_of_concern"),
        ("vehicle", "MA08 XKZ", "MA08XKZ"),
        ("vehicle", "MA09 ABC", "MA09ABC")]))
    assert made.people[0]["vehicles"] == [{"reg": "MA08XKZ"}, {"reg": "MA09ABC"}]


def test_an_address_and_postcode_after_a_place_are_its_own() -> None:
    text = "Chloe (14) was taken to Crown Lodge, 227 Union Street, Salford, M5 8ZL, and Rochdale."
    made = structured_from(proposals(text, [
        ("person", "Chloe", "Chloe", "child", {"age": "14"}),
        ("link", "was taken to", "taken_to"),
        ("place", "Crown Lodge", "Crown Lodge"),
        ("place", "227 Union Street", "227 Union Street", "", {"kind": "street"}),
        ("place", "Salford", "Salford", "", {"kind": "town"}),
        ("place", "M5 8ZL", "M5 8ZL", "", {"kind": "postcode"}),
        ("place", "Rochdale", "Rochdale", "", {"kind": "town"})]))
    assert made.places == [
        {"ref": "l1", "name": "Crown Lodge", "address": "227 Union Street, Salford",
         "postcode": "M5 8ZL"},
        {"ref": "l2", "name": "Rochdale", "kind": "town"}]
    assert made.links == [{"from": "p1", "to": "l1", "type": "taken_to"}]
    assert sorted(made.used) == list(range(1, 8))


def test_a_place_named_in_a_list_stays_a_place_of_its_own() -> None:
    text = "She has been found in Rochdale, Oldham and Bury."
    made = structured_from(proposals(text, [
        ("place", "Rochdale", "Rochdale", "", {"kind": "town"}),
        ("place", "Oldham", "Oldham", "", {"kind": "town"}),
        ("place", "Bury", "Bury", "", {"kind": "town"})]))
    assert [p["name"] for p in made.places] == ["Rochdale", "Oldham", "Bury"]


def test_a_nickname_read_as_a_man_s_is_not_given_to_the_child_named_before_it() -> None:
    text = 'Chloe (14) said a man known as "Tiger" gave her vodka.'
    made = structured_from(proposals(text, [
        ("person", "Chloe", "Chloe", "child", {"age": "14"}),
        ("alias", "Tiger", "Tiger", "person_of_concern"),
        ("link", "gave her vodka", "supplied_alcohol")]))
    assert made.people == [{"ref": "p1", "role": "child", "name": "Chloe", "age": 14},
                           {"ref": "p2", "role": "person_of_concern", "aliases": ["Tiger"]}]
    assert made.links == [{"from": "p2", "to": "p1", "type": "supplied_alcohol"}]


def test_a_nickname_just_after_a_name_is_that_persons() -> None:
    text = 'A man named Tariq Hussain, known as "Tiger", was seen.'
    made = structured_from(proposals(text, [
        ("person", "Tariq Hussain", "Tariq Hussain", "person_of_concern"),
        ("alias", "Tiger", "Tiger")]))
    assert made.people == [{"ref": "p1", "role": "person_of_concern", "name": "Tariq Hussain",
                            "aliases": ["Tiger"]}]


def test_a_nickname_after_someone_else_named_is_not_the_name_before_them() -> None:
    """Generated seed 150: "Sam" was made Shaheed Mahmood's nickname, 55 characters on, with
    the girl named between them, and his reports joined another man's."""
    text = ('Aoiffe (16) is in care. A man called Shaheed Mahmood (36) was seen with Aoiffe. '
            'An older adult she knows as "Sam", in their late thirties, drove her about.')
    made = structured_from(proposals(text, [
        ("person", "Aoiffe", "Aoiffe", "child", {"age": "16"}),
        ("person", "Shaheed Mahmood", "Shaheed Mahmood", "person_of_concern", {"age": "36"}),
        ("person", "Aoiffe", "Aoiffe", "child"),
        ("alias", "Sam", "Sam", "person_of_concern", {"age": "36-39"})]))
    assert [(p.get("name"), p.get("aliases")) for p in made.people] == [
        ("Aoiffe", None), ("Shaheed Mahmood", None), (None, ["Sam"])]


def test_a_nickname_whose_owner_is_of_another_age_or_sex_is_someone_else() -> None:
    text = ('She was seen with a man named Tyrone Francis (36). A man in his mid fifties who '
            'calls himself "Crazy Tiger" bought her drink. A man named Tom Hart, known as "T", '
            'and Ann Day, known as "Big Man".')
    made = structured_from(proposals(text, [
        ("person", "Tyrone Francis", "Tyrone Francis", "person_of_concern",
         {"age": "36", "sex": "male"}),
        ("alias", "Crazy Tiger", "Crazy Tiger", "person_of_concern", {"age": "53-57"}),
        ("person", "Tom Hart", "Tom Hart", "person_of_concern", {"age": "50-59"}),
        ("alias", "T", "T", "person_of_concern", {"age": "55", "sex": "male"}),
        ("person", "Ann Day", "Ann Day", "person_of_concern", {"sex": "female"}),
        ("alias", "Big Man", "Big Man", "person_of_concern", {"sex": "male"})]))
    assert [(p.get("name"), p.get("aliases")) for p in made.people] == [
        ("Tyrone Francis", None), (None, ["Crazy Tiger"]), ("Tom Hart", ["T"]),
        ("Ann Day", None), (None, ["Big Man"])]


def test_a_link_told_by_a_parent_joins_the_man_it_names_not_the_parent() -> None:
    text = ("Her mother, Alexandra Wojcik, reported that Shantelle was seen with a man named "
            "Tyrone Francis. Her father, Tom, drove her home.")
    made = structured_from(proposals(text, [
        ("person", "Alexandra Wojcik", "Alexandra Wojcik", "parent"),
        ("person", "Shantelle", "Shantelle", "child"),
        ("link", "was seen with", "seen_with", "", {"sentence": [0, 95]}),
        ("person", "Tyrone Francis", "Tyrone Francis", "person_of_concern"),
        ("person", "Tom", "Tom", "parent"),
        ("link", "drove her home", "transported", "", {"sentence": [96, 128]})]))
    assert made.links == [{"from": "p3", "to": "p2", "type": "seen_with"},
                          {"from": "p4", "to": "p2", "type": "transported"}]


def test_what_the_reader_said_of_a_person_is_kept_whichever_mention_says_it() -> None:
    text = ('Bridget (13) was missing overnight. DOB 23/02/1994. A man in his thirties known '
            'as "Boss" texts Bridget.')
    made = structured_from(proposals(text, [
        ("person", "Bridget", "Bridget", "child", {"age": "13", "sex": "female",
                                                   "dob": "1994-02-23"}),
        ("alias", "Boss", "Boss", "person_of_concern", {"age": "30-39", "sex": "male"}),
        ("person", "Bridget", "Bridget", "child",
         {"identifiers": {"council_child_id": "RCH-000005"}})]))
    assert made.people == [
        {"ref": "p1", "role": "child", "name": "Bridget", "age": 13, "sex": "female",
         "dob": "1994-02-23", "identifiers": {"council_child_id": "RCH-000005"}},
        {"ref": "p2", "role": "person_of_concern", "aliases": ["Boss"], "age_range": "30-39",
         "sex": "male"}]


def test_a_street_and_a_number_on_it_after_premises_are_their_address() -> None:
    text = "Jada hangs around at Kebab Point, Union Street, 177 Union Street, Middleton."
    made = structured_from(proposals(text, [
        ("link", "hangs around at", "frequents"),
        ("place", "Kebab Point", "Kebab Point", "", {"kind": "takeaway"}),
        ("place", "Union Street", "Union Street", "", {"kind": "street"}),
        ("place", "177 Union Street", "177 Union Street", "", {"kind": "street"}),
        ("place", "Middleton", "Middleton", "", {"kind": "town"})]))
    assert made.places == [{"ref": "l1", "name": "Kebab Point", "kind": "takeaway",
                            "address": "177 Union Street, Middleton"}]


def test_a_street_followed_by_a_number_on_it_is_premises_not_the_street() -> None:
    text = "Sophie was taken to a flat on Union Street, 177a Union Street, Middleton, M24 1NS."
    made = structured_from(proposals(text, [
        ("link", "was taken to", "taken_to"),
        ("place", "Union Street", "Union Street", "", {"kind": "street"}),
        ("place", "177a Union Street", "177a Union Street", "", {"kind": "street"}),
        ("place", "Middleton", "Middleton", "", {"kind": "town"}),
        ("place", "M24 1NS", "M24 1NS", "", {"kind": "postcode"})]))
    assert made.places == [{"ref": "l1", "name": "Union Street",
                            "address": "177a Union Street, Middleton", "postcode": "M24 1NS"}]


def test_a_numbered_street_is_an_address_of_premises() -> None:
    text = "Farzana hangs around at 43 Cemetery Road, Manchester."
    made = structured_from(proposals(text, [
        ("link", "hangs around at", "frequents"),
        ("place", "43 Cemetery Road", "43 Cemetery Road", "", {"kind": "street"}),
        ("place", "Manchester", "Manchester", "", {"kind": "town"})]))
    assert made.places == [{"ref": "l1", "name": "43 Cemetery Road",
                            "address": "43 Cemetery Road, Manchester"}]


def test_a_nickname_read_as_a_girls_joins_the_recruiter_named_before_it() -> None:
    text = "Emma (14) named her friend Amy (16), who calls herself 'Sparkle', who introduced her."
    made = structured_from(proposals(text, [
        ("person", "Emma", "Emma", "child", {"age": "14"}),
        ("person", "Amy", "Amy", "recruiter", {"age": "16"}),
        ("alias", "Sparkle", "Sparkle", "child"),
        ("link", "introduced her", "introduced")]))
    assert [p.get("aliases") for p in made.people] == [None, ["Sparkle"]]
    assert made.links == [{"from": "p2", "to": "p1", "type": "introduced"}]


def test_a_nickname_and_a_name_with_one_ref_are_one_person() -> None:
    text = 'A man known as "Danny", whose name is Mohammed Ahmed, is often at Tandoori House.'
    made = structured_from(proposals(text, [
        ("alias", "Danny", "Danny", "person_of_concern", {"ref": "n1"}),
        ("person", "Mohammed Ahmed", "Mohammed Ahmed", "person_of_concern",
         {"ref": "n1", "age": "13-19"})]))
    assert made.people == [{"ref": "p1", "role": "person_of_concern", "aliases": ["Danny"],
                            "name": "Mohammed Ahmed", "age_range": "13-19"}]


def test_the_location_said_after_an_address_is_the_places() -> None:
    text = "Danny is often at Tandoori House, Oldham, OL1 9UW (location 53.5443, -2.12205)."
    made = structured_from(proposals(text, [
        ("place", "Tandoori House", "Tandoori House", "", {"kind": "takeaway"}),
        ("place", "Oldham", "Oldham", "", {"kind": "town"}),
        ("place", "OL1 9UW", "OL1 9UW", "", {"kind": "postcode", "lat": 53.5443,
                                              "lon": -2.12205})]))
    assert made.places == [{"ref": "l1", "name": "Tandoori House", "kind": "takeaway",
                            "address": "Oldham", "postcode": "OL1 9UW", "lat": 53.5443,
                            "lon": -2.12205}]


def test_a_flat_described_by_its_street_is_made_the_flat_not_the_street() -> None:
    text = "Chloe was taken to a flat on Union Street, 177a Union Street, Middleton."
    made = structured_from(proposals(text, [
        ("link", "was taken to", "taken_to"),
        ("place", "Union Street", "Union Street", "",
         {"kind": "flat", "described": "a flat on Union Street"}),
        ("place", "177a Union Street", "177a Union Street", "", {"kind": "street"}),
        ("place", "Middleton", "Middleton", "", {"kind": "town"})]))
    assert made.places == [{"ref": "l1", "name": "a flat on Union Street", "kind": "flat",
                            "address": "177a Union Street, Middleton"}]


def test_a_car_is_no_kind_of_vehicle_a_taxi_could_disagree_with() -> None:
    text = "He is seen in a silver car, registration MM06 X?? (the rest not seen)."
    made = structured_from(proposals(text, [
        ("person", "He", "Tom Reid", "person_of_concern"),
        ("vehicle", "a silver car", "a silver car"),
        ("vehicle", "MM06 X??", "MM06 X??")]))
    assert made.people[0]["vehicles"] == [{"colour": "silver", "reg": "MM06 X??"}]


def test_a_sign_said_twice_is_added_once() -> None:
    text = ("Leah (14) said he is her boyfriend. Staff think the boyfriend is much older. "
            "Kayla (15) has a boyfriend too.")
    made = structured_from(proposals(text, [
        ("person", "Leah", "Leah", "child", {"age": "14"}),
        ("indicator", "her boyfriend", "older_partner"),
        ("indicator", "the boyfriend", "older_partner")]))
    assert made.indicators == ["older_partner"]
    two = structured_from(proposals(text, [
        ("person", "Leah", "Leah", "child", {"age": "14"}),
        ("indicator", "her boyfriend", "older_partner"),
        ("indicator", "the boyfriend", "older_partner"),
        ("person", "Kayla", "Kayla", "child", {"age": "15"}),
        ("indicator", "a boyfriend", "older_partner")]))
    assert two.indicators == [{"id": "older_partner", "about": "p1"},
                              {"id": "older_partner", "about": "p2"}]


def test_the_person_who_gave_the_account_is_the_reports_informant() -> None:
    from joinedup.extract.apply import apply_to

    text = "Kayleigh (14) was seen. Her mother, Joan, reported that a man known as 'K' calls her."
    made = structured_from(proposals(text, [
        ("person", "Kayleigh", "Kayleigh", "child", {"age": "14"}),
        ("person", "Joan", "Joan", "parent", {"informant": True}),
        ("alias", "K", "K", "person_of_concern")]))
    assert made.informant == "p2"
    # a report that already names one keeps it; refs taken by its people are renamed
    body = {"id": "r1", "people": [{"ref": "p2", "role": "witness", "name": "Ann"}]}
    assert apply_to(body, made)["informant"] == "rp2"
    assert apply_to({**body, "informant": "p2"}, made)["informant"] == "p2"


def test_a_report_with_no_teller_read_names_no_informant() -> None:
    from joinedup.extract.apply import apply_to

    text = "Kayleigh (14) was seen with a man known as 'K'."
    made = structured_from(proposals(text, [
        ("person", "Kayleigh", "Kayleigh", "child", {"age": "14"}),
        ("alias", "K", "K", "person_of_concern")]))
    assert made.informant is None
    assert "informant" not in apply_to({"id": "r1"}, made)
