"""Clustering events into incidents, strongest pair first, each merge checked against the whole.

Merging pair by pair chains strangers: an "unknown" mechanism joins an air strike and a shelling
that can never be one event. Here two clusters merge only when

- no analyst split a report of one from a report of the other (a split always holds);
- they do not both hold a record of one event dataset (meltt's one-to-one rule: a dataset has
  de-duplicated itself, so one of its records matches at most one of another's; the runner-up
  becomes a contender);
- they do not both hold a report of one organisation taken from one of its documents
  (``source.document``): a bulletin that lists several attacks has told them apart itself, as
  two mentions in one report are two people;
- every report of one is compatible with every report of the other (the rules of
  :func:`~joinedup.resolve.incidents.comparison.compare`: dates, places, mechanism, target,
  facility) and scores at least ``cohesion_at`` with it, so an incident never holds two reports
  that could not be, or look unlike, one event;
- their reports, compared directly, score on average at least ``cohesion_mean_at``: a report
  that says little (no toll, no mechanism) scores just enough with each of two events in one
  town on one day, but the reports of those two events, compared across, do not.

Must-links come first and skip the last three checks: an analyst's confirm (always applied, unless
it contradicts a split, which is reported), a report ``derived_from`` another (it only repeats
it), and reports that carry one upstream record's id. A report an analyst confirmed into an
incident is vouched for: the cohesion check does not weigh it against the reports that join
later, or a confirmed denial ("our forces did not strike the convoy", placed only in the
governorate) would keep the convoy's other reports out of the very incident it was put in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from joinedup.resolve.incidents.comparison import Verdict
from joinedup.resolve.incidents.events import Event

__all__ = ["Clusters", "Exclusion", "exclusions"]

Exclusion = tuple[str, str, str]
"""What a cluster may hold once: ``("dataset", org, "")``, a record of an event dataset, or
``("document", org, document)``, a report of one organisation's document."""


def exclusions(event: Event, one_to_one_agencies: frozenset[str]) -> frozenset[Exclusion]:
    """What ``event`` holds that no other report of its incident may hold too."""
    held: set[Exclusion] = set()
    if event.agency in one_to_one_agencies:
        held.add(("dataset", event.org, ""))
    if event.document is not None:
        held.add(("document", event.org, event.document))
    return frozenset(held)


def _refusal(both: set[Exclusion]) -> str:
    kind, org, document = min(both)
    if kind == "dataset":
        return (f"one-to-one: each incident already holds a record of {org}, "
                "and a dataset's records are different events")
    return (f"one document: each incident already holds a report of {org} taken from "
            f"{document!r}, and a source told its reports of one document apart")


class Clusters:
    """Union-find over event indices, with the constraints above."""

    def __init__(
        self,
        events: Sequence[Event],
        exclusive: Callable[[Event], frozenset[Exclusion]],
        verdict: Callable[[int, int], Verdict | None],
        cohesion_at: float,
        cohesion_mean_at: float | None = None,
    ) -> None:
        self._events = events
        self._verdict = verdict
        self._cohesion_at = cohesion_at
        self._cohesion_mean_at = cohesion_mean_at
        self.parent = list(range(len(events)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(events))}
        self.held: dict[int, set[Exclusion]] = {
            i: set(held) for i, e in enumerate(events) if (held := exclusive(e))
        }
        self.forbidden: dict[int, set[int]] = {}
        self.vouched: set[int] = set()  # reports an analyst confirmed into their incident

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def forbid(self, i: int, j: int) -> None:
        """An analyst's split: the clusters of ``i`` and ``j`` may never merge."""
        self.forbidden.setdefault(self.find(i), set()).add(j)
        self.forbidden.setdefault(self.find(j), set()).add(i)

    def split_between(self, i: int, j: int) -> bool:
        """Whether an analyst split some report of ``i``'s cluster from one of ``j``'s."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        mine, theirs = self.forbidden.get(ri, set()), self.forbidden.get(rj, set())
        return any(self.find(m) == rj for m in mine) or any(self.find(m) == ri for m in theirs)

    def why_not(self, i: int, j: int) -> str | None:
        """Why the clusters of ``i`` and ``j`` may not merge on a score, or None if they may."""
        ri, rj = self.find(i), self.find(j)
        if self.split_between(ri, rj):
            return "split by an analyst"
        both = self.held.get(ri, set()) & self.held.get(rj, set())
        if both:
            return _refusal(both)
        total, pairs = 0.0, 0
        for x in self.members[ri]:
            for y in self.members[rj]:
                if x in self.vouched or y in self.vouched:
                    continue
                v = self._verdict(x, y)
                if v is None:
                    what = "could not be one event"
                elif v.kind != "candidate":
                    what = f"are an {v.kind} pair"
                elif v.score < self._cohesion_at:
                    what = f"score {v.score:g} compared directly"
                else:
                    total, pairs = total + v.score, pairs + 1
                    continue
                return f"{self._events[x].key} and {self._events[y].key} {what}"
        if self._cohesion_mean_at is not None and pairs and total / pairs < self._cohesion_mean_at:
            return (f"their reports score {total / pairs:.2f} on average compared directly, "
                    f"below {self._cohesion_mean_at:g}")
        return None

    def union(self, i: int, j: int) -> int:
        """Merge the clusters of ``i`` and ``j`` (no check: see :meth:`why_not`); the root."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return ri
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri] += self.members.pop(rj)
        if rj in self.held:
            self.held.setdefault(ri, set()).update(self.held.pop(rj))
        if rj in self.forbidden:
            self.forbidden.setdefault(ri, set()).update(self.forbidden.pop(rj))
        return ri
