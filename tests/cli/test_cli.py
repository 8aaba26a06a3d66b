"""The CLI: exit statuses, the documented ``--json`` shapes, readable errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from joinedup.cli.app import app
from tests.factories import adult, child, report, write_jsonl

runner = CliRunner()
SOON = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()  # within every cap
TAKEAWAY = {"ref": "t", "name": "Sunrise Kebabs", "kind": "takeaway", "postcode": "OL16 1AA"}


def _reports() -> list[dict]:
    return [
        report(
            "p1",
            reported_at="2008-01-10",
            informant="c1",
            people=[child("c1", "Amy"), adult("a1", "Tiger", phones=["07700 900123"])],
            places=[dict(TAKEAWAY)],
        ),
        report(
            "h1",
            org="Crisis Team",
            agency="health",
            reported_at="2008-03-02",
            informant="c2",
            people=[child("c2", "Beth", 15), adult("a1", "Tiger")],
            places=[dict(TAKEAWAY)],
        ),
    ]


def test_ingest_exit_status_is_0_when_every_record_is_accepted(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    res = runner.invoke(
        app, ["ingest", "--db", db, "--quiet", str(write_jsonl(tmp_path / "a.jsonl", _reports()))]
    )
    assert res.exit_code == 0, res.output
    assert "2 accepted" in res.output


def test_ingest_exit_status_is_1_and_names_the_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(_reports()[0]) + "\n" + json.dumps({"id": "x"}) + "\n")
    res = runner.invoke(app, ["ingest", "--db", str(tmp_path / "s.db"), "--quiet", str(path)])
    assert res.exit_code == 1
    assert f"{path}:2: " in res.output


def test_ingest_exit_status_is_2_on_unusable_input(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\x00\x01 binary")
    res = runner.invoke(app, ["ingest", "--db", str(tmp_path / "s.db"), "--quiet", str(path)])
    assert res.exit_code == 2
    assert "error:" in res.output


def test_entities_and_alerts_json_follow_the_documented_shape(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner.invoke(
        app, ["ingest", "--db", db, "--quiet", str(write_jsonl(tmp_path / "a.jsonl", _reports()))]
    )
    ents = json.loads(runner.invoke(app, ["entities", "--db", db, "--json"]).stdout)
    assert {e["type"] for e in ents} == {"person", "place", "phone"}
    for e in ents:
        assert {"id", "type", "label", "aliases", "mentions"} <= set(e)
        assert all(set(m) >= {"report", "ref"} for m in e["mentions"])
    alerts = json.loads(runner.invoke(app, ["alerts", "--db", db, "--json"]).stdout)
    assert alerts, "the two reports should raise linked_children"
    for a in alerts:
        assert {
            "id",
            "rule",
            "level",
            "subject",
            "evidence",
            "agencies",
            "informants",
            "raised_by",
        } <= set(a)
        assert set(a["subject"]) >= {"id", "type", "label"}
        assert set(a["raised_by"]) >= {"report", "reported_at"}
    explained = runner.invoke(app, ["explain", alerts[0]["id"], "--db", db])
    assert explained.exit_code == 0
    assert "Raised by report Crisis Team/h1" in explained.stdout


def test_explain_of_an_unknown_alert_says_what_to_do(tmp_path: Path) -> None:
    res = runner.invoke(app, ["explain", "A-nothing", "--db", str(tmp_path / "s.db")])
    assert res.exit_code == 2
    assert "joinedup alerts" in res.output


def test_an_analyst_splits_a_merge_from_the_command_line_and_it_holds(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner.invoke(app, ["ingest", "--db", db, "--quiet",
                        str(write_jsonl(tmp_path / "a.jsonl", _reports()))])
    tiger = [e for e in json.loads(runner.invoke(app, ["entities", "--db", db, "--json",
                                                       "--type", "person"]).stdout)
             if "tiger" in e["aliases"]][0]
    shown = runner.invoke(app, ["merges", tiger["id"], "--db", db])
    assert "weight" in shown.stdout and "alias: a nickname in common" in shown.stdout
    a, b = (f"{m['org']}/{m['report']}#{m['ref']}" for m in tiger["mentions"])
    assert f"{a} ~ {b}" in shown.stdout or f"{b} ~ {a}" in shown.stdout  # named as confirm takes
    res = runner.invoke(app, ["split", a, b, "--reason", "two men, per police", "--db", db])
    assert res.exit_code == 0, res.output
    after = [e for e in json.loads(runner.invoke(app, ["entities", "--db", db, "--json",
                                                       "--type", "person"]).stdout)
             if "tiger" in e["aliases"]]
    assert len(after) == 2


def test_possible_lists_who_may_be_the_same_person_for_confirm(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    reports = [
        report("R1", informant="c1", people=[child("c1", "Amy", 14), adult("a1", "Kaz")],
               links=[{"from": "a1", "to": "c1", "type": "sexual_contact"}]),
        report("Y1", org="Youth Project", agency="youth_service", informant="c1",
               people=[child("c1", "Beth Jones", 15), adult("a1", "Kaz")],
               links=[{"from": "a1", "to": "c1", "type": "gave_gifts"}]),
    ]
    runner.invoke(app, ["ingest", "--db", db, "--quiet",
                        str(write_jsonl(tmp_path / "a.jsonl", reports))])
    kaz = [e for e in json.loads(runner.invoke(app, ["entities", "--db", db, "--json",
                                                     "--type", "person"]).stdout)
           if "kaz" in e["aliases"]]
    assert len(kaz) == 2  # a nickname alone: kept apart
    res = runner.invoke(app, ["possible", kaz[0]["id"], "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    [found] = json.loads(res.stdout)
    assert found["entity"]["id"] == kaz[1]["id"]
    assert set(found) >= {"entity", "own", "mention", "weight", "probability", "reasons"}
    text = runner.invoke(app, ["possible", kaz[0]["id"], "--db", db]).stdout
    assert kaz[1]["id"] in text and "alias: a nickname in common" in text
    # the mentions it names are what confirm takes
    res = runner.invoke(app, ["confirm", found["own"], found["mention"], "--reason",
                              "one man, per the youth worker", "--db", db])
    assert res.exit_code == 0, res.output
    assert json.loads(runner.invoke(app, ["possible", kaz[0]["id"], "--db", db,
                                          "--json"]).stdout) == []
    missing = runner.invoke(app, ["possible", "P-nobody", "--db", db])
    assert missing.exit_code == 2 and "no entity" in missing.output


def test_a_mention_that_does_not_exist_is_a_clear_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["confirm", "nowhere/x#p1", "nowhere/y#p1", "--reason", "r",
                              "--db", str(tmp_path / "s.db")])
    assert res.exit_code == 2
    assert "entities --json" in res.output


def test_resolve_runs_a_full_pass_and_keeps_the_alerts(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner.invoke(app, ["ingest", "--db", db, "--quiet",
                        str(write_jsonl(tmp_path / "a.jsonl", _reports()))])
    before = json.loads(runner.invoke(app, ["alerts", "--db", db, "--json"]).stdout)
    res = runner.invoke(app, ["resolve", "--db", db])
    assert res.exit_code == 0, res.output
    after = json.loads(runner.invoke(app, ["alerts", "--db", db, "--json"]).stdout)
    assert [a["id"] for a in after] == [a["id"] for a in before]


def test_the_panel_decides_from_the_command_line_and_consent_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    src = write_jsonl(tmp_path / "r.jsonl", _reports())
    assert runner.invoke(app, ["ingest", str(src), "--db", db]).exit_code == 0
    alert = json.loads(runner.invoke(app, ["alerts", "--json", "--db", db]).stdout)[0]["id"]
    refused = runner.invoke(app, ["decide", alert, "--action", "close", "--owner", "Chair",
                                  "--rationale", "It was consensual.", "--db", db])
    assert refused.exit_code == 2 and "cannot consent" in refused.output
    done = runner.invoke(app, ["decide", alert, "--action", "strategy_meeting", "--owner",
                               "DS Khan", "--due", SOON, "--rationale", "Meet.",
                               "--db", db])
    assert done.exit_code == 0, done.output
    assert f"strategy_meeting by DS Khan, due {SOON}" in done.stdout


def test_generate_narratives_only_writes_prose_and_the_same_truth(tmp_path: Path) -> None:
    args = ["generate", "--seed", "3", "--reports", "60"]
    assert runner.invoke(app, [*args, str(tmp_path / "s")]).exit_code == 0
    res = runner.invoke(app, [*args, "--narratives-only", str(tmp_path / "n")])
    assert res.exit_code == 0, res.output
    lines = (tmp_path / "n" / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    reports = [json.loads(line) for line in lines]
    assert len(reports) == 60
    assert all(set(r) <= {"id", "profile", "source", "derived_from", "reported_at",
                          "narrative"} for r in reports)
    assert (tmp_path / "n" / "truth.json").read_text() == (tmp_path / "s" / "truth.json"
                                                           ).read_text()
