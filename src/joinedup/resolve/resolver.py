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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from joinedup.resolve.cluster import Clusters
from joinedup.resolve.normalise import (
    Plate,
    as_current_start,
    plate_blocking_keys,
    plates_compatible,
)
from joinedup.resolve.parallel import score_all
from joinedup.resolve.places import core_name, resolve_places
from joinedup.resolve.scoring import PersonModel, TermFrequencies

Row = dict[str, Any]
BLOCK_CAP = 300  # even after splitting, a larger block is too common to be evidence
SPLIT_BLOCK = 100  # a block larger than this is split by town and context before comparing
MATCH_WEIGHT = 0.0  # match probability 0.5
ROUNDS = 2
NARROW_BIRTH = 3  # widest birth-year range still blocked on with a first name
# Identifying comparisons that must agree (date of birth, address, id, phone...) before a pair
# may merge clusters whose surnames, ids or exact ages look different: typos happen, namesakes too
CORROBORATED = 2
MIN_KNOWN_PLATE = 5  # known characters a partial plate needs before it can join a full one
LINKAGE_SAMPLE = 4  # members per side whose cross pairs are scored before two clusters merge
LINKAGE_WEIGHT = -3.0


@dataclass
class Resolution:
    """Which entity each mention belongs to, the entities, and the evidence of every merge."""

    entity_of: dict[int, str] = field(default_factory=dict)
    entities: list[Row] = field(default_factory=list)
    edges: list[Row] = field(default_factory=list)
    keys: list[tuple[str, int]] = field(default_factory=list)  # blocking key -> mention
    features: dict[int, Row] = field(default_factory=dict)  # resolved person features


def serialisable(features: Row) -> Row:
    """Features as JSON can hold them (sets become lists; their order means nothing, and sorting
    every set of every mention cost a tenth of a full run)."""
    return {k: list(v) if isinstance(v, frozenset | set) else v for k, v in features.items()}


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


def vehicles_agree(a: Row, b: Row) -> bool:
    """Make and colour, where both reports give them, must agree for a partial plate to join."""
    for key in ("make", "colour"):
        x, y = a.get(key), b.get(key)
        if x and y:
            tx, ty = set(str(x).casefold().split()), set(str(y).casefold().split())
            if not (tx <= ty or ty <= tx):  # "Toyota" agrees with "Toyota Avensis"
                return False
    return True


def _vehicles(ms: list[Row]) -> tuple[list[list[int]], list[Row]]:
    full: dict[str, list[int]] = defaultdict(list)
    partial: dict[str, list[int]] = defaultdict(list)
    feats = {m["pk"]: m["features"] for m in ms}
    for m in ms:
        f = m["features"]
        if f.get("plate") and not f.get("partial"):
            full[f["plate"]].append(m["pk"])
        else:
            partial[f.get("plate") or f"none:{m['pk']}"].append(m["pk"])
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
    for text, g in partial.items():
        if text.startswith("none:"):
            continue
        if sum(ch.isalnum() for ch in text) < MIN_KNOWN_PLATE:
            continue  # "MA02" names thousands of cars: too little to join a full plate
        for pk in g:
            plate = Plate(text, True, feats[pk].get("prefix") or "")
            candidates = {c for k in plate_blocking_keys(plate) for c in index.get(k, [])}
            fits = [
                c
                for c in sorted(candidates)
                if plates_compatible(plate, Plate(c, False, c))
                and any(vehicles_agree(feats[pk], feats[o]) for o in full[c])
            ]
            if len(fits) == 1:  # a partial plate joins a full one only when nothing else fits
                pairs.append((pk, full[fits[0]][0]))
                edges.append(
                    {
                        "a": pk,
                        "b": full[fits[0]][0],
                        "weight": 8.0,
                        "reasons": [
                            {
                                "comparison": "plate",
                                "level": f"partial {text} fits only {fits[0]}"
                                " (make and colour do not disagree)",
                            }
                        ],
                    }
                )
            else:  # the same partial plate twice is still one vehicle only if nothing disagrees
                first = g[0]
                if pk != first and vehicles_agree(feats[pk], feats[first]):
                    pairs.append((first, pk))
    return _union_groups([m["pk"] for m in ms], pairs), edges


MIN_DRIVEN_PLATE = 2  # known characters a partial plate needs to join its driver's vehicle


def join_by_driver(
    entity_of: dict[int, str], vehicles: list[Row], links: list[Row]
) -> list[Row]:
    """Join a partial plate too short to join on its own ("ME56", a Toyota Prius taxi) to the
    one vehicle its driver is known to drive with a plate it fits, once people are resolved.

    A partial plate alone names thousands of cars; the same man driving a car whose plate it
    fits, of a make and colour that do not disagree, names one. Updates ``entity_of`` and
    returns the evidence of each join.
    """
    driver = {lk["dst"]: entity_of.get(lk["src"]) for lk in links if lk["type"] == "drives"}
    feats = {m["pk"]: m["features"] for m in vehicles}
    groups: dict[str, list[int]] = defaultdict(list)
    for m in vehicles:
        groups[entity_of[m["pk"]]].append(m["pk"])
    driven: dict[str, set[str]] = defaultdict(set)  # person entity -> vehicle entities
    for pk, person in driver.items():
        if person and pk in feats:
            driven[person].add(entity_of[pk])
    edges: list[Row] = []
    for entity, members in sorted(groups.items()):
        if any(_full(feats[pk]) for pk in members):
            continue  # a full plate is joined by plate already
        for pk in members:
            f, person = feats[pk], driver.get(pk)
            text = f.get("plate") or ""
            if not person or sum(ch.isalnum() for ch in text) < MIN_DRIVEN_PLATE:
                continue
            plate = as_current_start(text) or Plate(text, True, f.get("prefix") or "")
            fits = sorted(
                other
                for other in driven[person] - {entity}
                if _group_fits(plate, f, [feats[o] for o in groups[other]])
            )
            if len(fits) != 1:
                continue
            target = fits[0]
            for o in groups[entity]:
                entity_of[o] = target
            groups[target] += groups.pop(entity)
            edges.append(
                {
                    "a": groups[target][0],
                    "b": pk,
                    "weight": 8.0,
                    "reasons": [
                        {"comparison": "plate", "level": f"partial {text} fits {target}"},
                        {"comparison": "driver", "level": f"driven by {person} in both"},
                    ],
                }
            )
            break
    return edges


def _full(f: Row) -> bool:
    """A full plate that is not also a bare start of a current-format one ("ME56")."""
    return bool(f.get("plate")) and not f.get("partial") and as_current_start(f["plate"]) is None


def _group_fits(plate: Plate, f: Row, others: list[Row]) -> bool:
    """Whether a partial plate fits every plate of a vehicle and nothing else disagrees."""
    plates = [o for o in others if o.get("plate")]
    return bool(plates) and all(
        plates_compatible(plate, Plate(o["plate"], bool(o.get("partial")), o.get("prefix") or ""))
        and vehicles_agree(f, o)
        for o in plates
    )


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
    for feature in ("aliases", "first_key", "ids"):
        holders: dict[str, set[str]] = defaultdict(set)
        for m in people:
            value = m["features"].get(feature)
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
        tables[feature] = {
            v: (len(h) + k * prior_table.get(v, prior_default)) / (total + k)
            for v, h in holders.items()
        }
        defaults[feature] = (1 + k * prior_default) / (total + k)
    return TermFrequencies(tables, defaults)


# compared as sets in every pair
SET_FEATURES = ("aliases", "first_alts", "ids", "locality", "areas", "addresses")
HUB = 60  # an entity named with more than this many others is a hub, not a neighbourhood


def _neighbourhoods(
    in_report: dict[int, list[int]], entity_of: dict[int, str]
) -> dict[str, set[str]]:
    """For each resolved person or place, the resolved people and places named with it."""
    hood: dict[str, set[str]] = defaultdict(set)
    for pks in in_report.values():
        ents = {e for pk in pks if (e := entity_of.get(pk)) is not None and e[0] in "PL"}
        for e in ents:
            hood[e] |= ents - {e}
    return {e: n for e, n in hood.items() if len(n) <= HUB}


HOME_SHARE = 0.5  # an organisation's home town: where at least half of its located reports are


def home_towns(people: list[Row], orgs: dict[int, str]) -> dict[str, set[str]]:
    """The town(s) an organisation mostly reports from: a school or a council reports from its
    own town; a regional police force has no single home and gets none."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    reports: dict[int, list[str]] = {}
    for m in people:
        reports[m["report"]] = m["features"].get("towns") or []
    for report, towns in reports.items():
        if report in orgs and towns:
            for t in towns:
                seen[orgs[report]][t] += 1
    out: dict[str, set[str]] = {}
    for org, counts in seen.items():
        total = sum(counts.values())
        out[org] = {t for t, n in counts.items() if n / total >= HOME_SHARE}
    return out


def with_locality(people: list[Row], orgs: dict[int, str]) -> list[Row]:
    """People with ``locality``: the towns their report names and its organisation's home."""
    home = home_towns(people, orgs)
    out = []
    for m in people:
        towns = set(m["features"].get("towns") or []) | home.get(orgs.get(m["report"], ""), set())
        out.append({**m, "features": {**m["features"], "locality": sorted(towns)}})
    return out


def identifiable(f: Row) -> bool:
    """A mention with no name, nickname, identifier, phone or vehicle names nobody in particular.

    "An older man" in two reports about one child may be two men: such a mention stays an
    entity of its own unless an analyst confirms otherwise.
    """
    return bool(f.get("first_key") or f.get("aliases") or f.get("ids") or f.get("items"))


def person_keys(f: Row) -> Iterator[str]:
    if not identifiable(f):
        return
    g = f.get("group", "adult")
    for alias in f.get("aliases") or []:
        yield f"{g}|a|{alias}"
    # the first name's key and the keys of what it may be short for or a typo of ("Karem" may
    # be "Kareem", "Sammy" "Samantha" or "Samuel")
    firsts = sorted({f["first_key"], *(f.get("first_alts") or ())}) if f.get("first_key") else []
    for first in firsts:
        if f.get("surname_key"):
            yield f"{g}|n|{first}|{f['surname_key']}"
        if f.get("birth") and f["birth"][1] - f["birth"][0] <= NARROW_BIRTH:
            # a first name and a witness's "in his forties" block too much to be worth it
            for year in range(f["birth"][0], f["birth"][1] + 1):
                yield f"{g}|fb|{first}|{year}"
    if f.get("surname_key") and f.get("birth") and f["birth"][1] - f["birth"][0] <= NARROW_BIRTH:
        # a first name mistyped or changed, the surname and the year of birth kept
        for year in range(f["birth"][0], f["birth"][1] + 1):
            yield f"{g}|sb|{f['surname_key']}|{year}"
    if f.get("dob"):
        yield f"{g}|d|{f['dob']}"
    for i in f.get("ids") or []:
        yield f"{g}|i|{i}"
    for item in f.get("items") or []:
        yield f"{g}|x|{item}"
    for c in f.get("context") or []:
        yield f"{g}|c|{c}"


def candidate_pairs(feats: dict[int, Row], report_of: dict[int, int]) -> set[tuple[int, int]]:
    """Pairs of person mentions sharing a blocking key, never two of one report."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for pk, f in feats.items():
        for key in person_keys(f):
            blocks[key].append(pk)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > SPLIT_BLOCK:
            for part in _split(members, feats).values():
                _add_pairs(pairs, part, report_of)
        else:
            _add_pairs(pairs, members, report_of)
    return pairs


def _split(members: list[int], feats: dict[int, Row]) -> dict[str, list[int]]:
    """A block too big to compare whole ("jay", "chloe born 1993"), split by where each mention
    is from and what it is named with: the pairs that matter share one or the other."""
    parts: dict[str, list[int]] = defaultdict(list)
    for pk in members:
        f = feats[pk]
        for town in f.get("locality") or ():
            parts[f"t|{town}"].append(pk)
        for entity in f.get("context") or ():
            parts[f"c|{entity}"].append(pk)
    return parts


def _add_pairs(pairs: set[tuple[int, int]], members: list[int], report_of: dict[int, int]) -> None:
    if len(members) < 2 or len(members) > BLOCK_CAP:
        return
    for a, b in combinations(members, 2):
        if report_of[a] != report_of[b]:
            pairs.add((a, b) if a < b else (b, a))


class Resolver:
    """Runs resolution over all current mentions of a store's partnership."""

    def __init__(self, model: PersonModel, decisions: list[Row] | None = None) -> None:
        self.model = model
        self.confirm = [(d["a"], d["b"]) for d in decisions or [] if d["decision"] == "confirm"]
        self.split = [(d["a"], d["b"]) for d in decisions or [] if d["decision"] == "split"]
        # the last round's features and term frequencies: for training, and for resolving
        # new reports against this resolution later
        self.person_features: dict[int, Row] = {}
        self.frequencies: TermFrequencies = model.shipped_frequencies()
        self._refused: set[tuple[int, int, int]] = set()  # cluster pairs average linkage refused
        self.place_edges: list[Row] = []

    def run(
        self, mentions: list[Row], links: list[Row], orgs: dict[int, str] | None = None
    ) -> Resolution:
        """Resolve every mention; ``orgs`` (report -> organisation) lends each report the towns
        its organisation usually reports from."""
        by_kind: dict[str, list[Row]] = defaultdict(list)
        for m in mentions:
            by_kind[m["kind"]].append(m)
        out = Resolution()
        for kind, fn in (("phone", _phones), ("vehicle", _vehicles)):
            groups, edges = fn(by_kind[kind])
            self._assign(out, groups, {"phone": "T", "vehicle": "V"}[kind])
            out.edges += edges
        in_report: dict[int, list[int]] = defaultdict(list)
        for m in mentions:
            if m["kind"] in ("person", "place"):
                in_report[m["report"]].append(m["pk"])
        self._places(out, by_kind["place"], in_report)
        people = with_locality(by_kind["person"], orgs or {})
        self._people(out, people, links, in_report, by_kind["place"])
        out.edges += self.place_edges
        out.edges += join_by_driver(out.entity_of, by_kind["vehicle"], links)
        for m in mentions:
            if m["kind"] != "person":
                out.keys += [(k, m["pk"]) for k in item_keys(m)]
        for pk, f in self.person_features.items():
            out.keys += [(k, pk) for k in person_keys(f)]
            out.features[pk] = serialisable(f)
        out.entities = entity_rows(out.entity_of, mentions)
        return out

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
        groups, self.place_edges = resolve_places(places, context)
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
    ) -> None:
        report_of = {m["pk"]: m["report"] for m in people}
        own_items: dict[int, set[int]] = defaultdict(set)
        for lk in links:
            if lk["type"] in ("drives", "uses_phone"):
                own_items[lk["src"]].add(lk["dst"])
        entity_of = out.entity_of
        for m in people:
            entity_of[m["pk"]] = f"m{m['pk']}"
        edges: list[Row] = []
        for round_ in range(ROUNDS):
            tf = term_frequencies(people, entity_of, self.model, distinct=round_ > 0)
            hood = _neighbourhoods(in_report, entity_of)
            feats = {
                m["pk"]: self._with_context(m, own_items, in_report, entity_of, hood)
                for m in people
            }
            clusters = Clusters(feats, report_of, self.split)
            self._refused.clear()
            edges = []
            for a, b in self.confirm:
                if a in feats and b in feats and clusters.union(a, b, force=True):
                    edges.append(
                        {
                            "a": a,
                            "b": b,
                            "weight": math.inf,
                            "reasons": [
                                {"comparison": "analyst", "level": "confirmed as one person"}
                            ],
                        }
                    )
            scored = []
            cache: dict[tuple[int, int], float] = {}
            pairs = sorted(candidate_pairs(feats, report_of))
            for (a, b), (weight, agreeing) in zip(
                pairs, score_all(feats, pairs, self.model, tf), strict=True
            ):
                cache[(a, b)] = weight
                if weight >= MATCH_WEIGHT and agreeing:
                    scored.append((weight, a, b, agreeing >= CORROBORATED))
            scored.sort(key=lambda s: (-s[0], s[1], s[2]))
            for weight, a, b, corroborated in scored:
                if clusters.find(a) == clusters.find(b):
                    continue
                if self._coherent(clusters, a, b, feats, tf, cache) and clusters.union(
                    a, b, lenient=corroborated
                ):
                    ev = self.model.score(feats[a], feats[b], tf)
                    edges.append(
                        {"a": a, "b": b, "weight": round(weight, 3), "reasons": ev.as_json()}
                    )
            for g in clusters.groups():
                for pk in g:
                    entity_of[pk] = f"P-{min(g)}"
            # a place name common to several towns joins through the people both reports name
            self._places(out, places, in_report)
        self.person_features = feats if people else {}
        self.frequencies = tf if people else self.model.shipped_frequencies()
        out.edges += [e if e["weight"] != math.inf else {**e, "weight": 99.0} for e in edges]

    def _coherent(
        self,
        clusters: Clusters,
        a: int,
        b: int,
        feats: dict[int, Row],
        tf: TermFrequencies,
        cache: dict[tuple[int, int], float],
    ) -> bool:
        """Average linkage: the two clusters as wholes must still look like one person.

        A single strong pair can chain two different people through one shared nickname; the
        mean weight over (a sample of) all cross pairs refuses such a merge.
        """
        ra, rb = clusters.find(a), clusters.find(b)
        state = (min(ra, rb), max(ra, rb), clusters.size(ra) + clusters.size(rb))
        if state in self._refused:  # the same two clusters, unchanged: the same answer
            return False
        ma, mb = clusters.sample(a, LINKAGE_SAMPLE), clusters.sample(b, LINKAGE_SAMPLE)
        if len(ma) == 1 and len(mb) == 1:
            return True
        total = 0.0
        for x in ma:
            for y in mb:
                key = (x, y) if x < y else (y, x)
                if key not in cache:
                    cache[key] = self.model.weight(feats[x], feats[y], tf)
                total += cache[key]
        if total / (len(ma) * len(mb)) >= LINKAGE_WEIGHT:
            return True
        self._refused.add(state)
        return False

    @staticmethod
    def _with_context(
        m: Row,
        own_items: dict[int, set[int]],
        in_report: dict[int, list[int]],
        entity_of: dict[int, str],
        hood: dict[str, set[str]],
    ) -> Row:
        """A person's features plus what its report ties it to (relational evidence).

        ``items``: the entities of its own phones and vehicles. ``context``: the resolved people
        and places named in the same report (a mention not yet resolved names nothing).
        ``network``: those and what they are named with in other reports (within two steps):
        one man named with different children of one network shares that network's people and
        places.
        """
        items = sorted({entity_of[i] for i in own_items.get(m["pk"], ())})
        own = entity_of[m["pk"]]
        context = set()
        for other in in_report.get(m["report"], ()):
            e = entity_of.get(other)
            if other != m["pk"] and e is not None and e[0] in "PL":
                context.add(e)
        network: set[str] = set()
        for e in context:
            network |= hood.get(e, set())
        network = (network | context) - {own}
        f = m["features"]
        return {
            **f,
            **{k: frozenset(f.get(k) or ()) for k in SET_FEATURES},
            "items": frozenset(items),
            "context": frozenset(context),
            "network": frozenset(network),
        }


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
