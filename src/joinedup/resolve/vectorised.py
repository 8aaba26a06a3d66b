"""Comparisons of many pairs at once, where the comparison is arithmetic on sets and numbers.

A full run picks a level of every comparison for millions of candidate pairs: pair by pair in
Python that is most of its time. The comparisons here need no string similarity, so they are
computed for a whole chunk of pairs with NumPy: each mention's sets (context, network, towns,
postcode areas, phones and vehicles) are rows of sparse 0/1 matrices (mention x value), and
the intersection sizes of many pairs are row-wise products of two row selections; birth years
and sexes are arrays. The relational comparisons (context, network) change every round, so
this also makes re-picking them each round cheap.

The levels are exactly those of the functions in :mod:`joinedup.resolve.comparisons`
(``tests/resolve/test_pair_scoring.py`` compares every pair of a scenario); those stay the
definition, used for single pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from joinedup.resolve.scoring import NO_LEVEL

Levels = npt.NDArray[np.uint8]
Ints = npt.NDArray[np.int64]
SETS = ("context", "network", "locality", "areas", "items")
# the comparisons computed here, by name (see MentionColumns.levels)
VECTORISED = ("birth", "sex", "items", "context", "locality", "network")


@dataclass(frozen=True)
class MentionColumns:
    """What the vectorised comparisons read of every mention, one row per mention.

    ``row`` maps a mention key to its row (keys are small integers: an array is the map)."""

    row: Ints
    sets: dict[str, sparse.csr_matrix]
    lone: npt.NDArray[np.bool_]
    birth: Ints  # (n, 2): first and last possible birth year; -1 when unknown
    dob: npt.NDArray[np.bool_]  # a date of birth given
    sex: Ints  # a code per sex; -1 when unknown

    @classmethod
    def of(cls, feats: Mapping[int, Mapping[str, Any]]) -> MentionColumns:
        pks = list(feats)
        row = np.full(max(pks, default=0) + 1, -1, dtype=np.int64)
        row[pks] = np.arange(len(pks))
        codes: dict[str, int] = {}  # one code space: towns and entity ids never collide
        parts = {}
        for name in SETS:
            indptr = [0]
            indices: list[int] = []
            for f in feats.values():
                indices += [codes.setdefault(v, len(codes)) for v in f.get(name) or ()]
                indptr.append(len(indices))
            parts[name] = (indptr, indices)
        shape = (len(pks), max(len(codes), 1))
        sets = {
            name: sparse.csr_matrix(
                (np.ones(len(ix), dtype=np.int32), np.array(ix, dtype=np.int32), indptr),
                shape=shape,
            )
            for name, (indptr, ix) in parts.items()
        }
        birth = np.array(
            [(b[0], b[1]) if (b := f.get("birth")) else (-1, -1) for f in feats.values()],
            dtype=np.int64,
        ).reshape(-1, 2)
        sexes: dict[str, int] = {}
        sex = np.array(
            [sexes.setdefault(s, len(sexes)) if (s := f.get("sex")) else -1
             for f in feats.values()],
            dtype=np.int64,
        )
        return cls(
            row,
            sets,
            np.array([bool(f.get("lone")) for f in feats.values()], dtype=bool),
            birth,
            np.array([bool(f.get("dob")) for f in feats.values()], dtype=bool),
            sex,
        )

    def levels(
        self, a: Ints, b: Ints, names: Sequence[str] = VECTORISED
    ) -> list[Levels]:
        """The level bytes of the comparisons ``names`` (of :data:`VECTORISED`) for the pairs
        (``a[i]``, ``b[i]``) of mention keys."""
        pair = _Pair(self, self.row[a], self.row[b])
        return [_LEVELS[name](pair) for name in names]


class _Pair:
    """The rows of both sides of many pairs, with set sizes and intersections computed once."""

    def __init__(self, cols: MentionColumns, ra: Ints, rb: Ints) -> None:
        self.cols, self.ra, self.rb = cols, ra, rb
        self._sizes: dict[str, tuple[Ints, Ints]] = {}
        self._shared: dict[str, Ints] = {}

    def sizes(self, name: str) -> tuple[Ints, Ints]:
        if name not in self._sizes:
            counts = np.diff(self.cols.sets[name].indptr)
            self._sizes[name] = (counts[self.ra], counts[self.rb])
        return self._sizes[name]

    def shared(self, name: str) -> Ints:
        """How many values rows ``ra[i]`` and ``rb[i]`` both hold (0/1 rows: the product)."""
        if name not in self._shared:
            m = self.cols.sets[name]
            product = m[self.ra].multiply(m[self.rb]).sum(axis=1)
            self._shared[name] = np.asarray(product, dtype=np.int64).ravel()
        return self._shared[name]

    def empty(self) -> Levels:
        return np.full(len(self.ra), NO_LEVEL, dtype=np.uint8)


def _context(p: _Pair) -> Levels:
    out = p.empty()
    na, nb = p.sizes("context")
    both = (na > 0) & (nb > 0)
    shared = p.shared("context")
    # nothing linked in common counts only where something is in common within two steps
    out[both & (shared == 0) & (p.shared("network") > 0)] = 2
    out[both & (shared == 1)] = 1
    out[both & (shared >= 2)] = 0
    return out


def _network(p: _Pair) -> Levels:
    out = p.empty()
    na, nb = p.sizes("network")
    both = (na > 0) & (nb > 0)
    shared = p.shared("network")
    none = both & (shared == 0)
    out[none] = np.where(p.cols.lone[p.ra] | p.cols.lone[p.rb], 3, 4)[none]
    out[both & (shared == 1)] = 2
    many = both & (shared >= 2)
    half = 2 * shared >= np.minimum(na, nb)
    out[many & half] = 0
    out[many & ~half] = 1
    return out


def _locality(p: _Pair) -> Levels:
    out = p.empty()
    ta, tb = p.sizes("locality")
    pa, pb = p.sizes("areas")
    out[((ta > 0) & (tb > 0)) | ((pa > 0) & (pb > 0))] = 1
    out[(p.shared("locality") > 0) | (p.shared("areas") > 0)] = 0
    return out


def _items(p: _Pair) -> Levels:
    out = p.empty()
    na, nb = p.sizes("items")
    both = (na > 0) & (nb > 0)
    out[both] = np.where(p.shared("items") > 0, 0, 1)[both]
    return out


def _birth(p: _Pair) -> Levels:
    """Birth-year ranges; not compared when both sides give a date of birth (see _dob)."""
    out = p.empty()
    ba, bb = p.cols.birth[p.ra], p.cols.birth[p.rb]
    known = (ba[:, 0] >= 0) & (bb[:, 0] >= 0) & ~(p.cols.dob[p.ra] & p.cols.dob[p.rb])
    lo, hi = np.maximum(ba[:, 0], bb[:, 0]), np.minimum(ba[:, 1], bb[:, 1])
    narrow = (ba[:, 1] - ba[:, 0] <= 2) & (bb[:, 1] - bb[:, 0] <= 2)
    level = np.where(lo <= hi, np.where(narrow, 0, 1), np.where(lo - hi <= 2, 2, 3))
    out[known] = level[known]
    return out


def _sex(p: _Pair) -> Levels:
    out = p.empty()
    sa, sb = p.cols.sex[p.ra], p.cols.sex[p.rb]
    known = (sa >= 0) & (sb >= 0)
    out[known] = np.where(sa == sb, 0, 1)[known]
    return out


_LEVELS: dict[str, Callable[[_Pair], Levels]] = {
    "birth": _birth,
    "sex": _sex,
    "items": _items,
    "context": _context,
    "locality": _locality,
    "network": _network,
}
