"""Fellegi-Sunter match weights from a trained model's m and u probabilities.

The model is data: a JSON map of comparison name -> level -> {m, u}, plus the prior probability
that two random mentions are the same person. The shipped default
(``profiles/<profile>/person_model.json``) was trained with Splink on generated scenarios; a store
can retrain on its own data with ``joinedup resolve --train``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joinedup.errors import ProfileError
from joinedup.resolve.comparisons import PERSON_COMPARISONS, Features, comparison_vector


@dataclass(frozen=True)
class Evidence:
    """The scored comparison of two mentions: the weight and the levels behind it."""

    weight: float
    reasons: tuple[tuple[str, str, float], ...]  # (comparison, level label, log2 Bayes factor)

    def as_json(self) -> list[dict[str, Any]]:
        return [
            {"comparison": c, "level": lv, "bayes_factor_log2": round(w, 3)}
            for c, lv, w in self.reasons
        ]


@dataclass(frozen=True)
class PersonModel:
    """m and u per comparison level, the prior, and term frequencies of nicknames."""

    prior: float
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    alias_tf: dict[str, float]
    alias_tf_default: float

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PersonModel:
        try:
            model = cls(
                prior=float(data["prior"]),
                m=data["m"],
                u=data["u"],
                alias_tf=dict(data.get("alias_tf", {})),
                alias_tf_default=float(data.get("alias_tf_default", 0.001)),
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
        }

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))

    def _alias_u(self, a: Features, b: Features) -> float:
        """Term-frequency u for a shared nickname: a rare one weighs more than a common one."""
        shared = set(a.get("aliases") or []) & set(b.get("aliases") or [])
        return min(self.alias_tf.get(x, self.alias_tf_default) for x in shared)

    def score(self, a: Features, b: Features) -> Evidence:
        reasons = []
        total = self.prior_weight
        for comp, level in zip(PERSON_COMPARISONS, comparison_vector(a, b), strict=True):
            if level is None:
                continue
            m, u = self.m[comp.name][level], self.u[comp.name][level]
            if comp.tf_level == level:
                u = self._alias_u(a, b)
            bf = math.log2(max(m, 1e-12) / max(u, 1e-12))
            total += bf
            reasons.append((comp.name, comp.levels[level], bf))
        return Evidence(total, tuple(reasons))


def probability(weight: float) -> float:
    """Match probability of a match weight."""
    return 1.0 / (1.0 + 2.0 ** (-weight))
