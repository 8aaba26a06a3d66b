"""Review 5 (accounts and credentials): OpenID Connect sign-in against a hostile provider answer.

Each test failed before its fix: an unsigned ID token (``alg: none``) was accepted whenever the
provider's discovery document listed ``none`` (which OpenID Connect allows for the code flow),
a refused sign-in left nothing in the audit log, and a claim holding a NUL made PostgreSQL fail.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from joinedup.access import NAME_IN_LOG, create_account, disable
from joinedup.access.oidc import account_for_claims
from joinedup.errors import AccessDenied
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.web import oidc
from joinedup.web.app import create_app
from tests.web.test_oidc import CLIENT, ENV, ISSUER, FakeProvider, _sign_in, httpx

GOOD = "correct horse battery"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class NoneProvider(FakeProvider):
    """A provider whose discovery lists ``none`` and whose token endpoint, as an attacker in
    its place would, answers with an ID token signed by nobody (or by a shared secret)."""

    def __init__(self, alg: str) -> None:
        super().__init__()
        self.alg = alg

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            answer = super().handle(request)
            meta = json.loads(answer.content)
            meta["id_token_signing_alg_values_supported"] = ["RS256", "HS256", "none"]
            return httpx.Response(200, json=meta)
        return super().handle(request)

    def token(self, form: dict[str, list[str]]) -> httpx.Response:
        grant = self.codes.pop(form.get("code", [""])[0], None)
        if grant is None:
            return httpx.Response(400, json={"error": "invalid_grant"})
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": CLIENT, "sub": "u-1", "iat": now, "exp": now + 300,
                  "nonce": grant["nonce"], **grant["claims"]}
        id_token = f"{_b64({'alg': self.alg, 'typ': 'JWT'})}.{_b64(claims)}."
        return httpx.Response(200, json={"access_token": "at", "token_type": "Bearer",
                                         "expires_in": 300, "id_token": id_token})


@pytest.fixture
def url(tmp_path: Any) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store.open(url)
    create_account(store, "dsl.okafor", "panel", None)
    store.engine.dispose()
    return url


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_an_unsigned_id_token_is_refused_whatever_the_discovery_lists(url: str, alg: str) -> None:
    idp = NoneProvider(alg)
    app = create_app(url)
    oidc.configure(app, ENV, transport=idp.transport)
    with TestClient(app, base_url="http://testserver") as client:
        done = _sign_in(client, idp, preferred_username="dsl.okafor")
        assert done.status_code == 401 and "did not complete" in done.text
        assert "joinedup_session" not in client.cookies
    app.state.ctx.engine.dispose()


@pytest.fixture
def fresh(store_url: str) -> Iterator[Store]:
    s = Store.open(store_url)
    yield s
    s.engine.dispose()


@pytest.mark.parametrize(("claims", "claim", "target", "why"), [
    ({"preferred_username": "nobody"}, "preferred_username", "account/nobody",
     "no such account"),
    ({"preferred_username": "gone"}, "preferred_username", "account/gone",
     "the account is disabled"),
    ({"sub": "u-1"}, "preferred_username", "account/", "no preferred_username claim"),
    ({"email": "amy@example.org"}, "email", "account/amy@example.org",
     "the email is not verified"),
])
def test_a_refused_sign_in_is_audited_with_why(
    fresh: Store, claims: dict[str, Any], claim: str, target: str, why: str
) -> None:
    """Password sign-ins are audited whatever the outcome; these were not audited at all."""
    create_account(fresh, "gone", "panel", None)
    disable(fresh, "gone")
    create_account(fresh, "amy@example.org", "analyst", None)
    with pytest.raises(AccessDenied):
        account_for_claims(fresh, claims, claim)
    with fresh.engine.connect() as c:
        last = c.execute(select(t.audit).order_by(t.audit.c.seq.desc()).limit(1)).one()
    assert (last.action, last.target) == ("login", target)
    assert last.detail == {"via": "openid-connect", "outcome": f"refused: {why}"}


@pytest.mark.parametrize("name", ["dsl\x00okafor", "N" * 10_000, "dsl.okafor\n"])
def test_a_claim_no_account_can_have_is_refused_and_logged_shortened(
    fresh: Store, name: str
) -> None:
    create_account(fresh, "dsl.okafor", "panel", None)
    before = len(fresh.audit_rows())
    with pytest.raises(AccessDenied) as refused:
        account_for_claims(fresh, {"preferred_username": name}, "preferred_username")
    assert refused.value.message == "your organisation's account has no account here"
    rows = fresh.audit_rows()[before:]
    assert rows and max(len(r["target"]) for r in rows) <= len("account/") + NAME_IN_LOG
    assert all("\x00" not in r["target"] and "\n" not in r["target"] for r in rows)
