"""Review 5 (accounts and credentials): the sign-in form against hostile input, on both stores.

Each test failed before its fix: a name holding a NUL was a server error on PostgreSQL, and
checking a password (argon2: a tenth of a second to half a second of work) ran on the event
loop, so that while anyone signed in, or tried to, nobody else's page was served.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from joinedup.access import create_account
from joinedup.store import Store
from joinedup.web import signin
from joinedup.web.app import create_app
from tests.web.conftest import token

GOOD = "correct horse battery"


@pytest.fixture
def client(store_url: str) -> Iterator[TestClient]:
    store = Store.open(store_url)
    create_account(store, "chair", "panel", GOOD)
    store.engine.dispose()
    app = create_app(store_url)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as c:
        yield c
    app.state.ctx.engine.dispose()


def _post(client: TestClient, name: str, password: str = GOOD) -> int:
    return client.post("/login", data={"csrf": token(client), "name": name,
                                       "password": password}, follow_redirects=False
                       ).status_code


def test_a_name_holding_a_nul_is_a_wrong_name_not_a_server_error(client: TestClient) -> None:
    assert _post(client, "cha\x00ir") == 401
    assert _post(client, "N" * 50_000) == 401
    assert _post(client, "chair") == 303


def test_the_password_is_checked_off_the_event_loop(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the loop, one sign-in attempt held up every other request for as long as argon2
    took: a stream of wrong passwords, which anyone may send, was a denial of service."""
    where: list[bool] = []
    real = signin.authenticate

    def watched(*args: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
            where.append(True)
        except RuntimeError:
            where.append(False)
        return real(*args, **kwargs)

    monkeypatch.setattr(signin, "authenticate", watched)
    assert _post(client, "chair", "not the password") == 401
    assert _post(client, "chair") == 303
    assert where == [False, False]
