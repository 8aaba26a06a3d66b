"""Places: the same takeaway, flat or hotel named by different reports.

Names are compared on their distinctive words ("the Spice Hut takeaway" and "Spice Hut" agree;
"flat above Tandoori Bite" and "flat above Tandoori Hut" do not), within a location that does
not conflict (postcode district, town of the address, coordinates). Pairs are merged strongest
first, and a merge is refused when the two clusters as wholes name different towns, districts
or kinds of place, so that a mention with no location cannot bridge two parks of one name in
two towns, or when one is known by its town alone and the other by a postcode in an area the
store's places never put that town in.

A description by street ("a flat on Spotland Road") is not a name: it joins a mention whose
street address is on that street ("9a Spotland Road") when both give the same full postcode (then
a street misspelt, "a flat on Spotland Rod", is that street too), or, once people are resolved,
when the two reports name the same person.

A name seen in several towns ("Town Park", or a chain's "Grill Corner") joins across reports
only with a shared location, or, once people are resolved, when the two reports name the same
person: a child who tells two agencies about "the Grill Corner" names one place.

A care home's records name the home itself (the profile's ``own_premises``): "Heather Court"
in the records of two homes is two homes of one name unless one full postcode ties them, and
the name is then common, as a name seen in two towns is.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, product, takewhile
from typing import Any

from rapidfuzz import fuzz

from joinedup.resolve.normalise.postcodes import district_area

Row = dict[str, Any]
BLOCK_CAP = 300
NAME_SCORE = 88
MAX_KM = 2.0
# Words that say where in or what kind of premises, not which premises.
GENERIC = frozenset(
    {
        "the",
        "flat",
        "flats",
        "above",
        "over",
        "upstairs",
        "rear",
        "of",
        "behind",
        "takeaway",
        "take",
        "away",
        "at",
    }
)


# Words that put a place above, over or behind premises named after them
POSITION = frozenset({"above", "over", "upstairs", "behind", "rear"})

HOMES = frozenset({"flat", "house", "room", "bedsit", "maisonette", "home"})
"""Kinds of a place where someone lives."""
_HOME_WORDS = frozenset({"flat", "flats", "bedsit", "maisonette"})
"""Words that make a name a home's wherever they are in it ("house" and "home" name other
premises too: "Pizza House", "Oak Lodge care home")."""

# "a flat on Spotland Road": a kind of home described by its street, not a name
_ON_STREET = re.compile(
    rf"^(?:an? |the )?(?:{'|'.join(sorted(HOMES))})s? (?:on|in) (?P<street>.+)$"
)


@lru_cache(maxsize=1 << 16)
def described_street(name_key: str) -> str | None:
    """The street of a name that only describes a home by its street ("a flat on Spotland
    Road" gives "spotland road"), else None."""
    m = _ON_STREET.match(name_key)
    return m.group("street") if m else None


def premises_street(premises: str) -> str:
    """The street of a street address: "9a spotland road" gives "spotland road"."""
    return premises.split(" ", 1)[1] if " " in premises else premises


STREET_SCORE = 90
"""How alike (rapidfuzz ratio) a described street and an address's street must be to be one
street misspelt ("a flat on Whitworth Rod", "122a Whitworth Road"), where both give one full
postcode."""


def _on_one_street(fx: Row, fy: Row, misspelt: bool = False) -> tuple[str, str] | None:
    """The street, and what the other mention is, when one mention describes a home on the
    street where the other's address is, and the other may be a home ("a flat on Spotland
    Road", "9a Spotland Road"), or where the premises the other is above stand ("flat above
    Pizza Point", whose address is on that street: ``above_street``, :func:`_with_streets`);
    ``misspelt``: or on a street named almost alike (:data:`STREET_SCORE`); else None."""
    for a, b in ((fx, fy), (fy, fx)):
        street = described_street(a["name_key"])
        if not street or not _may_be_home(b):
            continue
        if b.get("premises"):
            on, what = premises_street(b["premises"]), "an address on it"
        elif b.get("above_street"):
            on, what = b["above_street"], "a home above premises on it"
        else:
            continue
        if on == street or misspelt and fuzz.ratio(on, street) >= STREET_SCORE:
            return on, what
    return None


def _may_be_home(f: Row) -> bool:
    """Whether a place mention may be someone's home: its kind is a home's, or, with no kind
    given, it is named by its street address or by a word for a home. "Golden Corner, 108
    Moss Lane" with no kind is named premises, not "a flat on Moss Lane" in its postcode,
    whatever a narrative that never says "takeaway" leaves out."""
    if f.get("kind"):
        return f["kind"] in HOMES
    name, premises = f["name_key"], f.get("premises") or ""
    return (bool(premises) and f"{name} ".startswith(f"{premises} ")) \
        or not _HOME_WORDS.isdisjoint(name.split())


@lru_cache(maxsize=1 << 16)
def core_name(name_key: str) -> str:
    """The distinctive words of a place name, in order (cached: places are compared in every
    round of people, the same names each time)."""
    return " ".join(w for w in name_key.split() if w not in GENERIC) or name_key


def _shortened(x: str, y: str) -> bool:
    """Whether one name's words are all in the other, with a distinctive word among them."""
    wx, wy = set(x.split()), set(y.split())
    small, large = (wx, wy) if len(wx) <= len(wy) else (wy, wx)
    return small <= large and any(len(w) >= 4 for w in small)


def _km(a: Row, b: Row) -> float | None:
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return None
    dy = (a["lat"] - b["lat"]) * 111.0
    dx = (a["lon"] - b["lon"]) * 111.0 * math.cos(math.radians(a["lat"]))
    return math.hypot(dx, dy)


@dataclass
class _Cluster:
    members: list[int]
    reports: set[int]
    towns: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    premises: set[str] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)
    owners: set[str] = field(default_factory=set)


class _Clusters:
    def __init__(self, ms: list[Row], areas_of: Mapping[str, set[str]]) -> None:
        self.areas_of = areas_of  # the postcode areas of each town (PlacePairs.areas)
        self.parent = {m["pk"]: m["pk"] for m in ms}
        self.data: dict[int, _Cluster] = {}
        for m in ms:
            f = m["features"]
            self.data[m["pk"]] = _Cluster(
                [m["pk"]],
                {m["report"]},
                {f["town"]} if f.get("town") else set(),
                {f["district"]} if f.get("district") else set(),
                {f["kind"]} if f.get("kind") else set(),
                {f["premises"]} if f.get("premises") else set(),
                {f["postcode"]} if f.get("postcode") else set(),
                {f["owner"]} if f.get("owner") else set(),
            )

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        ca, cb = self.data[ra], self.data[rb]
        for mine, theirs in (
            (ca.towns, cb.towns),
            (ca.districts, cb.districts),
            (ca.kinds, cb.kinds),
            (ca.premises, cb.premises),
            (ca.postcodes, cb.postcodes),
        ):
            if mine and theirs and not mine & theirs:
                return False
        if ca.owners and cb.owners and not (ca.owners & cb.owners or ca.postcodes & cb.postcodes):
            return False  # each home's own records (one full postcode ties them: one home)
        if ca.reports & cb.reports or self._areas_differ(ca, cb) or self._areas_differ(cb, ca):
            return False
        self.parent[rb] = ra
        ca.members += cb.members
        for attr in ("reports", "towns", "districts", "kinds", "premises", "postcodes", "owners"):
            getattr(ca, attr).update(getattr(cb, attr))
        del self.data[rb]
        return True

    def groups(self) -> list[list[int]]:
        return [sorted(c.members) for c in self.data.values()]

    def _areas_differ(self, known_by_town: _Cluster, known_by_postcode: _Cluster) -> bool:
        """Whether a cluster located by its town alone and one by its postcode alone lie in
        different postcode areas: the store's other places put the town in areas the postcode
        is not in (a "Best Shop" in Ashton-under-Lyne, OL, and one at M8: two shops). Areas,
        not districts: a town spans districts the store may not have seen yet."""
        if known_by_postcode.towns or not known_by_town.towns or not known_by_postcode.districts:
            return False
        areas = {a for t in known_by_town.towns for a in self.areas_of.get(t, ())}
        return bool(areas) and areas.isdisjoint(map(district_area, known_by_postcode.districts))


def _town_areas(ms: list[Row]) -> dict[str, set[str]]:
    """The postcode areas the store's places put each town in (where a place gives both)."""
    out: dict[str, set[str]] = defaultdict(set)
    for m in ms:
        f = m["features"]
        if f.get("town") and f.get("district"):
            out[f["town"]].add(district_area(f["district"]))
    return out


@dataclass(frozen=True, slots=True)
class Reporter:
    """Where a report's organisation reports from: its home town (where most of its located
    reports are) and its area (every town any of them names)."""

    home: frozenset[str]
    area: frozenset[str]


def common_names(ms: list[Row], homes: Mapping[int, Reporter] | None = None) -> set[str]:
    """Place names seen in more than one town: they say which kind of place, not which place.

    A mention that names no town counts in its reporter's home town where the profile takes
    the reporter's agency to speak of its own town (``homes``: report -> where its organisation
    reports from): "Golden Point" told of by a school in Heywood and one in Todmorden is two
    takeaways until something says otherwise. Not where a report names the place in a town of
    the organisation's area, though: a police force or a council whose reports are mostly of
    Shipley, telling of "Star Point" that other reports put in Keighley, where it also reports
    from, is not evidence of a second Star Point.
    """
    towns: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    unplaced: list[tuple[str, Reporter]] = []
    for m in ms:
        f = m["features"]
        if f.get("owner"):  # "Heather Court" in two care homes' own records: two homes
            owners[core_name(f["name_key"])].add(f["owner"])
        if f.get("town"):
            towns[core_name(f["name_key"])].add(f["town"])
        elif homes and (where := homes.get(m["report"])) and len(where.home) == 1:
            unplaced.append((core_name(f["name_key"]), where))
    # after every placed mention: whether the name is placed in the reporter's area is read
    # from the towns reports give, not from other reporters' home towns
    homed = [(name, where.home) for name, where in unplaced
             if where.area.isdisjoint(towns.get(name, ()))]
    for name, home in homed:
        towns[name] |= home
    return {name for name, seen in (*towns.items(), *owners.items()) if len(seen) > 1}


def _with_towns(ms: list[Row]) -> list[Row]:
    """Give a place known only by its postcode the town that postcode district has elsewhere."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for m in ms:
        f = m["features"]
        if f.get("district") and f.get("town"):
            seen[f["district"]][f["town"]] += 1
    out = []
    for m in ms:
        f = m["features"]
        if f.get("district") and not f.get("town") and seen.get(f["district"]):
            f = {**f, "town": seen[f["district"]].most_common(1)[0][0]}
        out.append({**m, "features": f})
    return out


def _with_streets(ms: list[Row]) -> list[Row]:
    """Give a place above, over or behind premises ("flat above Pizza Point"), told of without
    an address, where those premises are, where every address the store has for that name is
    on one street of one town ("Pizza Point, 135 York Street, Keighley"): the flat above is on
    that street too (``above_street``), so "a flat on York Street" in its postcode may be it;
    and where that is one address (``above_premises``, with ``above_town``), "135a York Street,
    Keighley" is it. The mentions are the copies :func:`_with_towns` made."""
    at: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for m in ms:
        f = m["features"]
        if f.get("premises") and POSITION.isdisjoint(f["name_key"].split()):
            at[core_name(f["name_key"])].add((f["premises"], f.get("town")))
    if not at:
        return ms
    for m in ms:
        f = m["features"]
        if f.get("premises") or POSITION.isdisjoint(f["name_key"].split()):
            continue
        found = at.get(core_name(f["name_key"]))
        if not found or len({(premises_street(p), t) for p, t in found}) > 1:
            continue
        premises, town = next(iter(found))
        if f.get("town") and town and f["town"] != town:
            continue
        f = {**f, "above_street": premises_street(premises)}
        if len(found) == 1 and town:
            f |= {"above_premises": premises, "above_town": town}
        m["features"] = f
    return ms


def _above_at(fx: Row, fy: Row) -> str | None:
    """The address, when one mention is above premises at a known address ("flat above Pizza
    Point", Pizza Point at 135 York Street, Keighley) and the other's street address in that
    town has the same house number and street ("135a York Street") and may be a home."""
    for a, b in ((fx, fy), (fy, fx)):
        if not (a.get("above_premises") and b.get("premises") and a["above_town"] == b.get("town")
                and _may_be_home(b)):
            continue
        number, _, street = a["above_premises"].partition(" ")
        other, _, other_street = b["premises"].partition(" ")
        if street == other_street and _digits(number) == _digits(other):
            return str(b["premises"])
    return None


def _digits(number: str) -> str:
    """The leading digits of a house number ("135a" gives "135")."""
    return "".join(takewhile(str.isdigit, number))


@dataclass
class PlacePairs:
    """The compared pairs of one set of place mentions, kept for the rounds that add people.

    Only a pair refused for a common name with no location can change when people are
    resolved; every other pair's verdict is fixed, so it is computed once.
    """

    ms: list[Row]
    # (weight, a, b, features a, features b): the evidence itself is written out again for
    # the pairs that merge (most never do, and a million-report store has millions of pairs)
    fixed: list[tuple[float, int, int, Row, Row]]
    waiting: list[tuple[int, int, Row, Row]]  # (a, b, features a, features b)
    common: set[str]
    areas: dict[str, set[str]]  # the postcode areas the places put each town in


def place_pairs(ms: list[Row], homes: Mapping[int, Reporter] | None = None) -> PlacePairs:
    """Block place mentions on their distinctive words, street address and street (a home
    described by its street meets the addresses on it), and compare them; ``homes`` (report ->
    where its organisation reports from) as :func:`common_names` reads it."""
    ms = _with_streets(_with_towns(ms))
    blocks: dict[str, list[Row]] = defaultdict(list)
    # homes described by their street, and street addresses, by street (and postcode, for
    # streets with too many addresses to compare each), and by postcode alone (a home on a
    # misspelt street meets the addresses of its postcode)
    described: dict[str | tuple[str, str], list[Row]] = defaultdict(list)
    on_street: dict[str | tuple[str, str], list[Row]] = defaultdict(list)
    # homes above premises, by street and postcode, and by street where the premises' address
    # is known
    above_in: dict[tuple[str, str], list[Row]] = defaultdict(list)
    above_on: dict[str, list[Row]] = defaultdict(list)
    for m in ms:
        for token in set(core_name(m["features"]["name_key"]).split()):
            if len(token) > 2:
                blocks[token].append(m)
        f = m["features"]
        if f.get("premises"):
            blocks[f"@{f['premises']}"].append(m)
            at = premises_street(f["premises"])
            on_street[at].append(m)
            if f.get("postcode"):
                on_street[(at, f["postcode"])].append(m)
        if street := described_street(f["name_key"]):
            described[street].append(m)
            if f.get("postcode"):
                described[(street, f["postcode"])].append(m)
                described[("@", f["postcode"])].append(m)  # its street may be misspelt
        if f.get("premises") and f.get("postcode"):
            on_street[("@", f["postcode"])].append(m)
        if f.get("above_street") and f.get("postcode"):
            above_in[(f["above_street"], f["postcode"])].append(m)
        if f.get("above_premises"):
            above_on[f["above_street"]].append(m)
    fixed, waiting, seen = [], [], set()
    common = common_names(ms, homes)
    anyone = frozenset({""})  # stands for "some person both reports name"
    candidates = [
        combinations(block, 2) for block in blocks.values() if len(block) <= BLOCK_CAP
    ] + [  # a home described by its street meets each address on that street
        product(homes, on_street[street])
        for street, homes in described.items()
        if len(on_street.get(street, ())) <= BLOCK_CAP
    ] + [  # and each home above premises on that street, in its postcode, or at a known address
        product(described[key], flats)
        for key, flats in (*above_in.items(), *above_on.items()) if key in described
    ] + [  # a home above premises at a known address meets the addresses on that street
        product(flats, on_street[street]) for street, flats in above_on.items()
        if len(on_street.get(street, ())) <= BLOCK_CAP
    ]
    for pairs in candidates:
        for x, y in pairs:
            key = (min(x["pk"], y["pk"]), max(x["pk"], y["pk"]))
            if key in seen or x["report"] == y["report"]:
                continue
            seen.add(key)
            edge = _compare(x["features"], y["features"], key, common, anyone)
            if edge is None:
                continue  # not even a person both reports name would join them
            if _located(x["features"], y["features"]):  # people change nothing: fixed
                fixed.append((edge["weight"], key[0], key[1], x["features"], y["features"]))
            else:  # no location to compare: a person both reports name joins or strengthens it
                waiting.append((key[0], key[1], x["features"], y["features"]))
    return PlacePairs(ms, fixed, waiting, common, _town_areas(ms))


Scored = tuple[float, int, int, Row, Row, frozenset[str]]  # weight, a, b, features, people


def _scored_pairs(pairs: PlacePairs, context: Mapping[int, frozenset[str]]) -> list[Scored]:
    out: list[Scored] = [(w, a, b, fa, fb, NOBODY) for w, a, b, fa, fb in pairs.fixed]
    for a, b, fa, fb in pairs.waiting:
        people = context.get(a, NOBODY) & context.get(b, NOBODY)
        if (edge := _compare(fa, fb, (a, b), pairs.common, people)) is not None:
            out.append((edge["weight"], a, b, fa, fb, people))
    out.sort(key=lambda s: (-s[0], s[1], s[2]))
    return out


NOBODY: frozenset[str] = frozenset()


def _located(fx: Row, fy: Row) -> bool:
    """Whether two place mentions share a postcode district or town, or both give coordinates."""
    shared = any(fx.get(a) and fx.get(a) == fy.get(a) for a in ("district", "town"))
    return shared or _km(fx, fy) is not None


def _compare(
    fx: Row,
    fy: Row,
    key: tuple[int, int],
    common: set[str],
    people: frozenset[str] = frozenset(),
) -> Row | None:
    """The evidence that two place mentions are one place, or None when they are not.

    ``people``: the person entities both reports name; a common name with no location to
    compare joins only through them.
    """
    for attr in ("kind", "district", "town"):
        if fx.get(attr) and fy.get(attr) and fx[attr] != fy[attr]:
            return None
    km = _km(fx, fy)
    if km is not None and km > MAX_KM:
        return None
    located = [a for a in ("district", "town") if fx.get(a) and fx.get(a) == fy.get(a)]
    if fx.get("premises") and fy.get("premises") and fx["premises"] != fy["premises"]:
        return None  # two street addresses: two "Queen Park"s or two branches of one shop
    if fx.get("postcode") and fy.get("postcode") and fx["postcode"] != fy["postcode"]:
        return None  # two full postcodes: one premises has one
    if fx.get("premises") and fx.get("premises") == fy.get("premises") and located:
        # one street address in one town: one place, whatever each report calls it
        return _edge(key, 12.0, f"same street address ({fx['premises']})",
                     f"same {_where(located[0])}")
    if (address := _above_at(fx, fy)) is not None:
        # "flat above Pizza Point" (135 York Street, Keighley) and "135a York Street, Keighley"
        return _edge(key, 11.0, f"above premises at the number of {address}", "same town")
    postcode = fx.get("postcode") if fx.get("postcode") == fy.get("postcode") else None
    on_street = _on_one_street(fx, fy, misspelt=postcode is not None)
    if on_street is not None and (postcode or (people and not located and km is None)):
        street, what = on_street
        # "a flat on Spotland Road" and "9a Spotland Road": one home if both give one full
        # postcode (a few dozen addresses), or both reports name one person
        return _edge(key, 11.0 if postcode else 10.0, f"a home on {street}, {what}",
                     f"same postcode ({postcode})" if postcode
                     else f"both reports name {min(people)}")
    if fx.get("owner") and fy.get("owner") and fx["owner"] != fy["owner"] and not postcode:
        # two care homes' records, each naming its own home: two homes of one name (one full
        # postcode says one home whose records two organisations keep)
        return None
    if _below(fx, fy) or _below(fy, fx):
        return None  # "flat above Royal Point" is not Royal Point
    core_x, core_y = core_name(fx["name_key"]), core_name(fy["name_key"])
    score = fuzz.token_sort_ratio(core_x, core_y)
    if score < NAME_SCORE and _shortened(core_x, core_y):
        score = NAME_SCORE  # "the Sultan's" for "Sultan's Grill": one name is the other, cut
    if score < NAME_SCORE:
        return None
    # "Town Park" names a park in many towns, "a flat on Union Street" one of many homes on
    # one of many Union Streets: only a shared location, or a person both reports name, joins
    vague = core_x in common or core_y in common or bool(
        described_street(fx["name_key"]) and described_street(fy["name_key"])
    )
    if not located and km is None and vague and not people:
        return None
    where = (
        f"same {_where(located[0])}"
        if located
        else f"{km:.1f} km apart"
        if km is not None
        else f"both reports name {min(people)}"
        if people
        else "no location to compare"
    )
    # a shared location, or a person both reports name, is what makes one name one place
    weight = score / 10 + (2 if located or km is not None else 1 if people else 0)
    return {
        "a": key[0],
        "b": key[1],
        "weight": round(weight, 2),
        "reasons": [
            {"comparison": "place name", "level": f"names {score:.0f}% alike"},
            {"comparison": "location", "level": where},
        ],
    }


def _edge(key: tuple[int, int], weight: float, address: str, location: str) -> Row:
    """The evidence of a pair joined by an address rule."""
    return {"a": key[0], "b": key[1], "weight": weight,
            "reasons": [{"comparison": "address", "level": address},
                        {"comparison": "location", "level": location}]}


def _below(fx: Row, fy: Row) -> bool:
    """Whether ``fx`` is a place above, over or behind premises and ``fy`` is named as the
    premises themselves (not a flat): the flat above a takeaway and the takeaway are two
    places, the one a child is taken to and the one a man works at."""
    return bool(POSITION & set(fx["name_key"].split())) \
        and not POSITION & set(fy["name_key"].split()) and fy.get("kind") != "flat"


def _where(attr: str) -> str:
    return "town" if attr == "town" else "postcode district"


def resolve_places(
    ms: list[Row] | PlacePairs, context: Mapping[int, frozenset[str]] | None = None
) -> tuple[list[list[int]], list[Row]]:
    """Groups of place mentions that are one place, and the evidence of every merge.

    ``ms``: the mentions, or their :func:`place_pairs` from an earlier call. ``context``: per
    place mention, the resolved people its report names (none before people are resolved).
    """
    pairs = ms if isinstance(ms, PlacePairs) else place_pairs(ms)
    clusters = _Clusters(pairs.ms, pairs.areas)
    scored = _scored_pairs(pairs, context or {})
    edges = [
        _compare(fa, fb, (a, b), pairs.common, people)  # the evidence again, of merges only
        for _, a, b, fa, fb, people in scored
        if clusters.union(a, b)
    ]
    return clusters.groups(), [e for e in edges if e is not None]
