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
(:meth:`~joinedup.resolve.scoring.PersonModel.tally`). The comparisons that stay pair by pair
(names, nicknames, dates of birth, addresses, identifiers) read few values, which many pairs
share: the pairs of a block are mostly mentions of one name, so a chunk holds about one
distinct pair of names for every seven pairs of mentions, and fewer of the rest. Each distinct
pair of values is picked once, and a level weighed by the frequencies of its values weighed
once (:class:`ReadCodes`).
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
from bisect import bisect_left
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from joinedup.resolve.comparisons import PERSON_COMPARISONS
from joinedup.resolve.scoring import (
    NO_LEVEL,
    PersonModel,
    TermFrequencies,
    ValueCodes,
    value_codes,
)
from joinedup.resolve.vectorised import VECTORISED, MentionColumns

MIN_PARALLEL = 50_000  # pairs below which one process is faster than forking workers
CHUNK = 250_000  # pairs scored at a time by one process
SHIFT = 32  # a pair's key is (a << SHIFT) | b: mention keys must stay below 2**31
LOW = (1 << SHIFT) - 1

Keys = npt.NDArray[np.int64]
_NAMES = [c.name for c in PERSON_COMPARISONS]
# comparisons picked for whole chunks (vectorised.py), every round; the others, pair by pair,
# read nothing a round changes, so a pair's levels of those carry over (Carry)
IN_BULK = [_NAMES.index(name) for name in VECTORISED]
BY_PAIR = np.array([i for i in range(len(_NAMES)) if i not in IN_BULK], dtype=np.int64)
_BY_PAIR_AT = {i: j for j, i in enumerate(BY_PAIR.tolist())}  # comparison -> its place there

_job: dict[str, Any] = {}


def pair_key(a: int, b: int) -> int:
    """The key of the pair of mentions ``a < b``; keys sort as the pairs do."""
    return (a << SHIFT) | b


@dataclass
class Carry:
    """What a round's scores leave the next: each candidate pair's key and the levels of the
    comparisons picked pair by pair (:data:`BY_PAIR`, a row per pair), which no round changes.
    The rest is picked again for whole chunks at once, cheaply; carrying it cost memory."""

    keys: Keys
    levels: npt.NDArray[np.uint8]

    def release(self) -> None:
        """Let go of the arrays once the next round's workers have them (millions of pairs)."""
        self.keys = np.empty(0, dtype=np.int64)
        self.levels = np.empty((0, len(BY_PAIR)), dtype=np.uint8)


@dataclass
class Scores:
    """Every candidate pair of one round, in order, with its weight, its identifying
    agreements and the levels of the comparisons picked pair by pair (a row per pair)."""

    keys: Keys
    weights: npt.NDArray[np.float64]
    agreeing: npt.NDArray[np.uint8]
    levels: npt.NDArray[np.uint8]
    _on_demand: dict[int, float] = field(default_factory=dict)  # scored later, not candidates

    def __post_init__(self) -> None:
        # memoryviews of the same memory, to look pairs up one at a time with bisect (a NumPy
        # call costs more than the whole search); a view copies nothing
        self._keys = memoryview(self.keys.data)
        self._weights = memoryview(self.weights.data)

    def carry(self) -> Carry:
        """The keys and levels the next round reads; letting these scores go then lets the
        weights go (each array is a mapping of its own)."""
        return Carry(self.keys, self.levels)

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


@dataclass(frozen=True)
class ReadCodes:
    """For each comparison of :data:`BY_PAIR`, a code per mention key of the values its pick
    reads (:attr:`~joinedup.resolve.comparisons.Comparison.reads`), and one mention that holds
    each code. Two pairs of mentions whose codes agree get the same level, so a chunk picks a
    level for each distinct pair of codes, on the mentions that hold them, and hands it to
    every pair of the chunk that has it.

    None of these values changes from one round to the next, so a resolver builds this once a
    run, from the mentions' own features (``feats``), and every round and the closing pass pick
    on those."""

    feats: dict[int, Any]
    codes: list[npt.NDArray[np.int32]]  # per comparison: mention key -> code (-1: none)
    holders: list[Keys]  # per comparison: code -> a mention key that holds it
    values: ValueCodes  # the values term-frequency levels read, coded for the model's tally

    @classmethod
    def of(cls, feats: dict[int, Any], tf_features: tuple[str, ...] = ()) -> ReadCodes:
        """Each feature's values are coded first (mostly objects the features share already,
        so the index copies none), then each comparison's features' codes are combined with
        NumPy: no key object is made for every mention and comparison.

        ``tf_features``: the features whose values term-frequency levels weigh
        (:attr:`~joinedup.resolve.scoring.PersonModel.tf_features`), coded too
        (:func:`~joinedup.resolve.scoring.value_codes`): they are own features as well."""
        pks = np.fromiter(feats, dtype=np.int64, count=len(feats))
        size = max(feats, default=-1) + 1
        of_feature: dict[str, npt.NDArray[np.int64]] = {}
        codes, holders = [], []
        for i in BY_PAIR.tolist():
            combined = np.zeros(len(pks), dtype=np.int64)
            for name in PERSON_COMPARISONS[i].reads:
                if name not in of_feature:
                    index: dict[Any, int] = {}
                    of_feature[name] = np.fromiter(
                        (index.setdefault(_hashable(f.get(name)), len(index))
                         for f in feats.values()),
                        dtype=np.int64, count=len(pks))
                feature = of_feature[name]
                # at most as many codes as mentions on either side: no overflow
                combined = combined * (int(feature.max(initial=0)) + 1) + feature
                combined = np.unique(combined, return_inverse=True)[1].reshape(-1)
            _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
            column = np.full(size, -1, dtype=np.int32)
            column[pks] = inverse.reshape(-1)
            codes.append(column)
            holders.append(pks[first])
        return cls(feats, codes, holders, value_codes(feats, tf_features))

    def pairs_of(self, j: int, firsts: Keys, seconds: Keys) -> Keys:
        """A label per pair, equal for pairs whose sides hold the same values of what the
        :data:`BY_PAIR` comparison ``j`` reads."""
        column = self.codes[j]
        return column[firsts].astype(np.int64) * len(self.holders[j]) + column[seconds]

    def alike(
        self, firsts: Keys, seconds: Keys
    ) -> Callable[[int, npt.NDArray[np.intp]], Keys | None]:
        """For :meth:`~joinedup.resolve.scoring.PersonModel.tally`: the labels of rows of these
        pairs for a comparison (its index among all), or None for one not picked pair by
        pair."""

        def labels(i: int, rows: npt.NDArray[np.intp]) -> Keys | None:
            j = _BY_PAIR_AT.get(i)
            return None if j is None else self.pairs_of(j, firsts[rows], seconds[rows])

        return labels


def _hashable(value: Any) -> Any:
    """A feature's value as a dictionary key: lists as tuples, sets as frozen sets."""
    if value is None or type(value) is str or type(value) is frozenset:
        return value
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set):
        return frozenset(value)
    return value


def _score_range(bounds: tuple[int, int]) -> None:
    """Score the pairs ``bounds`` of the job into its result arrays (memory shared with the
    process that forked this one), :data:`CHUNK` pairs at a time: each pair of a chunk is a
    Python object for a while, and a million-report store has tens of millions of pairs."""
    lo, hi = bounds
    weights, agreeing, levels = _job["out"]
    for i in range(lo, hi, CHUNK):
        j = min(i + CHUNK, hi)
        weights[i:j], agreeing[i:j], levels[i:j] = _score_chunk(i, j)


def _score_chunk(
    lo: int, hi: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
    """Only the comparisons of names, nicknames, dates of birth, addresses and identifiers are
    picked pair by pair (:data:`BY_PAIR`), and in later rounds only for pairs new to the round
    (the others keep the levels ``before`` gave them); the rest are picked for the whole chunk
    at once (:mod:`.vectorised`), and the weights summed over it
    (:meth:`~joinedup.resolve.scoring.PersonModel.tally`). Returns the weights, agreements and
    the :data:`BY_PAIR` levels."""
    feats, keys, model, tf = _job["feats"], _job["keys"], _job["model"], _job["tf"]
    before: Carry | None = _job["before"]
    part = keys[lo:hi]
    firsts, seconds = part >> SHIFT, part & LOW
    by_pair = np.empty((len(part), len(BY_PAIR)), dtype=np.uint8)
    todo = np.arange(len(part))
    if before is not None and len(before.keys):
        where = np.searchsorted(before.keys, part)
        where[where >= len(before.keys)] = 0
        known = before.keys[where] == part
        by_pair[known] = before.levels[where[known]]
        todo = np.flatnonzero(~known)
    if len(todo):
        by_pair[todo] = _pick_by_pair(firsts[todo], seconds[todo], _job["reads"])
    levels = np.empty((len(part), len(_NAMES)), dtype=np.uint8)
    levels[:, BY_PAIR] = by_pair
    for i, lv in zip(IN_BULK, _job["columns"].levels(firsts, seconds), strict=True):
        levels[:, i] = lv
    a, b = firsts.tolist(), seconds.tolist()
    weights, agreeing = model.tally(
        levels, lambda row: (feats[a[row]], feats[b[row]]), tf, (firsts, seconds), _job["codes"],
        _job["reads"].alike(firsts, seconds),
    )
    return weights, agreeing, by_pair


def pick_levels(
    feats: dict[int, Any], columns: MentionColumns, firsts: Keys, seconds: Keys
) -> npt.NDArray[np.uint8]:
    """Every comparison's level byte for the pairs (``firsts[i]``, ``seconds[i]``): those of
    :data:`BY_PAIR` once per distinct pair of values, the rest for all the pairs at once
    (``columns``)."""
    levels = np.empty((len(firsts), len(_NAMES)), dtype=np.uint8)
    levels[:, BY_PAIR] = _pick_by_pair(firsts, seconds, ReadCodes.of(feats))
    for i, lv in zip(IN_BULK, columns.levels(firsts, seconds), strict=True):
        levels[:, i] = lv
    return levels


def _pick_by_pair(firsts: Keys, seconds: Keys, reads: ReadCodes) -> npt.NDArray[np.uint8]:
    """The :data:`BY_PAIR` levels of the pairs (``firsts[i]``, ``seconds[i]``), a row each:
    each comparison's pick runs once for every distinct pair of codes (:class:`ReadCodes`)."""
    feats = reads.feats
    out = np.empty((len(firsts), len(BY_PAIR)), dtype=np.uint8)
    for j, i in enumerate(BY_PAIR.tolist()):
        pick = PERSON_COMPARISONS[i].pick
        holders = reads.holders[j]
        distinct, inverse = np.unique(reads.pairs_of(j, firsts, seconds), return_inverse=True)
        a, b = np.divmod(distinct, len(holders))
        picked = bytes(
            NO_LEVEL if (lv := pick(feats[x], feats[y])) is None else lv
            for x, y in zip(holders[a].tolist(), holders[b].tolist(), strict=True)
        )
        out[:, j] = np.frombuffer(picked, dtype=np.uint8)[inverse]
    return out


def _shared_array(n: int, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """An array in memory that forked workers write and this process reads (an anonymous
    shared mapping), unmapped when the array goes: one mapping each, so that the weights can
    go while the levels carry over."""
    size = n * np.dtype(dtype).itemsize
    return np.frombuffer(mmap.mmap(-1, max(1, size)), dtype=dtype, count=n)


def score_all(
    feats: dict[int, Any],
    keys: Keys,
    model: PersonModel,
    tf: TermFrequencies,
    before: Carry | None = None,
    reads: ReadCodes | None = None,
) -> Scores:
    """Score every pair of ``keys`` (sorted :func:`pair_key` values).

    ``before``: what the previous round's scores carry (:meth:`Scores.carry`); a pair scored
    there keeps the levels of every comparison picked pair by pair (none of them reads what
    rounds change). It is released as soon as the workers have it: a round's scores are the
    largest thing a run holds, and two rounds' at once were its peak.

    The results are written by the workers straight into memory shared with this process (an
    anonymous shared mapping, inherited by fork): nothing is pickled, joined or copied.

    ``reads``: the :class:`ReadCodes` of these mentions' own features, with ``model``'s
    term-frequency features, when the caller keeps them from one round to the next; built here
    otherwise.
    """
    n, width = len(keys), len(BY_PAIR)
    columns = MentionColumns.of(feats) if n else None
    if n and reads is None:
        reads = ReadCodes.of(feats, model.tf_features)
    codes = reads.values if reads is not None else None
    out = (
        _shared_array(n, np.float64),
        _shared_array(n, np.uint8),
        _shared_array(n * width, np.uint8).reshape(n, width),
    )
    _job.update(feats=feats, keys=keys, model=model, tf=tf, before=before, codes=codes,
                columns=columns, reads=reads, out=out)
    try:
        workers = min(os.cpu_count() or 1, 8)
        if n < MIN_PARALLEL or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            _score_range((0, n))
            _release(before)
        else:
            step = -(-n // workers)
            chunks = [(i, min(i + step, n)) for i in range(0, n, step)]
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                done = pool.map(_score_range, chunks)  # every worker is forked by now
                _release(before)
                for _ in done:  # a worker's error is raised here
                    pass
    finally:
        _job.clear()
    return Scores(keys, *out)


def _release(before: Carry | None) -> None:
    if before is not None:
        before.release()
