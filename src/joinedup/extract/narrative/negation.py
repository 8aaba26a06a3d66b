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


Cue = tuple[str, ...]
"""A cue of one or more words in a row, lower case."""


def cued(reading: Reading, start: int, cues: frozenset[Cue], window: int,
         breaks: frozenset[str]) -> bool:
    """Whether one of ``cues`` ends within ``window`` tokens before token ``start``, with no
    word of ``breaks`` or sentence end between: the context that makes words a sign that is
    not there ("no sign of gifts, money or a new phone"), or not yet ("report any further
    missing episode"), or someone else's ("charged with supplying alcohol")."""
    if not cues:
        return False
    lowers, ends = reading.lowers, reading.sentence_ends
    longest = max(len(c) for c in cues)
    for i in range(start - 1, max(-1, start - 1 - window), -1):
        if lowers[i] in breaks or i in ends:
            return False
        for n in range(1, longest + 1):
            if i - n + 1 >= 0 and tuple(lowers[i - n + 1:i + 1]) in cues:
                return True
    return False
