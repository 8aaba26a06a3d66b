"""A nickname said another way is still the man's nickname: short ones that sound alike are
compared ("Mo" / "Moe"), and one cut short is like the whole ("Bubs" / "Bubbles")
(docs/resolution.md, "Nicknames said another way")."""

from __future__ import annotations

from pathlib import Path

from joinedup.cli.render import alerts_json
from joinedup.store import Store
from tests.factories import load_generated


def test_a_nickname_said_another_way_joins_a_network(store: Store, tmp_path: Path) -> None:
    """Seed 348 at 300 reports. A man known as "Mo" to a pupil referral unit and as "Moe" to a
    sexual health service, each with another girl of his network: the two spellings shared no
    blocking key, so the two mentions were never compared, and his "linked to two children"
    alert was never raised. A girl known as "Bubbles" to a school and "Bubs" to the police,
    with her full name in both: "different nicknames" (-7.4 bits) kept her two, and her
    recruiter alert was missed."""
    scenario, entity = load_generated(store, tmp_path, seed=348, reports=300)
    truth = scenario.truth["mentions"]
    raised = {(a["rule"], a["subject"]["id"]) for a in alerts_json(store)}
    for identity, rule, spellings in (("person:000053", "linked_children", {"Mo", "Moe"}),
                                      ("person:000101", "possible_recruiter",
                                       {"Bubs", "Bubbles"})):
        keys = [k for k, v in truth.items() if v == identity]
        said = {a for r in scenario.reports for p in r["people"]
                if f"{r['source']['org']}/{r['id']}#{p['ref']}" in keys
                for a in p.get("aliases") or ()}
        assert spellings <= said  # the scenario is as described
        assert len({entity[k] for k in keys}) == 1
        assert (rule, entity[keys[0]]) in raised

