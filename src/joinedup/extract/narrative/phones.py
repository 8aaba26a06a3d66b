"""Phone numbers: a run of digits shaped like a UK or international number, normalised to
E.164 by :func:`joinedup.resolve.normalise.normalise_phone` (``phonenumbers``).

Case and crime numbers, dates and times are shaped differently (slashes, fewer digits) or are
said to be references ("crime ref", "NHS number"); those are skipped.

Confidence: 0.9 (a number ``phonenumbers`` finds possible, in a phone's shape).
"""

from __future__ import annotations

import re

from joinedup.extract.narrative.pipeline import Reading
from joinedup.resolve.normalise import normalise_phone

CONFIDENCE = 0.9
# +44 7700 900123, +44 (0)7700 900123, 0044 7700..., 07700 900 123, 07700-900-123, 0161 496 0000
_PHONE = re.compile(
    r"(?<![\w/.])(?:\+\d{1,3}[\s-]?(?:\(0\)[\s-]?)?|00\d{2}[\s-]?|0)"
    r"\d{2,5}(?:[\s-]?\d{2,4}){1,3}(?![\w/])"
)
# The writer's own line ("ring me on", "reached on 0161 ... ext 214") is how to answer the
# report, not something it says about anyone.
_OWN_LINE = re.compile(r"(?:\bme\b|reached|contacted|line|safeguarding)\W+(?:on|at)?\W*$",
                       re.IGNORECASE)
_EXTENSION = re.compile(r",?\s+(?:ext|extension|option|bleep)\b", re.IGNORECASE)
_NOT_A_PHONE = re.compile(r"(?:nhs|crime|case|ref|reference|incident|occurrence)\W*"
                          r"(?:no\.?|number|ref)?\W*$", re.IGNORECASE)


def propose_phones(reading: Reading) -> None:
    """Add a proposal for each phone number in the narrative."""
    for match in _PHONE.finditer(reading.text):
        digits = re.sub(r"\D", "", match[0])
        if len(digits) < 10 or len(digits) > 13:
            continue
        before = reading.text[max(0, match.start() - 25):match.start()]
        if _NOT_A_PHONE.search(before) or _OWN_LINE.search(before) or _EXTENSION.match(
                reading.text, match.end()):
            continue
        value = normalise_phone(match[0])
        if value is None or not reading.free(match.start(), match.end()):
            continue
        reading.propose("phone", match.start(), match.end(), value, CONFIDENCE, "phone.shape")
