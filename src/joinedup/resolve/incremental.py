"""Resolving a few new reports against what the store already resolved.

A full resolution compares every mention with every other; a concern submitted through a form
should not wait for that. Here each new mention is looked up through the blocking keys the last
full resolution stored (``block_key``), scored against the candidates' stored features
(``resolved``) with the same model, and joins the best entity that passes the same tests as in a
full run (a positive weight with something identifying, the cluster checks, average linkage), or
starts an entity of its own.

A new person mention can also show two existing entities to be one: "Tiger" with the phone of
one Tiger and the car of another. When it passes the same tests against a second entity, and the
two entities together still look like one person (the cluster checks and average linkage across
both), they are merged: a concern that joins two fragments raises what the two together justify
on arrival, not at the next full run.

What is not redone: merges between existing entities that no new mention touches, and the
two-step network feature (it needs the neighbourhood of every entity). A full ``process`` run
(``joinedup resolve``) recomputes both; ``joinedup ingest`` runs one when the new reports are
many.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from joinedup.resolve.cluster import Clusters
from joinedup.resolve.places import _compare as compare_places
from joinedup.resolve.resolver import (
    BLOCK_CAP,
    CORROBORATED,
    LINKAGE_SAMPLE,
    LINKAGE_WEIGHT,
    MATCH_WEIGHT,
    REPEATS,
    ROUNDS,
    item_keys,
    join_by_driver,
    near_lookup_keys,
    one_network,
    partial_plate_target,
    person_keys,
    repeated_pairs,
    vehicle_plate,
)
from joinedup.resolve.scoring import PersonModel, TermFrequencies
from joinedup.store import Store

Row = dict[str, Any]
PREFIX = {"person": "P", "place": "L", "vehicle": "V", "phone": "T"}
# A new mention joins an existing entity only on clearer evidence than a full run asks for: it is
# compared with one entity at a time, before the other new mentions it may belong with have
# gathered (a full run would first merge three reports of one "K" and then keep them apart
# from a fourth "K" elsewhere). The next full run reconsiders every pair.
MARGIN = 3.0


@dataclass
class Increment:
    """What resolving the new mentions found."""

    entity_of: dict[int, str] = field(default_factory=dict)
    edges: list[Row] = field(default_factory=list)
    keys: list[tuple[str, int]] = field(default_factory=list)
    features: dict[int, Row] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)  # existing entity -> the one it joined

    def current(self, entity: str) -> str:
        """The entity ``entity`` now belongs to, after any merges."""
        while entity in self.merged:
            entity = self.merged[entity]
        return entity


class IncrementalResolver:
    """Resolves the mentions of new reports one by one against the stored resolution."""

    def __init__(self, store: Store, model: PersonModel, tf: TermFrequencies) -> None:
        self.store, self.model, self.tf = store, model, tf
        self.out = Increment()
        self.batch_keys: dict[str, str] = {}  # keys seen in this batch -> entity
        self.batch_vehicles: dict[int, Row] = {}  # vehicle mentions of this batch
        self.person_edges: dict[int, Row | None] = {}
        # a new mention of a copy -> the stored mention it repeats and that one's entity
        self.original: dict[int, tuple[int, str]] = {}

    def run(self, mentions: list[Row], links: list[Row],
            derived: dict[int, list[int]] | None = None) -> Increment:
        """``derived``: each new report that repeats stored ones (``Store.derived_sources``);
        the people it names join the record's, as in a full run."""
        by_kind: dict[str, list[Row]] = defaultdict(list)
        for m in sorted(mentions, key=lambda m: m["pk"]):
            by_kind[m["kind"]].append(m)
        for m in by_kind["phone"] + by_kind["vehicle"] + by_kind["place"]:
            self._item(m)
        own: dict[int, set[int]] = defaultdict(set)
        for lk in links:
            if lk["type"] in ("drives", "uses_phone"):
                own[lk["src"]].add(lk["dst"])
        in_report: dict[int, list[int]] = defaultdict(list)
        for m in mentions:
            if m["kind"] in ("person", "place"):
                in_report[m["report"]].append(m["pk"])
        # children first: the adults named with them then share their entities as context
        people = sorted(
            by_kind["person"], key=lambda m: (m["features"].get("group") != "young", m["pk"])
        )
        # rounds, as in a full run: a child decided before the adults of its report had no
        # adult context, and the adults' choice depends on the child's
        for m in people:
            self.out.entity_of[m["pk"]] = f"P-{m['pk']}"
        self._originals(people, derived or {})
        for _ in range(ROUNDS):
            for m in people:
                self._person(m, own, in_report)
        self.out.edges += [e for e in self.person_edges.values() if e is not None]
        self._drivers(by_kind["vehicle"], links)
        for m in people:
            f = self._features(m, own, in_report)
            self.out.keys += [(k, m["pk"]) for k in person_keys(f)]
            self.out.features[m["pk"]] = f  # the store writes sets as lists
        self.out.entity_of = {pk: self.out.current(e) for pk, e in self.out.entity_of.items()}
        self.out.merged = {old: self.out.current(old) for old in self.out.merged}
        return self.out

    # -- phones, vehicles, places ---------------------------------------------------------
    def _assign(self, m: Row, entity: str | None, edge: Row | None = None) -> None:
        eid = entity or f"{PREFIX[m['kind']]}-{m['pk']}"
        self.out.entity_of[m["pk"]] = eid
        keys = item_keys(m) if m["kind"] != "person" else []
        self.out.keys += [(k, m["pk"]) for k in keys]
        for k in keys:
            self.batch_keys.setdefault(k, eid)
        if edge:
            self.out.edges.append(edge)

    def _known(self, keys: list[str]) -> dict[int, tuple[str, Row | None, Row]]:
        found = self.store.lookup_keys(keys, BLOCK_CAP)
        return self.store.resolved_of({m for ms in found.values() for m in ms})

    def _item(self, m: Row) -> None:
        keys = item_keys(m)
        if m["kind"] == "vehicle":
            self.batch_vehicles[m["pk"]] = m
            return self._assign(m, *self._vehicle(m, keys))
        exact = [k for k in keys if k.startswith("T|")]
        for k in exact:
            if k in self.batch_keys:
                return self._assign(m, self.batch_keys[k])
        if m["kind"] == "place":
            return self._assign(m, *self._place(m, keys))
        f = m["features"]
        for _, (entity, _, row) in sorted(self._known(keys).items()):
            if row["features"].get("e164") == f.get("e164"):
                return self._assign(m, entity, _edge(m, row, 30.0, "phone", "same number"))
        return self._assign(m, None)

    def _vehicle(self, m: Row, keys: list[str]) -> tuple[str | None, Row | None]:
        """A full plate joins the same plate; a partial plate what it would join in a full run
        (a shorter one waits for its driver, see `_drivers`)."""
        f = m["features"]
        plate = vehicle_plate(f)
        if plate is None:
            return None, None
        if not plate.partial:
            if (k := f"V|{plate.text}") in self.batch_keys:
                return self.batch_keys[k], None
            for _, (entity, _, row) in sorted(self._known(keys).items()):
                theirs = vehicle_plate(row["features"])
                if theirs is not None and not theirs.partial and theirs.text == plate.text:
                    return entity, _edge(m, row, 30.0, "plate", "same plate")
            return None, None
        known = self._known(keys)
        vehicles = self._vehicle_groups({e for e, _, _ in known.values()})
        for pk, other in self.batch_vehicles.items():
            if pk != m["pk"] and pk in self.out.entity_of:
                vehicles[self.out.entity_of[pk]].append(other)
        target = partial_plate_target(
            plate, f, {e: [r["features"] for r in rows] for e, rows in vehicles.items()}
        )
        if target is None:
            return None, None
        first = vehicles[target][0]
        return target, _edge(m, first, 8.0, "plate", f"partial {plate.text} fits {target}")

    def _vehicle_groups(self, entities: set[str]) -> dict[str, list[Row]]:
        """Every stored mention of some vehicle entities, by entity."""
        members = self.store.members_of(entities)
        rows = self.store.resolved_of({pk for pks in members.values() for pk in pks})
        out: dict[str, list[Row]] = defaultdict(list)
        for pk in sorted(rows):
            entity, _, row = rows[pk]
            out[self.out.current(entity)].append(row)
        return out

    def _drivers(self, vehicles: list[Row], links: list[Row]) -> None:
        """New vehicle mentions joined through their drivers, as a full run joins them once
        people are resolved: the drivers' stored vehicles and the new ones, by `join_by_driver`.
        A stored vehicle that joins another is merged into it."""
        drives = [lk for lk in links if lk["type"] == "drives"]
        current = self.out.current
        people = {
            current(self.out.entity_of[lk["src"]])
            for lk in drives
            if lk["src"] in self.out.entity_of and lk["dst"] in self.batch_vehicles
        }
        if not people:
            return
        olds = [e for e in self.out.merged if current(e) in people]
        stored = self.store.slice_of(self.store.reports_mentioning(people | set(olds)))
        drivers = {
            m["pk"]: current(m["entity"])
            for m in stored["mentions"]
            if m["entity"] and current(m["entity"]) in people
        }
        driven = {
            lk["dst"] for lk in stored["links"] if lk["type"] == "drives" and lk["src"] in drivers
        }
        entity_of = {pk: current(e) for pk, e in self.out.entity_of.items()} | drivers
        was: dict[int, str] = {}
        rows: list[Row] = list(vehicles)
        # the drivers' stored vehicles, and whole the stored vehicles the new ones joined
        entities = {m["entity"] for m in stored["mentions"] if m["pk"] in driven and m["entity"]}
        entities |= {entity_of[m["pk"]] for m in vehicles}
        for entity, members in self._vehicle_groups(entities).items():
            for row in members:
                if row["pk"] not in self.batch_vehicles:
                    was[row["pk"]] = entity_of[row["pk"]] = entity
                    rows.append(row)
        found = join_by_driver(entity_of, rows, drives + stored["links"])
        for m in vehicles:
            self.out.entity_of[m["pk"]] = entity_of[m["pk"]]
        new = {entity_of[m["pk"]] for m in vehicles}
        for pk, old in was.items():
            # stored vehicles join where a new mention now is; a join between stored vehicles
            # alone waits for the next full run, as for people
            if entity_of[pk] != old and entity_of[pk] in new:
                self.out.merged[old] = entity_of[pk]
        self.out.edges += [e for e in found if entity_of[e["a"]] in new]

    def _place(self, m: Row, keys: list[str]) -> tuple[str | None, Row | None]:
        best: tuple[float, str, Row] | None = None
        for pk, (entity, _, row) in self._known(keys).items():
            if row["report"] == m["report"]:
                continue
            edge = compare_places(
                m["features"], row["features"], (min(pk, m["pk"]), max(pk, m["pk"])), set()
            )
            if edge and (best is None or edge["weight"] > best[0]):
                best = (edge["weight"], entity, edge)
        return (best[1], best[2]) if best else (None, None)

    # -- people ---------------------------------------------------------------------------
    def _features(self, m: Row, own: dict[int, set[int]], in_report: dict[int, list[int]]) -> Row:
        e = self.out.entity_of
        items = frozenset(e[i] for i in own.get(m["pk"], ()) if i in e)
        context = frozenset(
            e[o]
            for o in in_report.get(m["report"], ())
            if o != m["pk"] and o in e and e[o][0] in "PL"
        )
        f = m["features"]
        return {
            **f,
            **{
                k: frozenset(f.get(k) or ())
                for k in ("aliases", "first_alts", "ids", "areas", "addresses")
            },
            "locality": frozenset(f.get("towns") or ()),
            "items": items,
            "context": context,
            **self._network(context),
        }

    def _network(self, context: frozenset[str]) -> Row:
        """The context and what it is named with in stored reports (within two steps); and
        ``lone``, as in a full run: no stored report names anything in the context."""
        if not context:
            return {"network": frozenset(), "lone": False}
        near = self.store.entities_in_reports(self.store.reports_mentioning(context))
        return {
            "network": frozenset({e for e in near if e[0] in "PL"} | context),
            "lone": not near,
        }

    def _originals(self, people: list[Row], derived: dict[int, list[int]]) -> None:
        """The stored person each new mention of a copy repeats (:func:`repeated_pairs`)."""
        if not derived:
            return
        stored = self.store.slice_of({s for sources in derived.values() for s in sources})
        theirs = [m for m in stored["mentions"] if m["kind"] == "person" and m["entity"]]
        entity = {m["pk"]: m["entity"] for m in theirs}
        for a, b in repeated_pairs([*people, *theirs], derived):
            if b in entity:
                self.original[a] = (b, entity[b])

    def _person(self, m: Row, own: dict[int, set[int]], in_report: dict[int, list[int]]) -> None:
        f = self._features(m, own, in_report)
        if m["pk"] in self.original and self._repeats(m, f):
            return
        keys = [*person_keys(f), *near_lookup_keys(f)]
        by_entity: dict[str, list[tuple[float, int, Row]]] = defaultdict(list)
        for pk, (stored, resolved, row) in self._known(keys).items():
            if resolved is None or row["report"] == m["report"]:
                continue
            entity = self.out.current(stored)
            weight, agreeing = self.model.quick(f, as_sets(resolved), self.tf)
            by_entity[entity].append(
                (weight, agreeing, {**resolved, "_pk": pk, "_report": row["report"]})
            )
        ranked = sorted(
            ((max(c[0] for c in cands), entity) for entity, cands in by_entity.items()),
            reverse=True,
        )
        joined: str | None = None
        for weight, entity in ranked:
            best = max(by_entity[entity], key=lambda c: c[0])
            if weight < MATCH_WEIGHT + MARGIN or not best[1]:
                break
            corroborated = best[1] >= CORROBORATED
            partner = (best[2]["_pk"], as_sets(best[2]), best[2]["_report"])
            if entity == joined or not self._fits(m, f, entity, corroborated, partner):
                continue
            if joined is not None and not self._one_person(
                joined, entity, corroborated, (m["pk"], f, m["report"]), partner
            ):
                continue
            ev = self.model.score(f, partner[1], self.tf)
            self.out.edges.append(
                {"a": best[2]["_pk"], "b": m["pk"], "weight": round(weight, 3),
                 "reasons": ev.as_json()}
            )
            if joined is None:
                joined = entity
            else:  # this mention shows two stored entities to be one person
                self.out.merged[entity] = joined
        self.out.entity_of[m["pk"]] = joined or f"P-{m['pk']}"

    def _repeats(self, m: Row, f: Row) -> bool:
        """Join a copy's mention to the person of the record it repeats, where the cluster
        checks allow; whether it did."""
        pk, stored = self.original[m["pk"]]
        entity = self.out.current(stored)
        known = self.store.resolved_of([pk]).get(pk)
        if known is None or known[1] is None:
            return False
        partner = (pk, as_sets(known[1]), known[2]["report"])
        if self.out.entity_of[m["pk"]] != entity and not self._fits(m, f, entity, False, partner):
            return False
        ev = self.model.score(f, partner[1], self.tf)
        self.person_edges[m["pk"]] = {
            "a": pk, "b": m["pk"], "weight": round(ev.weight, 3),
            "reasons": [REPEATS, *ev.as_json()]}
        self.out.entity_of[m["pk"]] = entity
        return True

    def _members(self, entity: str) -> list[int]:
        """Stored members of an entity and of every stored entity merged into it."""
        olds = [e for e in self.out.merged if self.out.current(e) == entity]
        found = self.store.members_of([entity, *olds])
        return [pk for e in (entity, *olds) for pk in found.get(e, [])]

    def _one_person(
        self, a: str, b: str, lenient: bool, mine: Member, partner: Member
    ) -> bool:
        """Whether two stored entities, taken whole, still look like one person; ``lenient``
        when the new mention (``mine``, joining ``a``) agrees with ``partner`` of ``b`` on two
        identifying things, as a full run's merge through that pair would be."""
        (xs, fa, ra), (ys, fb, rb) = self._sample(a), self._sample(b)
        if not (xs and ys):
            return False
        xs, ys = _with(xs, fa, ra, mine), _with(ys, fb, rb, partner)
        return self._coherent(xs, ys, fa | fb, ra | rb, lenient, (mine[0], partner[0]))

    def _fits(self, m: Row, f: Row, entity: str, lenient: bool, partner: Member) -> bool:
        """The cluster checks and average linkage of a full run, against the entity's members;
        ``partner`` is the member the new mention scored best with."""
        ys, feats, reports = self._sample(entity)
        if not ys:
            return False
        ys = _with(ys, feats, reports, partner)
        return self._coherent(
            [m["pk"]], ys, {**feats, m["pk"]: f}, {**reports, m["pk"]: m["report"]}, lenient,
            (m["pk"], partner[0]),
        )

    def _sample(self, entity: str) -> tuple[list[int], dict[int, Row], dict[int, int]]:
        """Stored members of an entity (as many as a cluster check reads), their resolved
        features and their reports."""
        members = self._members(entity)[: LINKAGE_SAMPLE * 4]
        known = self.store.resolved_of(members)
        feats = {pk: as_sets(r) for pk, (_, r, _) in known.items() if r is not None}
        reports = {pk: row["report"] for pk, (_, _, row) in known.items()}
        return [pk for pk in members if pk in feats], feats, reports

    def _coherent(
        self,
        xs: list[int],
        ys: list[int],
        feats: dict[int, Row],
        reports: dict[int, int],
        lenient: bool,
        pair: tuple[int, int],
    ) -> bool:
        """The cluster checks between two groups of mentions, each taken as one cluster, for
        a merge through ``pair`` (one mention of each), and average linkage over a sample of
        their cross pairs."""
        clusters = Clusters(feats, reports)
        for group in (xs, ys):
            for pk in group[1:]:
                clusters.union(group[0], pk, force=True)
        if clusters.why_not(pair[0], pair[1], lenient) is not None:
            return False
        if lenient:  # a pair agreeing on two identifying things is not one weak link
            return True
        mean = self.model.mean_weight([feats[x] for x in xs[:LINKAGE_SAMPLE]],
                                      [feats[y] for y in ys[:LINKAGE_SAMPLE]], self.tf)
        return mean >= LINKAGE_WEIGHT or one_network(xs, ys, feats)


Member = tuple[int, Row, int]  # a mention's pk, its features and its report


def _with(group: list[int], feats: dict[int, Row], reports: dict[int, int], one: Member
          ) -> list[int]:
    """``group`` with ``one`` in it (its features and report added), for a cluster check
    through that mention."""
    pk, f, report = one
    if pk in group:
        return group
    feats[pk], reports[pk] = f, report
    return [*group, pk]


def as_sets(features: Row) -> Row:
    """Stored person features (sets written as lists) as the model compares them."""
    return {
        k: frozenset(v) if isinstance(v, list) and k not in ("birth", "age_born") else v
        for k, v in features.items()
    }


def _edge(m: Row, other: Row, weight: float, comparison: str, level: str) -> Row:
    return {
        "a": other["pk"],
        "b": m["pk"],
        "weight": weight,
        "reasons": [{"comparison": comparison, "level": level}],
    }
