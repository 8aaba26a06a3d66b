"""Unconfirmed evidence: a narrative-only report counted from its proposals before a person
has checked them, where the profile allows it (``unconfirmed_proposals: weak``).

Such a report contributes what its proposals make as the review page would make it, every
proposal not rejected taken as accepted (:func:`~joinedup.extract.apply.structured_from` and
:func:`~joinedup.extract.apply.apply_to`, the page's own grouping): the fields are checked as
any report's are, and their mentions, links and observations are stored against the report,
which is marked unconfirmed (``report.unconfirmed``). Resolution, corroboration and the rules
then treat them as any report's, and every alert citing the report names it as unconfirmed.

What counts follows the review. Each run weighs the reports again whose proposals a person
has judged since: a rejected proposal stops counting, a corrected one counts as corrected.
When the reviewer adds the accepted proposals to the report, its new version's own fields
count instead, and the unconfirmed version is no longer current. Under ``ignore`` (the shipped
safeguarding profile) nothing is counted, and what an earlier ``weak`` counted is removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from joinedup.errors import RecordError
from joinedup.extract.apply import apply_to, structured_from
from joinedup.extract.structured import Extraction, extract_report
from joinedup.ingest.models import parse_report
from joinedup.ingest.reader import content_hash
from joinedup.profiles import Profile
from joinedup.store import Store

Row = dict[str, Any]


def unconfirmed_fields(body: Row, proposals: list[Row]) -> Row:
    """The report ``body`` with what its proposals make if every one not rejected were
    accepted (a corrected one as corrected)."""
    taken = [{**p, "status": "accepted"} if p["status"] == "proposed" else p for p in proposals]
    return apply_to(body, structured_from(taken))


def unconfirmed_extraction(fields: Row, profile: Profile) -> Extraction:
    """The mentions, links and observations of ``fields``; none when the fields are not a
    valid report (a corrected value the contract refuses counts once it is applied, when
    the import says what is wrong with it)."""
    try:
        parse_report(fields, vocabulary=profile, file="proposals", line=1)
    except RecordError:
        return Extraction()
    return extract_report(fields, profile)


def weigh(store: Store, profile: Profile, new: Sequence[int] | None = None) -> set[int]:
    """Bring what narrative-only reports of ``profile`` contribute up to date with their
    proposals and the profile's setting; return the reports, other than ``new``, whose
    contribution changed (the stored resolution names what they contributed before: a full
    run is needed).

    With ``new`` (an incremental run), the reports among ``new`` and those whose proposals a
    person has judged are weighed; without, every report read by the extract stage.
    """
    if profile.engine != "entities":
        return set()
    if profile.unconfirmed_proposals != "weak":
        gone = store.unconfirmed_reports(profile.name)
        store.replace_unconfirmed([(pk, None, None) for pk in gone])
        return set(gone)
    changes: list[tuple[int, str | None, Any]] = []
    for r in store.unconfirmed_candidates(profile.name, new):
        fields = unconfirmed_fields(r["body"], r["proposals"])
        digest = content_hash(fields)
        if digest != r["unconfirmed"]:
            changes.append((r["pk"], digest, unconfirmed_extraction(fields, profile)))
    store.replace_unconfirmed(changes)
    return {pk for pk, _, _ in changes} - set(new or ())
