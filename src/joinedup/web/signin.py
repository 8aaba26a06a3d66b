"""Signing in and out of the web app with an account (:mod:`joinedup.access`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from joinedup.access import authenticate, sign_out
from joinedup.errors import AccessDenied, InputError

router = APIRouter(include_in_schema=False)
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
