"""Accounts, sign-in with lock-out, and API tokens, on both stores."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from joinedup.access import (
    MAX_FAILURES,
    authenticate,
    create_account,
    disable,
    issue_token,
    revoke_token,
    token_account,
    unlock,
)
from joinedup.errors import AccessDenied, InputError
from joinedup.store import Store
from joinedup.store import tables as t

T0 = datetime(2026, 12, 5, 9, tzinfo=UTC)
SOON = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()  # a due date within every cap
GOOD = "correct horse battery"


def test_a_password_is_kept_only_as_an_argon2_hash(store: Store) -> None:
    create_account(store, "dsl.brown", "panel", GOOD)
    with store.engine.connect() as c:
        stored = c.execute(select(t.account.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2") and GOOD not in stored
    assert authenticate(store, "dsl.brown", GOOD)["role"] == "panel"


@pytest.mark.parametrize(("args", "why"), [
    (("x y", "panel", GOOD), "one word"),
    (("amy", "superuser", GOOD), "no role"),
    (("amy", "reporter", GOOD), "agency"),
    (("amy", "panel", "short"), "at least"),
])
def test_a_bad_account_is_refused_with_the_reason(store: Store, args: tuple, why: str) -> None:
    with pytest.raises(InputError, match=why):
        create_account(store, *args)


def test_a_wrong_name_and_a_wrong_password_get_the_same_answer(store: Store) -> None:
    create_account(store, "amy", "analyst", GOOD)
    with pytest.raises(AccessDenied) as unknown:
        authenticate(store, "nobody", GOOD)
    with pytest.raises(AccessDenied) as wrong:
        authenticate(store, "amy", "not the password")
    assert unknown.value.message == wrong.value.message


def test_repeated_failures_lock_the_account_for_a_while(store: Store) -> None:
    create_account(store, "amy", "analyst", GOOD)
    for i in range(MAX_FAILURES):
        with pytest.raises(AccessDenied, match="wrong"):
            authenticate(store, "amy", f"guess {i}", now=T0)
    assert store.account_named("amy")["locked_until"] is not None
    with pytest.raises(AccessDenied):  # even the right password, for now
        authenticate(store, "amy", GOOD, now=T0 + timedelta(minutes=5))
    assert authenticate(store, "amy", GOOD, now=T0 + timedelta(minutes=16))
    for i in range(MAX_FAILURES):
        with pytest.raises(AccessDenied):
            authenticate(store, "amy", f"guess {i}", now=T0 + timedelta(minutes=20))
    unlock(store, "amy")  # an admin may lift it at once
    assert authenticate(store, "amy", GOOD, now=T0 + timedelta(minutes=21))


def test_a_locked_account_gets_the_answer_an_unknown_name_gets(store: Store) -> None:
    """Else five wrong passwords and a sixth attempt would tell which names exist; and
    every attempt is audited as a sign-in, whatever the name."""
    create_account(store, "amy", "analyst", GOOD)
    for i in range(MAX_FAILURES):
        with pytest.raises(AccessDenied):
            authenticate(store, "amy", f"guess {i}", now=T0)
    with pytest.raises(AccessDenied) as locked:
        authenticate(store, "amy", GOOD, now=T0 + timedelta(minutes=1))
    with pytest.raises(AccessDenied) as unknown:
        authenticate(store, "nobody", GOOD, now=T0 + timedelta(minutes=1))
    assert locked.value.message == unknown.value.message
    assert "locked" in locked.value.message  # the one answer says it may be a lock
    logins = [(r["target"], r["detail"].get("outcome")) for r in store.audit_rows()
              if r["action"] == "login"]
    assert ("account/amy", "locked") in logins and ("account/nobody", "refused") in logins


def test_a_success_clears_earlier_failures(store: Store) -> None:
    create_account(store, "amy", "analyst", GOOD)
    for i in range(MAX_FAILURES - 1):
        with pytest.raises(AccessDenied):
            authenticate(store, "amy", f"guess {i}", now=T0)
    authenticate(store, "amy", GOOD, now=T0)
    with pytest.raises(AccessDenied, match="wrong"):  # counting starts again: not locked
        authenticate(store, "amy", "guess", now=T0)
    assert authenticate(store, "amy", GOOD, now=T0)


def test_a_disabled_account_cannot_sign_in(store: Store) -> None:
    create_account(store, "amy", "panel", GOOD)
    disable(store, "amy")
    with pytest.raises(AccessDenied):
        authenticate(store, "amy", GOOD)


def test_every_sign_in_is_audited(store: Store) -> None:
    create_account(store, "amy", "panel", GOOD)
    with pytest.raises(AccessDenied):
        authenticate(store, "amy", "wrong password")
    authenticate(store, "amy", GOOD)
    logins = [r for r in store.audit_rows() if r["action"] == "login"]
    assert len(logins) == 2 and all(r["target"] == "account/amy" for r in logins)
    assert all("wrong password" not in str(r["detail"]) for r in store.audit_rows())


def test_tokens_are_kept_hashed_scoped_and_revocable(store: Store) -> None:
    create_account(store, "feed.police", "reporter", None, agency="police")
    pk, text = issue_token(store, "feed.police", "nightly import", ["reports:write"])
    with store.engine.connect() as c:
        kept = c.execute(select(t.api_token.c.token_hash)).scalar_one()
    assert text not in kept and len(kept) == 64
    assert token_account(store, text, "reports:write")["name"] == "feed.police"
    with pytest.raises(AccessDenied):
        token_account(store, text, "alerts:read")  # a scope it was not given
    with pytest.raises(AccessDenied):
        token_account(store, text + "x", "reports:write")
    revoke_token(store, pk)
    with pytest.raises(AccessDenied):
        token_account(store, text, "reports:write")


def test_a_token_of_a_disabled_account_is_refused(store: Store) -> None:
    create_account(store, "feed", "reporter", None, agency="health")
    _, text = issue_token(store, "feed", "import", ["reports:write"])
    disable(store, "feed")
    with pytest.raises(AccessDenied):
        token_account(store, text, "reports:write")


def test_accounts_of_another_partnership_are_not_seen(store_url: str) -> None:
    from joinedup.store.gate import Actor

    north = Store.open(store_url, Actor.local("north"))
    south = Store.open(store_url, Actor.local("south"))
    create_account(north, "amy", "panel", GOOD)
    assert south.account_named("amy") is None
    with pytest.raises(AccessDenied):
        authenticate(south, "amy", GOOD)
    create_account(south, "amy", "analyst", GOOD)  # the same name, another tenant
    assert authenticate(north, "amy", GOOD)["role"] == "panel"
    north.engine.dispose()
    south.engine.dispose()


def test_accounts_and_tokens_from_the_command_line(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from typer.testing import CliRunner

    from joinedup.cli.app import app

    db = str(Path(str(tmp_path)) / "s.db")
    run = CliRunner().invoke
    first = run(app, ["account", "add", "lead.a", "--role", "panel", "--password-stdin",
                      "--db", db], input=GOOD + "\n")
    assert first.exit_code == 2 and "first account is an admin" in first.output
    added = run(app, ["account", "add", "root", "--role", "admin", "--password-stdin",
                      "--db", db], input=GOOD + "\n")
    assert added.exit_code == 0, added.output
    anonymous = run(app, ["account", "list", "--db", db])
    assert anonymous.exit_code == 2 and "act as one of them" in anonymous.output
    monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)
    admin = ["--as", "root"]
    short = run(app, [*admin, "account", "add", "b", "--role", "panel", "--password-stdin",
                      "--db", db], input="short\n")
    assert short.exit_code == 2 and "at least" in short.output
    feed = run(app, [*admin, "account", "add", "feed", "--role", "reporter", "--agency",
                     "police", "--no-password", "--db", db])
    assert feed.exit_code == 0, feed.output
    issued = run(app, [*admin, "token", "issue", "feed", "--name", "nightly", "--scope",
                       "reports:write", "--db", db])
    assert issued.exit_code == 0 and issued.stdout.strip().startswith("jdu_")
    listed = run(app, [*admin, "account", "list", "--db", db]).stdout
    assert "root" in listed and "feed" in listed and GOOD not in listed
    assert run(app, [*admin, "token", "revoke", "1", "--db", db]).exit_code == 0
    assert run(app, [*admin, "token", "revoke", "1", "--db", db]).exit_code == 2  # revoked
    monkeypatch.setenv("JOINEDUP_PASSWORD", "not the password")
    wrong = run(app, [*admin, "account", "list", "--db", db])
    assert wrong.exit_code == 2 and "wrong" in wrong.output


def test_the_command_line_acts_as_a_named_account_under_its_role(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a store has accounts, every command that reads or writes records acts as one,
    under its role's rules, and the audit log names it."""
    from pathlib import Path

    from typer.testing import CliRunner

    from joinedup.cli.app import app

    db = str(Path(str(tmp_path)) / "s.db")
    run = CliRunner().invoke
    assert run(app, ["demo", "--db", db]).exit_code == 0  # open mode: the local account
    store = Store.open(db)
    for name, role in (("root", "admin"), ("chair", "panel"), ("ana", "analyst")):
        create_account(store, name, role, GOOD)
    create_account(store, "pc", "reporter", GOOD, agency="police")
    alert = store.alerts("open")[0]["id"]
    monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)

    def as_(name: str, *args: str) -> tuple[int, str]:
        r = run(app, ["--as", name, *args, "--db", db])
        return r.exit_code, r.output

    assert as_("chair", "explain", alert)[0] == 0
    assert as_("ana", "explain", alert)[0] == 0
    for name in ("pc", "root"):  # no casework reading
        code, text = as_(name, "explain", alert)
        assert code == 2 and "may not read" in text and "Sultan" not in text
    code, text = as_("ana", "decide", alert, "--action", "strategy_meeting", "--owner", "x",
                     "--rationale", "y", "--due", SOON)
    assert code == 2 and "may not decide" in text
    assert as_("chair", "decide", alert, "--action", "strategy_meeting", "--owner", "x",
               "--rationale", "meet", "--due", SOON)[0] == 0
    assert as_("pc", "resolve")[0] == 2 and as_("ana", "resolve")[0] == 0
    assert as_("ana", "audit", "verify")[0] == 2  # the audit log is not casework
    assert as_("root", "audit", "verify")[0] == 0
    code, text = as_("root", "audit", "who-saw", alert, "--json")
    assert code == 0
    seen = {(e["actor"], e["action"]) for e in json.loads(text)}
    assert {("chair", "read"), ("ana", "read"), ("chair", "decide")} <= seen
    # refusals are in the log too: who tried to read the alert, and who tried to decide
    assert {("pc", "denied"), ("root", "denied"), ("ana", "denied")} <= seen
    assert not {("pc", "read"), ("root", "read")} & seen
    assert as_("chair", "account", "list")[0] == 2  # accounts are the admin's
    decisions = store.decisions([alert])
    assert decisions[-1]["decided_by"] == "chair"
    elsewhere = run(app, ["--as", "chair", "--partnership", "nowhere", "alerts", "--db", db])
    assert elsewhere.exit_code == 2 and "wrong" in elsewhere.output
    with store.engine.connect() as conn:  # a partnership typed wrong is not made
        assert "nowhere" not in set(conn.execute(select(t.partnership.c.id)).scalars())
    store.engine.dispose()
