"""Partial dates and vague ages as spans, so that "2008", "14" and "in his forties" compare.

Reports rarely give a date of birth. A child is "Courtney, 14"; a man is "in his forties".
Each of these still rules some people out, so every one of them becomes an inclusive span of
birth years, and two mentions are compared by how much their spans overlap.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from joinedup.errors import InputError

__all__ = [
    "birth_year_range",
    "born_between",
    "day_of",
    "overlap",
    "parse_age_range",
    "parse_partial_date",
]

MAX_AGE = 100
"""Upper bound for open-ended ranges such as "30+" or "adult"."""

ABOUT_SLACK = 3
"""Years either side of "about 30": witnesses' guesses at an age are often that far out."""

_DATE_FORMS = 'YYYY, YYYY-MM, YYYY-MM-DD or an ISO datetime such as "2008-07-14T18:30"'
_AGE_FORMS = (
    '"40-49", "40s", "forties", "early/mid/late 30s", "teens", "about 30", "30+", '
    '"over 30", "under 18", "adult" or an exact age'
)
_DECADE_WORDS = {
    "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50,
    "sixties": 60, "seventies": 70, "eighties": 80, "nineties": 90,
}  # fmt: skip
# Thirds of a decade overlap by a year: "mid" and "late" are judgement calls by a witness.
_PART = {"early": (0, 4), "mid": (3, 7), "late": (6, 9)}
_TEEN_PART = {"early": (13, 15), "mid": (14, 17), "late": (17, 19)}


def parse_partial_date(raw: str) -> tuple[date, date]:
    """Return the earliest and latest day a (partial) ISO date can mean.

    Args:
        raw: "2008", "2008-07", "2008-07-14" or an ISO datetime (its own calendar date is
            taken, whatever its time zone, because that is the day the writer meant).

    Returns:
        (first day, last day), both inclusive.

    Raises:
        InputError: If `raw` is none of those forms, or not a real date.

    Examples:
        >>> parse_partial_date("2008-02")
        (datetime.date(2008, 2, 1), datetime.date(2008, 2, 29))
    """
    text = raw.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return date(year, 1, 1), date(year, 12, 31)
        if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(match[1]), int(match[2])
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return date(year, month, 1), date(year, month, last)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].+)?", text):
            day = datetime.fromisoformat(text).date()
            return day, day
    except ValueError as exc:
        raise InputError(f"not a real date: {raw!r} ({exc})", hint=f"use {_DATE_FORMS}") from exc
    raise InputError(f"not a date: {raw!r}", hint=f"use {_DATE_FORMS}")


def parse_age_range(text: str) -> tuple[int, int] | None:
    """Read an age or a vague age range as (youngest, oldest), or None if not understood.

    Interpretations (all inclusive, case and extra words such as "in his" ignored):
        "14" -> (14, 14); "40-49", "40 to 49" -> (40, 49); "40s", "forties" -> (40, 49);
        "early 30s" -> (30, 34), "mid-thirties" -> (33, 37), "late 30s" -> (36, 39);
        "teens" -> (13, 19), "early teens" -> (13, 15), "mid teens" -> (14, 17),
        "late teens" -> (17, 19); "about 30", "around 30", "approx 30", "30ish", "~30"
        -> (27, 33) (`ABOUT_SLACK`); "30+", "over 30", "30 plus" -> (30, `MAX_AGE`) ("over" is
        read generously as "30 or more"); "under 18" -> (0, 17); "adult" -> (18, `MAX_AGE`).
    """
    t = re.sub(r"[–—]", "-", text.casefold()).replace("'", "").strip()
    if match := re.search(r"(\d{1,3})\s*(?:-|to)\s*(\d{1,3})", t):
        low, high = int(match[1]), int(match[2])
        return (low, high) if low <= high else None
    if match := re.search(
        r"(?:about|around|approx\w*|circa|c\.|~)\s*(\d{1,3})|(\d{1,3})\s*-?ish", t
    ):
        age = int(match[1] or match[2])
        return max(0, age - ABOUT_SLACK), age + ABOUT_SLACK
    if match := re.search(
        r"(\d{1,3})\s*(?:\+|plus|or (?:more|over|older))|(?:over|older than)\s*(\d{1,3})", t
    ):
        return int(match[1] or match[2]), MAX_AGE
    if match := re.search(r"(?:under|younger than|below)\s*(\d{1,3})", t):
        return 0, max(0, int(match[1]) - 1)
    return _decade(t) or _teens(t) or _exact(t) or ((18, MAX_AGE) if "adult" in t else None)


def birth_year_range(
    *,
    dob: str | None,
    age: int | None,
    age_range: str | tuple[int, int] | None,
    at: date,
) -> tuple[int, int] | None:
    """Return the inclusive span of birth years consistent with what is known at date `at`.

    Every piece of evidence given is turned into a span and the spans are intersected. When
    they contradict each other (reports do: an age guessed by a witness), the most precise
    source wins in the order dob, age, age range, because a recorded date of birth beats an
    estimate and a guess must never erase it.

    Args:
        dob: A full or partial ISO date of birth ("2008", "2008-07", "2008-07-14").
        age: An exact age in years on date `at`.
        age_range: A vague age (see `parse_age_range`) or (youngest, oldest).
        at: The day the age or age range was observed (usually the report's date).

    Returns:
        (earliest birth year, latest birth year), or None when nothing is known.

    Raises:
        InputError: If `dob` or a textual `age_range` cannot be read.

    Examples:
        >>> birth_year_range(dob=None, age=14, age_range=None, at=date(2008, 8, 1))
        (1993, 1994)
        >>> birth_year_range(dob=None, age=None, age_range="forties", at=date(2008, 8, 1))
        (1958, 1968)
    """
    spans: list[tuple[int, int]] = []
    if dob is not None:
        first, last = parse_partial_date(dob)
        spans.append((first.year, last.year))
    if age is not None:
        spans.append(_years_for_ages(age, age, at))
    if age_range is not None:
        ages = age_range if isinstance(age_range, tuple) else parse_age_range(age_range)
        if ages is None:
            raise InputError(f"cannot read the age range {age_range!r}", hint=f"use {_AGE_FORMS}")
        spans.append(_years_for_ages(ages[0], ages[1], at))
    if not spans:
        return None
    low, high = max(s[0] for s in spans), min(s[1] for s in spans)
    return (low, high) if low <= high else spans[0]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Return how many years two inclusive spans share (0 when they are disjoint).

    Examples:
        >>> overlap((1990, 1994), (1993, 2000))
        2
    """
    return max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)


def born_between(age: int, at: date) -> tuple[int, int]:
    """The first and last days (as ordinals) someone aged ``age`` on ``at`` can have been born:
    "Niall, 15" on 27 November 2007 was born from 28 November 1991 to 27 November 1992, so he
    is not the Niall born on 6 May 1991, although the two share a birth year.

    Examples:
        >>> [date.fromordinal(d).isoformat() for d in born_between(15, date(2007, 11, 27))]
        ['1991-11-28', '1992-11-27']
    """
    earliest = _years_before(at, age + 1) + timedelta(days=1)
    return earliest.toordinal(), _years_before(at, age).toordinal()


def day_of(yyyymmdd: str) -> int | None:
    """A full date of birth written ``YYYYMMDD`` as an ordinal; None when it is no date (a
    record's typo may give a 31 June)."""
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])).toordinal()
    except ValueError:
        return None


def _years_for_ages(youngest: int, oldest: int, at: date) -> tuple[int, int]:
    # Someone aged n on `at` was born after `at` minus n+1 years and on or before `at` minus n.
    earliest = _years_before(at, oldest + 1) + timedelta(days=1)
    latest = _years_before(at, youngest)
    return earliest.year, latest.year


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _decade(t: str) -> tuple[int, int] | None:
    start = next((d for word, d in _DECADE_WORDS.items() if word in t), None)
    if start is None and (match := re.search(r"\b([1-9]0)s\b", t)):
        start = int(match[1])
    if start is None:
        return None
    part = next((span for word, span in _PART.items() if word in t), (0, 9))
    return start + part[0], start + part[1]


def _teens(t: str) -> tuple[int, int] | None:
    if not re.search(r"\bteen", t):
        return None
    return next((span for word, span in _TEEN_PART.items() if word in t), (13, 19))


def _exact(t: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(?:aged?\s*)?(\d{1,3})(?:\s*(?:yo|y/o|years?(?: old)?|yrs?))?", t)
    return (int(match[1]), int(match[1])) if match else None
