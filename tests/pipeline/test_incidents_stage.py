"""The conflict profile end to end, on both stores: the bundled fictional demo is joined up into
incidents that match its hand-checked answers (conflict-truth.yaml), graded as they say, kept in
the store, alerted on, and stable across runs; an analyst's split holds."""

from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from joinedup.cli.conflict import incidents_json
from joinedup.cli.render import alerts_json
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store

DEMO = Path(str(resources.files("joinedup.demo")))
TRUTH = yaml.safe_load((DEMO / "conflict-truth.yaml").read_text(encoding="utf-8"))
WANTED = {r: t["key"] for t in TRUTH["incidents"] for r in t["reports"]}


@pytest.fixture
def joined(store: Store) -> Store:
    assert import_file(store, DEMO / "conflict.jsonl").quarantined == 0
    process(store)
    return store


def _of(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r: inc for inc in rows for r in inc["reports"]}


def test_the_demo_joins_up_as_its_hand_checked_answers_say(joined: Store) -> None:
    rows = incidents_json(joined)
    of = _of(rows)
    assert set(WANTED) <= set(of)  # every report of an intended incident is in one
    pairs = [(a, b) for a, b in itertools.combinations(sorted(WANTED), 2)]
    merged = {p for p in pairs if of[p[0]]["id"] == of[p[1]]["id"]}
    meant = {p for p in pairs if WANTED[p[0]] == WANTED[p[1]]}
    assert merged <= meant, sorted(merged - meant)  # never two intended incidents in one
    recall = len(merged & meant) / len(meant)
    assert recall >= 0.85, recall  # measured 0.864 (17 of 125 pairs left to review)
    # grades agree with the hand-checked ones wherever the incident is whole
    whole = [t for t in TRUTH["incidents"]
             if set(of[t["reports"][0]]["reports"]) == set(t["reports"])]
    assert len(whole) >= 13
    for t in whole:
        inc = of[t["reports"][0]]
        assert (inc["certainty"], inc["attribution"]) == (t["certainty"], t["attribution"]), t
        for kind in ("killed", "injured"):
            if t.get(kind):
                assert [inc[kind]["min"], inc[kind]["max"]] == t[kind], (t["key"], kind)


def test_route_reports_and_the_country_level_report_are_not_merged(joined: Store) -> None:
    of = _of(incidents_json(joined))
    routes = {f"{r['org']}/{r['report_id']}" for r in joined.current_bodies("conflict")
              if r["body"].get("route") and not r["body"].get("harm")}
    assert routes and not routes & set(of)  # a route's status is not an incident
    country = [r for r in joined.current_bodies("conflict")
               if (r["body"].get("location") or {}).get("precision") == "country"]
    for r in country:
        assert of[f"{r['org']}/{r['report_id']}"]["reports"] == [f"{r['org']}/{r['report_id']}"]


def test_attacks_on_health_care_and_aid_are_alerted_from_the_first_report(joined: Store) -> None:
    alerts = alerts_json(joined)
    rules = {a["rule"] for a in alerts}
    assert {"attack_on_health_care", "attack_on_humanitarian_aid"} <= rules
    bodies = {f"{r['org']}/{r['report_id']}": r for r in joined.current_bodies("conflict")}
    for a in alerts:
        raised = f"{a['raised_by']['org']}/{a['raised_by']['report']}"
        assert set(bodies[raised]["body"]["harm"]["targets"]) & {
            "health_facility", "health_transport", "health_personnel", "patients",
            "health_supplies", "humanitarian_convoy", "aid_worker", "school"}
        # no member reported before the one that raised it says a protected object was hit
        hits = [bodies[e] for e in a["evidence_refs"]
                if set(bodies[e]["body"].get("harm", {}).get("targets") or ())
                & set(a["explanation"]["targets"])]
        assert bodies[raised]["reported_at"] == min(h["reported_at"] for h in hits)


def test_a_second_run_changes_nothing_and_a_split_holds(joined: Store) -> None:
    before = incidents_json(joined)
    process(joined)
    assert incidents_json(joined) == before
    convoy = _of(before)["sarc-aleppo/SARC-ALP-2016-0919"]
    other = next(r for r in convoy["reports"] if r != "sarc-aleppo/SARC-ALP-2016-0919")
    joined.add_incident_decision(("sarc-aleppo", "SARC-ALP-2016-0919"),
                                 tuple(other.split("/", 1)), "split", "test: two events")
    process(joined)
    of = _of(incidents_json(joined))
    assert of["sarc-aleppo/SARC-ALP-2016-0919"]["id"] != of[other]["id"]


def test_cited_evidence_is_registered_with_the_run(joined: Store) -> None:
    items = joined.evidence_items()
    cited = sum(len(r["body"].get("evidence") or []) for r in joined.current_bodies("conflict"))
    assert cited and len(items) == cited
    assert all(i["custody"][0]["action"] == "collected" for i in items)


def test_incidents_are_found_by_any_name_of_an_actor(joined: Store) -> None:
    from joinedup.cli.conflict import actor_named

    rows = incidents_json(joined)
    found = {name: {r["id"] for r in rows if actor_named(r, name)}
             for name in ("Jabhat al-Nusra", "Jabhat Fateh al-Sham", "Hay'at Tahrir al-Sham")}
    assert found["Jabhat al-Nusra"]  # the demo names the group under both of its 2016 names
    assert found["Jabhat al-Nusra"] == found["Jabhat Fateh al-Sham"] == found[
        "Hay'at Tahrir al-Sham"]
    assert not {r["id"] for r in rows if actor_named(r, "Islamic State")} & found[
        "Jabhat al-Nusra"]


def test_the_cli_confirms_two_reports_as_one_incident(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from joinedup.cli.app import app

    db = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(DEMO / "conflict.jsonl"), "--db", db]).exit_code == 0
    store = Store.open(db)
    of = _of(incidents_json(store))
    a, b = "sarc-aleppo/SARC-ALP-2016-0919", "russian-mod/RUMOD-160920"
    assert of[a]["id"] != of[b]["id"]  # a denial at governorate level is left for review
    done = runner.invoke(app, ["confirm", a, b, "--reason", "the denial is of this strike",
                               "--db", db])
    assert done.exit_code == 0, done.output
    of = _of(incidents_json(store))
    assert of[a]["id"] == of[b]["id"]
    assert of[a]["attribution"] == "contested"  # the denial now counts against the claim
    store.engine.dispose()
