"""Alerts from small scenarios, on both stores: each rule, its evidence and ``raised_by``."""

from __future__ import annotations

from pathlib import Path

from joinedup.cli.render import alerts_json
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from tests.factories import adult, child, report, write_jsonl

TAKEAWAY = {"ref": "t", "name": "Sunrise Kebabs", "kind": "takeaway", "postcode": "OL16 1AA"}


def _run(store: Store, tmp_path: Path, reports: list[dict]) -> list[dict]:
    import_file(store, write_jsonl(tmp_path / "in.jsonl", reports))
    process(store)
    return alerts_json(store)


def _by_rule(alerts: list[dict], rule: str) -> list[dict]:
    return [a for a in alerts if a["rule"] == rule]


def _tiger_reports() -> list[dict]:
    return [
        report(
            "p1",
            reported_at="2008-01-10",
            informant="c1",
            people=[child("c1", "Amy"), adult("a1", "Tiger")],
            places=[dict(TAKEAWAY)],
            links=[{"from": "a1", "to": "c1", "type": "supplied_alcohol"}],
        ),
        report(
            "h1",
            org="Crisis Team",
            agency="health",
            reported_at="2008-03-02",
            informant="c2",
            people=[child("c2", "Beth", 15), adult("a1", "Tiger")],
            places=[dict(TAKEAWAY)],
            links=[{"from": "a1", "to": "c2", "type": "gave_gifts"}],
        ),
    ]


def test_person_linked_to_two_children_by_independent_informants_raises_an_alert(
    store: Store, tmp_path: Path
) -> None:
    alerts = _by_rule(_run(store, tmp_path, _tiger_reports()), "linked_children")
    assert len(alerts) == 1
    a = alerts[0]
    assert a["subject"]["label"] == "'Tiger'"
    assert a["evidence"] == ["p1", "h1"] and a["agencies"] == ["health", "police"]
    assert a["informants"] == 2
    assert a["raised_by"]["report"] == "h1"
    assert a["raised_by"]["reported_at"].startswith("2008-03-02")


def test_one_informant_naming_two_children_is_not_corroboration(
    store: Store, tmp_path: Path
) -> None:
    one = report(
        "p1",
        informant="c1",
        people=[child("c1", "Amy"), child("c2", "Beth", 15), adult("a1", "Tiger")],
        links=[
            {"from": "a1", "to": "c1", "type": "supplied_alcohol"},
            {"from": "a1", "to": "c2", "type": "supplied_alcohol"},
        ],
    )
    assert _by_rule(_run(store, tmp_path, [one]), "linked_children") == []


def test_derived_report_is_not_independent(store: Store, tmp_path: Path) -> None:
    first, second = _tiger_reports()
    second["derived_from"] = ["Police North/p1"]
    assert _by_rule(_run(store, tmp_path, [first, second]), "linked_children") == []


def test_vehicle_with_partial_plate_linked_to_two_children_raises_an_alert(
    store: Store, tmp_path: Path
) -> None:
    reports = [
        report(
            "p1",
            reported_at="2008-01-10",
            informant="c1",
            people=[
                child("c1", "Amy"),
                adult("a1", None, vehicles=[{"reg": "MA08 XKE", "kind": "taxi"}]),
            ],
            links=[{"from": "a1", "to": "c1", "type": "transported"}],
        ),
        report(
            "s1",
            org="School",
            agency="education",
            reported_at="2008-02-01",
            people=[
                child("c2", "Cara", 13),
                adult("a2", None, vehicles=[{"reg": "MA08 X??"}], age_range="40-49"),
            ],
            links=[{"from": "a2", "to": "c2", "type": "transported"}],
        ),
    ]
    alerts = _by_rule(_run(store, tmp_path, reports), "shared_vehicle_or_phone")
    assert [a["subject"]["type"] for a in alerts] == ["vehicle"]
    assert alerts[0]["subject"]["label"] == "MA08XKE"
    assert alerts[0]["raised_by"]["report"] == "s1"


def test_place_linked_to_three_exploited_children_within_a_year_is_a_hotspot(
    store: Store, tmp_path: Path
) -> None:
    reports = [
        report(
            f"r{i}",
            org=f"Org {i}",
            reported_at=f"2008-0{i + 1}-05",
            informant="c",
            people=[child("c", name, 14)],
            places=[dict(TAKEAWAY)],
            links=[{"from": "c", "to": "t", "type": "frequents"}],
            indicators=["alcohol_supplied"],
        )
        for i, name in enumerate(["Amy", "Beth", "Cara"])
    ]
    alerts = _by_rule(_run(store, tmp_path, reports), "place_hotspot")
    assert len(alerts) == 1 and alerts[0]["subject"]["type"] == "place"
    assert alerts[0]["raised_by"]["report"] == "r2"


def test_a_place_merely_named_in_welfare_notes_is_not_a_hotspot(
        store: Store, tmp_path: Path) -> None:
    reports = [
        report(f"r{i}", org=f"Org {i}", reported_at=f"2008-0{i + 1}-05", informant="c",
               people=[child("c", name, 14)], places=[dict(TAKEAWAY)],
               indicators=["alcohol_supplied"])
        for i, name in enumerate(["Amy", "Beth", "Cara"])
    ]
    assert _by_rule(_run(store, tmp_path, reports), "place_hotspot") == []


def test_place_with_children_more_than_a_year_apart_is_not_a_hotspot(
    store: Store, tmp_path: Path
) -> None:
    reports = [
        report(
            f"r{i}",
            org=f"Org {i}",
            reported_at=f"{2006 + i}-03-05",
            informant="c",
            people=[child("c", name, 14)],
            places=[dict(TAKEAWAY)],
            links=[{"from": "c", "to": "t", "type": "frequents"}],
            indicators=["alcohol_supplied"],
        )
        for i, name in enumerate(["Amy", "Beth", "Cara"])
    ]
    assert _by_rule(_run(store, tmp_path, reports), "place_hotspot") == []


def test_child_at_risk_across_agencies_but_not_in_any_one_raises_an_alert(
    store: Store, tmp_path: Path
) -> None:
    amy = {
        "ref": "c",
        "role": "child",
        "name": "Amy Shaw",
        "age": 14,
        "sex": "female",
        "identifiers": {"council_child_id": "MV-1"},
    }
    reports = [
        report(
            "p1",
            reported_at="2008-01-10",
            people=[dict(amy)],
            indicators=["missing_overnight", "alcohol_supplied"],
        ),
        report(
            "h1",
            org="Clinic",
            agency="health",
            reported_at="2008-02-10",
            people=[dict(amy)],
            indicators=["sti_repeat", "pregnancy_or_termination"],
        ),
    ]
    alerts = _by_rule(_run(store, tmp_path, reports), "cross_agency_risk")
    assert len(alerts) == 1
    assert alerts[0]["raised_by"]["report"] == "h1"
    assert alerts[0]["explanation"]["by_agency"] == {"police": 10, "health": 10}


def test_young_person_who_introduced_two_children_is_a_possible_recruiter(
    store: Store, tmp_path: Path
) -> None:
    rec = {"ref": "r", "role": "recruiter", "name": "Jade Moss", "dob": "1992-11-03",
           "sex": "female"}
    reports = [
        report(
            "p1",
            reported_at="2008-01-10",
            informant="c",
            people=[child("c", "Amy"), dict(rec)],
            links=[{"from": "r", "to": "c", "type": "introduced"}],
        ),
        report(
            "s1",
            org="School",
            agency="education",
            reported_at="2008-04-10",
            informant="c",
            people=[child("c", "Cara", 13), dict(rec)],
            links=[{"from": "r", "to": "c", "type": "introduced"}],
        ),
    ]
    alerts = _by_rule(_run(store, tmp_path, reports), "possible_recruiter")
    assert len(alerts) == 1 and alerts[0]["subject"]["label"] == "Jade Moss"
    assert alerts[0]["level"] == "medium"
