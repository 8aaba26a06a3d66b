"""The consent refusal's known gaps, closed: a word spelt out letter by letter or split in two, a
double negation, and victim-blaming wording outside the old list are refused; professional notes
the old list refused ("mother's chaotic lifestyle", "non-consensual images", "the age of consent
is 16") are accepted.

The wording is the profile's data (``decisions.yaml``, ``refused_rationales``); the reading is
``decide/rationale.py``. Each list below pins one gap, and the allowed lists pin the professional
wording the new rules must not refuse."""

from __future__ import annotations

import pytest

from joinedup.decide import decision_rules, record_decision
from joinedup.decide.rationale import refused_wording
from joinedup.errors import DecisionRefused, ProfileError
from joinedup.store import Store


def found(rationale: str, action: str = "close") -> str | None:
    return decision_rules("safeguarding").refusal(action, rationale)


def refused(rationale: str, action: str = "close") -> bool:
    return found(rationale, action) is not None


SPELT_OUT = [
    "l i f e s t y l e",
    "It was a l i f e s t y l e choice.",
    "It was a 'l i f e s t y l e' choice.",
    "l-i-f-e-s-t-y-l-e",
    "l.i.f.e.s.t.y.l.e",
    "L . I . F . E . S . T . Y . L . E",
    "l....i....f....e....s....t....y....l....e",
    "l.i.f.e style",
    "c o n s e n s u a l",
    "It was c.o.n.s.e.n.s.u.a.l.",
    "c.o.n.s.e.n.t",
    "w i l l i n g l y",
    "It was h e r  o w n  c h o i c e.",
    "i t w a s c o n s e n s u a l",
    "s e x u a l l y a c t i v e",
    "cons ensual",
    "conse nsual",
    "con. sent",
    "life sty le",
    "lifestyl e",
    "co ns en su al",
    "con s e nsual",
    "itwasconsensual",
    "lifestylechoice",
    "It was herownchoice.",
    "of her own freewill",
]
DOUBLE_NEGATION = [
    "No evidence it was not consensual.",
    "There is no evidence that it wasn't consensual.",
    "Cannot say it was not her choice.",
    "Not clear it wasn't consensual.",
    "It is not clear that it was not consensual.",
    "It was not non-consensual.",
    "Nothing to suggest it was not her choice.",
    "Nothing suggests she was not willing.",
    "We do not think it was not consensual.",
    "We have no reason to believe it was not consensual.",
    "I doubt it was not consensual.",
    "It cannot be said that she did not consent.",
    "The panel does not accept it was not consensual.",
    "Hard to say whether it was not her choice.",
    "Unconvinced it was not consensual.",
    "CPS: insufficient evidence she did not consent.",
    # wording that denies consent by itself, negated or doubted
    "There is no indication she was unwilling.",
    "She was not unwilling.",
    "No evidence it was against her will.",
    "Not clear she didn't want to.",
    # spelt out as well
    "n o e v i d e n c e i t w a s n o t c o n s e n s u a l",
]
# The child wanting it, and the victim-blaming terms of the Children's Society and NSPCC
# language guidance (the comment above `refused_rationales` in decisions.yaml).
OUTSIDE_THE_OLD_LIST = [
    "She said she wanted to.",
    "He wanted to go.",
    "She wants it.",
    "She has always wanted to be with him.",
    "She told police she wanted to go with them.",
    "She wanted to see her boyfriend.",
    "Amy wanted to go with him.",
    "She wanted it to happen.",
    "Happy to go.",
    "She was happy to go with him.",
    "She seemed fine with it.",
    "Putting herself at risk.",
    "She keeps putting herself in dangerous situations.",
    "He is placing himself at risk of harm.",
    "Making poor choices.",
    "She makes bad decisions.",
    "Risk-taking behaviour.",
    "Sexually active.",
    "She is sexually active with a 24-year-old.",
    "Promiscuous.",
    "She is prostituting herself.",
    "Child prostitute.",
    "She is selling sex.",
    "She knew what she was doing.",
    "She brought it on herself.",
    "It was her own fault.",
    "Of her own volition.",
    "She is 17 and able to decide for herself.",
    "She is not under the age of consent.",
]


@pytest.mark.parametrize("rationale", SPELT_OUT)
def test_a_word_spelt_out_split_or_run_together_is_refused(rationale: str) -> None:
    assert refused(rationale)


@pytest.mark.parametrize("rationale", DOUBLE_NEGATION)
def test_a_doubted_negation_asserts_the_framing_and_is_refused(rationale: str) -> None:
    assert refused(rationale)


@pytest.mark.parametrize("rationale", OUTSIDE_THE_OLD_LIST)
def test_the_child_wanting_it_and_victim_blaming_terms_are_refused(rationale: str) -> None:
    assert refused(rationale)


# Refused before; accepted now.
NEWLY_ALLOWED = [
    "Mother's chaotic lifestyle noted; referred to early help.",
    "The parents' chaotic lifestyle; referral to early help.",
    "Father leads a chaotic lifestyle.",
    "The lifestyle of the parents is chaotic.",
    "Although over the age of consent, she is 17 and this is exploitation.",
    "She is 17: over the age of consent but still a child.",
    "The age of consent is 16; she is 14.",
    "Non-consensual images were shared.",
    "She was neither willing nor consenting.",
    "Her decision-making is affected by the grooming.",
]


@pytest.mark.parametrize("rationale", NEWLY_ALLOWED)
def test_professional_notes_the_old_list_refused_are_accepted(rationale: str) -> None:
    assert not refused(rationale)


# Accepted before and still: the new rules must not refuse them.
STILL_ALLOWED = [
    # a negation that nothing doubts, and doubts that are no doubt
    "No further action: she was not consenting; referred to police.",
    "No further action she was not consenting.",
    "Under the age of consent; strategy meeting.",
    "She is 15, under the age of consent; strategy meeting.",
    "He says he did not know she was under the age of consent.",
    "She does not understand that she cannot consent.",
    "She doesn't see that it was not her choice.",
    "I'm not sure she understands she cannot consent.",
    "No doubt it was not consensual.",
    "I do not doubt that she did not consent.",
    "There is no question that she did not consent.",
    "She has not disclosed and did not consent.",
    "She was not believed when she said she did not consent.",
    "She was not able to say why she did not consent.",
    "Unknown man took her without her consent.",
    "Not clear why she went missing; she cannot consent.",
    "She is unwilling to talk to police.",
    "It was against her will.",
    "She did not want to go.",
    "She said she didn't want to.",
    # contractions, initials and lists are not words spelt out
    "This isn't a lifestyle choice.",
    "It's not a lifestyle choice.",
    "She's a child and cannot consent.",
    "J. S. M. attended the strategy meeting.",
    "Options a, b and c were considered; strategy meeting.",
    "Her willingness to engage with the nurse is positive.",
    "This is another example of exploitation.",
    # wanting and being happy to do what protects her
    "She said she wanted to die; CAMHS referral.",
    "She wanted to go home.",
    "She wants to return home to her mum.",
    "She wanted to leave but was threatened.",
    "She said she wanted to see her social worker.",
    "He said he wanted to meet her at the park.",
    "She was happy to go home.",
    "Panel happy to close.",
    "She wanted it to stop.",
    "She could not leave even if she wanted to.",
    "Mother wanted to see them at the weekend.",
    "She thinks it was her fault; she blames herself.",
    # professional wording about risk and relationships
    "The men put her at risk; strategy meeting.",
    "She is not putting herself at risk; the men are.",
    "She is not making poor choices; she is being groomed.",
    "She is being sexually exploited by a 24-year-old man; referral to police.",
    "Older boyfriend, 24, picks her up from school; strategy meeting.",
    "She believes she is in a relationship with him; he is 24; strategy meeting.",
    "Sexualised behaviour in a 9-year-old; referral to CAMHS.",
    "It was not her fault.",
    "Through no fault of her own.",
    "She asked for it to be reported to police.",
    "She did not know what she was getting into.",
    "She is not able to decide for herself; she is 14.",
]


@pytest.mark.parametrize("rationale", STILL_ALLOWED)
def test_professional_notes_are_not_refused_by_the_new_rules(rationale: str) -> None:
    assert not refused(rationale)


@pytest.mark.parametrize("action", list(decision_rules("safeguarding").actions))
@pytest.mark.parametrize(
    "rationale",
    ["l i f e s t y l e", "No evidence it was not consensual.", "She said she wanted to.",
     "Putting herself at risk."],
)
def test_every_action_in_the_profile_is_held_to_the_new_rules(action: str, rationale: str) -> None:
    assert refused(rationale, action)


@pytest.mark.parametrize("action", list(decision_rules("safeguarding").actions))
def test_every_action_accepts_a_parents_lifestyle(action: str) -> None:
    assert not refused("Mother's chaotic lifestyle noted; referred to early help.", action)


@pytest.mark.parametrize(
    ("rationale", "wording"),
    [
        ("No evidence it was not consensual.", "no evidence it was not consensual"),
        ("There is no indication she was unwilling.", "no indication she was unwilling"),
        ("l-i-f-e-s-t-y-l-e", "lifestyle"),
        ("She said she wanted to.", "wanted to"),
        ("Putting herself at risk.", "putting herself at risk"),
        ("Sexually active.", "sexually active"),
    ],
)
def test_the_message_says_what_to_write_instead_and_quotes_the_wording(
    rationale: str, wording: str
) -> None:
    message = found(rationale, "keep_under_review")
    assert message is not None
    assert "cannot consent" in message and "Describe the exploitation" in message
    assert "sexually exploited by" in message  # an example of what to write
    assert f"\u201c{wording}\u201d" in message


def test_a_rationale_is_read_with_spelt_out_and_split_words_joined() -> None:
    read = decision_rules("safeguarding").refused.read
    assert read("l-i-f-e-s-t-y-l-e") == " lifestyle "
    assert read("It was a l.i.f.e.s.t.y.l.e choice.") == " it was a lifestyle choice . "
    assert read("n o t h e r c h o i c e") == " not her choice "
    assert read("cons ensual") == " consensual "
    assert read("This isn't a lifestyle choice.") == " this isn t a lifestyle choice . "
    assert read("J. S. M. said so") == " jsm . said so "
    assert read("Her willingness") == " her willingness "


def test_a_refused_word_that_matches_nothing_is_a_profile_error() -> None:
    with pytest.raises(ProfileError, match="words"):
        refused_wording({"patterns": ["x"], "words": ["(consent)?"]}, "decisions.yaml")


@pytest.mark.parametrize(
    "rationale",
    ["l i f e s t y l e", "No evidence it was not consensual.", "She said she wanted to.",
     "Sexually active; no further action."],
)
def test_closing_on_a_closed_gap_is_refused_in_the_store(
    store: Store, alert_id: str, rationale: str
) -> None:
    with pytest.raises(DecisionRefused, match="cannot consent"):
        record_decision(store, alert_id, action="close", owner="Chair", rationale=rationale)
    assert store.decisions([alert_id]) == []


def test_a_parents_chaotic_lifestyle_is_recorded(store: Store, alert_id: str) -> None:
    record_decision(store, alert_id, action="close", owner="Chair",
                    rationale="Mother's chaotic lifestyle noted; referred to early help.")
    assert [d["action"] for d in store.decisions([alert_id])] == ["close"]
