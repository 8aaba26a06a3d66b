"""The one spaCy pipeline the proposers share, the word lists they read, and the Reading of a
narrative they all work on.

The pipeline is ``spacy.blank("en")``: its rule-based tokenizer, no statistical model and
nothing downloaded. Sentences end at a full stop, question or exclamation mark or a line break
(spaCy's sentencizer does the same, at twice the cost). The pipeline and every matcher are
built once per process (``functools.cache``).
"""

from __future__ import annotations

import csv
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.attrs import IDX, LENGTH, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span

from joinedup.extract.proposals import Proposal

_SENTENCE_END = frozenset({".", "!", "?"})
LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")
_LETTERS_UP_TO = 0x2000  # Latin, Greek, Cyrillic, Armenian, ... and Latin Extended Additional


def _letter_class(test: Callable[[str], bool]) -> str:
    """The characters below U+2000 that pass ``test``, as ranges for a regex ``[...]``."""
    spans: list[tuple[int, int]] = []
    for code in range(_LETTERS_UP_TO):
        if test(chr(code)):
            if spans and spans[-1][1] == code - 1:
                spans[-1] = (spans[-1][0], code)
            else:
                spans.append((code, code))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in spans)


UPPER_LETTERS = _letter_class(lambda ch: ch.isupper() or ch.istitle())
# An age said just after a name, which makes the name a person's whatever it looks like: in
# brackets ("Aayn (16)", "Daniella Green (17)") or between commas ("Aayn, 16, has gifts")
AGE_IN_BRACKETS = re.compile(r"\s?\((?:aged?\s)?\d{1,2}\)")
AGE_BETWEEN_COMMAS = re.compile(r",\s(?:aged\s)?\d{1,2}\s?[,.;]")
"""Capital letters in any alphabet, for a regex character class: ``[{UPPER_LETTERS}]``. A name is
written with the letters of its origin ("Łukasz", "Şahin", "Émilie", "Ömer", "İbrahim"): a
name pattern written with ``A-Z`` cuts them short, and loses more children of some origins
than of others."""
LOWER_LETTERS = _letter_class(lambda ch: ch.islower() or 0x300 <= ord(ch) <= 0x36F)
"""Small letters in any alphabet (with the combining accents, for a name typed decomposed),
for a regex character class: ``[{LOWER_LETTERS}]``."""


@cache
def nlp() -> Language:
    """The shared blank English pipeline (a tokenizer)."""
    return spacy.blank("en")


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


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def slips(word: str) -> set[str]:
    """Every string one slip of the keyboard from ``word`` (lower case): a letter added, left
    out or changed, or two neighbours swapped; ``word`` itself among them where a change
    gives it back. The misspellings the reader looks up are made from these.

    Examples:
        >>> sorted(s for s in slips("inn") if len(s) == 2), "nin" in slips("inn")
        (['in', 'nn'], True)
    """
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + c + b for a, b in cuts for c in _LETTERS}  # a letter added
    out.update(a + b[1:] for a, b in cuts if b)  # one left out
    out.update(a + c + b[1:] for a, b in cuts if b for c in _LETTERS)  # one changed
    out.update(a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1)  # two swapped
    return out


@cache
def given_names() -> frozenset[str]:
    """Given names (lower case): a name in here starts a person's name.

    From the `nicknames` package (English names and their diminutives), the project's
    name-variant table, the generator's name pools, and Faker's first-name lists for the
    locales in ``lexicon.yaml`` (``given_name_locales``); less the words in
    ``not_given_names`` that are nicknames far more often than names ("Lucky", "Hope").
    """
    import nicknames

    from joinedup.generate import names as pools
    from joinedup.resolve.normalise.names import NAME_VARIANTS_PATH

    found: set[str] = set()
    table = Path(nicknames.__file__).with_name("names.csv")
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.update((row["name1"].lower(), row["name2"].lower()))
    variants = yaml.safe_load(NAME_VARIANTS_PATH.read_text(encoding="utf-8"))
    for group in variants.get("given_names") or []:
        found.add(str(group["key"]))
        found.update(str(v).lower() for v in group.get("variants") or [])
    for pool in (pools.FEMALE, pools.MALE):
        for names in pool.values():
            found.update(n.lower() for n in names)
    found.update(_faker_first_names(tuple(lexicon().raw.get("given_name_locales") or ())))
    blocked = lexicon().words("not_given_names", lower=True)
    return frozenset(n for n in found if len(n) > 1 and n not in blocked)


def _faker_first_names(locales: tuple[str, ...]) -> set[str]:
    """First names of Faker's person providers (data only: no faker instance is made)."""
    found: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names = getattr(provider, attr, None) or ()
            found.update(str(n).lower() for n in names)
    return found


@dataclass
class Reading:
    """A narrative being read: its text, its tokens, and the spans proposed so far.

    Proposers run in order and each later one leaves alone the characters an earlier one
    has claimed (a plate is not also a person, a street is not also a town).
    """

    text: str
    doc: Doc
    proposals: list[Proposal] = field(default_factory=list)
    reported_at: date | None = None  # when the report was made (an age from a date of birth)
    _mask: bytearray = field(default_factory=bytearray)
    _lowers: list[str] | None = None
    _lower_ids: list[int] | None = None
    _ends: frozenset[int] | None = None
    _bounds: list[tuple[int, int]] | None = None
    _sentences: list[Span] | None = None
    _sentence_words: list[frozenset[str]] | None = None
    _sentence_ids: list[frozenset[int]] | None = None
    _folded: str | None = None
    _starts: dict[tuple[tuple[str, ...], bool], list[int]] = field(default_factory=dict)

    @property
    def folded(self) -> str:
        """The text in lower case, for cheap tests of whether a pattern could match at all
        before running it over the whole text (computed once).

        ``re.IGNORECASE`` also matches "ı" to "i" and "ſ" to "s", which ``str.lower`` keeps
        apart; they are mapped here too, so that a word a case-insensitive pattern finds (in
        any case) is always a substring of this text. Offsets do not carry over ("İ" lowers to
        two characters): this is for ``in`` tests only.
        """
        if self._folded is None:
            folded = self.text.lower()
            if not folded.isascii():
                folded = folded.replace("ı", "i").replace("ſ", "s")
            self._folded = folded
        return self._folded

    def mentions(self, *words: str) -> bool:
        """Whether any of ``words`` (lower-case ASCII) is in the text in any case: a necessary
        condition for a pattern that must match one of them, cheaper than the pattern."""
        folded = self.folded
        return any(word in folded for word in words)

    def scan(self, pattern: re.Pattern[str], starts: Iterable[str], *, any_case: bool = False
             ) -> Iterator[re.Match[str]]:
        """The matches of ``pattern.finditer(text)``, trying ``pattern`` only where one of the
        words ``starts`` begins.

        A pattern that starts with ``\\b`` or a lookbehind is tried by ``re`` at every
        position of the text; where every match must begin with one of a few words, finding
        those words with ``str.find`` and trying the pattern there alone is several times
        cheaper, and finds the same: ``finditer`` takes the leftmost match at or after the end
        of the previous one, and ``pattern.match(text, p)`` is the match a search finds at
        ``p`` (lookbehinds and ``\\b`` still see the text before ``p``).

        Args:
            pattern: A pattern that cannot match the empty string.
            starts: Words one of which begins every match of ``pattern``: as written, or, with
                ``any_case`` (for a ``re.IGNORECASE`` pattern), in lower-case ASCII, looked for
                in :attr:`folded`. Where folding moved offsets (a rare letter that lowers to
                two), or a word is empty or not lower-case ASCII, this is plain ``finditer``.
        """
        text = self.text
        words = tuple(starts)
        haystack = self.folded if any_case else text
        if len(haystack) != len(text) or not all(words) or any_case and not all(
                w.isascii() and w == w.lower() for w in words):
            yield from pattern.finditer(text)
            return
        key = (words, any_case)
        starts_at = self._starts.get(key)
        if starts_at is None:
            starts_at = sorted({i for word in words for i in _find_all(haystack, word)})
            self._starts[key] = starts_at
        end = 0
        for at in starts_at:
            if at < end:
                continue
            match = pattern.match(text, at)
            if match is not None:
                if match.end() == at:
                    raise ValueError(f"{pattern.pattern!r} matched the empty string")
                yield match
                end = match.end()

    def free(self, start: int, end: int) -> bool:
        """Whether no claimed character lies in ``[start, end)``."""
        return self._mask.find(1, start, end) < 0

    def claim(self, start: int, end: int) -> None:
        """Keep later proposers off ``[start, end)``."""
        self._mask[start:end] = b"\x01" * (end - start)

    def add(self, proposal: Proposal, claim: bool = True) -> None:
        self.proposals.append(proposal)
        if claim:
            self.claim(proposal.start, proposal.end)

    def propose(self, kind: str, start: int, end: int, value: str, confidence: float,
                rule: str, role: str = "", claim: bool = True,
                attrs: dict[str, Any] | None = None) -> Proposal:
        proposal = Proposal(kind, start, end, self.text[start:end], value, confidence,
                            role, rule, attrs or {})
        self.add(proposal, claim)
        return proposal

    @property
    def lowers(self) -> list[str]:
        """Each token in lower case (computed once, from offsets: no Token objects)."""
        if self._lowers is None:
            spans = self.doc.to_array([IDX, LENGTH]).tolist()
            lower = self.text.lower()
            if len(lower) == len(self.text):
                self._lowers = [lower[i:i + n] for i, n in spans]
            else:  # a letter that lowers to two ("İbrahim"): the offsets moved
                text = self.text
                self._lowers = [text[i:i + n].lower() for i, n in spans]
        return self._lowers

    @property
    def lower_ids(self) -> list[int]:
        """Each token's ``LOWER`` id, the value the Matcher compares (computed once)."""
        if self._lower_ids is None:
            self._lower_ids = self.doc.to_array(LOWER).tolist()
        return self._lower_ids

    @property
    def sentence_ends(self) -> frozenset[int]:
        """Indices of the tokens that end a sentence."""
        if self._ends is None:
            self._ends = frozenset(i for i, w in enumerate(self.lowers)
                                   if w in _SENTENCE_END or "\n" in w)
        return self._ends

    @property
    def bounds(self) -> list[tuple[int, int]]:
        """Each sentence's token range ``[start, end)`` (computed once). Proposers that need
        only the range use this: a Span costs more to make than the work some do with it."""
        if self._bounds is None:
            starts = [0, *sorted(i + 1 for i in self.sentence_ends)]
            bounds = zip(starts, [*starts[1:], len(self.doc)], strict=True)
            self._bounds = [(a, b) for a, b in bounds if b > a]
        return self._bounds

    @property
    def sentences(self) -> list[Span]:
        """The sentences, as spans of the doc (computed once)."""
        if self._sentences is None:
            self._sentences = [self.doc[a:b] for a, b in self.bounds]
        return self._sentences

    @property
    def sentence_words(self) -> list[frozenset[str]]:
        """Each sentence's words in lower case (:attr:`lowers`), as a set (computed once, for
        both phrase books to find the anchors a sentence holds)."""
        if self._sentence_words is None:
            lowers = self.lowers
            self._sentence_words = [frozenset(lowers[a:b]) for a, b in self.bounds]
        return self._sentence_words

    @property
    def sentence_ids(self) -> list[frozenset[int]]:
        """Each sentence's ``LOWER`` ids (:attr:`lower_ids`), as a set (computed once)."""
        if self._sentence_ids is None:
            ids = self.lower_ids
            self._sentence_ids = [frozenset(ids[a:b]) for a, b in self.bounds]
        return self._sentence_ids


def _find_all(text: str, word: str) -> Iterator[int]:
    """Every position at which ``word`` starts in ``text``, overlapping ones too."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def read(text: str, reported_at: date | None = None) -> Reading:
    """Tokenise a narrative once for every proposer."""
    return Reading(text, nlp()(text), reported_at=reported_at, _mask=bytearray(len(text)))
