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
class HarmWords:
    """The keyword lists, compiled: one pattern per mechanism (in order) and per target."""

    mechanisms: tuple[tuple[str, re.Pattern[str]], ...]
    targets: tuple[tuple[str, re.Pattern[str]], ...]
    path: Path = field(compare=False)

    def read(self, *texts: str) -> HarmReading:
        """The first mechanism and every target named in any of ``texts``.

        Examples:
            >>> load_harm_words().read("Syria: Investigate Attack on UN Aid Convoy").targets
            ('humanitarian_convoy',)
            >>> load_harm_words().read("Barrel bombs hit a hospital in Aleppo").mechanism
            'barrel_bomb'
        """
        text = " ".join(texts)
        words: list[str] = []
        mechanism = None
        for name, pattern in self.mechanisms:
            found = pattern.search(text)
            if found:
                mechanism = name
                words.append(found.group(0))
                break
        targets = []
        for name, pattern in self.targets:
            found = pattern.search(text)
            if found:
                targets.append(name)
                words.append(found.group(0))
        return HarmReading(mechanism, tuple(targets), tuple(words))


def _pattern(words: object, where: str, path: Path) -> re.Pattern[str]:
    if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
        raise ProfileError(f"{path}: {where}: expected a non-empty list of words")
    alternatives = []
    for word in words:
        stem = word[:-1] if word.endswith("*") else word
        body = r"\s+".join(re.escape(part) for part in stem.split())
        alternatives.append(body + (r"\w*" if word.endswith("*") else ""))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def load_harm_words_from(path: Path) -> HarmWords:
    """Load and compile a keyword file; a malformed entry is a ProfileError naming it."""
    data = read_data(path, "harm keywords")
    mechanisms = []
    for i, entry in enumerate(data.get("mechanisms") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("mechanism"), str):
            raise ProfileError(f"{path}: mechanisms[{i}]: expected 'mechanism' and 'words'")
        name = entry["mechanism"]
        mechanisms.append((name, _pattern(entry.get("words"), f"mechanisms[{i}] ({name})", path)))
    targets = data.get("targets")
    if not isinstance(targets, dict) or not mechanisms:
        raise ProfileError(f"{path}: expected a 'mechanisms' list and a 'targets' mapping")
    compiled = tuple((str(n), _pattern(w, f"targets.{n}", path)) for n, w in targets.items())
    return HarmWords(tuple(mechanisms), compiled, path)


def check_vocabulary(words: HarmWords, mechanisms: frozenset[str], targets: frozenset[str]) -> None:
    """Refuse keyword lists that name a mechanism or target the profile does not have."""
    for kind, used, allowed in (("mechanisms", words.mechanisms, mechanisms),
                                ("targets", words.targets, targets)):
        unknown = sorted({name for name, _ in used} - allowed)
        if unknown:
            raise ProfileError(f"{words.path}: {kind}: not in the profile's vocabulary: {unknown}",
                               hint=f"use one of: {', '.join(sorted(allowed))}")


@cache
def load_harm_words() -> HarmWords:
    """The keyword lists shipped with the conflict profile."""
    return load_harm_words_from(HARM_KEYWORDS_PATH)
