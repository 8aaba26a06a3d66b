"""Fellegi-Sunter match weights from a trained model's m and u probabilities.

The model is data: a JSON map of comparison name -> level -> {m, u}, plus the prior probability
that two random mentions are the same person. The shipped default
(``profiles/<profile>/person_model.json``) was trained with Splink on generated scenarios; a store
can retrain on its own data with ``joinedup resolve --train``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from joinedup.errors import ProfileError
from joinedup.resolve.comparisons import (
    PERSON_COMPARISONS,
    Comparison,
    Features,
    comparison_vector,
    feature_value,
    jaro_winkler,
)

IDENTIFYING = frozenset({"name", "alias", "dob", "address", "ids", "items"})
NO_LEVEL = 255  # the level byte of a comparison with nothing to compare (see tally)


@dataclass(frozen=True)
class Evidence:
    """The scored comparison of two mentions: the weight and the levels behind it."""

    weight: float
    reasons: tuple[tuple[str, str, float], ...]  # (comparison, level label, log2 Bayes factor)

    def identifies(self) -> bool:
        """Whether something that names a person agrees: a name, a nickname, an id, a phone or
        a vehicle. Context alone (same child, same takeaway) never merges two mentions: two men
        named with one child are, most often, two men."""
        return any(c in IDENTIFYING and w > 0 for c, _, w in self.reasons)

    def as_json(self) -> list[dict[str, Any]]:
        return [
            {"comparison": c, "level": lv, "bayes_factor_log2": round(w, 3)}
            for c, lv, w in self.reasons
        ]


@dataclass(frozen=True)
class TermFrequencies:
    """How common each value of a feature is (share of entities having it)."""

    tables: dict[str, dict[str, float]]
    defaults: dict[str, float]

    def u_similar(self, feature: str, a: Features, b: Features, fallback: float) -> float:
        """u for two similar values ("Jay" and "Jai"): as common as the rarer of the most alike
        pair, so that a typo of a common nickname weighs no more than the nickname itself."""
        table = self.tables.get(feature)
        va, vb = a.get(feature) or [], b.get(feature) or []
        if table is None or not va or not vb:
            return fallback
        default = self.defaults.get(feature, fallback)
        x, y = max(((x, y) for x in sorted(va) for y in sorted(vb)), key=lambda p: jaro_winkler(*p))
        return min(table.get(x, default), table.get(y, default))

    def u(self, feature: str, a: Features, b: Features, fallback: float) -> float:
        """u for the values two mentions share: the frequency of the rarest shared one."""
        va, vb = feature_value(a, feature), feature_value(b, feature)
        if isinstance(va, list | frozenset) and isinstance(vb, list | frozenset):
            shared = set(va) & set(vb)
        else:
            shared = {va} if va is not None and va == vb else set()
        table = self.tables.get(feature)
        if not shared or table is None:
            return fallback
        default = self.defaults.get(feature, fallback)
        return min(table.get(str(x), default) for x in shared)


@dataclass(frozen=True)
class ValueCodes:
    """For each term-frequency feature, the one value each mention holds, as a code per mention
    key (-1: none, or several), so that a chunk of pairs finds its shared values with NumPy."""

    codes: dict[str, npt.NDArray[np.int32]]
    values: dict[str, list[str]]


def value_codes(feats: dict[int, Features], features: tuple[str, ...]) -> ValueCodes:
    """The :class:`ValueCodes` of ``feats`` (mention key -> features) for ``features``."""
    size = max(feats, default=-1) + 1
    codes: dict[str, npt.NDArray[np.int32]] = {}
    values: dict[str, list[str]] = {}
    for feature in features:
        column = np.full(size, -1, dtype=np.int32)
        index: dict[str, int] = {}
        for pk, f in feats.items():
            value = feature_value(f, feature)
            if isinstance(value, list | frozenset | set | tuple):
                if len(value) != 1:
                    continue
                (value,) = value
            if isinstance(value, str) and value:
                column[pk] = index.setdefault(value, len(index))
        codes[feature], values[feature] = column, list(index)
    return ValueCodes(codes, values)


@dataclass(frozen=True)
class PersonModel:
    """m and u per comparison level, the prior, and term frequencies of nicknames."""

    prior: float
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    alias_tf: dict[str, float]
    alias_tf_default: float
    first_tf: dict[str, float] = field(default_factory=dict)
    first_tf_default: float = 0.01
    # person mentions the prior was estimated on (None: unknown, the prior is used as it is)
    mentions: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PersonModel:
        try:
            model = cls(
                prior=float(data["prior"]),
                m=data["m"],
                u=data["u"],
                alias_tf=dict(data.get("alias_tf", {})),
                alias_tf_default=float(data.get("alias_tf_default", 0.001)),
                first_tf=dict(data.get("first_tf", {})),
                first_tf_default=float(data.get("first_tf_default", 0.01)),
                mentions=int(data["mentions"]) if data.get("mentions") else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProfileError(f"person model: missing or bad value: {exc}") from exc
        for comp in PERSON_COMPARISONS:
            for table in (model.m, model.u):
                values = table.get(comp.name)
                if values is None or len(values) != len(comp.levels):
                    raise ProfileError(f"person model: {comp.name} needs {len(comp.levels)} levels")
        return model

    @classmethod
    def load(cls, path: Path) -> PersonModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def to_json(self) -> dict[str, Any]:
        return {
            "prior": self.prior,
            "m": self.m,
            "u": self.u,
            "alias_tf": self.alias_tf,
            "alias_tf_default": self.alias_tf_default,
            "first_tf": self.first_tf,
            "first_tf_default": self.first_tf_default,
            **({"mentions": self.mentions} if self.mentions else {}),
        }

    def for_size(self, mentions: int) -> PersonModel:
        """The model for resolving ``mentions`` person mentions: the prior scaled to them.

        The prior is the probability that two mentions drawn at random are one person. Each
        person is mentioned a few times whatever the size of the store, so the number of
        matching pairs grows with the mentions and the number of pairs with their square: in a
        store a hundred times the size of the training data, a random pair is a hundred times
        less likely to match, and the same evidence (a common name, a narrow age) must weigh
        log2(100) = 6.6 bits less to say the same. Splink estimates this prior afresh on each
        dataset for the same reason. A store smaller than the training data keeps the trained
        prior: never more ready to merge than the model was trained to be.
        """
        if not self.mentions or mentions <= self.mentions:
            return self
        shrink = self.mentions / mentions
        scaled = {c.name: c.store_levels for c in PERSON_COMPARISONS}
        u = {
            name: [u * shrink if i in scaled.get(name, ()) else u for i, u in enumerate(us)]
            for name, us in self.u.items()
        }
        return replace(self, prior=self.prior * shrink, u=u, mentions=mentions)

    @cached_property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))

    def shipped_frequencies(self) -> TermFrequencies:
        """Term frequencies from the model file, for when a store's own data is too small."""
        return TermFrequencies(
            {"aliases": self.alias_tf, "first_key": self.first_tf},
            {"aliases": self.alias_tf_default, "first_key": self.first_tf_default},
        )

    @cached_property
    def _bayes_factors(self) -> dict[str, list[float]]:
        """log2(m/u) per level, computed once: most pairs need no term frequency."""
        return {
            c.name: [
                math.log2(max(m, 1e-12) / max(u, 1e-12))
                for m, u in zip(self.m[c.name], self.u[c.name], strict=True)
            ]
            for c in PERSON_COMPARISONS
        }

    def _bf(
        self, comp: Comparison, level: int, a: Features, b: Features, tf: TermFrequencies
    ) -> float:
        exact = comp.exact_tf_feature(level)
        if exact or (comp.tf_feature and level == comp.tf_fuzzy_level):
            m, u = self.m[comp.name][level], self.u[comp.name][level]
            if exact:
                u = tf.u(exact, a, b, u)
            else:
                u = max(u, tf.u_similar(str(comp.tf_feature), a, b, u))
            return math.log2(max(m, 1e-12) / max(u, 1e-12))
        return self._bayes_factors[comp.name][level]

    @cached_property
    def _plan(self) -> tuple[tuple[Any, list[float], tuple[int | None, ...], bool, Comparison],
                             ...]:
        """Per comparison, what the hot loop needs, looked up once: the level picker, the
        Bayes factors, the levels that need term frequencies, and whether it identifies."""
        return tuple(
            (c.pick, self._bayes_factors[c.name],
             ((c.tf_level, c.tf_fuzzy_level) if c.tf_feature else ())
             + tuple(level for level, _ in c.tf_extra),
             c.name in IDENTIFYING, c)
            for c in PERSON_COMPARISONS
        )

    def quick(self, a: Features, b: Features, tf: TermFrequencies) -> tuple[float, int]:
        """The match weight, and how many identifying comparisons agree, without the reasons:
        the hot path over every candidate pair. :meth:`score` explains the pairs kept."""
        total = self.prior_weight
        agreeing = 0
        for pick, factors, tf_levels, identifying, comp in self._plan:
            level = pick(a, b)
            if level is None:
                continue
            bf = self._bf(comp, level, a, b, tf) if level in tf_levels else factors[level]
            total += bf
            if identifying and bf > 0:
                agreeing += 1
        return total, agreeing

    @cached_property
    def tf_features(self) -> tuple[str, ...]:
        """The features whose frequencies exact term-frequency levels read."""
        out = (c.exact_tf_feature(i) for c in PERSON_COMPARISONS for i in range(len(c.levels)))
        return tuple(dict.fromkeys(f for f in out if f))

    def _exact_tf(
        self,
        comp: Comparison,
        level: int,
        rows: npt.NDArray[np.intp],
        pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
        codes: ValueCodes,
        tf: TermFrequencies,
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]] | None:
        """The Bayes factors of ``rows`` at an exact term-frequency level whose two sides hold
        one and the same value, found with NumPy (the rows, their factors); None when the level
        reads no frequency. Each distinct value's factor is computed as :meth:`_bf` computes it,
        so the floats are the same."""
        feature = comp.exact_tf_feature(level)
        if feature is None or feature not in codes.codes:
            return None
        column = codes.codes[feature]
        ca, cb = column[pairs[0][rows]], column[pairs[1][rows]]
        one = (ca >= 0) & (ca == cb)
        m, fallback = self.m[comp.name][level], self.u[comp.name][level]
        table = tf.tables.get(feature)
        default = tf.defaults.get(feature, fallback)
        found, where = np.unique(ca[one], return_inverse=True)
        factors = []
        for code in found.tolist():
            u = fallback if table is None else table.get(codes.values[feature][code], default)
            factors.append(math.log2(max(m, 1e-12) / max(u, 1e-12)))
        return rows[one], np.asarray(factors, dtype=np.float64)[where.reshape(-1)]

    def tally(
        self,
        levels: npt.NDArray[np.uint8],
        sides: Callable[[int], tuple[Features, Features]],
        tf: TermFrequencies,
        pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None,
        codes: ValueCodes | None = None,
        alike: Callable[[int, npt.NDArray[np.intp]], npt.NDArray[np.int64] | None] | None = None,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
        """:meth:`quick` of many pairs whose levels are known (one row of level bytes per pair:
        the level each comparison picked, or :data:`NO_LEVEL`), comparison by comparison over
        all pairs at once.

        ``sides(row)``: the features of that row's two mentions, read only for the levels whose
        Bayes factor needs term frequencies. Factors are added in :meth:`quick`'s order, and a
        comparison with nothing to compare adds 0.0, which leaves a float unchanged, so every
        weight is the same float as :meth:`quick` gives.

        ``pairs`` (the two mention keys of each row) and ``codes`` (:func:`value_codes` of the
        mentions): rows whose two sides hold one and the same value of a term-frequency feature
        are looked up a value at a time instead of a row at a time.

        ``alike(i, rows)``: a label per row, equal for rows whose two sides hold the same values
        of what comparison ``i`` reads (None: not known), so that the rest of the rows that need
        frequencies get one Bayes factor computed per label.
        """
        total = np.full(len(levels), self.prior_weight)
        agreeing = np.zeros(len(levels), dtype=np.uint8)
        for i, (_, factors, tf_levels, identifying, comp) in enumerate(self._plan):
            table = np.zeros(NO_LEVEL + 1)
            table[: len(factors)] = factors
            column = levels[:, i]
            bf = table[column]
            if tf_levels:
                rows = np.flatnonzero(np.isin(column, [lv for lv in tf_levels if lv is not None]))
                if pairs is not None and codes is not None:
                    done = np.zeros(len(levels), dtype=bool)
                    for level in {lv for lv in tf_levels if lv is not None}:
                        found = self._exact_tf(
                            comp, level, rows[column[rows] == level], pairs, codes, tf
                        )
                        if found is not None:
                            bf[found[0]] = found[1]
                            done[found[0]] = True
                    rows = rows[~done[rows]]
                # one factor per label (rows alike in what the comparison reads), else per row
                reps, inverse = rows, None
                labels = alike(i, rows) if alike is not None and len(rows) else None
                if labels is not None:
                    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
                    reps = rows[first]
                factors_of = np.asarray([
                    self._bf(comp, level, *sides(row), tf)
                    for row, level in zip(reps.tolist(), column[reps].tolist(), strict=True)
                ], dtype=np.float64)
                bf[rows] = factors_of if inverse is None else factors_of[inverse.reshape(-1)]
            total += bf
            if identifying:
                agreeing += bf > 0
        return total, agreeing

    def comparable(self, a: Features, b: Features) -> bool:
        """Whether anything that names a person can be compared between two mentions (both
        give a name, both a nickname, a date of birth, an address, an identifier or a phone or
        vehicle). "Ryan Hughes" and "Danny" compare nothing: neither agrees nor disagrees."""
        # names and nicknames first, by presence alone (their comparisons pick a level exactly
        # when both sides give one): picking the name level would weigh the names for nothing
        if (a.get("first_key") and b.get("first_key")) or (a.get("aliases") and b.get("aliases")):
            return True
        return any(c.pick(a, b) is not None for c in self._identifying)

    @cached_property
    def _identifying(self) -> tuple[Comparison, ...]:
        """The identifying comparisons other than names and nicknames."""
        return tuple(c for c in PERSON_COMPARISONS
                     if c.name in IDENTIFYING and c.name not in ("name", "alias"))

    def weight(self, a: Features, b: Features, tf: TermFrequencies | None = None) -> float:
        """The match weight alone (no reasons): for the many cross pairs of a cluster check."""
        return self.quick(a, b, tf or self.shipped_frequencies())[0]

    def mean_weight(self, xs: list[Features], ys: list[Features], tf: TermFrequencies) -> float:
        """Average linkage of two samples of mentions: the mean weight of their cross pairs
        that compare something naming a person (:meth:`comparable`), summed x by x; +inf when
        none does. (The full resolution computes the same through its cache of scores.)"""
        weights = [self.quick(a, b, tf)[0] for a in xs for b in ys if self.comparable(a, b)]
        return sum(weights) / len(weights) if weights else math.inf

    def score(self, a: Features, b: Features, tf: TermFrequencies | None = None) -> Evidence:
        """The match weight of two mentions and the reasons, level by level.

        ``tf`` holds the frequencies of values in the data being resolved: a shared rare
        nickname or first name weighs more than a common one (Splink's term-frequency
        adjustment: the level's u is replaced by the value's frequency).
        """
        tf = tf or self.shipped_frequencies()
        reasons = []
        total = self.prior_weight
        for comp, level in zip(PERSON_COMPARISONS, comparison_vector(a, b), strict=True):
            if level is None:
                continue
            bf = self._bf(comp, level, a, b, tf)
            total += bf
            reasons.append((comp.name, comp.levels[level], bf))
        return Evidence(total, tuple(reasons))


def probability(weight: float) -> float:
    """Match probability of a match weight."""
    return 1.0 / (1.0 + 2.0 ** (-weight))
