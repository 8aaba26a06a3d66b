"""The consent refusal's remaining gaps, closed: a digit, symbol or capital I drawn like a letter
inside a word ("c0nsensual", "$he", "consensuaI"), look-alikes from scripts the old table did not
list, letters far apart, doubting wording and paraphrases outside the old lists; and the
over-refusals: a run-on clause that denies consent, and a parent "happy to go with him".

The wording is the profile's data (``decisions.yaml``, ``refused_rationales``); the reading is
``decide/rationale.py``. The allowed lists pin professional wording that must still pass, and the
last test reads every sentence of a generated scenario, which must all pass."""

from __future__ import annotations

import re

import pytest

from joinedup.decide import decision_rules, record_decision
from joinedup.decide.rationale import latin_lookalike
from joinedup.errors import DecisionRefused
from joinedup.generate import generate_scenario, narratives_only
from joinedup.store import Store


def refused(rationale: str, action: str = "close") -> bool:
    return decision_rules("safeguarding").refusal(action, rationale) is not None


def read(rationale: str) -> str:
    return decision_rules("safeguarding").refused.read(rationale)


LOOKALIKE_DIGITS_AND_SYMBOLS = [
    "It was c0nsensual.",
    "It was consensuaI.",  # a capital I for an l
    "C0NSENSUAI",
    "LIFESTYIE",  # a capital I for an i, and one for an l
    "A l1festyle choice.",
    "It was her ch0ice.",
    "She went w!llingly.",
    "She went wiIIingly.",
    "It was v0luntary.",
    "She is s3xually act1ve.",
    "It was c0n5en5ual.",
    "Of her own fr33 will.",
    "c1o1n1s1e1n1t",  # a digit between the letters, standing for nothing
    "c 0 n s e n t",  # a lone digit in a word spelt out
    "l i f e 5 t y l e",
]
# Look-alikes that Unicode's confusables data knows and the old hand-written table did not.
LOOKALIKE_LETTERS = [
    "It was c\u0585nsensual.",  # Armenian oh
    "It was consens\u057dal.",  # Armenian seh
    "It was \u1d04onsensual.",  # Latin letter small capital c
    "It was consensual\u0331ly.",  # a combining macron below
    "It was con\u20ddsensual.",  # an enclosing circle
    "It was con\u3164sensual.",  # a Hangul filler, a letter that draws nothing
    "It was \u13dfONSENSUAL.",  # Cherokee letter tli, drawn like C
]
FAR_APART = [
    " - - - - - ".join("consensual"),
    "l ...... i ...... f ...... e ...... s ...... t ...... y ...... l ...... e",
]
DOUBTING = [
    "I would question whether it was not consensual.",
    "We query whether she did not consent.",
    "I wonder if it was not her choice.",
    "It is open to question whether it was not consensual.",
]
PARAPHRASES = [
    "She went along with it.",
    "She went along with his demands.",
    "She did not resist.",
    "She didn't object.",
    "He never objected.",
    "She never said no.",
    "She showed no resistance.",
    "It is mutual.",
    "The feelings are mutual.",
    "A mutual relationship.",
    "She is streetwise.",
    "She is very street-wise.",
]
# Refused before this change too; pinned beside the paraphrases the change added.
ALREADY_REFUSED = [
    "She knew what she was doing.",
    "She was up for it.",
    "She was happy to go with them.",
    "Mother said she was happy to go with him.",  # "she" may be the child
]


@pytest.mark.parametrize(
    "rationale", LOOKALIKE_DIGITS_AND_SYMBOLS + LOOKALIKE_LETTERS + FAR_APART
)
def test_a_word_disguised_with_lookalikes_or_spaced_out_is_refused(rationale: str) -> None:
    assert refused(rationale)


@pytest.mark.parametrize("rationale", DOUBTING)
def test_a_negation_questioned_is_doubted_and_refused(rationale: str) -> None:
    assert refused(rationale)


@pytest.mark.parametrize("rationale", PARAPHRASES + ALREADY_REFUSED)
def test_compliance_and_mutuality_said_of_the_child_are_refused(rationale: str) -> None:
    assert refused(rationale)


@pytest.mark.parametrize(
    "rationale",
    [
        # a doubt still reaches a clause it introduces, however far
        "No evidence she said it was not consensual.",
        "No evidence at all it was not consensual.",
        "We cannot say at this stage it was not consensual.",
        "Not clear she told police it was not consensual.",
    ],
)
def test_a_doubt_reaches_the_clause_it_introduces(rationale: str) -> None:
    assert refused(rationale)


# Refused before this change; accepted now.
NO_LONGER_REFUSED = [
    # a run-on clause without punctuation, denying consent after a doubt that ended
    "No concerns at school she went missing it was not consensual",
    "No evidence she was at the address she did not consent to any of it",
    "Not known to services there was no contact it was not her choice",
    # a parent, not the child
    "Mother was happy to go with him.",
    "Her mother was keen to go with them to the police station.",
    "Mum was fine with it; referral to early help.",
]


@pytest.mark.parametrize("rationale", NO_LONGER_REFUSED)
def test_a_run_on_denial_and_a_parents_wishes_are_accepted(rationale: str) -> None:
    assert not refused(rationale)


STILL_ALLOWED = [
    "Older boyfriend, 24, picks her up from school; strategy meeting.",
    "She believes she is in a relationship with him; he is 24.",
    "She cannot consent; this is exploitation.",
    "Mother gave consent to share information with health.",
    "The age of consent is 16; she is 14.",
    "Mother's chaotic lifestyle noted; referred to early help.",
    "she went missing it was not consensual",
    # numbers, plates, postcodes and capitals are not look-alikes
    "She is 16.",
    "A 15-year-old girl was seen with 2 men.",
    "Seen in MA08 XKE near OL11 3AB at 10am on 4/5; 3rd episode; s47 enquiry.",
    "It Is In Her Interests To Be Safe; CSE Team Informed.",
    "Imran and Isla attended; IDVA informed.",
    "Consent!",  # an exclamation mark is not a letter: "consent" is read and refused
    # negations read through look-alikes still excuse
    "It was n0t consensual.",
    "She cann0t c0nsent.",
    # the paraphrases' professional neighbours
    "It was not mutual.",
    "She was introduced by a mutual friend.",
    "She is not streetwise; she is 12.",
    "She did not object to the referral.",
    "She raised no objection to the strategy meeting.",
    "The police did not object.",
    "She felt she had to go along with it.",
    "She could not say no; he is 30.",
]


@pytest.mark.parametrize("rationale", STILL_ALLOWED)
def test_professional_notes_are_not_refused(rationale: str) -> None:
    assert refused(rationale) == (rationale == "Consent!")


@pytest.mark.parametrize(
    ("rationale", "reading"),
    [
        ("$he consented", " she consented "),
        ("c0nsensual", " consensual "),
        ("It was consensuaI", " it was consensual "),
        ("c1o1n1s1e1n1t", " consent "),
        ("OL11 3AB", " ol11 3ab "),
        ("86a High Street", " 86a high street "),  # a digit at the edge stands for itself
        ("a 15-year-old", " a 15 year old "),
        ("she!consented", " she . consented "),  # "!" stays a mark where that reads better
        ("It Is", " it is "),
    ],
)
def test_a_lookalike_is_read_as_the_letter_only_where_it_makes_a_known_word(
    rationale: str, reading: str
) -> None:
    assert read(rationale) == reading


def test_other_scripts_lookalikes_come_from_unicode_confusables_data() -> None:
    assert [latin_lookalike(ch) for ch in "\u0441\u0585\u0442\u13df\u0406c1"] == [
        "c", "o", "t", "C", "I", "c", "1"
    ]


@pytest.mark.parametrize(
    "rationale", ["It was c0nsensual; keep under review.", "She went along with it."]
)
def test_closing_on_a_lookalike_or_paraphrase_is_refused_in_the_store(
    store: Store, alert_id: str, rationale: str
) -> None:
    with pytest.raises(DecisionRefused, match="cannot consent"):
        record_decision(store, alert_id, action="close", owner="Chair", rationale=rationale)
    assert store.decisions([alert_id]) == []


def test_mother_happy_to_go_with_him_is_recorded(store: Store, alert_id: str) -> None:
    record_decision(store, alert_id, action="close", owner="Chair",
                    rationale="Mother was happy to go with him to the police station.")
    assert [d["action"] for d in store.decisions([alert_id])] == ["close"]


def test_no_sentence_of_a_generated_scenario_is_refused() -> None:
    """Over-refusal: professional prose full of ages, dates, plates and postcodes passes."""
    scenario = generate_scenario(seed=391, reports=300)
    texts = [r.get("narrative") or "" for r in narratives_only(scenario.reports, 391)]
    sentences = {s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if s.strip()}
    assert len(sentences) > 1000
    assert [s for s in sorted(sentences) if refused(s)] == []
