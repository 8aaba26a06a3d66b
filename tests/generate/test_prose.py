"""A scenario delivered as narratives only: the envelope kept, everything else said in prose."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest

from joinedup.generate import Scenario, generate_scenario, narratives_only
from joinedup.generate.networks import IMPLIED, PLACE_IMPLIED, POOLS
from joinedup.generate.noise import WELFARE
from joinedup.generate.prose import MONTHS, SIGNS

SEED = 6


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return generate_scenario(seed=SEED, reports=400)


@pytest.fixture(scope="module")
def bare(scenario: Scenario) -> list[dict[str, Any]]:
    return narratives_only(scenario.reports, SEED)


def test_a_narrative_only_report_keeps_only_its_envelope_and_its_prose(
    scenario: Scenario, bare: list[dict[str, Any]]
) -> None:
    for report, told in zip(scenario.reports, bare, strict=True):
        kept = {"id", "profile", "source", "reported_at", "derived_from"} & report.keys()
        assert set(told) == kept | {"narrative"}
        assert all(told[k] == report[k] for k in kept)


def test_every_sign_the_generator_writes_has_several_wordings() -> None:
    written = {i for pool in (*POOLS.values(), *WELFARE.values()) for i in pool}
    written |= set(IMPLIED.values()) | {s for signs in PLACE_IMPLIED.values() for s in signs}
    written |= {"associates_with_suspects"}
    assert written <= SIGNS.keys()
    assert all(len(SIGNS[i]) >= 2 for i in written)


def _facts(report: dict[str, Any]) -> list[str]:
    """The literal facts of a report's fields: names, nicknames, numbers, plates, places."""
    out = []
    for p in report.get("people") or []:
        out += [str(p[k]) for k in ("name", "age") if p.get(k) is not None]
        out += [str(a) for a in p.get("aliases") or []]
        out += [str(n) for n in p.get("phones") or []]
        out += [str(v["reg"]).upper().rstrip("?").strip() for v in p.get("vehicles") or []]
        out += [str(v[k]) for v in p.get("vehicles") or [] for k in ("make", "colour") if k in v]
        out += [str(i) for i in (p.get("identifiers") or {}).values()]
        out += [str(p["description"])] if p.get("description") else []
    for place in report.get("places") or []:
        out += [str(place[k]) for k in ("name", "address", "postcode") if place.get(k)]
    return out


def test_the_prose_says_every_name_nickname_number_plate_and_place(
    scenario: Scenario, bare: list[dict[str, Any]]
) -> None:
    for report, told in zip(scenario.reports, bare, strict=True):
        missing = [f for f in _facts(report) if f not in told["narrative"]]
        assert missing == [], (told["narrative"], missing)


def test_the_prose_says_when_and_each_sign(scenario: Scenario, bare: list[dict[str, Any]]
                                          ) -> None:
    for report, told in zip(scenario.reports, bare, strict=True):
        text = told["narrative"]
        for field in ("occurred_from", "occurred_to"):
            if report.get(field):
                year, month = report[field][:4], int(report[field][5:7])
                assert f"{MONTHS[month - 1]} {year}" in text, (field, text)
        for sign in report["indicators"]:
            if isinstance(sign, str):
                assert any(_said(w, text) for w in SIGNS[sign]), (sign, text)


def _said(wording: str, text: str) -> bool:
    """Whether ``text`` has ``wording`` with its slots (she, her, Chloe's...) filled in."""
    pattern = re.sub(r"\\\{\w+\\\}", lambda _: r"[\w']+", re.escape(wording))
    return re.search(pattern, text.replace(" also ", " ")) is not None


def test_what_a_child_told_is_said_of_her_or_him(scenario: Scenario,
                                                bare: list[dict[str, Any]]) -> None:
    """A child who gives the account and whose sex the report gives is "she" or "he" in what
    she told, as a writer has it ("Hodan told a project worker that she has been seen"), not
    named again ("... that Hodan has been seen"), which would leave her sex unsaid."""
    told_by_child = 0
    for report, told in zip(scenario.reports, bare, strict=True):
        people = {p["ref"]: p for p in report.get("people") or []}
        child = people.get(str(report.get("informant") or ""))
        if child is None or child["role"] != "child" or child.get("sex") is None:
            continue
        first = str(child.get("name") or "").split(" ")[0]
        if not first:
            continue
        told_by_child += 1
        leads = (f"{first} told", "She told", "He told", "She said", "He said", "she said",
                 "he said")
        for lead in leads:
            assert not re.search(rf"{lead} [\w ]*that {re.escape(first)}\b", told["narrative"]
                                 ), told["narrative"]
    assert told_by_child > 50


def test_each_fact_is_worded_in_more_than_one_way(bare: list[dict[str, Any]]) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for told in bare:
        text = told["narrative"]
        for sign, wordings in SIGNS.items():
            for wording in wordings:
                if wording.split("{")[0] and wording.split("{")[0] in text:
                    seen[sign].add(wording)
        for cue in ("known as", "who calls himself", "knows as", "who goes by", "named",
                    "called"):
            if f" {cue} " in text:
                seen["nickname or name"].add(cue)
    assert sum(1 for wordings in seen.values() if len(wordings) > 1) >= 10
    assert len(seen["nickname or name"]) >= 4


def test_two_people_of_one_first_name_are_each_said_again_by_their_whole_name() -> None:
    """A report naming Bethany, the child, and Bethany Whitehead, who introduced her, says
    "Bethany Whitehead's date of birth" and "Bethany is often at" so a reader can tell whom
    each sentence is about (narratives seed 255)."""
    from random import Random

    from joinedup.generate.prose import Writer

    report = {"id": "R1", "source": {"agency": "police", "org": "o"}, "people": [
        {"ref": "p1", "role": "child", "name": "Bethany", "sex": "female"},
        {"ref": "p2", "role": "recruiter", "name": "Bethany Whitehead", "age": 16},
        {"ref": "p3", "role": "person_of_concern", "aliases": ["Tiger"]}]}
    writer = Writer(report, Random(1))
    assert [writer.first(p) for p in report["people"]] == [
        "Bethany", "Bethany Whitehead", "'Tiger'"]
    report["people"][1]["name"] = "Chloe Whitehead"
    assert Writer(report, Random(1)).first(report["people"][1]) == "Chloe"


def test_the_same_seed_tells_the_same_story(scenario: Scenario,
                                            bare: list[dict[str, Any]]) -> None:
    assert narratives_only(scenario.reports, SEED) == bare
    assert narratives_only(scenario.reports, SEED + 1) != bare
