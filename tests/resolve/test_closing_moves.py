"""The closing pass may move a mention that one weak merge holds in its cluster.

Rounds each build their context from the round before, so a first-name-only "Victoria, 15"
can sit with the Victoria her report's man is named with in one round, and with a namesake in
another town whose report names no one in the next (the round where that man's mentions were
split). Once the closing pass sees the context again, the pair with the right Victoria is far
stronger, but the clusters refuse it: her namesake's surname is not that Victoria's.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from joinedup.profiles import load_profile
from joinedup.resolve.cluster import Clusters
from joinedup.resolve.parallel import Scores, pair_key
from joinedup.resolve.resolver import MOVE_MARGIN, Holds, Resolver
from joinedup.resolve.scoring import PersonModel

Features = dict[str, Any]


def girl(first: str, surname: str | None = None) -> Features:
    return {"first": first, "first_key": first, "first_alts": [first], "surname_key": surname,
            "group": "young", "sex": "female"}


# 1: Victoria Hughes (another town); 2: "Victoria" (first name only); 3: Victoria Clarke
FEATS = {1: girl("victoria", "hughes"), 2: girl("victoria"), 3: girl("victoria", "clarke")}
REPORTS = {1: 10, 2: 20, 3: 30}


def scores(weights: dict[tuple[int, int], float]) -> Scores:
    pairs = sorted((pair_key(min(a, b), max(a, b)), w) for (a, b), w in weights.items())
    return Scores(
        np.array([k for k, _ in pairs], dtype=np.int64),
        np.array([w for _, w in pairs], dtype=np.float64),
        np.ones(len(pairs), dtype=np.uint8),  # one identifying comparison agrees: the name
        np.zeros((len(pairs), 1), dtype=np.uint8),
    )


def resolver() -> Resolver:
    return Resolver(PersonModel.load(load_profile("safeguarding").directory / "person_model.json"))


def test_detach_leaves_the_rest_of_a_cluster_joined_and_forgets_what_the_mention_brought() -> None:
    feats = {**FEATS, 4: girl("vicky", "hughes")}
    clusters = Clusters(feats, {**REPORTS, 4: 40}, cannot=[(2, 4)])
    assert clusters.union(1, 4) and clusters.union(1, 2, force=True)
    assert clusters.why_not(2, 3) == "different surnames"  # the cluster holds "hughes"
    keep = clusters.detach(2)
    assert keep is not None and clusters.find(1) == clusters.find(4) == keep
    assert clusters.members(2) == [2]
    assert clusters.why_not(2, 3) is None  # "hughes" was the cluster's, not hers
    # an analyst's split is the mention's own and survives the cluster being built again
    assert clusters.why_not(2, 1) == "an analyst split them"
    assert clusters.detach(3) is None  # alone: nothing to leave


def test_holds_only_a_leaf_of_the_merges_moves_and_only_by_the_margin() -> None:
    # 1-2 weak, 2-5 and 5-6 strong: 2 and 5 hold the cluster together, 1 and 6 are leaves
    held = Holds([(1, 2, 0.1), (2, 5, 8.0), (5, 6, 9.0), (7, 8, math.inf)], 10)
    assert held.movable(1, 0.1 + MOVE_MARGIN) and not held.movable(1, 0.1 + MOVE_MARGIN - 0.01)
    assert not held.movable(2, 50.0)  # two merges: taking it out would split 1 from 5 and 6
    assert held.movable(6, 9.0 + MOVE_MARGIN)
    assert not held.movable(7, 1e9)  # an analyst's confirm never moves
    assert not held.movable(3, 1e9)  # in no merge
    held.moved(1, 2)
    held.joined(1, 9, 4.0)
    assert held.dropped == {(1, 2)}
    assert held.partner_of(1) == 9 and held.movable(1, 4.0 + MOVE_MARGIN)
    assert not held.movable(2, 1e9)  # what holds 2 now is not known: it stays


def test_the_closing_pass_moves_a_weakly_held_mention_to_a_far_stronger_pair() -> None:
    r = resolver()
    tf = r.model.shipped_frequencies()
    clusters = Clusters(FEATS, REPORTS)
    assert clusters.union(1, 2)  # the last round's merge, at 0.07
    held = Holds([(1, 2, 0.07)], 4)
    entity_of: dict[int, str] = {}
    merges = r._merge(scores({(2, 3): 6.0}), clusters, FEATS, tf, entity_of, held)
    assert merges == [(2, 3, 6.0)]
    assert held.dropped == {(1, 2)}
    assert entity_of[2] == entity_of[3] != entity_of[1]


def test_the_closing_pass_does_not_move_a_mention_for_a_pair_not_much_stronger() -> None:
    r = resolver()
    tf = r.model.shipped_frequencies()
    clusters = Clusters(FEATS, REPORTS)
    assert clusters.union(1, 2)
    held = Holds([(1, 2, 4.0)], 4)
    entity_of: dict[int, str] = {}
    assert r._merge(scores({(2, 3): 6.0}), clusters, FEATS, tf, entity_of, held) == []
    assert held.dropped == set()
    assert entity_of[1] == entity_of[2] != entity_of[3]
    # and without ``held`` (the rounds) nothing ever moves
    clusters = Clusters(FEATS, REPORTS)
    assert clusters.union(1, 2)
    assert r._merge(scores({(2, 3): 60.0}), clusters, FEATS, tf, {}, None) == []


def test_a_refused_move_puts_the_mention_back() -> None:
    r = resolver()
    tf = r.model.shipped_frequencies()
    feats = {**FEATS, 3: {**girl("victoria", "clarke"), "sex": "male"}}  # a boy: never her
    clusters = Clusters(feats, REPORTS)
    assert clusters.union(1, 2)
    held = Holds([(1, 2, 0.07)], 4)
    assert r._merge(scores({(2, 3): 6.0}), clusters, feats, tf, {}, held) == []
    assert clusters.find(1) == clusters.find(2) and held.dropped == set()
