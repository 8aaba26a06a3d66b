"""Signing in and out of the web app with an account, and changing its password
(:mod:`joinedup.access`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from joinedup.access import (
    MIN_PASSWORD,
    account_actor,
    authenticate,
    change_password,
    sign_out,
)
from joinedup.errors import AccessDenied, InputError

router = APIRouter(include_in_schema=False)
PASSWORD_CHANGED = "password_changed"  # the session's note that the next page should say so
# Checking a password is argon2's deliberate work (64 MiB and a tenth of a second or more):
# it runs beside the event loop, which would otherwise serve no one else meanwhile, and at most
# this many at once, so that a stream of attempts holds a bounded share of memory and threads.
SIGN_INS_AT_ONCE = 4


def _safe_next(target: str) -> str:
    """Only a path of this app: never another site (``//host``, ``https://…``).

    Browsers read a backslash as a slash and drop tabs and line breaks from a URL, so
    ``/\\evil.example`` and ``/<tab>/evil.example`` are ``//evil.example`` to them: a target
    holding a backslash, a control character or a space is refused whole, and what is kept
    must parse as a path with no scheme and no host."""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not any(c == "\\" or c.isspace() or ord(c) < 32 or ord(c) == 127 for c in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
            return target
    return "/alerts"


def _page(request: Request, code: int = 200, **context: Any) -> HTMLResponse:
    """The sign-in page; it asks for the partnership only where the database holds several."""
    ctx = request.app.state.ctx
    several = ctx.system().partnerships_with_accounts() > 1
    return ctx.render("login.html", code, request=request, several=several, **context)


def _partnership(text: str) -> str:
    """A partnership id as typed: at most 60 characters of letters, digits, ``-`` and ``_``
    (anything else names no partnership, and gets the same refusal as a wrong password)."""
    text = text.strip() or "default"
    ok = len(text) <= 60 and all(ch.isalnum() or ch in "-_" for ch in text)
    return text if ok else "-"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/alerts") -> HTMLResponse:
    return _page(request, next=_safe_next(next), error="", name="", partnership="default")


@router.post("/login", response_model=None)
async def login(request: Request) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    ctx = request.app.state.ctx
    target = _safe_next(values.get("next", "/alerts"))
    partnership = _partnership(values.get("partnership", ""))
    try:
        ctx.check_form(request, values.get("csrf", ""))
        account = await to_thread.run_sync(
            authenticate, ctx.system(partnership), values.get("name", ""),
            values.get("password", ""), limiter=_limiter(request))
    except (AccessDenied, InputError) as err:
        return _page(request, 401, next=target, error=err.message, name=values.get("name", ""),
                     partnership=partnership)
    if account["role"] in ("reporter", "agency_lead") and target == "/alerts":
        target = "/concerns/new"  # what these roles come to do
    response = RedirectResponse(target, status_code=303)
    ctx.start_session(request, response, account, account["partnership"])
    return response


def _limiter(request: Request) -> CapacityLimiter:
    """The app's limit on passwords checked at once (made at its first sign-in)."""
    state = request.app.state
    limiter: CapacityLimiter | None = getattr(state, "sign_in_limiter", None)
    if limiter is None:
        limiter = state.sign_in_limiter = CapacityLimiter(SIGN_INS_AT_ONCE)
    return limiter


@router.post("/logout", response_model=None)
async def logout(request: Request) -> Response:
    """Sign out everywhere: every session of the account ends, this browser's and any other
    (a copy of the cookie included), by moving the account's ``sessions_valid_after`` to now.
    A session that is no longer good (the account signed out elsewhere) ends here only: a
    stale cookie cannot sign its account out again."""
    form = await request.form()
    ctx = request.app.state.ctx
    ctx.check_form(request, str(form.get("csrf", "")))
    await to_thread.run_sync(_end_sessions, request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _end_sessions(request: Request) -> None:
    ctx = request.app.state.ctx
    account = ctx.session_account(request)
    if account is not None:  # as the system, as a sign-in is: no role writes an account
        sign_out(ctx.system(account["partnership"]), account["name"])


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request) -> HTMLResponse:
    """The signed-in account's "Change your password" page; after a change, what it did."""
    account = _holder(request)
    changed = bool(request.session.pop(PASSWORD_CHANGED, False))
    return _password_page(request, account, changed=changed)


@router.post("/account/password", response_model=None)
async def password_change(request: Request) -> Response:
    """Change the signed-in account's own password, given its current one. A wrong current
    password counts towards the sign-in lock-out. On success every other session of the
    account ends and this browser gets a new one, so that it stays signed in; the page it is
    sent to says so (Post/Redirect/Get: reloading it sends nothing again)."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    ctx = request.app.state.ctx
    account = await to_thread.run_sync(_holder, request)
    try:
        ctx.check_form(request, values.get("csrf", ""))
    except InputError as err:  # its hint promises what was typed again: not passwords
        return _password_page(request, account, 422, error=err.message,
                              hint="reload the page, then type the passwords again")
    try:
        if values.get("new", "") != values.get("confirm", ""):
            raise InputError("the two new passwords differ", hint="type the new one twice")
        await to_thread.run_sync(
            change_password, ctx.store(request), values.get("current", ""),
            values.get("new", ""), limiter=_limiter(request))
    except (AccessDenied, InputError) as err:
        code = 403 if isinstance(err, AccessDenied) else 422
        return _password_page(request, account, code, error=err.message, hint=err.hint)
    response = RedirectResponse("/account/password", status_code=303)
    # a fresh session, begun after the change (which ended every session begun before it)
    ctx.start_session(request, response, account, account["partnership"])
    request.session[PASSWORD_CHANGED] = True
    return response


def _holder(request: Request) -> dict[str, Any]:
    """The account this request's session is signed in as; signed out, to the sign-in page.
    An API token or the local account (no account exists yet) has no password to change."""
    ctx = request.app.state.ctx
    account: dict[str, Any] | None = ctx.session_account(request)
    if account is None:
        ctx.actor(request)  # signed out: SignInRequired, answered with the sign-in page
        raise InputError("no account is signed in here, so there is no password to change",
                         hint="sign in with your account, then change its password")
    request.state.actor = account_actor(account)  # the page's navigation shows who
    return account


def _password_page(request: Request, account: dict[str, Any], code: int = 200,
                   **context: Any) -> HTMLResponse:
    context = {"changed": False, "error": "", "hint": "", **context}
    return request.app.state.ctx.render(
        "password.html", code, request=request, name=account["name"],
        has_password=account["password_hash"] is not None, min_length=MIN_PASSWORD, **context)
