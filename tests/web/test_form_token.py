"""The form token is bound to the browser's session: a token one session's pages carry is
refused in another, and one from before signing out is refused once signed in again. The
sign-in form, before any session, has its own token, bound to a pre-session cookie."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from joinedup.access import create_account
from joinedup.store import Store
from joinedup.web.app import create_app

GOOD = "correct horse battery"
EXPIRED = "this form has expired (the server was restarted)"
TOKEN = re.compile(r'name="csrf" value="([^"]*)"')


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('formtoken') / 'store.db'}"
    store = Store.open(url)
    create_account(store, "chair", "panel", GOOD)
    create_account(store, "deputy", "panel", GOOD)
    store.engine.dispose()
    return url


@pytest.fixture(scope="module")
def app(url: str) -> Iterator[object]:
    app = create_app(url)
    yield app
    app.state.ctx.engine.dispose()


def _browser(app: object) -> TestClient:
    return TestClient(app, base_url="http://testserver")  # type: ignore[arg-type]


def _page_token(client: TestClient, path: str) -> str:
    """The token the form on ``path`` carries, as this browser is shown it."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = set(TOKEN.findall(page.text))
    assert len(found) == 1, found  # every form of a page carries the one token
    return found.pop()


def _sign_in(client: TestClient, name: str = "chair") -> None:
    r = client.post("/login", data={"csrf": _page_token(client, "/login"), "name": name,
                                    "password": GOOD}, follow_redirects=False)
    assert r.status_code == 303, r.text


def _signed_in(client: TestClient) -> bool:
    return client.get("/concerns/new", follow_redirects=False).status_code == 200


def _concern(client: TestClient, token: str) -> str:
    """What posting a blank concern with ``token`` is answered: refused as expired, or taken
    in (and then refused field by field, since it is blank)."""
    r = client.post("/concerns", data={"csrf": token})
    assert r.status_code == 422, r.text
    if EXPIRED in r.text:
        return "expired"
    assert "required but missing" in r.text, r.text
    return "taken"


def test_a_token_of_the_session_is_accepted(app: object) -> None:
    with _browser(app) as client:
        _sign_in(client)
        token = _page_token(client, "/concerns/new")
        assert _concern(client, token) == "taken"
        assert _page_token(client, "/concerns/new") == token  # steady within the session
        out = client.post("/logout", data={"csrf": token}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/login"
        assert not _signed_in(client)


def test_a_token_of_one_session_is_refused_in_another(app: object) -> None:
    with _browser(app) as a, _browser(app) as b:
        _sign_in(a)
        _sign_in(b)  # the same account, in another browser: still another session
        theirs = _page_token(a, "/concerns/new")
        assert _page_token(b, "/concerns/new") != theirs
        assert _concern(b, theirs) == "expired"
        out = b.post("/logout", data={"csrf": theirs}, follow_redirects=False)
        assert out.status_code == 422 and EXPIRED in out.text
        assert _signed_in(b)  # a forged sign-out does not sign out
        assert _concern(a, theirs) == "taken"  # still good where it was given


def test_a_token_of_another_account_is_refused(app: object) -> None:
    with _browser(app) as a, _browser(app) as b:
        _sign_in(a, "chair")
        _sign_in(b, "deputy")
        assert _concern(b, _page_token(a, "/concerns/new")) == "expired"


def test_a_token_from_before_signing_out_is_refused_after_signing_in_again(
    app: object,
) -> None:
    with _browser(app) as client:
        pre = _page_token(client, "/login")  # the sign-in form's, before any session
        _sign_in(client)
        before = _page_token(client, "/concerns/new")
        assert before != pre
        assert _concern(client, pre) == "expired"  # signing in starts a new session
        out = client.post("/logout", data={"csrf": before}, follow_redirects=False)
        assert out.status_code == 303
        _sign_in(client)
        assert _concern(client, before) == "expired"
        assert _signed_in(client)
        assert _concern(client, _page_token(client, "/concerns/new")) == "taken"


def test_the_sign_in_form_token_is_bound_to_its_browser(app: object) -> None:
    with _browser(app) as a, _browser(app) as b:
        theirs = _page_token(a, "/login")
        _page_token(b, "/login")  # b has a sign-in page of its own
        r = b.post("/login", data={"csrf": theirs, "name": "chair", "password": GOOD},
                   follow_redirects=False)
        assert r.status_code == 401 and EXPIRED in r.text
        assert not _signed_in(b)
    with _browser(app) as fresh:  # a browser that was never shown the page: no pre-session
        r = fresh.post("/login", data={"csrf": theirs, "name": "chair", "password": GOOD},
                       follow_redirects=False)
        assert r.status_code == 401 and EXPIRED in r.text
        assert not _signed_in(fresh)


def test_a_missing_or_garbled_token_gets_the_same_answer_as_before(app: object) -> None:
    with _browser(app) as client:
        _page_token(client, "/login")
        for bad in ("", "x", "0" * 64, "é" * 64):
            r = client.post("/login", data={"csrf": bad, "name": "chair", "password": GOOD},
                            follow_redirects=False)
            assert r.status_code == 401 and EXPIRED in r.text
        r = client.post("/login", data={"name": "chair", "password": GOOD})
        assert r.status_code == 401 and EXPIRED in r.text
        _sign_in(client)
        good = _page_token(client, "/concerns/new")
        for bad in ("", good[:-1], good.upper(), good + "0", "é" * 64):
            assert _concern(client, bad) == "expired"
        for bad in ("", good[:-1]):
            r = client.post("/logout", data={"csrf": bad}, follow_redirects=False)
            assert r.status_code == 422 and EXPIRED in r.text
            assert "reload the page" in r.text
        assert client.post("/logout", follow_redirects=False).status_code == 422
        assert _signed_in(client)


def test_a_sign_in_page_opened_without_cookies_leaves_the_session_cookie_alone(
    app: object,
) -> None:
    """A link from another site opens the sign-in page without the Strict session cookie:
    the page's own cookie must not replace the session of the browser's other tabs."""
    with _browser(app) as client:
        r = client.get("/login")
        assert r.status_code == 200
        assert "joinedup_session=" not in r.headers.get("set-cookie", "")


def test_open_mode_forms_carry_a_token_of_their_own_browser(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'open.db'}"
    Store.open(url).engine.dispose()
    app = create_app(url)
    try:
        with _browser(app) as a, _browser(app) as b:
            mine = _page_token(a, "/concerns/new")
            assert _concern(a, mine) == "taken"
            _page_token(b, "/concerns/new")
            assert _concern(b, mine) == "expired"
    finally:
        app.state.ctx.engine.dispose()
