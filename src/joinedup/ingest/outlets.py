"""Outlets: who published a report and whom it relies on, each spelling folded to one name.

Conflict datasets name their sources as free text typed by coders. UCDP GED Syria 19.1 spells
the Syrian Observatory for Human Rights "SOHR", "SOHR ", "sohr", "SOH", "Syrian Observatory for
Human Rights" and as a URL of its site; Reuters is "Reuters" and "Reuters News". Counting
independent sources (conflict.md, rule 1) needs each of these to be one origin, so every name is
looked up in ``profiles/conflict/outlets.yaml`` after folding case, accents, punctuation, a
leading "the" and URLs to their host.

- :meth:`Outlets.outlet` names the outlet that published a report: its canonical name, the slug
  used as ``source.org`` and its source agency. An outlet not in the file keeps its own name and
  gets the file's ``default_agency`` (``other``): an unknown outlet is never guessed to be media.
- :meth:`Outlets.origins` splits a list of origins as coders write it ("SOHR, airwars",
  "SOHR/Waha Report", "HRW. CENTCOM") into canonical names, in order, without repeats.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from joinedup.errors import ProfileError
from joinedup.profiles import PROFILES_DIR, read_data

__all__ = [
    "OUTLETS_PATH",
    "Outlet",
    "Outlets",
    "check_agencies",
    "fold",
    "load_outlets",
    "load_outlets_from",
    "slug",
]

OUTLETS_PATH = PROFILES_DIR / "conflict" / "outlets.yaml"

_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/?#].*)?$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile("['\u2019`\u02bc]")
# How coders separate several origins in one cell: a comma, semicolon, slash, "//", "&", "and",
# a line break, or a full stop before a capitalised name ("HRW. CENTCOM"; not "U.S. officials").
# The spaces around one are stripped from the parts afterwards: a pattern starting with "\s*"
# would try every space of a long run of spaces in turn, which is quadratic in its length.
_SEPARATORS = re.compile(r"[,;&\n]|//?|\band\b|\.\s+(?=[A-Z])")
_RUN_WORDS = 40
"""The most words of one part of a cell read as outlets run together ("SOHR Airwars"); a longer
part is prose or garbage, kept whole as one origin, since splitting it costs time with every
word and no coder runs forty words of outlet names together."""
_SLACK = 4  # words a spelling may gain in a cell that folding drops ("Syrian Observatory - HR")
_BRACKETS = re.compile(r"[()]")
_CITED = re.compile(r"^(?P<outlet>.+?)\s*\((?:in|on|citing|via)\s+(?P<cited>[^()]+)\)\s*$", re.I)


def fold(text: str) -> str:
    """The lookup key of a name: lowercase ASCII words, a URL as its host, no leading "the".

    Examples:
        >>> fold("  The Syrian Observatory for Human Rights ")
        'syrian observatory for human rights'
        >>> fold("http://www.syriahr.com/en/?p=64904")
        'syriahr com'
    """
    ascii_text = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    lowered = ascii_text.strip().lower()
    url = _URL.match(lowered) if " " not in lowered else None
    if url:
        lowered = url.group(1)
    words = _NOT_WORD.sub(" ", lowered).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def slug(text: str, limit: int = 60) -> str:
    """A name as a ``source.org``: lowercase ASCII words joined by "-", at most ``limit`` long.

    Examples:
        >>> slug("Agence France Presse")
        'agence-france-presse'
    """
    words = fold(text).split()
    out = "-".join(words)[:limit].strip("-")
    return out or "unnamed"


@dataclass(frozen=True)
class Outlet:
    """One outlet: ``name`` is canonical (a report's ``upstream``), ``org`` its ``source.org``.

    ``known`` is False for a name the outlets file does not list; its agency is then the default.
    """

    name: str
    org: str
    agency: str
    known: bool = True


@dataclass(frozen=True)
class Outlets:
    """The outlets file, loaded: canonical outlets by every folded spelling."""

    by_key: dict[str, Outlet]
    default_agency: str
    path: Path
    joined: re.Pattern[str] | None = None  # listed spellings that hold a separator

    def lookup(self, text: str) -> Outlet | None:
        """The listed outlet a name means, or None."""
        return self.by_key.get(fold(text))

    def outlet(self, text: str) -> Outlet:
        """The outlet that published under ``text``; an unlisted name keeps its own name."""
        found = self.lookup(text)
        if found is not None:
            return found
        name = " ".join(text.split())
        return Outlet(name=name, org=slug(name), agency=self.default_agency, known=False)

    def office(self, text: str) -> tuple[Outlet, str | None]:
        """The outlet of a UCDP ``source_office`` and the origin it names in brackets, if any.

        UCDP writes an article that an outlet took from another as "The Independent (in SOHR)".

        Examples:
            >>> outlet, cited = load_outlets().office("The Independent (in SOHR)")
            >>> outlet.org, cited
            ('independent', 'SOHR')
        """
        if self.lookup(text) is not None:
            return self.outlet(text), None
        cited = _CITED.match(text.strip())
        if cited:
            return self.outlet(cited["outlet"]), self.canonical(cited["cited"])
        named = self.origins(text)  # "daily star/AFP": the Daily Star, taking it from AFP
        if len(named) == 2 and all(self.lookup(n) is not None for n in named):
            return self.outlet(named[0]), named[1]
        return self.outlet(text), None

    def canonical(self, text: str) -> str:
        """The canonical name of one origin; an unlisted one tidied, with a capital first letter
        so that "local sources" and "Local sources" are one origin."""
        found = self.lookup(text)
        if found is not None:
            return found.name
        tidy = " ".join(text.split()).strip(" .,:;-")
        return tidy[:1].upper() + tidy[1:]

    def origins(self, text: str) -> list[str]:
        """The origins named in one cell, canonical, in order, each once.

        Examples:
            >>> load_outlets().origins("SOHR, airwars; Syrian Observatory for Human Rights")
            ['SOHR', 'Airwars']
            >>> load_outlets().origins("airwars (and SOHR)")
            ['Airwars', 'SOHR']
            >>> load_outlets().origins("Al Amaq, Sound and Picture")
            ['IS', 'Sound and Picture']
        """
        if not text.strip():
            return []
        whole = self.lookup(text)
        if whole is not None:
            return [whole.name]
        names: list[str] = []
        for part in self._parts(text):
            for name in self._run_together(part):
                if name and name not in names:
                    names.append(name)
        return names

    def _parts(self, text: str) -> list[str]:
        """A cell cut at its separators, except inside a listed name that holds one."""
        parts: list[str] = []
        start = 0
        for match in self.joined.finditer(text) if self.joined else ():
            parts += self._cut(text[start : match.start()])
            parts.append(match.group(0))
            start = match.end()
        return parts + self._cut(text[start:])

    def _cut(self, segment: str) -> list[str]:
        parts = []
        for part in _SEPARATORS.split(segment):
            # "Live Map (IS)": the bracket names a further origin, unless the whole is a name.
            pieces = [part] if self.lookup(part) is not None else _BRACKETS.split(part)
            parts += [p.strip() for p in pieces if p.strip()]
        return parts

    @cached_property
    def _longest(self) -> int:
        """The most words a listed spelling can take in a cell: its folded words and slack."""
        return max((len(key.split()) for key in self.by_key), default=0) + _SLACK

    def _run_together(self, part: str) -> list[str]:
        """An origin, or listed outlets run together ("SOHR Airwars"), each the longest listed
        name the words start with.

        Bounded: a part of more than :data:`_RUN_WORDS` words is one origin, and a name is
        looked for among at most as many words as a listed spelling has (:attr:`_longest`), so
        the time is linear in the part; a cell of a thousand repeated names once took cubic time
        and a stack frame per word.
        """
        if self.lookup(part) is not None:
            return [self.canonical(part)]
        words = part.split()
        if len(words) > _RUN_WORDS:
            return [self.canonical(part)]
        names: list[str] = []
        while words:
            for cut in range(min(len(words), self._longest), 0, -1):
                head = self.lookup(" ".join(words[:cut]))
                if head is not None and (cut < len(words) or names):
                    names.append(head.name)
                    words = words[cut:]
                    break
            else:
                return [*names, self.canonical(" ".join(words) if names else part)]
        return names


def _names(entry: dict[str, Any], key: str, path: Path, index: int) -> list[str]:
    values = entry.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ProfileError(f"{path}: outlets[{index}].{key}: expected a list of names")
    return values


def load_outlets_from(path: Path) -> Outlets:
    """Load and check an outlets file; a spelling given to two outlets is refused by name."""
    data = read_data(path, "outlets")
    default = data.get("default_agency")
    if not isinstance(default, str):
        raise ProfileError(f"{path}: default_agency: expected a source agency such as 'other'")
    entries = data.get("outlets")
    if not isinstance(entries, list):
        raise ProfileError(f"{path}: outlets: expected a list of outlets")
    by_key: dict[str, Outlet] = {}
    joined: list[str] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ProfileError(f"{path}: outlets[{i}]: expected a mapping with a 'name'")
        if not isinstance(entry.get("agency"), str):
            raise ProfileError(f"{path}: outlets[{i}] ({entry['name']}): missing 'agency'")
        outlet = Outlet(entry["name"], str(entry.get("org") or slug(entry["name"])),
                        entry["agency"])
        spellings = [outlet.name, *_names(entry, "aliases", path, i),
                     *_names(entry, "typos", path, i)]
        for spelling in spellings:
            key = fold(spelling)
            other = by_key.get(key)
            if other is not None and other != outlet:
                raise ProfileError(
                    f"{path}: outlets[{i}] ({outlet.name}): {spelling!r} is already a spelling "
                    f"of {other.name}", hint="give each spelling to one outlet only")
            by_key[key] = outlet
            if _SEPARATORS.search(spelling):
                joined.append(spelling)
    pattern = "|".join(re.escape(s) for s in sorted(joined, key=len, reverse=True))
    return Outlets(by_key, default, path, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.I)
                   if joined else None)


def check_agencies(outlets: Outlets, agencies: frozenset[str]) -> None:
    """Refuse an outlets file whose agencies are not the profile's (``ProfileError``)."""
    used = {o.agency for o in outlets.by_key.values()} | {outlets.default_agency}
    unknown = sorted(used - agencies)
    if unknown:
        raise ProfileError(f"{outlets.path}: unknown source agencies {unknown}",
                           hint=f"use one of: {', '.join(sorted(agencies))}")


@cache
def load_outlets() -> Outlets:
    """The outlets shipped with the conflict profile (``profiles/conflict/outlets.yaml``)."""
    return load_outlets_from(OUTLETS_PATH)
