"""Possibly the same person: what the resolver kept apart on weak evidence, shown with its weight
and reasons for an analyst to confirm or split, and never suggested again once split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.resolve.possible import POSSIBLE_WEIGHT, described
from joinedup.store import Store
from joinedup.web.service import decide_pair
from tests.factories import adult, child, report, write_jsonl

POLICE = "Police North/R1#a1"
YOUTH = "Youth Project/Y1#a1"


def _two_kaz(store: Store, tmp_path: Path, *more: dict[str, Any]) -> dict[str, str]:
    """A man known only as "Kaz", named by one girl to the police and by another to a youth
    project: nothing but the nickname and an age range in common. Returns each mention's entity
    by name."""
    reports = [
        report("R1", informant="c1", people=[child("c1", "Amy", 14), adult("a1", "Kaz")],
               links=[{"from": "a1", "to": "c1", "type": "sexual_contact"}]),
        report("Y1", org="Youth Project", agency="youth_service", reported_at="2008-02-01",
               informant="c1", people=[child("c1", "Beth Jones", 15), adult("a1", "Kaz")],
               links=[{"from": "a1", "to": "c1", "type": "gave_gifts"}]),
        *more,
    ]
    import_file(store, write_jsonl(tmp_path / "r.jsonl", reports))
    process(store)
    return {f"{m['org']}/{m['report_id']}#{m['ref']}": m["entity"] for m in store.memberships()}


def _possible(store: Store, entity: str) -> list[dict[str, Any]]:
    return described(store, entity)


def test_a_nickname_alone_is_suggested_not_merged(store: Store, tmp_path: Path) -> None:
    entity = _two_kaz(store, tmp_path)
    assert entity[POLICE] != entity[YOUTH]  # the resolver keeps them apart
    [found] = _possible(store, entity[POLICE])
    assert found["entity"]["id"] == entity[YOUTH]
    assert found["entity"]["aliases"] == ["kaz"]
    assert (found["own"], found["mention"]) == (POLICE, YOUTH)
    assert POSSIBLE_WEIGHT <= found["weight"] < 0
    assert 0 < found["probability"] < 0.5
    reasons = {r["comparison"]: r["bayes_factor_log2"] for r in found["reasons"]}
    assert reasons["alias"] > 0  # what they share
    assert reasons["network"] < 0  # and what speaks against: nothing else in common
    assert round(sum(reasons.values()), 1) > found["weight"]  # the prior is below zero
    # and the same pair from the other side
    [back] = _possible(store, entity[YOUTH])
    assert (back["entity"]["id"], back["own"], back["mention"]) == (entity[POLICE], YOUTH, POLICE)


def test_confirming_a_suggestion_makes_one_person(store: Store, tmp_path: Path) -> None:
    entity = _two_kaz(store, tmp_path)
    out = decide_pair(store, POLICE, YOUTH, "confirm", "the youth worker knows him")
    assert out["a"]["entity"] == out["b"]["entity"]
    assert _possible(store, out["a"]["entity"]) == []
    assert entity[POLICE] != entity[YOUTH]


def test_not_the_same_is_never_suggested_again(store: Store, tmp_path: Path) -> None:
    entity = _two_kaz(store, tmp_path)
    decide_pair(store, POLICE, YOUTH, "split", "two men: one is in prison")
    now = {f"{m['org']}/{m['report_id']}#{m['ref']}": m["entity"] for m in store.memberships()}
    assert now[POLICE] != now[YOUTH]
    assert _possible(store, now[POLICE]) == []
    assert _possible(store, now[YOUTH]) == []
    assert entity[POLICE] != entity[YOUTH]


def test_weaker_pairs_and_context_alone_are_not_suggested(store: Store, tmp_path: Path) -> None:
    """A "Kaz" who is a woman in her sixties weighs far below the floor; a man with no name
    and no nickname, named with the same girl, shares only context, which never names a
    person."""
    other = report(
        "S1", org="School", agency="education", reported_at="2008-03-01",
        people=[child("c1", "Amy", 14),
                adult("a1", "Kaz", sex="female", age_range="60-69"),
                adult("a2", None)],
        links=[{"from": "a1", "to": "c1", "type": "seen_with"},
               {"from": "a2", "to": "c1", "type": "seen_with"}],
    )
    entity = _two_kaz(store, tmp_path, other)
    found = {p["entity"]["id"] for p in _possible(store, entity[POLICE])}
    assert entity[YOUTH] in found
    assert entity["School/S1#a1"] not in found
    assert entity["School/S1#a2"] not in found
    assert entity["School/S1#a2"] not in {p["entity"]["id"]
                                           for p in _possible(store, entity[YOUTH])}


def test_only_people_are_compared(store: Store, tmp_path: Path) -> None:
    takeaway = {"ref": "l1", "name": "Kebab Corner", "kind": "takeaway", "postcode": "OL16 1AA"}
    r = report("R9", people=[adult("a1", "Kaz")], places=[takeaway],
               links=[{"from": "a1", "to": "l1", "type": "frequents"}])
    entity = _two_kaz(store, tmp_path, r)
    assert _possible(store, entity["Police North/R9#l1"]) == []


def test_a_pair_alike_whose_people_as_wholes_disagree_is_not_offered(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The youth project's "Kaz" shares a phone with a named man in his sixties: one entity.
    Its "Kaz" is as alike to the police's "Kaz" as before, but the two entities' mentions
    across weigh below the mean floor (the resolver's average linkage, with three bits of
    slack), so it is not offered; without that check it would be."""
    import joinedup.resolve.possible as possible

    older = report(
        "H1", org="Health", agency="health", reported_at="2008-03-01", informant="c1",
        people=[child("c1", "Cara Lee", 15),
                adult("a1", "Kaz", name="Darius Kowalczyk", age_range="60-69",
                      phones=["07700900111"])],
        links=[{"from": "a1", "to": "c1", "type": "gave_gifts"}],
    )
    reports = [
        report("R1", informant="c1", people=[child("c1", "Amy", 14), adult("a1", "Kaz")],
               links=[{"from": "a1", "to": "c1", "type": "sexual_contact"}]),
        report("Y1", org="Youth Project", agency="youth_service", reported_at="2008-02-01",
               informant="c1",
               people=[child("c1", "Beth Jones", 15),
                       adult("a1", "Kaz", phones=["07700 900111"])],
               links=[{"from": "a1", "to": "c1", "type": "gave_gifts"}]),
        older,
    ]
    import_file(store, write_jsonl(tmp_path / "r.jsonl", reports))
    process(store)
    entity = {f"{m['org']}/{m['report_id']}#{m['ref']}": m["entity"] for m in store.memberships()}
    assert entity[YOUTH] == entity["Health/H1#a1"] != entity[POLICE]
    assert _possible(store, entity[POLICE]) == []
    model, tf = possible.resolution_model(store)
    monkeypatch.setattr(possible, "MEAN_FLOOR", -100.0)
    [found] = possible.possible_matches(store, entity[POLICE], model, tf)
    assert found.entity == entity[YOUTH]
    assert found.evidence.weight >= POSSIBLE_WEIGHT > found.mean_weight


def test_a_report_added_on_its_own_is_offered_at_once(store: Store, tmp_path: Path) -> None:
    """The incremental path (one new report, no full run) stores the new mention's keys and
    features, so the new "Kaz" and the stored one are offered to each other straight away."""
    from joinedup.pipeline import process_new

    first = [report("R1", informant="c1", people=[child("c1", "Amy", 14), adult("a1", "Kaz")],
                    links=[{"from": "a1", "to": "c1", "type": "sexual_contact"}]),
             report("R2", reported_at="2008-01-20", informant="c1",
                    people=[child("c1", "Dana Fox", 13), adult("a1", "Tiger")],
                    links=[{"from": "a1", "to": "c1", "type": "gave_gifts"}])]
    import_file(store, write_jsonl(tmp_path / "a.jsonl", first))
    process(store)
    later = report("Y1", org="Youth Project", agency="youth_service", reported_at="2008-02-01",
                   informant="c1", people=[child("c1", "Beth Jones", 15), adult("a1", "Kaz")],
                   links=[{"from": "a1", "to": "c1", "type": "gave_gifts"}])
    process_new(store, import_file(store, write_jsonl(tmp_path / "b.jsonl", [later])).reports)
    entity = {f"{m['org']}/{m['report_id']}#{m['ref']}": m["entity"] for m in store.memberships()}
    assert entity[POLICE] != entity[YOUTH]
    assert [p["entity"]["id"] for p in _possible(store, entity[YOUTH])] == [entity[POLICE]]
    assert [p["entity"]["id"] for p in _possible(store, entity[POLICE])] == [entity[YOUTH]]
