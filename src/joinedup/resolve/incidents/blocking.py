"""Blocking: which pairs of events are worth comparing, in near-linear time.

Two reports can be one incident only if their dates overlap (each widened by the slack) and their
places are within reach of each other (conflict.md rule 2). Both are used to avoid comparing
every pair:

- *Time* is a sweep: events are taken in order of their earliest day, and each is paired only
  with events still open (whose last day, plus the slack, is not yet past), so a pair is found
  once, when the later of the two starts.
- *Space* is keys. Every event is *found under* the grid cell of its coordinates, its district,
  its governorate and the whole deployment ("*"); it *looks in* what its precision reaches: the
  cells around a point as far as its own radius plus the largest (two points of one place may
  lie as far apart as the sum of their radii; cells are as wide as twice the largest radius, so
  such a neighbour is at most one cell away), its district or governorate (and, when it has
  coordinates, the cells within the fallback distance), or everything when it is known only to
  the country. A pair is
  a candidate when either event looks where the other is found.

The comparison (:mod:`.comparison`) then applies the exact rules; blocking only has to never
miss a pair the rules would accept.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence

from joinedup.resolve.incidents.events import Event
from joinedup.resolve.incidents.settings import PlaceRules

__all__ = ["candidate_pairs"]

KM_PER_DEGREE = 111.195  # a degree of latitude (mean Earth radius 6371 km)
MARGIN = 1.01  # cells a hair wider than the radius, for the haversine/grid difference
MAX_LATITUDE = 85.0


class _Grid:
    """Square-ish cells, as wide as ``km`` at the highest latitude of the data."""

    def __init__(self, km: float, events: Sequence[Event]) -> None:
        lats = [abs(e.lat) for e in events if e.lat is not None]
        top = min(max(lats, default=0.0), MAX_LATITUDE)
        self.km = km * MARGIN
        self.dlat = self.km / KM_PER_DEGREE
        self.dlon = self.km / (KM_PER_DEGREE * math.cos(math.radians(top)))

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.dlat), math.floor(lon / self.dlon)

    def around(self, lat: float, lon: float, km: float) -> list[Hashable]:
        """The cells any point within ``km`` of (lat, lon) can lie in."""
        rings = max(1, math.ceil(km / self.km))
        cy, cx = self.cell(lat, lon)
        return [("cell", cy + dy, cx + dx)
                for dy in range(-rings, rings + 1) for dx in range(-rings, rings + 1)]


def _found_under(e: Event, grid: _Grid) -> list[Hashable]:
    keys: list[Hashable] = ["*"]
    if e.lat is not None and e.lon is not None:
        keys.append(("cell", *grid.cell(e.lat, e.lon)))
    if e.admin2:
        keys.append(("admin2", e.admin2))
    if e.admin1:
        keys.append(("admin1", e.admin1))
    return keys


def _looks_in(e: Event, places: PlaceRules, grid: _Grid) -> list[Hashable]:
    if e.precision in places.review_only:
        return ["*"]
    point = e.lat is not None and e.lon is not None
    if e.precision in places.radius_km:
        assert e.lat is not None and e.lon is not None  # a point precision has coordinates
        return grid.around(e.lat, e.lon, places.reach_km(e.precision, _widest(places)))
    level = places.same_area[e.precision]
    area = e.admin2 if level == "admin2" else e.admin1
    keys: list[Hashable] = [(level, area)] if area else []
    if point:
        assert e.lat is not None and e.lon is not None
        keys += grid.around(e.lat, e.lon, places.fallback_km.get(e.precision, 0.0))
    return keys


def candidate_pairs(
    events: Sequence[Event], places: PlaceRules, slack_days: int
) -> Iterator[tuple[int, int]]:
    """Yield each pair ``(i, j)``, ``i < j``, of events no more than ``slack_days`` apart in
    time and within spatial reach of each other (see the module's docstring), once."""
    widest = _widest(places)
    grid = _Grid(places.reach_km(widest, widest), events)
    found: dict[Hashable, list[int]] = defaultdict(list)
    looking: dict[Hashable, list[int]] = defaultdict(list)
    end = [e.last + slack_days for e in events]
    order = sorted(range(len(events)), key=lambda i: (events[i].first, i))
    for i in order:
        start = events[i].first
        mine_found = _found_under(events[i], grid)
        mine_looks = _looks_in(events[i], places, grid)
        partners: set[int] = set()
        for key in mine_looks:
            partners.update(_open(found.get(key), end, start))
        for key in mine_found:
            partners.update(_open(looking.get(key), end, start))
        for key in mine_found:
            found[key].append(i)
        for key in mine_looks:
            looking[key].append(i)
        for j in partners:
            yield (j, i) if j < i else (i, j)


def _widest(places: PlaceRules) -> str:
    """The point precision with the largest radius."""
    return max(places.radius_km, key=lambda p: places.radius_km[p])


def _open(members: list[int] | None, end: list[int], start: int) -> list[int]:
    """The members whose (widened) interval reaches ``start``. Closed ones are dropped from the
    list for good: later events start no earlier, so each is dropped once (near-linear)."""
    if not members:
        return []
    alive = [m for m in members if end[m] >= start]
    if len(alive) != len(members):
        members[:] = alive
    return alive
