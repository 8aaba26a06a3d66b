"""Named victims (conflict.md rule 6): one person across the reports of an incident."""

from __future__ import annotations

from typing import Any

from joinedup.resolve.incidents import Resolution, deduplicate, event_from_report
from joinedup.resolve.normalise.transliteration import skeleton
from joinedup.resolve.victims import NamedVictim, merge_victims
from tests.conflict_reports import AL_SHAAR, AL_SHAAR_NEARBY, Report, attack

QATERJI = dict(at=AL_SHAAR, place="Qaterji", mechanism="air_strike", day="2016-08-17")


def person(ref: str, name: str, **kw: Any) -> dict[str, Any]:
    return {"ref": ref, "name": name, **kw}


def victims(reports: list[Report]) -> tuple[Resolution, tuple[NamedVictim, ...]]:
    events = [event_from_report(r) for r in reports]
    res = deduplicate(events)
    return res, merge_victims(res, events)


def omran_and_ali() -> list[Report]:
    return [
        attack("a", org="AMC", agency="media", killed=(0, 1), **QATERJI, people=[
            person("o", "Omran Daqneesh", age=5, sex="male", status="injured",
                   relatives=[{"ref": "b", "relation": "brother"}]),
            person("b", "Ali Daqneesh", age=10, sex="male", status="injured",
                   relatives=[{"ref": "o", "relation": "brother"}]),
        ]),
        attack("s", org="SOHR", agency="local_monitor", killed=(0, 1), **QATERJI,
               people=[person("x", "Ali Daqmeesh", age=10, status="killed")]),
    ]


def test_a_misspelt_surname_in_one_incident_is_one_person_and_keeps_his_brother() -> None:
    res, people = victims(omran_and_ali())
    assert len(res.incidents) == 1
    ali = next(p for p in people if "AMC/a#b" in p.mentions)
    assert ali.mentions == ("AMC/a#b", "SOHR/s#x")
    assert ali.names == ("Ali Daqneesh", "Ali Daqmeesh")
    assert ali.statuses == ("injured", "killed")
    omran = next(p for p in people if "AMC/a#o" in p.mentions)
    assert omran.mentions == ("AMC/a#o",)  # a brother, never merged with Ali
    assert ("brother", ali.id) in omran.relatives
    assert ("brother", omran.id) in ali.relatives
    assert "spellings of one name" in ali.why[0]


def test_transliterations_of_one_name_share_a_skeleton() -> None:
    assert skeleton("Omran") == skeleton("Imran")
    assert skeleton("Daqneesh") == skeleton("Dakneesh") == skeleton("Daqnish")
    assert skeleton("Daqneesh") != skeleton("Daqmeesh")  # a letter misheard: near, not equal


def test_a_person_a_day_later_in_the_same_locality_is_merged_across_incidents() -> None:
    reports = omran_and_ali()
    reports[1].update(occurred_from="2016-08-18", reported_at="2016-08-19",
                      harm={"mechanism": "shelling"})  # another incident: another mechanism
    reports[1]["location"].update(lat=AL_SHAAR_NEARBY[0], lon=AL_SHAAR_NEARBY[1])
    res, people = victims(reports)
    assert len(res.incidents) == 2
    ali = next(p for p in people if "AMC/a#b" in p.mentions)
    assert len(ali.incidents) == 2 and ali.mentions == ("AMC/a#b", "SOHR/s#x")


def test_a_namesake_three_days_later_is_another_person() -> None:
    reports = omran_and_ali()
    reports[1].update(occurred_from="2016-08-20", reported_at="2016-08-21")
    _, people = victims(reports)
    assert not any(len(p.mentions) > 1 for p in people)


def test_a_given_name_alone_joins_a_full_name_only_within_one_incident() -> None:
    reports = omran_and_ali()
    reports[1]["people"] = [person("x", "Omran", age=5)]
    _, people = victims(reports)
    omran = next(p for p in people if "AMC/a#o" in p.mentions)
    assert omran.mentions == ("AMC/a#o", "SOHR/s#x")


def test_different_sexes_or_distant_ages_are_never_one_person() -> None:
    for different in ({"sex": "female"}, {"age": 40}):
        reports = omran_and_ali()
        reports[1]["people"] = [person("x", "Ali Daqneesh", **{"sex": "male", "age": 10,
                                                               **different})]
        _, people = victims(reports)
        assert all(len(p.mentions) == 1 for p in people), different


def test_two_people_of_one_report_are_never_one() -> None:
    reports = omran_and_ali()
    reports[0]["people"].append(person("c", "Ali Daqneesh", age=10))
    _, people = victims(reports)
    assert all(len({m.split("#")[0] for m in p.mentions}) == len(p.mentions) for p in people)
