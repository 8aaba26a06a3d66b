"""Reviewing what was read in a narrative: each proposal accepted, edited or rejected by a
person before it counts as structured data (free-text reports).

The page shows the narrative with every proposal's span highlighted, and beside it the
proposals in the order of the text: type, the words, the value read, the role, how sure the
rule is and which rule it was. The gate decides who may review: whoever may read the
report's contents (the panel, analysts, the agency lead, the reporter who submitted it); and
who may add what was accepted to the report: whoever may send a new version of it (not an
analyst). A judgement that would change nothing is refused, with what to do instead: one of a
proposal already part of the report's current version, or one read in a text since replaced.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from joinedup.errors import AccessDenied, InputError
from joinedup.extract.apply import (
    Structured,
    apply_to,
    proposal_at,
    read_from,
    structured_from,
    told,
    value_of,
)
from joinedup.profiles import load_profile
from joinedup.resolve.normalise.dates import parse_age_range
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
    _warn_adult_role(rows)
    return {"report": report, "proposals": rows, "segments": segments(text, rows),
            "roles": list(load_profile("safeguarding").role_specs),
            "may_add": _may_add(store, stored),
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

    stored = store.submission(org, report_id)
    try:  # the gate's own checks, so that a refusal is audited as any is
        store.gate.check("version", f"report/{org}/{report_id}", _facts(stored))
        store.gate.check("import", "file/review")
    except AccessDenied as err:
        role = store.actor.role.replace("_", " ")
        raise AccessDenied(
            f"{_article(role)} {role} may review proposals but not add them to a report",
            hint="ask the reporter who submitted it, the agency lead or the panel to add them",
        ) from err
    rows = [_row(p) for p in _latest_reading(store.proposals(org, report_id))]
    body = stored["body"]
    made = _to_apply(body, rows)
    if not made.used:
        raise InputError("nothing accepted is waiting to be added",
                         hint="accept or correct proposals first")
    new = apply_to(body, made)
    outcome = submit(store, new, "review", system)
    used = [r for r in rows if r["id"] in made.used]
    for problem in outcome["errors"]:  # named by the proposal to correct, not the new field
        p = proposal_at(str(problem.get("field", "")), new, used)
        if p is not None:
            problem["proposal"] = p["id"]
            problem["reason"] = f"{problem['reason']} (from {told(p)}: correct or reject it)"
    return outcome


def _facts(stored: Row) -> dict[str, str]:
    """What the gate needs to know of a report: its organisation and whose it is."""
    return {"org": str(stored["org"]), "submitted_by": str(stored.get("owner") or "")}


def _may_add(store: Store, stored: Row) -> bool:
    """Whether the account may add a review to the report (send a new version of it)."""
    policy, actor = store.gate.policy, store.actor
    target = f"report/{stored['org']}/{stored['report_id']}"
    return policy.allows(actor, "version", target, _facts(stored)) \
        and policy.allows(actor, "import", "file/review")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _latest_reading(found: list[Row]) -> list[Row]:
    """The proposals read in the report's latest version that was read. A correction the
    source sends after a review is read again; what was read in the text it replaces was
    added already, or is history, and is not waiting to be added a second time."""
    last = max((p["report"] for p in found), default=None)
    return [p for p in found if p["report"] == last]


def _to_apply(body: Row | None, rows: list[Row]) -> Structured:
    """What the accepted proposals not yet added to the report (``body``) would make."""
    done = read_from(body)
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
    verb = {"accepted": "accepting", "edited": "correcting", "rejected": "rejecting"}[status]

    def settled(proposal: Row, current: Row) -> None:
        """Refuse a judgement that would change nothing, saying what would."""
        if int(proposal["pk"]) in read_from(current["body"]):
            raise InputError(
                f"\u201c{proposal['text']}\u201d is already part of version "
                f"{current['version']} of the report: {verb} it here would change nothing",
                hint="to take it out or change it, send a corrected version of the report "
                     "with the same id (POST /api/reports, or an import); the reporter who "
                     "submitted it, the agency lead or the panel may")
        if proposal["report"] != current["latest_read"]:
            raise InputError(
                f"\u201c{proposal['text']}\u201d was read in an earlier text of the report, "
                f"since replaced: {verb} it would change nothing",
                hint="review what was read in the report's current text")

    return _row(store.review_proposal(org, report_id, pk, status, value or None, role or None,
                                      refuse=settled))


def _warn_adult_role(rows: list[Row]) -> None:
    """Mark a person or nickname given an adult's role of concern while read as under 18
    (its own age, or that of a mention of the same name): a young person who drew others in
    is a ``recruiter``, safeguarded as a child too. A warning only: a 17-year-old may be a
    person of concern, and the contract says so."""
    roles = load_profile("safeguarding").role_specs
    ages: dict[str, str] = {}
    for r in rows:
        if r["type"] in ("person", "alias") and r["attrs"].get("age") is not None:
            ages.setdefault(value_of(r).casefold(), str(r["attrs"]["age"]))
    for r in rows:
        spec = roles.get(r["role"])
        if r["type"] not in ("person", "alias") or spec is None or spec.group != "adult" \
                or not spec.of_concern or r["status"] == "rejected":
            continue
        age = r["attrs"].get("age")
        age = str(age) if age is not None else ages.get(value_of(r).casefold())
        years = parse_age_range(age) if age else None
        if years is not None and years[1] < 18:
            r["warning"] = (f"read as aged {age}, yet given an adult's role "
                            f"({r['role'].replace('_', ' ')}): a child who introduced or drew "
                            "others in is a recruiter, safeguarded as a child too")


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
