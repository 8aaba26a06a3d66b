"""Spelling variants of Arabic place and actor names as sources write them in Latin letters.

The same town is "Urum al-Kubra", "Orum el Kobra" and "Urum Al Kubra" in three English-language
reports, and the same group "Jabhat Fateh al-Sham", "Jabhat Fatah al Sham" and "Nusra Front".
A de-duplication test set needs these differences, drawn from the ways transliteration really
varies, not random typing errors (those are rare in edited reports):

- the article: "al-", "al ", "Al-", "Al ", "el-", "El " or none ("Bab", "al-Bab", "El Bab");
- exonyms: Aleppo / Halab;
- doubled letters (shadda) written or not: "Tall Rifaat" / "Tal Rifat", "Daqmeesh" / "Daqmesh";
- q as k ("Qabasin" / "Kabasin"), ou as u and u as ou ("Kuweires" / "Kouweires"), ee as i;
- hyphens dropped ("Kafr-Naya" / "Kafr Naya");
- UCDP's feature word ("Urum al Kubra town") left out, as a reporter would.

Actors also go by other names: :data:`ACTOR_ALIASES` holds the common ones, including the
dated renaming of Jabhat al-Nusra (conflict.md, rule 5), so that a matcher is tested on names it
must not reject on the label alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from random import Random

__all__ = ["ACTOR_ALIASES", "FEATURE_WORDS", "RULES", "actor_name", "variant"]

FEATURE_WORDS = ("town", "village", "city", "suburb", "area", "neighbourhood", "neighborhood")

ACTOR_ALIASES: dict[str, tuple[str, ...]] = {
    "Government of Syria": ("Syrian government forces", "regime forces", "Syrian Arab Army",
                            "Assad forces"),
    "Syrian insurgents": ("rebels", "opposition factions", "armed opposition"),
    "IS": ("ISIS", "Islamic State", "Daesh", "ISIL"),
    "SDF": ("Syrian Democratic Forces", "Kurdish-led forces"),
    "Government of Turkey": ("Turkish forces", "Turkish army"),
    "Government of Russia (Soviet Union)": ("Russian forces", "Russian warplanes"),
    # Renamed in July 2016 and merged into Hay'at Tahrir al-Sham in January 2017 (conflict.md).
    "Jabhat Fateh al-Sham": ("Jabhat al-Nusra", "Nusra Front", "Fatah al-Sham Front"),
    "Civilians": ("civilians", "residents"),
}

# English labels, not transliterations: other names, but never respelled ("Civillians").
_LABELS = frozenset({"Government of Syria", "Syrian insurgents", "IS", "SDF",
                     "Government of Turkey", "Government of Russia (Soviet Union)", "Civilians"})

_ARTICLE = re.compile(r"\b([Aa]l|[Ee]l)[- ](?=\w)")
_ARTICLES = ("al-", "al ", "Al-", "Al ", "el-", "El ", "")
_DOUBLED = re.compile(r"([a-z])\1")
_SINGLE = re.compile(r"(?<=[aeiou])([bdfjklmnrstz])(?=[aeiou])")
_FEATURE = re.compile(r"\s+(?:" + "|".join(FEATURE_WORDS) + r")$", re.I)


def _one(pattern: re.Pattern[str], text: str, rng: Random, repl: Callable[[re.Match[str]], str],
         ) -> str:
    """Replace one match of ``pattern``, chosen at random (text unchanged if none)."""
    found = list(pattern.finditer(text))
    if not found:
        return text
    match = rng.choice(found)
    return text[: match.start()] + repl(match) + text[match.end() :]


def _article(text: str, rng: Random) -> str:
    choice = rng.choice(_ARTICLES)
    return _ARTICLE.sub(lambda m: choice, text)


def _exonym(text: str, rng: Random) -> str:
    if "Aleppo" in text:
        return text.replace("Aleppo", "Halab")
    return text.replace("Halab", "Aleppo")


def _doubles(text: str, rng: Random) -> str:
    if _DOUBLED.search(text):
        return _one(_DOUBLED, text, rng, lambda m: m.group(1))
    return _one(_SINGLE, text, rng, lambda m: m.group(1) * 2)


def _q_k(text: str, rng: Random) -> str:
    return _one(re.compile("[Qq]"), text, rng, lambda m: "K" if m.group(0) == "Q" else "k")


def _vowels(text: str, rng: Random) -> str:
    pattern = re.compile(r"ou|ee|(?<![aeiou])u(?![aeiou])")
    table = {"ou": "u", "ee": "i", "u": "ou"}
    return _one(pattern, text, rng, lambda m: table[m.group(0)])


def _hyphens(text: str, rng: Random) -> str:
    return text.replace("-", " ")


RULES: tuple[Callable[[str, Random], str], ...] = (
    _article, _exonym, _doubles, _q_k, _vowels, _hyphens,
)
"""Every spelling rule; each leaves a name it does not apply to unchanged."""


def variant(name: str, rng: Random, changes: int = 1) -> str:
    """``name`` as another source might spell it: ``changes`` rules that change it, at random.

    Examples:
        >>> variant("Urum al Kubra town", Random(3), changes=2) != "Urum al Kubra town"
        True
    """
    feature = _FEATURE.search(name)
    core, suffix = (name[: feature.start()], feature.group(0)) if feature else (name, "")
    rules: list[Callable[[str, Random], str] | None] = [*RULES, None]  # None: drop the suffix
    rng.shuffle(rules)
    for rule in rules:
        if changes <= 0:
            break
        if rule is None:
            changes, suffix = changes - (1 if suffix else 0), ""
            continue
        changed = " ".join(rule(core, rng).split())
        if changed != core and changed:
            core, changes = changed, changes - 1
    return core + suffix


def actor_name(name: str, rng: Random, alias_rate: float, spelling_rate: float) -> str:
    """An actor as a source names it: another of its names, a spelling variant, or as given."""
    aliases = ACTOR_ALIASES.get(name, ())
    if aliases and rng.random() < alias_rate:
        return rng.choice(aliases)
    if name not in _LABELS and rng.random() < spelling_rate:
        return variant(name, rng)
    return name
