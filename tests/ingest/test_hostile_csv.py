"""Hostile rows of ACLED and UCDP CSV exports never end an import: the bad row is quarantined
with its text, its field and a reason, and the good rows of the same file are imported.

Each case here once ended the whole import with a traceback (a number ``int`` or ``date`` could
not take, a count the store could not write, a cell that exhausted the stack), or quarantined a
row without its text.
"""

from __future__ import annotations

import csv
import time
import tracemalloc
from pathlib import Path

import pytest

from joinedup.ingest import acled, ucdp
from joinedup.ingest.acled import COLUMNS, acled_reports
from joinedup.ingest.csv_rows import read_rows
from joinedup.ingest.importer import ImportResult, import_dataset
from joinedup.ingest.outlets import load_outlets
from joinedup.ingest.ucdp import ucdp_reports
from joinedup.store import Store

SLICE = Path(__file__).parents[1] / "data" / "ucdp" / "ged_aleppo_2016_slice.csv"
ACLED_COLUMNS = (*COLUMNS, "timestamp")
GOOD = {
    "event_date": "2016-09-19", "time_precision": "1", "sub_event_type": "Air/drone strike",
    "actor1": "Military Forces of Syria", "assoc_actor_1": "", "inter1": "1",
    "actor2": "Civilians (Syria)", "assoc_actor_2": "", "inter2": "7",
    "civilian_targeting": "Civilian targeting", "admin1": "Aleppo", "admin2": "Jebel Saman",
    "location": "Aleppo", "latitude": "36.2", "longitude": "37.1", "geo_precision": "1",
    "source": "SOHR", "notes": "An air strike hit a school.", "fatalities": "3",
    "timestamp": "1600000000",
}
SOHR_1100 = " ".join(["SOHR"] * 1100)  # ~5.5 KB; once a RecursionError after half a minute


def _acled(path: Path, bad: dict[str, str]) -> Path:
    """An export of a good event, the bad one (``BAD``) and another good event."""
    rows = [GOOD | {"event_id_cnty": "GOOD1"}, GOOD | {"event_id_cnty": "BAD"} | bad,
            GOOD | {"event_id_cnty": "GOOD2"}]
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(ACLED_COLUMNS)
        out.writerows([row[c] for c in ACLED_COLUMNS] for row in rows)
    return path


def _ucdp(path: Path, bad: dict[str, str]) -> tuple[Path, list[str]]:
    """The slice's first two events around one changed by ``bad``; the good events' ids."""
    with SLICE.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        first, second, third = next(reader), next(reader), next(reader)
        columns = list(reader.fieldnames or ())
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, columns)
        out.writeheader()
        out.writerows([first, second | bad, third])
    return path, [first["id"], third["id"]]


def _one_quarantined(store: Store, result: ImportResult, field: str, words: str) -> str:
    """The one quarantined row's text, after checking its line, field and reason."""
    assert result.quarantined == 1, result.errors
    (error,) = result.errors
    assert (error.line, error.field) == (3, field)
    assert words in error.reason
    (row,) = store.quarantine_rows()
    assert row["line"] == 3
    assert row["raw"]
    return str(row["raw"])


@pytest.mark.parametrize(("bad", "field", "words"), [
    ({"timestamp": "999999999999"}, "timestamp", "past the year 9999"),  # year 33658
    ({"timestamp": "99999999999999999999"}, "timestamp", "past the year 9999"),  # overflow
    ({"time_precision": "²"}, "time_precision", "not one of ACLED's codes"),  # isdigit, not int
    ({"geo_precision": "²"}, "geo_precision", "not one of ACLED's codes"),
    ({"fatalities": "²"}, "fatalities", "not a whole number"),
    ({"inter1": "²"}, "inter1", "actor type codes"),
    ({"event_date": "9999-12-31", "time_precision": "2"}, "event_date", "last (or first) date"),
    ({"event_date": "0001-01-01", "time_precision": "2"}, "event_date", "last (or first) date"),
    ({"fatalities": str(2**63)}, "fatalities", "deaths in one event"),  # the store's limit
    ({"fatalities": "10000001"}, "fatalities", "more than 10,000,000"),
    ({"fatalities": "9" * 5000}, "fatalities", "deaths in one event"),  # past int's digit limit
])
def test_an_acled_row_that_once_ended_the_import_is_quarantined_and_the_rest_imported(
    store: Store, tmp_path: Path, bad: dict[str, str], field: str, words: str
) -> None:
    result = import_dataset(store, _acled(tmp_path / "acled.csv", bad), "acled")
    assert result.accepted == 2
    text = _one_quarantined(store, result, field, words)
    assert text.startswith("BAD,") and next(iter(bad.values()))[:50] in text


def test_an_acled_row_that_fails_unforeseen_is_quarantined_and_the_import_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backstop: whatever a row raises, it is that row's error, not the import's end."""
    location = acled._location

    def failing(row: dict[str, str], codes: acled.AcledCodes) -> dict[str, object]:
        if row["event_id_cnty"] == "BAD":
            raise KeyError("a defect")
        return location(row, codes)

    monkeypatch.setattr(acled, "_location", failing)
    reports, errors = acled_reports(_acled(tmp_path / "acled.csv", {}))
    assert [r["id"] for r in reports] == ["GOOD1", "GOOD2"]
    assert [(e.line, e.field) for e in errors] == [(3, "(row)")]
    assert "KeyError" in errors[0].reason and "report it" in errors[0].reason


def test_a_ucdp_event_that_fails_unforeseen_is_quarantined_and_the_import_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, good = _ucdp(tmp_path / "ged.csv", {"where_coordinates": "BAD"})
    location = ucdp._location

    def failing(event: ucdp.UcdpEvent, codes: ucdp.UcdpCodes) -> dict[str, object]:
        if event.where == "BAD":
            raise ZeroDivisionError("a defect")
        return location(event, codes)

    monkeypatch.setattr(ucdp, "_location", failing)
    for view in ("articles", "dataset"):
        reports, errors = ucdp_reports(path, view=view)
        assert {str(r["extra"]["ucdp_id"]) for r in reports} == set(good)
        assert [(e.line, e.field) for e in errors] == [(3, "(row)")]
        assert "ZeroDivisionError" in errors[0].reason


@pytest.mark.parametrize(("bad", "field", "words"), [
    ({"id": "123456789012345678901234567890"}, "id", "too large"),
    ({"high": str(2**63)}, "high", "too large"),  # the store could not write it
    ({"best": "10000001"}, "best", "more than 10,000,000"),
    ({"low": "9" * 5000}, "low", "too large"),  # past int's digit limit
    ({"best": "١٢"}, "best", "not a whole number"),  # Arabic-Indic digits: int() takes them
    ({"deaths_civilians": "1_000"}, "deaths_civilians", "not a whole number"),
])
def test_a_ucdp_number_too_large_or_not_ascii_is_quarantined_naming_its_field(
    store: Store, tmp_path: Path, bad: dict[str, str], field: str, words: str
) -> None:
    path, good = _ucdp(tmp_path / "ged.csv", bad)
    result = import_dataset(store, path, "ucdp-dataset")
    assert result.accepted == 2
    assert sorted(r["report_id"] for r in store.current_reports()) == sorted(good)
    text = _one_quarantined(store, result, field, words)
    assert next(iter(bad.values()))[:50] in text


@pytest.mark.parametrize("cell", ["source", "source_original"])
def test_a_cell_of_a_thousand_repeated_outlets_is_read_at_once(tmp_path: Path, cell: str) -> None:
    started = time.perf_counter()
    if cell == "source":
        reports, errors = acled_reports(_acled(tmp_path / "acled.csv", {"source": SOHR_1100}))
        assert [r["id"] for r in reports] == ["GOOD1", "BAD", "GOOD2"]
    else:
        path, _ = _ucdp(tmp_path / "ged.csv", {"source_original": SOHR_1100})
        reports, errors = ucdp_reports(path, view="dataset")
        assert len(reports) == 3
    assert errors == []
    assert time.perf_counter() - started < 2


def test_outlets_run_together_are_still_split_and_a_long_run_of_spaces_is_linear() -> None:
    outlets = load_outlets()
    assert outlets.origins("SOHR Airwars SOHR") == ["SOHR", "Airwars"]
    assert outlets.origins(" ".join(["SOHR"] * 30)) == ["SOHR"]
    started = time.perf_counter()
    assert outlets.origins("SOHR" + " " * 20_000 + "Airwars") == ["SOHR", "Airwars"]
    assert time.perf_counter() - started < 1  # quadratic before: several seconds


def test_a_field_over_the_csv_limit_is_quarantined_with_its_whole_text(
    store: Store, tmp_path: Path
) -> None:
    notes = "A long account. " * 9000 + "THE END"  # 144,007 characters: over 131,072
    result = import_dataset(store, _acled(tmp_path / "acled.csv", {"notes": notes}), "acled")
    assert result.accepted == 2
    text = _one_quarantined(store, result, "(row)", "field larger than field limit")
    assert text.startswith("BAD,") and notes in text and text.endswith("1600000000")


def test_a_line_too_long_for_any_export_is_one_bad_row_kept_up_to_the_limit(
    tmp_path: Path,
) -> None:
    path = _acled(tmp_path / "acled.csv", {})
    with path.open("a", encoding="utf-8") as fh:  # 9 MB without a line break, then a good row
        fh.write("X" * 9_000_000 + "\n" + path.read_text(encoding="utf-8").splitlines()[1] + "\n")
    rows = list(read_rows(path, COLUMNS, "an ACLED CSV export"))
    assert [(r.line, r.error is None) for r in rows] == [
        (2, True), (3, True), (4, True), (5, False), (6, True)]
    assert rows[3].text.startswith("XXXX") and len(rows[3].text) >= 8_000_000
    assert rows[3].error is not None and "longer than" in rows[3].error.reason


def test_a_large_export_is_read_a_row_at_a_time_not_held_whole(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    notes = "n" * 100_000
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(ACLED_COLUMNS)
        for i in range(300):  # 30 MB
            row = GOOD | {"event_id_cnty": f"E{i}", "notes": notes}
            out.writerow([row[c] for c in ACLED_COLUMNS])
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_rows(path, COLUMNS, "an ACLED CSV export"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 300
    assert peak < 5_000_000  # the whole file held was 60 MB: its bytes and its text
