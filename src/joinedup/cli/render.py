"""Shapes of the CLI's ``--json`` output (a documented, stable contract) and readable text."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from joinedup.store import Store

Row = dict[str, Any]


def _report_ids(store: Store, pks: list[int]) -> dict[int, Row]:
    return store.reports_by_pk(pks)


def entities_json(store: Store, kind: str | None) -> list[Row]:
    """``[{"id", "type", "label", "aliases", "mentions": [{"report", "ref"}], ...}]``."""
    members: dict[str, list[Row]] = defaultdict(list)
    for m in store.memberships():
        members[m["entity"]].append({"report": m["report_id"], "org": m["org"], "ref": m["ref"]})
    corr = {c["entity"]: c for c in _corroboration(store)}
    out = []
    for e in store.entities(kind):
        c = corr.get(e["id"], {})
        out.append(
            {
                "id": e["id"],
                "type": e["kind"],
                "label": e["label"],
                "aliases": e["data"].get("aliases", []),
                "mentions": members.get(e["id"], []),
                "roles": e["data"].get("roles", []),
                "informants": c.get("informants", 0),
                "agencies": c.get("agencies", []),
                "children": c.get("children", []),
            }
        )
    return out


def _corroboration(store: Store) -> list[Row]:
    from sqlalchemy import select

    from joinedup.store import tables as t

    with store.transaction("read", "corroboration") as conn:
        rows = conn.execute(
            select(t.corroboration).where(t.corroboration.c.partnership == store.partnership)
        )
        return [dict(r._mapping) for r in rows]


def alerts_json(store: Store, status: str | None = "open") -> list[Row]:
    """``[{"id", "rule", "level", "subject", "evidence", "agencies", "informants",
    "raised_by", ..., "unconfirmed"}]``: ``unconfirmed`` (added to the contract) the report ids
    of the evidence counted from proposals nobody has checked, ``unconfirmed_refs`` the same
    as ``org/id``."""
    alerts = store.alerts(status)
    reports = _report_ids(store, [p for a in alerts for p in [*a["evidence"], a["raised_by"]]])
    out = []
    for a in alerts:
        out.append(
            {
                "id": a["id"],
                "rule": a["rule"],
                "level": a["level"],
                "subject": {
                    "id": a["subject"],
                    "type": a["subject_kind"],
                    "label": a["subject_label"],
                },
                "evidence": [reports[p]["report_id"] for p in a["evidence"]],
                "evidence_refs": [
                    f"{reports[p]['org']}/{reports[p]['report_id']}" for p in a["evidence"]
                ],
                "agencies": a["agencies"],
                "informants": a["informants"],
                "raised_by": {
                    "report": reports[a["raised_by"]]["report_id"],
                    "org": reports[a["raised_by"]]["org"],
                    "reported_at": a["raised_at"].isoformat(),
                },
                "status": a["status"],
                "explanation": a["explanation"],
                "unconfirmed": [reports[p]["report_id"] for p in a["unconfirmed"] or []],
                "unconfirmed_refs": [
                    f"{reports[p]['org']}/{reports[p]['report_id']}"
                    for p in a["unconfirmed"] or []
                ],
            }
        )
    return out


def explain_text(store: Store, alert_id: str) -> str:
    """A readable evidence chain: the rule, the subject, then each report in arrival order."""
    a = store.alert(alert_id)
    reports = store.reports_by_pk([*a["evidence"], a["raised_by"]])
    ex = a["explanation"]
    lines = [
        f"Alert {a['id']} [{a['level']}] rule {a['rule']}: {ex.get('rule_label', '')}",
        f"Subject: {a['subject_label']} ({a['subject_kind']} {a['subject']})",
        f"Why: {a['informants']} independent informant(s); agencies: {', '.join(a['agencies'])}",
        f"Rule source: {ex.get('source', '')}",
        f"Raised by report {_name(reports[a['raised_by']])} received {a['raised_at']:%Y-%m-%d}",
        *_unconfirmed_lines(a, reports),
        "Evidence, in the order it arrived:",
    ]
    for pk in sorted(a["evidence"], key=lambda p: (reports[p]["reported_at"], p)):
        r = reports[pk]
        mark = "*" if pk == a["raised_by"] else " "
        derived = " (repeats an earlier report; not independent)" if r["derived"] else ""
        if pk in (a["unconfirmed"] or []):
            derived += " (unconfirmed: read from its narrative, not checked by a person)"
        who = f", informant {r['informant_ref']}" if r["informant_ref"] else ""
        lines.append(
            f" {mark} {r['reported_at']:%Y-%m-%d} {r['agency']:<14} {_name(r)}{who}{derived}"
        )
        if r.get("narrative"):
            lines.append(f"      {r['narrative'][:200]}")
    facts = {k: v for k, v in ex.items() if k not in ("rule_label", "source")}
    if facts:
        lines.append("Facts: " + "; ".join(f"{k}={v}" for k, v in facts.items()))
    return "\n".join(lines)


def _unconfirmed_lines(a: Row, reports: dict[int, Row]) -> list[str]:
    """The line saying which evidence nobody has checked, if any is."""
    pks = a["unconfirmed"] or []
    if not pks:
        return []
    names = ", ".join(_name(reports[p]) for p in pks)
    return [f"Unconfirmed evidence: {names}: read from narratives by the machine and not "
            "checked by a person (the profile counts unconfirmed proposals as weak evidence); "
            "review their proposals"]


def _name(r: Row) -> str:
    return f"{r['org']}/{r['report_id']}"
