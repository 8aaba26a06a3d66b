"""Independent sources: reports that share an upstream origin count once (conflict.md rule 1).

Two outlets that both quote the Syrian Observatory for Human Rights are one source, whatever
their names; an outlet quoting the Observatory and the Observatory's own report are one source;
a report ``derived_from`` another only repeats it and counts for nothing. Every grade is
computed on the sources this module returns, never on a count of reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from joinedup.resolve.incidents.events import Event, origin_key

__all__ = ["Source", "independence_key", "independent_sources", "origin_of"]


def origin_of(event: Event) -> str:
    """The origin a report relies on: its ``upstream`` if given, else its own organisation,
    folded ("SOHR", "sohr " and "S.O.H.R." are not told apart). Both are read through the
    outlets table (``profiles/conflict/outlets.yaml``; ``Event.upstream`` and
    ``Event.outlet``): the Observatory's own report, its organisation written
    "syrian-observatory-for-human-rights", and an outlet quoting "SOHR" are one source. The
    table is looked up by this same folded key, so it can join two origins, never split one."""
    return origin_key(event.upstream or event.outlet or event.org)


def independence_key(event: Event) -> str | None:
    """What counts once when corroboration is counted: the report's origin, or None for a
    derived report, which never counts."""
    return None if event.derived_from else origin_of(event)


@dataclass(frozen=True)
class Source:
    """One independent source: its origin as first written (``name``: an upstream as its
    outlet's canonical name, an organisation as the report writes it; ``key`` is the folded
    form that decides who is one source) and the member reports that rely on it."""

    key: str
    name: str
    events: tuple[Event, ...]

    @property
    def reports(self) -> tuple[str, ...]:
        return tuple(e.key for e in self.events)


def independent_sources(events: Iterable[Event]) -> tuple[tuple[Source, ...], tuple[str, ...]]:
    """The independent sources among ``events`` (in order of origin), and the keys of the
    derived reports left out."""
    by_origin: dict[str, list[Event]] = {}
    derived = []
    for e in sorted(events, key=lambda e: e.key):
        key = independence_key(e)
        if key is None:
            derived.append(e.key)
            continue
        by_origin.setdefault(key, []).append(e)
    sources = tuple(Source(key, group[0].upstream or group[0].org, tuple(group))
                    for key, group in sorted(by_origin.items()))
    return sources, tuple(derived)
