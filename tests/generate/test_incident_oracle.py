"""The test set's oracle: it knows every event as coded and the noise model, so it must never rule
out the event a report was made from, and where it is wrong UCDP coded two events alike."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from joinedup.generate.incidents import Noise, build_testset
from joinedup.generate.oracle import Template, likelihood, oracle_groups, templates
from joinedup.ingest.ucdp import UcdpEvent, read_events
from joinedup.resolve.incidents import Event, event_from_report, report_key, shipped_dedup_profile

SLICE = Path(__file__).parents[1] / "data" / "ucdp" / "ged_aleppo_2016_slice.csv"
QUIET = Noise(day_shift=0.0, coarser_time=0.0, coarser_place=0.0, exact_km=0.01, near_km=0.01,
              place_spelling=0.0, admin_spelling=0.0, actor_alias=0.0, actor_spelling=0.0,
              drop_actor=0.0, unknown_mechanism=0.0, echo=0.0, casualty_range=0.0,
              casualty_omitted=0.0)
"""Nothing changed but the day a window's report picks: every report says what its event does."""


@pytest.fixture(scope="module")
def known() -> tuple[dict[int, Template], dict[int, float]]:
    events = [e for e in read_events(SLICE) if isinstance(e, UcdpEvent)]
    found, lag = templates(events, shipped_dedup_profile())
    return {t.event: t for t in found}, lag


def read(seed: int, noise: Noise) -> tuple[list[Event], dict[str, int]]:
    reports, truth = build_testset(SLICE, seed=seed, noise=noise)
    profile = shipped_dedup_profile()
    return ([event_from_report(r, profile) for r in reports],
            {report_key(org, rid): event for (org, rid), event in truth.items()})


@pytest.mark.parametrize("noise", [Noise.within_stated(), Noise()], ids=["stated", "noisier"])
@pytest.mark.parametrize("seed", [11, 12])
def test_the_noise_never_rules_out_the_event_a_report_was_made_from(
    known: tuple[dict[int, Template], dict[int, float]], noise: Noise, seed: int
) -> None:
    by_id, lag = known
    reports, truth = read(seed, noise)
    for tolls in ("drawn", "revised"):
        ruled_out = [r.key for r in reports
                     if likelihood(r, by_id[truth[r.key]], noise, lag, tolls) <= 0]
        assert ruled_out == [], tolls


def test_a_point_beyond_its_precisions_radius_rules_the_event_out(
    known: tuple[dict[int, Template], dict[int, float]]
) -> None:
    by_id, lag = known
    noise = Noise.within_stated()
    reports, truth = read(11, noise)
    exact = next(r for r in reports if r.precision == "exact" and r.lat is not None)
    own = by_id[truth[exact.key]]
    assert own.lat is not None and likelihood(exact, own, noise, lag) > 0
    moved = dataclasses.replace(exact, lat=own.lat + 2.1 / 111.32)  # 2.1 km north of the event
    assert likelihood(moved, own, noise, lag) == 0.0
    within = dataclasses.replace(exact, lat=own.lat + 1.9 / 111.32, lon=own.lon)
    assert likelihood(within, own, noise, lag) > 0


def test_a_drawn_toll_tells_apart_two_events_coded_alike_but_a_revised_one_hardly(
    known: tuple[dict[int, Template], dict[int, float]]
) -> None:
    by_id, lag = known
    noise = Noise.within_stated()
    reports, truth = read(12, noise)
    report = next(r for r in reports if r.killed is not None and r.killed[0] == r.killed[1]
                  and by_id[truth[r.key]].low == by_id[truth[r.key]].high == r.killed[0])
    own = by_id[truth[report.key]]
    other = dataclasses.replace(own, event=-1, low=own.low + 1, best=own.low + 1,
                                high=own.low + 1)
    drawn = (likelihood(report, own, noise, lag, "drawn"),
             likelihood(report, other, noise, lag, "drawn"))
    revised = (likelihood(report, own, noise, lag, "revised"),
               likelihood(report, other, noise, lag, "revised"))
    assert drawn[0] > 1000 * drawn[1]
    assert revised[1] > 0 and revised[0] < 2 * revised[1]


def test_one_documents_reports_go_to_two_events_and_a_derived_report_with_its_origin(
    known: tuple[dict[int, Template], dict[int, float]]
) -> None:
    by_id, lag = known
    noise = Noise(echo=1.0)
    reports, _ = read(13, noise)
    groups = oracle_groups(reports, list(by_id.values()), noise, lag)
    group_of = {key: n for n, keys in enumerate(groups) for key in keys}
    assert sorted(group_of) == sorted(r.key for r in reports)
    documents: dict[tuple[int, str, str], int] = defaultdict(int)
    derived = 0
    for r in reports:
        if r.document is not None:
            documents[(group_of[r.key], r.org, r.document)] += 1
        for origin in r.derived_from:
            derived += 1
            assert group_of[origin] == group_of[r.key]
    assert derived and max(documents.values()) == 1


def test_without_noise_a_report_goes_to_its_event_or_one_coded_alike(
    known: tuple[dict[int, Template], dict[int, float]]
) -> None:
    by_id, lag = known
    reports, truth = read(14, QUIET)
    groups = oracle_groups(reports, list(by_id.values()), QUIET, lag)

    def coded(t: Template) -> tuple[object, ...]:
        return (t.first, t.last, t.precision, t.lat, t.lon, t.parties, t.low, t.high)

    assert sum(len(keys) for keys in groups) == len(reports)
    for keys in groups:
        events = {truth[k] for k in keys}
        assert len({coded(by_id[e]) for e in events}) == 1, sorted(events)


def test_a_report_as_likely_from_other_events_as_from_its_own_stays_alone(
    known: tuple[dict[int, Template], dict[int, float]]
) -> None:
    by_id, lag = known
    reports, truth = read(15, QUIET)
    event = Counter(truth.values()).most_common(1)[0][0]
    ones = [r for r in reports if truth[r.key] == event]
    assert len(ones) > 1
    own = [t for t in by_id.values() if t.event == event]
    alike = own + [dataclasses.replace(own[0], event=-n) for n in (1, 2)]
    assert oracle_groups(ones, own, QUIET, lag) == [[r.key for r in ones]]
    assert sorted(oracle_groups(ones, alike, QUIET, lag)) == sorted([r.key] for r in ones)
    assert oracle_groups(ones, alike, QUIET, lag, sure=0.3) != sorted([r.key] for r in ones)
