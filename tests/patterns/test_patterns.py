"""Rates of attacks on protected objects and supply routes' status over time, from incidents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from joinedup.patterns import attack_rates, route_status, target_groups
from joinedup.profiles import load_profile


def incident(i: int, day: date, targets: list[str], certainty: str = "probable",
             end: date | None = None) -> dict[str, Any]:
    return {"id": f"I-{i}", "date_start": day, "date_end": end or day, "certainty": certainty,
            "targets": targets}


GROUPS, PERIOD = target_groups(load_profile("conflict").directory)


def test_health_care_attacks_every_so_many_hours_and_per_week() -> None:
    july = [incident(i, date(2016, 7, 23 + i // 2), ["health_facility"]) for i in range(6)]
    other = [incident(9, date(2016, 7, 24), ["market"]),
             incident(10, date(2016, 7, 25), ["health_transport"], certainty="rumour")]
    [health, aid, schools] = attack_rates(july + other, GROUPS, "week", "possible")
    assert health["targets"] == "health_care" and health["incidents"] == 6
    # six incidents over three days (72 hours): one every 12 hours
    assert health["one_every_hours"] == 12.0
    assert health["mean_interval_hours"] == round((24 + 24) / 5, 1)
    # 23 and 24 July 2016 are Saturday and Sunday; the 25th starts a new week
    assert health["per_period"] == [{"start": "2016-07-18", "incidents": 4},
                                    {"start": "2016-07-25", "incidents": 2}]
    assert aid["incidents"] == schools["incidents"] == 0
    everything = attack_rates(july + other, GROUPS, "week", "rumour")[0]
    assert everything["incidents"] == 7  # the rumoured ambulance counts once asked for


def test_an_incident_counts_once_however_many_groups_or_reports() -> None:
    both = incident(1, date(2016, 9, 19), ["humanitarian_convoy", "health_supplies"],
                    end=date(2016, 9, 20))
    health, aid, _ = attack_rates([both], GROUPS)
    assert health["incidents"] == aid["incidents"] == 1
    assert health["imprecise_dates"] == 1
    assert health["mean_interval_hours"] is None


def route(org: str, rid: str, name: str, status: str, day: str) -> dict[str, Any]:
    return {"org": org, "report_id": rid, "reported_at": datetime.fromisoformat(day),
            "body": {"route": {"name": name, "status": status}, "occurred_from": day}}


def test_a_route_timeline_keeps_each_change_and_marks_disagreement_contested() -> None:
    rows = [
        route("m1", "1", "Castello Road", "open", "2016-06-20"),
        route("m2", "2", "castello  road", "open", "2016-06-28"),
        route("m1", "3", "Castello Road", "cut", "2016-07-07"),
        route("m3", "4", "Castello Road", "open", "2016-07-07"),
        route("m1", "5", "Castello Road", "cut", "2016-07-17"),
        route("m4", "6", "Ramouseh", "open", "2016-08-06"),
    ]
    [castello, ramouseh] = route_status(rows)
    assert castello["route"] == "Castello Road" and castello["status"] == "cut"
    assert [(t["from"], t["status"]) for t in castello["timeline"]] == [
        ("2016-06-20", "open"), ("2016-07-07", "contested"), ("2016-07-17", "cut")]
    assert castello["timeline"][0]["reports"] == ["m1/1", "m2/2"]
    assert castello["timeline"][0]["until"] == "2016-06-28"
    assert ramouseh["status"] == "open"
