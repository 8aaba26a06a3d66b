"""The relational comparisons (``context`` and ``network``) of many pairs at once.

Every resolution round changes what each mention's report names with it, so these two
comparisons are picked again for every candidate pair each round: millions of set
intersections at 100k reports, most of a round's time when done pair by pair in Python. Here
each mention's context and network are rows of sparse 0/1 matrices (mention x entity), and
the intersection sizes of many pairs are row-wise products of two row selections.

The levels are exactly those of :func:`joinedup.resolve.comparisons._context` and
:func:`~joinedup.resolve.comparisons._network` (``tests/resolve/test_pair_scoring.py``
compares every pair of a scenario); those stay the definition, used for single pairs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from joinedup.resolve.scoring import NO_LEVEL

Levels = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class RelationalSets:
    """Each mention's context and network as a row of a sparse matrix, and its ``lone`` flag.

    ``row`` maps a mention key to its row (keys are small integers: an array is the map)."""

    row: npt.NDArray[np.int64]
    context: sparse.csr_matrix
    network: sparse.csr_matrix
    lone: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, feats: Mapping[int, Mapping[str, Any]]) -> RelationalSets:
        pks = list(feats)
        row = np.full(max(pks, default=0) + 1, -1, dtype=np.int64)
        row[pks] = np.arange(len(pks))
        codes: dict[str, int] = {}
        matrices = []
        for name in ("context", "network"):
            indptr = [0]
            indices: list[int] = []
            for f in feats.values():
                indices += [codes.setdefault(e, len(codes)) for e in f.get(name) or ()]
                indptr.append(len(indices))
            matrices.append((indptr, indices))
        shape = (len(pks), max(len(codes), 1))
        context, network = (
            sparse.csr_matrix(
                (np.ones(len(ix), dtype=np.int32), np.array(ix, dtype=np.int32), indptr),
                shape=shape,
            )
            for indptr, ix in matrices
        )
        lone = np.array([bool(f.get("lone")) for f in feats.values()], dtype=bool)
        return cls(row, context, network, lone)

    def levels(
        self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
    ) -> tuple[Levels, Levels]:
        """The context and network level bytes of the pairs (``a[i]``, ``b[i]``)."""
        ra, rb = self.row[a], self.row[b]
        ctx_a, ctx_b = _sizes(self.context, ra), _sizes(self.context, rb)
        net_a, net_b = _sizes(self.network, ra), _sizes(self.network, rb)
        shared_ctx = _shared(self.context, ra, rb)
        shared_net = _shared(self.network, ra, rb)

        context = np.full(len(a), NO_LEVEL, dtype=np.uint8)
        both = (ctx_a > 0) & (ctx_b > 0)
        context[both & (shared_ctx == 0) & (shared_net > 0)] = 2
        context[both & (shared_ctx == 1)] = 1
        context[both & (shared_ctx >= 2)] = 0

        network = np.full(len(a), NO_LEVEL, dtype=np.uint8)
        both = (net_a > 0) & (net_b > 0)
        lone = self.lone[ra] | self.lone[rb]
        network[both & (shared_net == 0)] = np.where(lone, 3, 4)[both & (shared_net == 0)]
        network[both & (shared_net == 1)] = 2
        many = both & (shared_net >= 2)
        half = 2 * shared_net >= np.minimum(net_a, net_b)
        network[many & half] = 0
        network[many & ~half] = 1
        return context, network


def _sizes(m: sparse.csr_matrix, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.diff(m.indptr)[rows]


def _shared(
    m: sparse.csr_matrix, ra: npt.NDArray[np.int64], rb: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """How many entities rows ``ra[i]`` and ``rb[i]`` hold both (0/1 rows: the product)."""
    return np.asarray(m[ra].multiply(m[rb]).sum(axis=1), dtype=np.int64).ravel()
