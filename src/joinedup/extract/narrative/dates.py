"""Dates, absolute or relative, resolved against the day the report was made.

Values are ISO: ``YYYY-MM-DD``, or ``YYYY-MM`` when only a month is said. A date without a
year is the latest such date on or before ``reported_at`` (reports tell what has happened),
or the next one when the text says it is to come ("due 9 July", "will appear on 4 June"); a
weekday ("Friday", "last Friday", "on Saturday night") is the latest such day *before* the
report's day; "two weeks ago" counts back from it. Habits ("on Saturdays"), days to come
("next Saturday"), office hours ("Tuesday to Thursday"), "today" in running text and "two
years ago" are not proposed: the evaluation set's annotators do not mark them.

Confidence by rule: a written date 0.95 ("3 April", "08/10/11"); a day and month without a
year after a word that says a date is meant ("on 22/06", "Sat 12/8"), "yesterday", "today"
with a time ("at 11:10 today"), "N weeks ago" 0.9; a weekday 0.85; a day of the month ("the
3rd", "Saturday 20th") 0.8; a month ("since about September") 0.8.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from joinedup.extract.narrative.pipeline import Reading

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_DAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
            "a couple of": 2, "a few": 3}
_MONTH_NAMES = "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True))
_DAY_NAMES = "|".join(calendar.day_name)
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"

_NUMERIC = re.compile(r"(?<![\w/.-])(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?![\w/-]|\.\d)")
# A day and month without a year ("on 22/06", "(13/05)", "Sat 12/8"): only after a word that
# says a date is meant, so that "3/4 of the class" or "Year 9/10" is not read as one.
_SHORT_DAYS = "Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun"
_NUMERIC_NO_YEAR = re.compile(
    rf"(?:\b(?:on|dated|from|since|until|till|by|{_SHORT_DAYS}|{'|'.join(calendar.day_name)})"
    r"\.?\s+|\()(\d{1,2})/(\d{1,2})(?![\w/]|\.\d)")
_DAY_MONTH = re.compile(
    rf"\b(?:(?:{_DAY_NAMES})\s+)?(?:the\s+)?{_ORD}\s+(?:of\s+)?({_MONTH_NAMES})\.?(?:,?\s+(\d{{4}}))?\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH_NAMES})\s+{_ORD}(?:,?\s+(\d{{4}}))?\b")
_DAY_OF_MONTH = re.compile(rf"\b(?:the|{_DAY_NAMES})\s+(\d{{1,2}})(?:st|nd|rd|th)\b"
                           r"(?!\s+(?:of\s+)?[A-Z])")
_MONTH_ALONE = re.compile(
    rf"\b(?:(?:[Ii]n|[Ss]ince|[Dd]uring|[Ff]rom|[Uu]ntil|till|of|[Ee]arly|[Ll]ate|mid|[Ll]ast|this"
    r"|by)\s+(?:(?:about|around|roughly)\s+)?)"
    rf"(?:(?:early|late|mid)[\s-])?({_MONTH_NAMES})(?:\s+(\d{{4}}))?\b(?!\s+\d)")
_MONTH_YEAR = re.compile(rf"\b({_MONTH_NAMES})\s+(\d{{4}})\b")
# A weekday said once ("on Friday", "last Friday", "Saturday night"); not a habit ("on
# Saturdays"), a day to come ("next Saturday"), office hours ("Tuesday to Thursday") or a
# meeting ("Thursday's meeting").
_WEEKDAY = re.compile(
    rf"(?<!next )(?<!\()\b(?:(?:[Ll]ast|[Oo]n|[Tt]his\s+past)\s+)?({_DAY_NAMES})"
    r"(?:\s+(?:night|evening|morning|afternoon|lunchtime|daytime))?\b(?!s\b|'s|’s)"
    rf"(?!\s+to\s+(?:{_DAY_NAMES}))")
_ANY_MONTH = re.compile(rf"\b(?:{_MONTH_NAMES})\b")
_FUTURE = re.compile(r"\b(?:due|will|next|appear|appears|listed|adjourned)\b[^.]{0,45}$",
                     re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(?:the\s+day\s+before\s+yesterday|yesterday(?:\s+(?:morning|afternoon|evening))?"
    r"|last\s+night|this\s+(?:morning|evening)|today(?=,?\s+\d{1,2}[:.]\d{2})"
    r"|(?<=\d[:.]\d\d\s)today)\b", re.IGNORECASE)
_AGO = re.compile(
    r"\b(a\s+couple\s+of|a\s+few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|\d{1,2})\s+(days?|weeks?|fortnights?|months?)\s+ago\b", re.IGNORECASE)
_NOT_A_DATE = re.compile(r"(?:dob|d\.o\.b\.?|born|ref|reference|no\.?)\W*$", re.IGNORECASE)
# A date of birth is not when anything in the report happened ("Her date of birth is
# 19/12/1992", "born April 1993", "DOB: 3 May 1994", "(d.o.b. 14/07/1993"): it is claimed and
# not proposed, whatever its form.
_BIRTH = re.compile(r"(?:\bdob|\bd\.o\.b\.?|\bborn(?:\s+(?:on|in))?|\bdate\s+of\s+birth"
                    r"(?:\s+(?:is|was|of|given\s+as))?|\bbirth\s*date(?:\s+(?:is|was))?"
                    r"|\bbirthday(?:\s+(?:is|was))?(?:\s+on)?)\W{0,3}$", re.IGNORECASE)
_BIRTH_REACH = 24  # characters before a date in which a birth cue is looked for
# Cheap tests of what every match of a pattern above contains, so that a pattern is scanned
# over the text only where it could match (most narratives have no written date): each is a
# necessary condition, and a search that starts with a literal or a digit runs far faster in
# Python's re than one that starts with \b.
_NUMERIC_SHAPE = re.compile(r"\d[/.]\d")
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)")
_MONTH_WORD = re.compile(_MONTH_NAMES)
_DAY_WORD = re.compile(_DAY_NAMES)
_RELATIVE_WORDS = ("yesterday", "night", "morning", "evening", "today")
# The words one of which begins every match (for Reading.scan, which tries a pattern only
# where one begins).
_RELATIVE_STARTS = ("the", "yesterday", "last", "this", "today")
_WEEKDAY_STARTS = ("Last", "last", "On", "on", "This", "this", *calendar.day_name)
# the month names no other begins ("Sep" for "Sept" and "September"): one begins each match
_MONTH_STARTS = tuple(sorted({m.capitalize() for m in _MONTHS
                              if not any(o != m and m.startswith(o) for o in _MONTHS)}))
# What every match of _DAY_MONTH and _MONTH_ALONE contains, without their leading \b.
_DAY_MONTH_SHAPE = re.compile(rf"\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_NAMES})")
_MONTH_ALONE_SHAPE = re.compile(
    rf"(?:[Ii]n|[Ss]ince|[Dd]uring|[Ff]rom|[Uu]ntil|till|of|[Ee]arly|[Ll]ate|mid|[Ll]ast|this|by)\s+"
    r"(?:(?:about|around|roughly)\s+)?"
    rf"(?:(?:early|late|mid)[\s-])?(?:{_MONTH_NAMES})")


def _latest_on_or_before(day: int, month: int, at: date) -> date | None:
    for year in (at.year, at.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= at:
            return candidate
    return None


def _earliest_on_or_after(day: int, month: int, at: date) -> date | None:
    for year in (at.year, at.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= at:
            return candidate
    return None


def _weekday_before(weekday: int, at: date) -> date:
    back = (at.weekday() - weekday) % 7 or 7
    return at - timedelta(days=back)


def _months_back(at: date, months: int) -> str:
    index = at.year * 12 + at.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def propose_dates(reading: Reading, at: date) -> None:
    """Add a proposal for each date the narrative states or implies."""
    text = reading.text
    for match in _NUMERIC.finditer(text) if _NUMERIC_SHAPE.search(text) else ():
        if _NOT_A_DATE.search(text[max(0, match.start() - 12):match.start()]):
            reading.claim(match.start(), match.end())
            continue
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if year < 100:
            year += 2000 if 2000 + year <= at.year + 1 else 1900
        try:
            _add(reading, match.start(), match.end(), date(year, month, day).isoformat(), 0.95,
                 "date.numeric")
        except ValueError:
            continue
    for match in _NUMERIC_NO_YEAR.finditer(text) if _NUMERIC_SHAPE.search(text) else ():
        day, month = int(match[1]), int(match[2])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        future = _FUTURE.search(text[max(0, match.start() - 60):match.start()])
        found = (_earliest_on_or_after if future else _latest_on_or_before)(day, month, at)
        if found:
            _add(reading, match.start(1), match.end(2), found.isoformat(), 0.9, "date.numeric")
    if _MONTH_WORD.search(text) and _ANY_MONTH.search(text):
        _months(reading, at)
    for match in _DAY_OF_MONTH.finditer(text) if _ORDINAL.search(text) else ():
        day = int(match[1])
        month_back = at.replace(day=1) - timedelta(days=1)
        found = None
        if day <= at.day:
            found = at.replace(day=day)
        elif day <= calendar.monthrange(month_back.year, month_back.month)[1]:
            found = month_back.replace(day=day)
        if found:
            _add(reading, match.start(), match.end(), found.isoformat(), 0.8, "date.day_of_month")
    _relative(reading, at)


def _months(reading: Reading, at: date) -> None:
    """Dates that name a month: "3 April", "April 3rd", "March 2009", "since April"."""
    text = reading.text
    for match in _DAY_MONTH.finditer(text) if _DAY_MONTH_SHAPE.search(text) else ():
        _add_day(reading, match.start(), match.end(), int(match[1]), match[2], match[3], at)
    for match in reading.scan(_MONTH_DAY, _MONTH_STARTS):
        _add_day(reading, match.start(), match.end(), int(match[2]), match[1], match[3], at)
    for match in reading.scan(_MONTH_YEAR, _MONTH_STARTS):
        _add(reading, match.start(), match.end(),
             f"{match[2]}-{_MONTHS[match[1].casefold()]:02d}", 0.9, "date.month")
    for match in _MONTH_ALONE.finditer(text) if _MONTH_ALONE_SHAPE.search(text) else ():
        month = _MONTHS[match[1].casefold()]
        if match[2]:
            value = f"{match[2]}-{month:02d}"
        else:
            year = at.year if month <= at.month else at.year - 1
            value = f"{year}-{month:02d}"
        _add(reading, match.start(1), match.end(2) if match[2] else match.end(1), value, 0.8,
             "date.month")


def _relative(reading: Reading, at: date) -> None:
    text = reading.text
    relative = reading.mentions(*_RELATIVE_WORDS)
    for match in reading.scan(_RELATIVE, _RELATIVE_STARTS, any_case=True) if relative else ():
        phrase = match[0].casefold()
        back = 2 if "before" in phrase else 1 if phrase.startswith(("yesterday", "last")) else 0
        _add(reading, match.start(), match.end(), (at - timedelta(days=back)).isoformat(), 0.9,
             "date.relative")
    for match in _AGO.finditer(text) if reading.mentions("ago") else ():
        count = _NUMBERS.get(" ".join(match[1].casefold().split()))
        count = count if count is not None else int(match[1])
        unit = match[2].casefold().rstrip("s")
        if unit == "month":
            value = _months_back(at, count)
        else:
            days = {"day": 1, "week": 7, "fortnight": 14}[unit] * count
            value = (at - timedelta(days=days)).isoformat()
        _add(reading, match.start(), match.end(), value, 0.9, "date.ago")
    for match in reading.scan(_WEEKDAY, _WEEKDAY_STARTS) if _DAY_WORD.search(text) else ():
        if not match[1][0].isupper() or _FUTURE.search(text[max(0, match.start() - 30):
                                                            match.start()]):
            continue
        day = _weekday_before(_DAYS[match[1].casefold()], at)
        _add(reading, match.start(), match.end(), day.isoformat(), 0.85, "date.weekday")


def _add_day(reading: Reading, start: int, end: int, day: int, month_name: str,
             year: str | None, at: date) -> None:
    month = _MONTHS[month_name.casefold()]
    try:
        if year:
            found: date | None = date(int(year), month, day)
        elif _FUTURE.search(reading.text[max(0, start - 60):start]):
            found = _earliest_on_or_after(day, month, at)
        else:
            found = _latest_on_or_before(day, month, at)
    except ValueError:
        return
    if found:
        _add(reading, start, end, found.isoformat(), 0.95, "date.written")


def _add(reading: Reading, start: int, end: int, value: str, confidence: float,
         rule: str) -> None:
    if not reading.free(start, end):
        return
    before = reading.text[max(0, start - _BIRTH_REACH):start]
    if ("b" in before or "B" in before) and _BIRTH.search(before):
        reading.claim(start, end)  # a date of birth: not when anything happened
        return
    reading.propose("date", start, end, value, confidence, rule)
