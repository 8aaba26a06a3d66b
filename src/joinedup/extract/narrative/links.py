"""Links: the words that say how two people, or a person and a place, are linked ("drove her
to", "gave her vodka", "introduced her to"). The phrases are the profile's data
(``link_phrases.yaml``); the value is the link type.

Confidence: 0.75 for every link phrase (the phrase names the link; who it joins is for the
person confirming it).
"""

from __future__ import annotations

from pathlib import Path

from joinedup.extract.narrative.matching import phrase_index, propose_phrases
from joinedup.extract.narrative.pipeline import Reading

CONFIDENCE = 0.75


def propose_links(reading: Reading, directory: Path, link_types: frozenset[str] | None) -> None:
    matcher = phrase_index(directory / "link_phrases.yaml", link_types)
    propose_phrases(reading, matcher, "link", CONFIDENCE, "link", sentence=True)
