"""Whether a phrase is negated or doubted by the words before it in its clause.

"There is no sign she was given alcohol", "she denies being given drugs", "not missing":
a negation cue (``lexicon.yaml``: ``negation_cues``) up to ``WINDOW`` tokens before the
phrase, with no clause break (``clause_breaks``: "but", "however", a full stop) between,
makes the phrase a sign that is *not* there, so it is not proposed.
"""

from __future__ import annotations

from joinedup.extract.narrative.pipeline import Reading, lexicon

WINDOW = 7
"""Tokens before a phrase that a negation reaches across: "no suggestion that Leah was"."""


def negated(reading: Reading, start: int) -> bool:
    """Whether the phrase starting at token ``start`` is negated or doubted."""
    cues = lexicon().words("negation_cues", lower=True)
    breaks = lexicon().words("clause_breaks", lower=True)
    lowers, ends = reading.lowers, reading.sentence_ends
    for i in range(start - 1, max(-1, start - 1 - WINDOW), -1):
        word = lowers[i]
        if word in breaks or i in ends:
            return False
        if word in cues:
            return True
    return False
