"""Average linkage, the check that stops one weak link chaining two people, reads only cross
pairs that compare something naming a person: "Ryan Hughes" and a mention that gives only the
nickname "Danny" neither agree nor disagree, and a cluster of such mentions must not outvote
the pair that names him both ways."""

from __future__ import annotations

import numpy as np

from joinedup.pipeline import person_model
from joinedup.profiles import load_profile
from joinedup.resolve.incremental import IncrementalResolver
from joinedup.resolve.parallel import BY_PAIR, Scores
from joinedup.resolve.resolver import LINKAGE_WEIGHT, Resolver
from joinedup.resolve.scoring import PersonModel
from joinedup.store import Store

Row = dict


def _person(first: str | None = None, surname: str | None = None,
            alias: str | None = None) -> Row:
    f: Row = {"sex": "male", "group": "adult", "birth": [1970, 1979],
              "aliases": frozenset([alias] if alias else []),
              "alias_names": frozenset([alias] if alias else [])}
    if first:
        f.update(first=first, first_key=first, first_alts=frozenset([first]))
    if surname:
        f["surname_key"] = surname
    return f


def _model(store: Store) -> PersonModel:
    return person_model(store, load_profile("safeguarding"))


def _no_scores() -> Scores:
    return Scores(np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=np.uint8),
                  np.empty((0, len(BY_PAIR)), dtype=np.uint8))


def test_pairs_comparing_nothing_that_names_a_person_do_not_count(store: Store) -> None:
    model = _model(store)
    tf = model.shipped_frequencies()
    # 1: "Ryan Hughes"; 2-5: "Danny" only; 6: "Ryan Hughes" known as "Danny"
    feats = {1: _person("ryan", "hughes"), **{i: _person(alias="danny") for i in range(2, 6)},
             6: _person("ryan", "hughes", "danny")}
    reports = {pk: pk for pk in feats}
    assert not model.comparable(feats[1], feats[2])
    assert model.comparable(feats[1], feats[6]) and model.comparable(feats[2], feats[6])
    # counted, the four cross pairs would refuse the merge: the test bites
    mean = sum(model.weight(feats[1], feats[i], tf) for i in range(2, 6)) / 4
    assert mean < LINKAGE_WEIGHT
    # a full run's check and an added report's check both let the merge through
    assert Resolver(model)._mean_weight([1], [2, 3, 4, 5], feats, tf, _no_scores()) >= (
        LINKAGE_WEIGHT)
    inc = IncrementalResolver(store, model, tf)
    assert inc._coherent([1], [2, 3, 4, 5, 6], feats, reports, False, (1, 6))


def test_pairs_that_compare_and_disagree_still_refuse(store: Store) -> None:
    model = _model(store)
    tf = model.shipped_frequencies()
    # "Ryan Hughes" against four mentions of "Kevin Hughes" known as "Danny"
    feats = {1: _person("ryan", "hughes"),
             **{i: _person("kevin", "hughes", "danny") for i in range(2, 6)}}
    reports = {pk: pk for pk in feats}
    assert Resolver(model)._mean_weight([1], [2, 3, 4, 5], feats, tf, _no_scores()) < (
        LINKAGE_WEIGHT)
    assert not IncrementalResolver(store, model, tf)._coherent(
        [1], [2, 3, 4, 5], feats, reports, False, (1, 2))


def test_comparable_is_any_identifying_comparison_picking_a_level(store: Store) -> None:
    from itertools import combinations

    from joinedup.resolve.comparisons import PERSON_COMPARISONS
    from joinedup.resolve.scoring import IDENTIFYING
    from tests.resolve.test_splink_model import person_features

    model = _model(store)
    feats = list(person_features(80).values())
    seen = set()
    for a, b in combinations(feats, 2):
        picked = any(c.pick(a, b) is not None for c in PERSON_COMPARISONS
                     if c.name in IDENTIFYING)
        assert model.comparable(a, b) == picked
        seen.add(picked)
    assert seen == {True, False}  # both cases occur in the sample


def test_an_added_report_excuses_only_a_conflict_its_pair_holds(store: Store) -> None:
    """As in a full run (test_comparisons): a new "Lauren" agreeing with a stored "Lauren
    Hall" on two identifying things does not join her to a "Lauren Taylor" she is joined
    with; a corroborated pair whose own surnames differ is taken for a typo."""
    model = _model(store)
    inc = IncrementalResolver(store, model, model.shipped_frequencies())
    feats = {1: _person("lauren", "hall"), 2: _person("lauren"), 3: _person("lauren", "taylor"),
             4: _person("lauren", "holt")}
    reports = {pk: pk for pk in feats}
    assert not inc._coherent([2, 3], [1], feats, reports, True, (2, 1))
    assert inc._coherent([4], [1], feats, reports, True, (4, 1))
    assert not inc._coherent([4], [1], feats, reports, False, (4, 1))


def test_two_halves_naming_the_same_children_are_not_vetoed(store: Store) -> None:
    """Average linkage reads the first members of each side. A man's first mentions in one
    half may be named with one child of his and those of the other half with others, so
    their cross pairs fall short; when the two halves' reports name mostly the same people
    and places, the veto does not hold. Two men of one nickname whose reports share one
    child (a wrong merge of a round before) stay apart."""
    from joinedup.resolve.cluster import Clusters
    from joinedup.resolve.resolver import one_network

    model = _model(store)
    tf = model.shipped_frequencies()

    def jimmy(*named: str) -> Row:
        return _person(alias="jimmy") | {"context": named, "network": named}

    # his first four mentions are each named with Jacob alone
    first = {**{pk: jimmy("P-jacob") for pk in range(1, 5)}, 5: jimmy("P-david", "P-nazia"),
             6: jimmy("P-tyrone", "P-jacob")}
    # (the second half's reporters do not say he is a man: one bit less a pair)
    second = {pk: f | {"sex": None} for pk, f in
              {7: jimmy("P-david", "P-nazia"), 8: jimmy("P-tyrone"), 9: jimmy("P-david")}.items()}
    feats = {**first, **second}
    reports = {pk: pk for pk in feats}
    assert Resolver(model)._mean_weight([1, 2, 3, 4], [7, 8, 9], feats, tf, _no_scores()) < (
        LINKAGE_WEIGHT)  # the first members alone refuse: the test bites
    assert one_network(list(first), list(second), feats)
    clusters = Clusters(feats, reports)
    for group in (list(first), list(second)):
        for pk in group[1:]:
            clusters.union(group[0], pk, force=True)
    assert Resolver(model)._coherent(clusters, 1, 7, feats, tf, _no_scores())
    inc = IncrementalResolver(store, model, tf)
    assert inc._coherent(list(second), list(first), feats, reports, False, (7, 1))
    # another network's older "Jimmy", whose reports share one child with these
    other = {pk: f | {"birth": [1958, 1967]} for pk, f in
             {10: jimmy("P-amy", "P-jacob"), 11: jimmy("P-amy", "P-leah"),
              12: jimmy("P-leah")}.items()}
    feats |= other
    reports = {pk: pk for pk in feats}
    assert Resolver(model)._mean_weight([1, 2, 3, 4], list(other), feats, tf, _no_scores()) < (
        LINKAGE_WEIGHT)
    assert not one_network(list(first), list(other), feats)
    assert not inc._coherent(list(other), list(first), feats, reports, False, (10, 1))
