"""The quality bar on a small generated scenario: resolution F1, alerts on time, few false ones.

The generator writes a ground truth beside the reports; this test scores the engine against it.
Larger seeds and sizes are in ``make bench``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations

import pytest

from joinedup.cli.render import alerts_json, entities_json
from joinedup.generate import generate_scenario, write_scenario
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store

SEED = 5


def pairwise_f1(truth: dict[str, str], found: dict[str, str]) -> float:
    """Pairwise F1 of a clustering of mention keys against the true identities."""

    def pairs(assign: dict[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for key, ident in assign.items():
            groups[ident].append(key)
        return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}

    keys = truth.keys() & found.keys()
    t = pairs({k: truth[k] for k in keys})
    f = pairs({k: found[k] for k in keys})
    if not t and not f:
        return 1.0
    tp = len(t & f)
    precision = tp / len(f) if f else 1.0
    recall = tp / len(t) if t else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("scenario")
    # seed 1 trained the shipped person model: never score on it
    scenario = generate_scenario(seed=SEED, reports=1000)
    write_scenario(scenario, folder / "reports.jsonl", folder / "truth.json")
    store = Store.open(f"sqlite:///{folder / 'store.db'}")
    result = import_file(store, folder / "reports.jsonl")
    process(store)
    found = {f"{m['org']}/{m['report']}#{m['ref']}": e["id"]
             for e in entities_json(store, "person") for m in e["mentions"]}
    truth = json.loads((folder / "truth.json").read_text())
    reported = {f"{r['source']['org']}/{r['id']}": r["reported_at"] for r in scenario.reports}
    return {"result": result, "found": found, "truth": truth, "alerts": alerts_json(store),
            "reported": reported}


def test_every_generated_report_is_accepted(scored: dict) -> None:
    assert scored["result"].quarantined == 0, scored["result"].errors[:3]


def _person_f1(scored: dict) -> float:
    truth = {k: v for k, v in scored["truth"]["mentions"].items()
             if scored["truth"]["identities"][v]["type"] == "person"}
    return pairwise_f1(truth, scored["found"])


def test_person_resolution_does_not_fall_below_its_measured_floor(scored: dict) -> None:
    assert _person_f1(scored) >= 0.90


def test_person_resolution_reaches_the_f1_bar(scored: dict) -> None:
    # 0.928 before people were resolved in three rounds (a man whose child was still unresolved
    # in the round before kept apart; two networks' men bridged by a wrong merge of round one)
    assert _person_f1(scored) >= 0.95


def test_every_planted_network_is_alerted_no_later_than_its_corroboration(scored: dict) -> None:
    """A network is on time when its first alert is raised by the report that first
    corroborates it (the earliest report of any of its expected alerts), or before."""
    truth, found, reported = scored["truth"], scored["found"], scored["reported"]
    entity_of_identity: dict[str, set[str]] = defaultdict(set)
    for key, ident in truth["mentions"].items():
        if key in found:
            entity_of_identity[ident].add(found[key])
    by_entity = defaultdict(list)
    for a in scored["alerts"]:
        by_entity[a["subject"]["id"]].append(a)
    late = []
    for network in truth["networks"]:
        first = min(reported[x["earliest_report"]] for x in network["expected_alerts"])
        raised = [
            reported[f"{a['raised_by']['org']}/{a['raised_by']['report']}"]
            for expected in network["expected_alerts"]
            for eid in entity_of_identity.get(expected["subject"], ())
            for a in by_entity.get(eid, [])
            if a["rule"] == expected["rule"]
        ]
        if not raised or min(raised) > first:
            late.append(network["id"])
    assert late == []
