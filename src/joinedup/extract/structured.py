"""Mentions from the structured fields of a validated report.

Only the fields that may inform matching are copied into a mention's features; ``attributes``
(where ethnicity, religion, nationality and the like are kept) is never read here, so protected
attributes cannot reach resolution, rules or ranking by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from joinedup.profiles import Profile
from joinedup.resolve.normalise import (
    birth_year_range,
    born_between,
    first_name_alternatives,
    first_name_key,
    normalise_alias,
    normalise_phone,
    normalise_plate,
    normalise_postcode,
    parse_partial_date,
    postcode_area,
    postcode_district,
    split_name,
    surname_key,
)


@dataclass(frozen=True)
class Mention:
    """One person, place, vehicle or phone named in one report."""

    ref: str
    kind: str
    role: str | None
    label: str
    features: dict[str, Any]


@dataclass
class Extraction:
    """What one report contributes: mentions, links between them, dated observations."""

    mentions: list[Mention] = field(default_factory=list)
    links: list[tuple[str, str, str, bool]] = field(default_factory=list)
    observations: list[tuple[str | None, str, date]] = field(default_factory=list)


def reported_date(raw: dict[str, Any]) -> datetime:
    """``reported_at`` as a naive datetime (a date means its midnight)."""
    text = str(raw["reported_at"])
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.replace(tzinfo=None)


def _full_date(raw: Any) -> str | None:
    """A date of birth as YYYYMMDD when the day is known (a partial one says only the year)."""
    text = str(raw or "")
    return text.replace("-", "") if len(text) == 10 else None


def _month_only(raw: Any) -> str | None:
    """A date of birth given to the month only ("1994-11") as YYYYMM; a full date or a year
    alone gives none (a full date's month is read from ``dob``)."""
    text = str(raw or "")
    return text.replace("-", "") if len(text) == 7 and text[4] == "-" else None


def address_key(raw: Any) -> str:
    """An address compared as text: casefolded, punctuation and extra spaces removed."""
    return " ".join(re.sub(r"[^\w ]+", " ", str(raw).casefold()).split())


def _person(p: dict[str, Any], at: date, profile: Profile) -> Mention:
    first, last = split_name(p["name"]) if p.get("name") else (None, None)
    names = sorted({normalise_alias(a) for a in p.get("aliases") or []} - {""})
    # compared without spaces: "Big Man", "the Bigman" and "BIG MAN" are one nickname
    aliases = sorted({a.replace(" ", "") for a in names})
    age_range = p.get("age_range")
    births = birth_year_range(dob=p.get("dob"), age=p.get("age"), age_range=age_range, at=at)
    role = p.get("role")
    spec = profile.role_specs.get(role or "")
    features = {
        "first": first,
        "first_key": first_name_key(first) if first else None,
        "first_alts": first_name_alternatives(first) if first else [],
        "surname_key": surname_key(last) if last else None,
        "aliases": aliases,
        "alias_names": names,
        "birth": list(births) if births else None,
        "age": p.get("age"),
        # the days an exact age puts a birthday between: checked against a date of birth
        "age_born": list(born_between(p["age"], at)) if isinstance(p.get("age"), int) else None,
        "sex": p.get("sex") if p.get("sex") not in (None, "unknown") else None,
        "ids": sorted(
            f"{k}:{str(v).strip().upper()}" for k, v in (p.get("identifiers") or {}).items()
        ),
        "dob": _full_date(p.get("dob")),
        "dob_month": _month_only(p.get("dob")),
        "addresses": sorted({a for raw in p.get("addresses") or [] if (a := address_key(raw))}),
        "group": spec.group if spec else "adult",
    }
    label = p.get("name") or (f"'{p['aliases'][0]}'" if p.get("aliases") else p["ref"])
    return Mention(p["ref"], "person", role, str(label), features)


def _place(p: dict[str, Any], owner: str | None = None) -> Mention:
    """``owner``: the reporting organisation, where the profile takes a place of this kind
    that its agency names to be the organisation's own premises (``own_premises``)."""
    postcode = normalise_postcode(p["postcode"]) if p.get("postcode") else None
    name = p.get("name") or p.get("address") or p["ref"]
    features = {
        "name_key": normalise_alias(str(name)),
        "kind": p.get("kind"),
        "postcode": postcode,
        "district": postcode_district(postcode) if postcode else None,
        "town": town_of(str(p["address"])) if p.get("address") else None,
        "premises": premises_of(str(p["address"])) if p.get("address") else None,
        "lat": p.get("lat"),
        "lon": p.get("lon"),
    }
    if owner:
        features["owner"] = owner
    return Mention(p["ref"], "place", p.get("kind"), str(name), features)


# words that say what kind of home a name is, not which ("Heather Court children's home")
_HOME_KIND_WORDS = frozenset({"the", "children", "childrens", "s", "home", "care", "residential"})


def _own_premises(place: dict[str, Any], org: str, kinds: frozenset[str]) -> bool:
    """Whether a place an organisation's report names is its own premises: a place of a kind
    the profile says such organisations are (a care home's record naming a care home), or, of
    no kind given, one named as the organisation is ("Heather Court" in the records of
    heather-court-care: a narrative's reader gives no kind to "she lives at Heather Court")."""
    if place.get("kind"):
        return place["kind"] in kinds
    words = [w for w in re.findall(r"[a-z0-9]+", str(place.get("name") or "").lower())
             if w not in _HOME_KIND_WORDS]
    theirs = re.findall(r"[a-z0-9]+", org.lower())
    return bool(words) and theirs[: len(words)] == words


def _items(p: dict[str, Any], ex: Extraction) -> None:
    """Vehicles and phones a person has become mentions of their own, linked to the person."""
    for i, v in enumerate(p.get("vehicles") or []):
        plate = normalise_plate(v.get("reg") or "") if v.get("reg") else None
        ref = f"{p['ref']}#v{i}"
        feats = {
            "plate": plate.text if plate else None,
            "partial": plate.partial if plate else True,
            "prefix": plate.prefix if plate else "",
            "make": v.get("make"),
            "colour": v.get("colour"),
            "kind": v.get("kind"),
        }
        label = (
            plate.text if plate else " ".join(str(v.get(k)) for k in ("colour", "make") if v.get(k))
        ) or "vehicle"
        ex.mentions.append(Mention(ref, "vehicle", v.get("kind"), label, feats))
        ex.links.append((p["ref"], ref, "drives", False))
    for i, raw in enumerate(p.get("phones") or []):
        e164 = normalise_phone(str(raw))
        ref = f"{p['ref']}#t{i}"
        ex.mentions.append(Mention(ref, "phone", None, e164 or str(raw), {"e164": e164}))
        ex.links.append((p["ref"], ref, "uses_phone", False))


def _observed(raw: dict[str, Any], given: str | None, reported: datetime) -> date:
    for text in (given, raw.get("occurred_to"), raw.get("occurred_from")):
        if text:
            return min(parse_partial_date(str(text))[1], reported.date())
    return reported.date()


def town_of(address: str) -> str | None:
    """The town of a UK-style address: its last comma-separated part, if it is not a postcode."""
    if "," not in address:
        return None
    town = normalise_alias(address.rsplit(",", 1)[1])
    if not town or normalise_postcode(town) or any(ch.isdigit() for ch in town):
        return None
    return town


def premises_of(address: str) -> str | None:
    """The house number and street of an address ("157a manchester road"), when its first part
    starts with a number: two names for one flat ("the flat above Chicken Garden", "a flat on
    Manchester Road") share it. "Flat 2, 10 High Street" gives none: flat 1 is another home.
    """
    first = address.split(",", 1)[0].strip() if "," in address else ""
    number, _, street = first.partition(" ")
    # the number as written: the nickname key spells out small numbers ("Car 9" is "Car
    # Nine"), which would make "15 Moss Lane" no street address at all
    number = re.sub(r"[\W_]+", "-", number.casefold()).strip("-")
    street = normalise_alias(street)
    if not number[:1].isdigit() or not any(ch.isalpha() for ch in street):
        return None
    return f"{number} {street}"


def report_towns(raw: dict[str, Any]) -> list[str]:
    """Towns a report names in addresses: where what it tells of happened, roughly."""
    addresses = [str(p["address"]) for p in raw.get("places") or [] if p.get("address")]
    for person in raw.get("people") or []:
        addresses += [str(a) for a in person.get("addresses") or []]
    return sorted({t for a in addresses if (t := town_of(a))})


def report_areas(raw: dict[str, Any]) -> list[str]:
    """Postcode areas (OL, BD, M) of the places a report names: a coarser "where"."""
    codes = [
        normalise_postcode(str(p["postcode"])) for p in raw.get("places") or [] if p.get("postcode")
    ]
    return sorted({postcode_area(c) for c in codes if c})


def extract_report(raw: dict[str, Any], profile: Profile) -> Extraction:
    """Mentions, links and observations of one validated report.

    A profile whose reports are joined up into incidents has none: its stage reads each
    report whole (``resolve/incidents.py``).
    """
    ex = Extraction()
    if profile.engine != "entities":
        return ex
    towns = report_towns(raw)
    areas = report_areas(raw)
    reported = reported_date(raw)
    at = reported.date()
    children: list[str] = []
    subjects: list[str] = []  # whom a plain indicator id is about
    for p in raw.get("people") or []:
        person = _person(p, at, profile)
        person.features["towns"] = towns
        person.features["areas"] = areas
        ex.mentions.append(person)
        _items(p, ex)
        spec = profile.role_specs.get(p.get("role") or "")
        if spec and spec.counts_as_child:
            children.append(p["ref"])
        if spec and spec.indicators_about:
            subjects.append(p["ref"])
    source = raw.get("source") or {}
    own_kinds = profile.own_premises.get(str(source.get("agency")))
    for pl in raw.get("places") or []:
        owner = source["org"] if own_kinds and _own_premises(pl, source["org"], own_kinds) else None
        ex.mentions.append(_place(pl, owner))
    for lk in raw.get("links") or []:
        ex.links.append((lk["from"], lk["to"], lk["type"], True))
    # Being named in a report about a child ties that person or place to the child: that is how
    # the fragments each agency holds add up.
    others = [m.ref for m in ex.mentions if m.kind in ("person", "place") and m.ref not in children]
    for child in children:
        for other in others:
            ex.links.append((child, other, "mentioned_with", False))
    for item in raw.get("indicators") or []:
        if isinstance(item, str):
            ind, about, when = item, None, None
        else:
            ind, about, when = item["id"], item.get("about"), item.get("observed_at")
        observed = _observed(raw, when, reported)
        targets: list[str | None] = [about] if about else list(subjects or children) or [None]
        for ref in targets:
            ex.observations.append((ref, ind, observed))
    return ex
