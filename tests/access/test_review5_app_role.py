"""Review 5 (accounts and credentials): roles that could still erase the audit log on PostgreSQL.

``joinedup db app-role`` refused a superuser and a member of the tables' owner, but granted
two roles that get round privileges as surely: the owner of the store's schema, who may drop
any table in it (the audit log with its trigger), and a role with CREATEROLE, which before
PostgreSQL 16 may grant itself the tables' owner. Both tests failed before the fix: the role
was granted and then emptied or dropped the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text

from joinedup.errors import InputError
from joinedup.store import Store, make_engine
from joinedup.store.roles import grant_app_role
from tests.conftest import PG_BASE

pytestmark = pytest.mark.postgres


def _run(statement: str) -> None:
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()


@pytest.fixture
def names() -> Iterator[tuple[str, str, str]]:
    """A schema, a role to own it and its tables, and a role for the application, of this run
    alone; all gone afterwards."""
    tag = uuid.uuid4().hex[:10]
    schema, owner, app = f"jr5_{tag}", f"jt_own_{tag}", f"jt_app_{tag}"
    yield schema, owner, app
    _run(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    for role in (app, owner):
        admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                            {"r": role}).first():
                conn.execute(text(f"DROP OWNED BY {role}"))
                conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def _url(schema: str, role: str) -> str:
    url = make_url(f"{PG_BASE}?options=-csearch_path%3D{schema}")
    return url.set(username=role).render_as_string(hide_password=False)


def _store_owned_by(schema: str, owner: str) -> None:
    Store.open(_url(schema, owner)).engine.dispose()


def test_the_owner_of_the_schema_is_refused(names: tuple[str, str, str]) -> None:
    """The schema's owner may DROP TABLE audit, trigger and all, whoever owns the table."""
    schema, owner, app = names
    _run(f"CREATE ROLE {owner} LOGIN")
    _run(f"CREATE ROLE {app} LOGIN")
    _run(f'CREATE SCHEMA "{schema}" AUTHORIZATION {app}')
    _run(f'GRANT CREATE, USAGE ON SCHEMA "{schema}" TO {owner}')
    _store_owned_by(schema, owner)
    engine = make_engine(_url(schema, owner))
    try:
        with pytest.raises(InputError, match="owns the store's schema") as refused:
            grant_app_role(engine, app)
    finally:
        engine.dispose()
    assert "new role" in refused.value.hint


def test_a_role_that_may_create_roles_is_refused(names: tuple[str, str, str]) -> None:
    """With CREATEROLE (PostgreSQL 15 and before) it may GRANT the tables' owner to itself,
    then drop the trigger and empty the log."""
    schema, owner, app = names
    _run(f"CREATE ROLE {owner} LOGIN")
    _run(f'CREATE SCHEMA "{schema}" AUTHORIZATION {owner}')
    _run(f"CREATE ROLE {app} LOGIN CREATEROLE")
    _store_owned_by(schema, owner)
    engine = make_engine(_url(schema, owner))
    try:
        with pytest.raises(InputError, match="CREATEROLE") as refused:
            grant_app_role(engine, app)
    finally:
        engine.dispose()
    assert "NOCREATEROLE" in refused.value.hint
