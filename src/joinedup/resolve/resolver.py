"""Resolve mentions into entities, collectively.

Phones and vehicles first (normalised keys; a partial plate joins the one full plate it agrees
with), then places (fuzzy names, never across towns), then people. People are scored pairwise with
the Splink-trained Fellegi-Sunter model, where one comparison is *context*: the places, vehicles,
phones and people linked to each mention. Resolving children sharpens the adults linked to them and
the reverse, so people are resolved in rounds (collective entity resolution, Bhattacharya and
Getoor 2007; see docs/resolution.md). Every merge keeps its weight and reasons; analysts' confirm
and split decisions are applied on every run.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, combinations
from sys import intern
from typing import Any

import numpy as np
import numpy.typing as npt
from jellyfish import metaphone

from joinedup.resolve.cluster import Clusters
from joinedup.resolve.comparisons import feature_value
from joinedup.resolve.normalise import (
    Plate,
    as_current_start,
    full_plate_matcher,
    known_characters,
    plate_blocking_keys,
    plates_compatible,
)
from joinedup.resolve.normalise.plates import BLOCK_PREFIX_LENGTH
from joinedup.resolve.parallel import SHIFT, Carry, Keys, ReadCodes, Scores, score_all
from joinedup.resolve.places import (
    PlacePairs,
    Reporter,
    core_name,
    place_pairs,
    resolve_places,
)
from joinedup.resolve.scoring import PersonModel, TermFrequencies

Row = dict[str, Any]
BLOCK_CAP = 300  # even after splitting, a larger block is too common to be evidence
SPLIT_BLOCK = 100  # a block larger than this is split by town and context before comparing
MATCH_WEIGHT = 0.0  # match probability 0.5
CLOSING_FLOOR = -11.0  # a context can move a pair's weight by about ten bits
ROUNDS = 3  # a third round: adults see the children the second round resolved (docs/resolution.md)
NARROW_BIRTH = 3  # widest birth-year range still blocked on with a first name
# Identifying comparisons that must agree (date of birth, address, id, phone...) before a pair
# may merge clusters whose surnames, ids or exact ages look different: typos happen, namesakes too
CORROBORATED = 2
MIN_KNOWN_PLATE = 5  # known characters a partial plate needs before it can join a full one
LINKAGE_SAMPLE = 4  # members per side whose cross pairs are scored before two clusters merge
LINKAGE_WEIGHT = -3.0
# bits by which the closing pass's pair must beat the one merge that holds a mention where it is
# before the mention moves (docs/resolution.md, "A mention the closing pass moves")
MOVE_MARGIN = 3.0
# one empty set for every feature of every mention that has none (most have none)
NONE: frozenset[str] = frozenset()
ITEM_LINKS = ("drives", "uses_phone")  # the links resolution reads


@dataclass
class Resolution:
    """Which entity each mention belongs to, the entities, and the evidence of every merge."""

    entity_of: dict[int, str] = field(default_factory=dict)
    entities: list[Row] = field(default_factory=list)
    # merge evidence and the index (blocking key -> mention) are built as they are stored, not
    # all at once beforehand (at a million reports, that copy alone is gigabytes): read once
    edges: Iterable[Row] = field(default_factory=list)
    keys: Iterable[tuple[str, int]] = field(default_factory=list)
    features: dict[int, Row] = field(default_factory=dict)  # resolved person features


def item_keys(m: Row) -> list[str]:
    """Blocking keys of a phone, vehicle or place mention, for resolving new ones later."""
    f = m["features"]
    if m["kind"] == "phone":
        return [f"T|{f['e164']}"] if f.get("e164") else []
    if m["kind"] == "vehicle":
        if not f.get("plate"):
            return []
        plate = Plate(f["plate"], bool(f.get("partial")), f.get("prefix") or f["plate"])
        return [f"V|{f['plate']}", *(f"V4|{k}" for k in plate_blocking_keys(plate))]
    if m["kind"] == "place":
        return [f"L|{w}" for w in set(core_name(f["name_key"]).split()) if len(w) > 2]
    return []


def _union_groups(pks: list[int], pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    parent = {p: p for p in pks}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for p in pks:
        groups[find(p)].append(p)
    return list(groups.values())


def _phones(ms: list[Row]) -> tuple[list[list[int]], list[Row]]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for m in ms:
        by_key[m["features"].get("e164") or f"raw:{m['pk']}"].append(m["pk"])
    edges = [
        {
            "a": g[0],
            "b": o,
            "weight": 30.0,
            "reasons": [{"comparison": "phone", "level": f"same number {k}"}],
        }
        for k, g in by_key.items()
        if not k.startswith("raw:")
        for o in g[1:]
    ]
    return list(by_key.values()), edges


VEHICLE_DETAILS = ("make", "colour", "kind")


def vehicles_agree(a: Row, b: Row) -> bool:
    """Make, colour and kind, where both reports give them, must agree for a partial plate to
    join ("Toyota" agrees with "Toyota Avensis"; a taxi with a car of no stated kind)."""
    for key in VEHICLE_DETAILS:
        x, y = a.get(key), b.get(key)
        if x and y:
            tx, ty = set(str(x).casefold().split()), set(str(y).casefold().split())
            if not (tx <= ty or ty <= tx):  # "Toyota" agrees with "Toyota Avensis"
                return False
    return True


def vehicle_plate(f: Row) -> Plate | None:
    """The plate of a vehicle mention's features. A bare start of a current-format plate that an
    earlier version stored as a full plate ("MF54") is read as the partial plate it is."""
    text = f.get("plate")
    if not text:
        return None
    if f.get("partial"):
        return Plate(text, True, f.get("prefix") or "")
    return as_current_start(text) or Plate(text, False, text)


def _vehicles(ms: list[Row]) -> tuple[list[list[int]], list[Row]]:
    feats = {m["pk"]: m["features"] for m in ms}
    plates = {pk: p for pk, f in feats.items() if (p := vehicle_plate(f)) is not None}
    full: dict[str, list[int]] = defaultdict(list)
    for pk, p in plates.items():
        if not p.partial:
            full[p.text].append(pk)
    pairs: list[tuple[int, int]] = []
    edges: list[Row] = []
    for key, g in full.items():
        pairs += [(g[0], o) for o in g[1:]]
        edges += [
            {
                "a": g[0],
                "b": o,
                "weight": 30.0,
                "reasons": [{"comparison": "plate", "level": f"same plate {key}"}],
            }
            for o in g[1:]
        ]
    index: dict[str, list[str]] = defaultdict(list)
    for text in full:
        for k in plate_blocking_keys(Plate(text, False, text)):
            index[k].append(text)
    # a full plate's mentions differ only in make, colour and kind: a partial plate is
    # compared with the plate once and with each description once (_group_fits over every
    # mention took 36 s of a 1M-report run, a plate being told of hundreds of times)
    described = {
        text: [dict(zip(VEHICLE_DETAILS, d, strict=True)) for d in sorted(
            {tuple(str(feats[o].get(k) or "") for k in VEHICLE_DETAILS) for o in g})]
        for text, g in full.items()
    }
    single: dict[int, str] = {}  # partial plates that fit one known full plate: which
    loose: list[int] = []  # partial plates that fit no known full plate
    for pk, plate in sorted(plates.items()):
        if not plate.partial or known_characters(plate) < MIN_KNOWN_PLATE:
            continue  # "MA02" names thousands of cars: too little to join on its own
        candidates = {c for k in plate_blocking_keys(plate) for c in index.get(k, [])}
        matches = full_plate_matcher(plate)
        fits = [
            c
            for c in sorted(candidates)
            if matches(c) and all(vehicles_agree(feats[pk], d) for d in described[c])
        ]
        if len(fits) == 1:
            single[pk] = fits[0]
        elif not fits and len(plate.prefix) >= BLOCK_PREFIX_LENGTH:
            loose.append(pk)
    groups, found = _partial_groups(loose, plates, feats)
    for pk, text in single.items():
        near = groups.get(plates[pk].prefix[:BLOCK_PREFIX_LENGTH], [])
        if any(_group_fits(plates[pk], feats[pk], [feats[o] for o in g]) for g in near):
            continue  # it fits a known full plate and a car seen only in part: which is unknown
        # a partial plate joins a full one only when nothing else fits
        pairs.append((pk, full[text][0]))
        edges.append(
            {
                "a": pk,
                "b": full[text][0],
                "weight": 8.0,
                "reasons": [
                    {
                        "comparison": "plate",
                        "level": f"partial {plates[pk].text} fits only {text}"
                        " (make, colour and kind do not disagree)",
                    }
                ],
            }
        )
    pairs += [(e["a"], e["b"]) for e in found]
    return _union_groups([m["pk"] for m in ms], pairs), edges + found


def _partial_groups(
    loose: list[int], plates: dict[int, Plate], feats: dict[int, Row]
) -> tuple[dict[str, list[list[int]]], list[Row]]:
    """Partial plates that fit no known full plate, gathered into the vehicles they can be.

    Most complete first, each joins the one group whose every plate it fits, make, colour and
    kind not disagreeing: "MJ06P??" with "MJ06PY?" (both fit "MJ06PY?"). A partial plate that
    fits two groups ("MJ06P??" with "MJ06PY?" and "MJ06PZ?": two cars) joins neither. Each
    plate knows its area and age identifier and at least one more character. Returns the groups
    by their first four characters and the evidence of each join.
    """
    groups: dict[str, list[list[int]]] = defaultdict(list)
    edges: list[Row] = []
    for pk in sorted(loose, key=lambda pk: (-known_characters(plates[pk]), plates[pk].text, pk)):
        near = groups[plates[pk].prefix[:BLOCK_PREFIX_LENGTH]]
        fits = [g for g in near if _group_fits(plates[pk], feats[pk], [feats[o] for o in g])]
        if not fits:
            near.append([pk])
        elif len(fits) == 1:
            first = fits[0][0]
            fits[0].append(pk)
            edges.append(
                {
                    "a": first,
                    "b": pk,
                    "weight": 6.0,
                    "reasons": [
                        {
                            "comparison": "plate",
                            "level": f"partial {plates[pk].text} fits partial"
                            f" {plates[first].text} and no known full plate"
                            " (make, colour and kind do not disagree)",
                        }
                    ],
                }
            )
    return groups, edges


def partial_plate_target(plate: Plate, f: Row, vehicles: dict[str, list[Row]]) -> str | None:
    """The vehicle a new partial plate joins on its own, by the rules of a full run: of known
    vehicles (entity -> its mentions' features) that share its first four characters, the one
    full plate it fits, or else the one vehicle seen only in part whose every plate it fits;
    None when it knows too little, or fits none or several (a full plate and a car seen only in
    part count as two)."""
    if known_characters(plate) < MIN_KNOWN_PLATE or len(plate.prefix) < BLOCK_PREFIX_LENGTH:
        return None
    full = {e: rows for e, rows in vehicles.items() if any(_full(o) for o in rows)}
    fits = [e for e, rows in full.items() if _group_fits(plate, f, rows)]
    loose = [
        e
        for e, rows in vehicles.items()
        if e not in full
        and any(_loose(o, full) for o in rows)
        and _group_fits(plate, f, rows)
    ]
    return (fits + loose)[0] if len(fits + loose) == 1 else None


def _loose(f: Row, full: dict[str, list[Row]]) -> bool:
    """A partial plate that could have been gathered with others: it knows enough and fits no
    known full plate."""
    p = vehicle_plate(f)
    return (
        p is not None
        and p.partial
        and known_characters(p) >= MIN_KNOWN_PLATE
        and len(p.prefix) >= BLOCK_PREFIX_LENGTH
        and not any(_group_fits(p, f, rows) for rows in full.values())
    )


MIN_DRIVEN_PLATE = 2  # known characters a partial plate needs to join its driver's vehicle


def join_by_driver(
    entity_of: dict[int, str], vehicles: list[Row], links: list[Row]
) -> list[Row]:
    """Join a partial plate too short to join on its own ("ME56", a Toyota Prius taxi) to the
    vehicle its driver is known to drive with a plate it fits, once people are resolved.

    A partial plate alone names thousands of cars; the same man driving a car whose plate it
    fits, of a make, colour and kind that do not disagree, names one. When it fits several of
    his vehicles that can all be one ("ML04LES", "ML04L??" seen apart from "ML04???"), they are
    joined together; when they cannot ("ML04LES" and "ML04ABC": two cars), nothing is. Updates
    ``entity_of`` and returns the evidence of each join.
    """
    driver = {lk["dst"]: entity_of.get(lk["src"]) for lk in links if lk["type"] == "drives"}
    feats = {m["pk"]: m["features"] for m in vehicles}
    groups: dict[str, list[int]] = defaultdict(list)
    for m in vehicles:
        groups[entity_of[m["pk"]]].append(m["pk"])
    driven: dict[str, set[str]] = defaultdict(set)  # person entity -> vehicle entities
    drivers: dict[str, set[str]] = defaultdict(set)  # and back
    for pk, person in driver.items():
        if person and pk in feats:
            driven[person].add(entity_of[pk])
            drivers[entity_of[pk]].add(person)
    edges: list[Row] = []
    for entity in sorted(groups):
        members = groups.get(entity)
        if not members or any(_full(feats[pk]) for pk in members):
            continue  # a full plate is joined by plate already
        for pk in members:
            f, person = feats[pk], driver.get(pk)
            plate = vehicle_plate(f)
            if not person or plate is None or known_characters(plate) < MIN_DRIVEN_PLATE:
                continue
            fits = driven_fits(
                plate,
                f,
                {o: [feats[x] for x in groups[o]] for o in sorted(driven[person] - {entity})},
            )
            if not fits or not _one_vehicle(
                [feats[x] for x in members] + [feats[x] for o in fits for x in groups[o]]
            ):
                continue
            target = fits[0]
            for other in (entity, *fits[1:]):
                edges.append(
                    {
                        "a": groups[target][0],
                        "b": pk if other == entity else groups[other][0],
                        "weight": 8.0,
                        "reasons": [
                            {"comparison": "plate", "level": f"partial {plate.text} fits {target}"},
                            {"comparison": "driver", "level": f"driven by {person} in both"},
                        ],
                    }
                )
                for o in groups[other]:
                    entity_of[o] = target
                groups[target] += groups.pop(other)
                for p in drivers.pop(other, ()):
                    driven[p].discard(other)
                    driven[p].add(target)
                    drivers[target].add(p)
            break
    return edges


def driven_fits(plate: Plate, f: Row, vehicles: dict[str, list[Row]]) -> list[str]:
    """Of the vehicles a driver is known to drive (entity -> its mentions' features), the ones a
    partial plate fits, when they can all be one vehicle; none when they cannot."""
    fits = [e for e, rows in vehicles.items() if _group_fits(plate, f, rows)]
    return fits if _one_vehicle([row for e in fits for row in vehicles[e]]) else []


def _full(f: Row) -> bool:
    """A full plate that is not also a bare start of a current-format one ("ME56")."""
    return (p := vehicle_plate(f)) is not None and not p.partial


def _group_fits(plate: Plate, f: Row, others: list[Row]) -> bool:
    """Whether a partial plate fits every plate of a vehicle and nothing else disagrees."""
    theirs = [p for o in others if (p := vehicle_plate(o)) is not None]
    return (
        bool(theirs)
        and all(plates_compatible(plate, p) for p in theirs)
        and all(vehicles_agree(f, o) for o in others)
    )


def _one_vehicle(rows: list[Row]) -> bool:
    """Whether vehicle mentions can all be one vehicle: every two plates compatible, makes,
    colours and kinds not disagreeing."""
    plates = [p for o in rows if (p := vehicle_plate(o)) is not None]
    return all(
        plates_compatible(a, b) for i, a in enumerate(plates) for b in plates[i + 1 :]
    ) and all(vehicles_agree(a, b) for i, a in enumerate(rows) for b in rows[i + 1 :])


PSEUDO_ENTITIES = 200  # how much the shipped frequencies weigh against a store's own


def term_frequencies(
    people: list[Row], entity_of: dict[int, str], model: PersonModel, distinct: bool
) -> TermFrequencies:
    """How common each nickname, first name and identifier is in the data being resolved.

    Counted per entity once people are resolved (``distinct``), so that one man named in forty
    reports does not make his nickname look common; before that, per mention for first names and
    from the shipped model for nicknames. Blended with the shipped frequencies, which dominate in
    a small store where counts mean little.
    """
    shipped = model.shipped_frequencies()
    tables: dict[str, dict[str, float]] = {}
    defaults: dict[str, float] = {}
    for feature in model.tf_features:
        holders: dict[str, set[str]] = defaultdict(set)
        for m in people:
            value = feature_value(m["features"], feature)
            values = value if isinstance(value, list | frozenset | set) else [value]
            for v in values if value else []:
                holders[str(v)].add(entity_of[m["pk"]] if distinct else str(m["pk"]))
        if feature == "aliases" and not distinct:
            tables[feature], defaults[feature] = shipped.tables[feature], shipped.defaults[feature]
            continue
        prior_table = shipped.tables.get(feature, {})
        prior_default = shipped.defaults.get(feature, 0.001)
        total = sum(len(h) for h in holders.values())
        k = PSEUDO_ENTITIES
        # a value held once and unknown to the shipped table weighs exactly the default: left
        # out, which keeps the table (read for every new report) to the values that repeat
        tables[feature] = {
            v: (len(h) + k * prior_table.get(v, prior_default)) / (total + k)
            for v, h in holders.items()
            if len(h) > 1 or v in prior_table
        }
        defaults[feature] = (1 + k * prior_default) / (total + k)
    return TermFrequencies(tables, defaults)


# compared as sets in every pair
SET_FEATURES = ("aliases", "first_alts", "ids", "locality", "areas", "addresses")
# read into ``locality`` (with_locality) before a run and not needed after it; left out of
# every mention's features, as a dict of 22 keys takes 832 bytes and one of 21 takes 464 (a
# million-report store holds about two million of them)
READ_INTO_LOCALITY = frozenset({"towns"})
HUB = 60  # an entity named with more than this many others is a hub, not a neighbourhood


def _neighbourhoods(
    in_report: dict[int, list[int]], entity_of: dict[int, str]
) -> tuple[dict[str, set[str]], set[str]]:
    """For each resolved person or place, the resolved people and places named with it; and
    those that more than one report names."""
    hood: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    again: set[str] = set()
    for pks in in_report.values():
        ents = {e for pk in pks if (e := entity_of.get(pk)) is not None and e[0] in "PL"}
        for e in ents:
            hood[e] |= ents - {e}
            (again if e in seen else seen).add(e)
    return {e: n for e, n in hood.items() if len(n) <= HUB}, again


HOME_SHARE = 0.5  # an organisation's home town: where at least half of its located reports are


def org_towns(people: list[Row], orgs: dict[int, str]) -> dict[str, Counter[str]]:
    """For each organisation, how many of its reports name each town (in an address)."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    reports: dict[int, list[str]] = {}
    for m in people:
        reports[m["report"]] = m["features"].get("towns") or []
    for report, towns in reports.items():
        if report in orgs and towns:
            for t in towns:
                seen[orgs[report]][t] += 1
    return seen


def home_towns(seen: dict[str, Counter[str]]) -> dict[str, set[str]]:
    """The town(s) an organisation mostly reports from (``seen``: :func:`org_towns`): a school
    or a council reports from its own town. A regional police force has no single home and
    usually gets none, unless half its located reports are of one town (docs/resolution.md
    says what giving police forces none was measured to do)."""
    out: dict[str, set[str]] = {}
    for org, counts in seen.items():
        total = sum(counts.values())
        out[org] = {t for t, n in counts.items() if n / total >= HOME_SHARE}
    return out


def with_locality(
    people: list[Row], orgs: dict[int, str], home: dict[str, set[str]]
) -> list[Row]:
    """People with ``locality``: the towns their report names and its organisation's home
    (``home``: :func:`home_towns`)."""
    shared = SharedValues()  # a dozen towns: a few localities, each held once
    for m in people:  # in place: a copy of every person's features costs hundreds of MB at 1M
        towns = set(m["features"].get("towns") or []) | home.get(orgs.get(m["report"], ""), set())
        m["features"]["locality"] = shared(sorted(towns))
    return people


def identifiable(f: Row) -> bool:
    """A mention with no name, nickname, identifier, phone or vehicle names nobody in particular.

    "An older man" in two reports about one child may be two men: such a mention stays an
    entity of its own unless an analyst confirms otherwise.
    """
    return bool(f.get("first_key") or f.get("aliases") or f.get("ids") or f.get("items"))


TYPO_KEY_LENGTH = 4  # nicknames this long are blocked with their one-letter typos too


def _typo_keys(alias: str) -> set[str]:
    """A nickname with each letter in turn left out, and as written: two nicknames one typo
    apart ("Pepsi" / "Peepsi" / "Pespi") share one of these (symmetric deletion), where they
    share no exact key. Shorter nicknames are left out ("Jay" / "Kay" are two nicknames), and
    the first letter is kept: a typo there makes another nickname ("Kaz" / "Raz")."""
    if len(alias) < TYPO_KEY_LENGTH - 1:
        return set()
    deleted = (
        {alias[:i] + alias[i + 1 :] for i in range(1, len(alias))}
        if len(alias) >= TYPO_KEY_LENGTH
        else set()
    )
    return {alias} | deleted


def person_keys(f: Row, near: NearSpellings | None = None) -> Iterator[str]:
    """Every blocking key of a person mention: :func:`own_keys`, :func:`sound_keys` and
    :func:`context_keys`."""
    yield from own_keys(f, near)
    yield from sound_keys(f)
    yield from context_keys(f)


def sound_keys(f: Row) -> Iterator[str]:
    """A short nickname's sound (jellyfish's Metaphone), for nicknames too short for typo
    keys: "Kas" and "Kaz", "Mo" and "Moe", "Jay" and "Jai" share no key of
    :func:`own_keys`, while "Kay" and "Kaz", two men's nicknames, sound different.

    The pairs these make are weak: a similar short nickname is 1.8 bits, so such a pair merges
    only where what the two are named with agrees. A full run scores them once, in the closing
    pass, where every mention's context is the last round's (:meth:`Blocking.sound_pairs`);
    a report added later looks them up like any key."""
    if not identifiable(f):
        return
    g = f.get("group", "adult")
    for alias in f.get("aliases") or []:
        if len(alias) < TYPO_KEY_LENGTH and (sound := metaphone(alias)):
            yield f"{g}|as|{sound}"


def context_keys(f: Row) -> Iterator[str]:
    """Blocking keys of what a mention's report names with it (they change by round)."""
    for g, c in _context_blocks(f):
        yield f"{g}|c|{c}"


def _context_blocks(f: Row) -> Iterator[tuple[str, str]]:
    """The group and entity of each of :func:`context_keys`."""
    if not identifiable(f):
        return
    g = f.get("group", "adult")
    for c in f.get("context") or ():
        yield g, c


def own_keys(f: Row, near: NearSpellings | None = None) -> Iterator[str]:
    """Blocking keys of what a mention says of the person (the same in every round).

    ``near`` (:func:`near_spellings`): the commoner first names and surnames of the store that
    a rarer spelling may be a typo of; a mention so spelt blocks under those names too."""
    if not identifiable(f):
        return
    g = f.get("group", "adult")
    for alias in f.get("aliases") or []:
        typo = _typo_keys(alias)
        if not typo:  # a nickname too short for typo keys blocks on itself alone
            yield f"{g}|a|{alias}"
        # the nickname as written is one of its typo keys: blocking on it twice made the same
        # pairs twice
        yield from (f"{g}|ad|{k}" for k in typo)
    # the first name's key and the keys of what it may be short for or a typo of ("Karem" may
    # be "Kareem", "Sammy" "Samantha" or "Samuel")
    first, surname = f.get("first_key"), f.get("surname_key")
    near = near or NO_NEAR
    firsts = (
        sorted({first, *(f.get("first_alts") or ()), *near.firsts.get(first, ())}) if first else []
    )
    surnames = [surname, *near.surnames.get(surname, ())] if surname else []
    for name in firsts:
        for family in surnames:
            yield f"{g}|n|{name}|{family}"
        if f.get("birth") and f["birth"][1] - f["birth"][0] <= NARROW_BIRTH:
            # a first name and a witness's "in his forties" block too much to be worth it
            for year in range(f["birth"][0], f["birth"][1] + 1):
                yield f"{g}|fb|{name}|{year}"
    if f.get("dob"):
        yield f"{g}|d|{f['dob']}"
    for i in f.get("ids") or []:
        yield f"{g}|i|{i}"
    for item in f.get("items") or []:
        yield f"{g}|x|{item}"


NEAR_LENGTH = 4  # names shorter than this are too close to one another ("Ama" / "Ada")


@dataclass(frozen=True)
class NearSpellings:
    """Rarer spellings of a store's first names and surnames, each with the commoner names it
    is one typo from (:func:`near_spellings`)."""

    firsts: Mapping[str, tuple[str, ...]]
    surnames: Mapping[str, tuple[str, ...]]


NO_NEAR = NearSpellings({}, {})


def near_spellings(feats: Iterable[Row]) -> NearSpellings:
    """Each first name and surname of these mentions that is a rarer spelling of another, and
    the commoner names it is one typo from (a letter left out, added, changed, or two swapped).

    The project's table knows the misspellings of the names it lists ("Katarzina"), not of every
    name a community uses: "Khadrra" and "Hodn" would block with nobody, and a first name with
    "Hasaan" for "Hassan" only through a narrow age. A spelling no commoner than another one typo
    away may be its typo; blocking it with that name lets the model judge. Only the rarer
    spelling blocks under the commoner: "Khadra" does not block under each typo of itself the
    store holds."""
    firsts: Counter[str] = Counter()
    surnames: Counter[str] = Counter()
    for f in feats:
        if f.get("first_key"):
            firsts[f["first_key"]] += 1
        if f.get("surname_key"):
            surnames[f["surname_key"]] += 1
    return NearSpellings(_near(firsts), _near(surnames))


def _near(counts: Counter[str]) -> dict[str, tuple[str, ...]]:
    by_deletion: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        if len(name) >= NEAR_LENGTH - 1:
            for d in _typo_keys(name):
                by_deletion[d].append(name)
    near: dict[str, set[str]] = defaultdict(set)
    for names in by_deletion.values():
        for a in names:
            for b in names:
                if a != b and counts[b] >= counts[a] and max(len(a), len(b)) >= NEAR_LENGTH:
                    near[a].add(b)
    return {a: tuple(sorted(bs)) for a, bs in near.items()}


def near_lookup_keys(f: Row) -> list[str]:
    """The keys a new mention looks up besides its own: those of its names with a letter left
    out. A report added on its own has no count of the store's spellings to go by, so a new
    "Khadrra" finds the stored "Khadra" this way; a new "Hodn" waits for the next full run to
    find "Hodan" (:func:`near_spellings`)."""
    shorter = NearSpellings(*(
        {name: tuple(sorted(_typo_keys(name) - {name}))}
        if (name := f.get(key)) and len(name) >= NEAR_LENGTH
        else {}
        for key in ("first_key", "surname_key")
    ))
    if shorter == NO_NEAR:
        return []
    own = set(own_keys(f))
    return [k for k in own_keys(f, shorter) if k not in own]


def candidate_keys(feats: dict[int, Row], report_of: dict[int, int]) -> Keys:
    """Pairs of person mentions sharing a blocking key, never two of one report, as sorted
    :func:`~joinedup.resolve.parallel.pair_key` values."""
    return Blocking(feats, report_of).keys(feats)


class Blocking:
    """The candidate pairs of each round of one run.

    What a mention says of the person (names, nicknames, dates of birth, ids, phones and
    vehicles) is the same in every round; only what its report names with it changes. So the
    pairs of the blocks of its own keys are found once, and each round adds those of the
    context keys and of the own blocks too big to compare whole, which are split by context
    (:func:`_split`).
    """

    def __init__(self, feats: dict[int, Row], report_of: dict[int, int]) -> None:
        if report_of and max(report_of) >> (SHIFT - 1):
            raise ValueError("mention keys must stay below 2**31 to be paired as int64 keys")
        self.report = np.zeros(max(report_of, default=0) + 1, dtype=np.int64)
        self.report[list(report_of)] = list(report_of.values())
        blocks: dict[str, list[int]] = defaultdict(list)
        self.near = near_spellings(feats.values())
        sounds: dict[str, list[int]] = defaultdict(list)
        for pk, f in feats.items():
            for key in own_keys(f, self.near):
                blocks[key].append(pk)
            for key in sound_keys(f):
                sounds[key].append(pk)
        self.big = [members for members in blocks.values() if len(members) > SPLIT_BLOCK]
        self.fixed = _unique(self._pairs([m for m in blocks.values() if len(m) <= SPLIT_BLOCK]))
        self.sounds = list(sounds.values())  # the closing pass's (:meth:`sound_pairs`)

    def keys(self, feats: dict[int, Row]) -> Keys:
        """This round's pairs, given the mentions' current context.

        The blocks are :func:`context_keys`' blocks, keyed by group and entity rather than by
        key string (a million-report store has millions of context keys)."""
        return _unique(self._pairs(_context_parts(feats, self.big), self.fixed))

    def sound_pairs(self, feats: dict[int, Row]) -> Keys:
        """The pairs of two spellings of one sound (:func:`sound_keys`; two mentions of one
        spelling share their own key, the rounds' to compare) that no key every round shares
        makes. They are compared once, not in every round, so a block is compared whole up to
        :data:`BLOCK_CAP`; a bigger one is split as :meth:`keys` splits one, by ``feats`` (the
        closing pass's: the context the rounds built)."""
        found: list[Keys] = []
        for members in self.sounds:
            parts = _split(members, feats) if len(members) > BLOCK_CAP else [members]
            for part in parts:
                if not 2 <= len(part) <= BLOCK_CAP:
                    continue
                spelt: dict[frozenset[str], list[int]] = defaultdict(list)
                for pk in part:
                    spelt[frozenset(feats[pk].get("aliases") or ())].append(pk)
                groups = [np.array(g, dtype=np.int64) for g in spelt.values()]
                found += [_cross_keys(a, b, self.report)
                          for i, a in enumerate(groups) for b in groups[i + 1:]]
        keys = _unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
        return np.setdiff1d(keys, self.fixed, assume_unique=True)

    def context_pairs(self, feats: dict[int, Row], changed: npt.NDArray[np.bool_]) -> Keys:
        """The pairs of the context blocks that hold a mention whose context ``changed``
        (indexed by mention key), split as :meth:`keys` splits them."""
        wanted = {b for pk, f in feats.items() if changed[pk] for b in _context_blocks(f)}
        return _unique(self._pairs(_context_parts(feats, wanted=wanted)))

    def _pairs(self, blocks: Iterable[list[int]], *more: Keys) -> Keys:
        """The keys of the pairs of ``blocks`` and ``more``, in one array, unsorted and with
        repeats (sorted once, in place, by :func:`_unique`: tens of millions of keys at 1M
        reports, written straight into the one array a block size and a chunk at a time)."""
        by_size: dict[int, list[list[int]]] = defaultdict(list)  # compared a size at a time
        for part in blocks:
            if 2 <= len(part) <= BLOCK_CAP:
                by_size[len(part)].append(part)
        sized = [np.array(parts, dtype=np.int64) for parts in by_size.values()]
        del by_size
        bound = sum(len(m) for m in more) + sum(b.shape[0] * _pairs_in(b.shape[1]) for b in sized)
        out = np.empty(bound, dtype=np.int64)
        n = 0
        for m in more:
            out[n : n + len(m)] = m
            n += len(m)
        while sized:
            rows = sized.pop()
            step = max(1, PAIR_CHUNK // _pairs_in(rows.shape[1]))
            for lo in range(0, rows.shape[0], step):
                found = _block_keys(rows[lo : lo + step], self.report)
                out[n : n + len(found)] = found
                n += len(found)
        return _shrunk(out, n)


PAIR_CHUNK = 1 << 20  # candidate keys made, or compacted, at a time


def _pairs_in(size: int) -> int:
    return size * (size - 1) // 2


def _shrunk(keys: Keys, n: int) -> Keys:
    """The first ``n`` of ``keys``, in the same memory where NumPy can give the rest back."""
    try:
        keys.resize(n, refcheck=False)
        return keys
    except ValueError:  # a view of another array's memory
        return keys[:n].copy()


def _unique(keys: Keys) -> Keys:
    """``keys`` sorted, each once, in place: ``keys`` is the caller's to give up (np.unique
    hashes, several times slower on millions of keys, and a sorted copy and a filtered copy
    of tens of millions of keys were a full run's peak)."""
    keys.sort()
    if not len(keys):
        return keys
    kept, last = 1, keys[0]
    for lo in range(1, len(keys), PAIR_CHUNK):
        chunk = keys[lo : lo + PAIR_CHUNK].copy()
        earlier = np.concatenate(([last], chunk[:-1]))
        last = chunk[-1]
        new = chunk[chunk != earlier]
        keys[kept : kept + len(new)] = new  # never past what is still to be read
        kept += len(new)
    return _shrunk(keys, kept)


def _block_keys(blocks: npt.NDArray[np.int64], report: npt.NDArray[np.int64]) -> Keys:
    """The keys of every pair within each row of ``blocks`` (blocks of one size), but for two
    mentions of one report."""
    i, j = np.triu_indices(blocks.shape[1], 1)
    a, b = blocks[:, i].ravel(), blocks[:, j].ravel()
    other = report[a] != report[b]
    a, b = a[other], b[other]
    return (np.minimum(a, b) << SHIFT) | np.maximum(a, b)


def _cross_keys(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64],
                report: npt.NDArray[np.int64]) -> Keys:
    """The keys of every pair of one mention of ``a`` and one of ``b``, but for two mentions of
    one report."""
    x, y = np.repeat(a, len(b)), np.tile(b, len(a))
    other = report[x] != report[y]
    x, y = x[other], y[other]
    return (np.minimum(x, y) << SHIFT) | np.maximum(x, y)


def _context_parts(feats: dict[int, Row], big: Iterable[list[int]] = (),
                   wanted: set[tuple[str, str]] | None = None) -> list[list[int]]:
    """The context blocks of ``feats`` (those in ``wanted``, if given) and the ``big`` own
    blocks, each too big to compare whole split by :func:`_split`. The blocks' index is let go
    on return, before their pairs are made."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, f in feats.items():
        for block in _context_blocks(f):
            if wanted is None or block in wanted:
                blocks[block].append(pk)
    parts: list[list[int]] = []
    for members in chain(big, blocks.values()):
        parts += _split(members, feats) if len(members) > SPLIT_BLOCK else [members]
    return parts


def _touching(keys: Keys, changed: npt.NDArray[np.bool_]) -> Keys:
    """The pairs of ``keys`` one of whose mentions ``changed``."""
    return keys[changed[keys >> SHIFT] | changed[keys & ((1 << SHIFT) - 1)]]


def _split(members: list[int], feats: dict[int, Row]) -> list[list[int]]:
    """A block too big to compare whole ("jay", "chloe born 1993"), split by where each mention
    is from and what it is named with: the pairs that matter share one or the other."""
    towns: dict[str, list[int]] = defaultdict(list)
    named: dict[str, list[int]] = defaultdict(list)
    for pk in members:
        f = feats[pk]
        for town in f.get("locality") or ():
            towns[town].append(pk)
        for entity in f.get("context") or ():
            named[entity].append(pk)
    return [*towns.values(), *named.values()]


def one_network(xs: list[int], ys: list[int], feats: dict[int, Row]) -> bool:
    """Whether two clusters' reports name mostly the same people and places with them: two
    or more, and at least half of those the smaller side names. The first members of a
    man's two halves may each be named with other children of his ("Jimmy" with Jacob in
    one half, with David and Nazia in the other), so that their cross pairs fall short
    although his two halves name the same four children; two men of one nickname in two
    networks share a child at most, through a wrong merge."""
    def named(group: list[int]) -> set[str]:
        return {e for pk in group for e in feats[pk].get("context") or ()}

    a, b = named(xs), named(ys)
    common = len(a & b)
    return common >= 2 and 2 * common >= min(len(a), len(b))


def _across_again(ra: npt.NDArray[np.int64], rb: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Which pairs of reports (``ra[i]``, ``rb[i]``, either way round) occur more than once:
    sorted once, so that a million-report store's millions of pairs cost a few arrays."""
    both = (np.minimum(ra, rb) << SHIFT) | np.maximum(ra, rb)
    del ra, rb
    order = np.argsort(both, kind="stable")
    both = both[order]
    again = np.zeros(len(both), dtype=bool)
    if len(both) > 1:
        same = both[1:] == both[:-1]
        again[1:] |= same
        again[:-1] |= same
    out = np.zeros(len(both), dtype=bool)
    out[order] = again
    return out


def _renamed(f: Row, renames: dict[str, str]) -> Row:
    """A mention's features as they would be were each entity of ``renames`` the one it maps
    to (two entities merged): its context and network name the one."""
    context = tuple(dict.fromkeys(renames.get(e, e) for e in f["context"]))
    network = tuple(dict.fromkeys(renames.get(e, e) for e in f["network"]))
    changed = context != f["context"] or network != f["network"]
    return {**f, "context": context, "network": network,
            "lone": f["lone"] and not changed} if changed else f


def _name_entities(clusters: Clusters, entity_of: dict[int, str]) -> None:
    """Name every mention's entity after its cluster (its smallest mention key)."""
    for g in clusters.groups():
        eid = f"P-{min(g)}"
        for pk in g:
            entity_of[pk] = eid


def _apart(keys: Keys, clusters: Clusters, size: int) -> Keys:
    """The pairs of ``keys`` whose two mentions are in different clusters."""
    roots = np.arange(size, dtype=np.int64)
    for pk in clusters.parent:
        roots[pk] = clusters.find(pk)
    return keys[roots[keys >> SHIFT] != roots[keys & ((1 << SHIFT) - 1)]]


REPEATS = {"comparison": "report", "level": "a copy of the record that names this person"}


def repeated_pairs(people: list[Row], derived: dict[int, list[int]]) -> set[tuple[int, int]]:
    """Each person a derived report names, with the one person of the report it repeats who
    is like them: of one age group, and with a first name, nickname or identifier in common
    and no two surnames; only where each is the other's one such person ("Natalia" in a copy
    of a record naming one Natalia, not one of two Natalias)."""
    if not derived:
        return set()
    of_report: dict[int, list[Row]] = defaultdict(list)
    for m in people:
        of_report[m["report"]].append(m)
    pairs: set[tuple[int, int]] = set()
    for copy, originals in derived.items():
        theirs = [m for report in originals for m in of_report.get(report, ())]
        ours = of_report.get(copy, [])
        like = {(a["pk"], b["pk"]) for a in ours for b in theirs
                if _alike(a["features"], b["features"])}
        firsts, seconds = Counter(a for a, _ in like), Counter(b for _, b in like)
        pairs |= {(a, b) for a, b in like if firsts[a] == 1 and seconds[b] == 1}
    return pairs


def _alike(f: Row, g: Row) -> bool:
    if f.get("group") != g.get("group"):
        return False
    if f.get("surname_key") and g.get("surname_key") and f["surname_key"] != g["surname_key"]:
        return False
    return any(set(f.get(k) or ()) & set(g.get(k) or ()) for k in ("first_alts", "aliases", "ids"))


class Resolver:
    """Runs resolution over all current mentions of a store's partnership."""

    def __init__(
        self, model: PersonModel, decisions: list[Row] | None = None, *, closing: bool = True
    ) -> None:
        """``closing``: end with the closing pass (:meth:`_closing`); training reads the
        features of the rounds without it (``splink_model.resolved_features``)."""
        self.model = model
        self.closing = closing
        self.confirm = [(d["a"], d["b"]) for d in decisions or [] if d["decision"] == "confirm"]
        self.split = [(d["a"], d["b"]) for d in decisions or [] if d["decision"] == "split"]
        # the last round's features and term frequencies: for training, and for resolving
        # new reports against this resolution later
        self.person_features: dict[int, Row] = {}
        self.frequencies: TermFrequencies = model.shipped_frequencies()
        self.place_edges: list[Row] = []
        # the rarer spellings of first names and surnames, and the commoner names they block with
        self.near = NO_NEAR
        # the compared place pairs of a run: only those waiting for people change by round
        self._place_pairs = PlacePairs([], [], [], set(), {})
        # average linkage's verdict on two clusters, by (root, root, joint size): a cluster
        # changes only by growing, so the same key is the same two clusters and the same verdict
        self._verdicts: dict[tuple[int, int, int], bool] = {}
        # and by the two samples compared, in order: clusters grown past the sample size
        # compare the same members as before
        self._sampled: dict[tuple[tuple[int, ...], tuple[int, ...]], bool] = {}
        # the last round's context of the mentions the closing pass saw change, and how many
        # of the merges are the last round's: those are explained with the features they were
        # scored on
        self._round_context: dict[int, tuple[Any, Any, Any]] = {}
        self._round_merges = 0
        # (a mention of a derived report, the one it repeats): see repeated_pairs
        self._repeats: set[tuple[int, int]] = set()

    def run(
        self,
        mentions: list[Row],
        links: list[Row],
        orgs: dict[int, str] | None = None,
        local: set[int] | None = None,
        derived: dict[int, list[int]] | None = None,
    ) -> Resolution:
        """Resolve every mention; ``orgs`` (report -> organisation) lends each report the towns
        its organisation usually reports from, and ``local`` (the reports of the profile's
        ``local_agencies`` that name a place, ``Store.place_reports_of``) lends them to the
        places those reports name without an address; ``derived`` (report -> the reports it
        only repeats, ``Store.derived_sources``) joins the people a copy names to those of
        its original (:func:`repeated_pairs`).
        Of ``links``, only those of :data:`ITEM_LINKS` are read (a person and the vehicles and
        phones that are theirs)."""
        by_kind: dict[str, list[Row]] = defaultdict(list)
        for m in mentions:
            by_kind[m["kind"]].append(m)
        out = Resolution()
        edges: list[Row] = []
        for kind, fn in (("phone", _phones), ("vehicle", _vehicles)):
            groups, found = fn(by_kind[kind])
            self._assign(out, groups, {"phone": "T", "vehicle": "V"}[kind])
            edges += found
        in_report: dict[int, list[int]] = defaultdict(list)
        for m in mentions:
            if m["kind"] in ("person", "place"):
                in_report[m["report"]].append(m["pk"])
        seen = org_towns(by_kind["person"], orgs or {})
        home = home_towns(seen)
        where = {org: Reporter(frozenset(home[org]), frozenset(seen[org])) for org in home}
        homes = {report: where[org] for report in local or ()
                 if (org := (orgs or {}).get(report)) in where}
        self._place_pairs = place_pairs(by_kind["place"], homes)
        del homes
        self._places(out, by_kind["place"], in_report)
        self._repeats = repeated_pairs(by_kind["person"], derived or {})
        people = with_locality(by_kind["person"], orgs or {}, home)
        self.model = self.model.for_size(len(people))
        merges = self._people(out, people, links, in_report, by_kind["place"])
        later = self.place_edges + join_by_driver(out.entity_of, by_kind["vehicle"], links)
        out.edges = chain(edges, self._person_edges(merges), later)
        out.keys = self._index_keys(mentions)
        out.features = self.person_features  # the store writes sets as lists
        out.entities = entity_rows(out.entity_of, mentions)
        return out

    def _index_keys(self, mentions: list[Row]) -> Iterator[tuple[str, int]]:
        for m in mentions:
            if m["kind"] != "person":
                yield from ((k, m["pk"]) for k in item_keys(m))
        # a rarer spelling is kept under the commoner names too, for reports added later
        for pk, f in self.person_features.items():
            yield from ((k, pk) for k in person_keys(f, self.near))

    def _person_edges(self, merges: list[tuple[int, int, float]]) -> Iterator[Row]:
        """The evidence of the last round's and the closing pass's merges, with the reasons
        the model gives for each pair on the features it was scored on: the closing pass
        rebuilds some mentions' context, and a last-round merge explained with that context
        would show reasons that do not add up to its weight."""
        feats, tf = self.person_features, self.frequencies
        for i, (a, b, weight) in enumerate(merges):
            if weight == math.inf:
                reasons = [{"comparison": "analyst", "level": "confirmed as one person"}]
                yield {"a": a, "b": b, "weight": 99.0, "reasons": reasons}
            else:
                fa, fb = feats[a], feats[b]
                if i < self._round_merges:
                    fa, fb = self._as_scored(a, fa), self._as_scored(b, fb)
                ev = self.model.score(fa, fb, tf)
                copied = [REPEATS] if (a, b) in self._repeats else []
                yield {"a": a, "b": b, "weight": round(weight, 3),
                       "reasons": copied + ev.as_json()}

    def _as_scored(self, pk: int, f: Row) -> Row:
        """A mention's features as the last round scored them (before the closing pass)."""
        before = self._round_context.get(pk)
        if before is None:
            return f
        return {**f, "context": before[0], "network": before[1], "lone": before[2]}

    def _places(
        self, out: Resolution, places: list[Row], in_report: dict[int, list[int]]
    ) -> None:
        """Resolve places, with the people each report names once those are resolved."""
        context = {
            m["pk"]: frozenset(
                e
                for o in in_report[m["report"]]
                if (e := out.entity_of.get(o)) is not None and e.startswith("P-")
            )
            for m in places
        }
        groups, self.place_edges = resolve_places(self._place_pairs, context)
        self._assign(out, groups, "L")

    @staticmethod
    def _assign(out: Resolution, groups: list[list[int]], prefix: str) -> None:
        for g in groups:
            eid = f"{prefix}-{min(g)}"
            for pk in g:
                out.entity_of[pk] = eid

    def _people(
        self,
        out: Resolution,
        people: list[Row],
        links: list[Row],
        in_report: dict[int, list[int]],
        places: list[Row],
    ) -> list[tuple[int, int, float]]:
        """Resolve people in rounds; return the last round's merges (pair and weight)."""
        report_of = {m["pk"]: m["report"] for m in people}
        own_items: dict[int, set[int]] = defaultdict(set)
        for lk in links:
            if lk["type"] in ITEM_LINKS:
                own_items[lk["src"]].add(lk["dst"])
        entity_of = out.entity_of
        for m in people:
            entity_of[m["pk"]] = f"m{m['pk']}"
        merges: list[tuple[int, int, float]] = []
        carried: Carry | None = None  # from the previous round's scores: levels that carry over
        blocking: Blocking | None = None
        shared = SharedValues()
        own = [self._own_features(m, own_items, entity_of, shared) for m in people]
        del shared
        for m, f in zip(people, own, strict=True):
            m["features"] = f  # one copy per mention: the features as read are not needed again
        # what the comparisons picked pair by pair read, coded once: no round changes it
        reads = ReadCodes.of({m["pk"]: f for m, f in zip(people, own, strict=True)},
                             self.model.tf_features)
        for round_ in range(ROUNDS):
            tf = term_frequencies(people, entity_of, self.model, distinct=round_ > 0)
            hood, again = _neighbourhoods(in_report, entity_of)
            feats = {
                m["pk"]: self._with_context(f, m, in_report, entity_of, hood, again)
                for m, f in zip(people, own, strict=True)
            }
            del hood, again  # every mention's context and network are built
            clusters = Clusters(feats, report_of, self.split)
            self._verdicts.clear()
            self._sampled.clear()
            merges = []
            for a, b in self.confirm:
                if a in feats and b in feats and clusters.union(a, b, force=True):
                    merges.append((a, b, math.inf))
            if blocking is None:
                blocking = Blocking(feats, report_of)
                self.near = blocking.near
            scores = score_all(feats, blocking.keys(feats), self.model, tf, carried, reads)
            merges += self._merge(scores, clusters, feats, tf, entity_of)
            carried = scores.carry()
            if round_ == ROUNDS - 1:  # kept for the closing pass, not through another round
                last = clusters
                # the pairs a changed context could still bring to the match weight
                named = (scores.weights >= CLOSING_FLOOR) & (scores.agreeing > 0)
                near = scores.keys[named & (scores.weights < MATCH_WEIGHT)]
                # and for pairs that are each other's context, those the clusters refused too
                pool = scores.keys[named]
                del named
            del scores, clusters  # before the next round's
            # a place name common to several towns joins through the people both reports name
            self._places(out, places, in_report)
        self._round_merges = len(merges)
        if people and self.closing:
            merges = self._closing(
                out, people, own, in_report, feats, last, tf, carried, near, merges, blocking,
                pool, reads,
            )
        self._verdicts.clear()
        self._sampled.clear()
        self.person_features = feats if people else {}
        self.frequencies = tf if people else self.model.shipped_frequencies()
        return merges

    def _closing(
        self,
        out: Resolution,
        people: list[Row],
        own: list[Row],
        in_report: dict[int, list[int]],
        feats: dict[int, Row],
        clusters: Clusters,
        tf: TermFrequencies,
        carried: Carry | None,
        near: Keys,
        merges: list[tuple[int, int, float]],
        blocking: Blocking | None = None,
        pool: Keys | None = None,
        reads: ReadCodes | None = None,
    ) -> list[tuple[int, int, float]]:
        """A last pass: what the last round merged changes what its mentions' reports name, so
        the pairs split across its clusters whose report context changed are scored again with
        that context, and merged on top of the last round's clusters (``merges``); return the
        merges that stand after it.

        Each round builds its context from the round before, so two mentions whose merge
        waits on another's (a man known as "Sunny" named with a child the last round resolved)
        would need one more round; a whole round from scratch undoes as much as it adds. The
        pass adds merges, and moves a mention that a single weak merge holds where it is when
        its new context ties it far more strongly elsewhere (:class:`Holds`): rounds that each
        start from the last can put "Victoria, 15" with a namesake in another town in one round
        and with the Victoria her report's man is named with in the next."""
        entity_of = out.entity_of
        hood, again = _neighbourhoods(in_report, entity_of)
        changed = np.zeros(max(feats) + 1, dtype=bool)
        for m, f in zip(people, own, strict=True):
            before = (f["context"], f["network"], f["lone"])
            self._with_context(f, m, in_report, entity_of, hood, again)
            if before != (f["context"], f["network"], f["lone"]):
                changed[m["pk"]] = True
                self._round_context[m["pk"]] = before
        del hood, again
        keys = _apart(near, clusters, len(changed))
        keys = _touching(keys, changed)
        if blocking is not None:
            # and the pairs the new context blocks together that the last round never compared:
            # "Kas" and "Kaz", too short for typo keys, met only through the girl both reports
            # name, whom the second round had split from herself, so the last round kept them
            # apart
            keys = np.union1d(keys, self._fresh_pairs(blocking, feats, changed, carried, clusters))
            # and the pairs of short nicknames alike in sound, with the context the rounds built
            keys = np.union1d(keys, _apart(blocking.sound_pairs(feats), clusters, len(changed)))
        self._verdicts.clear()
        self._sampled.clear()
        # only the mentions of these pairs: each mention's columns are its own
        pks = np.unique(np.concatenate((keys >> SHIFT, keys & ((1 << SHIFT) - 1))))
        scores = score_all({pk: feats[pk] for pk in pks.tolist()}, keys, self.model, tf, carried,
                           reads)
        held = Holds(merges, len(changed))
        added = self._merge(scores, clusters, feats, tf, entity_of, held)
        if pool is not None:
            added += self._jointly(people, feats, clusters, tf, entity_of,
                                   _apart(pool, clusters, len(changed)))
        added += self._repeated(feats, clusters, tf, entity_of)
        kept = [m for m in merges if (min(m[0], m[1]), max(m[0], m[1])) not in held.dropped]
        self._round_merges = len(kept)
        return kept + added

    def _jointly(
        self,
        people: list[Row],
        feats: dict[int, Row],
        clusters: Clusters,
        tf: TermFrequencies,
        entity_of: dict[int, str],
        near: Keys,
    ) -> list[tuple[int, int, float]]:
        """Two pairs that are each other's missing context, merged together.

        Two reports each naming a "Siobhan, 13" and a man known as "Dollar": the two girls
        would merge if the two men were one (a linked person in common), and the two men if
        the two girls were, but neither pair merges alone, so rounds that each build context
        from the last never join either (collective resolution's deadlock). Of the pairs the
        last round scored with something naming a person in common (``near``), still apart
        and now under the match weight, two that lie across the same two reports are scored
        again as if the other pair were one; where both then reach the match weight, and the
        four clusters, seen as they would be after both merges, pass the checks any merge
        passes, both are merged.
        """
        report_of = np.zeros(max(feats) + 1, dtype=np.int64)
        for m in people:
            report_of[m["pk"]] = m["report"]
        near = near[_across_again(report_of[near >> SHIFT], report_of[near & ((1 << SHIFT) - 1)])]
        across: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for key in near.tolist():
            a, b = key >> SHIFT, key & ((1 << SHIFT) - 1)
            if report_of[a] > report_of[b]:
                a, b = b, a
            weight, agreeing = self.model.quick(feats[a], feats[b], tf)
            if agreeing and CLOSING_FLOOR <= weight < MATCH_WEIGHT:
                across[(int(report_of[a]), int(report_of[b]))].append((a, b))
        found: list[tuple[float, int, int, int, int, dict[str, str]]] = []
        for pairs in across.values():
            for (a, b), (x, y) in combinations(pairs, 2):
                if a == x or b == y:
                    continue
                renames = {entity_of[y]: entity_of[x], entity_of[b]: entity_of[a]}
                w1 = self.model.weight(_renamed(feats[a], renames), _renamed(feats[b], renames),
                                       tf)
                w2 = self.model.weight(_renamed(feats[x], renames), _renamed(feats[y], renames),
                                       tf)
                if min(w1, w2) >= MATCH_WEIGHT:
                    found.append((min(w1, w2), a, b, x, y, renames))
        merges: list[tuple[int, int, float]] = []
        for _, a, b, x, y, renames in sorted(found, key=lambda f: (-f[0], f[1:5])):
            if len({clusters.find(pk) for pk in (a, b, x, y)}) < 4:
                continue  # one pair already one, or a side in two of them
            if clusters.why_not(a, b, False) is not None or clusters.why_not(x, y, False):
                continue
            sides = [clusters.root_members(clusters.find(pk)) for pk in (a, b, x, y)]
            overlay = {pk: _renamed(feats[pk], renames) for side in sides for pk in side}
            if not all(self._coherent_as(sides[i], sides[i + 1], overlay, tf) for i in (0, 2)):
                continue
            # both were checked above on four clusters apart: the first merge changes nothing
            # the second's checks read
            if not (clusters.union(a, b) and clusters.union(x, y)):
                raise AssertionError(f"pairs {a}-{b} and {x}-{y} passed their checks apart only")
            for pk, f in overlay.items():
                feats[pk].update(context=f["context"], network=f["network"], lone=f["lone"])
            # weighed again: an earlier joint merge may have changed a side's features since
            merges += [(a, b, self.model.weight(feats[a], feats[b], tf)),
                       (x, y, self.model.weight(feats[x], feats[y], tf))]
        if merges:
            self._verdicts.clear()
            self._sampled.clear()
            _name_entities(clusters, entity_of)
        return merges

    def _repeated(self, feats: dict[int, Row], clusters: Clusters, tf: TermFrequencies,
                  entity_of: dict[int, str]) -> list[tuple[int, int, float]]:
        """The people a copy of another agency's record names, merged with those of the
        original (:func:`repeated_pairs`) where the rounds left them apart: the copy says it
        only repeats the record, so "Natalia, 16" and the man known as "Sheriff" in it are
        the Natalia and the Sheriff of the record, though nothing else the copy names is
        named anywhere else ("nothing in common within two steps"). The checks any merge
        passes still hold (an analyst's split, two sexes, two surnames); where both are
        already with others, the two clusters must read as one."""
        merges: list[tuple[int, int, float]] = []
        for a, b in sorted(self._repeats):
            if clusters.find(a) == clusters.find(b) or clusters.why_not(a, b) is not None:
                continue
            ma, mb = (clusters.root_members(clusters.find(pk)) for pk in (a, b))
            if len(ma) > 1 and len(mb) > 1 and not self._coherent_as(ma, mb, feats, tf):
                continue
            clusters.union(a, b)
            merges.append((a, b, self.model.weight(feats[a], feats[b], tf)))
        if merges:
            self._verdicts.clear()
            self._sampled.clear()
            _name_entities(clusters, entity_of)
        return merges

    def _coherent_as(self, ma: list[int], mb: list[int], feats: dict[int, Row],
                     tf: TermFrequencies) -> bool:
        """:meth:`_coherent` of two clusters with the features given (no weight cached)."""
        if len(ma) == 1 and len(mb) == 1:
            return True
        mean = self._mean_weight(ma[:LINKAGE_SAMPLE], mb[:LINKAGE_SAMPLE], feats, tf, None)
        return mean >= LINKAGE_WEIGHT or one_network(ma, mb, feats)

    @staticmethod
    def _fresh_pairs(blocking: Blocking, feats: dict[int, Row], changed: npt.NDArray[np.bool_],
                     carried: Carry | None, clusters: Clusters) -> Keys:
        """The pairs of the context blocks rebuilt by the closing pass that hold a mention
        whose context changed, that lie in two clusters and that the last round did not score
        (``carried``: its keys, sorted)."""
        fresh = _touching(blocking.context_pairs(feats, changed), changed)
        if carried is not None and len(carried.keys) and len(fresh):
            at = np.searchsorted(carried.keys, fresh).clip(max=len(carried.keys) - 1)
            fresh = fresh[carried.keys[at] != fresh]  # np.isin would copy both
        return _apart(fresh, clusters, len(changed))

    def _merge(
        self,
        scores: Scores,
        clusters: Clusters,
        feats: dict[int, Row],
        tf: TermFrequencies,
        entity_of: dict[int, str],
        held: Holds | None = None,
    ) -> list[tuple[int, int, float]]:
        """Merge the scored pairs, strongest first, where the clusters allow; name every
        mention's entity after its cluster; return the merges (pair and weight). ``held``
        (the closing pass): a pair the clusters refuse may move one of its mentions."""
        kept = np.flatnonzero((scores.weights >= MATCH_WEIGHT) & (scores.agreeing > 0))
        order = kept[np.lexsort((scores.keys[kept], -scores.weights[kept]))]
        firsts, seconds = scores.pairs(order)
        merges: list[tuple[int, int, float]] = []
        for weight, a, b, corroborated in zip(
            scores.weights[order].tolist(),
            firsts,
            seconds,
            (scores.agreeing[order] >= CORROBORATED).tolist(),
            strict=True,
        ):
            if clusters.find(a) == clusters.find(b):
                continue
            # average linkage stops one weak link (a shared nickname) chaining two people;
            # a pair agreeing on two identifying things is not such a link
            coherent = corroborated or self._coherent(clusters, a, b, feats, tf, scores)
            if (coherent and clusters.union(a, b, lenient=corroborated)) or (
                held is not None and self._move(clusters, a, b, weight, corroborated, held,
                                                feats, tf, scores)
            ):
                merges.append((a, b, weight))
                if held is not None:
                    held.joined(a, b, weight)
        _name_entities(clusters, entity_of)
        return merges

    def _move(
        self,
        clusters: Clusters,
        a: int,
        b: int,
        weight: float,
        corroborated: bool,
        held: Holds,
        feats: dict[int, Row],
        tf: TermFrequencies,
        scores: Scores,
    ) -> bool:
        """Move ``a`` to ``b``'s cluster (or ``b`` to ``a``'s) where one merge, weaker than
        ``weight`` by :data:`MOVE_MARGIN` or more, holds it in its own, and the move is coherent
        by the same checks as any merge; else change nothing."""
        for x, y in ((a, b), (b, a)):
            if not held.movable(x, weight):
                continue
            old = held.partner_of(x)
            clusters.detach(x)
            self._verdicts.clear()  # a cluster no longer only grows: its key is not its state
            if (corroborated or self._coherent(clusters, x, y, feats, tf, scores)) and (
                clusters.union(x, y, lenient=corroborated)
            ):
                held.moved(x, old)
                return True
            clusters.union(x, old, force=True)
            self._verdicts.clear()
        return False

    def _coherent(
        self,
        clusters: Clusters,
        a: int,
        b: int,
        feats: dict[int, Row],
        tf: TermFrequencies,
        scores: Scores,
    ) -> bool:
        """Average linkage: the two clusters as wholes must still look like one person.

        A single strong pair can chain two different people through one shared nickname; the
        mean weight over (a sample of) all cross pairs refuses such a merge.
        """
        ra, rb = clusters.find(a), clusters.find(b)
        ma, mb = clusters.root_members(ra), clusters.root_members(rb)
        state = (min(ra, rb), max(ra, rb), len(ma) + len(mb))
        verdict = self._verdicts.get(state)
        if verdict is not None:  # the same two clusters, unchanged: the same answer
            return verdict
        ma, mb = ma[:LINKAGE_SAMPLE], mb[:LINKAGE_SAMPLE]
        if len(ma) == 1 and len(mb) == 1:
            return True
        samples = (tuple(ma), tuple(mb))
        verdict = self._sampled.get(samples)
        if verdict is None:
            verdict = self._mean_weight(ma, mb, feats, tf, scores) >= LINKAGE_WEIGHT
            self._sampled[samples] = verdict
        if not verdict:
            verdict = one_network(clusters.root_members(ra), clusters.root_members(rb), feats)
        self._verdicts[state] = verdict
        return verdict

    def _mean_weight(
        self, ma: list[int], mb: list[int], feats: dict[int, Row], tf: TermFrequencies,
        scores: Scores | None,
    ) -> float:
        """The mean weight of the cross pairs of two samples that compare something naming a
        person (:meth:`PersonModel.comparable`), summed in this order; +inf when none does.
        ``scores``: the weights known, and where the others are kept; None to score every
        pair from ``feats``."""
        total = 0.0
        crosses = [(x, y) for x in ma for y in mb if self.model.comparable(feats[x], feats[y])]
        if not crosses:
            return math.inf
        known = (scores.weights_of([(x << SHIFT) | y if x < y else (y << SHIFT) | x
                                    for x, y in crosses])
                 if scores is not None else [None] * len(crosses))
        for (x, y), weight in zip(crosses, known, strict=True):
            if weight is None:  # not a candidate: scored now, in the order asked
                weight = self.model.weight(feats[x], feats[y], tf)
                if scores is not None:
                    scores.remember(min(x, y), max(x, y), weight)
            total += weight
        return total / len(crosses)

    @staticmethod
    def _own_features(
        m: Row, own_items: dict[int, set[int]], entity_of: dict[int, str], shared: SharedValues
    ) -> Row:
        """A person's features with sets as frozensets, and ``items``: the entities of its own
        phones and vehicles. Built once: none of it changes from one round to the next.

        Equal values are one object (``shared``): a few thousand first names, nicknames and
        birth years recur across hundreds of thousands of mentions."""
        f = m["features"]
        items = sorted({entity_of[i] for i in own_items.get(m["pk"], ())})
        return {
            **{
                k: shared(intern(v) if isinstance(v, str) else v)
                for k, v in f.items()
                if k not in READ_INTO_LOCALITY
            },
            **{k: shared(frozenset(map(intern, f.get(k) or ())) or NONE) for k in SET_FEATURES},
            "items": shared(frozenset(items) or NONE),
        }

    @staticmethod
    def _with_context(
        own: Row,
        m: Row,
        in_report: dict[int, list[int]],
        entity_of: dict[int, str],
        hood: dict[str, set[str]],
        again: set[str],
    ) -> Row:
        """A person's own features plus what its report ties it to (relational evidence).

        ``context``: the resolved people and places named in the same report (a mention not yet
        resolved names nothing). ``network``: those and what they are named with in other
        reports (within two steps): one man named with different children of one network shares
        that network's people and places. ``lone``: nothing in its context is named by another
        report, so its network could not have overlapped another mention's yet (every mention
        is lone in the first round).
        """
        me = entity_of[m["pk"]]
        context = set()
        for other in in_report.get(m["report"], ()):
            e = entity_of.get(other)
            if other != m["pk"] and e is not None and e[0] in "PL":
                context.add(e)
        network: set[str] = set()
        for e in context:
            network |= hood.get(e, set())
        network = (network | context) - {me}
        # in place: one features dict per mention for the whole run, not one per round (the
        # last round's are dropped before the next is built)
        # as tuples: a small frozenset takes four times the memory, and these change by round
        own["context"], own["network"] = tuple(context), tuple(network)
        own["lone"] = bool(context) and context.isdisjoint(again)
        return own


class Holds:
    """Which merge holds each mention in its cluster, for the closing pass.

    The merges of a round join clusters two at a time, so they form a tree over each cluster;
    a mention with one merge is a leaf of it, and taking it out leaves the others joined. Only
    such a mention may move, and only its merge's weight is kept (an analyst's confirm weighs
    infinitely: it never moves). Arrays by mention pk: a million-report store has millions of
    mentions and most are in no merge.
    """

    def __init__(self, merges: list[tuple[int, int, float]], size: int) -> None:
        self.degree = np.zeros(size, dtype=np.int32)
        self.weight = np.full(size, np.inf, dtype=np.float64)
        self.partner = np.full(size, -1, dtype=np.int64)
        self.dropped: set[tuple[int, int]] = set()
        if not merges:
            return
        a = np.fromiter((m[0] for m in merges), np.int64, len(merges))
        b = np.fromiter((m[1] for m in merges), np.int64, len(merges))
        w = np.fromiter((m[2] for m in merges), np.float64, len(merges))
        np.add.at(self.degree, a, 1)
        np.add.at(self.degree, b, 1)
        for x, y in ((a, b), (b, a)):
            leaf = self.degree[x] == 1
            self.weight[x[leaf]] = w[leaf]
            self.partner[x[leaf]] = y[leaf]

    def movable(self, x: int, weight: float) -> bool:
        return bool(self.degree[x] == 1 and weight >= self.weight[x] + MOVE_MARGIN)

    def partner_of(self, x: int) -> int:
        return int(self.partner[x])

    def joined(self, a: int, b: int, weight: float) -> None:
        for x, y in ((a, b), (b, a)):
            self.degree[x] += 1
            leaf = self.degree[x] == 1
            self.weight[x] = weight if leaf else np.inf
            self.partner[x] = y if leaf else -1

    def moved(self, x: int, old: int) -> None:
        """``x`` left the merge with ``old`` (its new one is :meth:`joined` next)."""
        self.dropped.add((min(x, old), max(x, old)))
        self.degree[x] -= 1
        self.degree[old] -= 1
        # the merge left holding ``old`` is not known here: it does not move
        self.weight[old] = np.inf


class SharedValues:
    """One object for each distinct value of the features of a run, read-only from then on.

    A list is shared with the lists equal to it (lists in features are never changed).
    """

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        kind = type(value)
        if kind is not list and kind is not frozenset:
            return value  # strings are interned, numbers small (and 1 == True: not to share)
        try:
            return self._values.setdefault((kind, *value) if kind is list else value, value)
        except TypeError:  # holds something unhashable (a map): kept as it is
            return value


def entity_rows(entity_of: dict[int, str], mentions: list[Row]) -> list[Row]:
    """One row per entity: kind, a readable label, aliases and names seen."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for m in mentions:
        grouped[entity_of[m["pk"]]].append(m)
    rows = []
    kinds = {"P": "person", "L": "place", "V": "vehicle", "T": "phone"}
    for eid, ms in grouped.items():
        aliases = Counter(a for m in ms for a in m["features"].get("alias_names") or [])
        labels = Counter(m["label"] for m in ms)
        roles = sorted({m["role"] for m in ms if m["role"]})
        # a name or a full plate reads better than a nickname or a partial plate
        label = min(
            labels.items(), key=lambda kv: ("?" in kv[0] or kv[0].startswith("'"), -kv[1], kv[0])
        )[0]
        rows.append(
            {
                "id": eid,
                "kind": kinds[eid[0]],
                "label": label,
                "data": {
                    "aliases": [a for a, _ in aliases.most_common()],
                    "labels": [lb for lb, _ in labels.most_common()],
                    "roles": roles,
                    "mentions": len(ms),
                },
            }
        )
    return rows
