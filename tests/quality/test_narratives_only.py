"""End to end from prose: a small generated scenario delivered as narratives only, read on
import, every proposal accepted as proposed and applied as the review page applies it, then
alerted on, beside the same scenario delivered structured (bench/narratives.py prints the same
over three larger seeds).

The bar (issue 5) is that every planted alert is raised from narratives only; this test holds
the scenario to more: by the report that raises it from the structured reports. One difference
is allowed, and asserted exactly: a narrative-only report whose reader finds no one who gave
its account names no informant, so its account counts as its organisation and reporter's, and
where the answer key computed that way names another earliest report, that report may raise
the alert. This scenario meets it (since 2026-12-05); bench/narratives.py's nine larger seeds
raise every alert the structured run raises (since 2026-12-06), 4 of 421 by another report
than the structured run's (docs/extraction.md, "Measured end to end"), and the floors below
keep what holds there from slipping here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bench.narratives import compare, recovered, run_narratives, run_structured

from joinedup.generate import generate_scenario, narratives_only

SEED = 5  # as the structured quality test; seed 1 trained the shipped person model
REPORTS = 80  # one planted network: 12 planted alerts of four rules


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("narratives")
    scenario = generate_scenario(seed=SEED, reports=REPORTS)
    structured = run_structured(scenario.reports, folder)
    narrated, reading = run_narratives(narratives_only(scenario.reports, SEED), folder)
    yield compare(scenario.reports, scenario.truth, structured, narrated) | {
        "reading": reading, "recovered": recovered(scenario.reports, narrated)}
    for store in (structured, narrated):
        store.engine.dispose()


def test_every_planted_alert_is_raised_from_narratives_only_by_the_same_report(
    runs: dict[str, Any]
) -> None:
    wrong = [(a["rule"], a["label"], a["structured"], a["narratives"])
             for a in runs["alerts"] if a["as"] not in ("same", "source key")]
    assert wrong == []


def test_the_structured_run_raises_every_planted_alert(runs: dict[str, Any]) -> None:
    """The baseline the narratives-only run is held to."""
    assert runs["totals"]["structured"]["missed"] == 0
    assert runs["totals"]["structured"]["late"] == 0


def test_every_reviewed_report_becomes_a_valid_new_version(runs: dict[str, Any]) -> None:
    """What accepting every proposal makes passes the input contract: nothing is quarantined."""
    assert runs["reading"]["outcomes"] == {"accepted": REPORTS}


def test_accepting_every_proposal_raises_no_false_alert(runs: dict[str, Any]) -> None:
    assert runs["totals"]["narratives"]["false"] == 0


def test_planted_alerts_from_narratives_only_do_not_fall_below_their_measured_floor(
    runs: dict[str, Any]
) -> None:
    """12 of the 12 on 2026-12-05 (6 before the reader's fixes of that day), none late and
    none raised earlier than the structured run raises it."""
    told = runs["totals"]["narratives"]
    assert told["raised"] >= 12
    assert told["late"] == 0
    assert told["as"]["earlier"] == 0


def test_what_the_prose_says_is_mostly_read_back(runs: dict[str, Any]) -> None:
    """Signs, periods, places, children, people of concern, phones and vehicles as the review
    makes them, beside the structured reports (floors a little under what was measured on
    2026-12-05: 125/127 signs, 35/35 periods, 37/38 places, 73/74 children, 60/60 people of
    concern, 9/9 phones, 10/10 vehicles; before that day's fixes to the reader, 30/38 places,
    64/74 children and 31/60 people of concern)."""
    got = runs["recovered"]

    def share(kind: str) -> float:
        return got[f"{kind} made"] / got[kind]

    assert share("signs") >= 0.95
    assert share("periods") == 1.0
    assert share("places") >= 0.9
    assert (got["child made"] + got["victim made"]) / (got["child"] + got["victim"]) >= 0.95
    assert share("person_of_concern") >= 0.95
    assert share("phones") >= 0.9
    assert share("vehicles") >= 0.9
