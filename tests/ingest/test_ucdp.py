"""UCDP GED rows become conflict-v1 reports, one per source article; rows that cannot be read
come back as errors naming the line and field, and reach the quarantine, never the floor."""

from __future__ import annotations

import csv
import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from joinedup.errors import InputError
from joinedup.ingest.importer import import_records
from joinedup.ingest.ucdp import (
    UcdpEvent,
    distinct_articles,
    load_ucdp_codes,
    read_events,
    read_ucdp,
    split_source_article,
    ucdp_reports,
)
from joinedup.store import Store
from tests.conflict_contract import PRECISIONS, ROLES, TARGETS, contract_problems

SLICE = Path(__file__).parents[1] / "data" / "ucdp" / "ged_aleppo_2016_slice.csv"


@pytest.fixture(scope="module")
def reports() -> list[dict[str, Any]]:
    found, errors = ucdp_reports(SLICE)
    assert errors == []
    return found


def of_event(reports: list[dict[str, Any]], ucdp_id: int) -> list[dict[str, Any]]:
    return [r for r in reports if r["extra"]["ucdp_id"] == ucdp_id]


def header() -> list[str]:
    with SLICE.open(newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def row_of(ucdp_id: int) -> dict[str, str]:
    with SLICE.open(newline="", encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["id"] == str(ucdp_id))


def write(path: Path, rows: list[dict[str, str] | list[str]]) -> Path:
    columns = header()
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        for row in rows:
            out.writerow([row.get(c, "") for c in columns] if isinstance(row, dict) else row)
    return path


def test_every_source_article_of_the_slice_becomes_a_report_in_the_contract_shape(
    reports: list[dict[str, Any]],
) -> None:
    events = [e for e in read_events(SLICE) if isinstance(e, UcdpEvent)]
    articles = sum(len(distinct_articles(e)) for e in events)
    assert len(events) == 153 and len(reports) == articles == 191
    assert {(r["source"]["org"], r["id"]) for r in reports}.__len__() == len(reports)
    problems = {r["id"]: contract_problems(r) for r in reports}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_un_aid_convoy_at_urum_al_kubra_is_an_attack_on_a_humanitarian_convoy(
    reports: list[dict[str, Any]],
) -> None:
    (convoy,) = of_event(reports, 301214)
    assert convoy["source"] == {"agency": "ngo", "org": "hrw", "document":
                                "HRW, 2016-09-20, Syria: Investigate Attack on UN Aid Convoy"}
    assert convoy["upstream"] == "HRW"
    assert "humanitarian_convoy" in convoy["harm"]["targets"]
    assert "civilians_general" in convoy["harm"]["targets"]  # one-sided violence
    assert (convoy["reported_at"], convoy["occurred_from"], convoy["occurred_to"]) == (
        "2016-09-20", "2016-09-19", "2016-09-19")
    assert convoy["location"]["name"] == "Urum al Kubra town"
    assert convoy["location"]["precision"] == "exact"
    assert convoy["actors"] == [
        {"ref": "a1", "name": "Government of Syria", "role": "alleged_perpetrator"},
        {"ref": "b1", "name": "Civilians", "role": "victim_group"},
    ]
    assert convoy["casualties"] == {"killed": {"min": 21, "max": 21}}
    assert convoy["extra"]["headline"] == "Syria: Investigate Attack on UN Aid Convoy"


def test_each_article_of_the_daqmeesh_event_is_a_report_on_its_own_date_with_its_headline(
    reports: list[dict[str, Any]],
) -> None:
    first, second = of_event(reports, 227058)
    assert (first["id"], second["id"]) == ("ucdp-227058-1", "ucdp-227058-2")
    assert (first["reported_at"], second["reported_at"]) == ("2016-08-18", "2016-08-20")
    assert second["extra"]["headline"] == (
        "Ali Daqmeesh raises the number of children casualties in Aleppo city and its "
        "countryside to 100")
    assert first["harm"]["mechanism"] == "air_strike" and second["harm"]["mechanism"] == "unknown"


def test_strikes_closing_hospitals_name_health_facilities_and_the_upstream_of_the_article(
    reports: list[dict[str, Any]],
) -> None:
    (report,) = of_event(reports, 301184)
    assert report["harm"] == {"mechanism": "air_strike", "targets": ["health_facility"]}
    assert report["upstream"] == "HRW" and report["extra"]["origins"] == ["HRW", "Doctor"]


def test_both_sides_of_a_clash_are_alleged_perpetrators_and_a_coalition_is_split(
    reports: list[dict[str, Any]],
) -> None:
    (report,) = of_event(reports, 214814)
    assert [(a["name"], a["role"]) for a in report["actors"]] == [
        ("Ahrar al-Sham", "alleged_perpetrator"),
        ("Jabhat Fateh al-Sham", "alleged_perpetrator"),
        ("SDF", "alleged_perpetrator"),
    ]
    assert report["extra"]["dyad"] == "Ahrar al-Sham, Jabhat Fateh al-Sham - SDF"
    assert report["extra"]["type_of_violence"] == 2


@pytest.mark.parametrize(("where_prec", "precision"), [
    (1, "exact"), (2, "within_25km"), (3, "district"), (4, "governorate"), (5, "governorate"),
])
def test_where_prec_sets_the_location_precision(
    reports: list[dict[str, Any]], where_prec: int, precision: str
) -> None:
    found = {r["location"]["precision"] for r in reports if r["extra"]["where_prec"] == where_prec}
    assert found == {precision}


def test_the_codes_file_speaks_the_contract_vocabulary() -> None:
    codes = load_ucdp_codes()
    assert set(codes.where_prec) == set(range(1, 8))
    assert set(codes.where_prec.values()) <= PRECISIONS
    for violence in codes.violence.values():
        assert {violence.side_a, violence.side_b} <= ROLES
        assert set(violence.targets) <= TARGETS


def test_a_headline_with_commas_and_quotes_is_one_entry(reports: list[dict[str, Any]]) -> None:
    (report,) = of_event(reports, 215555)
    assert report["extra"]["headline"] == (
        'Four Iranians killed in Syria fighting "Islamic State, takfiris"')
    assert report["source"] == {"agency": "media", "org": "bbc-monitoring", "document":
                                'BBC Monitoring, 2016-02-07, Four Iranians killed in Syria '
                                'fighting "Islamic State, takfiris"'}
    assert report["upstream"] == "Fars News Agency"  # the office is not among the origins


def test_an_entry_without_a_date_is_reported_on_date_end_and_says_so() -> None:
    entries = split_source_article('"SOHR,,Shells on Aleppo";"Reuters,30/09/2016,Strikes, again"')
    assert [(a.office, a.date, a.headline, a.date_text) for a in entries] == [
        ("SOHR", None, "Shells on Aleppo", ""), ("Reuters", None, "Strikes, again", "30/09/2016")]


def test_a_report_falls_back_to_date_end_when_its_article_has_no_date(tmp_path: Path) -> None:
    row = row_of(301214) | {"source_article": '"HRW,,Syria: Investigate Attack on UN Aid Convoy"',
                            "date_end": "2016-09-20", "date_prec": "2"}
    (report,), errors = ucdp_reports(write(tmp_path / "ged.csv", [row]))
    assert errors == [] and report["reported_at"] == "2016-09-20"
    assert "date_end" in report["extra"]["reported_at_fallback"]


def test_an_article_listed_twice_in_one_event_is_one_report(tmp_path: Path) -> None:
    article = '"HRW,2016-09-20,Syria: Investigate Attack on UN Aid Convoy"'
    row = row_of(301214) | {"source_article": f"{article};{article}"}
    (report,), errors = ucdp_reports(write(tmp_path / "ged.csv", [row]))
    assert errors == [] and report["id"] == "ucdp-301214-1"
    assert report["extra"]["also_listed_as"] == [2]
    (event,), _ = ucdp_reports(tmp_path / "ged.csv", view="dataset")
    assert event["derived_from"] == ["hrw/ucdp-301214-1"]


def test_one_article_split_into_two_events_is_one_document_of_its_outlet(tmp_path: Path) -> None:
    # UCDP's coders split an article describing several attacks into several events; the
    # article is one document, however its office is written, and another article is another
    bulletin = '"SOHR,2016-09-20,Raids on Aleppo countryside and shells on Idlib"'
    rows = [row_of(301214) | {"id": "1", "source_article": bulletin},
            row_of(301214) | {"id": "2", "source_article": bulletin.replace("SOHR", "SOHR ")
                              + ';"SOHR,2016-09-21,More raids on Aleppo countryside"'}]
    reports, errors = ucdp_reports(write(tmp_path / "ged.csv", rows))
    assert errors == []
    documents = {r["id"]: (r["source"]["org"], r["source"]["document"]) for r in reports}
    assert documents == {
        "ucdp-1-1": ("sohr", "SOHR, 2016-09-20, Raids on Aleppo countryside and shells on Idlib"),
        "ucdp-2-1": ("sohr", "SOHR, 2016-09-20, Raids on Aleppo countryside and shells on Idlib"),
        "ucdp-2-2": ("sohr", "SOHR, 2016-09-21, More raids on Aleppo countryside"),
    }


def test_death_estimates_out_of_order_keep_the_event_with_the_range_of_the_three(
    reports: list[dict[str, Any]],
) -> None:
    report = of_event(reports, 317832)[0]
    low, best, high = (int(row_of(317832)[k]) for k in ("low", "best", "high"))
    assert not low <= best <= high
    assert report["casualties"]["killed"] == {"min": min(low, best, high),
                                              "max": max(low, best, high)}
    assert "not in order" in report["extra"]["deaths_note"]


def test_the_dataset_view_gives_one_report_per_event_derived_from_its_articles() -> None:
    found, errors = ucdp_reports(SLICE, view="dataset")
    assert errors == [] and len(found) == 153
    (event,) = [r for r in found if r["id"] == "227058"]
    assert event["source"] == {"agency": "dataset", "org": "ucdp-ged"}
    assert event["derived_from"] == ["sohr/ucdp-227058-1", "sohr/ucdp-227058-2"]
    assert event["reported_at"] == "2016-08-20"  # after its last source
    assert all(contract_problems(r) == [] for r in found)


BAD_ROWS: list[tuple[str, dict[str, str] | None, str, str]] = [
    ("a bad date", {"date_start": "2016-02-30"}, "date_start", "not a date"),
    ("a missing id", {"id": ""}, "id", "empty"),
    ("letters for deaths", {"low": "some"}, "low", "not a whole number"),
    ("an unknown precision", {"where_prec": "9"}, "where_prec", "not one of UCDP's codes"),
    ("an end before the start", {"date_end": "2016-09-01"}, "date_end", "before date_start"),
    ("a latitude out of range", {"latitude": "136.1"}, "latitude", "outside"),
    ("a repeated id", {}, "id", "already read on line 2"),
    ("a short row", None, "(row)", "has 3 fields and the header 41"),
]


def test_a_malformed_row_is_an_error_naming_its_line_and_field(tmp_path: Path) -> None:
    good = row_of(301214)
    rows: list[dict[str, str] | list[str]] = [good]
    for _, change, _, _ in BAD_ROWS:
        rows.append(good | change if change is not None else ["1", "2016", "1"])
    rows.append(row_of(227058))
    found, errors = ucdp_reports(write(tmp_path / "ged.csv", rows))
    assert [r["id"] for r in found] == ["ucdp-301214-1", "ucdp-227058-1", "ucdp-227058-2"]
    assert [(e.line, e.field) for e in errors] == [
        (line, field) for line, (_, _, field, _) in enumerate(BAD_ROWS, start=3)]
    for error, (what, _, _, reason) in zip(errors, BAD_ROWS, strict=True):
        assert reason in error.reason, what
        assert error.file.endswith("ged.csv")


def test_a_line_break_inside_a_cell_keeps_the_line_numbers_of_the_rows_after_it(
    tmp_path: Path,
) -> None:
    rows: list[dict[str, str] | list[str]] = [
        row_of(301214) | {"source_original": "HRW\nlocal residents"},
        row_of(227058) | {"date_start": "yesterday"},
    ]
    _, (error,) = ucdp_reports(write(tmp_path / "ged.csv", rows))
    assert (error.line, error.field) == (4, "date_start")


def test_malformed_rows_reach_the_quarantine_with_their_line_and_field(
    store: Store, tmp_path: Path
) -> None:
    good = row_of(301214)
    path = write(tmp_path / "ged.csv", [good | {"date_start": "19/09/2016"}, good | {"id": ""}])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = import_records(store, path.name, digest, read_ucdp(path))
    assert (result.accepted, result.quarantined) == (0, 2)
    assert [(e.line, e.field) for e in result.errors] == [(2, "date_start"), (3, "id")]


def test_a_file_that_is_not_a_ged_csv_is_refused_naming_the_missing_columns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "other.csv"
    path.write_text("event_id_cnty,event_date\nSYR1,2016-09-19\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks id, type_of_violence"):
        read_ucdp(path)


SHIPPED = Path(str(resources.files("joinedup.demo"))) / "ucdp" / "ged_aleppo_2016.csv"


@pytest.mark.slow
def test_the_shipped_aleppo_file_converts_without_a_row_lost() -> None:
    """The real file the demo ships (the Syria file's whole conversion is in bench/incidents.py)."""
    found, errors = ucdp_reports(SHIPPED)
    assert errors == [] and len(found) == 2409
    assert len({r["extra"]["ucdp_id"] for r in found}) == 1975


def test_the_cli_finds_a_ucdp_export_by_its_header_and_imports_it(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from joinedup.cli.app import app
    from joinedup.ingest.importer import dataset_format

    slice_ = Path(__file__).resolve().parents[1] / "data" / "ucdp" / "ged_aleppo_2016_slice.csv"
    assert dataset_format(slice_) == "ucdp"
    db = f"sqlite:///{tmp_path / 'u.db'}"
    first = CliRunner().invoke(app, ["ingest", str(slice_), "--db", db, "--quiet"])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(app, ["ingest", str(slice_), "--db", db, "--quiet"])
    assert again.exit_code == 0 and " 0 accepted" in again.output  # re-importing changes nothing
