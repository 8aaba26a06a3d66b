"""The comparisons picked in bulk (``resolve/vectorised.py``) give the levels the pairwise
definitions in ``comparisons.py`` give, on hand-made features that cover every level."""

from __future__ import annotations

from itertools import combinations
from random import Random
from typing import Any

import numpy as np

from joinedup.resolve.comparisons import PERSON_COMPARISONS
from joinedup.resolve.scoring import NO_LEVEL
from joinedup.resolve.vectorised import VECTORISED, MentionColumns
from tests.resolve.test_splink_model import ITEMS, person_features

TOWNS = ["rochdale", "heywood", "oldham"]
AREAS = ["OL16", "OL10", "M1"]


def _features() -> dict[int, dict[str, Any]]:
    rng = Random(11)
    feats = person_features(150, seed=11)
    for f in feats.values():
        f["items"] = frozenset(rng.sample(ITEMS, rng.randint(0, 2)))
        f["locality"] = frozenset(rng.sample(TOWNS, rng.randint(0, 2)))
        f["areas"] = frozenset(rng.sample(AREAS, rng.randint(0, 1)))
        f["context"] = frozenset(f["context"])
        wide = [f"P-{i}" for i in range(20, 32)]  # networks big enough for "less than half"
        f["network"] = frozenset(f["network"]) | frozenset(rng.sample(wide, rng.randint(0, 8)))
        if not f["context"]:
            f["network"] = frozenset()
        f["sex"] = f["sex"] or rng.choice([None, ""])
    return feats


def test_bulk_levels_are_the_pairwise_levels() -> None:
    feats = _features()
    pairs = list(combinations(sorted(feats), 2))
    a = np.array([x for x, _ in pairs], dtype=np.int64)
    b = np.array([y for _, y in pairs], dtype=np.int64)
    got = MentionColumns.of(feats).levels(a, b)
    by_name = {c.name: c for c in PERSON_COMPARISONS}
    for name, levels in zip(VECTORISED, got, strict=True):
        want = [by_name[name].pick(feats[x], feats[y]) for x, y in pairs]
        want_bytes = [NO_LEVEL if lv is None else lv for lv in want]
        assert levels.tolist() == want_bytes, name
        # every level of the comparison is reached, and nothing to compare too
        assert set(want_bytes) == {*range(len(by_name[name].levels)), NO_LEVEL}, name
