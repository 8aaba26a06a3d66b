"""A PostgreSQL role for the application that cannot change the audit log.

Migration 0006's trigger refuses every UPDATE, DELETE and TRUNCATE of ``audit``, but the owner of
the table can drop the trigger. :func:`grant_app_role` sets up a second role for the running
application: it may read and write the store's tables, and only read and append to ``audit``.
It does not own the tables, so it can neither drop nor disable the trigger, and the database
refuses its UPDATE, DELETE and TRUNCATE of ``audit`` with "permission denied" before the
trigger is reached.

This protects the log only when the tables belong to another role: the one that runs
``joinedup init`` (the migrations) owns them, and the application connects as the role granted
here. SQLite has no roles; there the triggers protect the file, and whoever can write the file
can change it (``joinedup audit verify`` then finds what was changed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, bindparam, text
from sqlalchemy.exc import SQLAlchemyError

from joinedup.errors import InputError, StoreError
from joinedup.store import tables as t

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
RESERVED = frozenset({"public", "none"})
APPEND_ONLY = "audit"
READ_ONLY = "alembic_version"  # migrations are the owner's: the application only reads where
# the schema stands, so that it cannot mark a migration as applied
# The chain of custody of evidence: the application reads it and appends to it, and never
# rewrites or deletes an entry (nothing in the code does). An item's entries go only with the
# item (ON DELETE CASCADE, migration 0015, performed as the table's owner), and a retention
# review never deletes a report that holds evidence items (Store.delete_report refuses it);
# each entry is in the audit log's chain as well.
NEVER_REWRITTEN = "custody"
FORBIDDEN_ON_AUDIT = ("UPDATE", "DELETE", "TRUNCATE")
FORBIDDEN = {APPEND_ONLY: FORBIDDEN_ON_AUDIT, NEVER_REWRITTEN: FORBIDDEN_ON_AUDIT}


@dataclass(frozen=True)
class _Statement:
    run: str
    shown: str  # what is reported: the same, with any password left out

    @classmethod
    def same(cls, sql: str) -> _Statement:
        return cls(sql, sql)


def grant_app_role(
    engine: Engine, role: str, *, login: bool = False, password: str | None = None
) -> list[str]:
    """Create (if missing) and grant the application's role on the store's PostgreSQL schema.

    The role may connect, use the store's schema and sequences, read and write every table of
    the store except three: ``audit``, which it may only read and append to (UPDATE, DELETE and
    TRUNCATE revoked), ``custody``, which it may read and append to, never rewrite nor delete
    from (UPDATE, DELETE and TRUNCATE revoked: an item's entries go with the item, by the
    database's cascade), and
    ``alembic_version``, which it may only read. Only the store's own
    tables, in the schema the engine's connections use (the first of their ``search_path``),
    are granted, not the rest of the schema.

    Run it as the role that owns the tables (the one that ran ``joinedup init``), and again after
    every migration, which may add tables. It is idempotent, and all or nothing: one transaction.
    It refuses a role that would bypass the privileges (a superuser, the tables' owner or a
    member of it, the schema's owner or a member of it, who may drop the audit table, or a
    role with CREATEROLE, which before PostgreSQL 16 may grant itself the tables' owner), and
    checks afterwards that the role cannot change ``audit`` nor ``custody``, which a
    grant to PUBLIC or to a role it belongs to would allow.

    Args:
        engine: An engine of the store, connected as the tables' owner.
        role: The role's name: lower-case letters, digits and underscores.
        login: Whether the role may log in (a new role may not unless asked; an existing role
            that may log in keeps that).
        password: A password to set, if the server authenticates by password.

    Returns:
        The statements run, passwords left out.

    Raises:
        InputError: the store is not PostgreSQL, or the role's name or kind will not do.
        StoreError: the store is not created yet, the role could still change ``audit`` or
            change ``custody`` through another grant, or the database refused.

    Examples:
        >>> grant_app_role(make_engine("postgresql+psycopg://owner@db/joinedup"),
        ...                "joinedup_app", login=True)  # doctest: +SKIP
    """
    if engine.dialect.name != "postgresql":
        raise InputError(
            "SQLite has no database roles"
            if engine.dialect.name == "sqlite"
            else f"application roles are for PostgreSQL, not {engine.dialect.name}",
            hint="on SQLite the triggers of migration 0006 protect the audit log, and whoever"
            " can write the file can change it: keep the file where only joinedup can write it",
        )
    _check_name(role)
    done: list[str] = []
    current = ""
    try:
        with engine.begin() as conn:
            raw = conn.execution_options(no_parameters=True)  # names may hold % or :
            for statement in _plan(conn, role, login, password):
                current = statement.shown
                raw.exec_driver_sql(statement.run)
                done.append(current)
            _check_cannot_change_audit(conn, role, set(_store_tables(conn, _schema(conn))))
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        raise StoreError(
            f"cannot grant the role {role}: {str(cause).strip()}",
            statement=current,
            hint="run it as the owner of the store's tables (the role that ran `joinedup init`),"
            " which needs the CREATEROLE attribute to create the role",
        ) from exc
    return done


def _check_name(role: str) -> None:
    if not ROLE_NAME.fullmatch(role) or role in RESERVED or role.startswith("pg_"):
        raise InputError(
            f"{role!r} will not do as the name of a database role",
            hint="use lower-case letters, digits and underscores, starting with a letter"
            " (at most 63; not public, none or pg_...), e.g. joinedup_app",
        )


def _plan(conn: Connection, role: str, login: bool, password: str | None) -> list[_Statement]:
    """The statements that give ``role`` the application's privileges, and no more."""
    q = conn.dialect.identifier_preparer.quote
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one_or_none()
    if schema is None:
        raise StoreError(
            "the store's connection has no schema (its search_path names none that exists)",
            hint="check the store URL's search_path option",
        )
    owners = _store_tables(conn, schema)
    if APPEND_ONLY not in owners:
        raise StoreError(
            f"no audit table in schema {schema}: the store is not created yet",
            hint="create it first, as the role that should own it: joinedup init --db URL",
        )
    schema_owner = conn.execute(
        text("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = :schema"),
        {"schema": schema},
    ).scalar_one()
    exists = _check_role(conn, role, set(owners.values()), schema_owner)
    database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
    name = q(role)

    def qualified(names: list[str]) -> str:
        return ", ".join(f"{q(schema)}.{q(n)}" for n in names)

    other = sorted(set(owners) - {APPEND_ONLY, READ_ONLY, NEVER_REWRITTEN})
    # PostgreSQL 17 lets a role other than the owner ANALYZE (Store.analyse); before that, it is
    # skipped with a warning and autovacuum keeps the statistics
    maintain = ", MAINTAIN" if (conn.dialect.server_version_info or (0,)) >= (17,) else ""
    plan = _role_statements(conn, name, exists, login, password)
    plan += [
        _Statement.same(f"GRANT CONNECT ON DATABASE {q(database)} TO {name}"),
        _Statement.same(f"GRANT USAGE ON SCHEMA {q(schema)} TO {name}"),
        _Statement.same(
            f"GRANT SELECT, INSERT, UPDATE, DELETE{maintain} ON TABLE {qualified(other)}"
            f" TO {name}"
        ),
        _Statement.same(
            "REVOKE ALL ON TABLE "
            f"{qualified(sorted({APPEND_ONLY, READ_ONLY, NEVER_REWRITTEN} & set(owners)))}"
            f" FROM {name}"
        ),
        _Statement.same(
            f"GRANT SELECT, INSERT{maintain} ON TABLE {qualified([APPEND_ONLY])} TO {name}"
        ),
    ]
    if NEVER_REWRITTEN in owners:
        plan.append(_Statement.same(
            f"GRANT SELECT, INSERT{maintain} ON TABLE {qualified([NEVER_REWRITTEN])}"
            f" TO {name}"
        ))
    if READ_ONLY in owners:
        plan.append(_Statement.same(f"GRANT SELECT ON TABLE {qualified([READ_ONLY])} TO {name}"))
    sequences = _store_sequences(conn, schema, sorted(owners))
    if sequences:
        plan.append(
            _Statement.same(f"GRANT USAGE, SELECT ON SEQUENCE {qualified(sequences)} TO {name}")
        )
    return plan


def _role_statements(
    conn: Connection, name: str, exists: bool, login: bool, password: str | None
) -> list[_Statement]:
    """CREATE ROLE when it is missing; otherwise ALTER ROLE, only to add a login or password."""
    options = ["LOGIN"] if login else ([] if exists else ["NOLOGIN"])
    shown = list(options)
    if password is not None:
        literal = conn.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
        options.append(f"PASSWORD {literal}")
        shown.append("PASSWORD '…'")
    if exists and not options:
        return []
    verb = "ALTER" if exists else "CREATE"
    return [_Statement(f"{verb} ROLE {name} {' '.join(options)}",
                       f"{verb} ROLE {name} {' '.join(shown)}")]


def _store_tables(conn: Connection, schema: str) -> dict[str, str]:
    """The store's tables present in ``schema``, each with its owner."""
    names = [*t.metadata.tables, READ_ONLY]
    rows = conn.execute(
        text(
            "SELECT tablename, tableowner FROM pg_tables"
            " WHERE schemaname = :schema AND tablename IN :names"
        ).bindparams(bindparam("names", expanding=True)),
        {"schema": schema, "names": names},
    )
    return {r.tablename: r.tableowner for r in rows}


def _store_sequences(conn: Connection, schema: str, tables: list[str]) -> list[str]:
    """The sequences that number the rows of the store's tables (serial and identity keys)."""
    rows = conn.execute(
        text(
            "SELECT DISTINCT seq.relname FROM pg_class seq"
            " JOIN pg_namespace ns ON ns.oid = seq.relnamespace"
            " JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = seq.oid"
            "  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
            " JOIN pg_class tab ON tab.oid = d.refobjid"
            " WHERE seq.relkind = 'S' AND ns.nspname = :schema AND tab.relname IN :tables"
            " ORDER BY 1"
        ).bindparams(bindparam("tables", expanding=True)),
        {"schema": schema, "tables": tables},
    )
    return [r[0] for r in rows]


def _check_role(conn: Connection, role: str, owners: set[str], schema_owner: str) -> bool:
    """Whether the role exists; refuses one whom privileges would not hold back: a superuser,
    a member of the tables' owner (who may drop the trigger), a member of the schema's owner
    (who may drop the audit table whole, whoever owns it), and a role with CREATEROLE (which
    before PostgreSQL 16 may grant itself any role but a superuser, the tables' owner too)."""
    found = conn.execute(
        text("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = :role"),
        {"role": role},
    ).one_or_none()
    if found is None:
        return False
    why, hint = "", ""
    if found.rolsuper:
        why = "is a superuser, whom privileges do not hold back"
    elif found.rolcreaterole:
        why = ("may create roles (CREATEROLE), and so grant itself the tables' owner, who can "
               "drop the trigger")
        hint = f"ALTER ROLE {role} NOCREATEROLE, or name a new role for the application"
    else:
        for owner in sorted(owners):
            if _member(conn, role, owner):
                why = f"owns the store's tables (as {owner}), and an owner can drop the trigger"
                break
        if not why and _member(conn, role, schema_owner):
            why = (f"owns the store's schema (as {schema_owner}), and a schema's owner can drop"
                   " the audit table in it")
    if why:
        raise InputError(
            f"the role {role} {why}",
            hint=hint or "name a new role for the application, e.g. joinedup_app; the tables"
            " and their schema stay with the role that ran `joinedup init` (or another)",
        )
    return True


def _member(conn: Connection, role: str, of: str) -> bool:
    """Whether ``role`` is ``of`` or a member of it, directly or not (``pg_database_owner``:
    the database's owner)."""
    return bool(conn.execute(
        text("SELECT pg_has_role(:role, :of, 'MEMBER')"), {"role": role, "of": of}
    ).scalar_one())


def _schema(conn: Connection) -> str:
    return str(conn.exec_driver_sql("SELECT current_schema()").scalar_one())


def _check_cannot_change_audit(conn: Connection, role: str, present: set[str]) -> None:
    """After the grants: the role must hold none of UPDATE, DELETE, TRUNCATE on audit or on
    custody (of the tables ``present``), whether granted to it, to PUBLIC or to a role it
    belongs to."""
    schema = conn.exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    for name, forbidden in FORBIDDEN.items():
        if name not in present:
            continue
        held = [
            p
            for p in forbidden
            if conn.execute(
                text("SELECT has_table_privilege(:role, :table, :p)"),
                {"role": role, "table": f"{schema}.{name}", "p": p},
            ).scalar_one()
        ]
        if held:
            raise StoreError(
                f"the role {role} could still {', '.join(held)} the {name} table: a grant to"
                " PUBLIC or to a role it belongs to allows it; nothing was granted",
                hint=f"REVOKE {', '.join(held)} ON {name} FROM PUBLIC (or from that role), and"
                " run this again",
            )
