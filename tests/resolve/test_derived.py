"""A report ``derived_from`` another only repeats it: the people a copy of another agency's
record names are the people of the record (docs/resolution.md, "Copies of a record")."""

from __future__ import annotations

from pathlib import Path

from joinedup.cli.render import entities_json
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process, process_new
from joinedup.resolve.resolver import REPEATS, repeated_pairs
from joinedup.store import Store
from tests.factories import adult, child, load_generated, report, write_jsonl


def _person(pk: int, report: int, first: str | None = None, *, surname: str | None = None,
            alias: str | None = None, group: str = "young") -> dict:
    return {"pk": pk, "report": report, "features": {
        "first_alts": [first] if first else [], "surname_key": surname,
        "aliases": [alias] if alias else [], "ids": [], "group": group}}


def test_each_person_of_a_copy_is_the_one_like_them_in_the_record() -> None:
    people = [_person(1, 10, "natalia", surname="kowalski"), _person(2, 10, alias="sheriff",
                                                                    group="adult"),
              _person(3, 20, "natalia"), _person(4, 20, alias="sheriff", group="adult")]
    assert repeated_pairs(people, {20: [10]}) == {(3, 1), (4, 2)}


def test_a_copy_links_no_one_where_the_record_names_two_alike_or_a_name_disagrees() -> None:
    two = [_person(1, 10, "natalia"), _person(2, 10, "natalia", surname="nowak"),
           _person(3, 20, "natalia")]
    assert repeated_pairs(two, {20: [10]}) == set()
    other = [_person(1, 10, "natalia", surname="kowalski"),
             _person(2, 20, "natalia", surname="nowak"), _person(3, 20, "amy"),
             _person(4, 20, "natalia", group="adult")]
    assert repeated_pairs(other, {20: [10]}) == set()


def test_every_person_a_copy_names_is_the_records_person(store: Store, tmp_path: Path) -> None:
    """A generated scenario's copies (``derived_from``) name the people of the records they
    repeat. Before, where the rounds had left one such pair apart (the copy's "Bethany" and
    her man known as "jay" joined their clusters, the record's two stayed on their own; each
    pair would merge only if the other did), the two reports' people were two each: seed 8 at
    300 reports, 2 of 70 such pairs."""
    scenario, entity = load_generated(store, tmp_path, seed=8, reports=300)
    truth = scenario.truth["mentions"]
    by_key = {f"{r['source']['org']}/{r['id']}": r for r in scenario.reports}
    pairs = [(f"{org}/{copy['id']}#{p['ref']}", f"{key}#{q['ref']}")
             for copy in scenario.reports if (org := copy["source"]["org"])
             for entry in copy.get("derived_from") or ()
             if (key := entry if "/" in entry else f"{org}/{entry}")
             for p in copy["people"] for q in by_key[key]["people"]]
    same = [(a, b) for a, b in pairs if truth.get(a) is not None and truth.get(a) == truth.get(b)]
    assert len(same) > 50
    apart = [(a, b) for a, b in same if entity[a] != entity[b]]
    assert not apart, apart


def test_a_copy_added_to_a_resolved_store_names_the_records_people(
    store: Store, tmp_path: Path
) -> None:
    """Reports added one at a time are resolved against the store (pipeline.process_new):
    the copy's people join the record's there too, and each merge says why."""
    record = report("ys1", org="Youth R", agency="youth_service",
                    people=[child("c1", "Natalia Kowalski", 16), adult("a1", "Sheriff")])
    other = report("p1", org="Police R", people=[child("c1", "Amy Hall"), adult("a1", "Tiger")])
    copy = report("csc1", org="Council R", agency="social_care", reported_at="2008-02-01",
                  derived_from=["Youth R/ys1"],
                  people=[child("c1", "Natalia", 16), adult("a1", "Sheriff")])
    import_file(store, write_jsonl(tmp_path / "a.jsonl", [record, other]))
    process(store)
    process_new(store, import_file(store, write_jsonl(tmp_path / "b.jsonl", [copy])).reports)
    people = {p["id"]: {m["report"] for m in p["mentions"]}
              for p in entities_json(store, "person")}
    copied = [e for e, reports in people.items() if "csc1" in reports]
    assert len(copied) == 2 and all(people[e] == {"ys1", "csc1"} for e in copied), people
    for entity in copied:
        (edge,) = store.merge_edges(entity)
        assert edge["reasons"][0] == REPEATS, edge
