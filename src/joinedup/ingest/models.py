"""The input contract, version 1: what one report must look like.

A report is one agency's account of a concern: who it names (``people``), where
(``places``), how they connect (``links``), what was seen (``indicators``) and the
free text (``narrative``). The models are strict (no type coercion, unknown keys
rejected) and bounded (see the ``MAX_*`` limits), because every file is treated as
hostile until it has passed through here.

Vocabularies (agencies, roles, link types, indicator ids) belong to a profile, not to
this module: pass one as ``context={"vocabulary": vocab}`` to ``model_validate`` (or
as ``vocabulary=`` to :func:`parse_report`) and ids are checked against it; without
one only their shape is checked.

Reports of the ``safeguarding`` profile are :class:`SafeguardingReport`; other
profiles add a model to ``REPORT_MODELS`` and :func:`parse_report` dispatches on the
``profile`` key.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from joinedup.errors import RecordError
from joinedup.profiles import PROFILES_DIR, read_data

__all__ = [
    "DEFAULT_SAFEGUARDING_VOCABULARY",
    "KNOWN_PLACE_KINDS",
    "PROTECTED_ATTRIBUTES",
    "REPORT_MODELS",
    "Report",
    "Indicator",
    "Link",
    "PartialDate",
    "Person",
    "Place",
    "ReportBase",
    "SafeguardingReport",
    "Source",
    "StaticVocabulary",
    "ValidationFailed",
    "Vehicle",
    "Vocabulary",
    "parse_report",
]

MAX_TEXT = 1_000
MAX_DESCRIPTION = 10_000
MAX_NARRATIVE = 100_000
MAX_ITEMS = 500
MAX_MAP_ENTRIES = 100
MAX_EXTRA_DEPTH = 16
MAX_EXTRA_NODES = 10_000
MAX_ERRORS_KEPT = 1_000


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KNOWN_PLACE_KINDS = _words(
    "takeaway flat hotel car_park park care_home school house taxi_rank shop street town other"
)
# Stored with the person so nothing the agency said is lost, but never used to score,
# match or rank anyone.
PROTECTED_ATTRIBUTES = frozenset(
    {"ethnicity", "race", "religion", "nationality", "sexual_orientation", "gender_identity"}
)
SUBJECT_ROLES = frozenset({"child", "victim"})
# Keys that name a protected characteristic though they are not the words above: the words
# a key's parts start with ("ethnic_group", "religion_or_belief", "sexuality", "first_language")
# and words or phrases met anywhere in a key ("country_of_birth"). These are the input
# contract's own; every profile adds its ``protected_attributes`` (profile.yaml), where a
# deployment names its own characteristics and their words in other languages. Read as a person
# reads a key (see protected_key).
PROTECTED_KEY_STARTS = ("ethnic", "race", "racial", "relig", "faith", "belief", "nationalit",
                        "citizenship", "immigra", "asylum", "sexual", "gender", "caste",
                        "tribe", "housing", "tenure", "language", "complexion")
PROTECTED_KEY_PARTS = frozenset({"sect", "sects", "class", "origin", "heritage"})
PROTECTED_KEYS = frozenset({"country_of_birth", "birth_country", "mother_tongue"})
# Arabic letters written several ways in keys: hamza seats and alef forms are folded by
# dropping marks; these are the letters folded by hand (ta marbuta, alef maqsura, and the
# Persian yeh and kaf a keyboard may give).
_LETTER_FOLDS = str.maketrans({"\u0629": "\u0647", "\u0649": "\u064a", "\u06cc": "\u064a",
                               "\u06a9": "\u0643", "\u0640": None})
_ARTICLE = "\u0627\u0644"  # Arabic "al-", written joined to the word it defines


def protected_key(key: str, terms: Iterable[str] = ()) -> bool:
    """Whether a key of a free map (``attributes``, ``identifiers``, ``extra``) names a
    protected characteristic, read as a person reads it, in any script: "Ethnicity",
    "religion ", "ethnic_group", "Religion or belief", "sexual-orientation", "ethnicity:",
    "origine ethnique", "الطائفة" (the sect) all do.

    The words are the input contract's (above), every profile's ``protected_attributes`` and
    ``terms`` (a profile's own, for one not shipped). A word or phrase matches whole words of
    the key ("trade_union" in "trade union membership"); one ending in ``*`` matches the start
    of a word ("disab*" in "disabled"). Keys and words are folded alike first
    (:func:`key_words`), so that no spelling of a key lets its value be scored or exported
    unredacted."""
    words = key_words(key)
    starts, phrases = _protected_terms(frozenset(terms))
    return any(w.startswith(starts) for w in words) or any(
        tuple(words[i:i + n]) in phrases
        for n in {len(p) for p in phrases} for i in range(len(words) - n + 1))


def key_words(key: str) -> list[str]:
    """A key as the words a person reads in it: NFKC, format characters (zero-width spaces)
    and marks (accents, Arabic vowel signs) dropped, case folded, split at anything but a
    letter or digit of any script, and the Arabic article taken off a word of three letters or
    more after it ("الطائفة" → "طائفه"; "الله" is left whole)."""
    text = "".join(c for c in unicodedata.normalize("NFKC", key)
                   if unicodedata.category(c) != "Cf").casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).translate(_LETTER_FOLDS)
    words = [w for w in re.split(r"[\W_]+", text) if w]
    return [w[len(_ARTICLE):] if w.startswith(_ARTICLE) and len(w) > 4 else w for w in words]


@functools.cache
def _protected_terms(extra: frozenset[str]) -> tuple[tuple[str, ...], frozenset[tuple[str, ...]]]:
    """The word starts and the phrases (as tuples of words) a protected key is known by: the
    contract's, every shipped profile's and ``extra``, each folded as keys are."""
    raw = {*PROTECTED_ATTRIBUTES, *PROTECTED_KEY_PARTS, *PROTECTED_KEYS, *_profile_terms(),
           *extra}
    starts = {*PROTECTED_KEY_STARTS}
    phrases: set[tuple[str, ...]] = set()
    for term in raw:
        words = key_words(term)
        if term.strip().endswith("*") and len(words) == 1:
            starts.add(words[0])
        elif words:
            phrases.add(tuple(words))
    return tuple(sorted(starts)), frozenset(phrases)


def _profile_terms() -> list[str]:
    """Every shipped profile's ``protected_attributes``: a characteristic one profile protects
    is never an identifier of any report, whichever profile it is sent under."""
    found: list[str] = []
    for path in sorted(PROFILES_DIR.glob("*/profile.yaml")):
        found += [str(t) for t in read_data(path).get("protected_attributes") or []]
    return found


# --------------------------------------------------------------------------- vocabulary


class Vocabulary(Protocol):
    """The ids a profile allows; the profile loader provides one from its YAML."""

    @property
    def name(self) -> str: ...
    @property
    def agencies(self) -> frozenset[str]: ...
    @property
    def roles(self) -> frozenset[str]: ...
    @property
    def link_types(self) -> frozenset[str]: ...
    @property
    def indicators(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class StaticVocabulary:
    """A :class:`Vocabulary` given as plain sets (tests, tools, small profiles)."""

    name: str
    agencies: frozenset[str]
    roles: frozenset[str]
    link_types: frozenset[str]
    indicators: frozenset[str]


# A copy of the contract's lists for tests and tools; production reads the profile YAML.
# tests/ingest/test_models.py fails if the indicator ids drift from the shared YAML.
DEFAULT_SAFEGUARDING_VOCABULARY = StaticVocabulary(
    name="safeguarding",
    agencies=_words(
        "police social_care health education care_home youth_service voluntary_sector family other"
    ),
    roles=_words("child victim person_of_concern recruiter witness parent professional"),
    link_types=_words(
        """
        supplied_alcohol supplied_drugs gave_gifts transported sexual_contact introduced seen_with
        taken_to frequents lives_at works_at drives contacted controls other
        """
    ),
    indicators=_words(
        """
        staying_out_late missing_overnight missing_repeat missing_once returns_under_influence
        school_absence disengaged_from_services older_partner controlling_adult
        associates_with_unknown_adults associates_with_suspects peers_exploited recruits_peers
        phone_contact_unknown_adults gang_association estranged_from_family new_older_friends
        money_unexplained new_phone gifts_unexplained sex_exchanged hotel_keys substance_misuse
        alcohol_supplied drugs_supplied sti sti_repeat pregnancy_or_termination
        repeat_sexual_health_attendance sexual_activity_under_13 sexualised_language
        physical_injury appearance_change chronic_fatigue disclosure_withdrawn self_harm suicidal
        volatile_mood secretive offending placement_breakdown behaviour_change
        phone_use_concerning online_use_concerning groomed_online sexting
        transported_by_unknown_adults seen_in_hotspot hotel_taxi_takeaway_links
        trafficked_between_towns taken_to_unknown_addresses looked_after
        prior_abuse_or_family_adversity unsuitable_accommodation disability
        bereavement_or_isolation low_self_esteem neglect_signs domestic_abuse_at_home bullying
        """
    ),
)


def _problem(reason: str, field: str = "") -> PydanticCustomError:
    # The reason goes in ctx, not the template, so braces in user text are never formatted.
    return PydanticCustomError("joinedup", "{reason}", {"reason": reason, "field": field})


def _vocabulary(info: ValidationInfo) -> Vocabulary | None:
    context = info.context
    return context.get("vocabulary") if isinstance(context, Mapping) else None


def _check_id(value: str, allowed: frozenset[str], what: str, profile: str) -> str:
    if value in allowed:
        return value
    close = difflib.get_close_matches(value, sorted(allowed), n=1)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif len(allowed) <= 20:
        hint = "expected one of: " + ", ".join(sorted(allowed)) + "."
    else:
        hint = f"see the {profile} profile's list of {what}s."
    raise _problem(f"'{value}' is not a known {what} in the {profile} profile; {hint}")


# --------------------------------------------------------------------------- scalar types


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise _problem(
            "text contains a NUL character (\\u0000), which cannot be stored; remove it."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _problem(
            "text contains an unpaired UTF-16 surrogate, which is not valid Unicode; remove it."
        ) from None
    return value


_Clean = AfterValidator(_clean_text)
CODE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"
ORG_PATTERN = r"^[^/\s]([^/]{0,198}[^/\s])?$"
ID_PATTERN = r"^\S(.{0,198}\S)?$"
PLATE_PATTERN = r"^[A-Za-z0-9 ?*-]{1,20}$"

Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), _Clean]
ShortText = Annotated[str, StringConstraints(max_length=50), _Clean]
Description = Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION), _Clean]
Narrative = Annotated[str, StringConstraints(max_length=MAX_NARRATIVE), _Clean]
Code = Annotated[str, StringConstraints(max_length=64, pattern=CODE_PATTERN), _Clean]
Ref = Annotated[str, StringConstraints(max_length=100, pattern=REF_PATTERN), _Clean]
Org = Annotated[str, StringConstraints(max_length=200, pattern=ORG_PATTERN), _Clean]
ReportId = Annotated[str, StringConstraints(max_length=200, pattern=ID_PATTERN), _Clean]
ReportRef = Annotated[str, StringConstraints(min_length=1, max_length=401), _Clean]
Plate = Annotated[str, StringConstraints(max_length=20, pattern=PLATE_PATTERN), _Clean]
Postcode = Annotated[str, StringConstraints(max_length=16), _Clean]
MapKey = Annotated[str, StringConstraints(min_length=1, max_length=100), _Clean]
TextList = Annotated[list[Text], Field(max_length=MAX_ITEMS)]

# Shown instead of the regex when a value does not match one of the patterns above.
PATTERN_HINTS = {
    CODE_PATTERN: "use a lowercase word such as 'social_care' (a-z, 0-9 and _).",
    REF_PATTERN: "use a short ref such as 'p1' or 'child-a' (letters, digits, _ . : -).",
    ORG_PATTERN: "use the organisation's short name, without '/' or surrounding spaces.",
    ID_PATTERN: "use the agency's reference without leading or trailing spaces.",
    PLATE_PATTERN: "use letters, digits and spaces, with ? for unknown characters ('MA08 X??').",
}


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day: ``2008``, ``2008-07``, ``2008-07-14``.

    Examples:
        >>> d = PartialDate.parse("2008-07")
        >>> d.earliest(), d.latest(), str(d)
        (datetime.date(2008, 7, 1), datetime.date(2008, 7, 31), '2008-07')
    """

    year: int
    month: int | None = None
    day: int | None = None

    FORMAT_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD"
    _RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError with a reason."""
        match = cls._RE.fullmatch(text)
        shown = _show_text(text)
        if match is None:
            raise ValueError(f"{shown} is not a date; {cls.FORMAT_HINT}.")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            date(year, 1 if month is None else month, 1 if day is None else day)
        except ValueError:
            raise ValueError(f"{shown} is not a date; {cls.FORMAT_HINT}.") from None
        return cls(year, month, day)

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        """The day of a date (or of a datetime)."""
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        """How much of the date is known."""
        return "year" if self.month is None else "month" if self.day is None else "day"

    def earliest(self) -> date:
        """The first day the partial date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """The last day the partial date can mean."""
        if self.day is not None:
            return self.earliest()
        if self.month is None or self.month == 12:
            return date(self.year, 12, 31)
        return date.fromordinal(date(self.year, self.month + 1, 1).toordinal() - 1)

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _validate_partial_date,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, core: Any, handler: Any) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
            "description": "A date known to the year, month or day: YYYY, YYYY-MM or YYYY-MM-DD.",
        }


def _validate_partial_date(value: object) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if not isinstance(value, str):
        got = _describe(value)
        raise _problem(f"expected a date as text, got {got}; {PartialDate.FORMAT_HINT}.")
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise _problem(str(exc)) from None


_DATETIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)


def _validate_reported_at(value: object) -> date:
    if isinstance(value, date):
        return value
    hint = "use an ISO 8601 date or date-time such as 2008-07-14 or 2008-07-14T09:30:00Z"
    if not isinstance(value, str):
        raise _problem(f"expected a date as text, got {_describe(value)}; {hint}.")
    try:
        if _DATETIME_RE.fullmatch(value) is None:
            raise ValueError
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        raise _problem(f"{_show_text(value)} is not a date or date-time; {hint}.") from None


ReportedAt = Annotated[
    date,
    PlainValidator(_validate_reported_at),
    PlainSerializer(lambda v: v.isoformat(), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _DATETIME_RE.pattern.join("^$"),
            "description": "ISO 8601 date (YYYY-MM-DD) or date-time.",
        }
    ),
]


# The store writes JSON with orjson, which holds an integer in 64 bits: a larger one would
# fail the whole batch's write, so it is refused here, with the record's line and field.
MAX_INTEGER = 2**63 - 1


def _storable_number(value: int | float) -> bool:
    """Whether a JSON number can be stored as it was given: a finite float (JSON has no NaN
    or infinity: Python's reader turns ``1e400`` into one, which would be stored as null),
    an integer of at most 64 bits."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, bool) or -MAX_INTEGER - 1 <= value <= MAX_INTEGER


def _validate_attribute(value: object) -> str | int | float | bool:
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise _problem(f"text is {len(value):,} characters long; the most allowed is 1,000.")
        return _clean_text(value)
    if isinstance(value, bool | int | float) and _storable_number(value):
        return value
    if isinstance(value, int | float):
        raise _problem(f"{_describe(value)} cannot be stored: numbers must be finite "
                       "and integers within 64 bits (give it as text if it is an identifier).")
    raise _problem(f"expected text, a number or true/false, got {_describe(value)}.")


AttributeValue = Annotated[
    str | int | float | bool,
    PlainValidator(_validate_attribute),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": MAX_TEXT},
                {"type": "number"},
                {"type": "boolean"},
            ]
        }
    ),
]


def _validate_extra(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _problem(f"expected an object ({{...}}), got {_describe(value)}.")
    stack: list[tuple[object, int]] = [(value, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_EXTRA_DEPTH or nodes > MAX_EXTRA_NODES:
            raise _problem(
                f"'extra' is too big; it may nest {MAX_EXTRA_DEPTH} levels deep and hold "
                f"{MAX_EXTRA_NODES:,} values at most."
            )
        if isinstance(node, dict):
            for key, item in node.items():
                if not isinstance(key, str):
                    raise _problem(f"keys in 'extra' must be text, got {_describe(key)}.")
                stack += [(key, depth + 1), (item, depth + 1)]
        elif isinstance(node, list):
            stack += [(item, depth + 1) for item in node]
        elif isinstance(node, str):
            _clean_text(node)
        elif isinstance(node, int | float) and not _storable_number(node):
            raise _problem(f"'extra' holds {_describe(node)}, which cannot be "
                           "stored: numbers must be finite and integers within 64 bits (give "
                           "it as text if it is an identifier).")
        elif not (node is None or isinstance(node, bool | int | float)):
            raise _problem(f"'extra' may hold only JSON values, got {_describe(node)}.")
    return value


Extra = Annotated[
    dict[str, Any],
    PlainValidator(_validate_extra),
    WithJsonSchema(
        {
            "type": "object",
            "description": "Reserved for extensions: any JSON, nested at most "
            f"{MAX_EXTRA_DEPTH} levels, {MAX_EXTRA_NODES:,} values in all; not checked further.",
        }
    ),
]


# --------------------------------------------------------------------------- models


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Source(_Model):
    """Who sent the report."""

    agency: Code = Field(description="The kind of agency, from the profile's vocabulary.")
    org: Org = Field(description="The organisation, e.g. 'rochford-police'; no '/'.")
    reporter: Text | None = Field(None, description="The person who wrote the report.")

    @field_validator("agency")
    @classmethod
    def _known_agency(cls, value: str, info: ValidationInfo) -> str:
        vocab = _vocabulary(info)
        return value if vocab is None else _check_id(value, vocab.agencies, "agency", vocab.name)


class Vehicle(_Model):
    """A vehicle as described; any part may be missing and the plate may be partial."""

    reg: Plate | None = Field(None, description="Registration; '?' for unknown characters.")
    make: Text | None = None
    model: Text | None = None
    colour: Text | None = None
    kind: Code | None = Field(None, description="e.g. taxi, van, car.")

    @model_validator(mode="after")
    def _not_empty(self) -> Vehicle:
        if all(v is None for v in (self.reg, self.make, self.model, self.colour, self.kind)):
            raise _problem("a vehicle needs at least one of reg, make, model, colour or kind.")
        return self


class Person(_Model):
    """A person named or described in the report; ``ref`` is local to the report."""

    ref: Ref
    role: Code = Field(description="From the profile's roles, e.g. child, recruiter.")
    name: Text | None = None
    aliases: TextList = Field(default_factory=list, description="Nicknames, e.g. 'Tiger'.")
    dob: PartialDate | None = None
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    age_range: ShortText | None = Field(None, description="e.g. '40-49', 'forties', 'teens'.")
    sex: Literal["female", "male", "other", "unknown"] | None = None
    phones: TextList = Field(default_factory=list)
    vehicles: Annotated[list[Vehicle], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    addresses: TextList = Field(default_factory=list)
    identifiers: Annotated[dict[Code, Text], Field(max_length=MAX_MAP_ENTRIES)] = Field(
        default_factory=dict, description="Scheme to value, e.g. {'council_child_id': 'RC-1042'}."
    )
    description: Description | None = None
    attributes: Annotated[dict[MapKey, AttributeValue], Field(max_length=MAX_MAP_ENTRIES)] = Field(
        default_factory=dict,
        description="Free facts. Protected ones (ethnicity, religion, nationality...) are "
        "stored, never scored.",
    )

    @field_validator("identifiers")
    @classmethod
    def _no_protected_scheme(cls, value: dict[str, str]) -> dict[str, str]:
        """An identifier is compared and blocked on in resolution: a protected characteristic
        given as one ("religion": "...") would be scored. It belongs in ``attributes``."""
        for scheme in value:
            if protected_key(scheme):
                raise _problem(
                    f"{scheme!r} names a protected characteristic, which is never an "
                    "identifier (identifiers are compared in resolution): give it under "
                    "'attributes', where it is stored and never scored.", scheme)
        return value

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str, info: ValidationInfo) -> str:
        vocab = _vocabulary(info)
        return value if vocab is None else _check_id(value, vocab.roles, "role", vocab.name)

    @model_validator(mode="after")
    def _one_age(self) -> Person:
        if self.age is not None and self.age_range is not None:
            raise _problem("give age or age_range, not both.", "age_range")
        return self


class Place(_Model):
    """A place named in the report; ``ref`` is local to the report."""

    ref: Ref
    name: Text | None = None
    kind: Code | None = Field(
        None, description="Any lowercase word; known: " + ", ".join(sorted(KNOWN_PLACE_KINDS))
    )
    address: Text | None = None
    postcode: Postcode | None = None
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _both_coordinates(self) -> Place:
        if (self.lat is None) != (self.lon is None):
            missing = "lon" if self.lon is None else "lat"
            raise _problem("give lat and lon together, or neither.", missing)
        return self


class Link(_Model):
    """A relation the report states between two of its people or places."""

    from_: Ref = Field(alias="from")
    to: Ref
    type: Code = Field(description="From the profile's link types, e.g. transported.")
    date: PartialDate | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str, info: ValidationInfo) -> str:
        vocab = _vocabulary(info)
        if vocab is None:
            return value
        return _check_id(value, vocab.link_types, "link type", vocab.name)


class Indicator(_Model):
    """An observed indicator; a bare id in the input means ``{"id": ...}``.

    Once its report is validated, ``observed_at`` is always set, and ``about`` is set
    unless the report names no child or victim.
    """

    id: Code
    about: Ref | None = Field(None, description="A person's ref; default: the one child or victim.")
    observed_at: PartialDate | None = Field(
        None, description="Default: occurred_to, else occurred_from, else reported_at."
    )

    @field_validator("id")
    @classmethod
    def _known_indicator(cls, value: str, info: ValidationInfo) -> str:
        vocab = _vocabulary(info)
        if vocab is None:
            return value
        return _check_id(value, vocab.indicators, "indicator", vocab.name)


def _indicator_from_id(value: object) -> object:
    if isinstance(value, str):
        return {"id": value}
    if not isinstance(value, dict | Indicator):
        raise _problem(
            f"expected an indicator id or an object {{id, about, observed_at}}, "
            f"got {_describe(value)}."
        )
    return value


IndicatorInput = Annotated[
    Indicator, BeforeValidator(_indicator_from_id, json_schema_input_type=Code | Indicator)
]


class ReportBase(_Model):
    """What every report has, whatever its profile."""

    id: ReportId = Field(description="Unique within source.org.")
    profile: str = "safeguarding"
    source: Source
    derived_from: Annotated[list[ReportRef], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list,
        description="Earlier reports this one only repeats: an id of the same org, or "
        "'org/id' for any org's (an entry containing '/' always starts with its org).",
    )
    reported_at: ReportedAt
    narrative: Narrative | None = None
    extra: Extra = Field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        """``(org, id)``, which is unique across all reports."""
        return (self.source.org, self.id)

    def self_derived(self) -> Iterable[tuple[str, str]]:
        """A ``derived_from`` entry naming the report itself, as a problem."""
        for i, key in enumerate(self.derived_from_keys()):
            if key == self.key:
                yield f"derived_from[{i}]", "a report cannot be derived from itself."

    def derived_from_keys(self) -> list[tuple[str, str]]:
        """``derived_from`` as ``(org, id)`` pairs."""
        return [derived_key(self.source.org, entry) for entry in self.derived_from]


def derived_key(org: str, entry: str) -> tuple[str, str]:
    """A ``derived_from`` entry of a report of ``org`` as ``(org, id)``: an id of the same
    organisation, or 'org/id' for any organisation's."""
    other, slash, rest = entry.partition("/")
    return (other, rest) if slash else (org, entry)


class SafeguardingReport(ReportBase):
    """A report of the ``safeguarding`` profile."""

    profile: Literal["safeguarding"] = "safeguarding"
    informant: Ref | None = Field(None, description="The ref of the person who gave the account.")
    occurred_from: PartialDate | None = None
    occurred_to: PartialDate | None = None
    people: Annotated[list[Person], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    places: Annotated[list[Place], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    links: Annotated[list[Link], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    indicators: Annotated[list[IndicatorInput], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list,
        description="Indicator ids of the profile, or objects {id, about, observed_at}.",
    )

    @model_validator(mode="after")
    def _cross_references(self) -> SafeguardingReport:
        raise_problems(list(self._reference_problems()))
        self._fill_indicator_defaults()
        return self

    def subjects(self) -> list[Person]:
        """The children and victims the report is about."""
        return [p for p in self.people if p.role in SUBJECT_ROLES]

    def _reference_problems(self) -> Iterable[tuple[str, str]]:
        people = _first_index(p.ref for p in self.people)
        places = _first_index(p.ref for p in self.places)
        yield from ref_clashes(("people", [p.ref for p in self.people]),
                               ("places", [p.ref for p in self.places]))
        if self.informant is not None and self.informant not in people:
            yield "informant", _not_a_person(self.informant, places)
        start, end = self.occurred_from, self.occurred_to
        if start is not None and end is not None and start.earliest() > end.earliest():
            yield "occurred_to", f"occurred_to ({end}) is before occurred_from ({start})."
        for i, link in enumerate(self.links):
            for end_name, ref in (("from", link.from_), ("to", link.to)):
                if ref not in people and ref not in places:
                    yield (
                        f"links[{i}].{end_name}",
                        f"'{ref}' is not the ref of a person or place in this report.",
                    )
        yield from self._indicator_problems(people, places)
        yield from self.self_derived()

    def _indicator_problems(
        self, people: dict[str, int], places: dict[str, int]
    ) -> Iterable[tuple[str, str]]:
        subjects = [p.ref for p in self.subjects()]
        for i, indicator in enumerate(self.indicators):
            if indicator.about is not None and indicator.about not in people:
                yield f"indicators[{i}].about", _not_a_person(indicator.about, places)
            elif indicator.about is None and len(subjects) > 1:
                yield (
                    f"indicators[{i}].about",
                    (
                        f"indicator '{indicator.id}' does not say who it is about and the report "
                        f"names {len(subjects)} children or victims ({', '.join(subjects[:5])}); "
                        "set about to one of their refs."
                    ),
                )

    def _fill_indicator_defaults(self) -> None:
        when = self.occurred_to or self.occurred_from or PartialDate.from_date(self.reported_at)
        subjects = self.subjects()
        about = subjects[0].ref if len(subjects) == 1 else None
        for indicator in self.indicators:
            if indicator.about is None:
                indicator.about = about
            if indicator.observed_at is None:
                indicator.observed_at = when


def raise_problems(problems: list[tuple[str, str]]) -> None:
    """Refuse a report for the problems found across its fields (``(field, reason)`` pairs, in
    document order): the first is the error, the rest ride along as ``more``."""
    if problems:
        field, reason = problems[0]
        raise PydanticCustomError(
            "joinedup", "{reason}", {"reason": reason, "field": field, "more": problems[1:]}
        )


def ref_clashes(
    first: tuple[str, list[str]], second: tuple[str, list[str]]
) -> Iterable[tuple[str, str]]:
    """Refs used twice within or across two lists of a report (``("people", refs)``...): refs
    are unique across both, so that a link or a relative names one thing."""
    (a, a_refs), (b, b_refs) = first, second
    in_a, in_b = _first_index(a_refs), _first_index(b_refs)
    for i, ref in enumerate(a_refs):
        if in_a[ref] != i:
            yield f"{a}[{i}].ref", _twice(ref, f"{a}[{in_a[ref]}]")
    for i, ref in enumerate(b_refs):
        if ref in in_a:
            yield f"{b}[{i}].ref", _twice(ref, f"{a}[{in_a[ref]}]")
        elif in_b[ref] != i:
            yield f"{b}[{i}].ref", _twice(ref, f"{b}[{in_b[ref]}]")


def _first_index(refs: Iterable[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, ref in enumerate(refs):
        index.setdefault(ref, i)
    return index


def _twice(ref: str, first: str) -> str:
    return f"ref '{ref}' is already used by {first}; refs must be unique across people and places."


def _not_a_person(ref: str, places: dict[str, int]) -> str:
    if ref in places:
        return f"'{ref}' is a place (places[{places[ref]}]); expected the ref of a person."
    return f"'{ref}' is not the ref of any person in this report's people."


# The model of each profile, by the value of ``profile``; v1 files stay valid because
# ``profile`` defaults to "safeguarding". The conflict profile's model lives in
# ``conflict_report.py`` and is added here when the ``joinedup.ingest`` package loads.
Report = ReportBase
REPORT_MODELS: dict[str, type[ReportBase]] = {"safeguarding": SafeguardingReport}


# --------------------------------------------------------------------------- errors


class ValidationFailed(RecordError):
    """A record breaks the contract. ``field``/``reason`` give the first problem in
    document order; ``errors`` (also ``all_errors``) lists every problem found as
    ``{"field", "reason", "type"}`` dicts, at most ``MAX_ERRORS_KEPT`` of them."""

    hint = "Correct the record at the source and import the file again; it stays in quarantine."

    def __init__(self, file: str, line: int, errors: list[dict[str, str]]) -> None:
        super().__init__(file, line, errors[0]["field"], errors[0]["reason"])
        self.errors = errors

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.file, self.line, self.errors), self.__dict__)

    @property
    def all_errors(self) -> list[dict[str, str]]:
        """Every problem found, the first being ``field``/``reason``."""
        return self.errors

    def details(self) -> dict[str, Any]:
        return {**super().details(), "errors": self.errors}


def parse_report(raw: object, *, vocabulary: Vocabulary | None, file: str, line: int) -> Report:
    """Validate one decoded record against the contract.

    Args:
        raw: The decoded JSON value of the record.
        vocabulary: The profile's ids to check against; ``None`` checks only their form.
        file: Where the record came from, for the error.
        line: The 1-based line where the record starts, for the error.

    Raises:
        ValidationFailed: a :class:`~joinedup.errors.RecordError` naming the first
            wrong field, with all of them in ``all_errors``.

    Examples:
        >>> raw = {"id": "R1", "source": {"agency": "police", "org": "north-police"},
        ...        "reported_at": "2008-07-14", "indicators": ["missing_overnight"]}
        >>> parse_report(raw, vocabulary=None, file="a.jsonl", line=1).indicators[0].observed_at
        PartialDate(year=2008, month=7, day=14)
    """
    if not isinstance(raw, dict):
        reason = f"expected a report as a JSON object ({{...}}), got {_describe(raw)}."
        raise ValidationFailed(file, line, [_entry("(record)", reason, "object_type")])
    profile = raw.get("profile", "safeguarding")
    model = REPORT_MODELS.get(profile) if isinstance(profile, str) else None
    if model is None:
        known = ", ".join(sorted(REPORT_MODELS))
        reason = f"{_describe(profile)} is not a profile this version reads; expected: {known}."
        raise ValidationFailed(file, line, [_entry("profile", reason, "profile_unknown")])
    try:
        return model.model_validate(raw, context={"vocabulary": vocabulary})
    except ValidationError as exc:
        raise ValidationFailed(file, line, _errors_from(exc)) from None


def _entry(field: str, reason: str, kind: str) -> dict[str, str]:
    return {"field": field, "reason": reason, "type": kind}


def _errors_from(exc: ValidationError) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for err in exc.errors(include_url=False):
        path = _path(err["loc"])
        ctx = err.get("ctx") or {}
        if err["type"] == "joinedup":
            found.append(_entry(_join(path, ctx.get("field", "")), ctx["reason"], "joinedup"))
            found += [_entry(_join(path, f), r, "joinedup") for f, r in ctx.get("more", ())]
        else:
            found.append(_entry(path or "(record)", _reason(err), err["type"]))
        if len(found) >= MAX_ERRORS_KEPT:
            break
    return found[:MAX_ERRORS_KEPT]


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


def _path(loc: tuple[int | str, ...]) -> str:
    """``('people', 2, 'vehicles', 0, 'reg')`` -> ``people[2].vehicles[0].reg``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "[key]":
            continue
        elif _NAME.fullmatch(part):
            path += f".{part}" if path else part
        else:
            quoted = json.dumps(part[:40], ensure_ascii=False) + ("..." if len(part) > 40 else "")
            path += f"[{quoted.encode('utf-8', 'backslashreplace').decode()}]"
    return path


def _join(path: str, sub: str) -> str:
    if not sub or not path:
        return path or sub or "(record)"
    return path + sub if sub.startswith("[") else f"{path}.{sub}"


def _reason(err: Any) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    leaf = next((p for p in reversed(err["loc"]) if isinstance(p, str) and p != "[key]"), "")
    got = _describe(value)
    simple = {
        "string_type": f"expected text, got {got}.",
        "int_type": f"expected a whole number, got {got}.",
        "float_type": f"expected a number, got {got}.",
        "finite_number": "expected a finite number.",
        "bool_type": f"expected true or false, got {got}.",
        "list_type": f"expected a list ([...]), got {got}.",
        "dict_type": f"expected an object ({{...}}), got {got}.",
        "model_type": f"expected an object ({{...}}), got {got}.",
        "missing": f"'{leaf}' is required but missing.",
        "extra_forbidden": f"{_show_text(leaf, 40)} is not a field here; check the spelling, "
        "or put extension data in the top-level 'extra' object.",
        "string_too_short": "must not be empty.",
        "string_unicode": "text is not valid Unicode (it holds an unpaired surrogate); remove it.",
        "literal_error": f"{got} is not allowed here; expected one of: {ctx.get('expected')}.",
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_long":
        return (
            f"text is {len(value):,} characters long; the most allowed here is "
            f"{ctx['max_length']:,}."
        )
    if kind == "too_long":
        return (
            f"has {ctx.get('actual_length', 'too many'):,} items; the most allowed is "
            f"{ctx['max_length']:,}."
        )
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = "at least" if "ge" in ctx else "at most"
        return f"must be {bound} {ctx.get('ge', ctx.get('le'))}; got {got}."
    if kind == "string_pattern_mismatch":
        hint = PATTERN_HINTS.get(ctx["pattern"], f"it must match {ctx['pattern']}.")
        return f"{got} is not in the expected form; {hint}"
    return str(err["msg"]).rstrip(".") + "."


def _show_text(text: str, limit: int = 60) -> str:
    """Quote user text for a message: cut short, control characters escaped."""
    shown = repr(text[:limit])
    return shown if len(text) <= limit else f"{shown[:-1]}...{shown[-1]} ({len(text):,} characters)"


def _describe(value: object) -> str:
    """Name a JSON value for a message without echoing a hostile amount of it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = repr(value) if not isinstance(value, int) or value.bit_length() < 100 else ""
        return f"the number {text}" if text else "a very large number"
    if isinstance(value, str):
        return f"the text {_show_text(value)}"
    if isinstance(value, list):
        return f"a list of {len(value):,} items"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"
