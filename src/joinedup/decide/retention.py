"""Retention: reports past their profile's retention period are reviewed by a person, and only
a person deletes one, leaving an audit entry.

The system never deletes on its own (``joinedup retention`` lists what is due for review). Each
report is held to its own profile's period (``retention`` in the profile's ``timescales.yaml``):
25 years for safeguarding, and ``never`` for conflict, whose reports are kept and never listed
unless a partnership sets a period. The period counts from when the store received the report
(the later of its first import and the date its source gives), so a source cannot make a
report old by dating it so.

After the review, a panel member may delete a report that is past the period and that nothing
keeps: an alert's evidence, what an alert cited when a decision on it was recorded, and
evidence items in a chain of custody are all kept. Deleting happens at the real time, never at
a moment someone gives (``--at`` only lists what will be due). It removes every version of the
report and what was extracted from it, keeps ``delete report/<org>/<id>`` in the audit log with
the reason, the cutoff and the report's dates, and resolves the whole store again so that
nothing derived from the report remains.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from joinedup.decide.timescales import real_now, retention
from joinedup.errors import InputError
from joinedup.pipeline import process
from joinedup.store import Store

Row = dict[str, Any]


def reports_due(store: Store, now: datetime) -> list[Row]:
    """The current reports past their profile's retention period at ``now``, for a review,
    each with its ``profile`` and the profile's ``period``; a profile that keeps its reports
    lists none. ``now`` may be any moment: listing what will be due deletes nothing."""
    due: list[Row] = []
    for profile in sorted(store.profiles_of()):
        kept = retention(profile)
        cutoff = kept.cutoff(now)
        if cutoff is not None:
            due += [{**r, "profile": profile, "period": kept.period}
                    for r in store.reports_before(cutoff, profile)]
    return due


def delete_after_review(
    store: Store, system: Store, org: str, report_id: str, reason: str,
    now: datetime | None = None,
) -> Row:
    """Delete a report past its profile's retention period, as ``store``'s actor, then rebuild
    what was derived from it as the ``system``. ``now`` is the real time: a later moment is
    refused (it would bring the period forward)."""
    reason = (reason or "").strip()
    if not reason:
        raise InputError("write why the report may go", hint="e.g. --reason 'reviewed at the "
                         "retention panel of 2051-03-02: no longer needed'")
    store.gate.check("delete", f"report/{org}/{report_id}", {"org": org})
    moment = real_now(now, "deleting a report")
    (profile,) = store.profiles_of([store.report_key(org, report_id)])
    kept = retention(profile)
    cutoff = kept.cutoff(moment)
    if cutoff is None:
        raise InputError(
            f"{org}/{report_id} is a {profile} report, and the {profile} profile keeps its "
            "reports: none is deleted by a retention review",
            hint=f"a partnership that sets a period writes it in profiles/{profile}/"
                 "timescales.yaml (retention.review_after_years)")
    done = store.delete_report(org, report_id, reason, cutoff=cutoff)
    process(system)  # every profile the store holds: the conflict one's incidents too
    return done
