"""Phrase books (links, indicators) run over a narrative with spaCy's Matcher.

A Matcher costs time for every pattern at every token, and a phrase book has hundreds of
patterns; so each pattern has its own Matcher and runs only on the sentences that contain its
*anchor*, the least common word it requires ("hotel" in "a hotel key card"). A pattern that
requires no particular word runs on every sentence.

Most sentences that hold an anchor still hold no match (the anchor is one word of several the
pattern requires), and a Matcher call costs the same whether or not it finds anything: it
builds a Token for each word and tests every pattern at each. So before calling a Matcher the
sentence's words are checked against every word its patterns require (by the ``LOWER`` ids the
Matcher itself compares): a Matcher none of whose patterns can match is not called. This skips
only calls that would find nothing, so what is found is the same.

A Matcher's cost also grows with the tokens it is given, and every match contains an anchor
and is no longer than the longest of its patterns; so a Matcher whose patterns are all of
bounded length is given only the part of the sentence that reaches that far around the first
and last anchor (:class:`Reach`). States of the Matcher that begin before that part could
never have reached an anchor, and matches end (and are recorded) before its end, which is one
token further than any match can reach, so the matches, and their order, are the same.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from joinedup.extract.narrative.negation import negated
from joinedup.extract.narrative.phrases import load_phrase_book
from joinedup.extract.narrative.pipeline import Reading, nlp

Needs = tuple[frozenset[int], ...]
"""The ``LOWER`` ids of each token a pattern requires: one of each set must be in a sentence
for the pattern to match there."""


@dataclass(frozen=True)
class Reach:
    """How far a Matcher's matches can lie from its anchor: each contains a token whose
    ``LOWER`` id is in ``anchor_ids`` and is at most ``longest`` tokens long."""

    anchor_ids: frozenset[int]
    longest: int

    def window(self, ids: list[int], start: int, end: int) -> tuple[int, int]:
        """The part of the sentence ``[start, end)`` (tokens' ``LOWER`` ids ``ids``) that
        holds every match: from ``longest - 1`` tokens before its first anchor to
        ``longest + 1`` after its last (one more than a match can reach)."""
        hits = [i for i in range(start, end) if ids[i] in self.anchor_ids]
        if not hits:
            return start, end
        return max(start, hits[0] - self.longest + 1), min(end, hits[-1] + self.longest + 1)


@dataclass(frozen=True)
class PhraseIndex:
    """A Matcher per pattern, and which patterns each anchor word wakes."""

    matchers: tuple[Matcher, ...]
    by_word: dict[str, tuple[int, ...]]
    always: tuple[int, ...]
    needs: tuple[tuple[Needs, ...], ...]
    """For each Matcher, what each of its patterns requires (see :func:`_needs`)."""
    anchors: frozenset[str]
    """The words of ``by_word``, as a set to intersect with a sentence's words."""
    reaches: tuple[Reach | None, ...]
    """For each Matcher, how far its matches reach from its anchor (None: no bound known)."""

    def spans(self, doc: Doc, ids: list[int], start: int, end: int, words: frozenset[str],
              present: frozenset[int]) -> list[Span]:
        """Every match in the sentence ``doc[start:end]`` of every pattern woken by its
        ``words`` (lower case), whose Matcher has a pattern all of whose required words are
        ``present`` (``LOWER`` ids; ``ids`` are the doc's tokens'). Each Matcher is given
        only the part of the sentence its matches can lie in (:class:`Reach`)."""
        hits = words & self.anchors
        if not hits and not self.always:
            return []
        woken: set[int] = set(self.always)
        by_word = self.by_word
        for word in hits:
            woken.update(by_word[word])
        found: list[Span] = []
        for i in sorted(woken):
            if _possible(self.needs[i], present):
                reach = self.reaches[i]
                a, b = (start, end) if reach is None else reach.window(ids, start, end)
                found.extend(self.matchers[i](doc[a:b], as_spans=True))
        return found


def _possible(needs: tuple[Needs, ...], present: frozenset[int]) -> bool:
    """Whether any pattern could match a sentence whose words' ``LOWER`` ids are ``present``
    (loops rather than ``any(all(...))``: this runs for every woken Matcher)."""
    for need in needs:
        for ids in need:
            if ids.isdisjoint(present):
                break
        else:
            return True
    return False


def _required(token: dict[str, Any]) -> bool:
    """Whether a pattern token must match at least once (no ``OP``, ``+``, ``{n}``, ``{n,m}``
    with n >= 1); anything else (``?``, ``*``, ``!``, ``{0,m}``, ``{,m}``) may be absent."""
    op = token.get("OP")
    if op is None or op == "+":
        return True
    bounds = re.fullmatch(r"\{(\d*)(?:,\d*)?\}", str(op))
    return bounds is not None and bounds[1] != "" and int(bounds[1]) >= 1


def _needs(pattern: list[dict[str, Any]]) -> Needs:
    """The ids a pattern's required literal tokens accept, as the Matcher compares them
    (``vocab.strings.add`` of each lower-case word, the token's ``LOWER``)."""
    strings = nlp().vocab.strings
    out: list[frozenset[int]] = []
    for token in pattern:
        lower = token.get("LOWER")
        if not _required(token) or lower is None:
            continue
        if isinstance(lower, str):
            out.append(frozenset([strings.add(lower)]))
        elif isinstance(lower, dict) and set(lower) == {"IN"}:
            out.append(frozenset(strings.add(str(w)) for w in lower["IN"]))
    return tuple(dict.fromkeys(out))


def _longest(pattern: list[dict[str, Any]]) -> int | None:
    """The most tokens a match of ``pattern`` can span, or None if unbounded or unknown
    (``+``, ``*``, ``{n,}``, ``!``)."""
    total = 0
    for token in pattern:
        op = token.get("OP")
        if op is None or op == "?":
            total += 1
            continue
        bounds = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", str(op))
        most = None if bounds is None else bounds[3] if bounds[2] else bounds[1]
        if not most:
            return None
        total += int(most)
    return total


def _reach(anchor: frozenset[str] | None, patterns: list[list[dict[str, Any]]]
           ) -> Reach | None:
    """How far the matches of ``patterns``, which share ``anchor``, reach from it; None unless
    every pattern is of bounded length and requires a token of exactly the anchor's words."""
    if anchor is None:
        return None
    longest = 0
    for pattern in patterns:
        length = _longest(pattern)
        if length is None or not any(_required(t) and _lower_words(t) == anchor
                                     for t in pattern):
            return None
        longest = max(longest, length)
    strings = nlp().vocab.strings
    return Reach(frozenset(strings.add(w) for w in anchor), longest)


def _lower_words(token: dict[str, Any]) -> frozenset[str] | None:
    """The words a pattern token's ``LOWER`` accepts, or None if it tests something else."""
    lower = token.get("LOWER")
    if isinstance(lower, str):
        return frozenset([lower])
    if isinstance(lower, dict) and set(lower) == {"IN"}:
        return frozenset(str(w) for w in lower["IN"])
    return None


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
    needs: list[tuple[Needs, ...]] = []
    reaches: list[Reach | None] = []
    for anchor, members in groups.items():
        needs.append(tuple(dict.fromkeys(_needs(pattern) for _, pattern in members)))
        reaches.append(_reach(anchor, [pattern for _, pattern in members]))
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
                       tuple(always), tuple(needs), frozenset(by_word), tuple(reaches))


def propose_phrases(reading: Reading, index: PhraseIndex, kind: str, confidence: float,
                    rule: str, sentence: bool = False) -> None:
    """One proposal per longest non-overlapping match that is not negated; ``sentence``: each
    carries the character offsets of its sentence (``attrs["sentence"]``), so that a review
    can join a link to the people its own sentence names ("Maeve was seen in the company of
    a man known as 'Bgiman'")."""
    found: list[Span] = []
    doc, ids = reading.doc, reading.lower_ids
    for (a, b), words, present in zip(reading.bounds, reading.sentence_words,
                                      reading.sentence_ids, strict=True):
        found.extend(index.spans(doc, ids, a, b, words, present))
    firsts = [a for a, _ in reading.bounds] if sentence else []
    for span in sorted(filter_spans(found), key=lambda s: s.start):
        if negated(reading, span.start):
            continue
        attrs: dict[str, Any] | None = None
        if sentence:
            a, b = reading.bounds[bisect_right(firsts, span.start) - 1]
            attrs = {"sentence": [doc[a].idx, doc[b - 1].idx + len(doc[b - 1])]}
        reading.propose(kind, span.start_char, span.end_char, span.label_, confidence,
                        f"{rule}.{span.label_}", claim=False, attrs=attrs)
