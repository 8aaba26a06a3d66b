"""Phrase books (links, indicators) run over a narrative with spaCy's Matcher."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from spacy.matcher import Matcher
from spacy.util import filter_spans

from joinedup.extract.narrative.negation import negated
from joinedup.extract.narrative.phrases import load_phrase_book
from joinedup.extract.narrative.pipeline import Reading, nlp


@cache
def phrase_matcher(path: Path, known_ids: frozenset[str] | None) -> Matcher:
    """A Matcher for one phrase file, built once per file."""
    matcher = Matcher(nlp().vocab)
    for key, patterns in load_phrase_book(path, known_ids).items():
        matcher.add(key, patterns, greedy="LONGEST")
    return matcher


def propose_phrases(reading: Reading, matcher: Matcher, kind: str, confidence: float,
                    rule: str) -> None:
    """One proposal per longest non-overlapping match that is not negated."""
    doc = reading.doc
    spans = filter_spans(matcher(doc, as_spans=True))
    for span in sorted(spans, key=lambda s: s.start):
        if negated(doc, span.start):
            continue
        reading.propose(kind, span.start_char, span.end_char, span.label_, confidence,
                        f"{rule}.{span.label_}", claim=False)
