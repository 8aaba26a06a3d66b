"""The conflict input contract, version 1: one source's account of an attack.

A report of the ``conflict`` profile says when and where something happened (``occurred_*``,
``location``), how and to what (``harm``), who is said to be responsible (``actors``), who was
harmed (``people``, ``casualties``), what backs it (``evidence``) and whom it relies on
(``upstream``: two outlets quoting the same monitor are one source, conflict.md rule 1).

The models share the safeguarding contract's scalar types and strictness (unknown keys refused,
no coercion, bounded sizes); the profile's closed lists (agencies, harm mechanisms, targets,
precisions, actor roles, victim statuses, evidence kinds) are checked against the profile given
as ``context={"vocabulary": profile}``, by :meth:`~joinedup.profiles.Profile.terms`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from joinedup.ingest.models import (
    MAX_ITEMS,
    Code,
    PartialDate,
    Ref,
    ReportBase,
    Source,
    Text,
    TextList,
    _check_id,
    _Model,
    _problem,
    _vocabulary,
    raise_problems,
    ref_clashes,
)

__all__ = [
    "Actor",
    "Casualties",
    "ConflictReport",
    "ConflictSource",
    "Evidence",
    "Harm",
    "Location",
    "Relative",
    "Route",
    "Victim",
]

SHA256_PATTERN = r"^[0-9a-f]{64}$"


def _terms(info: ValidationInfo, value: str, vocabulary: str, what: str) -> str:
    """Check ``value`` against one of the profile's vocabularies, when a profile is given."""
    vocab = _vocabulary(info)
    terms = getattr(vocab, "terms", None)
    if vocab is None or terms is None:
        return value
    allowed = terms(vocabulary)
    return _check_id(value, allowed, what, vocab.name) if allowed else value


class ConflictSource(Source):
    """Who sent the report; ``partner`` marks the deployment's trusted partner channel (WHO
    SSA: an attack is confirmed when the attacked organisation is a partner); ``document`` the
    source's own document the report was taken from (a daily bulletin listing several attacks
    gives several reports of one document)."""

    partner: bool = Field(
        False, description="Sent through the deployment's partner channel: only an "
        "organisation the profile lists under `partners` may say so."
    )
    document: Text | None = Field(
        None, description="The source's own document the report was taken from: a bulletin or "
        "article's URL, or its title and date. Two reports of one organisation taken from one "
        "document, which the source itself told apart, are two incidents."
    )

    @field_validator("partner")
    @classmethod
    def _a_partner_channel(cls, value: bool, info: ValidationInfo) -> bool:
        """``partner: true`` only from an organisation the profile lists as a partner channel.

        Grades read the flag (a partner that was attacked confirms it), and a report is hostile
        input: whoever can send one, by any channel, could otherwise make any attack confirmed.
        Whether an organisation is a partner is the partnership's list, not the report's word;
        without a profile (shape only) the flag is read as given."""
        partners = getattr(_vocabulary(info), "partners", None)
        org = info.data.get("org")
        if not value or partners is None or not isinstance(org, str) or org in partners:
            return value
        raise _problem(
            f"'{org}' is not one of the conflict profile's partner channels, so its report "
            "cannot say partner: true. If it is a partner of this deployment, ask the "
            "partnership to add it to `partners` in the profile (profiles/conflict/"
            "profile.yaml) and import the report again; otherwise send it without partner.")


class Location(_Model):
    """Where it happened, as precisely as the source says (``precision``)."""

    name: Text | None = None
    admin1: Text | None = Field(None, description="Governorate or province.")
    admin2: Text | None = Field(None, description="District.")
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)] | None = None
    precision: Code | None = Field(
        None, description="exact, neighbourhood, within_25km, district, governorate or country."
    )
    facility: Text | None = Field(None, description="The facility hit, e.g. 'Al-Quds hospital'.")

    @field_validator("precision")
    @classmethod
    def _known_precision(cls, value: str, info: ValidationInfo) -> str:
        return _terms(info, value, "location_precision", "location precision")

    @model_validator(mode="after")
    def _both_coordinates(self) -> Location:
        if (self.lat is None) != (self.lon is None):
            missing = "lon" if self.lon is None else "lat"
            raise _problem("give lat and lon together, or neither.", missing)
        return self


class Harm(_Model):
    """How (``mechanism``) and to what (``targets``)."""

    mechanism: Code | None = Field(None, description="e.g. air_strike, barrel_bomb, shelling.")
    targets: Annotated[list[Code], Field(max_length=50)] = Field(
        default_factory=list, description="e.g. health_facility, humanitarian_convoy, market."
    )

    @field_validator("mechanism")
    @classmethod
    def _known_mechanism(cls, value: str, info: ValidationInfo) -> str:
        return _terms(info, value, "harm_mechanisms", "harm mechanism")

    @field_validator("targets")
    @classmethod
    def _known_targets(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return [_terms(info, v, "targets", "target") for v in value]


class Route(_Model):
    """The status of a named supply route, as the report gives it."""

    name: Text
    status: Code = Field(description="open, contested or cut.")

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str, info: ValidationInfo) -> str:
        return _terms(info, value, "route_status", "route status")


class Actor(_Model):
    """A party named in the report; names are compared through the profile's dated aliases."""

    ref: Ref
    name: Text
    aliases: TextList = Field(default_factory=list)
    role: Code | None = Field(
        None, description="alleged_perpetrator, claimed_responsibility, denied or victim_group."
    )

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str, info: ValidationInfo) -> str:
        return _terms(info, value, "actor_roles", "actor role")


class Relative(_Model):
    """A victim's relative, named elsewhere in the same report."""

    ref: Ref
    relation: Text = Field(description="e.g. brother, mother.")


class Victim(_Model):
    """A person harmed; personal data is withheld from exports unless a role may see it."""

    ref: Ref
    name: Text | None = None
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    sex: Literal["female", "male", "other", "unknown"] | None = None
    status: Code | None = Field(None, description="killed, injured, missing, abducted, detained.")
    relatives: Annotated[list[Relative], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list
    )

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str, info: ValidationInfo) -> str:
        return _terms(info, value, "victim_status", "victim status")


# More dead or injured than this in one report's incident is a slip of the keyboard, not a
# figure (and an integer beyond 64 bits could not be stored at all).
MAX_CASUALTIES = 10_000_000


class Range(_Model):
    """A casualty figure given as a range."""

    min: Annotated[int, Field(ge=0, le=MAX_CASUALTIES)]
    max: Annotated[int, Field(ge=0, le=MAX_CASUALTIES)]

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise _problem(f"min ({self.min}) is more than max ({self.max}).", "min")
        return self


Count = Annotated[int, Field(ge=0, le=MAX_CASUALTIES)] | Range


class Casualties(_Model):
    """The report's own figures; never summed with another report's (conflict.md rule 3)."""

    killed: Count | None = None
    injured: Count | None = None


class Evidence(_Model):
    """A media item or document backing the report, kept with its SHA-256 (Berkeley Protocol)."""

    kind: Code = Field(description="photo, video, satellite or document.")
    sha256: Annotated[str, Field(pattern=SHA256_PATTERN)] | None = None
    url: Text | None = None
    path: Text | None = Field(None, description="Where the organisation holds the file.")

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str, info: ValidationInfo) -> str:
        return _terms(info, value, "evidence_kinds", "evidence kind")

    @model_validator(mode="after")
    def _locatable(self) -> Evidence:
        if self.sha256 is None and self.url is None and self.path is None:
            raise _problem("an evidence item needs at least one of sha256, url or path.")
        return self


class ConflictReport(ReportBase):
    """A report of the ``conflict`` profile."""

    profile: Literal["conflict"] = "conflict"
    source: ConflictSource
    upstream: Text | None = Field(
        None, description="The origin the report relies on, e.g. 'SOHR'; reports sharing one "
        "count as one source."
    )
    occurred_from: PartialDate | None = None
    occurred_to: PartialDate | None = None
    location: Location | None = None
    harm: Harm | None = None
    route: Route | None = None
    actors: Annotated[list[Actor], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    people: Annotated[list[Victim], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    casualties: Casualties | None = None
    evidence: Annotated[list[Evidence], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list
    )

    @model_validator(mode="after")
    def _cross_references(self) -> ConflictReport:
        raise_problems(list(self._reference_problems()))
        return self

    def _reference_problems(self) -> Iterable[tuple[str, str]]:
        people = {p.ref for p in self.people}
        yield from ref_clashes(("actors", [a.ref for a in self.actors]),
                               ("people", [p.ref for p in self.people]))
        for i, person in enumerate(self.people):
            for j, relative in enumerate(person.relatives):
                if relative.ref not in people or relative.ref == person.ref:
                    yield (
                        f"people[{i}].relatives[{j}].ref",
                        f"'{relative.ref}' is not the ref of another person in this report.",
                    )
        start, end = self.occurred_from, self.occurred_to
        if start is not None and end is not None and start.earliest() > end.latest():
            yield "occurred_to", f"occurred_to ({end}) is before occurred_from ({start})."
        yield from self.self_derived()

