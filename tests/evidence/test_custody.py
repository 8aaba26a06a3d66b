"""Evidence items: registered from the reports that cite them, kept with their hash, verified,
and every step in a chain of custody that the audit log makes tamper-evident."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from joinedup.cli.app import app
from joinedup.errors import InputError
from joinedup.evidence import collect, evidence_folder, register_cited, verify
from joinedup.ingest.importer import import_file
from joinedup.store import Store

runner = CliRunner()
PHOTO = b"\x89PNG fictional test image of a damaged warehouse roof\n"


def report_citing(digest: str) -> dict[str, Any]:
    return {
        "profile": "conflict", "id": "sarc-1", "reported_at": "2016-09-20",
        # not `partner: true`: "sarc" is not one of the profile's partner channels, and the
        # flag says nothing of custody
        "source": {"agency": "affected_organisation", "org": "sarc"},
        "occurred_from": "2016-09-19",
        "location": {"name": "Urum al-Kubra", "admin1": "Aleppo", "precision": "neighbourhood"},
        "harm": {"mechanism": "air_strike", "targets": ["humanitarian_convoy"]},
        "evidence": [{"kind": "photo", "sha256": digest, "url": "https://example.org/1.png"}],
    }


@pytest.fixture
def cited(store: Store, tmp_path: Path) -> tuple[Store, Path]:
    photo = tmp_path / "roof.png"
    photo.write_bytes(PHOTO)
    path = tmp_path / "reports.jsonl"
    path.write_text(json.dumps(report_citing(hashlib.sha256(PHOTO).hexdigest())) + "\n")
    assert import_file(store, path).accepted == 1
    return store, photo


def test_a_cited_item_is_registered_once_then_kept_and_verified(
    cited: tuple[Store, Path], tmp_path: Path
) -> None:
    store, photo = cited
    assert register_cited(store) == 1
    assert register_cited(store) == 0  # registering again changes nothing
    held = collect(store, ("sarc", "sarc-1"), photo, tmp_path / "kept")
    assert held.matches_source is True
    assert held.original.read_bytes() == PHOTO == held.working.read_bytes()
    assert not os.stat(held.original).st_mode & stat.S_IWUSR  # the original is read-only
    [result] = verify(store)
    assert result["ok"] and result["original"] == result["expected"]
    [item] = store.evidence_items(("sarc", "sarc-1"))
    assert [c["action"] for c in item["custody"]] == ["collected", "hashed", "copied", "verified"]
    actions = [a["action"] for a in store.audit_rows()]
    assert {"custody-collected", "custody-hashed", "custody-copied", "custody-verified"} <= set(
        actions)


def test_a_changed_copy_fails_verification_and_the_failure_is_logged(
    cited: tuple[Store, Path], tmp_path: Path
) -> None:
    store, photo = cited
    register_cited(store)
    held = collect(store, ("sarc", "sarc-1"), photo, tmp_path / "kept")
    held.working.write_bytes(PHOTO + b"edited")
    [result] = verify(store)
    assert not result["ok"]
    assert result["original"] == result["expected"] != result["working"]
    [item] = store.evidence_items()
    assert item["custody"][-1]["action"] == "failed"
    assert item["custody"][-1]["detail"]["working"] == hashlib.sha256(
        PHOTO + b"edited").hexdigest()


def test_a_file_the_report_did_not_hash_is_refused_unless_added_as_new(
    cited: tuple[Store, Path], tmp_path: Path
) -> None:
    store, _ = cited
    register_cited(store)
    other = tmp_path / "other.png"
    other.write_bytes(b"another fictional picture")
    with pytest.raises(InputError, match="not a hash the report gave"):
        collect(store, ("sarc", "sarc-1"), other, tmp_path / "kept")
    held = collect(store, ("sarc", "sarc-1"), other, tmp_path / "kept", kind="photo")
    assert held.matches_source is None
    assert len(store.evidence_items(("sarc", "sarc-1"))) == 2


def test_the_cli_keeps_and_verifies_and_exits_1_when_a_copy_changed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    photo = tmp_path / "roof.png"
    photo.write_bytes(PHOTO)
    reports = tmp_path / "r.jsonl"
    reports.write_text(json.dumps(report_citing(hashlib.sha256(PHOTO).hexdigest())) + "\n")
    assert runner.invoke(app, ["ingest", str(reports), "--db", db]).exit_code == 0
    register_cited(Store.open(db))
    kept = runner.invoke(app, ["evidence", "collect", "sarc/sarc-1", str(photo), "--db", db])
    assert kept.exit_code == 0, kept.output
    assert evidence_folder(db) == tmp_path / "c.evidence"
    assert runner.invoke(app, ["evidence", "verify", "--db", db]).exit_code == 0
    working = next((tmp_path / "c.evidence").rglob("*.working"))
    working.write_bytes(b"swapped")
    failed = runner.invoke(app, ["evidence", "verify", "--db", db, "--json"])
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)[0]["ok"] is False
    audit = runner.invoke(app, ["audit", "verify", "--db", db])
    assert audit.exit_code == 0, audit.output


def test_the_evidence_folder_is_absolute_whatever_the_store_url_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held files' paths are stored: relative, they would be read against the folder a later
    `evidence verify` runs from."""
    monkeypatch.chdir(tmp_path)
    expected = tmp_path / "c.evidence"
    assert evidence_folder("sqlite:///c.db") == expected
    assert evidence_folder("c.db") == expected  # a bare path is a SQLite file too
    assert evidence_folder("", "kept") == tmp_path / "kept"
    assert all(evidence_folder(u).is_absolute() for u in ("sqlite:///c.db", "c.db"))


def test_a_postgresql_store_needs_a_folder_for_evidence() -> None:
    with pytest.raises(InputError, match="no folder of its own") as caught:
        evidence_folder("postgresql+psycopg://postgres@127.0.0.1/test")
    assert "--evidence-dir" in (caught.value.hint or "")
