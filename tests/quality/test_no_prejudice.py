"""No prejudice in the machine: flipping protected attributes on every record changes nothing.

Ethnicity, religion, nationality and the like may be stored, but they must never reach
resolution, rules or ranking. The proof is counterfactual: rewrite them on every person of a
generated scenario and compare entities, alerts and the people offered as possibly the same
(a ranking an analyst acts on) with the original run.
"""

from __future__ import annotations

import copy
from pathlib import Path

from joinedup.cli.render import alerts_json, entities_json
from joinedup.generate import generate_scenario
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.profiles import load_profile
from joinedup.resolve.possible import possible_matches, resolution_model
from joinedup.store import Store
from tests.factories import write_jsonl

FLIPS = {"ethnicity": "flipped-ethnicity", "religion": "flipped-religion",
         "nationality": "flipped-nationality", "housing": "flipped-housing"}


def _flip(reports: list[dict]) -> list[dict]:
    out = copy.deepcopy(reports)
    for r in out:
        for p in r.get("people") or []:
            attrs = p.setdefault("attributes", {})
            for key, value in FLIPS.items():
                attrs[key] = value if attrs.get(key) != value else "other"
    return out


def _run(tmp_path: Path, name: str, reports: list[dict]) -> tuple[list, list, list]:
    store = Store.open(f"sqlite:///{tmp_path / name}.db")
    import_file(store, write_jsonl(tmp_path / f"{name}.jsonl", reports))
    process(store)
    ents = sorted((e["id"], e["type"], sorted((m["org"], m["report"], m["ref"])
                                               for m in e["mentions"]))
                  for e in entities_json(store, None))
    alerts = sorted((a["rule"], a["subject"]["id"], tuple(a["evidence"]),
                     a["raised_by"]["report"]) for a in alerts_json(store))
    model, tf = resolution_model(store)
    possible = [(e[0], [(p.entity, p.own, p.mention, p.evidence.weight)
                        for p in possible_matches(store, e[0], model, tf)])
                for e in ents if e[1] == "person"]
    return ents, alerts, possible


def test_flipping_protected_attributes_changes_no_entity_and_no_alert(tmp_path: Path) -> None:
    reports = generate_scenario(seed=7, reports=300).reports
    assert any(p.get("attributes") for r in reports for p in r.get("people") or [])
    original = _run(tmp_path, "original", reports)
    flipped = _run(tmp_path, "flipped", _flip(reports))
    assert original[1], "the scenario should raise alerts, or the comparison proves nothing"
    assert any(found for _, found in original[2]), "nobody offered: the check proves nothing"
    assert flipped == original


def test_the_profile_names_the_protected_attributes_it_keeps_out() -> None:
    assert set(FLIPS) <= load_profile("safeguarding").protected_attributes
