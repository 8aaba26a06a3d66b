"""With every mention resolved to its true identity, the profile's rules raise exactly the alerts
the generator's answer key expects, each from its earliest report, and nothing else.

This separates the two places an alert can go wrong: if this holds, every missed, late or false
alert on a generated scenario comes from resolution, not from a rule that reads the domain
differently from ``generate/alerts.py`` (docs/rules.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.alerts import evaluate_rules
from joinedup.corroborate import build_picture
from joinedup.generate import generate_scenario, write_scenario
from joinedup.ingest.importer import import_file
from joinedup.profiles import load_profile
from joinedup.resolve.resolver import entity_rows
from joinedup.store import Store

PREFIX = {"person": "P", "place": "L", "vehicle": "V", "phone": "T"}


def _true_keys(truth: dict) -> dict[str, str]:
    """Mention key -> true identity (joinedup keys phones ``#t<i>``, the truth ``#p<i>``)."""
    phones = {k.rsplit("#p", 1)[0] + "#t" + k.rsplit("#p", 1)[1]: v
              for k, v in truth.get("phones", {}).items()}
    return {**truth["mentions"], **truth.get("vehicles", {}), **phones}


@pytest.mark.parametrize("seed", [4, 9])
def test_rules_on_true_identities_raise_exactly_the_expected_alerts_on_time(
    seed: int, tmp_path: Path
) -> None:
    scenario = generate_scenario(seed=seed, reports=600)
    write_scenario(scenario, tmp_path / "r.jsonl", tmp_path / "t.json")
    store = Store.open(f"sqlite:///{tmp_path / 'q.db'}")
    import_file(store, tmp_path / "r.jsonl")
    reports, mentions = store.current_reports(), store.current_mentions()
    key_of = {r["pk"]: f"{r['org']}/{r['report_id']}" for r in reports}
    known = _true_keys(scenario.truth)
    entity_of = {}
    for m in mentions:
        key = f"{key_of[m['report']]}#{m['ref']}"
        assert key in known, key
        entity_of[m["pk"]] = f"{PREFIX[m['kind']]}:{known[key]}"
    pic = build_picture(load_profile("safeguarding"), reports, mentions, store.current_links(),
                        store.current_observations(), entity_of, entity_rows(entity_of, mentions))
    raised = {(a["rule"], a["subject"].split(":", 1)[1], key_of[a["raised_by"]])
              for a in evaluate_rules(pic)}
    truth = scenario.truth
    expected = {(x["rule"], x["subject"], x["earliest_report"])
                for x in [*(x for n in truth["networks"] for x in n["expected_alerts"]),
                          *truth.get("noise_expected_alerts", [])]}
    assert expected  # every planted network has at least its two seed reports' alert
    assert raised == expected
