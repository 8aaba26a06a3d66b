"""The Alembic migrations build exactly the tables the code declares, on both stores."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from joinedup.store import Store
from joinedup.store.tables import metadata


def test_migrations_match_the_declared_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == [], "add a migration under store/migrations/versions"


def test_migrating_twice_changes_nothing(store_url: str) -> None:
    first = Store.open(store_url)
    first.engine.dispose()
    again = Store.open(store_url)
    assert again.counts()["reports"] == 0
    again.engine.dispose()
