"""Named rule recipes. Each is configured from the profile's rules.yaml and evaluated on a Picture.

A recipe replays its evidence in the order reports arrived (``reported_at``) and records the report
whose arrival first made the condition hold: ``raised_by``, the moment the system would have
alerted. Derived reports never count; independence is the Picture's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar

from joinedup.corroborate import Picture, Tie
from joinedup.corroborate.incidents import IncidentPicture
from joinedup.profiles import RuleSpec


@dataclass
class Finding:
    """A rule holding for a subject: the evidence and the report that crossed the threshold."""

    subject: str
    evidence: list[int]
    raised_by: int
    facts: dict[str, Any] = field(default_factory=dict)


def first_crossing(
    pic: Picture, ties: Iterable[Tie], holds: Callable[[list[Tie]], dict[str, Any] | None]
) -> Finding | None:
    """Replay ties in arrival order; the first prefix for which ``holds`` answers is the alert."""
    ordered = sorted(
        (t for t in ties if pic.key(t.report) is not None),
        key=lambda t: (pic.when(t.report), t.report),
    )
    for i, tie in enumerate(ordered):
        if i + 1 < len(ordered) and ordered[i + 1].report == tie.report:
            continue  # a report arrives whole
        facts = holds(ordered[: i + 1])
        if facts is not None:
            evidence = sorted({t.report for t in ordered})
            return Finding(tie.entity, evidence, tie.report, facts)
    return None


class Recipe:
    """Base of every rule recipe. ``engine`` says which picture it reads: ``"entities"`` (a
    :class:`Picture` of people, places, vehicles and phones) or ``"incidents"`` (an
    :class:`IncidentPicture`); the profile loader refuses a rule whose recipe reads the other."""

    name: ClassVar[str]
    engine: ClassVar[str] = "entities"

    def __init__(self, spec: RuleSpec) -> None:
        self.spec = spec
        self.params = spec.params

    def evaluate(self, pic: Any) -> list[Finding]:
        raise NotImplementedError


def _by_entity(
    ties: Iterable[Tie], kinds: set[str], pic: Picture, roles: set[str] | None = None
) -> dict[str, list[Tie]]:
    """Ties grouped by entity, for entities of the given kinds (and, for people, roles)."""
    out: dict[str, list[Tie]] = defaultdict(list)
    for t in ties:
        entity = pic.entities[t.entity]
        if entity["kind"] not in kinds or t.entity in pic.children:
            continue
        if roles is not None and not roles & set(entity["data"].get("roles", [])):
            continue
        out[t.entity].append(t)
    return out


def _children_and_sources(
    pic: Picture, min_children: int, min_informants: int
) -> Callable[[list[Tie]], dict[str, Any] | None]:
    def holds(seen: list[Tie]) -> dict[str, Any] | None:
        children = {t.child for t in seen}
        keys = {pic.key(t.report) for t in seen}
        if (
            len(children) >= min_children
            and len(keys) >= min_informants
            and pic.distinct_children(children, seen) >= min_children
        ):
            return {"children": sorted(children), "informants": len(keys)}
        return None

    return holds


class LinkedChildrenAtLeast(Recipe):
    """A person of concern tied to N children through M independent informants."""

    name = "LinkedChildrenAtLeast"

    def evaluate(self, pic: Picture) -> list[Finding]:
        holds = _children_and_sources(
            pic, self.params["min_children"], self.params["min_informants"]
        )
        out = []
        roles = set(self.params.get("roles", ["person_of_concern"]))
        for ties in _by_entity(pic.ties, {"person"}, pic, roles).values():
            if (f := first_crossing(pic, ties, holds)) is not None:
                out.append(f)
        return out


class SharedItemAtLeast(Recipe):
    """A vehicle or phone tied to N children (through whoever had it in each report)."""

    name = "SharedItemAtLeast"

    def evaluate(self, pic: Picture) -> list[Finding]:
        holds = _children_and_sources(
            pic, self.params["min_children"], self.params.get("min_informants", 1)
        )
        out = []
        for ties in _by_entity(pic.ties, set(self.params["kinds"]), pic).values():
            if (f := first_crossing(pic, ties, holds)) is not None:
                out.append(f)
        return out


class PlaceHotspot(Recipe):
    """A place linked to N children, each in a report that also records a concern about them.

    Only explicit links count (a child *frequents*, was *taken to* the place), in a report that
    records a scoring indicator about that child: a welfare note that merely names a park is not
    evidence that the park is where children are exploited. The linking reports must fall
    within the window before the report being evaluated.
    """

    name = "PlaceHotspot"

    @staticmethod
    def _concerned(pic: Picture) -> set[tuple[int, str]]:
        """(report, child) pairs where the report records a scoring indicator about the child."""
        specs = pic.profile.indicator_specs
        return {
            (report, child)
            for child, obs in pic.observations.items()
            for report, ind, _ in obs
            if (spec := specs.get(ind)) is not None and spec.weight != "general"
        }

    def evaluate(self, pic: Picture) -> list[Finding]:
        window = timedelta(days=int(self.params["window_days"]))
        concerned = self._concerned(pic)
        usable = [
            t for t in pic.ties if t.how != "mentioned_with" and (t.report, t.child) in concerned
        ]

        def holds(seen: list[Tie]) -> dict[str, Any] | None:
            now = pic.when(seen[-1].report)
            ties = [t for t in seen if now - pic.when(t.report) < window]
            recent = {t.child for t in ties}
            if (
                len(recent) >= self.params["min_children"]
                and pic.distinct_children(recent, ties) >= self.params["min_children"]
            ):
                return {"children": sorted(recent), "window_days": window.days}
            return None

        out = []
        for ties in _by_entity(usable, {"place"}, pic).values():
            if (f := first_crossing(pic, ties, holds)) is not None:
                out.append(f)
        return out


class CrossAgencyRiskBand(Recipe):
    """A child whose indicators across agencies reach a band that no single agency's reach.

    Evaluated at every report that records an indicator about the child; raised at the first
    where the sum over all agencies reaches the band while each agency's own sum stays below it.
    """

    name = "CrossAgencyRiskBand"

    def evaluate(self, pic: Picture) -> list[Finding]:
        floor = pic.profile.band_minimum(self.params["band"])
        out = []
        for child, obs in pic.observations.items():
            usable = sorted(
                (o for o in obs if pic.key(o[0]) is not None), key=lambda o: (pic.when(o[0]), o[0])
            )
            for i, (report, _, _) in enumerate(usable):
                if i + 1 < len(usable) and usable[i + 1][0] == report:
                    continue
                at = pic.when(report).date()
                total = self._score(pic, usable[: i + 1], at)
                if total < floor:
                    continue
                by_agency: dict[str, list[tuple[int, str, Any]]] = defaultdict(list)
                for o in usable[: i + 1]:
                    by_agency[pic.reports[o[0]]["agency"]].append(o)
                scores = {a: self._score(pic, os, at) for a, os in by_agency.items()}
                if max(scores.values()) < floor:
                    facts = {"score": total, "by_agency": scores, "band": self.params["band"]}
                    out.append(Finding(child, sorted({o[0] for o in usable}), report, facts))
                    break
        return out

    @staticmethod
    def _score(pic: Picture, obs: list[tuple[int, str, Any]], at: Any) -> int:
        latest: dict[str, Any] = {}
        for _, ind, when in obs:
            if ind not in latest or when > latest[ind]:
                latest[ind] = when
        specs = pic.profile.indicator_specs
        return sum(specs[i].score(w, at) for i, w in latest.items() if i in specs)


class PossibleRecruiter(Recipe):
    """A young person who introduced N children, told by M independent informants."""

    name = "PossibleRecruiter"

    def evaluate(self, pic: Picture) -> list[Finding]:
        holds = _children_and_sources(
            pic, self.params["min_children"], self.params["min_informants"]
        )
        grouped: dict[str, list[Tie]] = defaultdict(list)
        for t in pic.introduced:
            young = t.entity in pic.children or pic.ages.get(t.entity, 99) <= self.params["max_age"]
            if young and t.entity != t.child:
                grouped[t.entity].append(t)
        return [f for ties in grouped.values() if (f := first_crossing(pic, ties, holds))]


class AttackOnProtected(Recipe):
    """An incident in which a protected object of ``targets`` was hit (conflict.md rule 7).

    Raised by the first report, in arrival order, that says one of ``targets`` was hit: an
    attack on a hospital is worth the panel's attention on the first account, however
    uncertain; the alert carries the incident's grades so the panel sees how sure it is.
    """

    name = "AttackOnProtected"
    engine = "incidents"

    def evaluate(self, pic: IncidentPicture) -> list[Finding]:
        wanted = set(self.params["targets"])
        out = []
        for incident in pic.entities:
            arrivals = pic.arrivals(incident)
            hits = [r for r in arrivals if wanted & set(pic.reports[r]["targets"])]
            if not hits:
                continue
            data = pic.entities[incident]["data"]
            facts = {
                "targets": sorted({t for r in hits for t in pic.reports[r]["targets"]} & wanted),
                "certainty": data.get("certainty"),
                "attribution": data.get("attribution"),
                "sources": len({pic.key(r) for r in arrivals} - {None}),
            }
            out.append(Finding(incident, sorted(arrivals), hits[0], facts))
        return out


RECIPES: dict[str, type[Recipe]] = {
    r.name: r
    for r in (
        LinkedChildrenAtLeast,
        SharedItemAtLeast,
        PlaceHotspot,
        CrossAgencyRiskBand,
        PossibleRecruiter,
        AttackOnProtected,
    )
}
