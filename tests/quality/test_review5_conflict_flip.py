"""Review 5: no prejudice in the conflict profile's machine.

A victim's (or a source's) ethnicity, religion, sect or nationality may be stored (``extra``,
narratives, a victim group's name in ``actors``) but must never change an incident's merge,
its certainty, its attribution, the alerts or the figures. The proof is counterfactual: write
such words on every report of the conflict demo, differently in two runs (so that reports that
agreed in one run disagree in the other), and compare everything the engine decides.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from joinedup.cli.conflict import incidents_json
from joinedup.cli.render import alerts_json
from joinedup.corroborate.grading import grade_incident
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.resolve.incidents import deduplicate, event_from_report
from joinedup.resolve.incidents.comparison import compare
from joinedup.resolve.incidents.events import shipped_dedup_profile
from joinedup.store import Store
from joinedup.web.incident_views import stats
from tests.conflict_reports import AL_SHAAR, AL_SHAAR_NEARBY, Report, attack

DEMO = Path(str(resources.files("joinedup.demo"))) / "conflict.jsonl"
PEOPLES = ["Alawite", "Sunni", "Kurdish", "Arab", "Christian", "Druze", "Turkmen", "Shia"]
NATIONS = ["Syrian", "Palestinian", "Iraqi", "Afghan"]


def _flip(reports: list[Report], shift: int) -> list[Report]:
    """Every report given protected words: the i-th report's people are ``PEOPLES[i + shift]``,
    so two runs with different shifts disagree report by report."""
    out = copy.deepcopy(reports)
    for i, r in enumerate(out):
        people = PEOPLES[(i + shift) % len(PEOPLES)]
        nation = NATIONS[(i + shift) % len(NATIONS)]
        r["extra"] = {**(r.get("extra") or {}), "ethnicity": people, "religion": people,
                      "sect": people, "nationality": nation, "national_origin": nation,
                      "language": people, "tribe": people}
        r["actors"] = [*(r.get("actors") or []),
                       {"ref": "review5-group", "name": f"{people} civilians",
                        "role": "victim_group"},
                       # the same people named with no role, as sources often do
                       {"ref": "review5-unroled", "name": f"{people} villagers"},
                       # and people described, not named, as the ones who did it
                       {"ref": "review5-described", "name": f"{people} fighters",
                        "role": "alleged_perpetrator"}]
        r["narrative"] = f"{r.get('narrative') or ''} The victims were {people} {nation}s."
    return out


def _decided(tmp_path: Path, name: str, reports: list[Report]) -> dict[str, Any]:
    """What the engine decided of the reports: incidents with their members, grades, rules,
    sources and casualty ranges; the alerts; the figures."""
    store = Store.open(f"sqlite:///{tmp_path / name}.db")
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    assert import_file(store, path).quarantined == 0
    process(store)
    incidents = sorted(
        (r["id"], tuple(r["reports"]), r["certainty"], r["attribution"],
         json.dumps([r["killed"], r["injured"]]),
         tuple((s["key"], tuple(s["reports"])) for s in r["sources"]),
         tuple((k, f["rule"], f["grade"], tuple(f["sources"]), tuple(f["reports"]))
               for k in ("certainty", "attribution") for f in r["grading"][k]),
         tuple(json.dumps(v, sort_keys=True) for v in r["victims"]))
        for r in incidents_json(store))
    alerts = sorted((a["rule"], a["level"], a["subject"]["id"], tuple(a["evidence_refs"]),
                     a["raised_by"]["report"]) for a in alerts_json(store))
    figures = stats(store, "week", "rumour")
    store.engine.dispose()
    return {"incidents": incidents, "alerts": alerts, "figures": figures}


def test_flipping_protected_words_on_every_demo_report_changes_no_decision(
    tmp_path: Path,
) -> None:
    reports = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    plain = _decided(tmp_path, "plain", reports)
    one = _decided(tmp_path, "one", _flip(reports, 0))
    other = _decided(tmp_path, "other", _flip(reports, 3))
    assert plain["alerts"] and any(len(i[1]) > 2 for i in plain["incidents"])  # proves something
    assert one == other
    assert one == plain  # the words change nothing at all, not only nothing between flips


def _pair(first: str, second: str, role: str | None) -> tuple[float, int, str]:
    a = attack("a", org="A", agency="media", at=AL_SHAAR, place="al-Shaar",
               mechanism="air_strike", targets=["residential"], actors=[(first, role)])
    b = attack("b", org="B", agency="ngo", at=AL_SHAAR_NEARBY, place="al-Shaar",
               mechanism="air_strike", targets=["residential"], actors=[(second, role)])
    events = [event_from_report(a), event_from_report(b)]
    verdict = compare(*events, shipped_dedup_profile())
    assert verdict is not None
    return (verdict.score, len(deduplicate(events).incidents),
            grade_incident(events).attribution.grade)


@pytest.mark.parametrize("role", [None, "alleged_perpetrator", "victim_group"])
def test_a_victim_groups_religion_in_actors_never_changes_a_merge_or_a_grade(
    role: str | None,
) -> None:
    # one strike, two sources; they describe the people differently. Before the fix, with no
    # role (or as alleged perpetrators) "Alawite villagers" against "Sunni villagers" scored
    # 4.5 (not merged, attribution contested) where "Alawite" in both scored 7.5
    agree = _pair("Alawite villagers", "Alawite villagers", role)
    differ = _pair("Alawite villagers", "Sunni villagers", role)
    ethnic = _pair("Kurdish fighters", "Arab fighters", role)
    assert agree == differ == ethnic
    assert agree[1] == 1  # still one incident


def test_a_description_is_shown_and_said_not_to_be_graded() -> None:
    g = grade_incident([event_from_report(attack("a", actors=[("Sunni rebels",
                                                                "alleged_perpetrator")]))])
    assert g.attribution.grade == "unattributed" and g.perpetrators == ()
    assert "Sunni rebels" in g.attribution.fired[0].detail


def test_an_actors_file_name_is_still_an_actor() -> None:
    # "Kurdish-led forces" is how wire services name the SDF: a name the file lists, compared
    e = event_from_report(attack("a", actors=[("Kurdish-led forces", "alleged_perpetrator")]))
    assert e.parties == {"sdf"} and e.actors[0].compared
