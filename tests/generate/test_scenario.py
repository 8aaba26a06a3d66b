"""Tests of the public scenario generator: contract v1 reports and an honest truth file."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from joinedup.errors import InputError
from joinedup.generate import (
    Scenario,
    arrival_key,
    generate_scenario,
    generate_to_files,
    iter_scenario_reports,
    write_scenario,
)
from joinedup.generate import alerts as reference
from joinedup.generate.names import COMMON_NOISE_NICKNAMES, ORIGINS
from joinedup.generate.networks import IMPLIED, PLACE_IMPLIED

_SHARED_VOCABULARY = (
    Path(__file__).resolve().parents[3] / "shared/domain/safeguarding-indicators.yaml"
)
# The contract's file beside the project; a clone without it checks the profile's shipped copy.
VOCABULARY = (_SHARED_VOCABULARY if _SHARED_VOCABULARY.is_file() else
              Path(__file__).resolve().parents[2]
              / "src/joinedup/profiles/safeguarding/indicators.yaml")
AGENCIES = {"police", "social_care", "health", "education", "care_home", "youth_service",
            "voluntary_sector", "family", "other"}
ROLES = {"child", "victim", "person_of_concern", "recruiter", "witness", "parent", "professional"}
LINK_TYPES = {"supplied_alcohol", "supplied_drugs", "gave_gifts", "transported", "sexual_contact",
              "introduced", "seen_with", "taken_to", "frequents", "lives_at", "works_at", "drives",
              "contacted", "controls", "other"}
PLACE_KINDS = {"takeaway", "flat", "hotel", "car_park", "park", "care_home", "school", "house",
               "taxi_rank", "shop", "street"}
PHONE = re.compile(r"^(07700 ?900\d{3}|\+44 7700 900\d{3}|07700-900-\d{3})$")
PLATE = re.compile(r"^[A-Z]{2}\d{2}( ?[A-Z?]{3})?$")
POSTCODE = re.compile(r"^(OL|BD|M)\d{1,2} \d[A-Z]{2}$")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return generate_scenario(seed=11, reports=3000)


def key(report: dict[str, Any]) -> str:
    return f"{report['source']['org']}/{report['id']}"


def test_same_seed_gives_identical_output() -> None:
    a = generate_scenario(seed=5, reports=400)
    b = generate_scenario(seed=5, reports=400)
    assert json.dumps(a.reports) == json.dumps(b.reports)
    assert json.dumps(a.truth) == json.dumps(b.truth)


def test_different_seeds_differ() -> None:
    a = generate_scenario(seed=5, reports=400)
    b = generate_scenario(seed=6, reports=400)
    assert json.dumps(a.reports) != json.dumps(b.reports)


def test_report_count_and_noise_share_are_exact(scenario: Scenario) -> None:
    assert len(scenario.reports) == 3000
    assert len(scenario.truth["noise_reports"]) == 1500
    assert len(scenario.truth["networks"]) == 50


def test_reports_are_in_arrival_order(scenario: Scenario) -> None:
    keys = [arrival_key(r) for r in scenario.reports]
    assert keys == sorted(keys)


def test_every_report_has_a_unique_org_and_id(scenario: Scenario) -> None:
    keys = [key(r) for r in scenario.reports]
    assert len(keys) == len(set(keys))


def test_reports_follow_contract_v1(scenario: Scenario) -> None:
    start, end = "2007-01-01", "2008-12-31T23:59:59"
    for r in scenario.reports:
        assert r["profile"] == "safeguarding"
        assert r["source"]["agency"] in AGENCIES
        assert start <= r["reported_at"] <= end
        assert r["narrative"].strip()
        for person in r["people"]:
            assert person["role"] in ROLES
            for phone in person.get("phones", ()):
                assert PHONE.match(phone), phone
            for vehicle in person.get("vehicles", ()):
                assert PLATE.match(vehicle["reg"].upper()), vehicle
        for place in r["places"]:
            assert place["kind"] in PLACE_KINDS
            assert "postcode" not in place or POSTCODE.match(place["postcode"]), place
        assert all(link["type"] in LINK_TYPES for link in r["links"])


def test_every_ref_used_exists_in_its_report(scenario: Scenario) -> None:
    for r in scenario.reports:
        refs = [m["ref"] for m in r["people"] + r["places"]]
        assert len(refs) == len(set(refs))
        for link in r["links"]:
            assert link["from"] in refs and link["to"] in refs
        assert r.get("informant") is None or r["informant"] in refs
        for item in r["indicators"]:
            assert isinstance(item, str) or item["about"] in refs


def test_every_indicator_is_in_the_vocabulary_with_the_same_weight(scenario: Scenario) -> None:
    entries = yaml.safe_load(VOCABULARY.read_text())["indicators"]
    weights = {e["id"]: e["weight"] for e in entries}
    used = {i if isinstance(i, str) else i["id"] for r in scenario.reports
            for i in r["indicators"]}
    assert used <= set(weights)
    assert set(weights) == reference.INDICATORS
    for name, group in (("significant", reference.SIGNIFICANT), ("general", reference.GENERAL),
                        ("vulnerability", reference.VULNERABILITY),
                        ("moderate", reference.MODERATE)):
        assert {i for i, w in weights.items() if w == name} == group


def test_truth_covers_every_mention(scenario: Scenario) -> None:
    truth = scenario.truth
    for r in scenario.reports:
        for m in r["people"] + r["places"]:
            identity = truth["mentions"][f"{key(r)}#{m['ref']}"]
            assert identity in truth["identities"]
        for person in r["people"]:
            for i in range(len(person.get("vehicles", ()))):
                assert truth["vehicles"][f"{key(r)}#{person['ref']}#v{i}"] in truth["identities"]
            for i in range(len(person.get("phones", ()))):
                assert truth["phones"][f"{key(r)}#{person['ref']}#p{i}"] in truth["identities"]
    mentions = sum(len(r["people"]) + len(r["places"]) for r in scenario.reports)
    assert len(truth["mentions"]) == mentions


def test_each_name_origin_appears_for_children_and_persons_of_concern() -> None:
    truth = generate_scenario(seed=2, reports=10_000).truth
    origins: dict[str, set[str]] = defaultdict(set)
    for identity in truth["identities"].values():
        if identity["type"] == "person":
            origins[identity["role"]].add(identity["origin"])
    assert origins["child"] == set(ORIGINS)
    assert origins["person_of_concern"] == set(ORIGINS)


def test_noise_uses_common_nicknames_in_several_towns(scenario: Scenario) -> None:
    truth = scenario.truth
    noise = set(truth["noise_reports"])
    towns: dict[str, set[str]] = defaultdict(set)
    for r in scenario.reports:
        if key(r) not in noise:
            continue
        for person in r["people"]:
            identity = truth["identities"][truth["mentions"][f"{key(r)}#{person['ref']}"]]
            for nick in identity.get("nicknames", ()):
                towns[nick].add(identity["town"])
    common = [n for n in COMMON_NOISE_NICKNAMES if len(towns[n]) >= 3]
    assert len(common) >= 3


def test_noise_people_never_belong_to_a_network(scenario: Scenario) -> None:
    truth = scenario.truth
    noise = set(truth["noise_reports"])
    for r in scenario.reports:
        if key(r) in noise:
            for m in r["people"] + r["places"]:
                identity = truth["mentions"][f"{key(r)}#{m['ref']}"]
                assert truth["identities"][identity]["network"] is None


def test_derived_reports_exist_and_point_to_earlier_reports(scenario: Scenario) -> None:
    by_key = {key(r): r for r in scenario.reports}
    derived = [r for r in scenario.reports if r.get("derived_from")]
    assert len(derived) > 50
    assert any("/" in d for r in derived for d in r["derived_from"])
    assert any("/" not in d for r in derived for d in r["derived_from"])
    for r in derived:
        for ref in r["derived_from"]:
            original = by_key[ref if "/" in ref else f"{r['source']['org']}/{ref}"]
            assert arrival_key(original) < arrival_key(r)
            assert not original.get("derived_from")


def test_the_answer_key_ties_a_child_to_a_place_as_the_profile_does() -> None:
    """Three children with warning signs who live at one care home make no hotspot of it in the
    answer key, as in the engine (profile: lives_at ties no child); three children taken to one
    flat do (before, the key counted where a child lives and the engine never could: structured
    run of seed 304 at 300 reports)."""
    from joinedup.profiles import load_profile

    profile = load_profile("safeguarding")
    assert {
        t for t in profile.link_types if not profile.ties_child(t)} == reference.CONTEXT_ONLY_LINKS

    def at_home(i: int, link: str) -> dict[str, Any]:
        return {"id": f"R{i}", "source": {"agency": "care_home", "org": "home"},
                "reported_at": f"2008-01-0{i}",
                "people": [{"ref": "c", "role": "child", "name": f"Child {i}"}],
                "places": [{"ref": "h", "name": "Brook Court", "kind": "care_home"}],
                "links": [{"from": "c", "to": "h", "type": link}],
                "indicators": ["associates_with_unknown_adults"]}

    for link, hotspots in (("lives_at", 0), ("taken_to", 1)):
        reports = [at_home(i, link) for i in (1, 2, 3)]
        mentions = {f"home/R{i}#{ref}": who for i in (1, 2, 3)
                    for ref, who in (("c", f"person:{i}"), ("h", "place:9"))}
        found = reference.Evaluator(mentions, {}, {}).run(reports)
        assert [x["subject"] for x in found if x["rule"] == "place_hotspot"] == (
            ["place:9"] * hotspots), link


def test_every_network_has_an_expected_alert_with_a_real_earliest_report(
        scenario: Scenario) -> None:
    by_key = {key(r): r for r in scenario.reports}
    rules = set()
    for network in scenario.truth["networks"]:
        assert network["expected_alerts"], network["id"]
        for alert in network["expected_alerts"]:
            rules.add(alert["rule"])
            report = by_key[alert["earliest_report"]]
            assert not report.get("derived_from")
            assert alert["subject"] in scenario.truth["identities"]
    assert rules == {"linked_children", "place_hotspot", "shared_vehicle_or_phone",
                     "cross_agency_risk", "possible_recruiter"}


def test_noise_gives_no_expected_alert(scenario: Scenario) -> None:
    assert scenario.truth["noise_expected_alerts"] == []


def _implied(report: dict[str, Any], child: str) -> set[str]:
    """The signs a network report's own fields imply about the child ``child`` (a ref), worked
    out from the fields: each link from an adult, and his taxi, each network place the child is
    linked to, a placing council named, the child living at a care home."""
    people = {p["ref"]: p for p in report["people"]}
    places = {p["ref"]: p for p in report["places"]}
    placed = "placing_authority" in people[child].get("attributes", {})
    signs = {"looked_after"} if placed else set()
    for link in report["links"]:
        if link["to"] == child and link["type"] in IMPLIED:
            signs.add(IMPLIED[link["type"]])
            if link["type"] == "seen_with" and report["source"]["agency"] == "police":
                signs.add("associates_with_suspects")
            if any(v.get("kind") == "taxi" for v in people[link["from"]].get("vehicles", [])):
                signs.add("hotel_taxi_takeaway_links")
        elif link["from"] == child and link["to"] in places:
            kind = places[link["to"]].get("kind", "")
            signs |= {"looked_after"} if link["type"] == "lives_at" else set(
                PLACE_IMPLIED.get(kind, ()))
    return signs


def _network_child_reports(scenario: Scenario) -> list[tuple[dict[str, Any], str]]:
    """(report, child ref) of every original report of a planted network that is about one of
    its children."""
    children = {c for n in scenario.truth["networks"] for c in n["children"]}
    noise = set(scenario.truth["noise_reports"])
    out = []
    for r in scenario.reports:
        if r.get("derived_from") or key(r) in noise or not r["people"]:
            continue
        ref = r["people"][0]["ref"]
        if scenario.truth["mentions"][f"{key(r)}#{ref}"] in children:
            out.append((r, ref))
    return out


def test_a_network_report_ticks_every_sign_its_fields_imply(scenario: Scenario) -> None:
    """A report that links a man to the child by giving her alcohol says "alcohol supplied",
    as its prose does (issue 5: read as narratives only, a sign left unticked would add to one
    agency's score what its structured report never gave)."""
    reports = _network_child_reports(scenario)
    assert len(reports) > 1000
    for report, child in reports:
        ticked = {i for i in report["indicators"] if isinstance(i, str)}
        assert _implied(report, child) <= ticked, key(report)


def test_no_single_agency_reaches_the_high_risk_band(scenario: Scenario) -> None:
    """Counting the signs each report's fields imply, which it ticks: the cross-agency risk
    band is reached only by several agencies together."""
    truth = scenario.truth
    seen: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for r in scenario.reports:
        if r.get("derived_from"):
            continue
        children = [m["ref"] for m in r["people"] if m["role"] in reference.CHILD_ROLES]
        day = date.fromisoformat(r["reported_at"][:10]).toordinal()
        for item in r["indicators"]:
            ref = item["about"] if isinstance(item, dict) else children[0]
            if ref not in children:
                continue
            child = truth["mentions"][f"{key(r)}#{ref}"]
            held = seen[(child, r["source"]["agency"])]
            held[item if isinstance(item, str) else item["id"]] = day
            assert reference.score(held, day) < reference.HIGH_RISK


def test_streamed_files_equal_the_in_memory_scenario(tmp_path: Path) -> None:
    s = generate_scenario(seed=9, reports=500)
    write_scenario(s, tmp_path / "a.jsonl", tmp_path / "a.json")
    generate_to_files(tmp_path / "b.jsonl", tmp_path / "b.json", seed=9, reports=500)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    lines = (tmp_path / "a.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == s.reports


def test_children_and_networks_can_be_set() -> None:
    s = generate_scenario(seed=4, reports=600, networks=3, children=12, noise_ratio=0.3)
    assert len(s.truth["networks"]) == 3
    assert sum(len(n["children"]) for n in s.truth["networks"]) == 12
    assert len(s.truth["noise_reports"]) == 180


def test_impossible_sizes_are_refused() -> None:
    with pytest.raises(InputError):
        generate_scenario(seed=1, reports=10, networks=4)
    with pytest.raises(InputError):
        generate_scenario(seed=1, reports=100, networks=3, children=5)


def test_ten_thousand_reports_generate() -> None:
    assert sum(1 for _ in iter_scenario_reports(seed=1, reports=10_000)) == 10_000
