"""Phone numbers to E.164, so that one handset written five ways is one value.

Reports write the same number as "07700 900123", "+44 (0)7700-900-123" or "0044 7700 900123";
record linkage can only compare them once they share one spelling. Parsing is left entirely to
`phonenumbers` (Google's libphonenumber), which knows every country's numbering plan.
"""

from __future__ import annotations

import phonenumbers

__all__ = ["normalise_phone"]


def normalise_phone(raw: str, region: str = "GB") -> str | None:
    """Return the number in E.164 form, or None when it cannot be a phone number.

    A number is kept when it is *possible* (right length for its country), not only when it
    is *valid* (in an allocated range): burner and foreign numbers are exactly what
    safeguarding reports mention, and an unallocated-looking number is still worth matching
    exactly. Numbers written without a country code are read as numbers of `region`.

    Args:
        raw: The number as written in the report.
        region: ISO 3166 country code assumed for numbers without a country code.

    Returns:
        The E.164 string (``+447700900123``), or None when `raw` is not a possible number.

    Examples:
        >>> normalise_phone("07700 900123")
        '+447700900123'
        >>> normalise_phone("+44 (0)7700-900-123")
        '+447700900123'
        >>> normalise_phone("ring me") is None
        True
    """
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
