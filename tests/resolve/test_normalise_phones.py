"""Phone numbers reach E.164 however they were written."""

from __future__ import annotations

import pytest

from joinedup.resolve.normalise import normalise_phone


@pytest.mark.parametrize(
    "raw",
    [
        "07700 900123",
        "+44 (0)7700-900-123",
        "0044 7700 900123",
        "+447700900123",
        "07700-900-123",
    ],
)
def test_one_uk_mobile_written_many_ways_has_one_e164_form(raw: str) -> None:
    assert normalise_phone(raw) == "+447700900123"


def test_uk_landline_keeps_its_area_code() -> None:
    assert normalise_phone("0161 496 0000") == "+441614960000"


def test_number_with_country_code_ignores_the_default_region() -> None:
    assert normalise_phone("+1 202 555 0143") == "+12025550143"


def test_national_number_is_read_in_the_given_region() -> None:
    assert normalise_phone("202 555 0143", region="US") == "+12025550143"


@pytest.mark.parametrize("raw", ["", "ring me", "123", "no number given"])
def test_text_that_cannot_be_a_phone_number_gives_none(raw: str) -> None:
    assert normalise_phone(raw) is None
