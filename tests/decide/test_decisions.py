"""The panel's decisions: an action with an owner and a due date, never a child's 'consent'."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from joinedup.decide import DecisionInvalid, decision_rules, decision_state, record_decision
from joinedup.errors import DecisionRefused, NotFound
from joinedup.store import Store

SOON = (datetime.now(UTC) + timedelta(days=7)).date()  # a due date within every cap


@pytest.mark.parametrize(
    "rationale",
    [
        "She consents to the relationship.",
        "Consensual; she is 15.",
        "This is a lifestyle choice.",
        "Life-style matter, no further action",
        "Her own choice to go with him",
        "She chose to stay out with them",
        "She went willingly",
        "CONSENTED to it",
    ],
)
def test_closing_a_childs_concern_as_consent_or_lifestyle_is_refused(
    store: Store, alert_id: str, rationale: str
) -> None:
    with pytest.raises(DecisionRefused, match="cannot consent"):
        record_decision(store, alert_id, action="close", owner="Panel chair", rationale=rationale)
    assert store.decisions([alert_id]) == []  # nothing recorded; the alert stays awaiting


def test_a_closing_decision_with_a_proper_reason_is_kept(store: Store, alert_id: str) -> None:
    record_decision(
        store,
        alert_id,
        action="close",
        owner="Panel chair",
        rationale="Duplicate of the strategy meeting already held on the same children.",
    )
    [kept] = store.decisions([alert_id])
    assert kept["closes"] is True and kept["action"] == "close"
    alert = store.alert(alert_id)
    assert decision_state(alert, [kept])["status"] == "closed"


def test_consent_words_in_an_action_that_keeps_the_alert_open_are_refused_too(
    store: Store, alert_id: str
) -> None:
    """Any action, not only closing: "keep under review, consensual" parks the concern on
    consent. What a child said is recorded by describing the exploitation, not her "consent"."""
    def meeting(rationale: str) -> None:
        record_decision(store, alert_id, action="strategy_meeting", owner="DS Khan",
                        due=SOON, rationale=rationale)

    with pytest.raises(DecisionRefused, match="cannot consent"):
        meeting("She says it was consensual. Meeting called.")
    meeting("She calls him her boyfriend; a 14-year-old cannot consent. Meeting called.")
    assert [d["action"] for d in store.decisions([alert_id])] == ["strategy_meeting"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"action": "shrug", "owner": "x", "rationale": "y", "due": "2008-01-01"}, "action"),
        ({"action": "safety_plan", "owner": " ", "rationale": "y", "due": "2008-01-01"}, "owner"),
        ({"action": "safety_plan", "owner": "x", "rationale": "", "due": "2008-01-01"},
         "rationale"),
        ({"action": "safety_plan", "owner": "x", "rationale": "y"}, "due"),
        ({"action": "safety_plan", "owner": "x", "rationale": "y", "due": "next week"}, "due"),
    ],
)
def test_an_incomplete_decision_names_its_field(
    store: Store, alert_id: str, fields: dict[str, str], field: str
) -> None:
    with pytest.raises(DecisionInvalid) as err:
        record_decision(store, alert_id, **fields)
    assert err.value.field == field
    assert store.decisions([alert_id]) == []


def test_a_decision_on_an_unknown_alert_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        record_decision(
            store, "A-nope", action="safety_plan", owner="x", rationale="y", due=SOON
        )


def test_an_alert_without_a_decision_shows_how_long_it_has_waited(
    store: Store, alert_id: str
) -> None:
    alert = store.alert(alert_id)
    created = alert["created_at"]
    later = (created if created.tzinfo else created.replace(tzinfo=UTC)) + timedelta(hours=30)
    state = decision_state(alert, [], now=later)
    assert state["status"] == "awaiting"
    assert 29.9 < state["waited_hours"] < 30.1


def test_the_latest_decision_is_the_state_and_history_is_kept(store: Store, alert_id: str) -> None:
    first = datetime(2008, 1, 1, tzinfo=UTC)
    record_decision(store, alert_id, action="strategy_meeting", owner="A", due="2008-01-03",
                    rationale="Meet", now=first)
    record_decision(store, alert_id, action="safety_plan", owner="B", due="2008-01-10",
                    rationale="Plan agreed", now=first + timedelta(days=2))
    history = store.decisions([alert_id])
    state = decision_state(store.alert(alert_id), history)
    assert state["status"] == "actioned"
    assert state["latest"]["action"] == "safety_plan"
    assert [d["owner"] for d in state["history"]] == ["A", "B"]


def test_every_decision_is_in_the_audit_log(store: Store, alert_id: str) -> None:
    record_decision(store, alert_id, action="safety_plan", owner="A", due=SOON,
                    rationale="Plan")
    assert any(
        row["action"] == "decide" and row["target"] == f"alert/{alert_id}"
        for row in store.audit_rows()
    )


def test_the_profile_lists_actions_and_one_closes() -> None:
    rules = decision_rules("safeguarding")
    assert [a.id for a in rules.actions.values() if a.closes] == ["close"]
    assert rules.refusal("safety_plan", "Plan with the care home.") is None
    assert rules.refusal("safety_plan", "consent") is not None  # every action is held to it
