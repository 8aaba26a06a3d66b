"""Precision, recall and F1 of proposals against the gold spans, by type.

A proposal matches a gold span of the same type when their character ranges overlap and
their values agree (compared without case and spacing; a phone as E.164, a date as ISO, a link
or an indicator as its id). Each gold span is matched at most once, and so is each proposal:
finding the same nickname twice where it is said twice is two hits, saying it three times is
one false positive. Overlap, not exact boundaries: "the Golden Dragon takeaway" and "Golden
Dragon" are one place to the person who confirms them.

A proposal that matches no gold span but has the type and value of a gold span elsewhere in
the same narrative is a later mention of something the gold names (annotators mark a person's
name where it is first given, not every "Kirsty said"): it is neither a hit nor a false
positive. For a person, a later mention by part of the name ("Courtney" after "Courtney
Price", "Mr Price") is such a repeat too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


class Spanlike(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def value(self) -> str: ...


@dataclass
class Tally:
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def same_value(a: str, b: str) -> bool:
    def tidy(s: str) -> str:
        return " ".join(s.lower().replace("-", " ").split()).strip(".,'\"")
    return tidy(a) == tidy(b)


TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "pc", "ps", "dc", "ds", "di", "insp"})


def _repeat(kind: str, proposed: str, named: str) -> bool:
    """Whether an unmatched proposal repeats something the gold names in the narrative."""
    if same_value(proposed, named):
        return True
    if kind != "person":
        return False
    words = {w.strip(".,") for w in proposed.lower().split()} - TITLES
    return bool(words) and words <= {w.strip(".,") for w in named.lower().split()}


def score(pairs: Iterable[tuple[Sequence[Spanlike], Sequence[Spanlike]]],
          types: Sequence[str]) -> dict[str, Tally]:
    """Tallies by type over (gold, proposed) pairs, one pair per narrative."""
    tallies = {t: Tally() for t in types}
    for gold, proposed in pairs:
        for kind in types:
            g = [s for s in gold if s.type == kind]
            p = [s for s in proposed if s.type == kind]
            used: set[int] = set()
            hits = 0
            for want in g:
                for i, got in enumerate(p):
                    if i in used:
                        continue
                    if got.start < want.end and want.start < got.end \
                            and same_value(got.value, want.value):
                        used.add(i)
                        hits += 1
                        break
            named = [want.value for want in g]
            repeats = sum(1 for i, got in enumerate(p) if i not in used
                          and any(_repeat(kind, got.value, v) for v in named))
            tallies[kind].true_pos += hits
            tallies[kind].false_neg += len(g) - hits
            tallies[kind].false_pos += len(p) - hits - repeats
    return tallies
