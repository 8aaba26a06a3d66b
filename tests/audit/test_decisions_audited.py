"""A decision's whole content is in the audit chain, so one edited in the table is found."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from joinedup.audit import DecisionCheck, check_decisions, verify
from joinedup.cli.app import app
from joinedup.decide import record_decision
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
SOON = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()  # within every cap
runner = CliRunner()


@pytest.fixture
def decided(store: Store) -> tuple[Store, str, list[int]]:
    """Two decisions on one alert of the demo: an action, then another."""
    import_file(store, DEMO)
    process(store)
    alert = str(store.alerts("open")[0]["id"])
    first = record_decision(store, alert, action="strategy_meeting", owner="Panel",
                            due=SOON, rationale="Meet the school and police")
    second = record_decision(store, alert, action="safety_plan", owner="Social care",
                             due=SOON, rationale="Plan for the weekends")
    return store, alert, [int(first["pk"]), int(second["pk"])]


def _check(store: Store) -> DecisionCheck:
    rows = store.audit_rows()
    assert verify(rows).ok  # the chain itself stays whole: the decision table is not in it
    return check_decisions(store.decisions(), rows, store.partnership)


def _url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def test_the_audit_entry_holds_the_whole_decision(decided: tuple[Store, str, list[int]]) -> None:
    store, alert, pks = decided
    entries = [r for r in store.audit_rows() if r["action"] == "decide"]
    held = entries[-1]["detail"]["decision"]
    assert entries[-1]["target"] == f"alert/{alert}"
    assert held["pk"] == pks[1] and held["alert"] == alert
    assert (held["action"], held["owner"], held["due"], held["closes"]) == (
        "safety_plan", "Social care", SOON, False)
    # the rationale as its digest: admins read the log, and a rationale names children
    assert held["rationale"] == "sha256:" + hashlib.sha256(b"Plan for the weekends").hexdigest()
    assert "Plan for the weekends" not in json.dumps([e["detail"] for e in entries])


def test_untouched_decisions_match_their_entries(decided: tuple[Store, str, list[int]]) -> None:
    store, _, _ = decided
    found = _check(store)
    assert found.ok and found.checked == 2 and found.unchecked == 0
    res = runner.invoke(app, ["audit", "verify", "--db", _url(store)])
    assert res.exit_code == 0, res.output
    assert "the decisions match it: 2 checked" in res.output


def test_a_decision_edited_in_the_table_is_named(decided: tuple[Store, str, list[int]]) -> None:
    store, alert, pks = decided
    with store.engine.begin() as c:
        c.execute(text("UPDATE decision SET closes = :yes, action = 'close', "
                       "rationale = 'No further action' WHERE pk = :pk"),
                  {"yes": True, "pk": pks[0]})
    found = _check(store)
    assert not found.ok
    assert found.first_bad == pks[0]
    assert f"decision {pks[0]} on alert {alert}" in found.reason
    assert "action, closes, rationale changed" in found.reason
    res = runner.invoke(app, ["audit", "verify", "--db", _url(store)])
    assert res.exit_code == 1
    assert f"decision {pks[0]} on alert {alert}" in res.output


@pytest.mark.parametrize("statement", [
    "UPDATE decision SET owner = 'Nobody', due = NULL WHERE pk = :pk",
    "DELETE FROM decision WHERE pk = :pk",
])
def test_an_owner_due_date_or_deletion_is_found(
    decided: tuple[Store, str, list[int]], statement: str
) -> None:
    store, _, pks = decided
    with store.engine.begin() as c:
        c.execute(text(statement), {"pk": pks[1]})
    found = _check(store)
    assert not found.ok and found.first_bad == pks[1]
    assert ("deleted" if statement.startswith("DELETE") else "owner, due changed") \
        in found.reason


def test_a_decision_added_to_the_table_is_found(decided: tuple[Store, str, list[int]]) -> None:
    store, alert, _ = decided
    with store.engine.begin() as c:
        c.execute(text(
            "INSERT INTO decision (partnership, alert, action, closes, owner, due, rationale, "
            "decided_by, decided_at) SELECT partnership, alert, 'close', :yes, owner, NULL, "
            "'Closed', decided_by, decided_at FROM decision WHERE pk = (SELECT max(pk) FROM "
            "decision)"), {"yes": True})
    found = _check(store)
    assert not found.ok and "has no audit entry" in found.reason
    assert f"on alert {alert}" in found.reason
