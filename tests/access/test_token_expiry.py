"""API tokens expire: every token issued has an expiry (a year by default), and an expired one
is refused with the answer every refused token gets, and audited as ``refused: expired``. On
both stores.

Each test failed before the fix: a token was good until it was revoked, however old.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from joinedup.access import (
    MAX_TOKEN_DAYS,
    create_account,
    issue_token,
    revoke_token,
    token_account,
)
from joinedup.cli.app import app as cli
from joinedup.errors import AccessDenied, InputError
from joinedup.store import Store
from joinedup.web.app import create_app
from tests.web.conftest import concern

T0 = datetime(2026, 12, 9, 9, tzinfo=UTC)
GOOD = "correct horse battery"


def _refusals(store: Store, since: int) -> list[tuple[str, str]]:
    return [(r["target"], r["detail"]["outcome"]) for r in store.audit_rows()[since:]
            if r["action"] == "login" and "outcome" in r["detail"]]


def _message(store: Store, text: str, scope: str = "reports:write",
             now: datetime | None = None) -> str:
    with pytest.raises(AccessDenied) as refused:
        token_account(store, text, scope, now=now)
    return refused.value.message


def test_an_expired_token_is_refused_with_the_same_answer_and_audited(store: Store) -> None:
    create_account(store, "feed", "reporter", None, agency="police")
    pk, text = issue_token(store, "feed", "nightly", ["reports:write"], now=T0, days=30)
    assert token_account(store, text, "reports:write",
                         now=T0 + timedelta(days=30) - timedelta(seconds=1))["name"] == "feed"
    before = len(store.audit_rows())
    expired = _message(store, text, now=T0 + timedelta(days=30))
    unknown = _message(store, "jdu_not-a-token")
    assert expired == unknown  # one answer: the refusal does not say why
    assert _refusals(store, before) == [(f"token/{pk}", "refused: expired"),
                                        ("token", "refused: no such token")]
    revoke_token(store, pk)
    assert _message(store, text, now=T0 + timedelta(days=31)) == expired
    assert _refusals(store, before)[-1] == (f"token/{pk}", "refused: revoked")
    assert all(text not in str(r) for r in store.audit_rows())


def test_a_fresh_token_works_and_expires_a_year_on_by_default(store: Store) -> None:
    create_account(store, "feed", "reporter", None, agency="police")
    now = datetime.now(UTC)
    pk, text = issue_token(store, "feed", "nightly", ["reports:write"])
    assert token_account(store, text, "reports:write")["name"] == "feed"
    with store.engine.connect() as conn:
        from joinedup.store import tables as t

        expires = conn.execute(t.api_token.select().where(t.api_token.c.pk == pk)).one()
    at = expires.expires_at if expires.expires_at.tzinfo else \
        expires.expires_at.replace(tzinfo=UTC)
    assert timedelta(days=365) - timedelta(minutes=1) < at - now < timedelta(days=365, minutes=1)
    issued = [r["detail"] for r in store.audit_rows()
              if (r["action"], r["target"]) == ("admin", f"token/{pk}")][-1]
    assert issued["expires"] == at.isoformat(timespec="seconds")
    # an old token, issued long ago for a year, is refused now
    _, old = issue_token(store, "feed", "last year", ["reports:write"],
                         now=now - timedelta(days=400))
    with pytest.raises(AccessDenied):
        token_account(store, old, "reports:write")


@pytest.mark.parametrize("days", [0, -1, MAX_TOKEN_DAYS + 1, 10**9])
def test_no_token_is_issued_that_does_not_expire(store: Store, days: int) -> None:
    create_account(store, "feed", "reporter", None, agency="police")
    with pytest.raises(InputError, match="expires after 1 to"):
        issue_token(store, "feed", "forever", ["reports:write"], days=days)


def test_the_api_refuses_an_expired_token_as_it_refuses_a_wrong_one(store_url: str) -> None:
    store = Store.open(store_url)
    create_account(store, "feed", "reporter", None, agency="token-police")
    _, fresh = issue_token(store, "feed", "now", ["reports:write"])
    _, stale = issue_token(store, "feed", "then", ["reports:write"],
                           now=datetime.now(UTC) - timedelta(days=2), days=1)
    store.engine.dispose()
    app = create_app(store_url)
    with TestClient(app, base_url="http://testserver") as client:
        def post(text: str, rid: str) -> tuple[int, str]:
            r = client.post("/api/reports", headers={"Authorization": f"Bearer {text}"},
                            json=concern(rid, "police", "token-police", "Zara Tok", "Finch",
                                         "07700 900888"))
            return r.status_code, r.json().get("message", "")

        code, expired = post(stale, "EXP-1")
        assert code == 403
        assert post("jdu_not-a-token", "EXP-2") == (403, expired)
        assert post(fresh, "EXP-3")[0] == 201
    app.state.ctx.engine.dispose()


def test_token_issue_says_when_it_expires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    db = str(tmp_path / "s.db")
    store = Store.open(db)
    create_account(store, "root", "admin", GOOD)
    create_account(store, "feed", "reporter", None, agency="police")
    store.engine.dispose()
    monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)
    run = CliRunner().invoke
    admin = ["--as", "root", "token", "issue", "feed", "--name", "nightly", "--scope",
             "reports:write", "--db", db]
    done = run(cli, [*admin, "--expires-days", "30"])
    assert done.exit_code == 0, done.output
    assert f"expires {datetime.now(UTC) + timedelta(days=30):%Y-%m-%d}" in done.output
    assert done.stdout.strip().splitlines()[-1].startswith("jdu_")
    yearly = run(cli, admin)
    assert yearly.exit_code == 0
    assert f"expires {datetime.now(UTC) + timedelta(days=365):%Y-%m-%d}" in yearly.output
    never = run(cli, [*admin, "--expires-days", "0"])
    assert never.exit_code == 2 and "expires after 1 to" in never.output
