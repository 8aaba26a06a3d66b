"""Fixtures of the PostgreSQL role tests in this folder: a store owned by the test's own role,
an engine connected as that owner, and a role name of the run's own, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from joinedup.store import Store, make_engine
from tests.conftest import PG_BASE, pg_schema


@pytest.fixture
def owner_url() -> Iterator[str]:
    """A store created (migrated) by the test's own role, which owns its tables."""
    with pg_schema("jr") as url:
        Store.open(url).engine.dispose()
        yield url


@pytest.fixture
def role(owner_url: str) -> Iterator[str]:
    """A role name of this run alone; the role and its grants are gone afterwards."""
    name = f"jt_app_{uuid.uuid4().hex[:12]}"
    yield name
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).first():
            conn.execute(text(f"DROP OWNED BY {name}"))
            conn.execute(text(f"DROP ROLE {name}"))
    admin.dispose()


@pytest.fixture
def owner(owner_url: str) -> Iterator[Engine]:
    engine = make_engine(owner_url)
    yield engine
    engine.dispose()
