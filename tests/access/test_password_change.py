"""Setting, resetting and changing a password: `joinedup account password`, an admin's for any
account and an account's own; on both stores. A new password ends the account's web sessions,
keeps its API tokens, and is audited without the password or its hash.

Each test failed before the command existed: there was no way to change a password at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from joinedup.access import (
    MAX_FAILURES,
    authenticate,
    change_password,
    create_account,
    issue_token,
    session_current,
    set_password,
    token_account,
)
from joinedup.access.policy import RolePolicy
from joinedup.cli.app import app as cli
from joinedup.errors import AccessDenied, InputError
from joinedup.store import Store
from joinedup.store.gate import Actor

GOOD = "correct horse battery"
NEW = "staple lantern orchard"
T0 = datetime(2026, 12, 5, 9, tzinfo=UTC)


@pytest.fixture
def url(store_url: str) -> Iterator[str]:
    """A store with an admin, a panel member, an analyst and an account that signs in by
    OpenID Connect only."""
    store = Store.open(store_url)
    create_account(store, "root", "admin", GOOD)
    create_account(store, "chair", "panel", GOOD)
    create_account(store, "ana", "analyst", GOOD)
    create_account(store, "sso.okafor", "panel", None)
    store.engine.dispose()
    yield store_url


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    s = Store.open(url)
    yield s
    s.engine.dispose()


def _as(store: Store, name: str, role: str) -> Store:
    """The store acting as an account, under its role's rules, as after its sign-in."""
    return Store(store.engine, Actor(name, store.partnership, role), RolePolicy())


def _run(url: str, who: str, *args: str, stdin: str | None = None,
         monkeypatch: pytest.MonkeyPatch, password: str = GOOD) -> Result:
    monkeypatch.setenv("JOINEDUP_PASSWORD", password)
    return CliRunner().invoke(cli, ["--as", who, *args, "--db", url], input=stdin)


def _signs_in(store: Store, name: str, password: str) -> bool:
    try:
        authenticate(store, name, password)
    except AccessDenied:
        return False
    return True


def _entries(store: Store, action: str, target: str) -> list[dict[str, Any]]:
    return [r for r in store.audit_rows() if (r["action"], r["target"]) == (action, target)]


def test_an_admin_resets_an_accounts_password_from_the_command_line(
    url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = _run(url, "root", "account", "password", "chair", "--password-stdin",
                stdin=NEW + "\n", monkeypatch=monkeypatch)
    assert done.exit_code == 0, done.output
    assert "password set" in done.output and "API tokens stay good" in done.output
    assert NEW not in done.output
    assert not _signs_in(store, "chair", GOOD)
    assert _signs_in(store, "chair", NEW)
    [entry] = _entries(store, "password", "account/chair")
    assert entry["actor"] == "root"
    assert entry["detail"] == {"changed": ["password", "sessions_valid_after"],
                               "had_password": True}


def test_the_new_password_is_asked_for_twice_hidden(
    url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = _run(url, "root", "account", "password", "chair",
                stdin=f"{NEW}\n{NEW}\n", monkeypatch=monkeypatch)
    assert done.exit_code == 0, done.output
    assert "new password" in done.output and "Repeat for confirmation" in done.output
    assert NEW not in done.output  # hidden: not echoed
    assert _signs_in(store, "chair", NEW)


def test_an_account_changes_its_own_password_acting_as_itself(
    url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = _run(url, "ana", "account", "password", "ana", "--password-stdin",
                stdin=NEW + "\n", monkeypatch=monkeypatch)
    assert done.exit_code == 0, done.output
    assert _signs_in(store, "ana", NEW) and not _signs_in(store, "ana", GOOD)
    assert _entries(store, "password", "account/ana")[-1]["actor"] == "ana"


def test_an_account_that_is_not_an_admin_may_not_set_anothers_password(
    url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = _run(url, "chair", "account", "password", "ana", "--password-stdin",
                   stdin=NEW + "\n", monkeypatch=monkeypatch)
    assert refused.exit_code == 2
    assert "chair may not set the password of ana" in refused.output
    assert "ask an admin" in refused.output
    assert _signs_in(store, "ana", GOOD) and not _signs_in(store, "ana", NEW)
    assert not _entries(store, "password", "account/ana")
    assert any(r["actor"] == "chair" and r["target"] == "account/ana"
               for r in _entries_of(store, "denied"))
    # nor an admin's
    with pytest.raises(AccessDenied, match="may not set the password of root"):
        set_password(_as(store, "chair", "panel"), "root", NEW)
    assert _signs_in(store, "root", GOOD)


def _entries_of(store: Store, action: str) -> list[dict[str, Any]]:
    return [r for r in store.audit_rows() if r["action"] == action]


def test_a_weak_password_is_refused_saying_what_to_do(
    url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = _run(url, "root", "account", "password", "chair", "--password-stdin",
                   stdin="short\n", monkeypatch=monkeypatch)
    assert refused.exit_code == 2
    assert "a password has at least 12 characters" in refused.output
    assert "what to do: choose a longer one" in refused.output
    assert _signs_in(store, "chair", GOOD)
    assert not _entries(store, "password", "account/chair")
    with pytest.raises(InputError, match="at least 12"):  # the holder's own, likewise
        set_password(_as(store, "chair", "panel"), "chair", "x" * 11)


def test_an_unknown_account_is_named_in_the_refusal(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = _run(url, "root", "account", "password", "nobody", "--password-stdin",
                   stdin=NEW + "\n", monkeypatch=monkeypatch)
    assert refused.exit_code == 2 and "no account 'nobody'" in refused.output


def test_the_current_password_is_needed_to_act_as_oneself(
    url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = _run(url, "chair", "account", "password", "chair", "--password-stdin",
                   stdin=NEW + "\n", monkeypatch=monkeypatch, password="not the password")
    assert refused.exit_code == 2 and "wrong" in refused.output
    assert _signs_in(store, "chair", GOOD)


def test_a_new_password_ends_every_session_but_keeps_the_api_tokens(store: Store) -> None:
    _, text = issue_token(store, "chair", "nightly", ["reports:write"], now=T0)
    before = T0.timestamp()  # a session begun before the new password
    set_password(store, "chair", NEW, now=T0 + timedelta(minutes=1))
    acc = store.account_named("chair")
    assert acc is not None
    assert not session_current(acc, before)
    assert session_current(acc, (T0 + timedelta(minutes=2)).timestamp())
    assert token_account(store, text, "reports:write", now=T0 + timedelta(minutes=2))


def test_an_admins_reset_lifts_a_lock_out(store: Store) -> None:
    for i in range(MAX_FAILURES):
        with pytest.raises(AccessDenied):
            authenticate(store, "chair", f"guess {i}")
    assert not _signs_in(store, "chair", GOOD)  # locked
    set_password(_as(store, "root", "admin"), "chair", NEW)
    assert _signs_in(store, "chair", NEW)


def test_an_openid_connect_account_gets_a_password_only_from_an_admin(store: Store) -> None:
    with pytest.raises(AccessDenied, match="signs in by OpenID Connect only") as refused:
        set_password(_as(store, "sso.okafor", "panel"), "sso.okafor", NEW)
    assert "only an admin may give it one" in refused.value.message
    acc = store.account_named("sso.okafor")
    assert acc is not None and acc["password_hash"] is None
    assert any(r["actor"] == "sso.okafor" for r in _entries(store, "denied", "account/sso.okafor"))
    set_password(_as(store, "root", "admin"), "sso.okafor", NEW)
    assert _signs_in(store, "sso.okafor", NEW)
    entry = _entries(store, "password", "account/sso.okafor")[-1]
    assert entry["actor"] == "root" and entry["detail"]["had_password"] is False


def test_neither_the_password_nor_its_hash_is_in_the_audit_log(
    url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(url, "root", "account", "password", "chair", "--password-stdin",
                stdin=NEW + "\n", monkeypatch=monkeypatch).exit_code == 0
    change_password(_as(store, "ana", "analyst"), GOOD, NEW)
    hashes = [a["password_hash"] for a in store.accounts() if a["name"] in ("chair", "ana")]
    log = str(store.audit_rows())
    assert NEW not in log and GOOD not in log
    assert all(h and h not in log and h.split("$")[-1] not in log for h in hashes)
    assert {r["actor"] for r in _entries_of(store, "password")} == {"root", "ana"}


def test_changing_ones_own_password_needs_the_current_one(store: Store) -> None:
    ana = _as(store, "ana", "analyst")
    with pytest.raises(AccessDenied, match="current password is wrong"):
        change_password(ana, "not the password", NEW)
    assert _signs_in(store, "ana", GOOD)
    change_password(ana, GOOD, NEW)
    assert _signs_in(store, "ana", NEW) and not _signs_in(store, "ana", GOOD)


def test_a_wrong_current_password_counts_towards_the_sign_in_lock_out(store: Store) -> None:
    ana = _as(store, "ana", "analyst")
    for i in range(MAX_FAILURES - 1):
        with pytest.raises(AccessDenied):
            change_password(ana, f"guess {i}", NEW, now=T0)
    with pytest.raises(AccessDenied):  # the fifth failure in a row, at sign-in, locks it
        authenticate(store, "ana", "one more guess", now=T0)
    with pytest.raises(AccessDenied):  # now even the right one is refused
        change_password(ana, GOOD, NEW, now=T0 + timedelta(minutes=1))
    outcomes = [r["detail"].get("outcome") for r in _entries(store, "login", "account/ana")]
    assert outcomes.count("bad password") == MAX_FAILURES
    assert outcomes[-2:] == ["now locked", "locked"]
    assert not _entries(store, "password", "account/ana")


@pytest.mark.parametrize(("role", "own", "has_password", "allowed"), [
    ("admin", False, True, True),
    ("admin", False, False, True),   # an admin may give an OIDC-only account a password
    ("admin", True, True, True),
    ("panel", True, True, True),
    ("panel", True, False, False),   # but its holder may not
    ("panel", False, True, False),
    ("analyst", False, True, False),
    ("reporter", True, True, True),
    ("agency_lead", False, True, False),
])
def test_the_policy_lets_an_admin_set_any_password_and_an_account_change_its_own(
    role: str, own: bool, has_password: bool, allowed: bool
) -> None:
    agency = "vale-police" if role in ("reporter", "agency_lead") else None
    actor = Actor("amy", "default", role, agency)
    target = "account/amy" if own else "account/bob"
    facts = {"password": "yes" if has_password else "no"}
    assert RolePolicy().allows(actor, "password", target, facts) is allowed
