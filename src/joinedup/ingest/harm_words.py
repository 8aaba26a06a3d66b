"""Harm words: the mechanism and targets a headline or an event note names, by keyword lists.

UCDP GED records who fought, where, when and how many died, but not the weapon or what was hit;
the only trace of those is the headline of each source article. ACLED has a sub-event type for
the weapon but names targets (a hospital, a school) only in its notes. The keyword lists in
``profiles/conflict/harm_keywords.yaml`` read those words; the file's comments say how they are
matched, why mechanisms are tried in order, and which words were left out because they mislead.

What is read is a reading of a few words, not a finding, so :class:`HarmReading` keeps the
words that matched, for ``extra.harm_keywords``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from joinedup.errors import ProfileError
from joinedup.profiles import PROFILES_DIR, read_data

__all__ = [
    "HARM_KEYWORDS_PATH",
    "HarmReading",
    "HarmWords",
    "check_vocabulary",
    "load_harm_words",
    "load_harm_words_from",
]

HARM_KEYWORDS_PATH = PROFILES_DIR / "conflict" / "harm_keywords.yaml"
UNKNOWN = "unknown"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class HarmReading:
    """What the words say: a mechanism (or None), targets in file order, and the words matched."""

    mechanism: str | None = None
    targets: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    def harm(self, *, more_targets: tuple[str, ...] = ()) -> dict[str, Any]:
        """The contract's ``harm`` object: ``unknown`` where nothing was read."""
        targets = list(dict.fromkeys((*self.targets, *more_targets))) or [UNKNOWN]
        return {"mechanism": self.mechanism or UNKNOWN, "targets": targets}


@dataclass(frozen=True)
class _Phrase:
    """One keyword entry's phrase: lowercase words, the last a stem when it ended in "*"."""

    words: tuple[str, ...]
    stem: bool
    entry: int


@dataclass(frozen=True)
class _PhraseIndex:
    """Phrases by their first word, or by their stem when they are one starred word: a text is
    read in one pass over its words, not once per keyword."""

    by_word: dict[str, tuple[_Phrase, ...]]
    by_stem: dict[str, tuple[_Phrase, ...]]
    stem_lengths: tuple[int, ...]

    def matches(self, words: list[str], spans: list[tuple[int, int]], text: str,
                ) -> dict[int, str]:
        """Entry index -> the text of its first match."""
        found: dict[int, str] = {}
        for i, word in enumerate(words):
            candidates = list(self.by_word.get(word, ()))
            for length in self.stem_lengths:
                if length > len(word):
                    break
                candidates += self.by_stem.get(word[:length], ())
            for phrase in candidates:
                if phrase.entry not in found and _at(phrase, words, i):
                    end = spans[i + len(phrase.words) - 1][1]
                    found[phrase.entry] = text[spans[i][0] : end]
        return found


def _at(phrase: _Phrase, words: list[str], i: int) -> bool:
    if i + len(phrase.words) > len(words):
        return False
    *whole, last = phrase.words
    if any(words[i + j] != w for j, w in enumerate(whole)):
        return False
    word = words[i + len(whole)]
    return word.startswith(last) if phrase.stem else word == last


def _index(entries: list[list[str]]) -> _PhraseIndex:
    by_word: dict[str, list[_Phrase]] = {}
    by_stem: dict[str, list[_Phrase]] = {}
    for entry, keywords in enumerate(entries):
        for keyword in keywords:
            stem = keyword.endswith("*")
            words = tuple(_WORD.findall(keyword.lower()))
            phrase = _Phrase(words, stem, entry)
            table = by_stem if stem and len(words) == 1 else by_word
            table.setdefault(words[0], []).append(phrase)
    return _PhraseIndex({k: tuple(v) for k, v in by_word.items()},
                        {k: tuple(v) for k, v in by_stem.items()},
                        tuple(sorted({len(k) for k in by_stem})))


@dataclass(frozen=True)
class HarmWords:
    """The keyword lists, indexed: mechanisms in the file's order, and targets."""

    mechanisms: tuple[str, ...]
    targets: tuple[str, ...]
    mechanism_index: _PhraseIndex = field(repr=False)
    target_index: _PhraseIndex = field(repr=False)
    path: Path = field(compare=False)

    def read(self, *texts: str) -> HarmReading:
        """The first mechanism (in the file's order) and every target named in any of ``texts``.

        Examples:
            >>> load_harm_words().read("Syria: Investigate Attack on UN Aid Convoy").targets
            ('humanitarian_convoy',)
            >>> load_harm_words().read("Clashes, and barrel bombs hit a hospital").mechanism
            'barrel_bomb'
        """
        text = " ".join(texts)
        found = [(m.group(0).lower(), m.span()) for m in _WORD.finditer(text)]
        words, spans = [w for w, _ in found], [s for _, s in found]
        mechanisms = self.mechanism_index.matches(words, spans, text)
        targets = self.target_index.matches(words, spans, text)
        read: list[str] = []
        mechanism = None
        if mechanisms:
            first = min(mechanisms)
            mechanism, read = self.mechanisms[first], [mechanisms[first]]
        read += [targets[i] for i in sorted(targets)]
        return HarmReading(mechanism, tuple(self.targets[i] for i in sorted(targets)), tuple(read))


def _keywords(words: object, where: str, path: Path) -> list[str]:
    if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
        raise ProfileError(f"{path}: {where}: expected a non-empty list of words")
    if not all(_WORD.search(w) for w in words):
        raise ProfileError(f"{path}: {where}: a keyword has no letters or digits")
    return words


def load_harm_words_from(path: Path) -> HarmWords:
    """Load and index a keyword file; a malformed entry is a ProfileError naming it."""
    data = read_data(path, "harm keywords")
    names, keywords = [], []
    for i, entry in enumerate(data.get("mechanisms") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("mechanism"), str):
            raise ProfileError(f"{path}: mechanisms[{i}]: expected 'mechanism' and 'words'")
        names.append(entry["mechanism"])
        keywords.append(_keywords(entry.get("words"), f"mechanisms[{i}] ({names[-1]})", path))
    targets = data.get("targets")
    if not isinstance(targets, dict) or not names or not targets:
        raise ProfileError(f"{path}: expected a 'mechanisms' list and a 'targets' mapping")
    target_words = [_keywords(w, f"targets.{n}", path) for n, w in targets.items()]
    return HarmWords(tuple(names), tuple(str(n) for n in targets), _index(keywords),
                     _index(target_words), path)


def check_vocabulary(words: HarmWords, mechanisms: frozenset[str], targets: frozenset[str]) -> None:
    """Refuse keyword lists that name a mechanism or target the profile does not have."""
    for kind, used, allowed in (("mechanisms", words.mechanisms, mechanisms),
                                ("targets", words.targets, targets)):
        unknown = sorted(set(used) - allowed)
        if unknown:
            raise ProfileError(f"{words.path}: {kind}: not in the profile's vocabulary: {unknown}",
                               hint=f"use one of: {', '.join(sorted(allowed))}")


@cache
def load_harm_words() -> HarmWords:
    """The keyword lists shipped with the conflict profile."""
    return load_harm_words_from(HARM_KEYWORDS_PATH)
