"""Follow-up of the conflict review: the chain of custody is never rewritten. The application's
PostgreSQL role may read and append to ``custody``, never UPDATE nor DELETE it (nothing in the
code does: ``evidence.py`` and the store only insert custody entries). A retention review keeps
a report whose evidence items are in a chain of custody (``Store.delete_report`` refuses it);
an item deleted takes its custody with it (ON DELETE CASCADE, migration 0015), which
PostgreSQL performs as the tables' owner, so it works for the role too; every custody
entry is in the hash-chained audit log as well."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from psycopg import errors as pg
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from joinedup.errors import InputError
from joinedup.evidence import register_cited
from joinedup.ingest.importer import import_file
from joinedup.store import Store, make_engine
from joinedup.store.gate import Actor
from joinedup.store.roles import grant_app_role
from tests.evidence.test_custody import PHOTO, report_citing
from tests.store.test_app_role import _as, _connected_as, _privileges


@pytest.fixture
def held(owner_url: str, tmp_path: Path) -> Iterator[str]:
    """The store, holding one conflict report that cites a photo, its custody begun."""
    store = Store.open(owner_url)
    path = tmp_path / "reports.jsonl"
    path.write_text(json.dumps(report_citing(hashlib.sha256(PHOTO).hexdigest())) + "\n")
    assert import_file(store, path).accepted == 1
    assert register_cited(store) == 1
    store.engine.dispose()
    yield owner_url


@pytest.mark.postgres
@pytest.mark.parametrize("rewrite", [
    "UPDATE custody SET action = 'verified', sha256 = NULL",
    "DELETE FROM custody WHERE action = 'collected'",  # one entry out of the chain
])
def test_the_app_role_may_append_to_custody_and_never_update_nor_delete_it(
    owner: Engine, held: str, role: str, rewrite: str
) -> None:
    grant_app_role(owner, role, login=True)
    on_custody = {p for table, p in _privileges(owner, role) if table == "custody"}
    assert on_custody == {"SELECT", "INSERT"}
    with (
        _connected_as(held, role) as engine,
        pytest.raises(DBAPIError) as caught,
        engine.begin() as conn,
    ):
        conn.execute(text(rewrite))
    assert isinstance(caught.value.orig, pg.InsufficientPrivilege), caught.value.orig
    # appending is the application's work: a custody entry added as the role
    store = Store.open(_as(held, role))
    try:
        [item] = store.evidence_items()
        store.add_custody(item["pk"], [{"action": "transferred", "detail": {"to": "archive"}}])
        [item] = store.evidence_items()
        assert [c["action"] for c in item["custody"]] == ["collected", "transferred"]
    finally:
        store.engine.dispose()


@pytest.mark.postgres
def test_a_role_granted_update_or_delete_before_loses_them_when_granted_again(
    owner: Engine, role: str
) -> None:
    grant_app_role(owner, role)
    with owner.begin() as conn:  # as earlier versions' grants gave them
        conn.execute(text(f"GRANT UPDATE, DELETE ON custody TO {role}"))
    grant_app_role(owner, role)
    held = _privileges(owner, role)
    assert ("custody", "UPDATE") not in held and ("custody", "DELETE") not in held


@pytest.mark.postgres
def test_a_retention_deletion_keeps_a_report_in_custody_and_the_cascade_works_as_the_role(
    owner: Engine, held: str, role: str
) -> None:
    grant_app_role(owner, role, login=True)
    engine = make_engine(_as(held, role))
    try:
        with pytest.raises(InputError, match="chain of custody"):
            Store(engine, Actor.local()).delete_report(
                "sarc", "sarc-1", "retention review", cutoff=datetime.now(UTC) + timedelta(1))
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM custody")).scalar_one() == 1
            conn.execute(text("DELETE FROM evidence_item"))
            assert conn.execute(text("SELECT count(*) FROM custody")).scalar_one() == 0
    finally:
        engine.dispose()
