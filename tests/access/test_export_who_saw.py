"""Who saw a report includes the exports that took it out.

An export's audit entry said only which parts it included, so ``joinedup audit who-saw
ORG/ID`` listed nothing after an analyst exported every report. The entry is to say how many
reports and which (``export.exported``: their ``ORG/ID`` keys, or past ``EXPORT_LISTED`` the
SHA-256 of the keys and the organisation filtered to), and ``who-saw`` lists every export
entry that took the report out. Both stores."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from joinedup import export
from joinedup.access.policy import RolePolicy
from joinedup.audit import who_saw
from joinedup.export import export_reports, exported
from joinedup.ingest.importer import submit_report
from joinedup.store import Store
from joinedup.store.gate import Actor

KEYS = ["vale-police/EX-51", "mv-childrens-services/EX-52"]


def _report(rid: str, org: str) -> dict[str, object]:
    return {"id": rid, "source": {"agency": "police", "org": org}, "reported_at": "2009-05-01",
            "narrative": "Ada was collected from school by a man in a grey car."}


def _saw(store: Store, record: str) -> list[str]:
    rows = who_saw(store.audit_rows(), {f"report/{record}"}, store.partnership)
    return [f"{r['action']} {r['target']}" for r in rows]


def test_who_saw_lists_the_export_that_listed_the_report(store: Store) -> None:
    store.audit_note("export", "reports", include=[], **exported(KEYS, ""))
    assert _saw(store, "vale-police/EX-51") == ["export reports"]
    assert _saw(store, "mv-childrens-services/EX-52") == ["export reports"]
    assert _saw(store, "vale-police/EX-53") == []  # not in the export


def test_an_export_too_large_to_list_keeps_a_digest_and_its_filter(
    store: Store, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export, "EXPORT_LISTED", 1)
    detail = exported(KEYS, "vale-police")
    assert "keys" not in detail and detail["reports"] == 2 and detail["org"] == "vale-police"
    # whoever holds the file can check it is this export: its keys, one per line, in order
    assert detail["keys_sha256"] == hashlib.sha256("\n".join(KEYS).encode()).hexdigest()
    store.audit_note("export", "reports/vale-police", include=[], **detail)
    assert _saw(store, "vale-police/EX-99") == ["export reports/vale-police"]  # may have left
    assert _saw(store, "mv-childrens-services/EX-52") == []  # another organisation's


def test_an_export_listed_within_the_cap_names_each_report() -> None:
    assert exported(KEYS, "") == {"reports": 2, "keys": KEYS}


def test_who_saw_finds_an_analysts_export_of_every_report(store: Store) -> None:
    for rid, org in (("EX-51", "vale-police"), ("EX-52", "mv-childrens-services")):
        submit_report(store, _report(rid, org), "test")
    analyst = Store(store.engine, Actor("acc.analyst", "default", "analyst", None), RolePolicy())
    buffer = io.StringIO()
    export_reports(analyst, buffer)
    assert [export.report_key(json.loads(x)) for x in buffer.getvalue().splitlines()] == KEYS
    for key in KEYS:
        assert "export reports" in _saw(store, key)
