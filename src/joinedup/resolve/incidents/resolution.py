"""Incident de-duplication: reports of one event merged into one incident (conflict.md rule 2).

:func:`deduplicate` takes the events of a store (or of a file) and the analysts' decisions and
returns a :class:`Resolution`: every incident with its member reports, the scored pairs that
bind them (score and reasons), its *contenders* (other incidents it might be: pairs that scored
below the merge score, merges a constraint refused, places known only to the country) and its
*episode links* (longer intervals it lies inside, or shorter ones inside it). Contenders and
episode links are for review; an analyst's confirm or split on a pair of report keys is an
input and always holds on the next run.

It is a pure function of its inputs: no store, no clock, the same answer for the same events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from joinedup.errors import InputError
from joinedup.resolve.incidents.blocking import candidate_pairs
from joinedup.resolve.incidents.clustering import Clusters, exclusions
from joinedup.resolve.incidents.comparison import Verdict, compare
from joinedup.resolve.incidents.events import DedupProfile, Event, shipped_dedup_profile

__all__ = ["Contender", "Decision", "Edge", "EpisodeLink", "Incident", "Resolution",
           "deduplicate"]

EdgeKind = Literal["confirmed", "derived", "same_record", "match", "supporting"]


@dataclass(frozen=True)
class Decision:
    """An analyst's decision on two reports (keys ``org/id``): one event, or two."""

    kind: Literal["confirm", "split"]
    a: str
    b: str
    reason: str = ""


@dataclass(frozen=True)
class Edge:
    """Two member reports of one incident and what ties them. ``kind``: ``confirmed`` (an
    analyst), ``derived`` (one repeats the other), ``same_record`` (one upstream record),
    ``match`` (merged on its score), ``supporting`` (scored, inside an incident already one).
    ``score`` is None for a must-link between reports the rules never compared."""

    a: str
    b: str
    kind: EdgeKind
    score: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Contender:
    """Another incident this one might be, through its best pair of reports, and why the two
    were not merged (``why``)."""

    incident: str
    a: str
    b: str
    score: float
    reasons: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class EpisodeLink:
    """Another incident whose interval holds this one's, or lies inside it: linked, not merged
    (a siege and a strike during it; a report dated only to the month and one of its days)."""

    incident: str
    a: str
    b: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Incident:
    """One event as the reports describe it. ``id`` is ``incident:`` and the key of the
    earliest-reported member, so it stays put as later reports join."""

    id: str
    members: tuple[str, ...]
    edges: tuple[Edge, ...]
    contenders: tuple[Contender, ...]
    episodes: tuple[EpisodeLink, ...]


@dataclass(frozen=True)
class Resolution:
    """The incidents of one run. ``conflicts`` lists decisions that could not all hold (a
    confirm joining two reports an analyst split); ``compared`` counts candidate pairs."""

    incidents: tuple[Incident, ...]
    incident_of: dict[str, str]
    conflicts: tuple[str, ...]
    compared: int
    _by_id: dict[str, Incident] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {inc.id: inc for inc in self.incidents})

    def incident(self, incident_id: str) -> Incident:
        """The incident with this id (KeyError if none)."""
        return self._by_id[incident_id]

    def of(self, key: str) -> Incident:
        """The incident a report (``org/id``) belongs to."""
        return self.incident(self.incident_of[key])


def deduplicate(
    events: Sequence[Event],
    decisions: Iterable[Decision] = (),
    profile: DedupProfile | None = None,
) -> Resolution:
    """Merge events that describe one incident.

    Args:
        events: one per report (see :func:`~joinedup.resolve.incidents.event_from_report`),
            keys unique.
        decisions: analysts' confirms and splits on pairs of report keys; a decision naming a
            report not among ``events`` is ignored.
        profile: the de-duplication data; the shipped conflict profile's when None.

    Raises:
        InputError: if two events share a key.
    """
    data = profile or shipped_dedup_profile()
    index = _index(events)
    verdicts: dict[tuple[int, int], Verdict] = {}
    for i, j in candidate_pairs(events, data.settings.places, data.settings.dates.slack_days):
        if (v := compare(events[i], events[j], data)) is not None:
            verdicts[i, j] = v
    run = _Run(events, data, verdicts)
    conflicts = run.must_links(index, list(decisions))
    run.merge_on_scores()
    return run.resolution(conflicts)


def _index(events: Sequence[Event]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, e in enumerate(events):
        if index.setdefault(e.key, i) != i:
            raise InputError(f"two events share the key {e.key!r}",
                             hint="give each report once (its current version)")
    return index


class _Run:
    """The state of one de-duplication: verdicts, clusters, how each merge was made."""

    def __init__(self, events: Sequence[Event], data: DedupProfile,
                 verdicts: dict[tuple[int, int], Verdict]) -> None:
        self.events, self.data, self.verdicts = events, data, verdicts
        one_to_one = data.settings.sources.one_to_one_agencies
        scoring = data.settings.scoring
        self.clusters = Clusters(events, lambda e: exclusions(e, one_to_one), self.verdict,
                                 scoring.cohesion_at, scoring.cohesion_mean_at)
        self.how: dict[tuple[int, int], tuple[EdgeKind, tuple[str, ...]]] = {}
        self.refused: dict[tuple[int, int], str] = {}

    def verdict(self, i: int, j: int) -> Verdict | None:
        pair = (i, j) if i < j else (j, i)
        if pair not in self.verdicts:
            v = compare(self.events[pair[0]], self.events[pair[1]], self.data)
            if v is None:
                return None
            self.verdicts[pair] = v
        return self.verdicts[pair]

    def must_links(self, index: dict[str, int], decisions: list[Decision]) -> list[str]:
        """Apply splits, then confirms, derived_from and shared record ids; the conflicts."""
        conflicts = []
        for d in decisions:
            if d.kind == "split" and d.a in index and d.b in index:
                self.clusters.forbid(index[d.a], index[d.b])
        links: list[tuple[int, int, EdgeKind, str]] = [
            (index[d.a], index[d.b], "confirmed", f"confirmed by an analyst: {d.reason}".strip())
            for d in decisions if d.kind == "confirm" and d.a in index and d.b in index
        ]
        for i, e in enumerate(self.events):
            links += [(i, index[src], "derived", f"{e.key} is derived from {src}")
                      for src in e.derived_from if src in index]
        links += self._same_records()
        for i, j, kind, reason in links:
            if self.clusters.split_between(i, j):
                conflicts.append(f"{reason}: not applied, an analyst split "
                                 f"{self.events[i].key} and {self.events[j].key}'s incidents")
                continue
            self.clusters.union(i, j)
            if kind == "confirmed":
                self.clusters.vouched |= {i, j}
            self.how[min(i, j), max(i, j)] = (kind, (reason,))
        return conflicts

    def _same_records(self) -> list[tuple[int, int, EdgeKind, str]]:
        holders: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, e in enumerate(self.events):
            for record in e.records:
                holders[record].append(i)
        return [(first, other, "same_record", f"both carry {name} {value}")
                for (name, value), held in sorted(holders.items())
                for first, other in zip(held, held[1:], strict=False)]

    def merge_on_scores(self) -> None:
        merge_at = self.data.settings.scoring.merge_at
        ranked = sorted(
            ((v.score, i, j) for (i, j), v in self.verdicts.items()
             if v.kind == "candidate" and v.score >= merge_at),
            key=lambda t: (-t[0], self.events[t[1]].key, self.events[t[2]].key),
        )
        for _, i, j in ranked:
            if self.clusters.find(i) == self.clusters.find(j):
                continue
            why = self.clusters.why_not(i, j)
            if why is None:
                self.clusters.union(i, j)
                self.how[i, j] = ("match", self.verdicts[i, j].reasons)
            else:
                self.refused[i, j] = why

    def resolution(self, conflicts: list[str]) -> Resolution:
        find, events = self.clusters.find, self.events
        ids = {root: "incident:" + min((events[m].reported, events[m].key)
                                       for m in members)[1]
               for root, members in self.clusters.members.items()}
        edges: dict[int, list[Edge]] = defaultdict(list)
        for (i, j), (kind, reasons) in self.how.items():
            v = self.verdicts.get((i, j))
            edges[find(i)].append(Edge(*self._keys(i, j), kind, v.score if v else None, reasons))
        for (i, j), v in self.verdicts.items():
            if find(i) == find(j) and (i, j) not in self.how:
                edges[find(i)].append(Edge(*self._keys(i, j), "supporting", v.score, v.reasons))
        contenders, episodes = self._between(ids)
        incidents = []
        for root, members in self.clusters.members.items():
            incidents.append(Incident(
                id=ids[root],
                members=tuple(sorted(events[m].key for m in members)),
                edges=tuple(sorted(edges[root], key=lambda e: (e.a, e.b))),
                contenders=tuple(contenders[root]),
                episodes=tuple(episodes[root]),
            ))
        incidents.sort(key=lambda inc: inc.id)
        return Resolution(
            incidents=tuple(incidents),
            incident_of={events[m].key: ids[root]
                         for root, members in self.clusters.members.items() for m in members},
            conflicts=tuple(conflicts),
            compared=len(self.verdicts),
        )

    def _keys(self, i: int, j: int) -> tuple[str, str]:
        """A pair's report keys in one order, whatever the order of the input."""
        a, b = self.events[i].key, self.events[j].key
        return (a, b) if a < b else (b, a)

    def _between(self, ids: dict[int, str]) -> tuple[dict[int, list[Contender]],
                                                     dict[int, list[EpisodeLink]]]:
        """Each incident's best contenders and episode links, strongest first, capped."""
        scoring = self.data.settings.scoring
        find = self.clusters.find
        best: dict[tuple[int, int], tuple[float, int, int, str]] = {}
        for (i, j), v in self.verdicts.items():
            ri, rj = find(i), find(j)
            if ri == rj or (self.clusters.forbidden and self.clusters.split_between(i, j)):
                continue
            if v.kind == "episode":
                why = "episode"
            elif (i, j) in self.refused:
                why = f"merge refused: {self.refused[i, j]}"
            elif v.score < scoring.contender_at:
                continue
            elif v.kind == "review":
                why = "for review: never merged automatically"
            else:
                why = f"scored {v.score:g}, below the merge score {scoring.merge_at:g}"
            pair = (min(ri, rj), max(ri, rj))
            held = best.get(pair)
            if held is None or (-v.score, self._keys(i, j)) < (-held[0], self._keys(*held[1:3])):
                best[pair] = (v.score, i, j, why)
        contenders: dict[int, list[Contender]] = defaultdict(list)
        episodes: dict[int, list[EpisodeLink]] = defaultdict(list)
        ranked = sorted(best.items(), key=lambda t: (-t[1][0], self._keys(t[1][1], t[1][2])))
        for (ri, rj), (score, i, j, why) in ranked:
            v = self.verdicts[i, j]
            a, b = self._keys(i, j)
            for mine, other in ((ri, rj), (rj, ri)):
                if why == "episode":
                    if len(episodes[mine]) < scoring.max_episode_links:
                        episodes[mine].append(EpisodeLink(ids[other], a, b, score, v.reasons))
                elif len(contenders[mine]) < scoring.max_contenders:
                    contenders[mine].append(Contender(ids[other], a, b, score, v.reasons, why))
        return contenders, episodes
