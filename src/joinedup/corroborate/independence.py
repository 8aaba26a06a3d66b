"""Independent sources: reports that share an upstream origin count once (conflict.md rule 1).

Two outlets that both quote the Syrian Observatory for Human Rights are one source, whatever
their names; an outlet quoting the Observatory and the Observatory's own report are one source;
a report ``derived_from`` another only repeats it and counts for nothing. Every grade is
computed on the sources this module returns, never on a count of reports.

An ``upstream`` is the report's own word. For the kinds of report whose account is the
sender's own (an eyewitness, a victim or their family) that word may split one sender into
several sources only for the deployment's partner channels (``partners`` in the conflict
profile): any other organisation's first-hand accounts count once, however many upstreams
they name, or one organisation could confirm an attack by itself ("two independent
eyewitnesses").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from joinedup.profiles import load_profile
from joinedup.resolve.incidents.events import Event, origin_key

__all__ = [
    "Source",
    "independence_key",
    "independent_sources",
    "origin_of",
    "own_account",
    "shipped_partners",
]

def shipped_partners() -> frozenset[str]:
    """The conflict profile's partner channels (``partners`` in its profile.yaml), as
    ``source.org`` writes them: the same list ingest holds ``partner: true`` to."""
    return load_profile("conflict").partners


def own_account(event: Event, partners: frozenset[str] | None = None) -> bool:
    """Whether ``event`` is a first-hand account (a source type of the profile's
    ``own_accounts``: an eyewitness, a victim or their family) from an organisation that is
    not one of ``partners`` (the shipped profile's when None): its upstream is not counted
    apart from the organisation. A partner channel (a witness line) is trusted to relay
    distinct witnesses, each named as an upstream; anyone else is one witness."""
    if event.agency not in load_profile("conflict").own_accounts:
        return False
    return event.org not in (shipped_partners() if partners is None else partners)


def origin_of(event: Event, partners: frozenset[str] | None = None) -> str:
    """The origin a report relies on: its ``upstream`` if given, else its own organisation,
    folded ("SOHR", "sohr " and "S.O.H.R." are not told apart). Both are read through the
    outlets table (``profiles/conflict/outlets.yaml``; ``Event.upstream`` and
    ``Event.outlet``): the Observatory's own report, its organisation written
    "syrian-observatory-for-human-rights", and an outlet quoting "SOHR" are one source. The
    table is looked up by this same folded key, so it can join two origins, never split one.

    A first-hand account from an organisation outside ``partners`` (:func:`own_account`) is
    its organisation's, whatever upstream it names."""
    if own_account(event, partners):
        return origin_key(event.outlet or event.org)
    return origin_key(event.upstream or event.outlet or event.org)


def independence_key(event: Event, partners: frozenset[str] | None = None) -> str | None:
    """What counts once when corroboration is counted: the report's origin, or None for a
    derived report, which never counts."""
    return None if event.derived_from else origin_of(event, partners)


@dataclass(frozen=True)
class Source:
    """One independent source: its origin as first written (``name``: an upstream as its
    outlet's canonical name, an organisation as the report writes it; ``key`` is the folded
    form that decides who is one source) and the member reports that rely on it.
    ``unsplit`` are the upstreams its first-hand reports from an organisation outside the
    partners named, which were not counted as sources of their own (:func:`own_account`)."""

    key: str
    name: str
    events: tuple[Event, ...]
    unsplit: tuple[str, ...] = ()

    @property
    def reports(self) -> tuple[str, ...]:
        return tuple(e.key for e in self.events)


def independent_sources(
    events: Iterable[Event], partners: frozenset[str] | None = None
) -> tuple[tuple[Source, ...], tuple[str, ...]]:
    """The independent sources among ``events`` (in order of origin), and the keys of the
    derived reports left out. ``partners``: the partner channels, the shipped profile's when
    None (:func:`own_account`)."""
    partners = shipped_partners() if partners is None else partners
    by_origin: dict[str, list[Event]] = {}
    derived = []
    for e in sorted(events, key=lambda e: e.key):
        key = independence_key(e, partners)
        if key is None:
            derived.append(e.key)
            continue
        by_origin.setdefault(key, []).append(e)
    sources = tuple(_source(key, group, partners) for key, group in sorted(by_origin.items()))
    return sources, tuple(derived)


def _source(key: str, group: list[Event], partners: frozenset[str]) -> Source:
    """One source of the reports ``group`` whose origin is ``key``, named after the first."""
    first = group[0]
    name = first.org if own_account(first, partners) else first.upstream or first.org
    unsplit = sorted({e.upstream for e in group if e.upstream and own_account(e, partners)
                      and origin_key(e.upstream) != key})
    return Source(key, name, tuple(group), tuple(unsplit))
