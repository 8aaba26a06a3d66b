"""A conflict alert is decided with the conflict profile's actions, not the safeguarding
panel's. Before, every alert was held to safeguarding's decisions.yaml and timescales: an
attack on a hospital offered "Strategy meeting" and "SERAF risk reassessment", refused a
documentation team's own actions, and took English bank holidays for its due dates. On both
stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from joinedup.decide import DecisionInvalid, alert_profile, decision_rules, record_decision
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.web.views import alert_detail

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo"
NEXT_WEEK = (datetime.now(UTC) + timedelta(days=7)).date()


@pytest.fixture
def both(store: Store) -> Store:
    """The two demos in one store: safeguarding's alerts beside conflict's."""
    import_file(store, DEMO / "safeguarding.jsonl")
    import_file(store, DEMO / "conflict.jsonl")
    process(store)
    return store


def _alert(store: Store, rule: str) -> str:
    return next(a["id"] for a in store.alerts("open") if a["rule"] == rule)


def test_an_attack_on_health_care_is_decided_with_the_conflict_profiles_actions(
    both: Store,
) -> None:
    attack = _alert(both, "attack_on_health_care")
    assert alert_profile(both, attack) == "conflict"
    row = record_decision(both, attack, action="seek_verification", owner="Documentation lead",
                          rationale="Ask the hospital's director and the partner network.",
                          due=NEXT_WEEK)
    assert row["action"] == "seek_verification"
    with pytest.raises(DecisionInvalid, match="seek_verification") as refused:
        record_decision(both, attack, action="strategy_meeting", owner="x", rationale="y",
                        due=NEXT_WEEK)
    assert refused.value.field == "action"
    # the page offers the conflict profile's actions and names the conflict rule
    page = alert_detail(both, attack)
    assert [a["id"] for a in page["actions"]] == list(decision_rules("conflict").actions)
    assert page["rule_label"] != "attack_on_health_care"
    # a due date before today is refused here too, though the profile sets no deadlines
    with pytest.raises(DecisionInvalid, match="before today"):
        record_decision(both, attack, action="preserve_evidence", owner="x", rationale="y",
                        due=datetime.now(UTC).date() - timedelta(days=1))


def test_a_safeguarding_alert_keeps_the_panels_actions_and_the_consent_refusal(
    both: Store,
) -> None:
    concern = _alert(both, "linked_children")
    assert alert_profile(both, concern) == "safeguarding"
    with pytest.raises(DecisionInvalid) as refused:
        record_decision(both, concern, action="seek_verification", owner="x", rationale="y",
                        due=NEXT_WEEK)
    assert refused.value.field == "action" and "strategy_meeting" in str(refused.value)
    assert "seek_verification" not in [a["id"] for a in alert_detail(both, concern)["actions"]]
