"""The one spaCy pipeline the proposers share, the word lists they read, and the Reading of a
narrative they all work on.

The pipeline is ``spacy.blank("en")`` with a sentencizer: a tokenizer and sentence bounds,
no statistical model and nothing downloaded. It and every matcher are built once per process
(``functools.cache``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from joinedup.extract.proposals import Proposal

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")


@cache
def nlp() -> Language:
    """The shared blank English pipeline: tokenizer and sentencizer."""
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``lexicon.yaml``, as sets (each built once)."""

    raw: dict[str, Any]
    _sets: dict[tuple[str, bool], frozenset[str]] = field(default_factory=dict)

    def words(self, key: str, lower: bool = False) -> frozenset[str]:
        found = self._sets.get((key, lower))
        if found is None:
            values = [str(v) for v in self.raw.get(key) or []]
            found = frozenset(v.lower() for v in values) if lower else frozenset(values)
            self._sets[(key, lower)] = found
        return found


@cache
def lexicon() -> Lexicon:
    """``lexicon.yaml`` as loaded once."""
    return Lexicon(yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8")))


@cache
def given_names() -> frozenset[str]:
    """Given names (lower case) from the `nicknames` package, the project's name-variant table
    and the generator's name pools: a name in here starts a person's name."""
    import nicknames

    from joinedup.generate import names as pools
    from joinedup.resolve.normalise.names import NAME_VARIANTS_PATH

    found: set[str] = set()
    table = Path(nicknames.__file__).with_name("names.csv")
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.add(row["name1"].lower())
    variants = yaml.safe_load(NAME_VARIANTS_PATH.read_text(encoding="utf-8"))
    for group in variants.get("given_names") or []:
        found.add(str(group["key"]))
        found.update(str(v).lower() for v in group.get("variants") or [])
    for pool in (pools.FEMALE, pools.MALE):
        for names in pool.values():
            found.update(n.lower() for n in names)
    return frozenset(n for n in found if len(n) > 1)


@dataclass
class Reading:
    """A narrative being read: its text, its tokens, and the spans proposed so far.

    Proposers run in order and each later one leaves alone the characters an earlier one
    has claimed (a plate is not also a person, a street is not also a town).
    """

    text: str
    doc: Doc
    proposals: list[Proposal] = field(default_factory=list)
    claimed: list[tuple[int, int]] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        """Whether no claimed span overlaps ``[start, end)``."""
        return all(end <= s or start >= e for s, e in self.claimed)

    def add(self, proposal: Proposal, claim: bool = True) -> None:
        self.proposals.append(proposal)
        if claim:
            self.claimed.append((proposal.start, proposal.end))

    def propose(self, kind: str, start: int, end: int, value: str, confidence: float,
                rule: str, role: str = "", claim: bool = True,
                attrs: dict[str, Any] | None = None) -> Proposal:
        proposal = Proposal(kind, start, end, self.text[start:end], value, confidence,
                            role, rule, attrs or {})
        self.add(proposal, claim)
        return proposal

    def span_free(self, span: Span) -> bool:
        return self.free(span.start_char, span.end_char)


def read(text: str) -> Reading:
    """Tokenise a narrative once for every proposer."""
    return Reading(text, nlp()(text))
