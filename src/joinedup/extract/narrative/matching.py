"""Phrase books (links, indicators) run over a narrative with spaCy's Matcher.

A Matcher costs time for every pattern at every token, and a phrase book has hundreds of
patterns; so each pattern has its own Matcher and runs only on the sentences that contain its
*anchor*, the least common word it requires ("hotel" in "a hotel key card"). A pattern that
requires no particular word runs on every sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import Matcher
from spacy.tokens import Span
from spacy.util import filter_spans

from joinedup.extract.narrative.negation import negated
from joinedup.extract.narrative.phrases import load_phrase_book
from joinedup.extract.narrative.pipeline import Reading, nlp


@dataclass(frozen=True)
class PhraseIndex:
    """A Matcher per pattern, and which patterns each anchor word wakes."""

    matchers: tuple[Matcher, ...]
    by_word: dict[str, tuple[int, ...]]
    always: tuple[int, ...]

    def spans(self, sentence: Span, words: list[str]) -> list[Span]:
        """Every match of every pattern woken by the sentence's words (lower case)."""
        woken: set[int] = set(self.always)
        by_word = self.by_word
        for word in words:
            if word in by_word:
                woken.update(by_word[word])
        found: list[Span] = []
        for i in sorted(woken):
            found.extend(self.matchers[i](sentence, as_spans=True))
        return found


def _anchor(pattern: list[dict[str, Any]]) -> frozenset[str] | None:
    """The words of the required token whose words are least common, or None."""
    best: frozenset[str] | None = None
    best_cost = 0.0
    for token in pattern:
        if token.get("OP") in ("?", "*") or str(token.get("OP", "")).startswith("{0"):
            continue
        lower = token.get("LOWER")
        if lower is None:
            continue
        words = frozenset([lower] if isinstance(lower, str) else lower["IN"])
        cost = len(words) + 20 * sum(w in STOP_WORDS for w in words)
        if best is None or cost < best_cost:
            best, best_cost = words, cost
    return best


@cache
def phrase_index(path: Path, known_ids: frozenset[str] | None) -> PhraseIndex:
    """The index of one phrase file, built once per file: one Matcher for each anchor (the
    patterns that share it), one for the patterns without."""
    groups: dict[frozenset[str] | None, list[tuple[str, list[dict[str, Any]]]]] = {}
    for key, patterns in load_phrase_book(path, known_ids).items():
        for pattern in patterns:
            groups.setdefault(_anchor(pattern), []).append((key, pattern))
    matchers: list[Matcher] = []
    by_word: dict[str, list[int]] = {}
    always: list[int] = []
    for anchor, members in groups.items():
        matcher = Matcher(nlp().vocab)
        by_key: dict[str, list[list[dict[str, Any]]]] = {}
        for key, pattern in members:
            by_key.setdefault(key, []).append(pattern)
        for key, patterns in by_key.items():
            matcher.add(key, patterns, greedy="LONGEST")
        index = len(matchers)
        matchers.append(matcher)
        if anchor is None:
            always.append(index)
        for word in anchor or ():
            by_word.setdefault(word, []).append(index)
    return PhraseIndex(tuple(matchers), {w: tuple(v) for w, v in by_word.items()},
                       tuple(always))


def propose_phrases(reading: Reading, index: PhraseIndex, kind: str, confidence: float,
                    rule: str) -> None:
    """One proposal per longest non-overlapping match that is not negated."""
    found: list[Span] = []
    lowers = reading.lowers
    for sentence in reading.sentences:
        found.extend(index.spans(sentence, lowers[sentence.start:sentence.end]))
    for span in sorted(filter_spans(found), key=lambda s: s.start):
        if negated(reading, span.start):
            continue
        reading.propose(kind, span.start_char, span.end_char, span.label_, confidence,
                        f"{rule}.{span.label_}", claim=False)
