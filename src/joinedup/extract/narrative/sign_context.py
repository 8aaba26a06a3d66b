"""The context that makes the words of a warning sign something other than a sign of the child.

A phrase or concept rule finds the words of a sign; the words around them can still say that
the sign is not there ("there is no sign of gifts, money or a new phone": the ordinary
negation does not reach that far across a list), not yet there ("mother advised to report any
further missing episode"), or someone else's ("both are charged with supplying alcohol to
children"). The ``context`` section of the profile's ``indicator_concepts.yaml`` says which
words do so, as data::

    context:
      cues:                       # cue phrases before a sign, in groups
        doubted: {window: 14, breaks: "but however", cues: ["no sign", "nothing to suggest"]}
        hypothetical: {window: 6, cues: ["if", "any further"]}
        other_child: {cues: ["her friend"], breaks: "said", except: [peers_exploited]}
        a_link: {window: 2, cues: ["sexual activity"], only: [associates_with_unknown_adults]}
      subsumed_by:                # a sign left out where a narrower one is in its sentence
        sti: [sti_repeat]
      not_before:                 # a sign left out where the next word is one of these,
        new_phone: [number]       # or one of the cues follows it within the window
        older_partner: {window: 8, cues: ["also", "same age"]}
        secretive: {within: true, window: 4, cues: ["came from"]}  # or within its words
      read_as:                    # a sign that is itself only where the narrative says so
        returns_under_influence:  # before it (back: sentences, or all), another otherwise
          {as: substance_misuse, unless: [returned, "came back"], back: all}

A cue reaches back at most ``window`` tokens, never across a sentence end or a word of its
group's ``breaks``; a cue is one word or several in a row.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from spacy.attrs import IDX

from joinedup.errors import ProfileError
from joinedup.extract.narrative.negation import Cue, cued
from joinedup.extract.narrative.pipeline import Reading
from joinedup.extract.proposals import Proposal
from joinedup.profiles import read_data

__all__ = ["CueGroup", "SignContext", "load_context"]


@dataclass(frozen=True)
class CueGroup:
    """Cue phrases that, before a sign in its clause, say it is not the child's sign now."""

    name: str
    cues: frozenset[Cue]
    window: int
    breaks: frozenset[str]
    exempt: frozenset[str] = frozenset()
    """Signs the cues do not touch (a friend's exploitation is the sign "peers exploited")."""
    only: frozenset[str] = frozenset()
    """If given, the only signs the cues touch ("sexual activity with a man" is the link's
    words, not the sign "associates with unknown adults")."""

    def touches(self, sign: str) -> bool:
        return sign not in self.exempt and (not self.only or sign in self.only)


@dataclass(frozen=True)
class SignContext:
    groups: tuple[CueGroup, ...]
    subsumed_by: dict[str, frozenset[str]]
    not_before: dict[str, tuple[tuple[frozenset[Cue], int, bool], ...]]
    """By sign: cues after it, within so many tokens in its sentence, that explain it away
    ("a new phone; he said it was his birthday present", "her boyfriend, who is also 15");
    with ``within``, also among its own words after the first, for a phrase that takes in the
    words after its core ("will not say where _{0,4}" takes in "where it came from")."""
    read_as: dict[str, tuple[str, frozenset[Cue], int]]
    """By sign: the sign it is read as unless one of the cues is in its sentence or the
    ``back`` sentences before it (``all``: anywhere before it). "Returns under the influence"
    needs a return: a child found drunk in a park is the sign "drug or alcohol misuse"."""

    def keep(self, reading: Reading, signs: list[Proposal]) -> list[Proposal]:
        """The signs whose context leaves them signs of the child, each read as the sign its
        context makes it (``read_as``)."""
        starts: list[int] = reading.doc.to_array(IDX).tolist()
        kept = []
        for p in signs:
            first = bisect_right(starts, p.start) - 1
            last = bisect_right(starts, p.end - 1) - 1
            if self._doubted(reading, p.value, first) or self._followed(
                    reading, p.value, first, last):
                continue
            kept.append(self._read(reading, p, first))
        return [p for p in kept if not self._subsumed(reading, p, kept, starts)]

    def _read(self, reading: Reading, p: Proposal, first: int) -> Proposal:
        spec = self.read_as.get(p.value)
        if spec is None:
            return p
        other, cues, back = spec
        sentence = _sentence(reading, first)
        bounds = reading.bounds
        start, end = bounds[max(0, sentence - back)][0], bounds[sentence][1]
        lowers = reading.lowers
        longest = max((len(c) for c in cues), default=0)
        for i in range(start, end):
            if any(tuple(lowers[i:i + n]) in cues for n in range(1, longest + 1)):
                return p
        return replace(p, value=other, rule=f"{p.rule} read_as")

    def _doubted(self, reading: Reading, value: str, first: int) -> bool:
        return any(cued(reading, first, g.cues, g.window, g.breaks) for g in self.groups
                   if g.touches(value))

    def _followed(self, reading: Reading, value: str, first: int, last: int) -> bool:
        lowers, ends = reading.lowers, reading.sentence_ends
        for cues, window, within in self.not_before.get(value, ()):
            longest = max((len(c) for c in cues), default=0)
            for i in range(first + 1 if within else last + 1,
                           min(len(lowers), last + 1 + window)):
                if any(tuple(lowers[i:i + n]) in cues for n in range(1, longest + 1)):
                    return True
                if i in ends:
                    break
        return False

    def _subsumed(self, reading: Reading, p: Proposal, signs: list[Proposal],
                  starts: list[int]) -> bool:
        """Whether a narrower sign (``subsumed_by``) is proposed in ``p``'s sentence."""
        narrower = self.subsumed_by.get(p.value)
        if not narrower:
            return False
        sentence = _sentence(reading, bisect_right(starts, p.start) - 1)
        return any(q.value in narrower
                   and _sentence(reading, bisect_right(starts, q.start) - 1) == sentence
                   for q in signs)


def _sentence(reading: Reading, token: int) -> int:
    """The index of the sentence holding ``token``."""
    bounds = reading.bounds
    return bisect_right([a for a, _ in bounds], token) - 1


def _cues(raw: Any) -> frozenset[Cue]:
    return frozenset(tuple(str(c).lower().split()) for c in raw or [])


ALL_BEFORE = 1 << 30
"""``back: all``: more sentences than any narrative has."""


def _back(spec: Any) -> int:
    """How many sentences before a sign ``read_as`` looks in: a number, or ``all``."""
    return ALL_BEFORE if spec == "all" else int(spec)


def _after(spec: Any) -> tuple[tuple[frozenset[Cue], int, bool], ...]:
    """A ``not_before`` entry: a list of next words, ``{window: N, cues: [...]}`` (and
    ``within: true``), or a list of such mappings."""
    if isinstance(spec, dict):
        return ((_cues(spec["cues"]), int(spec.get("window", 1)), bool(spec.get("within"))),)
    if all(isinstance(item, dict) for item in spec):
        return tuple(one for item in spec for one in _after(item))
    return ((_cues(spec), 1, False),)


@cache
def load_context(path: Path, known_ids: frozenset[str] | None) -> SignContext:
    """Read the ``context`` section of a concept file (once per file).

    Raises:
        ProfileError: If the section is not shaped as above or names an id not in
            ``known_ids``; the message names the file and the key.
    """
    raw = read_data(path, "concept rules").get("context") or {}
    try:
        groups = tuple(
            CueGroup(str(name), _cues(spec["cues"]), int(spec.get("window", 7)),
                     frozenset(str(spec.get("breaks", "")).lower().split()),
                     frozenset(str(v) for v in spec.get("except") or []),
                     frozenset(str(v) for v in spec.get("only") or []))
            for name, spec in (raw.get("cues") or {}).items())
        subsumed = {str(k): frozenset(str(v) for v in vs)
                    for k, vs in (raw.get("subsumed_by") or {}).items()}
        not_before = {str(k): _after(spec) for k, spec in (raw.get("not_before") or {}).items()}
        read_as = {str(k): (str(spec["as"]), _cues(spec["unless"]), _back(spec.get("back", 1)))
                   for k, spec in (raw.get("read_as") or {}).items()}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"{path}: context: {exc!r}") from exc
    if known_ids is not None:
        named = set(subsumed) | set(not_before) | {v for vs in subsumed.values() for v in vs}
        named |= {v for g in groups for v in g.exempt | g.only}
        named |= set(read_as) | {spec[0] for spec in read_as.values()}
        for key in sorted(named - known_ids):
            raise ProfileError(f"{path}: context: {key!r} is not an id of the profile")
    return SignContext(groups, subsumed, not_before, read_as)
