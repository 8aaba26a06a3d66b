"""What an agency sees of its own concerns: its submissions, and what came of each.

A reporter and an agency lead see the reports in their own organisation's name and, for each,
that it was linked to an alert and what the panel did: awaiting a decision, acted on (the
action and its date), closed. Never the alert's subject, its rule or anything another agency
said (the access issue: "alerts shown to a reporter reveal that their concern was linked and
acted on, never other agencies' contents"). The agency lead opens every report of the agency;
a reporter those they submitted. The store's gate decides both (:mod:`joinedup.access.policy`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from joinedup.decide import shipped_actions
from joinedup.errors import InputError
from joinedup.export import withholds_victims
from joinedup.profiles import load_profile
from joinedup.store import Store

Row = dict[str, Any]


def organisation(store: Store, org: str = "") -> str:
    """The organisation asked about: the account's own, or (for the panel and analysts, who
    belong to no agency) the one named."""
    own = store.actor.agency
    org = (org or "").strip()
    if own and (not org or org == own):
        return own
    if not org:
        raise InputError("name the organisation", hint="add ?org=ORG, as reports name it in "
                         "source.org")
    return org  # another agency's: the gate refuses it to an agency account


def submissions(store: Store, org: str = "") -> Row:
    """The organisation's current reports, newest first, each with its outcome."""
    org = organisation(store, org)
    rows = store.submissions(org)
    return {
        "org": org,
        "rows": [{**_about(r), "can_open": _can_open(store, r), **outcome(r["outcome"])}
                 for r in rows],
    }


def _about(r: Row) -> Row:
    """What a submission is: which report, from whom, when, sent how."""
    return {
        "report": r["report_id"],
        "org": r["org"],
        "agency": r["agency"],
        "reporter": r["reporter"] or "",
        "reported_at": r["reported_at"].isoformat(),
        "submitted_by": r["submitted_by"] or "",
        "channel": r["channel"] or "",
        "submitted_at": _iso(r["submitted_at"]),
        "version": r["version"],
    }


def submission(store: Store, org: str, report_id: str) -> Row:
    """One of the agency's reports as submitted, with its outcome."""
    return submission_view(store.submission(org, report_id), store.actor.role)


WITHHELD_NARRATIVE = "(withheld: it names victims, whose personal data only the panel reads)"


def submission_view(r: Row, role: str = "system") -> Row:
    """What a page shows of a report the store gave (:meth:`Store.submission`), to ``role``.

    Where the report's profile withholds victims' personal data from a role (conflict:
    everyone but the panel, ``export_unredacted``), this view withholds it too, and the
    narrative that names them: an agency's own list of its reports is not a way round the
    rule exports keep (docs/incidents.md: named victims only to roles that read casework)."""
    body = r["body"] or {}
    profile = load_profile(str(r["profile"]))
    hide = withholds_victims(profile, role)
    return {
        **_about(r),
        "people": [
            {"ref": p.get("ref", ""), "role": str(p.get("role", "")).replace("_", " "),
             "name": "" if hide else p.get("name") or "",
             "aliases": [] if hide else list(p.get("aliases") or []),
             "age": None if hide else p.get("age")}
            for p in body.get("people") or []
        ],
        "places": [p.get("name") or p.get("address") or p.get("postcode") or ""
                   for p in body.get("places") or []],
        "vehicles": [" ".join(str(v[k]) for k in ("colour", "make", "kind", "reg") if v.get(k))
                     for p in body.get("people") or [] for v in p.get("vehicles") or []],
        "indicators": [
            profile.indicator_specs[i].label if i in profile.indicator_specs else i
            for i in (str(x.get("id", "")) if isinstance(x, dict) else str(x)
                      for x in body.get("indicators") or [])
        ],
        "narrative": WITHHELD_NARRATIVE if hide and r["narrative"] else r["narrative"] or "",
        **outcome(r["outcome"]),
    }


def outcome(alerts: list[Row]) -> Row:
    """What came of a report, told without the alerts' contents: how many alerts it was
    linked to, and for each where the panel's decision stands."""
    actions = shipped_actions()  # an alert's actions are its own profile's
    told = []
    for a in alerts:
        d = a["decision"]
        if a["status"] != "open":
            state, text = "withdrawn", "no longer raised"
        elif d is None:
            state, text = "awaiting", "awaiting the panel's decision"
        elif d["closes"]:
            state, text = "closed", "closed by the panel"
        else:
            label = actions[d["action"]].label if d["action"] in actions else d["action"]
            state, text = "actioned", f"acted on: {label}"
        told.append({"state": state, "text": text,
                     "since": _iso(d["decided_at"] if d else a["raised_at"])})
    return {"linked_alerts": len(alerts), "outcome": told}


def _can_open(store: Store, r: Row) -> bool:
    """Whether the account may open the report: its own agency's lead, or the reporter whose
    report it is (who submitted its first version, not a review's or a correction's)."""
    facts = {"org": r["org"], "submitted_by": r.get("owner") or ""}
    return store.gate.policy.allows(store.actor, "read", f"report/{r['org']}/{r['report_id']}",
                                    facts)


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
