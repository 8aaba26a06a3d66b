"""Signing in with the organisation's account (OpenID Connect), against a provider in process.

The provider (:class:`FakeProvider`) serves discovery, its keys and a token endpoint through
httpx's MockTransport, signs ID tokens with its own RSA key and checks PKCE, so the whole flow
runs with no network. A real provider is not tested here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey

# The fake provider answers through the HTTP client authlib talks through: httpx2 where it is
# installed (huggingface_hub, of the model extra, brings it), else httpx.
try:
    import httpx2 as httpx
except ImportError:  # pragma: no cover - depends on what else is installed
    import httpx  # type: ignore[no-redef]
from sqlalchemy import select

from joinedup.access import create_account, disable
from joinedup.access.oidc import account_for_claims
from joinedup.errors import AccessDenied, InputError
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.store.gate import Actor
from joinedup.web import oidc
from joinedup.web.app import create_app
from tests.web.conftest import token

ISSUER = "https://idp.example"
CLIENT = "joinedup-test"
ENV = {"JOINEDUP_OIDC_ISSUER": ISSUER, "JOINEDUP_OIDC_CLIENT_ID": CLIENT,
       "JOINEDUP_OIDC_CLIENT_SECRET": "not-a-real-secret"}
GOOD = "correct horse battery"


class FakeProvider:
    """An identity provider: discovery, keys, and a token endpoint that checks PKCE."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.codes: dict[str, dict[str, Any]] = {}
        self.transport = httpx.MockTransport(self.handle)

    def authorize(self, url: str, key: RSAKey | None = None, **claims: Any) -> str:
        """What the provider does when someone signs in there: a code for the callback, for an
        ID token of ``claims`` (over the usual ones), signed by ``key`` (else its own)."""
        query = parse_qs(urlsplit(url).query)
        assert query["client_id"] == [CLIENT] and "openid" in query["scope"][0].split()
        code = secrets.token_urlsafe(8)
        self.codes[code] = {"nonce": query["nonce"][0], "challenge": query["code_challenge"][0],
                            "claims": claims, "key": key or self.key}
        return code

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={
                "issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize",
                "token_endpoint": f"{ISSUER}/token", "jwks_uri": f"{ISSUER}/jwks",
                "id_token_signing_alg_values_supported": ["RS256"]})
        if path == "/jwks":
            return httpx.Response(200, json={"keys": [self.key.as_dict(private=False)]})
        if path == "/token":
            return self.token(parse_qs(request.content.decode()))
        return httpx.Response(404)

    def token(self, form: dict[str, list[str]]) -> httpx.Response:
        grant = self.codes.pop(form.get("code", [""])[0], None)
        verifier = form.get("code_verifier", [""])[0].encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if grant is None or challenge.decode() != grant["challenge"]:
            return httpx.Response(400, json={"error": "invalid_grant"})
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": CLIENT, "sub": "u-1", "iat": now, "exp": now + 300,
                  "nonce": grant["nonce"], **grant["claims"]}
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, grant["key"])
        return httpx.Response(200, json={"access_token": "at", "token_type": "Bearer",
                                         "expires_in": 300, "id_token": id_token})


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('oidc') / 'store.db'}"
    store = Store.open(url)
    create_account(store, "chair", "panel", GOOD)
    create_account(store, "dsl.okafor", "panel", None)
    create_account(store, "feed", "reporter", None, agency="police")
    create_account(store, "gone", "panel", None)
    disable(store, "gone")
    create_account(Store.open(url, Actor.local("north")), "north.dsl", "panel", None)
    store.engine.dispose()
    return url


@pytest.fixture
def fresh(store_url: str) -> Iterator[Store]:
    """An empty store on each backend (this package's ``store`` holds the demo)."""
    s = Store.open(store_url)
    yield s
    s.engine.dispose()


@pytest.fixture(scope="module")
def idp() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def client(url: str, idp: FakeProvider) -> Iterator[TestClient]:
    app = create_app(url)
    oidc.configure(app, ENV, transport=idp.transport)
    with TestClient(app, base_url="http://testserver") as c:
        yield c
    app.state.ctx.engine.dispose()


def _sign_in(client: TestClient, idp: FakeProvider, next: str = "/alerts",
             **claims: Any) -> httpx.Response:
    """Start at /login/oidc, sign in at the provider, come back to the callback."""
    start = client.get(f"/login/oidc?next={quote(next)}", follow_redirects=False)
    assert start.status_code == 302, start.text
    to = start.headers["location"]
    assert to.startswith(f"{ISSUER}/authorize?")
    state = parse_qs(urlsplit(to).query)["state"][0]
    code = idp.authorize(to, **claims)
    return client.get(f"/login/oidc/callback?code={code}&state={state}", follow_redirects=False)


def _session(client: TestClient) -> dict[str, Any]:
    cookie = client.cookies.get("joinedup_session") or ""
    payload = cookie.split(".")[0]
    return dict(json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4))))


# -- not configured ------------------------------------------------------------------------

def test_without_configuration_the_routes_are_404_and_no_link_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    app: FastAPI = create_app(f"sqlite:///{tmp_path / 'plain.db'}")
    with TestClient(app) as c:
        assert c.get("/login/oidc", follow_redirects=False).status_code == 404
        assert c.get("/login/oidc/callback?code=x&state=y").status_code == 404
        assert "Sign in with your organisation" not in c.get("/login").text
    app.state.ctx.engine.dispose()


@pytest.mark.parametrize(("env", "why"), [
    ({"JOINEDUP_OIDC_ISSUER": ISSUER}, "JOINEDUP_OIDC_CLIENT_ID, JOINEDUP_OIDC_CLIENT_SECRET"),
    ({**ENV, "JOINEDUP_OIDC_CLAIM": "name"}, "JOINEDUP_OIDC_CLAIM"),
    ({**ENV, "JOINEDUP_OIDC_ISSUER": "http://idp.example"}, "https"),
])
def test_a_broken_configuration_is_refused_naming_the_variable(
    env: dict[str, str], why: str
) -> None:
    with pytest.raises(InputError, match=why):
        oidc.OidcSettings.from_env(env)


def test_the_settings_default_to_preferred_username_and_the_default_partnership() -> None:
    settings = oidc.OidcSettings.from_env(ENV)
    assert settings is not None
    assert (settings.claim, settings.partnership) == ("preferred_username", "default")
    assert oidc.OidcSettings.from_env({}) is None


# -- the claim names an account ------------------------------------------------------------

def test_an_active_account_of_the_partnership_signs_in_and_is_audited(fresh: Store) -> None:
    store = fresh
    create_account(store, "dsl.brown", "panel", None)
    acc = account_for_claims(store, {"preferred_username": "dsl.brown"}, "preferred_username")
    assert acc["name"] == "dsl.brown"
    with store.engine.connect() as c:
        last = c.execute(select(t.audit).order_by(t.audit.c.seq.desc()).limit(1)).one()
    assert (last.action, last.target) == ("login", "account/dsl.brown")
    assert last.detail == {"via": "openid-connect"}


@pytest.mark.parametrize(("claims", "claim"), [
    ({"preferred_username": "nobody"}, "preferred_username"),
    ({"preferred_username": "gone"}, "preferred_username"),
    ({"preferred_username": "north.dsl"}, "preferred_username"),  # of another partnership
    ({"sub": "u-1"}, "preferred_username"),  # the claim is missing
    ({"email": "amy@example.org", "email_verified": False}, "email"),
    ({"email": "amy@example.org"}, "email"),  # not said to be verified
])
def test_unknown_disabled_other_partnership_and_unverified_are_refused_alike(
    fresh: Store, claims: dict[str, Any], claim: str
) -> None:
    store = fresh
    create_account(store, "gone", "panel", None)
    disable(store, "gone")
    create_account(store, "amy@example.org", "analyst", None)
    north = Store(store.engine, Actor.local("north"))
    north.ensure_partnership("north", "north")
    create_account(north, "north.dsl", "panel", None)
    with pytest.raises(AccessDenied) as refused:
        account_for_claims(store, claims, claim)
    assert refused.value.message == "your organisation's account has no account here"
    verified = {"email": "amy@example.org", "email_verified": True}
    assert account_for_claims(store, verified, "email")["name"] == "amy@example.org"


# -- the whole flow, against the provider in process ---------------------------------------

def test_the_sign_in_page_links_to_the_organisations_sign_in(client: TestClient) -> None:
    page = client.get("/login?next=/alerts/x")
    assert 'href="/login/oidc?next=/alerts/x"' in page.text


def test_signing_in_with_the_organisation(client: TestClient, idp: FakeProvider) -> None:
    done = _sign_in(client, idp, preferred_username="dsl.okafor")
    assert done.status_code == 200, done.text
    assert 'http-equiv="refresh" content="0; url=/alerts"' in done.text
    session = _session(client)
    assert session.pop("form_key")  # a new session, with its own value for the form token
    assert isinstance(session.pop("started"), float)  # when it began: signing out ends it
    assert session == {"account": "dsl.okafor", "partnership": "default"}
    page = client.get("/alerts")
    assert page.status_code == 200 and "dsl.okafor (panel)" in page.text


def test_the_flow_cookie_is_httponly_lax_and_short_lived(client: TestClient) -> None:
    start = client.get("/login/oidc", follow_redirects=False)
    header = start.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header and "max-age=600" in header
    assert "path=/login/oidc" in header
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]


def test_a_reporter_is_sent_to_the_concern_form(client: TestClient, idp: FakeProvider) -> None:
    done = _sign_in(client, idp, preferred_username="feed")
    assert "url=/concerns/new" in done.text


def test_it_never_sends_you_to_another_site(client: TestClient, idp: FakeProvider) -> None:
    done = _sign_in(client, idp, next="//evil.example/", preferred_username="dsl.okafor")
    assert "url=/alerts" in done.text and "evil" not in done.text


@pytest.mark.parametrize("claims", [
    {"preferred_username": "nobody"},
    {"preferred_username": "gone"},
    {"preferred_username": "north.dsl"},
])
def test_an_account_that_may_not_sign_in_is_refused_and_none_is_made(
    client: TestClient, idp: FakeProvider, url: str, claims: dict[str, Any]
) -> None:
    done = _sign_in(client, idp, **claims)
    assert done.status_code == 401
    assert "your organisation&#39;s account has no account here" in done.text
    assert "joinedup_session" not in client.cookies
    store = Store.open(url, create=False)
    assert store.account_named("nobody") is None
    store.engine.dispose()


@pytest.mark.parametrize("tamper", [
    "audience", "audience, our azp", "issuer", "nonce", "expired", "other key"])
def test_an_id_token_the_app_must_not_trust_is_refused(
    client: TestClient, idp: FakeProvider, tamper: str
) -> None:
    now = int(time.time())
    claims: dict[str, Any] = {
        "audience": {"aud": "another-app"},
        "audience, our azp": {"aud": "another-app", "azp": CLIENT},
        "issuer": {"iss": "https://evil.example"},
        "nonce": {"nonce": "replayed"},
        "expired": {"iat": now - 7200, "exp": now - 3600},
        "other key": {"key": RSAKey.generate_key(2048, parameters={"kid": "k1"})},
    }[tamper]
    done = _sign_in(client, idp, preferred_username="dsl.okafor", **claims)
    assert done.status_code == 401 and "did not complete" in done.text
    assert "joinedup_session" not in client.cookies


def test_a_callback_without_its_own_flow_is_refused(
    client: TestClient, idp: FakeProvider
) -> None:
    start = client.get("/login/oidc", follow_redirects=False)
    code = idp.authorize(start.headers["location"], preferred_username="dsl.okafor")
    wrong_state = client.get(f"/login/oidc/callback?code={code}&state=not-the-state")
    assert wrong_state.status_code == 400
    assert client.get(f"/login/oidc/callback?code={code}&state=%C3%B1").status_code == 400
    client.cookies.clear()  # another browser, given the link
    state = parse_qs(urlsplit(start.headers["location"]).query)["state"][0]
    stolen = client.get(f"/login/oidc/callback?code={code}&state={state}")
    assert stolen.status_code == 400 and "joinedup_session" not in client.cookies


def test_a_provider_that_cannot_be_reached_is_said_so(url: str) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to the provider", request=request)

    app = create_app(url)
    oidc.configure(app, ENV, transport=httpx.MockTransport(down))
    with TestClient(app) as c:
        r = c.get("/login/oidc", follow_redirects=False)
        assert r.status_code == 502 and "cannot be reached" in r.text
    app.state.ctx.engine.dispose()

def test_passwords_still_sign_in_when_oidc_is_configured(client: TestClient) -> None:
    r = client.post("/login", data={"csrf": token(client), "name": "chair", "password": GOOD,
                                    "next": "/alerts"}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/alerts").status_code == 200
    no_password = client.post("/login", data={"csrf": token(client), "name": "dsl.okafor",
                                              "password": GOOD}, follow_redirects=False)
    assert no_password.status_code == 401  # an account without a password signs in by OIDC


def test_an_account_for_oidc_is_added_without_a_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from joinedup.cli.app import app

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    admin = CliRunner().invoke(app, ["account", "add", "root", "--role", "admin",
                                     "--password-stdin", "--db", db], input=GOOD + "\n")
    assert admin.exit_code == 0, admin.output
    monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)
    added = CliRunner().invoke(app, ["--as", "root", "account", "add", "dsl.okafor", "--role",
                                     "panel", "--oidc", "--db", db])
    assert added.exit_code == 0, added.output
    store = Store.open(db, create=False)
    acc = store.account_named("dsl.okafor")
    store.engine.dispose()
    assert acc is not None and acc["password_hash"] is None
