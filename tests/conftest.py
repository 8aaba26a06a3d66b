"""Fixtures: a real store on SQLite and on PostgreSQL, so every store test runs on both.

PostgreSQL is at 127.0.0.1:5432 (trust auth, database ``test``); each test gets its own schema,
dropped afterwards. When PostgreSQL is not reachable the PostgreSQL tests fail loudly: a store
test that silently skipped would hide exactly the bug CI is for.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from joinedup.profiles import Profile, load_profile
from joinedup.store import Store

# the test client's Host: the web app in open mode answers only names it is told of
os.environ.setdefault("JOINEDUP_ALLOWED_HOSTS", "testserver")

PG_BASE = os.environ.get("JOINEDUP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_url(schema: str) -> str:
    return f"{PG_BASE}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with pg_schema("jt") as url:
        yield url


@contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """The URL of a new PostgreSQL schema, dropped with everything in it afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store.open(store_url)
    yield s
    s.engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.engine.dispose()


@pytest.fixture
def weak(monkeypatch: pytest.MonkeyPatch) -> Profile:
    """The safeguarding profile as a partnership would set it to count unconfirmed proposals
    as weak evidence (``unconfirmed_proposals: weak``; the shipped one ignores them), for the
    pipeline's runs in this test."""
    shipped = load_profile("safeguarding")
    assert shipped.unconfirmed_proposals == "ignore"
    profile = dataclasses.replace(shipped, unconfirmed_proposals="weak")
    monkeypatch.setattr("joinedup.pipeline.load_profile",
                        lambda name: profile if name == "safeguarding" else load_profile(name))
    return profile
