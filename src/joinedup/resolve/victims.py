"""Named victims: one person across the reports of an incident (conflict.md rule 6).

Reports of one attack name its victims in several spellings: a headline's "Ali Daqmeesh" is the
"Ali Daqneesh" of another, brother of Omran. People are merged only where the same person can be
meant: within one incident, or in incidents a day either side of each other in the same locality
(a child injured in one strike and reported dead the next day): points within ``locality_km``, or
one place name given at exact or neighbourhood precision, never one city's name ("Aleppo").
Everywhere else an equal name is a namesake: Syria has many Ali Daqneeshes.

A pair agrees when its given names do (the project's variant table, then the transliteration
skeleton: "Omran" / "Imran") and its surnames do (the table's key, the skeleton, or a close
spelling whose skeleton is a letter away: "Daqneesh" / "Daqmeesh"). Within one incident a name
without a surname may join a full one; across incidents both must be full. Two people of one
report, different sexes, or ages further apart than the slack are never one. Relatives are
kept, pointing at the merged people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from joinedup.resolve.incidents import DedupProfile, Event, Resolution, shipped_dedup_profile
from joinedup.resolve.incidents.comparison import distance_km
from joinedup.resolve.incidents.settings import VictimRules
from joinedup.resolve.normalise import first_name_alternatives, fold_words, split_name, surname_key
from joinedup.resolve.normalise.transliteration import skeleton, skeleton_distance

__all__ = ["NamedVictim", "merge_victims"]

UNSTATED_SEX = frozenset({None, "unknown", "other"})
# Precisions at which a place's name is a locality: a point or a neighbourhood, placed within
# about ``locality_km``. "Aleppo" at city, district or governorate level is a city of two
# million, where an equal name a day later is a namesake, not the same person.
NAMED_LOCALITY = frozenset({"exact", "neighbourhood"})


@dataclass(frozen=True)
class NamedVictim:
    """One person as the reports together name them.

    ``mentions`` are ``org/id#ref``; ``relatives`` are (relation, victim id) as the reports give
    them; ``why`` says what joined the mentions (empty for one mention). ``statuses`` are the
    statuses given, sorted; ``status_reports`` each report's own (report, status), oldest
    report first, whose last is :attr:`status`."""

    id: str
    names: tuple[str, ...]
    mentions: tuple[str, ...]
    incidents: tuple[str, ...]
    ages: tuple[int, ...]
    sex: str | None
    statuses: tuple[str, ...]
    relatives: tuple[tuple[str, str], ...]
    why: tuple[str, ...]
    status_reports: tuple[tuple[str, str], ...] = ()

    @property
    def status(self) -> str | None:
        """The most recent report's status (by the day it was reported, then its key): a man
        reported missing and days later found killed is killed; one injured and then reported
        dead of his wounds is killed. What each report said stays in :attr:`status_reports`,
        so a disagreement is seen, never settled by the order of the words."""
        return self.status_reports[-1][1] if self.status_reports else None


@dataclass(frozen=True)
class _Mention:
    key: str  # org/id#ref
    report: str
    incident: str
    event: Event
    name: str
    given: str | None
    surname: str | None
    age: int | None
    sex: str | None
    status: str | None
    relatives: tuple[tuple[str, str], ...]


def merge_victims(
    resolution: Resolution, events: Iterable[Event], profile: DedupProfile | None = None
) -> tuple[NamedVictim, ...]:
    """Merge the named victims of every report into people (see the module docstring).

    Args:
        resolution: the incidents the reports were joined into.
        events: the reports' events (victims are read from them).
        profile: the de-duplication data (its ``victims`` settings); the shipped one when None.
    """
    rules = (profile or shipped_dedup_profile()).settings.victims
    mentions = _mentions(resolution, events)
    parent = list(range(len(mentions)))
    why: dict[int, list[str]] = defaultdict(list)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    members: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}
    for _, i, j, reason in sorted(_pairs(mentions, rules), key=lambda t: (-t[0], t[1:])):
        ri, rj = find(i), find(j)
        if ri == rj or not _coherent(members[ri], members[rj], mentions, rules.age_slack):
            continue
        parent[rj] = ri
        members[ri] += members.pop(rj)
        why[ri] += why.pop(rj, []) + [reason]
    return _people(mentions, members, why)


def _mentions(resolution: Resolution, events: Iterable[Event]) -> list[_Mention]:
    out = []
    for e in sorted(events, key=lambda e: e.key):
        for v in e.victims:
            if not v.name:
                continue  # a victim without a name is counted, never merged
            given, surname = split_name(v.name)
            out.append(_Mention(f"{e.key}#{v.ref}", e.key, resolution.incident_of[e.key], e,
                                v.name, given, surname, v.age, v.sex, v.status, v.relatives))
    return out


def _pairs(mentions: Sequence[_Mention], rules: VictimRules) -> list[tuple[int, int, int, str]]:
    """(strength, i, j, reason) for every pair that may be one person: same incident first,
    then full names across nearby incidents. Blocked by the given name's skeleton and keys."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        if m.given:
            blocks["skeleton", skeleton(m.given)].append(i)
            for key in first_name_alternatives(m.given):
                blocks["key", key].append(i)
    out = []
    seen: set[tuple[int, int]] = set()
    for block in blocks.values():
        for x, i in enumerate(block):
            for j in block[x + 1:]:
                a, b = mentions[i], mentions[j]
                if a.report == b.report or (i, j) in seen:
                    continue
                seen.add((i, j))
                same_incident = a.incident == b.incident
                if not same_incident and not _nearby(a.event, b.event, rules):
                    continue
                agreed = _names_agree(a, b, rules, allow_partial=same_incident)
                if agreed is not None:
                    where = "in one incident" if same_incident else "a day apart, one locality"
                    out.append((2 if same_incident else 1, i, j, f"{agreed}, {where}"))
    return out


def _nearby(a: Event, b: Event, rules: VictimRules) -> bool:
    """Whether two events of different incidents are a day apart in one locality: points within
    ``locality_km``, or, where a point is missing, one place name that both reports state at
    exact or neighbourhood precision (:data:`NAMED_LOCALITY`; a neighbourhood named without
    coordinates still counts, one city's name does not)."""
    if max(a.first, b.first) - min(a.last, b.last) > rules.day_window:
        return False
    if a.lat is not None and b.lat is not None:
        return distance_km(a, b) <= rules.locality_km
    return (a.place is not None and a.place == b.place
            and a.stated_precision in NAMED_LOCALITY and b.stated_precision in NAMED_LOCALITY)


def _names_agree(a: _Mention, b: _Mention, rules: VictimRules, allow_partial: bool) -> (
    str | None
):
    """Why two mentions' names agree, or None. Given names must; surnames must when both have
    one, and both must have one unless ``allow_partial``."""
    assert a.given is not None and b.given is not None
    if not (set(first_name_alternatives(a.given)) & set(first_name_alternatives(b.given))
            or skeleton(a.given) == skeleton(b.given)):
        return None
    if a.surname is None or b.surname is None:
        return f"{a.name!r} and {b.name!r} share a given name" if allow_partial else None
    if surname_key(a.surname) == surname_key(b.surname) or skeleton(a.surname) == skeleton(
            b.surname):
        return f"{a.name!r} and {b.name!r} are one name"
    similar = JaroWinkler.similarity(fold_words(a.surname), fold_words(b.surname))
    if (similar >= rules.surname_similarity
            and skeleton_distance(a.surname, b.surname) <= rules.skeleton_edits):
        return f"{a.name!r} and {b.name!r} are spellings of one name ({similar:.2f})"
    return None


def _coherent(mine: list[int], theirs: list[int], mentions: Sequence[_Mention],
              age_slack: int) -> bool:
    """No two mentions of one report, no two sexes, no ages further apart than the slack."""
    group = [mentions[i] for i in mine + theirs]
    if len({m.report for m in group}) < len(group):
        return False
    if len({m.sex for m in group} - UNSTATED_SEX) > 1:
        return False
    ages = [m.age for m in group if m.age is not None]
    return not ages or max(ages) - min(ages) <= age_slack


def _people(mentions: Sequence[_Mention], members: dict[int, list[int]],
            why: dict[int, list[str]]) -> tuple[NamedVictim, ...]:
    ids = {root: "victim:" + min(mentions[i].key for i in group)
           for root, group in members.items()}
    victim_of = {mentions[i].key: ids[root] for root, group in members.items() for i in group}
    people = []
    for root, group in members.items():
        ms = sorted((mentions[i] for i in group), key=lambda m: m.key)
        relatives = sorted({(relation, victim_of[f"{m.report}#{ref}"])
                            for m in ms for ref, relation in m.relatives
                            if f"{m.report}#{ref}" in victim_of})
        people.append(NamedVictim(
            id=ids[root],
            names=tuple(dict.fromkeys(m.name for m in ms)),
            mentions=tuple(m.key for m in ms),
            incidents=tuple(sorted({m.incident for m in ms})),
            ages=tuple(sorted({m.age for m in ms if m.age is not None})),
            sex=next((m.sex for m in ms if m.sex not in UNSTATED_SEX), None),
            statuses=tuple(sorted({m.status for m in ms if m.status})),
            relatives=tuple(relatives),
            why=tuple(why.get(root, ())),
            status_reports=tuple((m.report, m.status) for m in sorted(
                ms, key=lambda m: (m.event.reported, m.key)) if m.status),
        ))
    return tuple(sorted(people, key=lambda p: p.id))
