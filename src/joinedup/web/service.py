"""Writes the pages and the API share: submit a report, judge a pair, and the vocabulary."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from joinedup.decide import decision_rules
from joinedup.errors import InputError
from joinedup.ingest.importer import submit_report
from joinedup.ingest.models import ValidationFailed
from joinedup.pipeline import process, process_new
from joinedup.profiles import load_profile
from joinedup.store import Store

Row = dict[str, Any]
KINDS = {"V": "vulnerability (context)", "I": "indicator of risk", "H": "likely evidence of harm"}
WEIGHTS = {
    "significant": "significant: 5 points if seen in the last 6 months, 1 if 6-12 months ago",
    "moderate": "moderate: 1 point",
    "vulnerability": "vulnerability: 1 point",
    "general": "general welfare: recorded and shared, 0 points",
}


def submit(store: Store, raw: Any, channel: str, system: Store | None = None) -> Row:
    """Import one report as the actor of ``store``, then resolve, corroborate and alert on it
    as the ``system`` (the engine's work, whoever set it off).

    An invalid report is quarantined (kept, never lost) and its errors come back, every one
    with its field. A valid one is processed at once; the alerts that now cite it come back.
    """
    system = system or store
    result = submit_report(store, raw, channel)
    if result.quarantined:
        err = result.errors[0]
        errors = err.all_errors if isinstance(err, ValidationFailed) else [
            {"field": err.field, "reason": err.reason}
        ]
        return {"status": "quarantined", "errors": errors, "alerts": []}
    org = str(raw["source"]["org"])
    rid = str(raw["id"])
    if not result.reports:
        return {"status": "unchanged", "org": org, "report": rid, "errors": [], "alerts": []}
    started = datetime.now(UTC)
    process_new(system, result.reports)
    new = set(result.reports)
    cited = [  # an alert citing the report is about an entity it touched: re-evaluated now
        {"id": a["id"], "rule": a["rule"], "level": a["level"],
         "subject": a["subject_label"], "raised_here": a["raised_by"] in new}
        for a in system.alerts("open", since=started)
        if new & set(a["evidence"])
    ]
    if not store.gate.policy.allows(store.actor, "read", "alerts"):
        # a reporter learns that the concern was linked and acted on, never what others said
        return {"status": "accepted", "org": org, "report": rid, "errors": [], "alerts": [],
                "linked_alerts": len(cited)}
    return {"status": "accepted", "org": org, "report": rid, "errors": [], "alerts": cited,
            "linked_alerts": len(cited)}


def mention_key(store: Store, text: str) -> int:
    """The store key of a mention written as ORG/REPORT_ID#REF."""
    org, _, rest = text.partition("/")
    report_id, _, ref = rest.rpartition("#")
    if not org or not report_id or not ref:
        raise InputError(
            f"{text!r} does not name a mention", hint="write it as ORG/REPORT_ID#REF"
        )
    return store.mention_pk(org, report_id, ref)


def decide_pair(
    store: Store, a: str, b: str, decision: str, reason: str, system: Store | None = None
) -> Row:
    """Record that two mentions are one (confirm) or two (split), then resolve again so that
    it shows at once; the decision holds on every later resolution."""
    if decision not in ("confirm", "split"):
        raise InputError(f"decision must be confirm or split, not {decision!r}")
    if not reason.strip():
        raise InputError("write why", hint="the reason is kept beside the decision")
    pa, pb = mention_key(store, a), mention_key(store, b)
    store.add_pair_decision(pa, pb, decision, reason.strip())
    process(system or store)
    now = store.resolved_of([pa, pb])
    return {
        "decision": decision,
        "a": {"mention": a, "entity": now[pa][0] if pa in now else None},
        "b": {"mention": b, "entity": now[pb][0] if pb in now else None},
    }


def vocabulary(profile_name: str = "safeguarding") -> Row:
    """What the concern form offers, from the profile: agencies, roles, link types,
    indicators grouped by category with what each means, and the panel's actions."""
    profile = load_profile(profile_name)
    groups: dict[str, list[Row]] = defaultdict(list)
    for ind in profile.indicator_specs.values():
        groups[ind.category].append(
            {
                "id": ind.id,
                "label": ind.label,
                "code": ind.code,
                "kind": KINDS.get(ind.kind, ind.kind),
                "weight": WEIGHTS.get(ind.weight, ind.weight),
            }
        )
    rules = decision_rules(profile_name)
    return {
        "profile": profile.name,
        "agencies": sorted(profile.agencies),
        "roles": list(profile.role_specs),
        "link_types": list(profile.link_specs),
        "indicators": [
            {"category": cat, "label": cat.replace("_", " ").capitalize(), "items": items}
            for cat, items in groups.items()
        ],
        "actions": [
            {"id": a.id, "label": a.label, "closes": a.closes} for a in rules.actions.values()
        ],
    }
