"""Turn true entities into report mentions (with the drift real records have) and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Any

from joinedup.generate import names
from joinedup.generate.entities import Person, Place, Vehicle, World
from joinedup.generate.geo import Org, format_phone, format_plate, partial_plate

Json = dict[str, Any]

# How likely each agency is to write a child's surname, date of birth and council id.
_SURNAME = {
    "police": 0.6,
    "health": 0.5,
    "social_care": 0.85,
    "education": 0.9,
    "care_home": 0.9,
    "family": 0.7,
    "youth_service": 0.3,
    "voluntary_sector": 0.3,
    "other": 0.2,
}
_DOB = {"health": 0.45, "social_care": 0.6, "education": 0.6, "care_home": 0.7}
_DECADES = {20: "twenties", 30: "thirties", 40: "forties", 50: "fifties", 60: "sixties"}


@dataclass
class Rec:
    """A finished report with the truth about each of its mentions."""

    report: Json
    key: str
    day: int
    mentions: list[tuple[str, str]]
    vehicles: list[tuple[str, str]]
    phones: list[tuple[str, str]]


class Draft:
    """A report being written: mentions get refs in order and their true identities are kept."""

    def __init__(self, world: World, rng: Random, org: Org, day: date) -> None:
        self.org = org
        self.rid = world.report_id(org)
        self.day = day
        if org.agency == "police":
            self.reported_at = (
                f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
            )
        else:
            self.reported_at = day.isoformat()
        self.reporter = None if org.agency == "family" else world.reporter(rng, org)
        self.people: list[Json] = []
        self.places: list[Json] = []
        self.links: list[Json] = []
        self.indicators: list[Any] = []
        self.mentions: list[tuple[str, str]] = []
        self.vehicle_truth: list[tuple[str, str]] = []
        self.phone_truth: list[tuple[str, str]] = []
        self.refs: dict[str, str] = {}

    def add_person(self, who: Person, mention: Json, vehicles: list[str], phones: list[str]) -> str:
        """Add a rendered person; ``vehicles``/``phones`` are the true ids in list order."""
        ref = f"p{len(self.people) + 1}"
        self.people.append({"ref": ref, **mention})
        self.mentions.append((ref, who.id))
        self.refs[who.id] = ref
        self.vehicle_truth.extend((f"{ref}#v{i}", vid) for i, vid in enumerate(vehicles))
        self.phone_truth.extend((f"{ref}#p{i}", pid) for i, pid in enumerate(phones))
        return ref

    def add_place(self, place: Place, mention: Json) -> str:
        """Add a rendered place."""
        ref = f"l{len(self.places) + 1}"
        self.places.append({"ref": ref, **mention})
        self.mentions.append((ref, place.id))
        self.refs[place.id] = ref
        return ref

    def link(self, source: str, target: str, kind: str) -> None:
        """Link two refs of this report."""
        self.links.append({"from": source, "to": target, "type": kind})

    def finish(
        self,
        narrative: str,
        informant: str | None = None,
        derived_from: list[str] | None = None,
        occurred: tuple[str, str] | None = None,
    ) -> Rec:
        """The report as a contract-v1 JSON object, with its truth."""
        source: Json = {"agency": self.org.agency, "org": self.org.name}
        if self.reporter:
            source["reporter"] = self.reporter
        report: Json = {"id": self.rid, "profile": "safeguarding", "source": source}
        if informant:
            report["informant"] = informant
        if derived_from:
            report["derived_from"] = derived_from
        report["reported_at"] = self.reported_at
        if occurred:
            report["occurred_from"] = occurred[0]
            if occurred[1]:
                report["occurred_to"] = occurred[1]
        report.update(
            people=self.people,
            places=self.places,
            links=self.links,
            indicators=self.indicators,
            narrative=narrative,
        )
        return Rec(
            report,
            f"{self.org.name}/{self.rid}",
            self.day.toordinal(),
            self.mentions,
            self.vehicle_truth,
            self.phone_truth,
        )


def occurred(rng: Random, day: date) -> tuple[str, str] | None:
    """When the events happened, if the report says: a date, a month, or a span."""
    roll = rng.random()
    if roll < 0.55:
        return None
    start = day - timedelta(days=rng.randrange(0, 40))
    if roll < 0.75:
        return (start.isoformat(), "")
    if roll < 0.9:
        return (start.isoformat()[:7], "")
    return (start.isoformat(), (start + timedelta(days=rng.randrange(1, 10))).isoformat())


def child_mention(rng: Random, child: Person, agency: str, day: date) -> Json:
    """A child (or young recruiter) as an agency writes them: first name, age, sometimes more."""
    given = names.spell(rng, child.given, 0.25)
    if rng.random() < 0.02:
        given = names.typo(rng, given)
    out: Json = {"role": "child"}
    if child.role == "recruiter":
        out["role"] = "recruiter"
    elif agency == "police" and rng.random() < 0.3:
        out["role"] = "victim"
    if rng.random() < _SURNAME.get(agency, 0.4):
        out["name"] = f"{given} {names.spell(rng, child.surname, 0.2)}"
    else:
        out["name"] = given
    if child.role == "recruiter" and (agency != "police" or rng.random() < 0.5):
        out["aliases"] = [names.spell_nickname(rng, child.nicknames[0])]
    if rng.random() < 0.92:
        out["age"] = child.age_on(day)
    if rng.random() < _DOB.get(agency, 0.15):
        out["dob"] = child.born.isoformat() if rng.random() < 0.8 else child.born.isoformat()[:7]
    if rng.random() < 0.9:
        out["sex"] = child.sex
    _child_ids(rng, child, agency, out)
    return out


def _child_ids(rng: Random, child: Person, agency: str, out: Json) -> None:
    attributes: Json = {}
    if child.council_id and (agency in ("social_care", "care_home") and rng.random() < 0.85):
        out["identifiers"] = {"council_child_id": child.council_id}
    if child.placing_authority and agency in ("social_care", "care_home", "police"):
        attributes["placing_authority"] = child.placing_authority
    if (
        child.attributes
        and agency in ("social_care", "health", "education")
        and (rng.random() < 0.5)
    ):
        attributes.update(child.attributes)
    if attributes:
        out["attributes"] = attributes


def age_range(rng: Random, age: int) -> str:
    """An estimate of an adult's age as a witness gives it ("forties", "late 30s", "40-49")."""
    stated = max(16, age + rng.randint(-3, 3))
    if stated < 20:
        return "teens" if rng.random() < 0.5 else "late teens"
    decade = min(stated // 10 * 10, 60)
    roll = rng.random()
    if roll < 0.3:
        return f"{decade}-{decade + 9}"
    if roll < 0.6:
        return _DECADES[decade]
    part = "early" if stated % 10 < 4 else "mid" if stated % 10 < 7 else "late"
    return f"{part} {decade}s"


def offender_mention(
    rng: Random, who: Person, agency: str, day: date, show_vehicle: bool, show_phone: bool
) -> tuple[Json, list[str], list[str]]:
    """A person of concern: mostly a nickname and an age range; a name when police know it."""
    out: Json = {"role": who.role}
    named = who.name_known and rng.random() < (0.7 if agency == "police" else 0.1)
    if named:
        out["name"] = f"{names.spell(rng, who.given)} {names.spell(rng, who.surname)}"
    if who.nicknames and (not named or rng.random() < 0.8):
        alias = names.spell_nickname(rng, who.nicknames[0])
        out["aliases"] = [names.typo(rng, alias) if rng.random() < 0.03 else alias]
    if not named and "aliases" not in out:
        out["aliases"] = [who.nicknames[0]]
    if named and rng.random() < 0.5:
        out["age"] = who.age_on(day)
    else:
        out["age_range"] = age_range(rng, who.age_on(day))
    if rng.random() < 0.8:
        out["sex"] = who.sex
    phones = list(who.phones) if show_phone else []
    if phones:
        out["phones"] = [format_phone(rng, p.digits) for p in phones]
    vehicles = list(who.vehicles) if show_vehicle else []
    if vehicles:
        out["vehicles"] = [vehicle_mention(rng, v, agency) for v in vehicles]
    if who.description and rng.random() < 0.4:
        out["description"] = who.description
    if who.attributes and rng.random() < 0.15:
        out["attributes"] = dict(who.attributes)
    return out, [v.id for v in vehicles], [p.id for p in phones]


def vehicle_mention(rng: Random, vehicle: Vehicle, agency: str) -> Json:
    """A vehicle as seen: police and licensing often have the full plate, others a part."""
    full = rng.random() < (0.65 if agency in ("police", "other") else 0.2)
    out: Json = {"reg": format_plate(rng, vehicle.reg) if full else partial_plate(rng, vehicle.reg)}
    if rng.random() < 0.6:
        out["make"] = vehicle.make
    if rng.random() < 0.7:
        out["colour"] = vehicle.colour
    if vehicle.kind and rng.random() < 0.8:
        out["kind"] = vehicle.kind
    return out


def adult_mention(rng: Random, who: Person, role: str) -> Json:
    """A parent, witness or professional: usually a full name."""
    given = names.spell(rng, who.given, 0.2)
    out: Json = {"role": role, "sex": who.sex}
    out["name"] = f"{given} {names.spell(rng, who.surname, 0.2)}" if rng.random() < 0.8 else given
    return out


def place_mention(rng: Random, place: Place, agency: str) -> Json:
    """A place as written: name variants, and sometimes an address, postcode or coordinates."""
    out: Json = {"name": _place_name(rng, place), "kind": place.kind}
    if rng.random() < 0.55:
        out["address"] = place.address
    if rng.random() < 0.45:
        out["postcode"] = place.postcode
    if agency == "police" and rng.random() < 0.3:
        out["lat"], out["lon"] = place.lat, place.lon
    return out


def _place_name(rng: Random, place: Place) -> str:
    name = place.name
    roll = rng.random()
    street = place.address.split(",")[0].lstrip("0123456789a ")
    if place.kind == "takeaway":
        name = (
            f"{name} takeaway"
            if roll < 0.3
            else f"the {name}"
            if roll < 0.45
            else f"{name}, {street}"
            if roll < 0.6
            else name
        )
    elif place.kind == "care_home":
        name = f"{name} children's home" if roll < 0.4 else name
    elif place.kind == "hotel" and roll < 0.3:
        name = f"the {name}"
    elif place.kind == "flat" and roll < 0.3:
        name = f"a flat on {street}"
    if rng.random() < 0.03:
        name = names.typo(rng, name)
    return name
