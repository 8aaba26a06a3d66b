"""Possibly the same person: mentions the resolver weighed against an entity and left apart.

A nickname alone is weak evidence. Two reports of a man "known as 'Kaz'", one from a girl
interviewed by the police and one from a youth project about another girl, share the nickname
and an age range and nothing else: the model weighs such a pair at about -2.7 bits (about one
such pair in eight is one man), and the resolver rightly keeps the two apart. Yet the men
of Rochdale were known only as "Tiger", "Master" and "Car Zero", and what each agency held was
a fragment of the same man. Someone who knows the area may know that there is one Kaz.

So an entity's page lists the person entities whose mentions share a blocking key with its own
(a nickname or its typo, a name, a date of birth, an identifier, a vehicle or phone), scored by
the same model the resolver uses, with the reasons, where something that names a person agrees,
the weight lies between :data:`POSSIBLE_WEIGHT` and the match weight, and the two entities'
mentions across weigh on average no less than :data:`MEAN_FLOOR` (one pair alike can hide the
rest disagreeing). Two entities with a pair of mentions weighing more than the match weight and
still apart were refused by a check of the two as wholes (their other mentions, a date of
birth, two children of one report); on generated scenarios such a check was wrong for about one
pair in 37, so those entities are not offered, whatever their other pairs weigh. An analyst
confirms a pair (it is one person from then on, on every later resolution) or splits it (it is
never suggested again). Nothing here changes the resolution or an alert by itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from joinedup.pipeline import person_model
from joinedup.profiles import load_profile
from joinedup.resolve.incremental import as_sets
from joinedup.resolve.resolver import (
    LINKAGE_SAMPLE,
    LINKAGE_WEIGHT,
    MATCH_WEIGHT,
    near_lookup_keys,
    own_keys,
)
from joinedup.resolve.scoring import Evidence, PersonModel, TermFrequencies, probability
from joinedup.store import Store

__all__ = ["POSSIBLE_WEIGHT", "PossibleMatch", "described", "offered_pairs", "possible_matches",
           "resolution_model"]

Row = dict[str, Any]

# The lowest match weight shown: 2**-3, odds of one in eight by the model (a probability of
# 0.11). On generated scenarios (docs/resolution.md, "Possibly the same person") about one pair
# in six offered was one person: one in five of children and other people, one in fifteen of
# people of concern, whose common nicknames ("Mo", "Big Man") several men share. Lower, the
# list is mostly such men.
POSSIBLE_WEIGHT = -3.0
# And the lowest mean weight of the two entities' mentions across (average linkage): the
# resolver's own bar for that, LINKAGE_WEIGHT, with the same slack of three bits. On generated
# scenarios (seeds 41-60) one pair in 140 below it was one person.
MEAN_FLOOR = LINKAGE_WEIGHT + (POSSIBLE_WEIGHT - MATCH_WEIGHT)
# The entity's mentions compared: those saying the most different things, up to this many (a
# man named in 200 reports says the same few things in most of them).
MAX_OWN = 40
LIMIT = 10  # other entities listed, best first
# A key held by more mentions than this is left out: a nickname a hundred reports give ("Mo" at
# 100,000 reports) weighs too little to suggest anyone, and comparing its holders is most of
# the page's time (the resolver blocks up to BLOCK_CAP, 300).
KEY_CAP = 100


@dataclass(frozen=True)
class PossibleMatch:
    """Another entity that may be the same person: its best pair with one of this entity's
    mentions, and the model's evidence for that pair."""

    entity: str
    mention: int  # the other entity's mention
    own: int  # this entity's mention it was compared with
    evidence: Evidence
    mean_weight: float  # over samples of both entities' mentions (average linkage)


def possible_matches(
    store: Store,
    entity_id: str,
    model: PersonModel,
    tf: TermFrequencies,
    *,
    floor: float = POSSIBLE_WEIGHT,
    limit: int = LIMIT,
) -> list[PossibleMatch]:
    """The person entities that may be ``entity_id`` (a person), best first (see the module
    docstring). ``model`` and ``tf``: those of the last resolution (:func:`resolution_model`).
    Pairs of one report are never compared (two people), nor entities an analyst split off."""
    members = store.members_of([entity_id]).get(entity_id, [])
    resolved = store.resolved_of(members)
    own = _distinct((pk, f) for pk, (_, f, _) in resolved.items() if f is not None)
    if not own:
        return []
    wanted: dict[int, list[str]] = {pk: [*own_keys(f), *near_lookup_keys(f)] for pk, f in own}
    found = store.lookup_keys({k for keys in wanted.values() for k in keys}, KEY_CAP)
    mine = set(members)
    others = store.resolved_of(
        {o for keys in found.values() for o in keys if o not in mine}
    )
    apart = _split_from(store, mine)
    reports = {pk: row["report"] for pk, (_, _, row) in resolved.items()}
    theirs = {pk: as_sets(f) for pk, (entity, f, _) in others.items()
              if f is not None and entity.startswith("P-") and entity != entity_id
              and entity not in apart}
    best: dict[str, tuple[float, int, int]] = {}  # other entity -> weight, own, other mention
    refused: set[str] = set()
    for pk, f in own:
        compared: set[int] = set()
        for key in wanted[pk]:
            for other in found.get(key, ()):
                if other in compared or other not in theirs:
                    continue
                compared.add(other)
                if others[other][2]["report"] == reports[pk]:
                    continue  # two people of one report
                weight, agreeing = model.quick(f, theirs[other], tf)
                entity = others[other][0]
                if weight >= MATCH_WEIGHT and agreeing:
                    refused.add(entity)  # the checks of the two as wholes said no
                if not floor <= weight < MATCH_WEIGHT or not agreeing:
                    continue
                if entity not in best or weight > best[entity][0]:
                    best[entity] = (weight, pk, other)
    candidates = {e: b for e, b in best.items() if e not in refused}
    means = _mean_weights(store, model, tf, [pk for pk, _ in own], candidates)
    kept = sorted(((e, b) for e, b in candidates.items() if means[e] >= MEAN_FLOOR),
                  key=lambda x: (-x[1][0], x[0]))[:limit]
    own_features = dict(own)
    # explained once each: the reasons behind the weight of the pairs kept
    return [PossibleMatch(entity, other, pk, model.score(own_features[pk], theirs[other], tf),
                          means[entity])
            for entity, (_, pk, other) in kept]


def _mean_weights(
    store: Store, model: PersonModel, tf: TermFrequencies, own: list[int],
    candidates: dict[str, Any],
) -> dict[str, float]:
    """For each candidate entity, the mean weight of the cross pairs of the first
    :data:`LINKAGE_SAMPLE` mentions of each side that compare something naming a person: the
    resolver's average linkage, which a merge must pass. One pair of mentions alike can hide
    the rest disagreeing (two girls called Amina, one "Amina Shah" born in 1993 and one "Amina
    Begum" born in 1995); on generated scenarios (seeds 41-60) a quarter of the pairs offered
    whose mean was at least :data:`LINKAGE_WEIGHT` were one person, one in twenty from there
    down to :data:`MEAN_FLOOR`, one in 140 below."""
    if not candidates:
        return {}
    members = store.members_of(candidates)
    sample = {e: pks[:LINKAGE_SAMPLE] for e, pks in members.items()}
    resolved = store.resolved_of({pk for pks in sample.values() for pk in pks}
                                 | set(own[:LINKAGE_SAMPLE]))
    feats = {pk: as_sets(f) for pk, (_, f, _) in resolved.items() if f is not None}
    mine = [feats[pk] for pk in own[:LINKAGE_SAMPLE] if pk in feats]
    return {entity: model.mean_weight(
                mine, [feats[pk] for pk in sample.get(entity, ()) if pk in feats], tf)
            for entity in candidates}


def offered_pairs(store: Store, entities: Iterable[str]) -> Iterator[tuple[str, PossibleMatch]]:
    """Every pair the pages of ``entities`` (people) offer, each once, with the entity on whose
    page it was first found."""
    model, tf = resolution_model(store)
    seen: set[frozenset[str]] = set()
    for entity in entities:
        for p in possible_matches(store, entity, model, tf):
            pair = frozenset((entity, p.entity))
            if pair not in seen:
                seen.add(pair)
                yield entity, p


def described(store: Store, entity_id: str) -> list[Row]:
    """:func:`possible_matches` of an entity as the CLI, the API and its page show them: the
    other entity (id, label, aliases), the two mentions compared (``org/report#ref``, as
    ``joinedup confirm`` and ``split`` take them), the weight, its probability and the reasons.
    Raises NotFound for an entity the store does not hold."""
    entity = store.entity(entity_id)
    if entity["kind"] != "person":
        return []
    found = possible_matches(store, entity_id, *resolution_model(store))
    name = store.mention_names({pk for p in found for pk in (p.mention, p.own)})
    others = {e["id"]: e for e in store.entities_by_id({p.entity for p in found})}
    return [
        {
            "entity": {
                "id": p.entity,
                "label": others[p.entity]["label"],
                "aliases": others[p.entity]["data"].get("aliases", []),
            },
            "mention": name[p.mention],
            "own": name[p.own],
            "weight": round(p.evidence.weight, 2),
            "mean_weight": round(p.mean_weight, 2) if math.isfinite(p.mean_weight) else None,
            "probability": round(probability(p.evidence.weight), 3),
            "reasons": p.evidence.as_json(),
        }
        for p in found
    ]


def resolution_model(store: Store) -> tuple[PersonModel, TermFrequencies]:
    """The store's person model as the last full resolution used it (sized to the store's person
    mentions) and that resolution's term frequencies; the shipped ones before any resolution."""
    model = person_model(store, load_profile("safeguarding"))
    saved = store.get_param("term_frequencies")
    if not saved:
        return model, model.shipped_frequencies()
    tf = TermFrequencies(saved["tables"], saved["defaults"])
    return model.for_size(saved.get("person_mentions", 0)), tf


def _distinct(features: Iterable[tuple[int, Row]]) -> list[tuple[int, Row]]:
    """The mentions saying different things of the person, up to :data:`MAX_OWN`, as sets."""
    seen: set[str] = set()
    out = []
    for pk, f in sorted(features, key=lambda x: x[0]):
        said = repr([f.get(k) for k in ("aliases", "first_key", "surname_key", "dob", "birth",
                                          "ids", "items", "addresses")])
        if said not in seen:
            seen.add(said)
            out.append((pk, as_sets(f)))
    return out[:MAX_OWN]


def _split_from(store: Store, mine: set[int]) -> set[str]:
    """The entities an analyst said are not this one: the current entity of the other side of
    every split that has a side among ``mine``."""
    other = {
        d["b"] if d["a"] in mine else d["a"]
        for d in store.pair_decisions()
        if d["decision"] == "split" and (d["a"] in mine) != (d["b"] in mine)
    }
    return {entity for entity, _, _ in store.resolved_of(other).values()} if other else set()
