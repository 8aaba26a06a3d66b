"""Comparing two events: may they be one incident, and how strongly do they say so.

The rules are conflict.md rule 2 (after meltt). A pair is a *candidate* only when

1. their dates overlap, or lie no more than the profile's slack apart;
2. their places are within reach: for two points, the sum of their precisions' radii (each
   point lies within its own radius of where it happened: about 3 km exact, 25 km within 25 km),
   the same district or governorate for areas (or the fallback distance between their
   coordinates when a name is missing);
3. their harm mechanisms are of compatible families, and so are their targets (a wildcard,
   "unknown", is compatible with anything);
4. their facility names agree, when both give one.

A candidate is then *scored*: each agreement (or strong disagreement) adds its weight from
``dedup.yaml`` and a reason. Actors are compared through their aliases and coalitions: their
agreement adds weight; actors none of which is any of the other report's, even through an alias
or a coalition, or two pairs of sides that differ, count against, but never reject a pair on
their own: a label alone never keeps two reports apart. Two kinds of candidate are never merged
automatically, only recorded: a pair where either place is known only to the country
(``review``), and a short report inside a much longer interval (``episode``: a siege, a week of
strikes, a date known only to the month).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from rapidfuzz import fuzz

from joinedup.resolve.incidents.events import DedupProfile, Event
from joinedup.resolve.incidents.taxonomy import Families
from joinedup.resolve.normalise.transliteration import skeleton

__all__ = ["Verdict", "compare", "distance_km", "haversine_km", "place_level"]

Kind = Literal["candidate", "review", "episode"]
EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of comparing a candidate pair: what may be done with it, its score and the
    reasons behind the score."""

    kind: Kind
    score: float
    reasons: tuple[str, ...]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: Event, b: Event) -> float:
    """Great-circle distance between two events' points (both must have one)."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def place_level(a: Event, b: Event, profile: DedupProfile) -> tuple[str, str] | None:
    """How close two events' places are, as a weight name and a reason; ``("review", ...)``
    when either is known only to the country; None when they are out of reach."""
    places = profile.settings.places
    coarser = a.precision if places.rank[a.precision] >= places.rank[b.precision] else b.precision
    if coarser in places.review_only:
        return "review", f"place known only to the {coarser}: never merged automatically"
    points = a.lat is not None and b.lat is not None
    if coarser in places.radius_km:
        km, reach = distance_km(a, b), places.reach_km(a.precision, b.precision)
        if km > reach:
            return None
        if km <= places.near_km:
            return "same_point", f"{km:.1f} km apart"
        return "within_radius", f"{km:.1f} km apart (within {reach:g} km)"
    level = places.same_area[coarser]
    weight = "same_district" if level == "admin2" else "same_governorate"
    mine, theirs = (a.admin2, b.admin2) if level == "admin2" else (a.admin1, b.admin1)
    if mine and theirs:
        if mine != theirs:
            return None
        if a.place and a.place == b.place and not points:
            return "same_point", f"same place {a.place!r} in {mine!r}"
        return weight, f"same {level} {mine!r}"
    if points and (km := distance_km(a, b)) <= places.fallback_km.get(coarser, 0.0):
        return weight, f"{km:.1f} km apart ({coarser} precision, no {level} name)"
    return None


def _dates(a: Event, b: Event, slack: int) -> tuple[str, str] | None:
    gap = max(a.first, b.first) - min(a.last, b.last)  # days between; <= 0 when they overlap
    if gap > slack:
        return None
    if a.first == a.last == b.first == b.last:
        return "same_day", f"same day {a.first_day}"
    if a.first == b.first and a.last == b.last:
        return "same_interval", f"same dates {a.first_day}..{date.fromordinal(a.last)}"
    if a.first <= b.last and b.first <= a.last:
        return "dates_overlap", "dates overlap"
    return "within_slack", f"dates {gap} day(s) apart, within the slack"


def name_similarity(a: str, b: str) -> float:
    """How alike two folded names are (0-100): as written, or as transliteration skeletons
    ("Urum al Kubra" and "Orem al Kobra" differ only in vowels Arabic does not write)."""
    return float(max(fuzz.token_set_ratio(a, b), fuzz.token_set_ratio(skeleton(a), skeleton(b))))


def _facility_similarity(a: Event, b: Event) -> float | None:
    if a.facility is None or b.facility is None:
        return None
    return name_similarity(a.facility, b.facility)


def compare(a: Event, b: Event, profile: DedupProfile) -> Verdict | None:
    """Compare two events: None when they cannot be one incident (see the module docstring),
    else what may be done with the pair, its score and its reasons.

    Examples of reasons: ``"same day 2016-09-19"``, ``"0.4 km apart"``, ``"same mechanism
    air_strike"``, ``"actors agree: government_of_russia"``, ``"sides the other does not name:
    islamic_state; syrian_insurgents"``, ``"killed 12-12 and 20-21 overlap"``.
    """
    if a.key > b.key:  # one order, so that reasons read the same whatever the input order
        a, b = b, a
    settings, taxonomy = profile.settings, profile.taxonomy
    dates = _dates(a, b, settings.dates.slack_days)
    if dates is None:
        return None
    place = place_level(a, b, profile)
    if place is None:
        return None
    if not taxonomy.mechanisms.families_compatible(a.mechanism_family, b.mechanism_family):
        return None
    if not taxonomy.targets.any_compatible(a.target_families, b.target_families):
        return None
    similarity = _facility_similarity(a, b)
    if similarity is not None and similarity < settings.facility.min_similarity:
        return None
    w = settings.scoring.weights
    found = [dates] + ([place] if place[0] != "review" else [])
    if place[0] not in ("same_point", "review"):
        found += _place_names(a, b, settings.places.name_similarity)
    found += _harm(a, b, settings.scoring.rare_targets, taxonomy.mechanisms)
    if similarity is not None:
        found.append(("facility_agrees", f"facility {a.facility!r} ~ {b.facility!r} "
                                         f"({similarity:.0f})"))
    found += _actors(a, b, profile)
    found += _killed(a, b, settings.scoring.killed_apart_ratio,
                    settings.scoring.large_toll, settings.scoring.vague_toll_ratio)
    score = sum(w.get(name, 0.0) for name, _ in found)
    reasons = tuple(reason for _, reason in found)
    if place[0] == "review":
        return Verdict("review", score, (*reasons, place[1]))
    if _episode(a, b, settings.dates.episode_min_days, settings.dates.episode_ratio):
        longer = a if a.days >= b.days else b
        return Verdict("episode", score, (*reasons, f"{longer.key} spans {longer.days} days: an "
                                                    "episode or a coarse date, linked not merged"))
    return Verdict("candidate", score, reasons)


def _place_names(a: Event, b: Event, min_similarity: float) -> list[tuple[str, str]]:
    """Two places not at one point, compared by name: a town's centroid within 25 km of
    another's is another town unless the names agree."""
    if a.place is None or b.place is None:
        return []
    similarity = name_similarity(a.place, b.place)
    if similarity >= min_similarity:
        return [("same_place_name", f"places named alike: {a.place!r} ~ {b.place!r}")]
    return [("different_place_names", f"places named differently: {a.place!r}, {b.place!r}")]


def _episode(a: Event, b: Event, min_days: int, ratio: float) -> bool:
    long, short = (a, b) if a.days >= b.days else (b, a)
    return long.days >= min_days and long.days >= ratio * short.days


def _harm(a: Event, b: Event, rare_targets: frozenset[str], mechanisms: Families) -> (
    list[tuple[str, str]]
):
    out = []
    if a.mechanism and b.mechanism:
        if a.mechanism == b.mechanism:
            out.append(("same_mechanism", f"same mechanism {a.mechanism}"))
        elif a.mechanism_family == b.mechanism_family:
            out.append(("same_mechanism_family",
                        f"{a.mechanism} and {b.mechanism} are both {a.mechanism_family}"))
        elif mechanisms.same_kind(a.mechanism_family, b.mechanism_family):
            out.append(("other_mechanism_of_kind",
                        f"{a.mechanism} and {b.mechanism}: two families of one kind, "
                        f"{mechanisms.kind_of[str(a.mechanism_family)]}"))
    if rare := a.targets & b.targets & rare_targets:
        out.append(("same_rare_target", f"same rarely hit target {', '.join(sorted(rare))}"))
    elif shared := a.targets & b.targets:
        out.append(("same_target", f"same target {', '.join(sorted(shared))}"))
    elif families := a.target_families & b.target_families:
        out.append(("same_target_family", f"targets of one kind: {', '.join(sorted(families))}"))
    return out


def _actors(a: Event, b: Event, profile: DedupProfile) -> list[tuple[str, str]]:
    """Actors through aliases and coalitions: the same, some in common, a member and its
    coalition; or evidence against one event: no actor of one is any of the other's even
    through a coalition (``different_actors``), or two fights (``other_sides``): each names a
    side the other does not (the government fighting the insurgents, the government fighting
    IS), or they share no actor but a coalition and one names a side the other does not (two
    insurgent groups fighting each other, the government fighting the insurgents). A report
    naming fewer sides, or a coalition for its members, is neither; actors named only in one
    of ``not_against_roles`` (a denial) never count against."""
    out: list[tuple[str, str]] = []
    if not (a.parties and b.parties):
        return out
    shared = a.parties & b.parties
    related = (a.parties & b.circle) | (b.parties & a.circle)
    if a.parties == b.parties:
        out.append(("same_actors", f"actors agree: {', '.join(sorted(shared))}"))
    elif shared:
        out.append(("shared_actor", f"actors in common: {', '.join(sorted(shared))}"))
    elif related:
        out.append(("related_actors", f"actors related through a coalition: "
                                      f"{', '.join(sorted(related))}"))
    exempt = profile.settings.scoring.not_against_roles
    sides_a, sides_b = _sides(a, exempt), _sides(b, exempt)
    if sides_a and sides_b and not shared and not related:
        out.append(("different_actors", "no actor in common, even through aliases and "
                                        f"coalitions: {', '.join(sorted(sides_a))}; "
                                        f"{', '.join(sorted(sides_b))}"))
    if sides_a and sides_b and (shared or related):
        alone_a = _alone(a, sides_a, b, profile)
        alone_b = _alone(b, sides_b, a, profile)
        if (alone_a and alone_b) or (not shared and (alone_a or alone_b)):
            out.append(("other_sides", f"sides the other does not name: "
                                       f"{', '.join(alone_a) or '-'}; "
                                       f"{', '.join(alone_b) or '-'}"))
    for m in (*a.actors, *b.actors):
        if m.anachronism and m.actor in a.parties and m.actor in b.parties:
            out.append(("", f"matched through aliases although {m.anachronism}"))
    return out


def _sides(e: Event, exempt: frozenset[str]) -> frozenset[str]:
    """The parties a report names in a role that says who did it or who fought."""
    return frozenset(m.actor for m in e.actors if m.actor in e.parties and m.role not in exempt)


def _alone(e: Event, sides: frozenset[str], other: Event, profile: DedupProfile) -> list[str]:
    """``e``'s sides that the other report names neither as such, nor as a coalition of theirs,
    nor as a member of one."""
    return sorted(p for p in sides if p not in other.parties and p not in other.circle
                  and not profile.actors.lineage(p, e.first_day) & other.parties)


def _killed(a: Event, b: Event, apart_ratio: float, large: int,
            vague_ratio: float | None = None) -> list[tuple[str, str]]:
    """Tolls that overlap agree (more at ``large`` or more), tolls far apart disagree. A range
    whose high end is more than ``vague_ratio`` times its low end (plus one) agrees with
    almost any toll ("0 to 10,000,000"), so its overlap is recorded and weighs nothing."""
    if a.killed is None or b.killed is None:
        return []
    (alo, ahi), (blo, bhi) = sorted((a.killed, b.killed))
    said = f"killed {alo}-{ahi} and {blo}-{bhi}"
    vague = [f"{lo}-{hi}" for lo, hi in ((alo, ahi), (blo, bhi))
             if vague_ratio is not None and hi > vague_ratio * (lo + 1)]
    if blo <= ahi and vague:
        return [("", f"{said} overlap, but {' and '.join(vague)} is too wide a range to "
                     "agree with a toll")]
    if blo <= ahi:
        if blo >= large:  # both allow this many, and few events kill so many
            return [("killed_overlap_large", f"{said} overlap, at {large} or more")]
        return [("killed_overlap", f"{said} overlap")]
    if (blo + 1) / (ahi + 1) > apart_ratio:
        return [("killed_apart", f"{said} far apart")]
    return []
