"""Migration 0015: a custody entry goes only with its evidence item (ON DELETE CASCADE), so
the application's PostgreSQL role needs no DELETE on ``custody``. A store of 0014 holding
items and their custody migrates with every entry kept, on both stores; from then on deleting
an item removes its custody, and migrating down restores the plain reference. (Nothing in the
application deletes an item now: a retention review keeps a report with evidence items,
``tests/decide/test_retention_review.py``.)

Failed before the migration: deleting an item with custody entries was refused by the
reference, so ``Store.delete_report`` had to delete the entries itself, which needed DELETE."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from joinedup.evidence import register_cited
from joinedup.ingest.importer import import_file
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.store.store import migrate
from tests.evidence.test_custody import PHOTO, report_citing


def _revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _custody(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(t.custody.c.action).order_by(t.custody.c.pk)).scalars())


@pytest.fixture
def held(store_url: str, tmp_path: Path) -> Store:
    store = Store.open(store_url)
    path = tmp_path / "reports.jsonl"
    path.write_text(json.dumps(report_citing(hashlib.sha256(PHOTO).hexdigest())) + "\n")
    assert import_file(store, path).accepted == 1
    assert register_cited(store) == 1
    [item] = store.evidence_items()
    store.add_custody(item["pk"], [{"action": "transferred", "detail": {"to": "archive"}}])
    return store


def test_a_store_of_0014_keeps_its_custody_and_then_deletes_it_with_the_item(
    held: Store,
) -> None:
    migrate(held.engine, "0014", downgrade=True)
    assert _revision(held) == "0014"
    assert _custody(held) == ["collected", "transferred"]
    with pytest.raises(IntegrityError), held.engine.begin() as conn:  # the plain reference
        conn.execute(delete(t.evidence_item))

    migrate(held.engine, "0015")
    assert _revision(held) == "0015"
    assert _custody(held) == ["collected", "transferred"]  # every entry kept
    with held.engine.begin() as conn:
        conn.execute(delete(t.evidence_item))
    with held.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.evidence_item)).scalar_one() == 0
    assert _custody(held) == []
    held.engine.dispose()
