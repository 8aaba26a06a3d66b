"""The de-duplication test set: every UCDP event split into its sources' reports, noised within
the precision UCDP states, deterministic by seed, with a truth that the reports do not give away."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from joinedup.errors import InputError
from joinedup.generate.incidents import Noise, build_testset
from joinedup.ingest.models import PartialDate
from joinedup.ingest.ucdp import UcdpEvent, read_events
from tests.conflict_contract import contract_problems

SLICE = Path(__file__).parents[1] / "data" / "ucdp" / "ged_aleppo_2016_slice.csv"
Report = dict[str, Any]


@pytest.fixture(scope="module")
def events() -> dict[int, UcdpEvent]:
    return {e.id: e for e in read_events(SLICE) if isinstance(e, UcdpEvent)}


@pytest.fixture(scope="module", params=[11, 12, 13])
def testset(request: pytest.FixtureRequest) -> tuple[list[Report], dict[tuple[str, str], int]]:
    return build_testset(SLICE, seed=request.param)


def event_of(report: Report, truth: dict[tuple[str, str], int]) -> int:
    return truth[(report["source"]["org"], report["id"])]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def window(report: Report) -> tuple[date, date]:
    return (PartialDate.parse(report["occurred_from"]).earliest(),
            PartialDate.parse(report["occurred_to"]).latest())


def test_the_same_seed_gives_the_same_test_set_and_another_seed_another() -> None:
    first, second = build_testset(SLICE, seed=3), build_testset(SLICE, seed=3)
    assert json.dumps(first[0]) == json.dumps(second[0]) and first[1] == second[1]
    assert json.dumps(build_testset(SLICE, seed=4)[0]) != json.dumps(first[0])


def test_every_report_holds_to_the_contract_and_has_a_truth(
    testset: tuple[list[Report], dict[tuple[str, str], int]], events: dict[int, UcdpEvent]
) -> None:
    reports, truth = testset
    assert {k: p for r in reports if (p := contract_problems(r)) for k in [r["id"]]} == {}
    assert len(truth) == len(reports) == len({(r["source"]["org"], r["id"]) for r in reports})
    assert set(truth.values()) == set(events)  # every event has at least one report
    articles = sum(len(e.articles) for e in events.values())
    assert len(reports) > articles  # the echoes of SOHR and others come on top


def test_nothing_in_a_report_gives_its_event_away(
    testset: tuple[list[Report], dict[tuple[str, str], int]],
) -> None:
    reports, truth = testset
    for report in reports:
        assert set(report["extra"]) == {"headline"}
        assert str(event_of(report, truth)) not in report["id"]
    assert [r["reported_at"] for r in reports] == sorted(r["reported_at"] for r in reports)


def test_dates_stay_within_the_precision_the_event_states(
    testset: tuple[list[Report], dict[tuple[str, str], int]], events: dict[int, UcdpEvent]
) -> None:
    reports, truth = testset
    kinds: Counter[str] = Counter()
    for report in reports:
        event = events[event_of(report, truth)]
        start, end = window(report)
        if len(report["occurred_from"]) == 7:  # only the month: it holds the event's window
            assert start <= event.date_start and event.date_end <= end
            kinds["month"] += 1
        elif event.date_prec == 1:
            assert start == end and abs((start - event.date_start).days) <= 1
            kinds["shifted" if start != event.date_start else "exact"] += 1
        else:
            assert event.date_start <= start <= end <= event.date_end
            kinds["window" if (start, end) == (event.date_start, event.date_end) else "day"] += 1
    assert set(kinds) == {"month", "shifted", "exact", "window", "day"}


def test_a_day_shift_never_puts_the_event_after_the_report(
    testset: tuple[list[Report], dict[tuple[str, str], int]], events: dict[int, UcdpEvent]
) -> None:
    reports, truth = testset
    for report in reports:
        event = events[event_of(report, truth)]
        start, _ = window(report)
        if event.date_prec == 1 and start > event.date_start:
            assert start <= date.fromisoformat(report["reported_at"])


def test_places_stay_within_the_precision_the_event_states(
    testset: tuple[list[Report], dict[tuple[str, str], int]], events: dict[int, UcdpEvent]
) -> None:
    reports, truth = testset
    limit = {"exact": Noise().exact_km, "within_25km": Noise().near_km}
    stated: Counter[tuple[int, str]] = Counter()
    for report in reports:
        event = events[event_of(report, truth)]
        location = report["location"]
        stated[(event.where_prec, location["precision"])] += 1
        if location["precision"] in limit:
            assert event.lat is not None and event.lon is not None
            moved = km(event.lat, event.lon, location["lat"], location["lon"])
            assert moved <= limit[location["precision"]]
            assert location["precision"] == {1: "exact", 2: "within_25km"}[event.where_prec]
        else:
            assert "lat" not in location and "lon" not in location
    coarser = {k: n for k, n in stated.items() if k[0] <= 2 and k[1] == "district"}
    assert coarser and stated[(4, "governorate")] and stated[(3, "district")]


def test_some_outlets_repeat_an_origin_and_some_say_which_report_they_repeat(
    testset: tuple[list[Report], dict[tuple[str, str], int]],
) -> None:
    reports, truth = testset
    by_key = {(r["source"]["org"], r["id"]): r for r in reports}
    sohr_orgs = {r["source"]["org"] for r in reports if r.get("upstream") == "SOHR"}
    assert "sohr" in sohr_orgs and len(sohr_orgs) >= 4
    derived = [r for r in reports if "derived_from" in r]
    assert derived
    for report in derived:
        (ref,) = report["derived_from"]
        org, rid = ref.split("/")
        original = by_key[(org, rid)]
        assert event_of(original, truth) == event_of(report, truth)
        assert original["upstream"] == report["upstream"]
        assert report["reported_at"] >= original["reported_at"]


def test_a_reports_document_is_its_article_and_every_echo_is_a_document_of_its_own() -> None:
    # echoes everywhere, so that one outlet echoes one story twice somewhere in the slice
    reports, truth = build_testset(SLICE, seed=5, noise=Noise(echo=1.0))
    by_document: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for report in reports:
        by_document[report["source"]["org"], report["source"]["document"]].append(report)
    echoes = [r for r in reports if r["source"]["document"].startswith("https://")]
    assert echoes and all(len(by_document[r["source"]["org"], r["source"]["document"]]) == 1
                          for r in echoes)
    twice = Counter((r["source"]["org"], r["extra"]["headline"]) for r in echoes)
    assert max(twice.values()) >= 2  # one outlet, one story, two documents
    for (_org, document), held in by_document.items():
        if document.startswith("https://"):
            continue
        # an article of the file: its outlet's, dated, titled; shared only by events UCDP's
        # coders split from it, never by two reports of one event
        assert all(r["extra"]["headline"] in document and r["reported_at"] in document
                   for r in held)
        assert len({event_of(r, truth) for r in held}) == len(held)


def test_names_are_spelled_as_other_sources_spell_them(
    testset: tuple[list[Report], dict[tuple[str, str], int]], events: dict[int, UcdpEvent]
) -> None:
    reports, truth = testset
    names = {r["location"]["name"] for r in reports}
    assert any("Halab" in n for n in names)
    respelled = [r for r in reports if r["location"]["precision"] == "exact"
                 and r["location"]["name"] != events[event_of(r, truth)].where]
    assert len(respelled) > len(reports) // 10
    actors = {a["name"] for r in reports for a in r.get("actors", [])}
    assert {"regime forces", "Syrian government forces", "Assad forces"} & actors
    assert "Civillians" not in actors  # English labels get other names, never misspellings


def test_some_reports_do_not_say_how_and_casualty_figures_are_each_sources_own(
    testset: tuple[list[Report], dict[tuple[str, str], int]], events: dict[int, UcdpEvent]
) -> None:
    reports, truth = testset
    assert sum(r["harm"]["mechanism"] == "unknown" for r in reports) > 0
    figures: defaultdict[int, set[str]] = defaultdict(set)
    for report in reports:
        event = events[event_of(report, truth)]
        killed = report.get("casualties", {}).get("killed")
        low, high = sorted((event.low, event.high, event.best))[::2]
        if isinstance(killed, int):
            assert low <= killed <= high
        elif killed is not None:
            assert killed == {"min": low, "max": high}
        figures[event.id].add(json.dumps(killed))
    assert any(len(f) > 1 for f in figures.values())


def test_the_urum_al_kubra_convoy_stays_an_attack_on_a_humanitarian_convoy(
    testset: tuple[list[Report], dict[tuple[str, str], int]],
) -> None:
    reports, truth = testset
    convoy = [r for r in reports if event_of(r, truth) == 301214]
    assert convoy and all("humanitarian_convoy" in r["harm"]["targets"] for r in convoy)


def test_a_limit_keeps_the_first_events(events: dict[int, UcdpEvent]) -> None:
    _, truth = build_testset(SLICE, seed=1, limit=10)
    assert set(truth.values()) == set(list(events)[:10])


def test_a_file_with_an_unreadable_row_is_refused_naming_it(tmp_path: Path) -> None:
    lines = SLICE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "ged.csv"
    bad = lines[1].replace(",2016-01-01,2016-01-01,", ",2016-13-01,2016-01-01,")  # date_start
    path.write_text(f"{lines[0]}\n{bad}\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2: date_start"):
        build_testset(path, seed=1)
