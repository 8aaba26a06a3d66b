"""Scoring candidate pairs on every core, keeping what one round found for the next.

Scoring is pure Python and the pairs are independent, so a large batch is split across worker
processes. Workers are forked: they see the features and the model without copying them, and
send back only compact arrays. Small batches (tests, one new report) stay in this process, where
forking would cost more than it saves.

Pairs are held as sorted ``int64`` keys and their results as arrays rather than Python tuples:
a 100,000-report store has millions of candidate pairs, and a tuple, a float and a dict entry
per pair cost gigabytes. The level of every comparison is kept (one byte each) so that the next
resolution round picks again only the relational comparisons, whose inputs change by round,
and those for whole chunks at once (:mod:`~joinedup.resolve.vectorised`; see
:func:`_score_chunk`); weights are summed with NumPy
(:meth:`~joinedup.resolve.scoring.PersonModel.tally`).
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from bisect import bisect_left
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from joinedup.resolve.comparisons import PERSON_COMPARISONS
from joinedup.resolve.scoring import NO_LEVEL, PersonModel, TermFrequencies, value_codes
from joinedup.resolve.vectorised import VECTORISED, MentionColumns

MIN_PARALLEL = 50_000  # pairs below which one process is faster than forking workers
CHUNK = 250_000  # pairs scored at a time by one process
SHIFT = 32  # a pair's key is (a << SHIFT) | b: mention keys must stay below 2**31
LOW = (1 << SHIFT) - 1

Keys = npt.NDArray[np.int64]
_NAMES = [c.name for c in PERSON_COMPARISONS]
# comparisons picked for whole chunks (vectorised.py); the relational ones among them change by
# round, the rest are the mentions' own
RELATIONAL_NAMES = ("context", "network")
RELATIONAL = [_NAMES.index(name) for name in RELATIONAL_NAMES]
IN_BULK = [_NAMES.index(name) for name in VECTORISED]
BY_PAIR = np.array([i for i in range(len(_NAMES)) if i not in IN_BULK], dtype=np.int64)

_job: dict[str, Any] = {}


def _raw(values: npt.NDArray[Any]) -> memoryview:
    """The bytes of an array, without copying them."""
    return memoryview(np.ascontiguousarray(values).data).cast("B")


def pair_key(a: int, b: int) -> int:
    """The key of the pair of mentions ``a < b``; keys sort as the pairs do."""
    return (a << SHIFT) | b


@dataclass
class Scores:
    """Every candidate pair of one round, in order, with its weight, its identifying
    agreements and the level of each comparison (``width`` bytes per pair)."""

    keys: Keys
    weights: npt.NDArray[np.float64]
    agreeing: npt.NDArray[np.uint8]
    levels: bytes
    width: int
    _on_demand: dict[int, float] = field(default_factory=dict)  # scored later, not candidates

    def __post_init__(self) -> None:
        # Python arrays over the same memory, to look pairs up one at a time with bisect:
        # a NumPy call costs more than the whole search
        # (copied through a view of the same bytes: no third copy of millions of keys)
        self._keys = array("q")
        self._keys.frombytes(_raw(self.keys))
        self.keys = np.frombuffer(self._keys, dtype=np.int64)
        self._weights = array("d")
        self._weights.frombytes(_raw(self.weights))
        self.weights = np.frombuffer(self._weights, dtype=np.float64)

    def pairs(self, index: npt.NDArray[np.intp]) -> tuple[list[int], list[int]]:
        """The two mentions of the pairs at ``index``."""
        chosen = self.keys[index]
        return (chosen >> SHIFT).tolist(), (chosen & LOW).tolist()

    def weight(self, a: int, b: int) -> float | None:
        """The weight of the pair ``a < b`` if it was scored, else None."""
        return self.weights_of([pair_key(a, b)])[0]

    def weights_of(self, keys: list[int]) -> list[float | None]:
        """The weights of the pairs ``keys`` (:func:`pair_key` values) where they were scored,
        as candidates or on demand, else None."""
        out: list[float | None] = []
        sorted_keys, n = self._keys, len(self._keys)
        for key in keys:
            weight = self._on_demand.get(key)
            if weight is None:
                i = bisect_left(sorted_keys, key)
                if i < n and sorted_keys[i] == key:
                    weight = self._weights[i]
            out.append(weight)
        return out

    def remember(self, a: int, b: int, weight: float) -> None:
        """Keep the weight of a pair that was not a candidate, scored on demand."""
        self._on_demand[pair_key(a, b)] = weight


def _score_range(bounds: tuple[int, int]) -> tuple[bytes, bytes, bytes]:
    """Weights, agreements and levels of the pairs ``bounds`` of the job, as raw bytes,
    scored :data:`CHUNK` pairs at a time: each pair of a chunk is a Python object for a while,
    and a million-report store has tens of millions of pairs."""
    lo, hi = bounds
    parts = [_score_chunk(i, min(i + CHUNK, hi)) for i in range(lo, hi, CHUNK)]
    weights, agreeing, levels = (b"".join(p[k] for p in parts) for k in range(3))
    return weights, agreeing, levels


def _score_chunk(lo: int, hi: int) -> tuple[bytes, bytes, bytes]:
    """Only the comparisons of names, nicknames, dates of birth, addresses and identifiers are
    picked pair by pair, and in later rounds only for pairs new to the round (the others keep
    the levels ``before`` gave them); the rest are picked for the whole chunk at once
    (:mod:`.vectorised`), and the weights summed over it
    (:meth:`~joinedup.resolve.scoring.PersonModel.tally`)."""
    feats, keys, model, tf = _job["feats"], _job["keys"], _job["model"], _job["tf"]
    before: Scores | None = _job["before"]
    part = keys[lo:hi]
    firsts, seconds = part >> SHIFT, part & LOW
    levels = np.full((len(part), len(PERSON_COMPARISONS)), NO_LEVEL, dtype=np.uint8)
    todo = np.arange(len(part))
    if before is not None and len(before.keys):
        where = np.searchsorted(before.keys, part)
        where[where >= len(before.keys)] = 0
        known = before.keys[where] == part
        old = np.frombuffer(before.levels, dtype=np.uint8).reshape(-1, before.width)
        levels[known] = old[where[known]]
        todo = np.flatnonzero(~known)
        # the relational levels of pairs seen before are the only ones a round changes
        seen = np.flatnonzero(known)
        relational = _job["columns"].levels(firsts[seen], seconds[seen], RELATIONAL_NAMES)
        for i, lv in zip(RELATIONAL, relational, strict=True):
            levels[seen, i] = lv
    if len(todo):
        levels[todo] = pick_levels(feats, _job["columns"], firsts[todo], seconds[todo])
    a, b = firsts.tolist(), seconds.tolist()
    weights, agreeing = model.tally(
        levels, lambda row: (feats[a[row]], feats[b[row]]), tf, (firsts, seconds), _job["codes"]
    )
    return weights.tobytes(), agreeing.tobytes(), levels.tobytes()


def pick_levels(
    feats: dict[int, Any], columns: MentionColumns, firsts: Keys, seconds: Keys
) -> npt.NDArray[np.uint8]:
    """Every comparison's level byte for the pairs (``firsts[i]``, ``seconds[i]``): those of
    :data:`BY_PAIR` a pair at a time, the rest for all the pairs at once (``columns``)."""
    levels = np.empty((len(firsts), len(_NAMES)), dtype=np.uint8)
    picked = _pick(feats, firsts.tolist(), seconds.tolist())
    levels[:, BY_PAIR] = np.frombuffer(picked, dtype=np.uint8).reshape(len(firsts), len(BY_PAIR))
    for i, lv in zip(IN_BULK, columns.levels(firsts, seconds), strict=True):
        levels[:, i] = lv
    return levels


def _pick(feats: dict[int, Any], firsts: list[int], seconds: list[int]) -> bytes:
    """The level bytes of the comparisons picked pair by pair (:data:`BY_PAIR`), a pair at a
    time."""
    picks = [PERSON_COMPARISONS[i].pick for i in BY_PAIR.tolist()]
    codes = bytearray()
    for a, b in zip(firsts, seconds, strict=True):
        fa, fb = feats[a], feats[b]
        codes += bytes([NO_LEVEL if (lv := pick(fa, fb)) is None else lv for pick in picks])
    return bytes(codes)


def score_all(
    feats: dict[int, Any],
    keys: Keys,
    model: PersonModel,
    tf: TermFrequencies,
    before: Scores | None = None,
) -> Scores:
    """Score every pair of ``keys`` (sorted :func:`pair_key` values).

    ``before``: the previous round's scores; a pair scored there keeps the levels of every
    comparison picked pair by pair (none of them reads what rounds change).
    """
    width = len(PERSON_COMPARISONS)
    codes = value_codes(feats, model.tf_features) if len(keys) else None
    columns = MentionColumns.of(feats) if len(keys) else None
    _job.update(feats=feats, keys=keys, model=model, tf=tf, before=before, codes=codes,
                columns=columns)
    try:
        workers = min(os.cpu_count() or 1, 8)
        if (
            len(keys) < MIN_PARALLEL
            or workers < 2
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            parts = [_score_range((0, len(keys)))]
        else:
            step = -(-len(keys) // workers)
            chunks = [(i, min(i + step, len(keys))) for i in range(0, len(keys), step)]
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                parts = list(pool.map(_score_range, chunks))
    finally:
        _job.clear()
    return Scores(
        keys,
        np.frombuffer(b"".join(p[0] for p in parts), dtype=np.float64),
        np.frombuffer(b"".join(p[1] for p in parts), dtype=np.uint8),
        b"".join(p[2] for p in parts),
        width,
    )
