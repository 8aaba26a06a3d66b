"""Signing in with the organisation's account (OpenID Connect), beside local passwords.

Configured from the environment (:class:`OidcSettings`); when it is not, its routes answer 404
and the sign-in page shows no link to them. The flow:

1. ``GET /login/oidc`` sends the browser to the provider with a state, a nonce and a PKCE
   challenge. They wait in a signed cookie of ten minutes, SameSite=Lax: the provider's
   redirect back is a cross-site navigation, and the Strict session cookie is not sent on it.
2. ``GET /login/oidc/callback`` checks the state against that cookie, exchanges the code, and
   has authlib check the ID token: its signature against the provider's published keys, its
   issuer, audience, expiry and nonce. An ID token not signed with a public-key algorithm
   (``alg: none``, or an HMAC) is refused first, whatever the provider's discovery lists.
   :func:`joinedup.access.oidc.account_for_claims` then finds the account, or refuses.
3. The session is set as a password sign-in sets it. The answer is a page that moves on by
   itself: a redirect would still count as cross-site, and the new Strict cookie would not be
   sent with it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.common.errors import AuthlibBaseError
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadData, URLSafeTimedSerializer
from joserfc.errors import JoseError

from joinedup.access.oidc import CLAIMS, account_for_claims
from joinedup.errors import AccessDenied, InputError
from joinedup.store import Store
from joinedup.store.gate import Actor
from joinedup.web.signin import _safe_next

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
FLOW_COOKIE = "joinedup_oidc"
FLOW_PATH = "/login/oidc"
FLOW_SECONDS = 600
# authlib talks through httpx2 when it is installed, else through httpx
HTTP_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError,)
with contextlib.suppress(ImportError):
    import httpx2

    HTTP_ERRORS += (httpx2.HTTPError,)
# what talking to the provider raises when it fails: unreachable, misconfigured (RuntimeError
# from authlib), an error answer, or an ID token that does not pass
PROVIDER_ERRORS = (AuthlibBaseError, JoseError, ValueError, RuntimeError, InputError,
                   *HTTP_ERRORS)
# The ID token's signature algorithms trusted: public-key ones, checked against the provider's
# published keys. authlib trusts what the discovery document lists, and OpenID Connect lets a
# provider list "none" for the code flow: an unsigned token would then pass as signed.
SIGNING_ALGS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                          "ES256", "ES384", "ES512", "EdDSA"})


@dataclass(frozen=True)
class OidcSettings:
    """Where the provider is and how its word names an account.

    ``claim`` is the ID token claim whose value is the account's name: ``preferred_username``
    (the default, so that no deployment changes under its users), ``email``, or the safer
    ``sub`` or ``oid``, which the provider never reassigns (:mod:`joinedup.access.oidc`).

    Examples:
        >>> OidcSettings.from_env({}) is None  # not configured: passwords only
        True
    """

    issuer: str
    client_id: str
    client_secret: str
    claim: str = "preferred_username"
    partnership: str = "default"
    redirect_uri: str = ""  # the callback's address as the provider knows it, if not ours

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OidcSettings | None:
        """Settings from ``JOINEDUP_OIDC_*``; None if none is set. Half a configuration, an
        unknown claim or an issuer not on HTTPS is refused, naming the variable."""
        get = {k: env.get(f"JOINEDUP_OIDC_{k}", "").strip() for k in (
            "ISSUER", "CLIENT_ID", "CLIENT_SECRET", "CLAIM", "PARTNERSHIP", "REDIRECT_URI")}
        needed = ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")
        if not any(get[k] for k in needed):
            return None
        if missing := [f"JOINEDUP_OIDC_{k}" for k in needed if not get[k]]:
            raise InputError(f"OpenID Connect is half configured: {', '.join(missing)} not set",
                             hint="set the issuer, client id and client secret, or none of them")
        claim = get["CLAIM"] or CLAIMS[0]
        if claim not in CLAIMS:
            raise InputError(
                f"JOINEDUP_OIDC_CLAIM cannot be {claim!r}: it names the ID token claim whose "
                "value is the account's name",
                hint=f"set one of: {', '.join(CLAIMS)}; sub or oid is the safer, since the "
                     "provider never gives them to another person (docs/access.md)")
        issuer = urlsplit(get["ISSUER"])
        if issuer.scheme != "https" and issuer.hostname not in ("localhost", "127.0.0.1"):
            raise InputError("JOINEDUP_OIDC_ISSUER must be an https:// address",
                             hint="the provider's keys are fetched from it")
        return cls(get["ISSUER"], get["CLIENT_ID"], get["CLIENT_SECRET"], claim,
                   get["PARTNERSHIP"] or "default", get["REDIRECT_URI"])


class Provider:
    """The configured provider: authlib's client for it, and the signed flow cookie."""

    def __init__(self, settings: OidcSettings, secret: bytes,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        # imported here: authlib warns, on import, that it will need httpx2 one day
        from authlib.integrations.starlette_client import OAuth

        self.settings = settings
        client_kwargs: dict[str, Any] = {"scope": "openid email profile",
                                         "code_challenge_method": "S256"}
        if transport is not None:  # tests: an in-process provider
            client_kwargs["transport"] = transport
        self.client = OAuth().register(
            "joinedup",
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            server_metadata_url=settings.issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs=client_kwargs,
        )
        self.flows = URLSafeTimedSerializer(secret, salt="joinedup-oidc-flow")

    def read_flow(self, cookie: str) -> dict[str, str] | None:
        """The flow this browser started here less than ten minutes ago, if any."""
        try:
            flow = self.flows.loads(cookie, max_age=FLOW_SECONDS)
        except BadData:
            return None
        return flow if isinstance(flow, dict) else None

    async def claims(self, code: str, flow: Mapping[str, str]) -> Mapping[str, Any]:
        """The claims of the ID token the code is exchanged for, once authlib has checked its
        signature, issuer, audience, expiry and nonce."""
        token = await self.client.fetch_access_token(
            redirect_uri=flow["redirect_uri"], code=code, code_verifier=flow["verifier"])
        if "id_token" in token:
            _check_signed(token["id_token"])
        s = self.settings
        claims = await self.client.parse_id_token(token, nonce=flow["nonce"], claims_options={
            "iss": {"essential": True, "values": [s.issuer]},
            "aud": {"essential": True, "values": [s.client_id]},  # authlib checks aud only if told
        })
        if claims is None:
            raise InputError("the provider sent no ID token")
        return dict(claims)


def _check_signed(id_token: object) -> None:
    """Refuse an ID token whose header names no public-key signature (SIGNING_ALGS)."""
    try:
        head = str(id_token).split(".", 1)[0]
        alg = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))).get("alg")
    except (ValueError, binascii.Error, AttributeError) as err:
        raise InputError("the provider sent an ID token that is not a signed JWT") from err
    if alg not in SIGNING_ALGS:
        raise InputError(f"the provider's ID token is signed with {alg!r}, not a public key",
                         hint="have the provider sign ID tokens with RS256 or ES256")


def configure(app: FastAPI, env: Mapping[str, str] = os.environ,
              transport: httpx.AsyncBaseTransport | None = None) -> None:
    """Serve OpenID Connect sign-in if ``env`` configures it, else its routes are 404."""
    settings = OidcSettings.from_env(env)
    ctx = app.state.ctx
    app.state.oidc = None if settings is None else Provider(settings, ctx.secret, transport)
    ctx.templates.globals["oidc_login"] = settings is not None


def _provider(request: Request) -> Provider:
    provider: Provider | None = getattr(request.app.state, "oidc", None)
    if provider is None:
        raise HTTPException(404, "sign-in with an organisation's account is not set up here")
    return provider


def _refused(request: Request, code: int, err: AccessDenied | InputError) -> HTMLResponse:
    page: HTMLResponse = request.app.state.ctx.render(
        "login.html", code, request=request, next="/alerts", name="", error=err.message)
    page.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
    return page


@router.get("/login/oidc", response_model=None)
async def start(request: Request, next: str = "/alerts") -> Response:
    """Send the browser to the provider, keeping what the callback will check."""
    provider = _provider(request)
    redirect_uri = provider.settings.redirect_uri or str(request.url_for("oidc_callback"))
    try:
        auth = await provider.client.create_authorization_url(redirect_uri)
    except PROVIDER_ERRORS as err:
        log.warning("OpenID Connect provider not reachable: %r", err)
        return _refused(request, 502, InputError("your organisation's sign-in cannot be reached"))
    flow = {"state": auth["state"], "nonce": auth["nonce"], "verifier": auth["code_verifier"],
            "redirect_uri": redirect_uri, "next": _safe_next(next)}
    response = RedirectResponse(auth["url"], status_code=302)
    response.set_cookie(
        FLOW_COOKIE, provider.flows.dumps(flow), max_age=FLOW_SECONDS, path=FLOW_PATH,
        httponly=True, samesite="lax", secure=os.environ.get("JOINEDUP_HTTPS", "") == "1")
    return response


@router.get("/login/oidc/callback", name="oidc_callback", response_model=None)
async def callback(request: Request, code: str = "", state: str = "") -> Response:
    """Sign in the account the provider's ID token names, or refuse."""
    provider = _provider(request)
    flow = provider.read_flow(request.cookies.get(FLOW_COOKIE, ""))
    failed = InputError("the sign-in with your organisation did not complete",
                        hint="start again from the sign-in page")
    if flow is None or not code or not hmac.compare_digest(
            state.encode(), flow.get("state", "").encode()):
        return _refused(request, 400, failed)
    try:
        claims = await provider.claims(code, flow)
    except PROVIDER_ERRORS as err:
        log.warning("OpenID Connect sign-in failed: %r", err)
        return _refused(request, 401, failed)
    settings = provider.settings
    store = Store(request.app.state.ctx.engine, Actor.local(settings.partnership))
    try:
        account = account_for_claims(store, claims, settings.claim)
    except AccessDenied as err:
        return _refused(request, 401, err)
    target = flow["next"]
    if account["role"] in ("reporter", "agency_lead") and target == "/alerts":
        target = "/concerns/new"  # what these roles come to do
    page: HTMLResponse = request.app.state.ctx.render(
        "signed_in.html", request=request, target=target, name=account["name"])
    # a new session for a new sign-in, with a form token of its own
    request.app.state.ctx.start_session(request, page, account, settings.partnership)
    page.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
    return page
