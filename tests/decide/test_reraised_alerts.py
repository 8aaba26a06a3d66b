"""A withdrawn alert that the engine raises again awaits a new decision, its clock from when it
came back; its earlier decisions stay as history. Before, it came back with them, and one
closed before was shown closed: a pattern of harm that returned was hidden. On both stores."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from joinedup.decide import decision_state, record_decision
from joinedup.decide.timescales import timescales
from joinedup.ingest.importer import import_file, submit_report
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.web.submissions import outcome
from joinedup.web.views import alert_detail, inbox

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
CLOCK = timescales("safeguarding")
PLATE = "MX07KLF"  # the demo's shared private-hire car: two police reports give its plate
# what a store keeps of an alert besides what the engine raises
KEPT = ("partnership", "status", "created_at", "updated_at", "reraised_at", "reraised_after")


@pytest.fixture
def demo(store: Store) -> Store:
    import_file(store, DEMO)
    process(store)
    return store


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _plate_alert(store: Store) -> dict[str, Any]:
    return next(a for a in store.alerts("open") if a["subject_label"] == PLATE)


def _withdraw_and_raise_again(store: Store, alert: dict[str, Any]) -> None:
    """A new version of the report naming the plate leaves the plate out (the alert is
    withdrawn); the next version gives it again (the alert is raised again)."""
    report = store.reports_by_pk(alert["evidence"])[alert["evidence"][-1]]
    without = copy.deepcopy(report["body"])
    for person in without["people"]:
        person.pop("vehicles", None)
    assert submit_report(store, without, "test").accepted == 1
    process(store)
    assert store.alert(alert["id"])["status"] == "withdrawn"
    again = {**report["body"], "narrative": report["body"]["narrative"] + " Plate confirmed."}
    assert submit_report(store, again, "test").accepted == 1
    process(store)
    assert store.alert(alert["id"])["status"] == "open"


def _row(store: Store, alert_id: str, status: str, now: datetime) -> dict[str, Any] | None:
    found = inbox(store, status=status, subject=PLATE, now=now)["rows"]
    return next((r for r in found if r["id"] == alert_id), None)


def test_a_closed_alert_raised_again_awaits_a_new_decision_on_its_own_clock(
    demo: Store,
) -> None:
    alert = _plate_alert(demo)
    record_decision(demo, alert["id"], action="close", owner="Panel chair",
                    rationale="The car's firm has taken the driver off its books.")
    assert decision_state(alert, demo.decisions([alert["id"]]))["status"] == "closed"

    _withdraw_and_raise_again(demo, alert)
    back = demo.alert(alert["id"])
    old = demo.decisions([alert["id"]])
    state = decision_state(back, old)
    assert state["status"] == "awaiting"
    assert [d["action"] for d in state["history"]] == ["close"]  # kept, shown as history
    raised = _aware(back["reraised_at"])
    assert raised > _aware(back["created_at"])
    assert back["reraised_after"] == old[-1]["pk"]

    # the inbox and the overdue list: awaiting, due a working day after it came back
    soon = raised + timedelta(hours=1)
    assert _row(demo, alert["id"], "closed", soon) is None
    waiting = _row(demo, alert["id"], "awaiting", soon)
    assert waiting is not None and waiting["decision"] == "awaiting"
    assert waiting["decision_deadline"] == CLOCK.decision_deadline(raised).isoformat()
    assert _row(demo, alert["id"], "overdue", soon) is None
    late = _row(demo, alert["id"], "overdue", raised + timedelta(days=6))
    assert late is not None and late["overdue"] and late["decision"] == "awaiting"

    # its page, and the agencies' view of what came of their reports
    page = alert_detail(demo, alert["id"], now=soon)
    assert page["decision"]["status"] == "awaiting"
    assert [d["action"] for d in page["decision"]["history"]] == ["close"]
    report = demo.reports_by_pk([alert["evidence"][0]])[alert["evidence"][0]]
    told = outcome(demo.submission(report["org"], report["report_id"])["outcome"])["outcome"]
    assert {"state": "awaiting", "text": "awaiting the panel's decision",
            "since": raised.isoformat()} in told

    # a new decision closes it again; every decision stays
    record_decision(demo, alert["id"], action="close", owner="Panel chair",
                    rationale="Seen again: the driver has left the area, police confirm.")
    state = decision_state(demo.alert(alert["id"]), demo.decisions([alert["id"]]))
    assert state["status"] == "closed" and len(state["history"]) == 2
    assert _row(demo, alert["id"], "closed", soon) is not None
    assert _row(demo, alert["id"], "overdue", raised + timedelta(days=6)) is None


def test_an_actioned_alert_raised_again_awaits_a_new_decision(demo: Store) -> None:
    """An action agreed before, with its due date, is history too: what came back is
    decided afresh."""
    alert = _plate_alert(demo)
    record_decision(demo, alert["id"], action="strategy_meeting", owner="DS Khan",
                    due=datetime.now(UTC).date() + timedelta(days=2),
                    rationale="Meeting on the private-hire firm.")
    _withdraw_and_raise_again(demo, alert)
    now = datetime.now(UTC) + timedelta(hours=1)
    assert _row(demo, alert["id"], "actioned", now) is None
    assert _row(demo, alert["id"], "awaiting", now) is not None


def _engine_row(alert: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in alert.items() if k not in KEPT}


def test_an_alert_withdrawn_before_any_decision_keeps_its_clock(demo: Store) -> None:
    """It was owed its decision all along: coming back does not give the panel more time."""
    alert = _plate_alert(demo)
    key = {"subjects": {alert["subject"]}, "rules": [alert["rule"]]}
    assert demo.sync_alerts([], **key) == (0, 1)
    assert demo.sync_alerts([_engine_row(alert)], **key) == (0, 0)
    back = demo.alert(alert["id"])
    created = _aware(back["created_at"])
    assert _row(demo, alert["id"], "overdue", created + timedelta(days=6)) is not None
    assert back["status"] == "open" and back["reraised_at"] is None


def test_each_time_it_comes_back_after_a_decision_it_starts_again(demo: Store) -> None:
    alert = _plate_alert(demo)
    key = {"subjects": {alert["subject"]}, "rules": [alert["rule"]]}
    decide = {"action": "close", "owner": "Panel chair", "rationale": "Driver identified."}
    for turn in (1, 2):
        pk = record_decision(demo, alert["id"], **decide)["pk"]
        demo.sync_alerts([], **key)
        demo.sync_alerts([_engine_row(alert)], **key)
        back = demo.alert(alert["id"])
        state = decision_state(back, demo.decisions([alert["id"]]))
        assert state["status"] == "awaiting" and len(state["history"]) == turn
        assert back["reraised_after"] == pk
    # raised again while still open (re-evaluated, never withdrawn): nothing starts again
    record_decision(demo, alert["id"], **decide)
    demo.sync_alerts([_engine_row(alert)], **key)
    assert demo.alert(alert["id"])["reraised_after"] == pk
    state = decision_state(demo.alert(alert["id"]), demo.decisions([alert["id"]]))
    assert state["status"] == "closed"


def test_a_decision_recorded_as_the_alert_comes_back_is_history_not_the_new_one(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decision being recorded on a withdrawn alert at the moment a run raises it again was
    about what the panel knew before: it must not stand as the decision the alert now awaits.
    The decision holds the alert's row until it commits, so the run's re-raise waits for it
    and counts it among the history."""
    import threading

    import joinedup.audit

    alert = _plate_alert(demo)
    key = {"subjects": {alert["subject"]}, "rules": [alert["rule"]]}
    decide = {"action": "close", "owner": "Panel chair", "rationale": "Driver identified."}
    first = record_decision(demo, alert["id"], **decide)["pk"]
    demo.sync_alerts([], **key)  # withdrawn after a decision

    inside, release = threading.Event(), threading.Event()
    real = joinedup.audit.decision_record

    def paused(stored: dict[str, Any]) -> dict[str, Any]:  # inside the decision's transaction
        inside.set()
        release.wait(10)
        return real(stored)

    monkeypatch.setattr(joinedup.audit, "decision_record", paused)
    recorded: dict[str, int] = {}
    raised = threading.Event()
    decider = threading.Thread(
        target=lambda: recorded.update(pk=record_decision(demo, alert["id"], **decide)["pk"]))
    engine = threading.Thread(
        target=lambda: (demo.sync_alerts([_engine_row(alert)], **key), raised.set()))
    decider.start()
    assert inside.wait(10)
    engine.start()
    raised.wait(1.5)  # without the row held, the run raises it again here, mid-decision
    release.set()
    decider.join(20)
    engine.join(20)
    assert not decider.is_alive() and not engine.is_alive() and raised.is_set()

    back = demo.alert(alert["id"])
    assert back["status"] == "open"
    assert recorded["pk"] > first and back["reraised_after"] == recorded["pk"]
    state = decision_state(back, demo.decisions([alert["id"]]))
    assert state["status"] == "awaiting" and len(state["history"]) == 2
