"""Migration 0014 (sessions that can be ended, tokens that expire) upgrades a store of 0013
that holds accounts and tokens, on both stores: every account keeps its sessions (none was
signed out by the upgrade) and every token keeps working (none had an expiry), and both can
be ended from then on.

Failed before the migration: the store stopped at 0013, with neither column.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.migration import MigrationContext
from sqlalchemy import insert, select

from joinedup.access import (
    authenticate,
    end_sessions,
    issue_token,
    session_current,
    token_account,
    token_hash,
)
from joinedup.errors import AccessDenied
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.store.gate import Actor
from joinedup.store.store import make_engine, migrate

GOOD = "correct horse battery"
T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
LEGACY = "jdu_issued-before-tokens-expired"


def _revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _store_of_0013(url: str) -> Store:
    """A store built by migration 0013, with an admin, a feed account and its token, written
    as that schema's code wrote them."""
    from argon2 import PasswordHasher

    engine = make_engine(url)
    migrate(engine, "0013")
    store = Store(engine, Actor.local())
    store.ensure_partnership("default", "default")
    with engine.begin() as conn:  # the columns of 0013 only: the newer ones are not there
        for name, role, agency, password in (("root", "admin", None, GOOD),
                                             ("feed", "reporter", "police", None)):
            conn.execute(insert(t.account).values(
                partnership="default", name=name, role=role, agency=agency, failures=0,
                password_hash=PasswordHasher().hash(password) if password else None,
                locked_until=None, active=True, created_at=T0))
        feed = conn.execute(select(t.account.c.pk).where(t.account.c.name == "feed")
                            ).scalar_one()
        conn.execute(insert(t.api_token).values(
            partnership="default", account=feed, name="nightly", token_hash=token_hash(LEGACY),
            scopes=["reports:write"], created_at=T0, revoked_at=None))
    return store


def test_a_store_of_0013_with_accounts_and_tokens_migrates(store_url: str) -> None:
    store = _store_of_0013(store_url)
    assert _revision(store) == "0013"
    migrate(store.engine, "0014")
    assert _revision(store) == "0014"
    root = store.account_named("root")
    assert root is not None and root["sessions_valid_after"] is None
    assert session_current(root, None)  # a session of before: not signed out by the upgrade
    assert authenticate(store, "root", GOOD)["name"] == "root"
    # a token of before has no expiry and keeps working (the docs say to reissue it)
    assert token_account(store, LEGACY, "reports:write")["name"] == "feed"
    # from now on, sessions can be ended and new tokens expire
    end_sessions(store, "root")
    root = store.account_named("root")
    assert root is not None and not session_current(root, None)
    _, fresh = issue_token(store, "feed", "new", ["reports:write"],
                           now=datetime.now(UTC) - timedelta(days=366))
    assert token_account(store, LEGACY, "reports:write")["name"] == "feed"
    with pytest.raises(AccessDenied):
        token_account(store, fresh, "reports:write")
    store.engine.dispose()


def test_0014_migrates_down_and_up_again_keeping_accounts_and_tokens(store_url: str) -> None:
    store = _store_of_0013(store_url)
    migrate(store.engine)
    end_sessions(store, "root")
    migrate(store.engine, "0013", downgrade=True)
    assert _revision(store) == "0013"
    migrate(store.engine)
    root = store.account_named("root")
    assert root is not None and root["sessions_valid_after"] is None
    assert token_account(store, LEGACY, "reports:write")["name"] == "feed"
    store.engine.dispose()
