"""UK postcodes in one spelling, with district and area."""

from __future__ import annotations

import pytest

from joinedup.errors import InputError
from joinedup.resolve.normalise import normalise_postcode, postcode_area, postcode_district


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("OL11 1AB", "OL11 1AB"),
        ("ol111ab", "OL11 1AB"),
        ("  ol11   1ab ", "OL11 1AB"),
        ("M1 1AE", "M1 1AE"),
        ("m11ae", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("gir 0aa", "GIR 0AA"),
    ],
)
def test_postcode_in_any_spacing_or_case_has_one_canonical_form(raw: str, expected: str) -> None:
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "OL11", "not a postcode", "OL11 1CB", "Q1 1AA", "OL111 1AB", "12345", "OL11 1AB X"],
)
def test_text_that_is_not_a_uk_postcode_gives_none(raw: str) -> None:
    assert normalise_postcode(raw) is None


@pytest.mark.parametrize(
    ("pc", "district", "area"),
    [
        ("OL11 1AB", "OL11", "OL"),
        ("ol111ab", "OL11", "OL"),
        ("M1 1AE", "M1", "M"),
        ("EC1A 1BB", "EC1A", "EC"),
        ("W1A 0AX", "W1A", "W"),
    ],
)
def test_district_and_area_come_from_the_outward_code(pc: str, district: str, area: str) -> None:
    assert postcode_district(pc) == district
    assert postcode_area(pc) == area


def test_district_of_something_that_is_not_a_postcode_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a UK postcode"):
        postcode_district("nowhere")
