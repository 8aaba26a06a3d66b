"""A child cannot consent: a rationale framing a child's exploitation as consent or choice is
refused on every action, however it is spelt, and an action cannot park an alert for years.

The wording is the profile's data (``decisions.yaml``); these tests pin the bypasses a reviewer
found in a real store, and the professional wording that must still be accepted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from joinedup.decide import DecisionInvalid, decision_rules, record_decision
from joinedup.errors import DecisionRefused
from joinedup.store import Store

NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)


def refused(rationale: str, action: str = "close") -> bool:
    return decision_rules("safeguarding").refusal(action, rationale) is not None


INVISIBLE = [
    "It was con\u200bsensual.",  # zero-width space
    "It was con\u00adsensual.",  # soft hyphen
    "It was con\u200dsen\u200csual.",  # zero-width joiner and non-joiner
    "It was con\u2060sensual.",  # word joiner
    "It was consen\ufeffsual.",  # zero-width no-break space
    "Life\u00adstyle choice.",
]
CONFUSABLE = [
    "It was \u0441onsensual.",  # Cyrillic es
    "It was c\u043ensensual.",  # Cyrillic o
    "It was c\u03bfnsensual.",  # Greek omicron
    "Lif\u0435style.",  # Cyrillic ie
    "\u0421\u041eNSENSUAL",  # Cyrillic capitals
    "It was \uff43\uff4f\uff4e\uff53\uff45\uff4e\uff53\uff55\uff41\uff4c.",  # full-width
    "It was cons\u00e9nsual.",  # an accent
]
SEPARATED = [
    "A life\u2010style choice.",  # Unicode hyphen
    "A life\u2011style choice.",  # non-breaking hyphen
    "A life\u2014style choice.",  # em dash
    "life_style",
    "It was con-sensual.",
]
REWORDED = [
    "she choose to go with him",
    "She has chosen to.",
    "She is agreeing to meet him.",
    "she agrees to go",
    "She makes her own decisions.",
    "It is her decision.",
    "She went of her own free will.",
    "She went voluntarily.",
    "Voluntary contact with the men.",
    "She is there by choice.",
    "A personal choice.",
    "Consentual relationship.",
    "Concensual.",
    "She went of her own accord.",
]
# Refused when closing before, and now on every action.
PLAIN = [
    "LIFE - STYLE",
    "She chooses to stay with them.",
    "Choosing to go to the parties.",
    "She agreed to sex with him.",
    "Made her own choices.",
    "It was her choice.",
    "Consensually, by all accounts.",
    "She consents.",
    "She says it was consensual.",
    "She went willingly.",
]


@pytest.mark.parametrize("rationale", INVISIBLE + CONFUSABLE + SEPARATED + REWORDED)
def test_consent_or_choice_however_spelt_is_refused(rationale: str) -> None:
    assert refused(rationale)


@pytest.mark.parametrize("action", ["keep_under_review", "strategy_meeting", "safety_plan"])
@pytest.mark.parametrize("rationale", PLAIN + REWORDED[:3] + INVISIBLE[:1] + CONFUSABLE[:1])
def test_the_refusal_holds_on_every_action_not_only_closing(action: str, rationale: str) -> None:
    assert refused(rationale, action)


LEGITIMATE = [
    "She cannot consent; this is exploitation.",
    "A 14-year-old cannot consent. Strategy meeting held.",
    "No consent is possible at her age.",
    "She can\u2019t consent to this.",
    "She is under the age of consent.",
    "She did not consent.",
    "It was not consensual: she was groomed.",
    "This is not a lifestyle choice.",
    "Exploitation rather than a lifestyle choice.",
    "It was never her choice.",
    "Despite saying it was her choice, this is exploitation.",
    "Although she says it was consensual, she is 14 and this is exploitation.",
    "Consent is not a defence; duplicate of the strategy meeting already held.",
    "Mother gave consent to share information with health.",
    "Parental consent for the referral was given.",
    "She agreed to a safety plan with the care home.",
    "She agreed to a return-home interview.",
    "She is willing to engage with the school nurse.",
    "It was agreed to review at the next panel.",
    "The police agreed to lead the disruption.",
]


@pytest.mark.parametrize("rationale", LEGITIMATE)
def test_professional_wording_about_consent_is_accepted(rationale: str) -> None:
    assert not refused(rationale)


@pytest.mark.parametrize(
    ("accepted", "refused_twin"),
    [
        ("Her decision to disclose to the teacher was brave; the men are charged.",
         "It is her decision to see him."),
        ("She is unwilling to talk about it; review after the interview.",
         "She goes voluntarily; review after the interview."),
        ("Professional consensus: exploitation; review at the next panel.",
         "Concensual; review at the next panel."),
        ("She chose to disclose to her teacher.", "She chose to go with them."),
    ],
)
def test_near_misses_are_told_apart_on_an_action_that_keeps_the_alert_open(
    accepted: str, refused_twin: str
) -> None:
    assert not refused(accepted, "keep_under_review")
    assert refused(refused_twin, "keep_under_review")


def test_a_refused_rationale_says_what_to_write_instead_and_which_words() -> None:
    message = decision_rules("safeguarding").refusal("keep_under_review", "Her own choice.")
    assert message is not None and "cannot consent" in message
    assert "describe" in message.lower() and "her own choice" in message


@pytest.mark.parametrize(
    "rationale",
    ["It was con\u200bsensual.", "\u0441onsensual", "A life\u2010style choice.",
     "She makes her own decisions."],
)
def test_closing_with_a_disguised_consent_is_refused_in_the_store(
    store: Store, alert_id: str, rationale: str
) -> None:
    with pytest.raises(DecisionRefused, match="cannot consent"):
        record_decision(store, alert_id, action="close", owner="Chair", rationale=rationale)
    assert store.decisions([alert_id]) == []


def test_keeping_a_consent_rationale_under_review_is_refused_and_nothing_to_point_back_to(
    store: Store, alert_id: str
) -> None:
    """The reviewer's bypass: keep under review "on consent", then close "as above"."""
    with pytest.raises(DecisionRefused, match="cannot consent"):
        record_decision(store, alert_id, action="keep_under_review", owner="Chair",
                        due="2026-12-20", now=NOW,
                        rationale="Consensual relationship; lifestyle choice; she chose to.")
    with pytest.raises(DecisionRefused, match="cannot consent"):
        record_decision(store, alert_id, action="strategy_meeting", owner="DS Khan",
                        due="2026-12-10", now=NOW,
                        rationale="She says it was consensual. Meeting called.")
    assert store.decisions([alert_id]) == []


def test_an_action_without_a_statutory_limit_cannot_park_an_alert_for_years(
    store: Store, alert_id: str
) -> None:
    with pytest.raises(DecisionInvalid) as err:
        record_decision(store, alert_id, action="keep_under_review", owner="Chair",
                        due="2099-12-31", now=NOW, rationale="Review at the next panel.")
    assert err.value.field == "due" and "1 month" in err.value.reason
    assert "2027-01-07" in err.value.reason
    assert store.decisions([alert_id]) == []
    record_decision(store, alert_id, action="keep_under_review", owner="Chair",
                    due="2027-01-07", now=NOW, rationale="Review at the next panel.")
    assert [d["action"] for d in store.decisions([alert_id])] == ["keep_under_review"]


@pytest.mark.parametrize("action", ["keep_under_review", "information_request", "safety_plan",
                                    "disruption", "referral_to_police"])
def test_actions_without_a_statutory_limit_are_capped_by_the_profile(action: str) -> None:
    from joinedup.decide.timescales import timescales

    latest = timescales("safeguarding").latest_due(action, NOW)
    assert latest is not None and latest[0] <= datetime(2027, 1, 7).date()
