"""An oracle for the de-duplication test set: how far could any matcher get on it?

The test set (:mod:`joinedup.generate.incidents`) makes every report from one UCDP event by a
known noise model. The oracle is given what no matcher has: the list of events as UCDP codes
them, and that noise model. For each report it weighs every event that could have produced it
by how likely the noise was to produce exactly this report from that event (the day or window,
the point within the precision's radius, the place's name, the sides named, the mechanism, the
toll, how long after the event it was reported), times how many articles the event has, and
puts the report with the likeliest. Two reports of one source's document go to two events and a
derived report goes with the report it repeats, as the rules of de-duplication say.

Its pairwise F1 is therefore a *ceiling* for matchers that read these fields, and a much firmer
one than telling apart reports that differ in anything (a point moved at random makes every
report differ): where the oracle goes wrong, UCDP coded two events alike (one day, one point,
one pair of sides, one toll range) and the report does not say which it is of.

Two ways of reading a toll are offered, because the test set and real sources differ there:

- ``"drawn"``: as the test set makes it, each source's figure drawn once from UCDP's low-high
  range. Two figures outside each other's range are then two events, which the oracle knows.
- ``"revised"``: as a matcher for real sources must read it. Sources revise tolls and disagree,
  so a figure anywhere from half the event's low to twice its high is taken as equally likely
  (the matcher's own rule: only tolls more than twice apart count against, ``dedup.yaml``).

The likelihood of each field follows the generator's code, except where the code would tell
the oracle how the test set is built rather than what happened:

- it knows which mechanisms an event's articles name, but not which of its headlines name none
  (that is how a source wrote), so a report naming no mechanism, or an event whose articles
  name none, weighs the same for every event;
- the precision a report states is not used: at stated precisions every report has its
  event's, which real sources do not (the matcher does not use it either).

Spellings are not modelled letter by letter: a place name read alike weighs 1, one a fuzzy
match away 0.3, another 0.01.

It is a reference, not a proof: a cleverer oracle (one weighing spellings letter by letter, or
reading the source and headline) could do a little better, and a matcher, which must work out
the events from the reports themselves, is not expected to do better than one given them.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from rapidfuzz import fuzz

from joinedup.generate.incidents import KM_PER_DEGREE, Noise
from joinedup.ingest.ucdp import Mappings, UcdpEvent, article_reports, load_mappings
from joinedup.resolve.incidents import DedupProfile, Event, event_from_report

__all__ = ["Template", "TollReading", "likelihood", "oracle_groups", "templates"]

TollReading = Literal["drawn", "revised"]
LAG_MIN, LAG_MAX = -3, 90
ROUNDING_KM = 0.002
"""The generator rounds a moved point to five decimal places (at most 0.8 m each way)."""
UNPLACED = 0.01
"""A point reported for an event coded without one, against a point within reach of it."""
OTHER_MECHANISM = 0.05
"""A mechanism none of the event's articles names: sources of one event do name different
weapons (the matcher scores two families of one kind at -1 rather than refusing them)."""
OTHER = 0.005
"""The weight of a field the noise model cannot produce from the event but a reading can (an
actor or mechanism read otherwise than the generator wrote it)."""
OTHER_TOLL = OTHER * 0.02
"""A toll the event's range cannot give: a reading, not the noise, is the likelier cause."""


@dataclass(frozen=True)
class Template:
    """One UCDP event as the oracle knows it, its fields read by the matcher's own reader."""

    event: int
    first: int
    last: int
    date_prec: int
    precision: str
    lat: float | None
    lon: float | None
    place: str | None
    parties: frozenset[str]
    mechanisms: Mapping[str | None, int]
    articles: int
    low: int
    best: int
    high: int


def templates(events: Iterable[UcdpEvent], profile: DedupProfile,
              mappings: Mappings | None = None) -> tuple[list[Template], dict[int, float]]:
    """Every event read through its as-coded article reports, and the share of articles
    published each number of days after their event's last day (clipped to -3..90, smoothed),
    the oracle's prior on when a report comes."""
    mappings = mappings or load_mappings()
    found: list[Template] = []
    lags: Counter[int] = Counter()
    for ev in events:
        reads = [event_from_report(r, profile) for r in article_reports(ev, mappings)]
        if not reads:
            continue
        head = reads[0]
        found.append(Template(
            event=ev.id, first=ev.date_start.toordinal(), last=ev.date_end.toordinal(),
            date_prec=ev.date_prec, precision=head.precision, lat=head.lat, lon=head.lon,
            place=head.place,
            parties=frozenset().union(*(r.parties for r in reads)),
            mechanisms=Counter(r.mechanism for r in reads), articles=len(reads),
            low=min(ev.low, ev.best, ev.high), best=ev.best, high=max(ev.low, ev.best, ev.high)))
        lags.update(_clip(r.reported - ev.date_end.toordinal()) for r in reads)
    total = sum(lags.values()) + (LAG_MAX - LAG_MIN + 1)
    return found, {d: (lags[d] + 1) / total for d in range(LAG_MIN, LAG_MAX + 1)}


def likelihood(report: Event, t: Template, noise: Noise, lag: Mapping[int, float],
               tolls: TollReading = "drawn") -> float:
    """How likely the noise was to make ``report`` from event ``t``, times the event's number
    of articles (its prior). Zero when the noise cannot make it."""
    weight = (_when(report, t, noise) * _where(report, t, noise) * _toll(report, t, noise, tolls)
              * _sides(report, t, noise) * _mechanism(report, t))
    return weight * lag.get(_clip(report.reported - t.last), 0.0) * t.articles


def oracle_groups(reports: Sequence[Event], known: Sequence[Template], noise: Noise,
                  lag: Mapping[int, float], tolls: TollReading = "drawn",
                  sure: float = 0.5) -> list[list[str]]:
    """Report keys grouped by the event the oracle puts each with (see the module docstring).

    A report stays alone when no event can have made it, or when the event it is put with has
    less than ``sure`` of the weight of all that could have: a pair half likely to be wrong
    costs F1 more than it gains (on the Syria file at stated precisions, seed 1, leaving such
    reports alone raises the oracle's F1 from 0.946 to 0.967 with tolls drawn, and from 0.901
    to 0.934 with tolls revised)."""
    by_day: dict[int, list[Template]] = defaultdict(list)
    for t in known:
        for day in range(t.first, t.last + 1):
            by_day[day].append(t)
    ranked: dict[str, list[tuple[float, int]]] = {}
    for r in reports:
        seen: dict[int, Template] = {}
        for day in range(r.first - 1, r.last + 2):
            for t in by_day.get(day, ()):
                seen[t.event] = t
        scored = ((likelihood(r, t, noise, lag, tolls), t.event) for t in seen.values())
        ranked[r.key] = sorted(((w, e) for w, e in scored if w > 0), key=lambda x: (-x[0], x[1]))
    chosen: dict[str, int | str] = {k: (v[0][1] if v else k) for k, v in ranked.items()}
    total = {k: sum(w for w, _ in v) for k, v in ranked.items()}
    documents: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in reports:
        if r.document is not None:
            documents[(r.org, r.document)].append(r.key)
    for keys in documents.values():
        taken: set[int] = set()
        for key in sorted(keys, key=lambda k: (-ranked[k][0][0] if ranked[k] else 0.0, k)):
            free = [e for _, e in ranked[key] if e not in taken]
            chosen[key] = free[0] if free else key
            taken.update(free[:1])
    for key, event in chosen.items():
        weight = next((w for w, e in ranked[key] if e == event), 0.0)
        if weight < sure * total[key]:
            chosen[key] = key
    present = {r.key for r in reports}
    for r in reports:  # a derived report goes with what it repeats
        origin = next((k for k in r.derived_from if k in present), None)
        if origin is not None:
            chosen[r.key] = chosen[origin]
    groups: dict[int | str, list[str]] = defaultdict(list)
    for key, event in chosen.items():
        groups[event].append(key)
    return list(groups.values())


def _clip(days: int) -> int:
    return max(LAG_MIN, min(LAG_MAX, days))


def _month(day: int) -> tuple[int, int]:
    d = date.fromordinal(day)
    return d.year, d.month


def _when(r: Event, t: Template, noise: Noise) -> float:
    """``generate.incidents._when``: the month alone, the day (or a day either side), or a
    window's whole or one of its days up to the report's own date."""
    weight, rest = 0.0, 1.0
    if _month(t.first) == _month(t.last):
        rest = 1.0 - noise.coarser_time
        month = date.fromordinal(t.first).replace(day=1).toordinal()
        if r.first == month and _month(r.last) == _month(month) and \
                _month(r.last + 1) != _month(month):
            weight += noise.coarser_time
    if r.first != r.last and (r.first, r.last) != (t.first, t.last):
        return weight
    if t.date_prec == 1:
        shifts = [d for d in (t.first - 1, t.first + 1) if d <= max(r.reported, t.first)]
        if r.first == t.first:
            weight += rest * (1.0 - noise.day_shift)
        elif r.first in shifts:
            weight += rest * noise.day_shift / len(shifts)
        return weight
    latest = min(t.last, max(r.reported, t.first))
    if (r.first, r.last) == (t.first, t.last):
        weight += rest * 0.5
    if r.first == r.last and t.first <= r.first <= latest:
        weight += rest * 0.5 / (latest - t.first + 1)
    return weight


def _where(r: Event, t: Template, noise: Noise) -> float:
    """``generate.incidents._where``: a point within the radius of its precision (a density per
    km²), and the place's name as spelt.

    The precision a report states is not evidence: at stated precisions every report of an
    event has the event's precision, which is how the test set is built, not what sources do
    (the matcher does not use it either). A point is weighed within the larger of the two
    radii, and an event without a point could have been placed anywhere near."""
    radius = max(_radius(r.precision, noise), _radius(t.precision, noise))
    if r.lat is not None and r.lon is not None:
        if t.lat is None or t.lon is None:
            weight = UNPLACED / (math.pi * noise.near_km ** 2)
        elif _km(r.lat, r.lon, t.lat, t.lon) > radius + ROUNDING_KM:
            return 0.0
        else:
            weight = 1.0 / (math.pi * radius * radius)
    else:
        weight = 1.0
    if r.place and t.place:
        weight *= 1.0 if r.place == t.place else (0.3 if fuzz.ratio(r.place, t.place) >= 75
                                                  else 0.01)
    return weight


def _radius(precision: str, noise: Noise) -> float:
    """The radius a point of ``precision`` is moved within: ``near_km`` for any but exact."""
    return noise.exact_km if precision == "exact" else noise.near_km


def _toll(r: Event, t: Template, noise: Noise, tolls: TollReading) -> float:
    """``generate.incidents._casualties``: none, UCDP's range, or one figure drawn from a
    triangular distribution over the range with its mode at the best estimate."""
    if r.killed is None:
        return noise.casualty_omitted
    low, high = r.killed
    if tolls == "revised":
        floor, ceiling = math.floor(t.low / 2), math.ceil(t.high * 2)
        return 1.0 / (ceiling - floor + 1) if low <= ceiling and high >= floor else OTHER_TOLL
    if low != high:
        return noise.casualty_range if (low, high) == (t.low, t.high) else OTHER_TOLL
    drawn = 1.0 - noise.casualty_omitted - (noise.casualty_range if t.low < t.high else 0.0)
    if t.low == t.high:
        return drawn if low == t.low else OTHER_TOLL
    return max(drawn * _rounded_triangular(low, t.low, t.high, min(max(t.best, t.low), t.high)),
               OTHER_TOLL)


def _rounded_triangular(k: int, low: float, high: float, mode: float) -> float:
    """P(round(X) == k) for X triangular on [low, high] with its mode at ``mode``."""
    def cdf(x: float) -> float:
        if x <= low:
            return 0.0
        if x >= high:
            return 1.0
        if x <= mode:
            return (x - low) ** 2 / ((high - low) * (mode - low)) if mode > low else 0.0
        return 1.0 - (high - x) ** 2 / ((high - low) * (high - mode)) if high > mode else 1.0

    return max(cdf(k + 0.5) - cdf(k - 0.5), 0.0)


def _sides(r: Event, t: Template, noise: Noise) -> float:
    """``generate.incidents._actors``: every side named, or one of two or more left out."""
    if r.parties == t.parties:
        return 1.0 - noise.drop_actor if len(t.parties) > 1 else 1.0
    if r.parties < t.parties and len(r.parties) == len(t.parties) - 1:
        return noise.drop_actor / len(t.parties)
    return OTHER * (4 if r.parties <= t.parties else 1)


def _mechanism(r: Event, t: Template) -> float:
    """The mechanism: one the event's articles name, or another.

    A report naming none says nothing, and nor does an event none of whose articles names one:
    a headline without a weapon is how that source wrote, not what happened, and an oracle
    that knew which headlines name none would know the articles rather than the events."""
    named = {m for m in t.mechanisms if m is not None}
    if r.mechanism is None or not named:
        return 1.0
    return 1.0 if r.mechanism in named else OTHER_MECHANISM


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the plane the generator moves points on (degrees scaled at the latitude)."""
    dy = (lat1 - lat2) * KM_PER_DEGREE
    dx = (lon1 - lon2) * KM_PER_DEGREE * math.cos(math.radians(lat2))
    return math.hypot(dx, dy)
