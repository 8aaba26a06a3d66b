"""Escalation of overdue items to the partnership's named panel lead, once per missed
deadline, audited and shown in the inbox; on both stores."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from joinedup.access import account_actor, create_account
from joinedup.access.policy import RolePolicy
from joinedup.cli.app import app
from joinedup.decide import record_decision
from joinedup.decide.escalation import escalate_overdue, name_panel_lead
from joinedup.errors import AccessDenied, InputError, NotFound
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.web.views import inbox

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
GOOD = "correct horse battery"


@pytest.fixture
def demo(store: Store) -> Store:
    """The demo, its alerts raised twelve days ago: escalating happens at the real time, so
    the deadlines must have passed by now."""
    import_file(store, DEMO)
    process(store)
    with store.engine.begin() as conn:
        conn.execute(update(t.alert).values(created_at=datetime.now(UTC) - timedelta(days=12)))
    for name, role in (("root", "admin"), ("chair", "panel"), ("ana", "analyst")):
        create_account(store, name, role, GOOD)
    return store


def _as(store: Store, name: str) -> Store:
    acc = store.account_named(name)
    assert acc is not None
    return Store(store.engine, account_actor(acc), RolePolicy())


def _overdue(store: Store, now: datetime) -> list[dict[str, object]]:
    return list(inbox(store, status="overdue", now=now)["rows"])


def _later(store: Store, days: int) -> datetime:
    created = min(a["created_at"] for a in store.alerts("open"))
    return (created if created.tzinfo else created.replace(tzinfo=UTC)) + timedelta(days=days)


def test_overdue_items_go_to_the_named_lead_once(demo: Store) -> None:
    chair, now = _as(demo, "chair"), _later(demo, 6)
    rows = _overdue(chair, now)
    assert rows and all(r["escalated"] is None for r in rows)
    with pytest.raises(InputError, match="no panel lead"):
        escalate_overdue(chair, rows, now)
    with pytest.raises(InputError, match="not a panel member"):
        name_panel_lead(_as(demo, "root"), "ana")
    with pytest.raises(NotFound):
        name_panel_lead(_as(demo, "root"), "nobody")
    with pytest.raises(AccessDenied):
        name_panel_lead(chair, "chair")  # naming the lead is the admin's
    name_panel_lead(_as(demo, "root"), "chair")
    made = escalate_overdue(chair, rows, now)
    assert {m["alert"] for m in made} == {r["id"] for r in rows}
    assert {(m["lead"], m["reason"]) for m in made} == {("chair", "decision")}
    assert escalate_overdue(chair, _overdue(chair, now), now) == []  # once per deadline
    shown = _overdue(chair, now)
    assert all(r["escalated"] and r["escalated"]["lead"] == "chair" for r in shown)
    audited = [e for e in demo.audit_rows() if e["action"] == "escalate"]
    assert {e["target"] for e in audited} == {f"alert/{r['id']}" for r in rows}
    assert {e["actor"] for e in audited} == {"chair"}
    with pytest.raises(AccessDenied):
        escalate_overdue(_as(demo, "ana"), shown, now)  # analysts do not decide


def test_a_missed_action_due_date_is_escalated_again(demo: Store) -> None:
    name_panel_lead(_as(demo, "root"), "chair")
    chair, now = _as(demo, "chair"), _later(demo, 6)
    escalate_overdue(chair, _overdue(chair, now), now)
    alert = _overdue(chair, now)[0]["id"]
    due = (now + timedelta(days=3)).date()
    record_decision(chair, str(alert), action="strategy_meeting", owner="Panel", due=due,
                    rationale="Meet.", now=now)
    assert alert not in {r["id"] for r in _overdue(chair, now)}  # decided: not overdue
    after = now + timedelta(days=5)
    late = next(r for r in _overdue(chair, after) if r["id"] == alert)
    assert late["escalated"] is None  # the decision's escalation was of another deadline
    made = escalate_overdue(chair, [late], after)
    assert [(m["reason"], m["due"]) for m in made] == [("action", due.isoformat())]


def test_the_overdue_command_escalates(demo: Store, store_url: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    run = CliRunner().invoke
    monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)
    named = run(app, ["--as", "root", "account", "lead", "chair", "--db", store_url])
    assert named.exit_code == 0, named.output
    first = run(app, ["--as", "chair", "overdue", "--escalate", "--db", store_url])
    assert first.exit_code == 0, first.output
    count = len(demo.alerts("open"))
    assert f"{count} overdue, {count} escalated now" in first.output
    again = run(app, ["--as", "chair", "overdue", "--escalate", "--json", "--db", store_url])
    rows = json.loads(again.stdout)
    assert len(rows) == count and all(r["escalated"]["lead"] == "chair" for r in rows)
    refused = run(app, ["--as", "ana", "overdue", "--escalate", "--db", store_url])
    assert refused.exit_code == 2 and "may not escalate" in refused.output


def test_a_withdrawn_alert_still_owed_a_decision_stays_overdue(demo: Store) -> None:
    """The engine may stop raising an alert the panel was shown (a re-resolution splits its
    subject): it still needs a recorded decision, so it stays in the overdue list, escalated
    like any other, until one is recorded."""
    chair, now = _as(demo, "chair"), _later(demo, 6)
    alert = demo.alerts("open")[0]
    demo.sync_alerts([], subjects={alert["subject"]}, rules=[alert["rule"]])
    assert demo.alert(alert["id"])["status"] == "withdrawn"
    row = next(r for r in _overdue(chair, now) if r["id"] == alert["id"])
    assert row["status"] == "withdrawn" and row["overdue"]
    record_decision(chair, str(alert["id"]), action="close", owner="Panel chair",
                    rationale="No longer raised: the two reports are of two different men.")
    assert alert["id"] not in {r["id"] for r in _overdue(chair, now)}
