"""The audit log is one chain: the store refuses a second entry after one entry (a fork), and a
store whose log already forks is not migrated, with what to do instead. On both stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from joinedup.cli.app import app
from joinedup.decide import decision_state, record_decision
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.store.store import AuditForked, migrate

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
runner = CliRunner()


def _fork(store: Store) -> int:
    """A second entry after the entry the newest one follows, as two writers that both read
    one head would append (inserting is what the append-only triggers allow); its seq."""
    with store.engine.begin() as conn:
        newest = conn.execute(select(t.audit).order_by(t.audit.c.seq.desc()).limit(1)).one()
        entry: dict[str, Any] = {**newest._mapping, "hash": "f" * 64}
        del entry["seq"]
        return int(conn.execute(
            insert(t.audit).values(**entry).returning(t.audit.c.seq)
        ).scalar_one())


def _revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_the_store_refuses_a_fork(store: Store) -> None:
    store.alerts()
    store.entities()
    with pytest.raises(IntegrityError):
        _fork(store)


def test_a_store_whose_log_forks_is_not_migrated_and_says_what_to_do(store_url: str) -> None:
    store = Store.open(store_url)
    store.alerts()
    migrate(store.engine, "0012", downgrade=True)
    forked = _fork(store)
    with pytest.raises(AuditForked, match=f"the audit log forks: 2 entries .* last {forked}") as e:
        Store.open(store_url)
    assert "joinedup audit verify" in e.value.hint
    assert _revision(store) == "0012"  # nothing was changed
    assert "reraised_at" not in {c["name"] for c in inspect(store.engine).get_columns("alert")}
    init = runner.invoke(app, ["init", "--db", store_url])
    assert init.exit_code == 2 and "joinedup audit verify" in init.output
    # the check it points to still runs, on the store as it is, and names the entry
    res = runner.invoke(app, ["audit", "verify", "--db", store_url])
    assert res.exit_code == 1, res.output
    assert f"entry {forked} does not follow the entry before it" in res.output
    assert _revision(store) == "0012"
    store.engine.dispose()


def test_a_whole_store_migrates_with_its_alerts_and_decisions(store_url: str) -> None:
    store = Store.open(store_url)
    import_file(store, DEMO)
    process(store)
    alert = store.alerts("open")[0]
    record_decision(store, alert["id"], action="close", owner="Panel chair",
                    rationale="Duplicate of the strategy meeting already held.")
    migrate(store.engine, "0012", downgrade=True)
    assert _revision(store) == "0012"
    again = Store.open(store_url)
    assert _revision(again) == "0016"  # the newest: 0013 and what came after it
    kept = again.alert(alert["id"])
    assert kept["reraised_at"] is None and kept["reraised_after"] is None
    assert decision_state(kept, again.decisions([alert["id"]]))["status"] == "closed"
    res = runner.invoke(app, ["audit", "verify", "--db", store_url])
    assert res.exit_code == 0 and "the decisions match it: 1 checked" in res.output
    with pytest.raises(IntegrityError):
        _fork(again)
    again.engine.dispose()
    store.engine.dispose()
