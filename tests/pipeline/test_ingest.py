"""Ingest guarantees, on both stores: nothing lost, durable, idempotent, versioned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from joinedup.errors import InputError
from joinedup.ingest.importer import import_file
from joinedup.store import Store
from tests.factories import adult, child, report, write_jsonl


def _two_reports() -> list[dict]:
    return [
        report("r1", people=[child("c1"), adult("a1")], informant="c1"),
        report("r2", org="Clinic", agency="health", people=[child("c1", name="Beth")]),
    ]


def test_valid_file_is_accepted_and_stored(store: Store, tmp_path: Path) -> None:
    result = import_file(store, write_jsonl(tmp_path / "in.jsonl", _two_reports()))
    assert (result.accepted, result.quarantined, result.exit_code) == (2, 0, 0)
    assert store.counts()["reports"] == 2


def test_reimporting_the_same_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", _two_reports())
    import_file(store, path)
    before = store.counts()
    again = import_file(store, path)
    assert (again.accepted, again.unchanged) == (0, 2)
    after = store.counts()
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }


def test_changed_record_becomes_a_new_version_and_the_old_is_kept(
    store: Store, tmp_path: Path
) -> None:
    import_file(store, write_jsonl(tmp_path / "a.jsonl", _two_reports()))
    changed = _two_reports()
    changed[0]["narrative"] = "A later, corrected account."
    result = import_file(store, write_jsonl(tmp_path / "b.jsonl", changed))
    assert (result.accepted, result.unchanged) == (1, 1)
    assert store.counts()["reports"] == 3
    current = [r for r in store.current_reports() if r["report_id"] == "r1"]
    assert len(current) == 1
    body = store.reports_by_pk([current[0]["pk"]])[current[0]["pk"]]
    assert body["version"] == 2 and body["narrative"] == "A later, corrected account."


def test_reimporting_an_earlier_file_after_a_correction_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", _two_reports())
    import_file(store, first)
    changed = _two_reports()
    changed[0]["narrative"] = "A later, corrected account."
    import_file(store, write_jsonl(tmp_path / "b.jsonl", changed))
    again = import_file(store, first)  # the first file sent again: the correction stands
    assert (again.accepted, again.unchanged) == (0, 2)
    assert store.counts()["reports"] == 3
    (current,) = [r for r in store.current_reports() if r["report_id"] == "r1"]
    assert store.reports_by_pk([current["pk"]])[current["pk"]]["version"] == 2


def test_reimporting_a_narrative_after_its_review_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    from joinedup.pipeline import process_new
    from joinedup.web.review import apply_review, review

    text = ("Amy Cole (14) has been given alcohol by adults. A man known as 'Tiger', in his "
            "thirties, drove her to Rochdale.")
    path = write_jsonl(tmp_path / "n.jsonl", [{
        "id": "N-1", "source": {"agency": "police", "org": "test-police"},
        "reported_at": "2008-03-02", "narrative": text}])
    process_new(store, import_file(store, path).reports)
    read = store.proposals("test-police", "N-1")
    for p in read:
        review(store, "test-police", "N-1", p["pk"], "accepted")
    apply_review(store, store, "test-police", "N-1")
    reviewed = store.submission("test-police", "N-1")
    assert reviewed["version"] == 2 and reviewed["body"]["indicators"] == ["alcohol_supplied"]
    again = import_file(store, path)
    assert (again.accepted, again.unchanged, again.reports) == (0, 1, [])
    process_new(store, again.reports)
    assert len(store.proposals("test-police", "N-1")) == len(read)  # not read a second time
    now = store.submission("test-police", "N-1")
    assert (now["version"], now["body"]) == (2, reviewed["body"])


def test_a_correction_after_a_review_is_read_and_reviewed_on_its_own(
    store: Store, tmp_path: Path
) -> None:
    from joinedup.pipeline import process_new
    from joinedup.web.review import apply_review, proposals_view, review

    def reviewed(text: str, name: str) -> dict:
        path = write_jsonl(tmp_path / name, [{
            "id": "N-2", "source": {"agency": "police", "org": "test-police"},
            "reported_at": "2008-03-02", "narrative": text}])
        process_new(store, import_file(store, path).reports)
        for p in proposals_view(store, "test-police", "N-2")["proposals"]:
            review(store, "test-police", "N-2", p["id"], "accepted")
        apply_review(store, store, "test-police", "N-2")
        return store.submission("test-police", "N-2")

    reviewed("Amy Cole (14) has been given alcohol by adults.", "a.jsonl")
    # the name was mistyped: the correction is read and reviewed, the first reading is history
    corrected = reviewed("Amy Coles (14) has been given alcohol by adults. A man known as "
                         "'Tiger', in his thirties, drove her to Rochdale.", "b.jsonl")
    assert corrected["version"] == 4  # read, reviewed, corrected, reviewed
    people = corrected["body"]["people"]
    assert sorted(str(p.get("name") or p.get("aliases")) for p in people) == [
        "Amy Coles", "['Tiger']"]
    assert corrected["body"]["indicators"] == ["alcohol_supplied"]


def test_invalid_records_are_quarantined_with_file_line_field_and_reason(
    store: Store, tmp_path: Path
) -> None:
    good = report("ok", people=[child()])
    unknown_indicator = report("bad1", people=[child()], indicators=["not_an_indicator"])
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps(good) + "\n{not json\n" + json.dumps(unknown_indicator) + "\n", encoding="utf-8"
    )
    result = import_file(store, path)
    assert (result.accepted, result.quarantined, result.exit_code) == (1, 2, 1)
    rows = store.quarantine_rows()
    assert [r["line"] for r in rows] == [2, 3]
    assert rows[1]["field"].startswith("indicators")
    assert "not_an_indicator" in rows[1]["reason"]
    assert rows[0]["raw"] == "{not json"
    # quarantining the same bad records again adds nothing
    import_file(store, path)
    assert len(store.quarantine_rows()) == 2


def test_unusable_file_is_an_input_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not JSON at all\n", encoding="utf-8")
    with pytest.raises(InputError):
        import_file(store, path)


def test_a_whole_batch_commits_or_nothing_does(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from joinedup.store import store as store_module

    original = store_module._bulk

    def failing_on_links(conn, table, rows):  # type: ignore[no-untyped-def]
        if table.name == "link":  # reports and mentions are written by then
            raise store_module.SQLAlchemyError("disk full")
        original(conn, table, rows)

    monkeypatch.setattr(store_module, "_bulk", failing_on_links)
    with pytest.raises(Exception, match="store failed"):
        import_file(sqlite_store, write_jsonl(tmp_path / "in.jsonl", _two_reports()))
    assert sqlite_store.counts()["reports"] == 0
    assert sqlite_store.counts()["mentions"] == 0
