"""The conflict report contract v1, checked by hand: keys, types and vocabularies.

Until the profile's own model validates conflict reports, the importers' tests hold each report
they make to the contract as written (keys, types, the vocabularies of
``conflict-vocabulary.yaml``) with :func:`contract_problems`, which lists every departure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


AGENCIES = _words(
    "eyewitness victim_or_family affected_organisation medical ngo un_agency media "
    "local_monitor government belligerent social_media dataset other"
)
PRECISIONS = _words("exact neighbourhood within_25km district governorate country")
MECHANISMS = _words(
    "air_strike drone_strike barrel_bomb shelling chemical ied_landmine suicide_bomb small_arms "
    "ground_attack assault_no_weapon sexual_violence abduction arrest_detention armed_search "
    "looting arson obstruction_of_access militarization psychological_threat siege_denial other "
    "unknown"
)
TARGETS = _words(
    "civilians_general health_facility health_transport health_personnel patients "
    "health_supplies humanitarian_convoy aid_worker school market residential water_power "
    "religious_site supply_route military_objective unknown"
)
ROLES = _words("alleged_perpetrator claimed_responsibility denied victim_group")
REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")
ORG = re.compile(r"^[^/\s]([^/]{0,198}[^/\s])?$")
PARTIAL = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
TOP = _words(
    "profile id source upstream derived_from reported_at occurred_from occurred_to location "
    "harm route actors people casualties evidence narrative extra"
)


def contract_problems(report: Any) -> list[str]:
    """Every way ``report`` departs from conflict contract v1 (empty when it conforms)."""
    return list(_problems(report))


def _problems(r: Any) -> Iterator[str]:
    if not isinstance(r, dict):
        yield "not an object"
        return
    yield from (f"unknown key {k}" for k in sorted(set(r) - TOP))
    if r.get("profile") != "conflict":
        yield "profile is not 'conflict'"
    if not _text(r.get("id")) or r["id"] != r["id"].strip():
        yield "id is not a trimmed, non-empty string"
    yield from _source(r.get("source"))
    for key in ("upstream", "narrative"):
        if key in r and not _text(r[key]):
            yield f"{key} is not a non-empty string"
    if "derived_from" in r and not (
        isinstance(r["derived_from"], list) and all(_text(d) for d in r["derived_from"])
    ):
        yield "derived_from is not a list of strings"
    if not _reported_at(r.get("reported_at")):
        yield f"reported_at {r.get('reported_at')!r} is not a date or date-time"
    for key in ("occurred_from", "occurred_to"):
        if key in r and not (_partial(r[key]) or _reported_at(r[key])):
            yield f"{key} {r[key]!r} is not a partial date"
    yield from _location(r.get("location"))
    yield from _harm(r.get("harm"))
    yield from _actors(r.get("actors"))
    yield from _casualties(r.get("casualties"))
    if "extra" in r and not isinstance(r["extra"], dict):
        yield "extra is not an object"


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _partial(value: Any) -> bool:
    if not isinstance(value, str) or not PARTIAL.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _reported_at(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _source(source: Any) -> Iterator[str]:
    if not isinstance(source, dict):
        yield "source is not an object"
        return
    yield from (f"unknown key source.{k}" for k in set(source) - {"agency", "org", "reporter",
                                                                 "partner"})
    if source.get("agency") not in AGENCIES:
        yield f"source.agency {source.get('agency')!r} is not a source agency"
    if not isinstance(source.get("org"), str) or not ORG.match(source["org"]):
        yield f"source.org {source.get('org')!r} is not an organisation's short name"
    if "partner" in source and not isinstance(source["partner"], bool):
        yield "source.partner is not a boolean"


def _location(location: Any) -> Iterator[str]:
    if location is None:
        return
    if not isinstance(location, dict):
        yield "location is not an object"
        return
    known = {"name", "admin1", "admin2", "lat", "lon", "precision", "facility"}
    yield from (f"unknown key location.{k}" for k in set(location) - known)
    for key in ("name", "admin1", "admin2", "facility"):
        if key in location and not _text(location[key]):
            yield f"location.{key} is not a non-empty string"
    for key, limit in (("lat", 90), ("lon", 180)):
        value = location.get(key)
        if key in location and not (isinstance(value, float) and -limit <= value <= limit):
            yield f"location.{key} {value!r} is not a float within ±{limit}"
    if ("lat" in location) != ("lon" in location):
        yield "location has one of lat and lon without the other"
    if "precision" in location and location["precision"] not in PRECISIONS:
        yield f"location.precision {location['precision']!r} is not a precision"


def _harm(harm: Any) -> Iterator[str]:
    if harm is None:
        return
    if not isinstance(harm, dict) or set(harm) - {"mechanism", "targets"}:
        yield "harm is not an object of mechanism and targets"
        return
    if "mechanism" in harm and harm["mechanism"] not in MECHANISMS:
        yield f"harm.mechanism {harm['mechanism']!r} is not a mechanism"
    targets = harm.get("targets", [])
    if not isinstance(targets, list) or not set(targets) <= TARGETS:
        yield f"harm.targets {targets!r} are not targets"


def _actors(actors: Any) -> Iterator[str]:
    if actors is None:
        return
    if not isinstance(actors, list):
        yield "actors is not a list"
        return
    refs = [a.get("ref") for a in actors if isinstance(a, dict)]
    if len(refs) != len(set(refs)):
        yield "actors' refs are not unique"
    for i, actor in enumerate(actors):
        if not isinstance(actor, dict) or set(actor) - {"ref", "name", "aliases", "role"}:
            yield f"actors[{i}] has keys outside ref, name, aliases, role"
            continue
        if not isinstance(actor.get("ref"), str) or not REF.match(actor["ref"]):
            yield f"actors[{i}].ref {actor.get('ref')!r} is not a ref"
        if not _text(actor.get("name")):
            yield f"actors[{i}].name is not a non-empty string"
        if "role" in actor and actor["role"] not in ROLES:
            yield f"actors[{i}].role {actor['role']!r} is not a role"
        if "aliases" in actor and not all(_text(a) for a in actor["aliases"]):
            yield f"actors[{i}].aliases are not strings"


def _count(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    return (isinstance(value, dict) and set(value) == {"min", "max"}
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                    for v in value.values())
            and value["min"] <= value["max"])


def _casualties(casualties: Any) -> Iterator[str]:
    if casualties is None:
        return
    if not isinstance(casualties, dict) or set(casualties) - {"killed", "injured"}:
        yield "casualties is not an object of killed and injured"
        return
    for key, value in casualties.items():
        if not _count(value):
            yield f"casualties.{key} {value!r} is not a count or a min-max range"
