"""UK vehicle registrations, full or partly remembered, and when two of them can be one car.

A witness rarely reads a whole plate: "MA08 X??", "starts MA08", "a K-reg". Each is still
evidence, so a partial plate is kept with what is known and where the gaps are, and compared
with `plates_compatible` rather than by equality.

Only spaces, hyphens and case are ignored. Look-alike characters (O and 0, I and 1) are *not*
folded: a plate is an identifier, and folding them would join different cars. A comparison
that wants to forgive a misread can do so explicitly and score it lower.

Text conventions of `Plate.text`:
    * full plate: the registration, e.g. ``"MA08XKE"`` or ``"K123ABC"``;
    * partial plate of known length (a current-format plate, two letters, two digits, three
      letters): seven characters with ``?`` for each unknown one, e.g. ``"MA08X??"``;
    * partial plate of unknown length (only its start is known): the known start followed by
      ``*``, e.g. ``"K*"`` for "a K-reg".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "Plate",
    "as_current_start",
    "full_plate_matcher",
    "known_characters",
    "normalise_plate",
    "plate_blocking_keys",
    "plates_compatible",
]

BLOCK_PREFIX_LENGTH = 4
"""Leading characters in a blocking key: memory tag and age identifier of "MA08XKE"."""

_FULL_FORMATS = (
    re.compile(r"[A-Z]{2}[0-9]{2}[A-Z]{3}"),  # current, since 2001: MA08 XKE
    re.compile(r"[A-Z][0-9]{1,3}[A-Z]{3}"),  # prefix, 1983-2001: K123 ABC
    re.compile(r"[A-Z]{3}[0-9]{1,3}[A-Z]"),  # suffix, 1963-1983: ABC 123K
    re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,3}"),  # dateless: AB 1234 (also Northern Ireland)
    re.compile(r"[1-9][0-9]{0,3}[A-Z]{1,3}"),  # dateless, reversed: 1234 AB
)
# A known start of a current-format plate: two letters, two digits, up to two more letters.
_CURRENT_START = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z]{0,2}")
# The age identifiers of current-format plates: the year (02 for March 2002) or the year plus 50
# (51 for September 2001); 00, 01 and 50 were never issued.
_AGE_IDENTIFIER_CODE = re.compile(r"0[2-9]|[1-4][0-9]|5[1-9]|[6-9][0-9]")
_CURRENT_WITH_GAPS = re.compile(r"[A-Z?]{2}[0-9?]{2}[A-Z?]{3}")
_CURRENT_LENGTH = 7
_YEAR_LETTER = re.compile(r"(?:AN?\s+)?([A-Z])\s*-?\s*REG(?:ISTERED|ISTRATION)?")
_AGE_IDENTIFIER = re.compile(r"(?:AN?\s+)?([0-9]{2})\s*-?\s*(?:REG|PLATE)")
_STARTS = re.compile(r"(?:STARTS?|STARTING|BEGINS?|BEGINNING)(?:\s+WITH)?\s+(.+)")
_SEPARATORS = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class Plate:
    """A registration as far as it is known.

    Attributes:
        text: Uppercase, no spaces; ``?`` marks an unknown character of a known-length
            plate, a trailing ``*`` an unknown remainder (see the module docstring).
        partial: True when any character is unknown.
        prefix: The known leading characters before the first unknown one (all of `text`
            for a full plate).
    """

    text: str
    partial: bool
    prefix: str

    @property
    def length_known(self) -> bool:
        """Whether the plate's length is known (full plates and ``?`` patterns)."""
        return not self.text.endswith("*")


def normalise_plate(raw: str) -> Plate | None:
    """Read a full or partial UK registration, or return None if `raw` is not plate-like.

    Understood forms: a full plate in any UK format ("ma08 xke", "K123 ABC", "ABC 123K",
    "AB 1234"); a current-format plate with ``?`` gaps ("MA08 X??", "??08 XKE"); the start of
    a current-format plate ("ma08x", "MA08"), padded to seven characters; an explicit start
    ("starts MA08", "begins with K1", "MA..."); a year letter ("K-reg", which since 1983
    means a prefix-format plate starting with K); an age identifier ("08 reg", "58 plate").

    A bare string that is a valid full plate is taken as full: "MA1" is the dateless plate
    MA 1, not the start of "MA12ABC". Witnesses mark what they did not see, and the
    explicit forms above keep that distinction. The exception is a string that starts a
    current-format plate with an age identifier that exists ("MF54", "MA08X"): a witness who
    gives four of a current plate's seven characters gave a partial plate, and is far likelier
    than the rare dateless plate MF 54 ("AB 50", whose 50 was never an age identifier, stays a
    dateless plate).

    Args:
        raw: The registration as written in the report.

    Returns:
        A `Plate`, or None.

    Examples:
        >>> normalise_plate("MA08 X??")
        Plate(text='MA08X??', partial=True, prefix='MA08X')
        >>> normalise_plate("K-reg")
        Plate(text='K*', partial=True, prefix='K')
    """
    text = raw.strip().upper()
    if match := _YEAR_LETTER.fullmatch(text):
        return Plate(text=match[1] + "*", partial=True, prefix=match[1])
    if match := _AGE_IDENTIFIER.fullmatch(text):
        return Plate(text=f"??{match[1]}???", partial=True, prefix="")
    if match := _STARTS.fullmatch(text):
        return _from_start(_compact(match[1]).rstrip(".*"))
    compact = _compact(text)
    if compact.endswith(("...", "*")):
        return _from_start(compact.rstrip(".*"))
    if "?" in compact:
        return _with_gaps(compact)
    if start := as_current_start(compact):
        return start
    if any(f.fullmatch(compact) for f in _FULL_FORMATS):
        return Plate(text=compact, partial=False, prefix=compact)
    if _CURRENT_START.fullmatch(compact):
        return _current_partial(compact)
    return None


def as_current_start(text: str) -> Plate | None:
    """Text that starts a current-format plate with an age identifier that exists, read as that
    start; None for anything else.

    "ME56" is also a valid dateless plate, yet a witness who wrote "ME56" for a taxi most likely
    saw the first four characters of "ME56 HMD". `normalise_plate` reads it so; this also reads
    a plate stored as full by an earlier version.

    Examples:
        >>> as_current_start("ME56")
        Plate(text='ME56???', partial=True, prefix='ME56')
        >>> as_current_start("ME56HMD") is None
        True
    """
    if (
        len(text) < _CURRENT_LENGTH
        and _CURRENT_START.fullmatch(text)
        and _AGE_IDENTIFIER_CODE.fullmatch(text[2:4])
    ):
        return _current_partial(text)
    return None


def plates_compatible(a: Plate, b: Plate) -> bool:
    """Whether two plates could be the same registration.

    Known characters must agree position by position; a ``?`` agrees with anything, and a
    plate of unknown length agrees with any plate that starts with its prefix. Two full
    plates are therefore compatible only when they are equal.

    Examples:
        >>> plates_compatible(normalise_plate("MA08 X??"), normalise_plate("MA08 XKE"))
        True
        >>> plates_compatible(normalise_plate("MA08 XKE"), normalise_plate("MA08 XKF"))
        False
    """
    known_a = a.text if a.length_known else a.prefix
    known_b = b.text if b.length_known else b.prefix
    if a.length_known and b.length_known and len(known_a) != len(known_b):
        return False
    if a.length_known and len(known_b) > len(known_a):
        return False
    if b.length_known and len(known_a) > len(known_b):
        return False
    return all(x == y or "?" in (x, y) for x, y in zip(known_a, known_b, strict=False))


def full_plate_matcher(p: Plate) -> Callable[[str], bool]:
    """A test of full plates' texts against ``p``, equal to :func:`plates_compatible` of ``p``
    and each full plate, made once for a partial plate compared with many full ones (a
    million reports give a partial "MA08X??" a hundred full plates starting "MA08").

    Examples:
        >>> fits = full_plate_matcher(normalise_plate("MA08 X?E"))
        >>> fits("MA08XKE"), fits("MA08XKF"), fits("MA08XKEE")
        (True, False, False)
        >>> full_plate_matcher(normalise_plate("starts MA"))("MA08XKE")
        True
    """
    if not p.length_known:
        return lambda text: text.startswith(p.prefix)
    pattern = re.compile("".join("." if ch == "?" else re.escape(ch) for ch in p.text))
    return lambda text: pattern.fullmatch(text) is not None


def known_characters(p: Plate) -> int:
    """How many characters of a plate are known: 5 for "MA08X??", 4 for "MA08???", 1 for "K*".

    Examples:
        >>> known_characters(normalise_plate("MA08 XK?"))
        6
    """
    return sum(ch.isalnum() for ch in p.text)


def plate_blocking_keys(p: Plate) -> list[str]:
    """Keys such that two compatible plates share at least one, to find candidate pairs.

    A full plate gives its text and its first four characters ("MA08XKE", "MA08"); a partial
    plate gives the first four characters when it knows them. Every compatible pair in
    which the vaguer plate knows its first four characters therefore shares a key. A partial
    plate that knows fewer ("K-reg", "??08XKE") gives no key at all: a block on one or two
    letters would hold most plates of a region, so such mentions must be found through
    other evidence (the person, the place) and only then compared with `plates_compatible`.

    Examples:
        >>> plate_blocking_keys(normalise_plate("MA08 XKE"))
        ['MA08XKE', 'MA08']
        >>> plate_blocking_keys(normalise_plate("starts MA08"))
        ['MA08']
    """
    if not p.partial:
        return list(dict.fromkeys([p.text, p.text[:BLOCK_PREFIX_LENGTH]]))
    if len(p.prefix) >= BLOCK_PREFIX_LENGTH:
        return [p.prefix[:BLOCK_PREFIX_LENGTH]]
    return []


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text)


def _from_start(start: str) -> Plate | None:
    if not start.isalnum() or not start.isascii() or len(start) >= _CURRENT_LENGTH:
        return None
    if _CURRENT_START.fullmatch(start):
        return _current_partial(start)
    return Plate(text=start + "*", partial=True, prefix=start)


def _current_partial(start: str) -> Plate:
    return Plate(text=start.ljust(_CURRENT_LENGTH, "?"), partial=True, prefix=start)


def _with_gaps(compact: str) -> Plate | None:
    if len(compact) < _CURRENT_LENGTH and _CURRENT_WITH_GAPS.fullmatch(
        compact.ljust(_CURRENT_LENGTH, "?")
    ):
        compact = compact.ljust(_CURRENT_LENGTH, "?")
    prefix = compact.split("?", 1)[0]
    if _CURRENT_WITH_GAPS.fullmatch(compact):
        return Plate(text=compact, partial="?" in compact, prefix=prefix)
    # Gaps in an older or unknown format: the length is unknown, keep the known start only.
    return _from_start(prefix) if prefix else None
