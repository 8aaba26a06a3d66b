"""Follow-up of the conflict review: a place name is one locality (conflict.md rule 6) only when
the reports place the events to a point or a neighbourhood. "Aleppo" at city or district level
is a city of two million: before, "Ali Hassan" killed in an air strike and "Ali Hassan" injured
at a market the next day, both only in "Aleppo", were made one person."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.resolve.incidents import Resolution, deduplicate, event_from_report
from joinedup.resolve.victims import NamedVictim, merge_victims
from tests.conflict_reports import AL_SHAAR, AL_SHAAR_NEARBY, Report, attack


def victims(reports: list[Report]) -> tuple[Resolution, tuple[NamedVictim, ...]]:
    events = [event_from_report(r) for r in reports]
    res = deduplicate(events)
    return res, merge_victims(res, events)


def two_days(place: str, precision: str, at: tuple[float, float] | None = None,
             at_next: tuple[float, float] | None = None) -> list[Report]:
    """An air strike killing Ali Hassan, and the next day a market shelled where an Ali Hassan
    is injured: two incidents, each placed only as given."""
    common: dict[str, Any] = dict(place=place, precision=precision, admin1="Aleppo",
                                  admin2="Jebel Saman")
    return [
        attack("s1", org="monitor-a", agency="local_monitor", day="2016-08-10",
               mechanism="air_strike", targets=["residential"], at=at, **common,
               people=[{"ref": "v", "name": "Ali Hassan", "sex": "male", "status": "killed"}]),
        attack("m1", org="monitor-b", agency="local_monitor", day="2016-08-11",
               reported_at="2016-08-12", mechanism="shelling", targets=["market"], at=at_next,
               **common,
               people=[{"ref": "v", "name": "Ali Hassan", "sex": "male", "status": "injured"}]),
    ]


@pytest.mark.parametrize("precision", ["within_25km", "district", "governorate"])
def test_namesakes_a_day_apart_in_one_city_are_two_people(precision: str) -> None:
    res, people = victims(two_days("Aleppo", precision))
    assert len(res.incidents) == 2
    assert sorted(len(p.mentions) for p in people) == [1, 1]


def test_one_neighbourhood_by_name_is_still_one_locality() -> None:
    res, people = victims(two_days("al-Shaar", "neighbourhood"))
    assert len(res.incidents) == 2
    [ali] = people
    assert ali.mentions == ("monitor-a/s1#v", "monitor-b/m1#v")


def test_a_coarse_place_with_points_within_the_locality_is_one_locality() -> None:
    res, people = victims(two_days("Aleppo", "exact", AL_SHAAR, AL_SHAAR_NEARBY))
    assert len(res.incidents) == 2
    [ali] = people
    assert len(ali.incidents) == 2
