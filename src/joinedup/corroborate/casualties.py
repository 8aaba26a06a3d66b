"""Casualty ranges of an incident: never a sum across its reports (conflict.md rule 3).

Every report keeps its own figure; the incident shows the range they span, the lowest minimum
and the highest maximum, with the reports behind each end, as Airwars and ACLED publish them.
Merged reports describe one event, so adding their tolls would count the same dead twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from joinedup.resolve.incidents.events import Event

__all__ = ["CasualtyRange", "casualty_range"]


@dataclass(frozen=True)
class CasualtyRange:
    """``min``..``max`` over the reports' figures; ``min_from``/``max_from`` the reports that
    gave each end; ``figures`` every report's own (min, max)."""

    min: int
    max: int
    min_from: tuple[str, ...]
    max_from: tuple[str, ...]
    figures: dict[str, tuple[int, int]]


def casualty_range(
    events: Iterable[Event], kind: Literal["killed", "injured"]
) -> CasualtyRange | None:
    """The range of ``kind`` over the reports that give a figure (None when none does).

    Examples:
        A report of 12 killed and its update of 20 give 12-20, never 32.
    """
    figures = {e.key: fig for e in events if (fig := getattr(e, kind)) is not None}
    if not figures:
        return None
    low = min(lo for lo, _ in figures.values())
    high = max(hi for _, hi in figures.values())
    return CasualtyRange(
        min=low,
        max=high,
        min_from=tuple(sorted(k for k, (lo, _) in figures.items() if lo == low)),
        max_from=tuple(sorted(k for k, (_, hi) in figures.items() if hi == high)),
        figures=dict(sorted(figures.items())),
    )
