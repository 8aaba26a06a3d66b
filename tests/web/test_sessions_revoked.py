"""Sessions can be ended: signing out, an admin's `account sign-out` and disabling an account
end every session of the account, a copy of its cookie included. On both stores.

Each test failed before the fix: the session was a signed cookie and nothing else, so a copy
of it stayed good for its eight hours (renewed on use) after its user had signed out.
"""

from __future__ import annotations

import json
from base64 import b64encode
from typing import Any

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from typer.testing import CliRunner

from joinedup.access import create_account, disable, end_sessions
from joinedup.access.policy import RolePolicy
from joinedup.cli.app import app as cli
from joinedup.errors import AccessDenied
from joinedup.store import Store
from joinedup.store.gate import Actor
from tests.web.conftest import SECRET, new_browser, token

GOOD = "correct horse battery"
COOKIE = "joinedup_session"


@pytest.fixture
def url(store_url: str) -> str:
    store = Store.open(store_url)
    create_account(store, "root", "admin", GOOD)
    create_account(store, "chair", "panel", GOOD)
    store.engine.dispose()
    return store_url




def _sign_in(client: TestClient, name: str = "chair") -> None:
    r = client.post("/login", data={"csrf": token(client), "name": name, "password": GOOD},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def _copy(client: TestClient, app: Any) -> TestClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    other = new_browser(app)
    value = client.cookies.get(COOKIE)
    assert value
    other.cookies.set(COOKIE, value)
    return other


def _signed_in(client: TestClient) -> bool:
    code = client.get("/api/alerts").status_code
    assert code in (200, 401)
    return code == 200


def _sign_out(client: TestClient) -> None:
    r = client.post("/logout", data={"csrf": token(client)}, follow_redirects=False)
    assert r.status_code == 303


def _entries(url: str, action: str, target: str) -> list[dict[str, Any]]:
    store = Store.open(url)
    rows = [r["detail"] for r in store.audit_rows()
            if (r["action"], r["target"]) == (action, target)]
    store.engine.dispose()
    return rows


def test_a_copied_cookie_is_refused_after_its_user_signs_out_elsewhere(
    web: Any, url: str
) -> None:
    with new_browser(web) as mine:
        _sign_in(mine)
        with _copy(mine, web) as copy:
            assert _signed_in(copy)  # the copy is as good as the original, until...
            _sign_out(mine)
            assert not _signed_in(copy)
            page = copy.get("/alerts", follow_redirects=False)
            assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert not _signed_in(mine)
    assert _entries(url, "logout", "account/chair") == [{"outcome": "signed out everywhere"}]


def test_a_session_begun_after_signing_out_works_and_a_stale_copy_cannot_end_it(
    web: Any, url: str
) -> None:
    with new_browser(web) as first:
        _sign_in(first)
        with _copy(first, web) as stale:
            _sign_out(first)
            _sign_in(first)  # signed in again, after the sign-out
            assert _signed_in(first)
            # the stale copy signs out: it ends no session but its own
            stale.post("/logout", data={"csrf": token(stale)}, follow_redirects=False)
            assert not _signed_in(stale)
            assert _signed_in(first)
    assert len(_entries(url, "logout", "account/chair")) == 1


def test_an_admin_signs_an_account_out_everywhere(
    web: Any, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with new_browser(web) as laptop, new_browser(web) as phone:
        _sign_in(laptop)
        _sign_in(phone)
        monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)
        done = CliRunner().invoke(cli, ["--as", "root", "account", "sign-out", "chair",
                                        "--db", url])
        assert done.exit_code == 0, done.output
        assert "signed out everywhere" in done.output
        assert not _signed_in(laptop) and not _signed_in(phone)
        _sign_in(phone)  # it may sign in again
        assert _signed_in(phone) and not _signed_in(laptop)
    assert _entries(url, "admin", "account/chair")[-1] == {"changed": ["sessions_valid_after"]}
    refused = CliRunner().invoke(cli, ["--as", "root", "account", "sign-out", "nobody",
                                       "--db", url])
    assert refused.exit_code == 2 and "no account" in refused.output
    # an admin's to do: another role may not sign an account out
    store = Store.open(url)
    chair = Store(store.engine, Actor("chair", "default", "panel"), RolePolicy())
    with pytest.raises(AccessDenied):
        end_sessions(chair, "root")
    assert store.account_named("root")["sessions_valid_after"] is None
    store.engine.dispose()


def test_a_disabled_account_enabled_again_does_not_get_its_old_sessions_back(
    web: Any, url: str
) -> None:
    with new_browser(web) as mine:
        _sign_in(mine)
        with _copy(mine, web) as copy:
            store = Store.open(url)
            disable(store, "chair")
            assert not _signed_in(copy)
            store.update_account("chair", active=True)  # as an admin might, in the database
            store.engine.dispose()
            assert not _signed_in(mine) and not _signed_in(copy)
    assert {"changed": ["active", "sessions_valid_after"]} in _entries(
        url, "admin", "account/chair")


def _old_session(account: str) -> str:
    """A session cookie as the app signed it before sessions kept when they began."""
    data = b64encode(json.dumps({"account": account, "partnership": "default",
                                 "form_key": "k" * 43}).encode())
    return TimestampSigner(SECRET).sign(data).decode()


def test_a_session_of_before_the_fix_lasts_until_its_account_signs_out(
    web: Any, url: str
) -> None:
    """Sessions signed in before the upgrade kept no start: none is refused while the
    account has never signed out (nobody is signed out by the upgrade), and each is taken
    to have begun at the epoch once it has."""
    with new_browser(web) as old:
        old.cookies.set(COOKIE, _old_session("chair"))
        assert _signed_in(old)
        store = Store.open(url)
        end_sessions(store, "chair")
        store.engine.dispose()
        assert not _signed_in(old)
