"""Retention: reports past the profile's retention period are reviewed by a person, and only a
person deletes one, leaving an audit entry.

The system never deletes on its own (``joinedup retention`` lists what is due for review). After
the review, a panel member may delete a report that is past the period and is not evidence for
any alert (an alert's record keeps its evidence). Deleting removes every version of the report
and what was extracted from it, keeps ``delete report/<org>/<id>`` with the reason in the audit
log, and resolves the whole store again so that nothing derived from the report remains.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from joinedup.decide.timescales import timescales
from joinedup.errors import InputError
from joinedup.pipeline import process
from joinedup.store import Store

Row = dict[str, Any]


def delete_after_review(
    store: Store, system: Store, org: str, report_id: str, reason: str,
    now: datetime | None = None, profile_name: str = "safeguarding",
) -> Row:
    """Delete a report past its retention period, as ``store``'s actor, then rebuild what was
    derived from it as the ``system``."""
    reason = (reason or "").strip()
    if not reason:
        raise InputError("write why the report may go", hint="e.g. --reason 'reviewed at the "
                         "retention panel of 2051-03-02: no longer needed'")
    store.gate.check("delete", f"report/{org}/{report_id}", {"org": org})
    clock = timescales(profile_name)
    cutoff = clock.retention_cutoff(now or datetime.now(UTC))
    pk = store.report_key(org, report_id)
    due = {r["pk"] for r in store.reports_before(cutoff, limit=1_000_000)}
    if pk not in due:
        raise InputError(
            f"{org}/{report_id} is not past the retention period of {clock.retention_years} "
            "years", hint="only reports that `joinedup retention` lists may be deleted")
    done = store.delete_report(org, report_id, reason)
    process(system, profile_name)
    return done
