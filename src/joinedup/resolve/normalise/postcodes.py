"""UK postcodes in one canonical spelling, with their district and area.

"ol111ab", "OL11 1AB" and "ol11  1ab" are one place; a place key must not depend on how a
form was typed. District ("OL11") and area ("OL") are coarser keys used to block and to
say when two places are near each other.
"""

from __future__ import annotations

import re

from joinedup.errors import InputError

__all__ = ["district_area", "normalise_postcode", "postcode_area", "postcode_district"]

# The official format (BS 7666, as published by the Government Data Standards Catalogue):
# an outward code of one of six shapes, then an inward code of a digit and two letters that
# never include C, I, K, M, O or V. GIR 0AA is the one historic exception.
_POSTCODE = re.compile(
    r"(?P<outward>GIR(?=0AA)"
    r"|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRV-Y]))"
    r"(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})"
)
_AREA = re.compile(r"[A-Z]+")


def normalise_postcode(raw: str) -> str | None:
    """Return the postcode as "OUTWARD INWARD" in capitals, or None if it is not one.

    Case and all whitespace are ignored, so a postcode typed without its space is accepted.

    Args:
        raw: The postcode as written.

    Returns:
        The canonical form, e.g. ``"OL11 1AB"``, or None.

    Examples:
        >>> normalise_postcode("ol111ab")
        'OL11 1AB'
        >>> normalise_postcode("not a postcode") is None
        True
    """
    compact = re.sub(r"\s+", "", raw).upper()
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        return None
    return f"{match['outward']} {match['inward']}"


def postcode_district(pc: str) -> str:
    """Return the outward code (postal district), e.g. "OL11" for "OL11 1AB".

    Args:
        pc: A postcode in any spelling `normalise_postcode` accepts.

    Raises:
        InputError: If `pc` is not a UK postcode.
    """
    return _canonical(pc).split(" ")[0]


def postcode_area(pc: str) -> str:
    """Return the postcode area, the leading letters: "OL" for "OL11 1AB".

    Args:
        pc: A postcode in any spelling `normalise_postcode` accepts.

    Raises:
        InputError: If `pc` is not a UK postcode.
    """
    return district_area(_canonical(pc))


def district_area(district: str) -> str:
    """Return the area of a postcode district (or postcode), its leading letters: "OL" for
    "OL11"; a value that does not start with letters is returned as it is."""
    match = _AREA.match(district)
    return match.group() if match else district


def _canonical(pc: str) -> str:
    canonical = normalise_postcode(pc)
    if canonical is None:
        raise InputError(
            f"not a UK postcode: {pc!r}",
            hint='write a full postcode such as "OL11 1AB" (the space is optional)',
        )
    return canonical
