"""Reviewing what was read in a narrative: each proposal accepted, edited or rejected by a
person before it counts as structured data (free-text reports).

The page shows the narrative with every proposal's span highlighted, and beside it the
proposals in the order of the text: type, the words, the value read, the role, how sure the
rule is and which rule it was. The gate decides who may review: whoever may read the
report's contents (the panel, analysts, the agency lead, the reporter who submitted it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from joinedup.errors import InputError
from joinedup.extract.apply import Structured, apply_to, structured_from
from joinedup.profiles import load_profile
from joinedup.store import Store
from joinedup.web import submissions

Row = dict[str, Any]
DECISIONS = ("accepted", "edited", "rejected")


def proposals_view(store: Store, org: str, report_id: str) -> Row:
    stored = store.submission(org, report_id)
    report = submissions.submission_view(stored, store.actor.role)
    rows = [_row(p) for p in _latest_reading(store.proposals(org, report_id))]
    if report["narrative"] == submissions.WITHHELD_NARRATIVE:
        rows = []  # what was read in a narrative withheld from this role: withheld with it
    text = report["narrative"]
    made = _to_apply(stored["body"], rows)
    return {"report": report, "proposals": rows, "segments": segments(text, rows),
            "roles": list(load_profile("safeguarding").role_specs),
            "counts": {s: sum(1 for r in rows if r["status"] == s)
                       for s in ("proposed", *DECISIONS)},
            "preview": {"people": made.people, "places": made.places, "links": made.links,
                        "indicators": made.indicators, "dates": made.dates,
                        "informant": made.informant, "left_out": made.left_out,
                        "proposals": made.used}}


def apply_review(store: Store, system: Store, org: str, report_id: str) -> Row:
    """Add what the accepted proposals make to the report, as a new version submitted by the
    reviewer; resolution, corroboration and alerting follow as for any submission."""
    from joinedup.web.service import submit

    rows = [_row(p) for p in _latest_reading(store.proposals(org, report_id))]
    body = store.submission(org, report_id)["body"]
    made = _to_apply(body, rows)
    if not made.used:
        raise InputError("nothing accepted is waiting to be added",
                         hint="accept or correct proposals first")
    return submit(store, apply_to(body, made), "review", system)


def _latest_reading(found: list[Row]) -> list[Row]:
    """The proposals read in the report's latest version that was read. A correction the
    source sends after a review is read again; what was read in the text it replaces was
    added already, or is history, and is not waiting to be added a second time."""
    last = max((p["report"] for p in found), default=None)
    return [p for p in found if p["report"] == last]


def _to_apply(body: Row | None, rows: list[Row]) -> Structured:
    """What the accepted proposals not yet added to the report (``body``) would make."""
    found = (body or {}).get("extra")
    extra: Row = found if isinstance(found, dict) else {}
    done = set(extra.get("joinedup_read_from_narrative") or [])
    return structured_from([r for r in rows if r["id"] not in done])


def review(store: Store, org: str, report_id: str, pk: int, status: str,
           value: str = "", role: str = "") -> Row:
    """Record a judgement on one proposal; an edit needs the value the person gives, and a
    role, if given, must be one of the profile's."""
    status = (status or "").strip()
    value = (value or "").strip()
    role = (role or "").strip()
    if status not in DECISIONS:
        raise InputError(f"choose one of {', '.join(DECISIONS)} (got {status!r})")
    roles = list(load_profile("safeguarding").role_specs)
    if role and role not in roles:
        raise InputError(f"no role {role!r}", hint=f"roles: {', '.join(roles)}")
    if status == "edited" and not value:
        raise InputError("an edit needs the value you read", hint="type it, or accept/reject")
    if len(value) > 1000:
        raise InputError("a value has at most 1,000 characters")
    return _row(store.review_proposal(org, report_id, pk, status, value or None, role or None))


def segments(text: str, rows: list[Row]) -> list[Row]:
    """The narrative cut into plain stretches and highlighted spans, leftmost-longest first;
    a span overlapping one already shown is listed beside the text, not highlighted twice,
    and a span that no longer indexes the text (an edited file's older version) is not
    highlighted at all."""
    out: list[Row] = []
    pos = 0
    for r in sorted(rows, key=lambda r: (r["start"], -(r["end"] - r["start"]))):
        if r["start"] < pos or text[r["start"]:r["end"]] != r["text"]:
            continue
        if r["start"] > pos:
            out.append({"text": text[pos:r["start"]], "proposal": None})
        out.append({"text": r["text"], "proposal": r})
        pos = r["end"]
    if pos < len(text):
        out.append({"text": text[pos:], "proposal": None})
    return out


def _row(p: Row) -> Row:
    reviewed = p.get("reviewed_at")
    if isinstance(reviewed, datetime) and reviewed.tzinfo is None:
        reviewed = reviewed.replace(tzinfo=UTC)
    return {
        "id": p["pk"], "type": p["type"], "start": p["start"], "end": p["end"],
        "text": p["text"], "value": p["value"], "role": p["role"] or "",
        "confidence": round(float(p["confidence"]), 3), "rule": p["rule"],
        "attrs": p["attrs"] or {}, "status": p["status"],
        "edited_value": p["edited_value"], "reviewed_by": p["reviewed_by"],
        "reviewed_at": reviewed.isoformat() if isinstance(reviewed, datetime) else None,
    }
