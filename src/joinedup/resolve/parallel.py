"""Scoring candidate pairs on every core.

Scoring is pure Python and the pairs are independent, so a large batch is split across worker
processes. Workers are forked: they see the features and the model without copying them, and
send back only the weights. Small batches (tests, one new report) stay in this process, where
forking would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from joinedup.resolve.scoring import PersonModel, TermFrequencies

MIN_PARALLEL = 50_000  # pairs below which one process is faster than forking workers

_job: dict[str, Any] = {}


def _score_chunk(bounds: tuple[int, int]) -> list[tuple[float, int]]:
    feats, pairs, model, tf = _job["feats"], _job["pairs"], _job["model"], _job["tf"]
    return [model.quick(feats[a], feats[b], tf) for a, b in pairs[bounds[0] : bounds[1]]]


def score_all(
    feats: dict[int, Any], pairs: list[tuple[int, int]], model: PersonModel, tf: TermFrequencies
) -> list[tuple[float, int]]:
    """(weight, identifying agreements) of every pair, in order."""
    workers = min(os.cpu_count() or 1, 8)
    if (
        len(pairs) < MIN_PARALLEL
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [model.quick(feats[a], feats[b], tf) for a, b in pairs]
    _job.update(feats=feats, pairs=pairs, model=model, tf=tf)
    try:
        step = -(-len(pairs) // workers)
        chunks = [(i, min(i + step, len(pairs))) for i in range(0, len(pairs), step)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return [r for part in pool.map(_score_chunk, chunks) for r in part]
    finally:
        _job.clear()
