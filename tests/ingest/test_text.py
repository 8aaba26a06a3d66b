"""Text files and emails become narrative-only reports: kept, versioned, quarantined with a
reason when they cannot be used, and the same file twice changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from joinedup.cli.app import app
from joinedup.ingest.importer import import_text_file
from joinedup.ingest.text import TextSource
from joinedup.store import Store

NOTE = ("Leah (15) returned to Brookside House at 02:10. She said a man known as 'Tiger' "
        "drove her to a flat above the Golden Dragon takeaway.\n")
EMAIL = """From: "L. Ambrose" <l.ambrose@clinic.example>
To: mash@council.example
Subject: Safeguarding concern: patient seen 27 Feb
Date: Mon, 02 Mar 2009 09:14:00 +0000
Message-ID: <sh-2009-0412@clinic.example>
Content-Type: text/plain; charset="utf-8"

Dear colleagues,
A 14-year-old attended with an older man she called Master. He waited in a silver taxi.
Regards, L. Ambrose
"""
SOURCE = TextSource("care_home", "brookside-house", "night care worker", "2009-03-02")


def test_a_text_file_is_a_narrative_only_report(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "missing-0302.txt"
    path.write_text(NOTE, encoding="utf-8")
    first = import_text_file(store, path, SOURCE)
    assert (first.accepted, first.quarantined) == (1, 0)
    report = store.submission("brookside-house", "missing-0302")
    assert report["narrative"] == NOTE.strip() and report["body"]["source"]["agency"] == \
        "care_home"
    assert report["reported_at"].date().isoformat() == "2009-03-02"
    again = import_text_file(store, path, SOURCE)
    assert (again.accepted, again.unchanged) == (0, 1)  # the same file changes nothing
    path.write_text(NOTE + "She had a new phone.\n", encoding="utf-8")
    edited = import_text_file(store, path, SOURCE)
    assert edited.accepted == 1 and store.submission("brookside-house",
                                                     "missing-0302")["version"] == 2


def test_an_email_gives_its_date_id_and_sender(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "concern.eml"
    path.write_text(EMAIL, encoding="utf-8")
    result = import_text_file(store, path, TextSource("health", "vale-nhs-sexual-health"))
    assert result.accepted == 1, result.errors
    report = store.submission("vale-nhs-sexual-health", "sh-2009-0412@clinic.example")
    assert report["reported_at"].date().isoformat() == "2009-03-02"
    assert report["reporter"] == "L. Ambrose"
    assert "older man she called Master" in report["narrative"]
    assert report["body"]["extra"]["email_subject"].startswith("Safeguarding concern")


def test_a_text_without_a_date_or_in_another_encoding_is_quarantined(
    store: Store, tmp_path: Path,
) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text(NOTE, encoding="utf-8")
    result = import_text_file(store, undated, TextSource("police", "vale-police"))
    assert result.quarantined == 1 and result.errors[0].field == "reported_at"
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Café on Kelbridge Road".encode("latin-1"))
    bad = import_text_file(store, latin, SOURCE)
    assert bad.quarantined == 1 and "UTF-8" in bad.errors[0].reason
    kept = {(q["file"], q["field"]) for q in store.quarantine_rows()}
    assert {("undated.txt", "reported_at"), ("latin.txt", "(file)")} <= kept


def test_ingest_takes_text_files_with_their_source(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    path = tmp_path / "call.txt"
    path.write_text(NOTE, encoding="utf-8")
    run = CliRunner().invoke
    refused = run(app, ["ingest", str(path), "--db", db])
    assert refused.exit_code == 2 and "--agency and --org" in refused.output
    done = run(app, ["ingest", str(path), "--agency", "family", "--org", "holroyd-family",
                     "--reported-at", "2009-03-02", "--db", db])
    assert done.exit_code == 0, done.output
    assert "1 accepted" in done.output
    # the narrative was read on import: what it names waits for a person to confirm it
    store = Store.open(f"sqlite:///{db}")
    proposed = {(p["type"], p["value"], p["status"]) for p in
                store.proposals("holroyd-family", "call")}
    store.engine.dispose()
    assert ("alias", "Tiger", "proposed") in proposed
    assert any(kind == "place" for kind, _, _ in proposed)
    listed = run(app, ["extract", str(path), "--reported-at", "2009-03-02", "--json"])
    assert listed.exit_code == 0, listed.output
    (found,) = json.loads(listed.stdout)
    assert {(p["type"], p["value"]) for p in found["proposals"]} >= {("alias", "Tiger")}
    assert all(NOTE[p["start"]:p["end"]] == p["text"] for p in found["proposals"])
