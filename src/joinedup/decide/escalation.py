"""Escalation: what the panel has not decided in time goes to its named lead.

Every alert needs a decision by the end of the next working day, and every action is held to
its due date (``timescales.yaml``; safeguarding.md R1: in Rochdale, over a hundred referrals
were made and not acted on). When either is missed, the item is escalated to the partnership's
panel lead, a named account, so that a person, not a role, answers for it. Escalating is run
by a panel account (``joinedup overdue --escalate``, e.g. each working morning from cron); each
missed deadline is escalated once, kept, audited, and shown in the inbox. An escalation is
made at the real time: a moment in the future (``--at``) would escalate before the deadline had
passed, under a date that had not come, so it is refused; ``--at`` only lists what will be
overdue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from joinedup.decide.timescales import real_now
from joinedup.errors import InputError, NotFound
from joinedup.store import Store

Row = dict[str, Any]


def name_panel_lead(store: Store, name: str) -> None:
    """Name the partnership's panel lead: an active ``panel`` account of the partnership."""
    acc = store.account_named(name)
    if acc is None or not acc["active"]:
        raise NotFound(f"no active account {name!r}", hint="list them: joinedup account list")
    if acc["role"] != "panel":
        raise InputError(f"{name} is a {acc['role'].replace('_', ' ')}, not a panel member",
                         hint="the panel lead decides on alerts: choose a panel account")
    store.set_panel_lead(name)


def escalate_overdue(store: Store, overdue: list[Row], now: datetime | None = None) -> list[Row]:
    """Escalate the overdue inbox rows to the panel lead; return the escalations made now
    (those escalated before are not made again). ``now`` is the real time: a later moment is
    refused."""
    store.gate.check("escalate", "alerts")  # who may, before whether there is anything to do
    lead = store.panel_lead()
    if not lead:
        raise InputError("no panel lead is named: overdue items have no one to go to",
                         hint="an admin names one: joinedup account lead NAME")
    now = real_now(now, "escalating")
    todo = []
    for r in overdue:
        if not r.get("overdue"):
            continue
        reason = "decision" if r["decision"] == "awaiting" else "action"
        due = r["decision_deadline"] if reason == "decision" else r["latest_due"]
        todo.append({"alert": r["id"], "reason": reason, "due": str(due), "lead": lead,
                     "escalated_by": store.actor.name, "escalated_at": now})
    return store.add_escalations(todo)
