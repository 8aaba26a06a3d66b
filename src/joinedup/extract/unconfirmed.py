"""Unconfirmed evidence: a narrative-only report counted from its proposals before a person
has checked them, where the profile allows it (``unconfirmed_proposals: weak``).

Such a report contributes what its proposals make as the review page would make it, every
proposal not rejected taken as accepted (:func:`~joinedup.extract.apply.structured_from` and
:func:`~joinedup.extract.apply.apply_to`, the page's own grouping): the fields are checked as
any report's are, and their mentions, links and observations are stored against the report,
which is marked unconfirmed (``report.unconfirmed``). Resolution, corroboration and the rules
then treat them as any report's, and every alert citing the report names it as unconfirmed.
A proposal whose value the contract refuses (a correction it does not accept) is left out on
its own; the rest of the report still counts (:func:`counted_fields`).

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
from joinedup.extract.apply import apply_to, proposal_at, structured_from
from joinedup.extract.structured import Extraction, extract_report
from joinedup.ingest.models import ValidationFailed, parse_report
from joinedup.ingest.reader import content_hash
from joinedup.profiles import Profile
from joinedup.store import Store

Row = dict[str, Any]


def unconfirmed_fields(body: Row, proposals: list[Row]) -> Row:
    """The report ``body`` with what its proposals make if every one not rejected were
    accepted (a corrected one as corrected)."""
    taken = [{**p, "status": "accepted"} if p["status"] == "proposed" else p for p in proposals]
    return apply_to(body, structured_from(taken))


def counted_fields(body: Row, proposals: list[Row], profile: Profile) -> Row | None:
    """What the report counts for, unconfirmed: :func:`unconfirmed_fields`, less each
    proposal whose value the contract refuses (a correction it does not accept: the import
    says what is wrong with it once the reviewer adds it). One bad value leaves out its own
    proposal, not the whole report. None when a refusal is of nothing a proposal gave."""
    taken = [{**p, "status": "accepted"} if p["status"] == "proposed" else p for p in proposals]
    for _ in range(len(taken) + 1):  # each round leaves out at least one proposal
        made = structured_from(taken)
        fields = apply_to(body, made)
        try:
            parse_report(fields, vocabulary=profile, file="proposals", line=1)
            return fields
        except ValidationFailed as err:
            errors = err.all_errors
        except RecordError as err:
            errors = [{"field": err.field, "reason": err.reason}]
        used = [p for p in taken if p["pk"] in made.used]
        bad = {p["pk"] for e in errors if (p := proposal_at(e["field"], fields, used))}
        if not bad:
            return None
        taken = [{**p, "status": "rejected"} if p["pk"] in bad else p for p in taken]
    return None


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
        fields = counted_fields(r["body"], r["proposals"], profile)
        digest = content_hash(fields if fields is not None
                              else unconfirmed_fields(r["body"], r["proposals"]))
        if digest != r["unconfirmed"]:
            changes.append((r["pk"], digest, Extraction() if fields is None
                            else extract_report(fields, profile)))
    store.replace_unconfirmed(changes)
    return {pk for pk, _, _ in changes} - set(new or ())
