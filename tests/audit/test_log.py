"""The audit log on both stores: append-only, verified by the CLI, and asked who saw what."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from joinedup.cli.app import app
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
runner = CliRunner()


@pytest.mark.parametrize("statement", [
    "UPDATE audit SET actor = 'someone else' WHERE seq = 1",
    "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
])
def test_the_store_refuses_to_change_or_delete_an_entry(store: Store, statement: str) -> None:
    store.alerts()
    before = store.audit_rows()
    with pytest.raises(Exception, match="never changed or deleted"), store.engine.begin() as c:
        c.execute(text(statement))
    assert store.audit_rows() == before


def _drop_the_guard(store: Store) -> None:
    """What only someone with the database's own rights can do."""
    with store.engine.begin() as c:
        if c.dialect.name == "sqlite":
            c.execute(text("DROP TRIGGER audit_no_update"))
            c.execute(text("DROP TRIGGER audit_no_delete"))
        else:
            c.execute(text("DROP TRIGGER audit_append_only ON audit"))


def test_verify_names_the_first_edited_entry(store_url: str) -> None:
    store = Store.open(store_url)
    import_file(store, DEMO)
    assert runner.invoke(app, ["audit", "verify", "--db", store_url]).exit_code == 0
    _drop_the_guard(store)
    with store.engine.begin() as c:
        c.execute(text("UPDATE audit SET actor = 'nobody' WHERE seq = 3"))
    res = runner.invoke(app, ["audit", "verify", "--db", store_url])
    assert res.exit_code == 1 and "entry 3 was changed" in res.output
    store.engine.dispose()


def test_verify_finds_the_log_cut_back_past_a_recorded_head(store_url: str) -> None:
    """A log cut back and written on again can be a whole chain; the head recorded earlier
    (kept outside the database) shows it."""
    store = Store.open(store_url)
    store.alerts()
    head = runner.invoke(app, ["audit", "head", "--db", store_url]).stdout.strip()
    assert runner.invoke(app, ["audit", "verify", "--expect", head, "--db", store_url]
                         ).exit_code == 0
    store.entities()
    _drop_the_guard(store)
    with store.engine.begin() as c:  # the read of the alerts, and everything since, removed
        c.execute(text("DELETE FROM audit WHERE seq >= :s"), {"s": int(head.split(":")[0]) - 1})
    store.entities()  # and the log goes on
    res = runner.invoke(app, ["audit", "verify", "--expect", head, "--db", store_url])
    assert res.exit_code == 1
    assert any(w in res.output for w in ("not the head recorded earlier", "missing", "deleted"))
    store.engine.dispose()


def test_who_saw_an_alert_a_report_and_an_entity(store_url: str) -> None:
    store = Store.open(store_url)
    import_file(store, DEMO)
    process(store)
    alert = next(a for a in store.alerts("open") if a["rule"] == "linked_children")
    store.alert(alert["id"])  # someone opens the alert
    report = store.reports_by_pk([alert["evidence"][0]])[alert["evidence"][0]]
    store.entity(alert["subject"])  # and its subject's page

    def saw(record: str) -> list[dict]:
        res = runner.invoke(app, ["audit", "who-saw", record, "--json", "--db", store_url])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    assert [r["target"] for r in saw(alert["id"])] == [f"alert/{alert['id']}"]
    by_report = saw(f"{report['org']}/{report['report_id']}")
    assert f"alert/{alert['id']}" in {r["target"] for r in by_report}
    by_entity = {r["target"] for r in saw(alert["subject"])}
    assert {f"entity/{alert['subject']}", f"alert/{alert['id']}"} <= by_entity
    assert any(r["action"] == "who-saw" for r in store.audit_rows())  # the question is audited
    store.engine.dispose()


def test_who_saw_an_incident(store_url: str) -> None:
    from importlib import resources
    from pathlib import Path

    store = Store.open(store_url)
    import_file(store, Path(str(resources.files("joinedup.demo"))) / "conflict.jsonl")
    process(store)
    alert = next(a for a in store.alerts("open") if a["rule"] == "attack_on_humanitarian_aid")
    store.incident(alert["subject"])  # someone opens the incident
    res = runner.invoke(app, ["audit", "who-saw", alert["subject"], "--json", "--db", store_url])
    assert res.exit_code == 0, res.output
    assert f"incident/{alert['subject']}" in {r["target"] for r in json.loads(res.stdout)}
    store.engine.dispose()
