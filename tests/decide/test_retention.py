"""Deleting a report after a retention review: only past the period, only when no alert cites
it, only by the panel, everything extracted from it gone, and the deletion audited.

Deleting happens at the real time, and the period counts from when the store received the
report: a report is made old here by dating its import batch (and itself) decades back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from joinedup.access import account_actor, create_account
from joinedup.access.policy import RolePolicy
from joinedup.cli.app import app
from joinedup.decide.retention import delete_after_review
from joinedup.errors import AccessDenied, InputError
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.store.gate import Actor

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
GOOD = "correct horse battery"


def received_long_ago(store: Store, org: str, report_id: str, years: int = 30) -> None:
    """Make a report ``years`` old, as a store that has kept it that long holds it: received
    (its import batch's time) and dated then. The batch's other reports are received then
    too, and keep their own, later, dates."""
    then = datetime.now(UTC) - timedelta(days=365 * years + years // 4)
    r, b = t.report, t.import_batch
    mine = (r.c.org == org, r.c.report_id == report_id)
    with store.engine.begin() as conn:
        conn.execute(update(b).where(b.c.id.in_(select(r.c.batch).where(*mine)))
                     .values(at=then))
        conn.execute(update(r).where(*mine).values(reported_at=then.replace(tzinfo=None)))


@pytest.fixture
def demo(store: Store) -> Store:
    import_file(store, DEMO)
    process(store)
    create_account(store, "chair", "panel", GOOD)
    create_account(store, "ana", "analyst", GOOD)
    return store


def _as(store: Store, name: str) -> Store:
    acc = store.account_named(name)
    assert acc is not None
    return Store(store.engine, account_actor(acc), RolePolicy())


def _uncited(store: Store) -> dict[str, object]:
    cited = {pk for a in store.alerts() for pk in (*a["evidence"], a["raised_by"])}
    return next(r for r in store.current_reports() if r["pk"] not in cited)


def _cited(store: Store) -> dict[str, object]:
    pk = store.alerts("open")[0]["evidence"][0]
    return next(r for r in store.current_reports() if r["pk"] == pk)


def test_a_reviewed_report_is_deleted_with_what_came_from_it(demo: Store) -> None:
    report = _uncited(demo)
    org, rid, pk = str(report["org"]), str(report["report_id"]), report["pk"]
    chair, system = _as(demo, "chair"), Store(demo.engine, Actor.local())
    reports, alerts = demo.counts()["reports"], {a["id"] for a in demo.alerts("open")}
    named = next(p["name"] for p in demo.submission(org, rid)["body"]["people"] if p.get("name"))
    words = str(named).split()
    demo.catch_up_search()
    assert (org, rid) in {(h["org"], h["report_id"]) for h in demo.search(words)}
    received_long_ago(demo, org, rid)
    done = delete_after_review(chair, system, org, rid, "reviewed at the retention panel")
    assert done["versions"] == 1 and done["mentions"] >= 1
    assert demo.counts()["reports"] == reports - 1
    assert all(m["report"] != pk for m in demo.current_mentions())
    assert {a["id"] for a in demo.alerts("open")} == alerts  # it was evidence for none
    assert all((m["org"], m["report_id"]) != (org, rid) for m in demo.memberships())
    assert (org, rid) not in {(h["org"], h["report_id"]) for h in demo.search(words)}
    (entry,) = [e for e in demo.audit_rows() if e["action"] == "delete"]
    assert entry["actor"] == "chair" and entry["target"] == f"report/{org}/{rid}"
    assert entry["detail"]["reason"] == "reviewed at the retention panel"


def test_a_report_not_past_the_period_or_cited_by_an_alert_is_kept(demo: Store) -> None:
    chair, system = _as(demo, "chair"), Store(demo.engine, Actor.local())
    young = _uncited(demo)  # received today, dated 2008
    with pytest.raises(InputError, match="not past the retention period"):
        delete_after_review(chair, system, str(young["org"]), str(young["report_id"]), "x")
    cited = _cited(demo)
    received_long_ago(demo, str(cited["org"]), str(cited["report_id"]))
    with pytest.raises(InputError, match="is evidence for A-"):
        delete_after_review(chair, system, str(cited["org"]), str(cited["report_id"]), "x")
    received_long_ago(demo, str(young["org"]), str(young["report_id"]))
    with pytest.raises(InputError, match="write why"):
        delete_after_review(chair, system, str(young["org"]), str(young["report_id"]), " ")
    with pytest.raises(AccessDenied):
        delete_after_review(_as(demo, "ana"), system, str(young["org"]),
                            str(young["report_id"]), "x")
    assert demo.counts()["reports"] == len(demo.current_reports())
    assert not [e for e in demo.audit_rows() if e["action"] == "delete"]
    assert [e for e in demo.audit_rows() if e["action"] == "denied"]  # the analyst's try


def test_deleting_from_the_command_line(demo: Store, store_url: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    report = _uncited(demo)
    name = f"{report['org']}/{report['report_id']}"
    monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)
    received_long_ago(demo, str(report["org"]), str(report["report_id"]))
    due = CliRunner().invoke(app, ["--as", "chair", "retention", "--db", store_url])
    assert due.exit_code == 0 and name in due.output
    res = CliRunner().invoke(app, ["--as", "chair", "retention", "--delete", name, "--reason",
                                   "reviewed", "--db", store_url])
    assert res.exit_code == 0, res.output
    assert f"deleted report/{name}" in res.output
    listed = CliRunner().invoke(app, ["--as", "chair", "retention", "--db", store_url])
    assert listed.exit_code == 0 and name not in listed.output
