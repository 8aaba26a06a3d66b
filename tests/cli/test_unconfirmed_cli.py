"""From the command line: a text file imported as a narrative-only report counts as weak
evidence where the profile allows it, and ``alerts`` and ``explain`` say it is unconfirmed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from joinedup.cli.app import app
from joinedup.profiles import Profile
from tests.factories import write_jsonl
from tests.pipeline.test_unconfirmed import NOTE, POLICE

runner = CliRunner()


def _ingest(db: str, tmp_path: Path) -> None:
    police = runner.invoke(app, ["ingest", "--db", db, "--quiet",
                                 str(write_jsonl(tmp_path / "p.jsonl", [POLICE]))])
    assert police.exit_code == 0, police.output
    note = tmp_path / "MFC-7.txt"
    note.write_text(NOTE, encoding="utf-8")
    care = runner.invoke(app, ["ingest", "--db", db, "--quiet", str(note), "--agency",
                               "care_home", "--org", "brookside-house", "--reported-at",
                               "2024-03-02"])
    assert care.exit_code == 0, care.output


def test_alerts_and_explain_name_the_unconfirmed_text_file(tmp_path: Path, weak: Profile
                                                           ) -> None:
    db = str(tmp_path / "s.db")
    _ingest(db, tmp_path)
    rows = json.loads(runner.invoke(app, ["alerts", "--db", db, "--json"]).output)
    linked = next(a for a in rows if a["rule"] == "linked_children")
    assert linked["unconfirmed"] == ["MFC-7"]
    assert linked["unconfirmed_refs"] == ["brookside-house/MFC-7"]
    listed = runner.invoke(app, ["alerts", "--db", db]).output
    assert "unconfirmed (not checked by a person): brookside-house/MFC-7" in listed
    explained = runner.invoke(app, ["explain", linked["id"], "--db", db]).output
    assert "Unconfirmed evidence: brookside-house/MFC-7" in explained
    assert "(unconfirmed: read from its narrative, not checked by a person)" in explained


def test_with_the_shipped_profile_the_text_file_raises_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    _ingest(db, tmp_path)
    rows = json.loads(runner.invoke(app, ["alerts", "--db", db, "--json"]).output)
    assert rows == []
