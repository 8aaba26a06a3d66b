"""The pre-session cookie that the sign-in form's token is made from (and every form's, while
no account exists).

Over HTTPS (``JOINEDUP_HTTPS=1``) it is ``__Host-joinedup_form``: Secure, Path=/ and no Domain,
so a browser takes it only from this very host and a sibling subdomain cannot plant one whose
value it knows (and so whose token it could have fetched). Before, it was ``joinedup_form``
there too: a planted one, with a token fetched for it, signed the victim's browser in to the
planter's account whenever the browser sent no Origin header. Over plain HTTP a ``__Host-``
cookie cannot be set, and the cookie keeps its plain name.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from joinedup.access import create_account
from joinedup.store import Store
from joinedup.web.app import create_app

GOOD = "correct horse battery"
EXPIRED = "this form has expired (the server was restarted)"
TOKEN = re.compile(r'name="csrf" value="([^"]*)"')
HOST_COOKIE = "__Host-joinedup_form"
PLAIN_COOKIE = "joinedup_form"


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, https: bool) -> Iterator[FastAPI]:
    if https:
        monkeypatch.setenv("JOINEDUP_HTTPS", "1")
    else:
        monkeypatch.delenv("JOINEDUP_HTTPS", raising=False)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store.open(url)
    create_account(store, "chair", "panel", GOOD)
    create_account(store, "planter", "analyst", GOOD)  # the account of whoever plants a cookie
    store.engine.dispose()
    app = create_app(url)
    yield app
    app.state.ctx.engine.dispose()


@pytest.fixture
def https_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    yield from _app(tmp_path, monkeypatch, https=True)


@pytest.fixture
def http_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    yield from _app(tmp_path, monkeypatch, https=False)


def _browser(app: FastAPI, scheme: str = "https") -> TestClient:
    return TestClient(app, base_url=f"{scheme}://testserver")


def _token(page_text: str) -> str:
    found = set(TOKEN.findall(page_text))
    assert len(found) == 1, found
    return found.pop()


def _set_cookies(response: Any) -> list[str]:
    return list(response.headers.get_list("set-cookie"))


def _plant(client: TestClient, name: str, value: str) -> None:
    """A cookie this browser will send, as if set by someone else (a sibling subdomain)."""
    # the cookie jar files a host without a dot, as testserver is, under <host>.local
    client.cookies.set(name, value, domain="testserver.local", path="/")


def _sign_in(client: TestClient, token: str, name: str = "chair") -> int:
    r = client.post("/login", data={"csrf": token, "name": name, "password": GOOD},
                    follow_redirects=False)
    return r.status_code


def test_over_https_the_pre_session_cookie_is_a_host_cookie(https_app: FastAPI) -> None:
    with _browser(https_app) as client:
        page = client.get("/login")
        assert page.status_code == 200
        cookies = [c for c in _set_cookies(page) if "joinedup_form=" in c]
        assert len(cookies) == 1 and cookies[0].startswith(f"{HOST_COOKIE}=")
        attributes = {a.strip().split("=")[0].lower(): a.strip() for a in
                      cookies[0].split(";")[1:]}
        assert attributes["path"] == "Path=/"
        assert {"secure", "httponly"} <= set(attributes)
        assert attributes["samesite"].lower() == "samesite=strict"
        assert "domain" not in attributes  # a __Host- cookie the browser would refuse otherwise
        assert client.cookies.get(HOST_COOKIE) and client.cookies.get(PLAIN_COOKIE) is None


def test_over_https_signing_in_works_and_drops_the_host_cookie(https_app: FastAPI) -> None:
    with _browser(https_app) as client:
        token = _token(client.get("/login").text)
        r = client.post("/login", data={"csrf": token, "name": "chair", "password": GOOD},
                        follow_redirects=False)
        assert r.status_code == 303, r.text
        dropped = [c for c in _set_cookies(r) if c.startswith(f"{HOST_COOKIE}=")]
        assert len(dropped) == 1 and "max-age=0" in dropped[0].lower()
        assert "secure" in dropped[0].lower() and "path=/" in dropped[0].lower()
        assert client.get("/concerns/new", follow_redirects=False).status_code == 200


def test_over_https_a_planted_plain_cookie_is_ignored(https_app: FastAPI) -> None:
    planted = secrets.token_urlsafe(32)
    with _browser(https_app) as planter:
        # the planter fetches the sign-in page holding the cookie it will plant, by either name
        for name in (PLAIN_COOKIE, HOST_COOKIE):
            _plant(planter, name, planted)
        theirs = _token(planter.get("/login").text)
    with _browser(https_app) as victim:
        # a sibling subdomain can set joinedup_form in the victim's browser, not __Host-
        _plant(victim, PLAIN_COOKIE, planted)
        r = victim.post("/login", data={"csrf": theirs, "name": "planter", "password": GOOD},
                        follow_redirects=False)
        assert r.status_code == 401 and EXPIRED in r.text
        assert victim.get("/concerns/new", follow_redirects=False).status_code == 303
        # the victim's own sign-in form still works beside the planted cookie
        mine = _token(victim.get("/login").text)
        assert mine != theirs
        assert _sign_in(victim, mine) == 303


def test_over_plain_http_the_cookie_keeps_its_plain_name(http_app: FastAPI) -> None:
    with _browser(http_app, "http") as client:
        page = client.get("/login")
        cookies = [c for c in _set_cookies(page) if "joinedup_form=" in c]
        assert len(cookies) == 1 and cookies[0].startswith(f"{PLAIN_COOKIE}=")
        assert "secure" not in cookies[0].lower()
        assert client.cookies.get(HOST_COOKIE) is None
        assert _sign_in(client, _token(page.text)) == 303


def test_over_plain_http_a_host_cookie_is_not_read(http_app: FastAPI) -> None:
    """Over HTTP the browser never sends a __Host- cookie: one sent is not this app's."""
    planted = secrets.token_urlsafe(32)
    with _browser(http_app, "http") as planter:
        _plant(planter, PLAIN_COOKIE, planted)
        theirs = _token(planter.get("/login").text)
    with _browser(http_app, "http") as other:
        _plant(other, HOST_COOKIE, planted)
        assert _sign_in(other, theirs) == 401


def test_two_first_loads_at_once_lose_one_token_and_the_refusal_mends_it(
    http_app: FastAPI,
) -> None:
    """Not fixed, pinned: two sign-in pages opened at the same moment by a browser with no
    pre-session cookie each set a cookie of their own, and the browser keeps the later one.
    The first page's token is refused, and the refusal's own form carries the kept one."""
    with _browser(http_app, "http") as browser:
        first = _token(browser.get("/login").text)
        browser.cookies.clear()  # the second request left before the first answer came
        second = _token(browser.get("/login").text)
        assert first != second
        refused = browser.post("/login", data={"csrf": first, "name": "chair",
                                               "password": GOOD}, follow_redirects=False)
        assert refused.status_code == 401 and EXPIRED in refused.text
        assert _token(refused.text) == second
        assert _sign_in(browser, second) == 303


def test_over_https_the_session_cookie_is_a_host_cookie_and_a_planted_one_is_not_read(
    https_app: FastAPI,
) -> None:
    """The signed session cookie cannot be forged, but a sibling subdomain could plant the
    planter's own valid session, signing the victim in to the planter's account (what they
    then write is the planter's to read). Over HTTPS it is ``__Host-joinedup_session``."""
    with _browser(https_app) as planter:
        assert _sign_in(planter, _token(planter.get("/login").text), "planter") == 303
        theirs = planter.cookies.get("__Host-joinedup_session")
        assert theirs and planter.cookies.get("joinedup_session") is None
    with _browser(https_app) as victim:
        _plant(victim, "joinedup_session", theirs)  # the name a subdomain can plant
        assert victim.get("/concerns/new", follow_redirects=False).status_code == 303
    with _browser(https_app) as same:  # the cookie is a good session under its own name
        _plant(same, "__Host-joinedup_session", theirs)
        assert same.get("/concerns/new", follow_redirects=False).status_code == 200


def test_over_plain_http_the_session_cookie_keeps_its_plain_name(http_app: FastAPI) -> None:
    with _browser(http_app, "http") as client:
        assert _sign_in(client, _token(client.get("/login").text)) == 303
        assert client.cookies.get("joinedup_session")
        assert client.cookies.get("__Host-joinedup_session") is None
