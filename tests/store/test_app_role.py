"""PostgreSQL: the application's role may use the store but cannot change the audit log.

The trigger of migration 0006 refuses every change of ``audit`` for everyone; these tests show
that the application's role is refused before the trigger, by its privileges ("permission
denied", not the trigger's message), and could not drop the trigger either.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from psycopg import errors as pg
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from joinedup.audit import verify
from joinedup.cli.app import app
from joinedup.errors import InputError, StoreError
from joinedup.store import Store, make_engine
from joinedup.store.roles import grant_app_role
from tests.conftest import pg_schema
from tests.factories import adult, child, report, write_jsonl

TRIGGER_MESSAGE = "audit entries are never changed or deleted"
runner = CliRunner()


def _as(url: str, role: str) -> str:
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


@contextmanager
def _connected_as(url: str, role: str) -> Iterator[Engine]:
    engine = make_engine(_as(url, role))
    try:
        yield engine
    finally:
        engine.dispose()


def _reports_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "reports.jsonl", [
        report("p1", reported_at="2008-01-10", informant="c1",
               people=[child("c1", "Amy"), adult("a1", "Tiger")]),
        report("h1", org="Crisis Team", agency="health", reported_at="2008-03-02",
               informant="c2", people=[child("c2", "Beth", 15), adult("a1", "Tiger")]),
    ])


@pytest.mark.postgres
def test_the_app_role_uses_the_store_and_appends_to_a_whole_audit_log(
    owner: Engine, owner_url: str, role: str
) -> None:
    grant_app_role(owner, role, login=True)
    store = Store.open(_as(owner_url, role))
    try:
        before = len(store.audit_rows())
        store.ensure_partnership("north", "North")
        store.alerts()
        rows = store.audit_rows()
    finally:
        store.engine.dispose()
    assert [(r["action"], r["target"]) for r in rows[before:]] == [
        ("ensure", "partnership/north"), ("read", "alerts")
    ]
    assert verify(rows).ok


@pytest.mark.postgres
@pytest.mark.parametrize("statement", [
    "UPDATE audit SET actor = 'someone else' WHERE seq = 1",
    "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
    "TRUNCATE audit",
    "DROP TRIGGER audit_append_only ON audit",
    "ALTER TABLE audit DISABLE TRIGGER audit_append_only",
    "DROP FUNCTION audit_append_only()",
    "UPDATE alembic_version SET version_num = '0001'",
])
def test_the_app_role_is_denied_by_privilege_before_the_trigger(
    owner: Engine, owner_url: str, role: str, statement: str
) -> None:
    grant_app_role(owner, role, login=True)
    with (
        _connected_as(owner_url, role) as engine,
        pytest.raises(DBAPIError) as caught,
        engine.begin() as conn,
    ):
        conn.execute(text(statement))
    assert isinstance(caught.value.orig, pg.InsufficientPrivilege), caught.value.orig
    assert TRIGGER_MESSAGE not in str(caught.value.orig)


@pytest.mark.postgres
def test_the_owner_is_stopped_only_by_the_trigger(owner: Engine) -> None:
    """The contrast: the owner holds the privilege, so its UPDATE reaches the trigger."""
    with pytest.raises(DBAPIError) as caught, owner.begin() as conn:
        conn.execute(text("UPDATE audit SET actor = 'someone else'"))
    assert isinstance(caught.value.orig, pg.RaiseException)
    assert TRIGGER_MESSAGE in str(caught.value.orig)


def _privileges(engine: Engine, role: str) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT table_name, privilege_type FROM information_schema.role_table_grants"
            " WHERE grantee = :r AND table_schema = current_schema() ORDER BY 1, 2"
        ), {"r": role})]


@pytest.mark.postgres
def test_granting_twice_changes_nothing(owner: Engine, role: str) -> None:
    first = grant_app_role(owner, role)
    granted = _privileges(owner, role)
    second = grant_app_role(owner, role)
    assert first[0].startswith(f"CREATE ROLE {role} NOLOGIN")
    assert second == first[1:]
    assert _privileges(owner, role) == granted
    on_audit = {p for table, p in granted if table == "audit"}
    assert on_audit == {"SELECT", "INSERT"}
    assert ("report", "UPDATE") in granted and ("report", "DELETE") in granted


@pytest.mark.postgres
def test_a_password_is_set_but_never_reported(owner: Engine, role: str) -> None:
    done = grant_app_role(owner, role, login=True, password="it's%a:secret")
    assert done[0] == f"CREATE ROLE {role} LOGIN PASSWORD '…'"
    assert not any("secret" in s for s in done)
    with owner.connect() as conn:
        assert conn.execute(
            text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": role}
        ).scalar_one()


@pytest.mark.postgres
def test_a_superuser_is_refused(owner: Engine) -> None:
    with owner.connect() as conn:
        me = conn.execute(text("SELECT current_user")).scalar_one()
    with pytest.raises(InputError, match="superuser|owns the store's tables"):
        grant_app_role(owner, me)


@pytest.mark.postgres
def test_a_member_of_the_owner_is_refused(owner: Engine, role: str) -> None:
    with owner.begin() as conn:
        me = conn.execute(text("SELECT current_user")).scalar_one()
        conn.execute(text(f'CREATE ROLE {role} NOLOGIN; GRANT "{me}" TO {role}'))
    with pytest.raises(InputError, match="owns the store's tables"):
        grant_app_role(owner, role)


@pytest.mark.postgres
def test_a_grant_to_public_that_could_change_audit_is_refused_and_nothing_is_done(
    owner: Engine, role: str
) -> None:
    with owner.begin() as conn:
        conn.execute(text("GRANT UPDATE ON audit TO PUBLIC"))
    with pytest.raises(StoreError, match="could still UPDATE"):
        grant_app_role(owner, role)
    with owner.connect() as conn:
        assert conn.execute(
            text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": role}
        ).scalar_one() == 0


@pytest.mark.postgres
def test_a_store_not_created_yet_is_named() -> None:
    with pg_schema("jr") as url:
        engine = make_engine(url)
        try:
            with pytest.raises(StoreError, match="not created yet"):
                grant_app_role(engine, "jt_app_never_created")
        finally:
            engine.dispose()


@pytest.mark.parametrize("name", ["", "Upper", "pg_app", "public", "a-b", 'x"y', "a;b", "a" * 64])
def test_a_name_that_will_not_do_is_refused_before_connecting(name: str) -> None:
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(InputError, match="will not do as the name"):
        grant_app_role(engine, name)


def test_sqlite_has_no_roles(sqlite_store: Store) -> None:
    with pytest.raises(InputError, match="SQLite has no database roles") as caught:
        grant_app_role(sqlite_store.engine, "joinedup_app")
    assert "triggers" in caught.value.hint


@pytest.mark.postgres
def test_the_cli_grants_the_role_and_joinedup_then_runs_as_it(
    owner_url: str, role: str, tmp_path: Path
) -> None:
    res = runner.invoke(app, ["db", "app-role", role, "--login", "--db", owner_url])
    assert res.exit_code == 0, res.output
    assert "GRANT SELECT, INSERT ON TABLE" in res.output and "REVOKE ALL" in res.output
    assert f"next: run joinedup (and joinedup serve) as {role}: --db 'postgresql" in res.output
    as_role = _as(owner_url, role)
    res = runner.invoke(app, ["ingest", "--db", as_role, "--quiet", str(_reports_file(tmp_path))])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["audit", "verify", "--db", as_role])
    assert res.exit_code == 0, res.output
    assert "the audit log is whole" in res.output


def test_the_cli_says_sqlite_has_no_roles_and_creates_no_file(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    res = runner.invoke(app, ["db", "app-role", "joinedup_app", "--db", str(db)])
    assert res.exit_code == 2
    assert "error: SQLite has no database roles" in res.output
    assert not db.exists()
