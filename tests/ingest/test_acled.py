"""ACLED rows become conflict-v1 reports in ACLED's name: dates widened by time precision, places
by geo precision, mechanisms by sub-event type; rows that cannot be read are errors with line and
field. The file is fictional: ACLED's data are not shipped."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from joinedup.errors import InputError
from joinedup.ingest.acled import acled_reports, load_acled_codes, read_acled
from tests.conflict_contract import MECHANISMS, PRECISIONS, TARGETS, contract_problems

FICTIONAL = Path(__file__).parents[1] / "data" / "acled" / "acled_fictional.csv"


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    found, errors = acled_reports(FICTIONAL)
    assert errors == []
    return {r["id"]: r for r in found}


def rows() -> list[dict[str, str]]:
    with FICTIONAL.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, table: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=list(table[0]))
        out.writeheader()
        out.writerows(table)
    return path


def test_every_event_is_one_report_in_acleds_name_in_the_contract_shape(
    reports: dict[str, dict[str, Any]],
) -> None:
    assert sorted(reports) == [f"ARV10{i}" for i in range(1, 9)]
    assert {r["source"]["org"] for r in reports.values()} == {"acled"}
    assert {r["source"]["agency"] for r in reports.values()} == {"dataset"}
    assert {k: contract_problems(r) for k, r in reports.items() if contract_problems(r)} == {}


@pytest.mark.parametrize(("event", "occurred"), [
    ("ARV101", ("2016-09-19", "2016-09-19")),  # 1: the day
    ("ARV102", ("2016-09-15", "2016-09-27")),  # 2: every week that holds the day
    ("ARV103", ("2016-10-01", "2016-10-31")),  # 3: the month
    ("ARV107", ("2016-09-19", "2016-09-19")),  # a date written "19 September 2016"
])
def test_time_precision_widens_the_window_around_the_event_date(
    reports: dict[str, dict[str, Any]], event: str, occurred: tuple[str, str]
) -> None:
    assert (reports[event]["occurred_from"], reports[event]["occurred_to"]) == occurred


@pytest.mark.parametrize(("event", "precision"), [
    ("ARV101", "exact"), ("ARV102", "within_25km"), ("ARV103", "governorate"),
])
def test_geo_precision_sets_the_location_precision(
    reports: dict[str, dict[str, Any]], event: str, precision: str
) -> None:
    assert reports[event]["location"]["precision"] == precision


def test_a_strike_on_a_field_hospital_names_health_targets_and_the_civilians_as_victims(
    reports: dict[str, dict[str, Any]],
) -> None:
    strike = reports["ARV101"]
    assert strike["harm"]["mechanism"] == "air_strike"
    assert {"civilians_general", "health_facility", "health_personnel", "patients"} <= set(
        strike["harm"]["targets"])
    assert [(a["name"], a["role"]) for a in strike["actors"]] == [
        ("Military Forces of Arvenia (2001-)", "alleged_perpetrator"),
        ("Civilians (Arvenia)", "victim_group"),
        ("Health Workers (Arvenia)", "victim_group"),
        ("Patients (Arvenia)", "victim_group"),
    ]
    assert strike["casualties"] == {"killed": 4}
    assert strike["reported_at"] == "2016-09-20"  # the timestamp's day
    assert strike["upstream"] == "Tahir Monitor for Human Rights"
    assert strike["extra"]["origins"] == ["Tahir Monitor for Human Rights", "Qasr News"]
    assert strike["narrative"].startswith("On 19 September 2016, warplanes")


@pytest.mark.parametrize(("event", "mechanism"), [
    ("ARV102", "shelling"), ("ARV103", "ground_attack"), ("ARV104", "abduction"),
    ("ARV105", "looting"), ("ARV107", "chemical"),
    ("ARV106", "drone_strike"),  # "Air/drone strike" made precise by "drone" in the notes
])
def test_the_sub_event_type_gives_the_mechanism(
    reports: dict[str, dict[str, Any]], event: str, mechanism: str
) -> None:
    assert reports[event]["harm"]["mechanism"] == mechanism


def test_an_abducted_convoy_driver_is_an_attack_on_aid(reports: dict[str, dict[str, Any]]) -> None:
    assert set(reports["ARV104"]["harm"]["targets"]) == {
        "civilians_general", "aid_worker", "humanitarian_convoy"}


def test_a_peaceful_protest_is_no_harm_and_accuses_nobody(
    reports: dict[str, dict[str, Any]],
) -> None:
    protest = reports["ARV108"]
    assert "harm" not in protest
    assert protest["actors"] == [{"ref": "a1-1", "name": "Protesters (Arvenia)"}]


def test_a_missing_timestamp_falls_back_to_the_event_date_and_says_so(
    reports: dict[str, dict[str, Any]],
) -> None:
    shelling = reports["ARV102"]
    assert shelling["reported_at"] == "2016-09-21"
    assert "event_date" in shelling["extra"]["reported_at_fallback"]


def test_the_codes_file_speaks_the_contract_vocabulary() -> None:
    codes = load_acled_codes()
    assert {m for m in codes.mechanisms.values() if m} <= MECHANISMS
    assert set(codes.precision.values()) <= PRECISIONS
    assert {t for ts in codes.civilian_targeting.values() for t in ts} <= TARGETS
    assert set(codes.actor_targets.values()) <= TARGETS
    assert {m for ms in codes.refine.values() for m in ms} | set(codes.refine) <= MECHANISMS
    assert all(codes.mechanisms.get(s) for s in ("Air/drone strike", "Armed clash", "Attack"))


BAD = [
    ({"event_date": "2016-13-40"}, "event_date", "not a date"),
    ({"event_id_cnty": ""}, "event_id_cnty", "empty"),
    ({"time_precision": "4"}, "time_precision", "not one of ACLED's codes"),
    ({"geo_precision": "x"}, "geo_precision", "not one of ACLED's codes"),
    ({"fatalities": "dozens"}, "fatalities", "not a whole number"),
    ({"longitude": "-725.0"}, "longitude", "outside"),
    ({}, "event_id_cnty", "already read on line 2"),
]


def test_a_malformed_row_is_an_error_naming_its_line_and_field(tmp_path: Path) -> None:
    good = rows()[0]
    table = [good] + [good | change for change, _, _ in BAD] + [rows()[1]]
    found, errors = acled_reports(write(tmp_path / "acled.csv", table))
    assert [r["id"] for r in found] == ["ARV101", "ARV102"]
    assert [(e.line, e.field) for e in errors] == [
        (line, field) for line, (_, field, _) in enumerate(BAD, start=3)]
    for error, (_, _, reason) in zip(errors, BAD, strict=True):
        assert reason in error.reason


def test_a_file_that_is_not_an_acled_export_is_refused_naming_the_missing_columns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ged.csv"
    path.write_text("id,date_start\n1,2016-09-19\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks event_id_cnty, event_date"):
        read_acled(path)
