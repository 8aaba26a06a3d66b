"""Vehicles: registrations, full or partial, and descriptions ("a silver Vauxhall Astra").

A registration's value is :func:`joinedup.resolve.normalise.normalise_plate`'s text
(``KX57ABC``, ``MA08???``, ``K*``, ``??68???``); a description's value is its words in lower
case, article included, as the evaluation set writes them. A taxi word ("taxi", "cab",
"private hire") sets ``kind=taxi``.

Confidence by rule: a full plate 0.95; a partial plate said to be one ("a plate starting
MA08", "a K-reg", "a 68 plate", "partial reg: starts with YD") 0.9; a plate with gaps
("YD09 KL?", "LR63 ...") 0.85; the start of a plate after a plate word ("registration written
down as MF54") 0.8; a description 0.85; a taxi named only as one ("a private hire car") 0.8.
"""

from __future__ import annotations

import re
from functools import cache

from joinedup.extract.narrative.pipeline import Reading, lexicon
from joinedup.resolve.normalise import normalise_plate

_PLATE_WORDS = r"(?:plate|registration|reg|index|VRM)"
_STARTING = re.compile(
    r"\b(?:(?:an?|the)\s+)?(?:partial\s+)?" + _PLATE_WORDS
    + r"(?:\s+number)?\s+(?:starting|beginning|that\s+starts|which\s+starts|starts|begins)"
    r"(?:\s+with)?\s+([A-Z0-9]{1,5}(?-i:\s[A-HJ-PR-Z]{1,2}(?![\w']))?)\b", re.IGNORECASE)
# (the letters after a space are part of the plate: "a plate starting YF57 HK"; plates use
# no I or Q, so "starting KX57 I think" stops at KX57)
_YEAR_LETTER = re.compile(r"\b(?:an?\s+)?([A-Z])-?reg\b")
_AGE_ID = re.compile(r"\b(?:an?\s+)?(\d{2})[\s-]?(?:plate|reg)\b")
_FULL = re.compile(r"(?<![\w?])(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3}"
                   r"|[A-Z]{3}\s?\d{1,3}[A-Z])(?![\w?])")
_GAPS = re.compile(r"(?<![\w?])[A-Z?]{2}[0-9?]{2}\s?[A-Z?]{1,3}(?![\w?])")
_TRAILING = re.compile(r"(?<![\w?])([A-Z]{2}\d{2}(?:\s?[A-Z]{1,2})?)\s?(?:\.\.\.|…|\*)")
_BARE_START = re.compile(_PLATE_WORDS + r"\W{1,3}(?:\w+\s){0,4}?([A-Z]{2}\d{2}[A-Z]{0,2})\b")
_STARTS_WITH = re.compile(_PLATE_WORDS + r"\W{1,3}(?:\w+\s){0,3}?((?:starts?|starting|begins?|"
                          r"beginning)\s+with\s+([A-Z][A-Z0-9]{0,4}))\b")
# the start of a plate said after the car it belongs to ("a blue Vauxhall Vectra, AE02.") or
# said to be the start of one ("noted YJ05 as the start of the plate")
_AFTER_CAR = re.compile(r",\s([A-Z]{2}\d{2}(?:\s?[A-Z]{1,2})?)(?=[.,;:)]|\s|\Z)")
_START_OF = re.compile(r"\b([A-Z]{2}\d{2}[A-Z]{0,2})\s(?:as|was|is)\s(?:the\s)?(?:start|beginning|"
                       r"first\s(?:part|half|letters))\sof\s(?:the\s|its\s|a\s)?" + _PLATE_WORDS
                       + r"\b")
_TAXI_ALONE = re.compile(r"\ban?\s(?:private\shire\s(?:car|vehicle)|minicab|black\scab)\b")
# What every match of a plate's shape contains: _FULL, _TRAILING and _BARE_START a capital
# then a digit (perhaps a space between), _GAPS a capital or "?" then a digit or "?";
# _YEAR_LETTER a capital then "reg", _AGE_ID a digit then "plate" or "reg".
_LETTER_DIGIT = re.compile(r"[A-Z]\s?\d")
_GAP_SHAPE = re.compile(r"[A-Z?][0-9?]")
_LETTER_REG = re.compile(r"[A-Z]-?reg")
_NUMBER_PLATE = re.compile(r"\d[\s-]?(?:plate|reg)")


@cache
def _description() -> re.Pattern[str]:
    lex = lexicon()
    colours = "|".join(sorted(map(re.escape, lex.words("colours")), key=len, reverse=True))
    makes = "|".join(sorted(map(re.escape, lex.words("makes")), key=len, reverse=True))
    nouns = "|".join(sorted(map(re.escape, lex.words("vehicle_nouns")), key=len, reverse=True))
    colour = rf"(?:{colours})(?:[\s-](?:{colours}))?"
    colour_run = rf"{colour}(?:,?\s(?:and|or)\s{colour})?"
    # a model the list does not know: one more capitalised word or number ("Seat Leon",
    # "Peugeot 206", "BMW 1 Series", "BMW 5 series", "Mercedes C-class")
    model = (r"(?:\s(?:[A-Z][a-z]+|\d{1,3}|[A-Z]\d{1,2}|[A-Z]-[Cc]lass))?"
             r"(?:\s(?:[Ss]eries|[Cc]lass))?")
    made = rf"(?:{makes})(?:\s(?:{makes}))*{model}"
    tail = rf"(?:{made}(?:\s(?:{nouns}))*|(?:{nouns})(?:\s(?:{nouns}))*)"
    return re.compile(
        rf"\b(?:an?|the|his|her|their)\s(?:(?:{colour_run})\s{tail}|{made}"
        rf"(?:\s(?:{nouns}))*)\b"
    )


def _taxi(text: str) -> bool:
    lower = text.lower()
    return any(word in lower for word in lexicon().words("taxi_words", lower=True))


def propose_vehicles(reading: Reading) -> None:
    """Add registrations first (their rules are the most specific), then descriptions.

    Most narratives name no plate, and each pattern scanned over the whole text costs more
    than a substring test; so a pattern runs only where the text has what every match of it
    contains: a plate word ("plate", "reg", "index", "VRM", in any case) and "start" or
    "begin" for a plate said to start with something, a letter then "reg" or a number then
    "plate" or "reg" for a plate's age, a capital letter next to a digit for a plate's shape,
    "?" for a plate with gaps. Where the test fails the pattern could not have matched, so
    nothing is lost.
    """
    text = reading.text
    plate_word = reading.mentions("plate", "reg", "index", "vrm")
    starting = plate_word and reading.mentions("start", "begin")
    shaped = _LETTER_DIGIT.search(text) is not None
    said: list[tuple[re.Pattern[str], str, float, bool]] = [
        (_STARTING, "starts {}", 0.9, starting),
        (_YEAR_LETTER, "{}-reg", 0.9, plate_word and _LETTER_REG.search(text) is not None),
        (_AGE_ID, "{} reg", 0.9, plate_word and _NUMBER_PLATE.search(text) is not None),
        (_TRAILING, "{}...", 0.85, shaped and ("..." in text or "…" in text or "*" in text)),
        (_FULL, "{}", 0.95, shaped),
        (_GAPS, "{}", 0.85, "?" in text and _GAP_SHAPE.search(text) is not None),
    ]
    for pattern, form, confidence, possible in said:
        if not possible:
            continue
        for match in pattern.finditer(text):
            group = 1 if pattern.groups else 0
            plate = normalise_plate(form.format(match[group]))
            if plate is None or not reading.free(match.start(), match.end()):
                continue
            if pattern is _GAPS and "?" not in match[0]:
                continue
            reading.propose("vehicle", match.start(), match.end(), plate.text, confidence,
                            f"vehicle.plate.{'partial' if plate.partial else 'full'}",
                            attrs=_kind_near(text, match.start()))
    for match in _BARE_START.finditer(text) if plate_word and shaped else ():
        plate = normalise_plate(match[1])
        if plate is not None and reading.free(match.start(1), match.end(1)):
            reading.propose("vehicle", match.start(1), match.end(1), plate.text, 0.8,
                            "vehicle.plate.start")
    for match in _START_OF.finditer(text) if plate_word and shaped else ():
        plate = normalise_plate(f"starts {match[1]}")
        if plate is not None and reading.free(match.start(1), match.end(1)):
            reading.propose("vehicle", match.start(1), match.end(1), plate.text, 0.9,
                            "vehicle.plate.partial")
    for match in _STARTS_WITH.finditer(text) if starting else ():
        plate = normalise_plate(f"starts {match[2]}")
        if plate is not None and reading.free(match.start(1), match.end(1)):
            reading.propose("vehicle", match.start(1), match.end(1), plate.text, 0.9,
                            "vehicle.plate.partial")
    taxi_alone = "private" in text or "minicab" in text or "black" in text
    for match in _TAXI_ALONE.finditer(text) if taxi_alone else ():
        if reading.free(match.start(), match.end()):
            reading.propose("vehicle", match.start(), match.end(), match[0].lower(), 0.8,
                            "vehicle.description.taxi", attrs={"kind": "taxi"})
    for match in _description().finditer(text):
        if not reading.free(match.start(), match.end()):
            continue
        attrs = {"kind": "taxi"} if _taxi(match[0]) else {}
        reading.propose("vehicle", match.start(), match.end(), " ".join(match[0].lower().split()),
                        0.85, "vehicle.description", attrs=attrs)
        after = _AFTER_CAR.match(text, match.end()) if shaped else None
        plate = normalise_plate(f"starts {after[1]}") if after else None
        if after and plate is not None and reading.free(after.start(1), after.end(1)):
            reading.propose("vehicle", after.start(1), after.end(1), plate.text, 0.8,
                            "vehicle.plate.start", attrs=attrs)


def _kind_near(text: str, start: int) -> dict[str, str]:
    return {"kind": "taxi"} if _taxi(text[max(0, start - 40):start]) else {}
