"""The Alembic migrations build exactly the tables the code declares, on both stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from joinedup.cli.render import alerts_json
from joinedup.errors import StoreError
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.store.store import migrate
from joinedup.store.tables import SEARCH_OBJECTS, metadata

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"


def _context(conn: object) -> MigrationContext:
    """The full-text index is dialect-specific and outside the metadata (tables.SEARCH_OBJECTS):
    everything else must match."""
    return MigrationContext.configure(
        conn,  # type: ignore[arg-type]
        opts={"include_name": lambda name, kind, parents: name not in SEARCH_OBJECTS},
    )


def test_migrations_match_the_declared_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        differences = compare_metadata(_context(conn), metadata)
    assert differences == [], "add a migration under store/migrations/versions"


def test_migrating_twice_changes_nothing(store_url: str) -> None:
    first = Store.open(store_url)
    first.engine.dispose()
    again = Store.open(store_url)
    assert again.counts()["reports"] == 0
    again.engine.dispose()


def test_a_store_holding_reports_migrates_down_and_up_again(store_url: str) -> None:
    """The newest migration rebuilds tables that others reference (links point at mentions):
    on SQLite that works only with foreign keys off while it runs, and every reference must
    still hold afterwards."""
    store = Store.open(store_url)
    import_file(store, DEMO)
    process(store)
    def held() -> tuple[dict[str, int], list[str]]:  # the audit log grows by every read
        return ({k: v for k, v in store.counts().items() if k != "audit"},
                [a["id"] for a in alerts_json(store)])

    before = held()
    migrate(store.engine, "0003", downgrade=True)
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0003"
    migrate(store.engine)
    with store.engine.connect() as conn:
        assert compare_metadata(_context(conn), metadata) == []
        if conn.dialect.name == "sqlite":  # enforcement is back on for the pool's connections
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    process(store)
    assert held() == before
    store.engine.dispose()


def test_a_migration_that_would_break_references_changes_nothing(tmp_path: Path) -> None:
    """SQLite: an alert raised by a report that is not there (written with enforcement off,
    as another tool might) is found before the migration commits, and the store is left at
    its revision with no half-built table."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store.open(url)
    import_file(store, DEMO)
    process(store)
    migrate(store.engine, "0003", downgrade=True)
    store.engine.dispose()
    raw = sqlite3.connect(tmp_path / "store.db")
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("UPDATE alert SET raised_by = 999999 WHERE id = (SELECT min(id) FROM alert)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="1 references point at rows that are not there"):
        Store.open(url)
    raw = sqlite3.connect(tmp_path / "store.db")
    assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0003",)]
    assert raw.execute(
        "SELECT name FROM sqlite_master WHERE name LIKE '_alembic_tmp%'"
    ).fetchall() == []
    raw.close()
