"""A large file is checked and read on other cores while the importing process writes
(``importer.checked_records``): the store must end exactly as a one-process import leaves it,
with bad records quarantined under the same file, line, field and reason, on both stores."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from joinedup.errors import RecordError
from joinedup.generate import generate_scenario
from joinedup.ingest import importer
from joinedup.ingest.importer import check_record, checked_records, import_file
from joinedup.ingest.models import ValidationFailed
from joinedup.ingest.reader import read_records
from joinedup.store import Store
from tests.factories import child, report


def _mixed_file(path: Path) -> Path:
    """Eighty generated reports with bad records among them, the second half sent twice
    (unchanged) and one changed (a new version)."""
    good = generate_scenario(seed=5, reports=80).reports
    bad = [
        "{not json",
        "[1, 2]",
        json.dumps(report("bad-indicator", people=[child()], indicators=["not_an_indicator"])),
        json.dumps(report("bad-profile", people=[child()], profile="no_such_profile")),
        json.dumps({"id": "no-source", "reported_at": "2008-01-01"}),
    ]
    lines = [json.dumps(r) for r in good]
    for i, b in enumerate(bad):
        lines.insert(7 + 13 * i, b)
    lines += [json.dumps(r) for r in good[40:]]
    changed = dict(good[3], narrative="A corrected account.")
    lines.append(json.dumps(changed))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _snapshot(store: Store) -> dict[str, Any]:
    """What an import leaves, in terms that do not depend on the backend's keys."""
    reports = {r["pk"]: (r["org"], r["report_id"]) for r in store.current_reports()}
    return {
        "counts": {k: v for k, v in store.counts().items() if k != "audit"},
        "quarantine": [(q["file"], q["line"], q["field"], q["reason"], q["raw"])
                       for q in store.quarantine_rows()],
        "mentions": sorted(
            (reports[m["report"]], m["ref"], m["kind"], m["role"] or "", m["label"],
             json.dumps(m["features"], sort_keys=True))
            for m in store.current_mentions()
        ),
    }


def _import(store: Store, path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
            ) -> importer.ImportResult:
    monkeypatch.setattr(importer, "PARALLEL_BYTES", 0)  # every file counts as large here
    monkeypatch.setattr(importer, "_workers", lambda: workers)
    return import_file(store, path)


def test_a_file_checked_on_other_cores_is_stored_as_in_one_process(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _mixed_file(tmp_path / "mixed.jsonl")
    monkeypatch.setattr(importer, "CHUNK", 7)  # many chunks, and more ahead than one
    one = Store.open(f"sqlite:///{tmp_path / 'one.db'}")
    alone = _import(one, path, 0, monkeypatch)
    beside = _import(store, path, 2, monkeypatch)
    assert (beside.accepted, beside.unchanged, beside.quarantined) == (
        alone.accepted, alone.unchanged, alone.quarantined) == (81, 40, 5)
    assert [str(e) for e in beside.errors] == [str(e) for e in alone.errors]
    assert [type(e) for e in beside.errors] == [type(e) for e in alone.errors]
    assert _snapshot(store) == _snapshot(one)
    lines = [q[1] for q in _snapshot(store)["quarantine"]]
    assert lines == [8, 21, 34, 47, 60]
    # and importing it again changes nothing, checked on other cores too
    again = _import(store, path, 2, monkeypatch)
    assert (again.accepted, again.unchanged, again.quarantined) == (0, 121, 5)
    assert _snapshot(store) == _snapshot(one)
    one.engine.dispose()


def test_records_come_back_in_order_with_what_they_name(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = _mixed_file(tmp_path / "mixed.jsonl")
    monkeypatch.setattr(importer, "CHUNK", 5)
    here = list(checked_records(read_records(path), "mixed.jsonl", 0))
    there = list(checked_records(read_records(path), "mixed.jsonl", 2))
    assert [r.line for r, _ in there] == [r.line for r, _ in here] == list(range(1, 127))
    assert [c.digest for _, c in there] == [c.digest for _, c in here]
    assert [str(c.error) for _, c in there] == [str(c.error) for _, c in here]
    # a worker reads what each good record names; in one process that waits for the store
    assert all(c.extraction is not None for _, c in there if c.error is None)
    assert all(c.extraction is None for _, c in here)
    first = next(c for _, c in there if c.error is None)
    rec = next(r for r, c in here if c.error is None)
    assert check_record(rec, "mixed.jsonl", extract=True) == first


def test_only_a_large_file_is_checked_on_other_cores(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    original = importer.import_records

    def spy(*args: Any, **kw: Any) -> importer.ImportResult:
        asked.append(kw["workers"])
        return original(*args, **kw)

    monkeypatch.setattr(importer, "import_records", spy)
    monkeypatch.setattr(importer, "_workers", lambda: 3)
    small = _mixed_file(tmp_path / "small.jsonl")
    import_file(sqlite_store, small)
    monkeypatch.setattr(importer, "PARALLEL_BYTES", small.stat().st_size)
    import_file(sqlite_store, small)
    assert asked == [0, 3]


def test_a_record_error_crosses_to_another_process_whole() -> None:
    err = RecordError("in.jsonl", 12, "source.org", "missing")
    err.hint = "Add the organisation."
    back = pickle.loads(pickle.dumps(err))
    assert (back.file, back.line, back.field, back.reason, back.hint, str(back)) == (
        "in.jsonl", 12, "source.org", "missing", "Add the organisation.",
        "in.jsonl:12: source.org: missing")
    failed = ValidationFailed("in.jsonl", 3, [{"field": "id", "reason": "required", "type": "t"},
                                              {"field": "x", "reason": "extra", "type": "u"}])
    again = pickle.loads(pickle.dumps(failed))
    assert type(again) is ValidationFailed
    assert (again.field, again.reason, again.all_errors) == ("id", "required", failed.errors)
