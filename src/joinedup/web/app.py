"""The panel's web app: server-rendered pages (Jinja2 + HTMX) and a JSON API beside them.

``create_app(url)`` serves the store at ``url``. Every request opens its own :class:`Store` on
one shared engine, so each read and write passes the store's gate and lands in the audit log
under the request's actor (the local account until the access issue adds sign-in).

Every endpoint is treated as hostile input: pages are autoescaped, search text is reduced to
plain words, form posts carry a token bound to the browser's session
(:meth:`Context.form_token`) and must come from this origin, JSON writes must be sent as
``application/json`` (a cross-site page cannot send that without the browser asking first),
and responses forbid framing, sniffing and foreign scripts.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context as TemplateContext
from markupsafe import Markup
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from joinedup.access import account_actor, session_current, token_account
from joinedup.access.policy import RolePolicy
from joinedup.errors import AccessDenied, DecisionRefused, InputError, JoinedupError, NotFound
from joinedup.store import Store
from joinedup.store.gate import Actor
from joinedup.store.store import make_engine, migrate
from joinedup.web import api, incidents, oidc, pages, signin

HERE = Path(__file__).parent


class SignInRequired(AccessDenied):
    """Accounts exist and the request names none: sign in first."""


SYNC_INDEX = 2000  # reports a search indexes before it answers (about 0.2 s)
BACKGROUND_CHUNK = 200  # reports the background catch-up indexes in one transaction
BACKGROUND_PAUSE = 0.005  # seconds it rests between them, for the pages being served
PROFILE_RECHECK = 60.0  # seconds before a store found without conflict reports is asked again
log = logging.getLogger(__name__)
Handler = Callable[[Request], Awaitable[Response]]
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'none'; object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # with no-referrer, Chromium posts "Origin: null"
    "Cache-Control": "no-store",
}


# While no account exists anyone who reaches the app acts as the local account, so it
# answers only requests addressed to this machine: a page elsewhere that rebinds its own
# name to 127.0.0.1 would otherwise read and write the store through the browser. More
# names (a host's name on a trusted network, a test client's) come from this variable.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
ALLOWED_HOSTS_ENV = "JOINEDUP_ALLOWED_HOSTS"
# A form token is made from a random value of the browser's own (Context.form_token): signed
# in, kept in the signed session cookie under this key; before, in a cookie of its own.
FORM_KEY = "form_key"
# When a session began (seconds since the epoch): a session that began before its account's
# ``sessions_valid_after`` (set by signing out) is refused (Context.session_account).
STARTED_KEY = "started"
SECRET_ENV = "JOINEDUP_SECRET"
MIN_SECRET = 32  # characters: anyone who guesses the secret can sign a session as anyone
PRE_SESSION_COOKIE = "joinedup_form"
SESSION_COOKIE = "joinedup_session"
# Their names over HTTPS: a browser takes a __Host- cookie only from this very host, Secure,
# with Path=/ and no Domain, so a sibling subdomain cannot plant one (a form cookie of a value
# it knows, or its own valid session, which would sign the victim in to its account).
HOST_PREFIX = "__Host-"
EXPIRED = "this form has expired (the server was restarted)"


def host_name(header: str) -> str:
    """The name in a Host header, without its port: ``[::1]:8000`` is ``::1``."""
    host = header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Context:
    """What every request needs: the engine, the templates and the form token."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.secret = secrets.token_bytes(32)
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.open_hosts = LOCAL_HOSTS | {
            h.strip().lower() for h in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",")
            if h.strip()}
        self._indexing = threading.Lock()
        self._conflict: dict[str, tuple[bool, float]] = {}  # partnership -> (holds, asked at)
        self.templates.globals["form_token"] = pass_context(
            lambda context: self._template_token(context))  # a method takes no attribute
        self.templates.globals["conflict_pages"] = self.conflict_pages
        self.templates.filters["json_block"] = to_json
        self.templates.filters["zip_roles"] = lambda xs: [(x, x.replace("_", " ")) for x in xs]

    def store(self, request: Request) -> Store:
        """A store for this request, acting as the request's actor under its role's rules."""
        actor = self.actor(request)
        return Store(self.engine, actor, None if actor.role == "system" else RolePolicy())

    def system(self, partnership: str = "default") -> Store:
        """The engine's own store of a partnership: resolution, corroboration and alerting run
        as the system, whoever's report set them off (a reporter may submit, not read)."""
        return Store(self.engine, Actor.local(partnership))

    def system_for(self, request: Request) -> Store:
        """The engine's own store of the requesting account's partnership."""
        return self.system(self.actor(request).partnership)

    def open_mode(self) -> bool:
        """No account exists yet, in any partnership: the embedded single-user store (the
        demo), where whoever reaches the app acts as the local account. The app says so on
        every page."""
        return not self.system().has_accounts(anywhere=True)

    def actor(self, request: Request) -> Actor:
        """Who is asking: the API token's account, else the signed-in account, else the local
        account while no account exists; otherwise sign-in is required. Each account acts in
        its own partnership only."""
        cached = getattr(request.state, "actor", None)
        if cached is not None:
            return cached
        auth = request.headers.get("authorization", "")
        found: Actor | None = None
        if auth.lower().startswith("bearer "):
            scope = "reports:write" if (request.method, request.url.path) == (
                "POST", "/api/reports") else "none"
            bearer = token_account(self.system(), auth[7:].strip(), scope)
            found = account_actor(bearer)
        elif (acc := self.session_account(request)) is not None:
            found = account_actor(acc)
        if found is None:
            if not self.open_mode():
                raise SignInRequired("sign in to continue", hint="use your account's name")
            if host_name(request.headers.get("host", "")) not in self.open_hosts:
                raise AccessDenied(
                    "this store has no accounts yet, so it answers only this machine "
                    "(http://127.0.0.1 or http://localhost)",
                    hint="create an account (`joinedup account add`) before serving it to "
                         f"others, or name this host in {ALLOWED_HOSTS_ENV}")
            found = Actor.local()
        request.state.actor = found
        return found

    def session_account(self, request: Request) -> dict[str, Any] | None:
        """The account this request's session is signed in as, if the session is still good:
        the account exists, is active, and has not signed out (or been signed out by an admin)
        since the session began (:func:`joinedup.access.session_current`). A session that is
        not is cleared, so its browser is asked to sign in again."""
        session = request.session
        name = session.get("account")
        if name is None:
            return None
        partnership = str(session.get("partnership") or "default")
        acc: dict[str, Any] | None = self.system(partnership).account_named(str(name))
        if acc is not None and acc["active"] and session_current(acc, session.get(STARTED_KEY)):
            return acc
        session.clear()
        return None

    def conflict_pages(self, request: object) -> bool:
        """Whether the navigation offers the conflict profile's pages: to a role that may read
        incidents, once the partnership holds conflict reports or incidents. A store found
        holding them is not asked again; one found without, after a minute (reports may be
        imported with the command line while the app runs)."""
        actor = getattr(request.state, "actor", None) if isinstance(request, Request) else None
        if not isinstance(actor, Actor):
            return False
        if actor.role != "system" and not RolePolicy().allows(actor, "read", "incidents"):
            return False
        known = self._conflict.get(actor.partnership)
        if known is not None and (known[0] or time.monotonic() - known[1] < PROFILE_RECHECK):
            return known[0]
        # incidents are made from the current conflict reports: no reports, no incidents
        held = "conflict" in self.system(actor.partnership).profiles_of()
        self._conflict[actor.partnership] = (held, time.monotonic())
        return held

    def catch_up(self, store: Store, backlog: int) -> int:
        """Bring the search index up to date without making a search slow: a few reports
        (a concern just submitted) at once, many (a large import) in the background, one
        catch-up at a time. Returns how many reports are not searchable yet."""
        # few: wait for a background catch-up (its rest is as few) and finish here
        if backlog <= SYNC_INDEX and self._indexing.acquire(timeout=10):
            try:
                # the engine's work, whoever searched
                self.system(store.partnership).catch_up_search()
                return 0
            finally:
                self._indexing.release()
        self.index_later(store.partnership)
        return backlog

    def index_later(self, partnership: str = "default") -> None:
        """Index every report of a partnership not yet searchable, in a background thread
        (if none is)."""
        if not self._indexing.locked():
            threading.Thread(target=self._index, args=(partnership,), name="search-index",
                             daemon=True).start()

    def _index(self, partnership: str) -> None:
        if not self._indexing.acquire(blocking=False):
            return
        try:
            # small chunks: each holds SQLite's write lock, which every page's audit entry
            # waits for, only briefly
            self.system(partnership).catch_up_search(chunk=BACKGROUND_CHUNK,
                                                     pause=BACKGROUND_PAUSE)
        except JoinedupError as err:  # the next search tries again
            log.warning("search index: %s", err.message)
        finally:
            self._indexing.release()

    def form_token(self, request: Request) -> str:
        """The token this browser's forms carry: an HMAC, under this process's secret, of a
        random value of the browser's own, so that a token seen in one session is refused in
        any other, and every token is refused once the server restarts.

        Signed in, the value is kept in the signed session cookie; a sign-in starts a new
        session with a new value, and signing out drops it, so no token outlives its session.
        Before (the sign-in form, and every form while no account exists) it is kept in a
        cookie of its own, ``joinedup_form``, set by :meth:`render` and dropped at sign-in: a
        sign-in page opened from another site comes without the Strict session cookie, and
        must not replace the session of the browser's other tabs."""
        key = self._form_key(request)
        if key is None:
            key = "pre:" + secrets.token_urlsafe(32)
            request.state.new_form_key = key  # a cookie for render() to set
        return self._token(key)

    def _form_key(self, request: Request) -> str | None:
        """The random value this request's session, or pre-session, holds; None if none."""
        session = request.session
        if session.get("account") is not None:
            if not isinstance(session.get(FORM_KEY), str):  # signed in before keys were kept
                session[FORM_KEY] = secrets.token_urlsafe(32)
            return "session:" + str(session[FORM_KEY])
        new = getattr(request.state, "new_form_key", None)
        if isinstance(new, str):
            return new
        cookie = request.cookies.get(pre_session_cookie(), "")  # over HTTPS, none planted
        ok = 20 <= len(cookie) <= 100 and all(c.isascii() and (c.isalnum() or c in "-_")
                                               for c in cookie)
        return "pre:" + cookie if ok else None

    def _token(self, key: str) -> str:
        return hmac.new(self.secret, b"joinedup-form\x00" + key.encode(), "sha256").hexdigest()

    def _template_token(self, context: TemplateContext) -> str:
        """``form_token()`` in a template: the token of the request it is rendered for."""
        request = context.get("request")
        if not isinstance(request, Request):
            raise TypeError("a page with a form is rendered with request=…, and a macro "
                            "holding a form is imported `with context`")
        return self.form_token(request)

    def start_session(self, request: Request, response: Response, account: dict[str, Any],
                      partnership: str) -> None:
        """A new session for a new sign-in, with a new random value for its form token and
        the moment it began (refused once the account signs out after it); the pre-session's
        cookie is dropped."""
        request.session.clear()
        request.session["account"] = account["name"]
        request.session["partnership"] = partnership
        request.session[FORM_KEY] = secrets.token_urlsafe(32)
        request.session[STARTED_KEY] = time.time()
        response.delete_cookie(pre_session_cookie(), path="/", httponly=True,
                               samesite="strict", secure=_https())

    def check_form(self, request: Request, token: str) -> None:
        """A form post must carry the token of this browser's session and, if the browser
        says, come from here."""
        origin = request.headers.get("origin")
        host = request.headers.get("host", "")
        if origin and origin.split("://", 1)[-1] != host:
            raise InputError("this form was sent from another site", hint="open it here")
        key = self._form_key(request)
        expected = self._token(key) if key is not None else ""
        # compared as bytes: compare_digest refuses str holding anything but ASCII
        if not expected or not hmac.compare_digest((token or "").encode(), expected.encode()):
            raise InputError(EXPIRED, hint="reload the page; what you typed is shown again below")

    def render(self, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        page = HTMLResponse(self.templates.get_template(template).render(**context), code)
        request = context.get("request")
        new = getattr(request.state, "new_form_key", None) if isinstance(
            request, Request) else None
        if isinstance(new, str):  # a pre-session begun by this page's form token
            page.set_cookie(pre_session_cookie(), new.removeprefix("pre:"), path="/",
                            httponly=True, samesite="strict", secure=_https())
        return page


def create_app(url: str) -> FastAPI:
    """The web app serving the store at ``url`` (created and migrated if needed).

    Raises:
        InputError: ``JOINEDUP_SECRET`` is set and shorter than MIN_SECRET characters."""
    secret = _session_secret()
    engine = make_engine(url)
    migrate(engine)
    Store(engine, Actor.local()).ensure_partnership("default", "default")
    ctx = Context(engine, url)
    app = FastAPI(
        title="joinedup",
        summary="Join up what many agencies know, so a pattern of harm is seen and acted on.",
        version=_version(),
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.ctx = ctx
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=session_cookie(),  # Path=/ and no Domain: the middleware's default
        same_site="strict",
        https_only=_https(),
        max_age=8 * 3600,
    )
    ctx.index_later()  # reports imported while the app was not running become searchable
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    signed_in = [Depends(_signed_in)]  # every page and API call but signing in itself
    app.include_router(api.router, dependencies=signed_in)
    app.include_router(pages.router, dependencies=signed_in)
    app.include_router(incidents.router, dependencies=signed_in)
    app.include_router(signin.router)
    app.include_router(oidc.router)
    oidc.configure(app)  # OpenID Connect sign-in, if JOINEDUP_OIDC_* say so

    @app.middleware("http")
    async def headers(request: Request, call_next: Handler) -> Response:
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            if k == "Cache-Control" and request.url.path.startswith("/static/"):
                continue
            response.headers.setdefault(k, v)
        return response

    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, err: SignInRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(err.details(), status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(JoinedupError)
    async def joinedup_error(request: Request, err: JoinedupError) -> Response:
        status = 404 if isinstance(err, NotFound) else 422 if isinstance(
            err, InputError | DecisionRefused
        ) else 403 if isinstance(err, AccessDenied) else 500
        if request.url.path.startswith("/api/"):
            return JSONResponse(err.details(), status_code=status)
        return ctx.render("error.html", status, error=err, status=status, request=request)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError) -> Response:
        """FastAPI's own 422, in the API's one error shape (and as a page for the pages)."""
        errors = [
            {"field": ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "(request)",
             "reason": str(e.get("msg", ""))}
            for e in err.errors()
        ][:20]
        first = errors[0] if errors else {"field": "(request)", "reason": "not valid"}
        problem = InputError(f"{first['field']}: {first['reason']}",
                             hint="see `errors` for every problem" if len(errors) > 1 else "")
        if request.url.path.startswith("/api/"):
            return JSONResponse({**problem.details(), "errors": errors}, status_code=422)
        return ctx.render("error.html", 422, error=problem, status=422, request=request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        """Starlette's own errors (a body that is not JSON, an unknown path, a wrong method)
        in the API's error shape, or as a page."""
        kind = {400: "InputError", 404: "NotFound", 405: "MethodNotAllowed"}.get(
            err.status_code, "HTTPError")
        problem = JoinedupError(str(err.detail))
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({**problem.details(), "error": kind},
                                status_code=err.status_code, headers=err.headers)
        return ctx.render("error.html", err.status_code, error=problem, status=err.status_code,
                          request=request)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/alerts", status_code=303)

    return app


def _signed_in(request: Request) -> None:
    """Who is asking is settled before any page or API call runs, even one that reads
    nothing from the store (the concern form): signed out means sign in first. A NUL
    character in the path or the query is refused first: PostgreSQL cannot compare text
    holding one, nor write it to the audit log, and no id or filter ever holds one."""
    given = [request.scope.get("path", ""), *(v for _, v in request.query_params.multi_items())]
    if any("\x00" in text for text in given):
        raise InputError("the address holds a NUL character", hint="remove it")
    request.app.state.ctx.actor(request)


def _session_secret() -> str:
    """The key the session cookies are signed with: ``JOINEDUP_SECRET``, at least MIN_SECRET
    characters (a short one could be guessed, and a session signed for any account), or, unset,
    a random one of this process's own (sessions then end when it stops)."""
    secret = os.environ.get(SECRET_ENV, "")
    if not secret:
        return secrets.token_urlsafe(32)
    if len(secret) < MIN_SECRET:
        raise InputError(
            f"{SECRET_ENV} is only {len(secret)} character{'s' if len(secret) > 1 else ''} "
            f"long; it must be at least {MIN_SECRET}, "
            "or it could be guessed and a session cookie signed for any account",
            hint='make one with: python -c "import secrets; print(secrets.token_urlsafe(32))", '
                 "and keep it as you keep a password")
    return secret


def _https() -> bool:
    """Whether the app's cookies are marked Secure (served over HTTPS)."""
    return os.environ.get("JOINEDUP_HTTPS", "") == "1"


def pre_session_cookie() -> str:
    """The name of the cookie the pre-session's form token is made from: ``__Host-`` over
    HTTPS, where a sibling subdomain could otherwise plant one; plain HTTP cannot set a
    ``__Host-`` cookie (it must be Secure), so there it keeps its plain name."""
    return HOST_PREFIX + PRE_SESSION_COOKIE if _https() else PRE_SESSION_COOKIE


def session_cookie() -> str:
    """The name of the signed session cookie: ``__Host-`` over HTTPS, as
    :func:`pre_session_cookie`. A sibling subdomain cannot forge a session (it is signed), but
    it could plant a session of its own account; a browser refuses a ``__Host-`` cookie from
    anywhere but this host. Turning HTTPS on renames it, which signs everyone out once."""
    return HOST_PREFIX + SESSION_COOKIE if _https() else SESSION_COOKIE


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("joinedup")
    except PackageNotFoundError:
        return "0"


def to_json(data: Any) -> Markup:
    """JSON for a page's ``<script type="application/json">`` block: ``<`` escaped so that
    no text inside can close the script element."""
    return Markup(json.dumps(data, default=_default).replace("<", "\\u003c"))


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON: {type(value).__name__}")
