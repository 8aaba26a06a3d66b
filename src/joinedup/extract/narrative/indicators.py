"""Indicators: the phrase that evidences a warning sign of the profile's vocabulary.

Two kinds of rule, both the profile's data and checked against its indicator ids:

* phrases (``indicator_phrases.yaml``, :mod:`.phrases`): the words of a sign as written,
  "did not return home until the next morning";
* concept rules (``indicator_concepts.yaml``, :mod:`.concepts`): the ideas that together make
  a sign, each a set of words, close together in one clause (``@away + @morning``), so that a
  sign said in words no phrase has is still read.

A negated or doubted sign ("no sign she was given alcohol") is not proposed. Where a concept
rule's match overlaps an indicator a phrase found, or an earlier concept match, it is left out.

Confidence: 0.7 for a phrase, 0.6 for a concept rule (looser, so a little less sure).
"""

from __future__ import annotations

from pathlib import Path

from joinedup.extract.narrative.concepts import load_concepts
from joinedup.extract.narrative.matching import phrase_index, propose_phrases
from joinedup.extract.narrative.pipeline import Reading

CONFIDENCE = 0.7
CONCEPT_CONFIDENCE = 0.6
CONCEPTS_FILE = "indicator_concepts.yaml"


def propose_indicators(reading: Reading, directory: Path,
                       indicator_ids: frozenset[str] | None) -> None:
    matcher = phrase_index(directory / "indicator_phrases.yaml", indicator_ids)
    propose_phrases(reading, matcher, "indicator", CONFIDENCE, "indicator")
    path = directory / CONCEPTS_FILE
    if path.exists():
        propose_concepts(reading, path, indicator_ids)


def propose_concepts(reading: Reading, path: Path, indicator_ids: frozenset[str] | None
                     ) -> None:
    """One proposal per concept match that overlaps no indicator proposed before it."""
    taken = [(p.start, p.end) for p in reading.proposals if p.type == "indicator"]
    doc = reading.doc
    for match in load_concepts(path, indicator_ids).matches(reading):
        start, end = doc[match.start].idx, doc[match.end - 1].idx + len(doc[match.end - 1])
        if any(a < end and start < b for a, b in taken):
            continue
        taken.append((start, end))
        reading.propose("indicator", start, end, match.indicator, CONCEPT_CONFIDENCE,
                        f"indicator_concept.{match.indicator}", claim=False)
