"""A change to a profile's rules is in the audit log when the engine first runs with it."""

from __future__ import annotations

import shutil
from pathlib import Path

from joinedup.alerts.rule_library import RECIPES
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.profiles import PROFILES_DIR, load_profile_from
from joinedup.profiles.changes import note_rule_changes
from joinedup.store import Store

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"


def _changes(store: Store) -> list[dict[str, object]]:
    return [e for e in store.audit_rows() if e["action"] == "rule-change"]


def test_the_engine_records_the_rules_it_first_ran_with_once(store: Store) -> None:
    import_file(store, DEMO)
    process(store)
    process(store)
    (first,) = _changes(store)
    assert first["target"] == "profile/safeguarding" and first["detail"]["first"] is True
    assert {"rules.yaml", "indicators.yaml", "timescales.yaml", "decisions.yaml",
            "profile.yaml"} <= set(first["detail"]["files"])


def test_a_changed_rule_file_is_named_with_its_new_hash(store: Store, tmp_path: Path) -> None:
    copy = tmp_path / "safeguarding"
    shutil.copytree(PROFILES_DIR / "safeguarding", copy)
    shipped = load_profile_from(copy, frozenset(RECIPES))
    assert len(note_rule_changes(store, shipped)) >= 5
    assert note_rule_changes(store, shipped) == []  # the same rules: nothing to record
    rules = copy / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# threshold reviewed\n",
                     encoding="utf-8")
    changed = load_profile_from(copy, frozenset(RECIPES))
    assert note_rule_changes(store, changed) == ["rules.yaml"]
    last = _changes(store)[-1]
    assert last["detail"]["files"] == ["rules.yaml"] and last["detail"]["first"] is False
    assert last["detail"]["hashes"]["rules.yaml"] == changed.fingerprint["rules.yaml"]
    assert changed.fingerprint["rules.yaml"] != shipped.fingerprint["rules.yaml"]
