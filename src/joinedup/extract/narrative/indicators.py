"""Indicators: the phrase that evidences a warning sign of the profile's vocabulary. The
phrases are the profile's data (``indicator_phrases.yaml``, checked against its indicator
ids); a negated or doubted phrase ("no sign she was given alcohol") is not proposed.

Confidence: 0.7 for every indicator phrase.
"""

from __future__ import annotations

from pathlib import Path

from joinedup.extract.narrative.matching import phrase_index, propose_phrases
from joinedup.extract.narrative.pipeline import Reading

CONFIDENCE = 0.7


def propose_indicators(reading: Reading, directory: Path,
                       indicator_ids: frozenset[str] | None) -> None:
    matcher = phrase_index(directory / "indicator_phrases.yaml", indicator_ids)
    propose_phrases(reading, matcher, "indicator", CONFIDENCE, "indicator")
