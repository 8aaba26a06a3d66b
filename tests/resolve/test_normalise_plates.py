"""Full and partial UK registrations, their compatibility and their blocking keys."""

from __future__ import annotations

import itertools

import pytest

from joinedup.resolve.normalise import (
    Plate,
    as_current_start,
    full_plate_matcher,
    known_characters,
    normalise_plate,
    plate_blocking_keys,
    plates_compatible,
)


def plate(raw: str) -> Plate:
    p = normalise_plate(raw)
    assert p is not None, raw
    return p


@pytest.mark.parametrize(
    ("raw", "text", "partial", "prefix"),
    [
        ("MA08 XKE", "MA08XKE", False, "MA08XKE"),
        ("ma08-xke", "MA08XKE", False, "MA08XKE"),
        ("X123 ABC", "X123ABC", False, "X123ABC"),
        ("ABC 123K", "ABC123K", False, "ABC123K"),
        ("AB 1234", "AB1234", False, "AB1234"),
        ("MA1", "MA1", False, "MA1"),
        ("MA08 X??", "MA08X??", True, "MA08X"),
        ("ma08x", "MA08X??", True, "MA08X"),
        ("MA08", "MA08???", True, "MA08"),
        # also valid dateless plates, but a witness's four characters of a current-format one
        ("MF54", "MF54???", True, "MF54"),
        ("me 56", "ME56???", True, "ME56"),
        ("MK07", "MK07???", True, "MK07"),
        # 50 was never an age identifier: only the dateless plate AB 50
        ("AB 50", "AB50", False, "AB50"),
        ("starts MA08", "MA08???", True, "MA08"),
        ("Starts with ma08 x", "MA08X??", True, "MA08X"),
        ("MA08...", "MA08???", True, "MA08"),
        ("MA08 X?E", "MA08X?E", True, "MA08X"),
        ("??08 XKE", "??08XKE", True, ""),
        ("starts with MA", "MA*", True, "MA"),
        ("begins K1", "K1*", True, "K1"),
        ("K-reg", "K*", True, "K"),
        ("a K reg", "K*", True, "K"),
        ("08 reg", "??08???", True, ""),
        ("58-plate", "??58???", True, ""),
    ],
)
def test_plate_is_read_with_what_is_known_and_where_the_gaps_are(
    raw: str, text: str, partial: bool, prefix: str
) -> None:
    assert normalise_plate(raw) == Plate(text=text, partial=partial, prefix=prefix)


@pytest.mark.parametrize("raw", ["", "silver Golf", "HELLO", "no plate seen", "MAO8XKE"])
def test_text_that_is_not_plate_like_gives_none(raw: str) -> None:
    assert normalise_plate(raw) is None


def test_a_bare_current_format_start_is_a_partial_plate_that_fits_the_whole_plate() -> None:
    assert plates_compatible(plate("MF54"), plate("MF54 RPX"))
    assert plates_compatible(plate("MF54"), plate("MF54 R??"))
    assert not plates_compatible(plate("MF54"), plate("MF55 RPX"))


def test_a_start_stored_as_a_full_plate_is_read_again_as_a_start() -> None:
    assert as_current_start("MF54") == Plate("MF54???", True, "MF54")
    assert as_current_start("MA08X") == Plate("MA08X??", True, "MA08X")
    assert as_current_start("AB50") is None  # never an age identifier
    assert as_current_start("MA1") is None
    assert as_current_start("MA08XKE") is None


@pytest.mark.parametrize(
    ("raw", "known"),
    [("MA08 XKE", 7), ("MA08 XK?", 6), ("MA08 X??", 5), ("MF54", 4), ("??08 XKE", 5), ("K-reg", 1)],
)
def test_known_characters_counts_what_the_witness_saw(raw: str, known: int) -> None:
    assert known_characters(plate(raw)) == known


def test_letter_o_and_digit_zero_are_not_folded_together() -> None:
    assert normalise_plate("MAO8 XKE") is None
    assert not plates_compatible(plate("starts MA0"), plate("starts MAO"))
    assert not plates_compatible(plate("AB 10"), plate("starts ABO"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("MA08 X??", "MA08 XKE"),
        ("ma08x", "MA08 XKE"),
        ("starts MA08", "MA08 XKE"),
        ("MA08 X?E", "MA08 XKE"),
        ("??08 XKE", "MA08 XKE"),
        ("08 reg", "MA08 XKE"),
        ("K-reg", "K123 ABC"),
        ("starts with MA", "MA08 XKE"),
        ("starts with MA", "MA 1234"),
        ("MA08 XKE", "ma08xke"),
        ("MA08 X??", "MA08 ?KE"),
        ("starts MA0", "MA08 X??"),
    ],
)
def test_partial_plate_is_compatible_with_full_plate_sharing_known_characters(
    a: str, b: str
) -> None:
    assert plates_compatible(plate(a), plate(b))
    assert plates_compatible(plate(b), plate(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("MA08 XKE", "MA08 XKF"),
        ("MA08 X??", "MA09 XKE"),
        ("MA08 X?E", "MA08 XKF"),
        ("K-reg", "L123 ABC"),
        ("starts with MB", "MA08 XKE"),
        ("08 reg", "MA58 XKE"),
        ("starts K1234", "K12 ABC"),
    ],
)
def test_plates_that_disagree_on_a_known_character_are_not_compatible(a: str, b: str) -> None:
    assert not plates_compatible(plate(a), plate(b))
    assert not plates_compatible(plate(b), plate(a))


def test_two_full_plates_are_compatible_only_when_equal() -> None:
    assert plates_compatible(plate("X123 ABC"), plate("x123abc"))
    assert not plates_compatible(plate("X123 ABC"), plate("X123 ABD"))


@pytest.mark.parametrize(
    ("raw", "keys"),
    [
        ("MA08 XKE", ["MA08XKE", "MA08"]),
        ("X123 ABC", ["X123ABC", "X123"]),
        ("AB1", ["AB1"]),
        ("MA08 X??", ["MA08"]),
        ("starts MA08", ["MA08"]),
        ("K-reg", []),
        ("??08 XKE", []),
    ],
)
def test_blocking_keys_are_the_full_text_and_the_first_four_known_characters(
    raw: str, keys: list[str]
) -> None:
    assert plate_blocking_keys(plate(raw)) == keys


INFORMATIVE = ["MA08 XKE", "MA08 XKF", "MA09 XKE", "MA08 X??", "ma08x", "starts MA08",
               "MA08 X?E", "X123 ABC", "starts X123", "X123 ABD", "AB 1234", "starts AB12",
               "MB08 XKE"]  # fmt: skip


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(INFORMATIVE, 2)))
def test_compatible_plates_that_know_four_leading_characters_share_a_blocking_key(
    a: str, b: str
) -> None:
    pa, pb = plate(a), plate(b)
    shared = set(plate_blocking_keys(pa)) & set(plate_blocking_keys(pb))
    if plates_compatible(pa, pb):
        assert shared


EVERY_FORM = [*INFORMATIVE, "??08 XKE", "08 reg", "58-plate", "K-reg", "starts with MA",
              "begins K1", "K123 ABC", "ABC 123K", "MA1", "MA 1234", "MA08 ?KE", "MF54",
              "MA08 XK?", "starts MA0"]  # fmt: skip


@pytest.mark.parametrize("a", EVERY_FORM)
def test_a_full_plate_matcher_agrees_with_compatibility(a: str) -> None:
    fits = full_plate_matcher(plate(a))
    full = [p for p in map(plate, EVERY_FORM) if not p.partial]
    assert len(full) >= 8
    assert [fits(p.text) for p in full] == [plates_compatible(plate(a), p) for p in full]
    assert any(fits(p.text) for p in full) == any(plates_compatible(plate(a), p) for p in full)
