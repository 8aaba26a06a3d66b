"""The web app's "Change your password" page, on both stores: the signed-in account changes its
own password, giving its current one; a wrong one counts towards the sign-in lock-out; every
other session of the account ends and this browser stays signed in, with a new session.

Each test failed before the page existed (404): there was no way to change a password.
"""

from __future__ import annotations

import json
import time
from base64 import b64encode
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from itsdangerous import TimestampSigner

from joinedup.access import MAX_FAILURES, create_account
from joinedup.store import Store
from joinedup.web.app import EXPIRED
from tests.web.conftest import SECRET, new_browser, token

GOOD = "correct horse battery"
NEW = "staple lantern orchard"
COOKIE = "joinedup_session"


@pytest.fixture
def url(store_url: str) -> str:
    store = Store.open(store_url)
    create_account(store, "root", "admin", GOOD)
    create_account(store, "chair", "panel", GOOD)
    create_account(store, "sso.okafor", "panel", None)
    store.engine.dispose()
    return store_url




def _sign_in(client: TestClient, name: str = "chair", password: str = GOOD) -> int:
    r = client.post("/login", data={"csrf": token(client), "name": name, "password": password},
                    follow_redirects=False)
    return r.status_code


def _signed_in(client: TestClient) -> bool:
    code = client.get("/api/alerts").status_code
    assert code in (200, 401)
    return code == 200


def _form_token(client: TestClient) -> str:
    page = client.get("/account/password")
    assert page.status_code == 200, page.text
    return page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def _change(client: TestClient, current: str, new: str = NEW, confirm: str | None = None,
            csrf: str | None = "") -> Response:
    data = {"current": current, "new": new, "confirm": new if confirm is None else confirm}
    if csrf is not None:
        data["csrf"] = csrf or _form_token(client)
    return client.post("/account/password", data=data, follow_redirects=False)


def _entries(url: str, action: str, target: str) -> list[dict[str, Any]]:
    store = Store.open(url)
    rows = [r for r in store.audit_rows() if (r["action"], r["target"]) == (action, target)]
    store.engine.dispose()
    return rows


def test_the_navigation_links_to_the_page_and_it_asks_for_the_current_password(
    web: Any
) -> None:
    with new_browser(web) as browser:
        assert _sign_in(browser) == 303
        nav = browser.get("/concerns/new").text
        assert 'href="/account/password"' in nav and "Change password" in nav
        page = browser.get("/account/password").text
        assert 'name="current"' in page and 'autocomplete="current-password"' in page
        assert page.count('autocomplete="new-password"') == 2


def test_the_account_changes_its_password_and_stays_signed_in_here_only(
    web: Any, url: str
) -> None:
    with new_browser(web) as laptop, new_browser(web) as phone:
        assert _sign_in(laptop) == 303 and _sign_in(phone) == 303
        old_cookie = laptop.cookies.get(COOKIE)
        done = _change(laptop, GOOD)
        assert done.status_code == 303 and done.headers["location"] == "/account/password"
        assert laptop.cookies.get(COOKIE) != old_cookie  # a fresh session
        page = laptop.get("/account/password")
        assert page.status_code == 200
        assert "Your password has been changed" in page.text
        assert "this one stays signed in" in page.text
        assert NEW not in page.text
        assert "has been changed" not in laptop.get("/account/password").text  # said once
        assert _signed_in(laptop)
        assert not _signed_in(phone)  # another browser's session has ended
        with new_browser(web) as copy:  # and so has a copy of this browser's old cookie
            copy.cookies.set(COOKIE, str(old_cookie))
            assert not _signed_in(copy)
        # this browser's forms still work: its new session has a form token of its own
        assert _change(laptop, NEW, new=GOOD + " again").status_code == 303
    with new_browser(web) as fresh:
        assert _sign_in(fresh, password=NEW) == 401
        assert _sign_in(fresh, password=GOOD) == 401
        assert _sign_in(fresh, password=GOOD + " again") == 303
    entries = _entries(url, "password", "account/chair")
    assert [e["actor"] for e in entries] == ["chair", "chair"]
    assert all(NEW not in str(e) and GOOD not in str(e) for e in entries)


def test_a_wrong_current_password_is_refused_and_counts_towards_the_lock_out(
    web: Any, url: str
) -> None:
    with new_browser(web) as browser:
        assert _sign_in(browser) == 303
        refused = _change(browser, "not the password")
        assert refused.status_code == 403
        assert "the current password is wrong" in refused.text
        assert _signed_in(browser)  # it stays signed in; nothing changed
        for i in range(MAX_FAILURES - 1):
            assert _change(browser, f"guess {i}").status_code == 403
        # five wrong in a row: locked, as five wrong sign-ins would lock it
        assert _change(browser, GOOD).status_code == 403
    with new_browser(web) as other:
        assert _sign_in(other) == 401
    outcomes = [e["detail"].get("outcome") for e in _entries(url, "login", "account/chair")]
    assert outcomes.count("bad password") == MAX_FAILURES and "now locked" in outcomes
    assert not _entries(url, "password", "account/chair")


def test_a_post_without_the_form_token_changes_nothing(web: Any, url: str) -> None:
    with new_browser(web) as browser:
        assert _sign_in(browser) == 303
        missing = _change(browser, GOOD, csrf=None)
        assert missing.status_code == 422 and EXPIRED in missing.text
        assert "type the passwords again" in missing.text
        forged = _change(browser, GOOD, csrf="0" * 64)
        assert forged.status_code == 422 and EXPIRED in forged.text
        assert _signed_in(browser)
    with new_browser(web) as other:
        assert _sign_in(other, password=NEW) == 401 and _sign_in(other) == 303
    assert not _entries(url, "password", "account/chair")


def test_new_passwords_that_differ_or_are_weak_are_refused_with_the_reason(
    web: Any, url: str
) -> None:
    with new_browser(web) as browser:
        assert _sign_in(browser) == 303
        differ = _change(browser, GOOD, confirm=NEW + "x")
        assert differ.status_code == 422 and "the two new passwords differ" in differ.text
        weak = _change(browser, GOOD, new="short")
        assert weak.status_code == 422 and "at least 12 characters" in weak.text
        assert "choose a longer one" in weak.text
    assert not _entries(url, "password", "account/chair")


def test_signed_out_the_page_sends_you_to_sign_in(web: Any) -> None:
    with new_browser(web) as browser:
        page = browser.get("/account/password", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=/account/password"
        post = browser.post("/account/password", data={"current": GOOD, "new": NEW,
                                                        "confirm": NEW},
                            follow_redirects=False)
        assert post.status_code == 303 and post.headers["location"].startswith("/login")


def _session(account: str) -> str:
    """A session cookie as the app signs one at sign-in (the provider's, for this account)."""
    data = b64encode(json.dumps({"account": account, "partnership": "default",
                                 "form_key": "k" * 43, "started": time.time()}).encode())
    return TimestampSigner(SECRET).sign(data).decode()


def test_an_openid_connect_account_is_told_it_has_no_password_to_change(
    web: Any, url: str
) -> None:
    with new_browser(web) as browser:
        browser.cookies.set(COOKIE, _session("sso.okafor"))
        assert _signed_in(browser)
        page = browser.get("/account/password").text
        assert "has no password here" in page and 'name="current"' not in page
        assert "Only an admin" in page
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]  # the sign-out form's
        refused = _change(browser, "", csrf=csrf)
        assert refused.status_code == 403 and "only an admin may give it one" in refused.text
    assert not _entries(url, "password", "account/sso.okafor")
