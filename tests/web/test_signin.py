"""Signing in: once an account exists, every page and API call needs one (or a token)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from joinedup.access import create_account, issue_token
from joinedup.cli.summary import load_demo
from joinedup.store import Store
from joinedup.web.app import create_app
from tests.web.conftest import concern, token

GOOD = "correct horse battery"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('signin') / 'store.db'}"
    store = Store.open(url)
    load_demo(store)
    create_account(store, "chair", "panel", GOOD)
    create_account(store, "feed", "reporter", None, agency="token-police")
    store.engine.dispose()
    return url


@pytest.fixture
def client(url: str) -> Iterator[TestClient]:
    app = create_app(url)
    with TestClient(app, base_url="http://testserver") as c:
        yield c
    app.state.ctx.engine.dispose()


def _sign_in(client: TestClient, name: str, password: str) -> int:
    r = client.post("/login", data={"csrf": token(client), "name": name, "password": password,
                                    "next": "/alerts"}, follow_redirects=False)
    return r.status_code


def test_pages_send_to_sign_in_and_the_api_answers_401(client: TestClient) -> None:
    r = client.get("/alerts?rule=linked_children", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/alerts")
    api = client.get("/api/alerts")
    assert api.status_code == 401 and api.json()["error"] == "SignInRequired"
    assert "linked_children" not in api.text


def test_signing_in_and_out(client: TestClient) -> None:
    assert _sign_in(client, "chair", "wrong password") == 401
    assert _sign_in(client, "chair", GOOD) == 303
    page = client.get("/alerts")
    assert page.status_code == 200 and "chair (panel)" in page.text
    assert "No accounts yet" not in page.text
    cookie = client.cookies.get("joinedup_session")
    assert cookie and GOOD not in cookie
    out = client.post("/logout", data={"csrf": token(client)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/alerts", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_httponly_and_strict(client: TestClient) -> None:
    r = client.post("/login", data={"csrf": token(client), "name": "chair", "password": GOOD},
                    follow_redirects=False)
    header = r.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header


def test_sign_in_never_sends_you_to_another_site(client: TestClient) -> None:
    # browsers read a backslash as a slash and drop tabs and line breaks from a URL
    for target in ("//evil.example/x", "https://evil.example/", "/\\\\evil.example",
                   "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
                   "/ /evil.example", "/\x7f/evil.example"):
        r = client.post("/login", data={"csrf": token(client), "name": "chair",
                                        "password": GOOD, "next": target},
                        follow_redirects=False)
        assert r.headers["location"] == "/alerts", target


def test_a_token_imports_a_report_and_does_nothing_else(client: TestClient, url: str) -> None:
    store = Store.open(url)
    _, text = issue_token(store, "feed", "nightly", ["reports:write"])
    store.engine.dispose()
    auth = {"Authorization": f"Bearer {text}"}
    r = client.post("/api/reports", headers=auth,
                    json=concern("TOK-1", "police", "token-police", "Zara Tok", "Finch",
                                 "07700 900888"))
    assert r.status_code == 201, r.text
    assert client.get("/api/alerts", headers=auth).status_code == 403
    bad = client.post("/api/reports", headers={"Authorization": "Bearer jdu_not-a-token"},
                      json=concern("TOK-2", "police", "token-police", "Y", "Z", "07700 900889"))
    assert bad.status_code == 403


def test_no_accounts_means_the_local_account_and_says_so(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'open.db'}")
    with TestClient(app) as c:
        r = c.get("/alerts")
        assert r.status_code == 200 and "No accounts yet" in r.text
    app.state.ctx.engine.dispose()


def test_with_no_accounts_only_this_machine_is_answered(tmp_path: Path) -> None:
    """A page elsewhere that rebinds its own name to 127.0.0.1 reaches the app from the
    browser under that name; while no account exists it would act as the local account."""
    app = create_app(f"sqlite:///{tmp_path / 'open.db'}")
    for base in ("http://127.0.0.1:8000", "http://localhost", "http://[::1]:8000"):
        with TestClient(app, base_url=base) as c:
            assert c.get("/api/alerts").status_code == 200, base
    with TestClient(app, base_url="http://rebound.example:8000") as c:
        api = c.get("/api/alerts")
        assert api.status_code == 403 and "only this machine" in api.json()["message"]
        assert c.get("/alerts").status_code == 403
        assert c.post("/api/reports", json=concern("R-1", "police", "p", "A B", "C",
                                                   "07700 900111")).status_code == 403
    app.state.ctx.engine.dispose()
