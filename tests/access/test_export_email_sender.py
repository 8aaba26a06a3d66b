"""An imported email's sender leaves an export only with the narratives.

An .eml import keeps the sender (a name and an address: often the referrer, sometimes the
child or a parent) in ``extra.email_from``. The subject line was withheld with the narratives
and the sender was not. Both stores."""

from __future__ import annotations

import io
import json

from joinedup.access.policy import RolePolicy
from joinedup.export import export_reports, redact
from joinedup.ingest.importer import submit_report
from joinedup.profiles import load_profile
from joinedup.store import Store
from joinedup.store.gate import Actor

SENDER = "Jo Referrer <jo.referrer@vale-school.example>"


def _emailed() -> dict[str, object]:
    return {
        "id": "EML-1", "source": {"agency": "education", "org": "vale-school"},
        "reported_at": "2009-05-01",
        "narrative": "Ada was collected from school by a man in a grey car.",
        "extra": {"email_subject": "Concern about Ada", "email_from": SENDER},
    }


def test_the_sender_is_withheld_with_the_narratives() -> None:
    body, removed = redact(_emailed(), load_profile("safeguarding"), frozenset())
    assert "email_from" not in body["extra"] and "extra.email_from" in removed
    kept, _ = redact(_emailed(), load_profile("safeguarding"), frozenset({"narratives"}))
    assert kept["extra"]["email_from"] == SENDER


def test_an_export_counts_the_sender_as_free_text(store: Store) -> None:
    submit_report(store, _emailed(), "test")
    analyst = Store(store.engine, Actor("acc.analyst", "default", "analyst", None), RolePolicy())
    buffer = io.StringIO()
    done = export_reports(analyst, buffer)
    assert "jo.referrer" not in buffer.getvalue()
    assert done.withheld["narratives"] == 3  # the narrative, the subject line, the sender
    record = json.loads(buffer.getvalue())
    assert "extra.email_from" in record["extra"]["joinedup_withheld"]
