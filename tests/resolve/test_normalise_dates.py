"""Partial dates and vague ages become spans of days and of birth years."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.errors import InputError
from joinedup.resolve.normalise import birth_year_range, overlap, parse_partial_date
from joinedup.resolve.normalise.dates import MAX_AGE, parse_age_range

AT = date(2008, 8, 1)


@pytest.mark.parametrize(
    ("raw", "first", "last"),
    [
        ("2008", date(2008, 1, 1), date(2008, 12, 31)),
        ("2008-07", date(2008, 7, 1), date(2008, 7, 31)),
        ("2008-02", date(2008, 2, 1), date(2008, 2, 29)),
        ("2007-02", date(2007, 2, 1), date(2007, 2, 28)),
        ("2008-07-14", date(2008, 7, 14), date(2008, 7, 14)),
        ("2008-07-14T18:30:00", date(2008, 7, 14), date(2008, 7, 14)),
        ("2008-07-14T23:30:00+01:00", date(2008, 7, 14), date(2008, 7, 14)),
        (" 2008-07 ", date(2008, 7, 1), date(2008, 7, 31)),
    ],
)
def test_partial_date_means_every_day_from_its_first_to_its_last(
    raw: str, first: date, last: date
) -> None:
    assert parse_partial_date(raw) == (first, last)


@pytest.mark.parametrize(
    "raw", ["", "July 2008", "14/07/2008", "2008-13", "2008-02-30", "08", "2008-7", "soon"]
)
def test_anything_but_a_partial_iso_date_is_an_input_error(raw: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_partial_date(raw)
    assert "YYYY-MM" in caught.value.hint


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("14", (14, 14)),
        ("aged 14", (14, 14)),
        ("40-49", (40, 49)),
        ("40 to 49", (40, 49)),
        ("40–49", (40, 49)),
        ("40s", (40, 49)),
        ("40's", (40, 49)),
        ("forties", (40, 49)),
        ("in his forties", (40, 49)),
        ("early 30s", (30, 34)),
        ("mid-twenties", (23, 27)),
        ("late 30s", (36, 39)),
        ("Late Thirties", (36, 39)),
        ("teens", (13, 19)),
        ("late teens", (17, 19)),
        ("about 30", (27, 33)),
        ("around 30", (27, 33)),
        ("30ish", (27, 33)),
        ("30+", (30, MAX_AGE)),
        ("over 30", (30, MAX_AGE)),
        ("under 18", (0, 17)),
        ("adult", (18, MAX_AGE)),
    ],
)
def test_vague_age_is_read_as_a_generous_range_of_ages(text: str, ages: tuple[int, int]) -> None:
    assert parse_age_range(text) == ages


@pytest.mark.parametrize("text", ["", "older", "49-40", "thirteen-ish and a half"])
def test_unreadable_age_range_gives_none(text: str) -> None:
    assert parse_age_range(text) is None


@pytest.mark.parametrize(
    ("kwargs", "years"),
    [
        ({"age": 14}, (1993, 1994)),
        ({"age": 14, "at": date(2008, 12, 31)}, (1994, 1994)),
        ({"age": 14, "at": date(2008, 1, 1)}, (1993, 1994)),
        ({"age": 14, "at": date(2008, 2, 29)}, (1993, 1994)),
        ({"dob": "1994"}, (1994, 1994)),
        ({"dob": "1993-11-02"}, (1993, 1993)),
        ({"age_range": "forties"}, (1958, 1968)),
        ({"age_range": "40-49"}, (1958, 1968)),
        ({"age_range": (40, 49)}, (1958, 1968)),
        ({"age_range": "teens"}, (1988, 1995)),
        ({"age": 14, "age_range": "teens"}, (1993, 1994)),
        ({"dob": "1994-03", "age": 14}, (1994, 1994)),
    ],
)
def test_birth_years_are_those_consistent_with_everything_known(
    kwargs: dict[str, object], years: tuple[int, int]
) -> None:
    args: dict[str, object] = {"dob": None, "age": None, "age_range": None, "at": AT}
    args.update(kwargs)
    assert birth_year_range(**args) == years  # type: ignore[arg-type]


def test_recorded_dob_wins_when_a_guessed_age_contradicts_it() -> None:
    assert birth_year_range(dob="1994-05-01", age=None, age_range="forties", at=AT) == (1994, 1994)


def test_nothing_known_gives_no_birth_years() -> None:
    assert birth_year_range(dob=None, age=None, age_range=None, at=AT) is None


def test_unreadable_age_range_is_an_input_error_not_silently_ignored() -> None:
    with pytest.raises(InputError, match="older"):
        birth_year_range(dob=None, age=None, age_range="older", at=AT)


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        ((1990, 1994), (1993, 2000), 2),
        ((1990, 1994), (1990, 1994), 5),
        ((1993, 1994), (1958, 1968), 0),
        ((1990, 1990), (1990, 1990), 1),
        ((1990, 1994), (1995, 1999), 0),
    ],
)
def test_overlap_counts_shared_birth_years(
    a: tuple[int, int], b: tuple[int, int], shared: int
) -> None:
    assert overlap(a, b) == overlap(b, a) == shared
