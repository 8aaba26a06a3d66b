"""Candidate pairs and their scores as the resolver computes them in bulk must be what the
plain pairwise definitions give: the bulk paths exist only to be fast."""

from __future__ import annotations

from itertools import chain, combinations
from pathlib import Path

import numpy as np
import pytest

from joinedup.generate import generate_scenario, write_scenario
from joinedup.ingest.importer import import_file
from joinedup.pipeline import person_model
from joinedup.profiles import load_profile
from joinedup.resolve.comparisons import PERSON_COMPARISONS, comparison_vector
from joinedup.resolve.parallel import BY_PAIR, pair_key, score_all
from joinedup.resolve.resolver import (
    BLOCK_CAP,
    SPLIT_BLOCK,
    Blocking,
    Resolver,
    _split,
    candidate_keys,
    context_keys,
    near_spellings,
    own_keys,
    person_keys,
    sound_keys,
)
from joinedup.resolve.scoring import NO_LEVEL, PersonModel
from joinedup.store import Store

Row = dict


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Resolver, dict[int, int]]:
    tmp: Path = tmp_path_factory.mktemp("pairs")
    write_scenario(generate_scenario(seed=3, reports=400), tmp / "r.jsonl", tmp / "t.json")
    store = Store.open(f"sqlite:///{tmp / 's.db'}")
    import_file(store, tmp / "r.jsonl")
    reports = store.current_reports()
    mentions = store.current_mentions()
    resolver = Resolver(person_model(store, load_profile("safeguarding")))
    resolver.run(mentions, store.current_links(), {r["pk"]: r["org"] for r in reports})
    report_of = {m["pk"]: m["report"] for m in mentions if m["kind"] == "person"}
    return resolver, report_of


def _pairs_one_by_one(feats: dict[int, Row], report_of: dict[int, int],
                      sounds: bool = False) -> set[int]:
    """The pairs of the rounds' keys (or, ``sounds``, of the closing pass's sound keys), a
    block at a time."""
    blocks: dict[str, list[int]] = {}
    near = near_spellings(feats.values())
    for pk, f in feats.items():
        keys = sound_keys(f) if sounds else chain(own_keys(f, near), context_keys(f))
        for key in keys:
            blocks.setdefault(key, []).append(pk)
    out = set()
    for members in blocks.values():
        # the rounds split a block of over 100, the closing pass a sound's of over 300
        big = len(members) > (BLOCK_CAP if sounds else SPLIT_BLOCK)
        parts = _split(members, feats) if big else [members]
        for part in parts:
            if len(part) <= BLOCK_CAP:
                for a, b in combinations(part, 2):
                    # a sound's pairs are of two spellings: one spelling is the rounds' key
                    spelt = set(feats[a]["aliases"]) == set(feats[b]["aliases"])
                    if report_of[a] != report_of[b] and not (sounds and spelt):
                        out.add(pair_key(min(a, b), max(a, b)))
    return out


def test_candidate_keys_are_the_blocked_pairs(resolved: tuple[Resolver, dict[int, int]]) -> None:
    resolver, report_of = resolved
    keys = candidate_keys(resolver.person_features, report_of)
    assert len(keys) > 1000
    assert keys.tolist() == sorted(_pairs_one_by_one(resolver.person_features, report_of))
    # the closing pass's pairs of short nicknames alike in sound, less those of the keys
    # every round shares (what a mention says of the person)
    blocking = Blocking(resolver.person_features, report_of)
    sounds = blocking.sound_pairs(resolver.person_features)
    assert len(sounds) > 10
    assert sounds.tolist() == sorted(
        _pairs_one_by_one(resolver.person_features, report_of, sounds=True)
        - set(blocking.fixed.tolist()))
    # every key a stored mention is looked up by: the rounds' and the sounds'
    f = next(f for f in resolver.person_features.values() if any(
        len(a) < 4 for a in f.get("aliases") or ()))
    assert set(person_keys(f)) == {*own_keys(f), *sound_keys(f), *context_keys(f)}


def _without_context(f: Row) -> Row:
    return {**f, "context": frozenset(), "network": frozenset(), "lone": False}


def test_only_round_comparisons_read_what_rounds_change(
    resolved: tuple[Resolver, dict[int, int]],
) -> None:
    """The levels picked pair by pair carry over from one round to the next: they must not
    read ``context``, ``network`` or ``lone``."""
    resolver, report_of = resolved
    feats = resolver.person_features
    keys = candidate_keys(feats, report_of).tolist()
    carried = set(BY_PAIR.tolist())
    assert not {PERSON_COMPARISONS[i].name for i in carried} & {"context", "network"}
    changed = 0
    for key in keys[:: max(1, len(keys) // 3000)]:
        a, b = feats[key >> 32], feats[key & 0xFFFFFFFF]
        now = comparison_vector(a, b)
        before = comparison_vector(_without_context(a), _without_context(b))
        assert [lv for i, lv in enumerate(now) if i in carried] == [
            lv for i, lv in enumerate(before) if i in carried
        ]
        changed += now != before
    assert changed  # the test compares features a round changes


def test_bulk_scores_are_pairwise_scores(resolved: tuple[Resolver, dict[int, int]]) -> None:
    resolver, report_of = resolved
    model: PersonModel = resolver.model
    tf = resolver.frequencies
    feats = resolver.person_features
    keys = candidate_keys(feats, report_of)
    first = score_all({pk: _without_context(f) for pk, f in feats.items()}, keys[::2], model, tf)
    again = score_all(feats, keys, model, tf, first.carry())
    for i, key in enumerate(keys.tolist()):
        weight, agreeing = model.quick(feats[key >> 32], feats[key & 0xFFFFFFFF], tf)
        assert (float(again.weights[i]), int(again.agreeing[i])) == (weight, agreeing)
        assert again.weight(key >> 32, key & 0xFFFFFFFF) == weight


def test_only_a_single_value_gets_a_code() -> None:
    from joinedup.resolve.scoring import value_codes

    feats = {
        1: {"aliases": frozenset({"tiger"}), "first_key": "amy", "surname_key": "shaw"},
        2: {"aliases": frozenset({"tiger", "t"}), "first_key": "amy"},
        4: {"aliases": frozenset(), "first_key": None},
    }
    codes = value_codes(feats, ("aliases", "first_key", "full_name"))
    assert codes.values["aliases"][codes.codes["aliases"][1]] == "tiger"
    assert codes.codes["aliases"].tolist() == [-1, 0, -1, -1, -1]  # two nicknames: looked up whole
    assert codes.codes["first_key"][1] == codes.codes["first_key"][2] >= 0
    assert codes.values["full_name"] == ["amy shaw"] and codes.codes["full_name"][2] == -1


# mentions with every feature the comparisons picked pair by pair read (generated scenarios
# give no person an address)
SAMPLE = [
    {"first_key": "amy", "surname_key": "shaw", "first": "amy", "aliases": ["tiger"],
     "dob": "20090301", "addresses": ["1 mill lane"], "ids": []},
    {"first_key": "amy", "surname_key": "shaw", "first": "amy", "aliases": ["tiger"],
     "dob": "20090301", "addresses": ["1 mill lane"], "ids": []},
    {"first_key": "amie", "surname_key": "shaw", "first": "amie", "aliases": ["tigger"],
     "dob": "20090103", "addresses": [], "ids": ["nhs:1234567"]},
    {"first_key": "zoe", "surname_key": None, "first": "zoe", "aliases": [],
     "dob_month": "200903", "addresses": ["1 mill lane"], "ids": ["nhs:1234568"]},
]


class _Recording(dict):  # type: ignore[type-arg]
    """Features that note every key a comparison reads."""

    def __init__(self, features: Row, read: set[str]) -> None:
        super().__init__(features)
        self.read = read

    def get(self, key: str, default: object = None) -> object:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> object:
        self.read.add(key)
        return super().__getitem__(key)


def test_each_comparison_reads_only_what_it_declares(
    resolved: tuple[Resolver, dict[int, int]],
) -> None:
    """A run picks a level once per distinct pair of the values a comparison declares it
    reads (``parallel.ReadCodes``): a comparison that read another feature would hand one
    pair's level to pairs that differ in it."""
    resolver, report_of = resolved
    feats = resolver.person_features
    keys = candidate_keys(feats, report_of).tolist()
    for comparison in PERSON_COMPARISONS:
        read: set[str] = set()
        levels = set()
        # the candidate pairs, and pairs of mentions that hold something it could read
        holding = [pk for pk, f in feats.items() if any(f.get(x) for x in comparison.reads)]
        pairs = [(k >> 32, k & 0xFFFFFFFF) for k in keys]
        pairs += list(combinations(holding[:80], 2))
        sides = [(feats[x], feats[y]) for x, y in pairs] + list(combinations(SAMPLE, 2))
        for x, y in sides:
            levels.add(comparison.pick(_Recording(x, read), _Recording(y, read)))
        assert comparison.reads, comparison.name
        assert read <= set(comparison.reads), (comparison.name, read - set(comparison.reads))
        assert levels - {None}, comparison.name  # pairs that compare something were read


def test_pairs_alike_in_what_is_read_share_one_pick() -> None:
    """Levels picked once per distinct pair of values are the levels picked pair by pair."""
    from joinedup.resolve import parallel

    feats = dict(enumerate(SAMPLE))
    pairs = [(a, b) for a in feats for b in feats if a < b] * 3
    firsts = np.array([a for a, _ in pairs], dtype=np.int64)
    seconds = np.array([b for _, b in pairs], dtype=np.int64)
    codes = parallel.ReadCodes.of(feats)
    assert sorted(codes.holders[0].tolist()) == [0, 2, 3]  # 0 and 1 read alike for names
    got = parallel._pick_by_pair(firsts, seconds, codes)
    for row, (a, b) in enumerate(pairs):
        want = [PERSON_COMPARISONS[i].pick(feats[a], feats[b]) for i in BY_PAIR.tolist()]
        assert got[row].tolist() == [NO_LEVEL if lv is None else lv for lv in want]
