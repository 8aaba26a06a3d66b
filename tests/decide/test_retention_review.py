"""What a retention review may not delete, and when: each report is held to its own profile's
period (the conflict profile keeps its reports), counted from when the store received it; a
report is kept while a decision rested on it or while its evidence is in a chain of custody;
and deleting happens at the real time, with the cutoff and the report's dates audited.

Each of these was reproduced against the code before it: ``--at 2100 --delete`` deleted a
report received that day, a report dated 1990 was deletable the day it arrived, a UCDP-dated
conflict report was deletable on import, its evidence items went with it, and a report a
decision rested on was deleted once the alert stopped citing it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from joinedup.access import create_account
from joinedup.cli.app import app
from joinedup.decide import record_decision
from joinedup.decide.retention import delete_after_review, reports_due
from joinedup.decide.timescales import Retention, retention
from joinedup.errors import InputError
from joinedup.evidence import register_cited
from joinedup.ingest.importer import import_file, submit_report
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.store.gate import Actor
from tests.decide.test_retention import GOOD, _as, _uncited, received_long_ago
from tests.evidence.test_custody import PHOTO, report_citing

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
SOON = (datetime.now(UTC) + timedelta(days=7)).date()
runner = CliRunner()


@pytest.fixture
def demo(store: Store) -> Store:
    import_file(store, DEMO)
    process(store)
    create_account(store, "chair", "panel", GOOD)
    return store


def _system(store: Store) -> Store:
    return Store(store.engine, Actor.local())


def _names(rows: list[dict[str, Any]]) -> set[str]:
    return {f"{r['org']}/{r['report_id']}" for r in rows}


def _deleted(store: Store) -> list[dict[str, Any]]:
    return [e for e in store.audit_rows() if e["action"] == "delete"]


# -- deleting happens now ---------------------------------------------------------------------
def test_deleting_refuses_a_moment_in_the_future(demo: Store, store_url: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A panel member cannot bring the period forward by saying it is 2100."""
    report = _uncited(demo)  # received today
    org, rid = str(report["org"]), str(report["report_id"])
    with pytest.raises(InputError, match="happens now"):
        delete_after_review(_as(demo, "chair"), _system(demo), org, rid, "reviewed",
                            now=datetime(2100, 1, 1, tzinfo=UTC))
    monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)
    res = runner.invoke(app, ["--as", "chair", "retention", "--at", "2100-01-01", "--delete",
                              f"{org}/{rid}", "--reason", "reviewed", "--db", store_url])
    assert res.exit_code == 2 and "does not take --at" in res.output
    assert demo.report_key(org, rid) and not _deleted(demo)


def test_the_deletions_audit_entry_holds_the_cutoff_and_the_reports_dates(demo: Store) -> None:
    report = _uncited(demo)
    org, rid = str(report["org"]), str(report["report_id"])
    received_long_ago(demo, org, rid)
    delete_after_review(_as(demo, "chair"), _system(demo), org, rid, "retention panel")
    (entry,) = _deleted(demo)
    dates = entry["detail"]["dates"]
    now = datetime.now(UTC)
    cutoff = datetime.fromisoformat(dates["cutoff"])
    assert now.year - cutoff.year == 25 and cutoff < now
    for key in ("received_at", "reported_at"):
        assert datetime.fromisoformat(dates[key]).year == now.year - 30
    assert entry["detail"]["reason"] == "retention panel"


# -- counted from when the store received it ----------------------------------------------------
def test_a_report_received_today_is_not_due_however_old_its_source_dates_it(
    demo: Store, store_url: str
) -> None:
    body = {"id": "OLD-0001", "profile": "safeguarding", "reported_at": "1990-01-01",
            "source": {"agency": "education", "org": "test-school", "reporter": "Test teacher"},
            "people": [{"ref": "c", "role": "child", "name": "Test Child", "age": 13}],
            "places": [], "links": [], "indicators": ["school_absence"],
            "narrative": "A fictional test report dated long ago and sent today."}
    assert submit_report(demo, body, "test").accepted == 1
    assert "test-school/OLD-0001" not in _names(reports_due(demo, datetime.now(UTC)))
    with pytest.raises(InputError, match="not past the retention period"):
        delete_after_review(_as(demo, "chair"), _system(demo), "test-school", "OLD-0001", "x")
    listed = runner.invoke(app, ["retention", "--json", "--db", store_url])
    assert "OLD-0001" not in listed.stdout
    # the same report, as a store that received it thirty years ago holds it: due
    received_long_ago(demo, "test-school", "OLD-0001")
    assert "test-school/OLD-0001" in _names(reports_due(demo, datetime.now(UTC)))


# -- each report's own profile; the conflict profile keeps its reports ----------------------------
@pytest.fixture
def conflict(demo: Store, tmp_path: Path) -> Store:
    """The demo with two conflict reports, received and dated thirty years ago: one citing a
    photo whose evidence item is in a chain of custody, one citing nothing."""
    cited = report_citing(hashlib.sha256(PHOTO).hexdigest())
    plain = {**{k: v for k, v in cited.items() if k != "evidence"}, "id": "sarc-2"}
    path = tmp_path / "conflict.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (cited, plain)))
    assert import_file(demo, path).accepted == 2
    assert register_cited(demo) == 1
    for rid in ("sarc-1", "sarc-2"):
        received_long_ago(demo, "sarc", rid)
    return demo


def test_the_conflict_profile_keeps_its_reports(conflict: Store) -> None:
    assert retention("conflict").years is None and retention("safeguarding").years == 25
    assert not {"sarc/sarc-1", "sarc/sarc-2"} & _names(reports_due(conflict, datetime.now(UTC)))
    with pytest.raises(InputError, match="keeps its reports"):
        delete_after_review(_as(conflict, "chair"), _system(conflict), "sarc", "sarc-2", "x")
    assert not _deleted(conflict)


def test_with_a_period_set_a_report_in_a_chain_of_custody_is_still_kept(
    conflict: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partnership that sets a period for conflict reports may delete one past it; never one
    whose evidence is in a chain of custody, nor its items and their custody."""
    monkeypatch.setattr("joinedup.decide.retention.retention",
                        lambda profile: Retention(profile, 25))
    assert {"sarc/sarc-1", "sarc/sarc-2"} <= _names(reports_due(conflict, datetime.now(UTC)))
    chair, system = _as(conflict, "chair"), _system(conflict)
    with pytest.raises(InputError, match="chain of custody") as err:
        delete_after_review(chair, system, "sarc", "sarc-1", "retention panel")
    assert "nothing deletes it" in (err.value.hint or "")
    [item] = conflict.evidence_items(("sarc", "sarc-1"))
    assert [c["action"] for c in item["custody"]] == ["collected"]
    delete_after_review(chair, system, "sarc", "sarc-2", "retention panel")
    assert [e["target"] for e in _deleted(conflict)] == ["report/sarc/sarc-2"]


# -- what a decision rested on is kept ----------------------------------------------------------
def _rested_on_once(store: Store) -> tuple[str, int]:
    """An alert and a report of its evidence that no other alert cites nor was raised by."""
    alerts = store.alerts()
    for a in alerts:
        others = {pk for b in alerts if b["id"] != a["id"] for pk in (*b["evidence"],
                                                                      b["raised_by"])}
        alone = [pk for pk in a["evidence"] if pk != a["raised_by"] and pk not in others]
        if alone:
            return str(a["id"]), alone[0]
    raise AssertionError("the demo has no report only one alert cites")


def test_a_report_a_decision_rested_on_is_kept_after_the_alert_drops_it(demo: Store) -> None:
    alert, pk = _rested_on_once(demo)
    evidence = demo.alert(alert)["evidence"]
    record_decision(_as(demo, "chair"), alert, action="keep_under_review", owner="Panel",
                    due=SOON, rationale="Reviewed at the panel; kept under review.")
    [decided] = demo.decisions([alert])
    assert pk in decided["evidence"] and set(evidence) <= set(decided["evidence"])
    entry = [e for e in demo.audit_rows() if e["action"] == "decide"][-1]
    assert entry["detail"]["decision"]["evidence"] == decided["evidence"]
    # a later run rewrites the alert's evidence (a new version of the report no longer
    # counts): the alert cites it no more
    with demo.engine.begin() as conn:
        conn.execute(update(t.alert).where(t.alert.c.id == alert)
                     .values(evidence=[x for x in evidence if x != pk]))
    with demo.engine.connect() as conn:
        org, rid = conn.execute(
            select(t.report.c.org, t.report.c.report_id).where(t.report.c.pk == pk)).one()
    received_long_ago(demo, org, rid)
    with pytest.raises(InputError, match=f"is evidence for {alert}"):
        delete_after_review(_as(demo, "chair"), _system(demo), org, rid, "retention panel")
    assert not _deleted(demo)
