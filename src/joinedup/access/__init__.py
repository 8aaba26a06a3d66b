"""Access: accounts, sign-in and API tokens (need to know).

Passwords are kept as argon2 hashes (argon2-cffi). Five failed sign-ins in a row lock an account
for fifteen minutes. A wrong name and a wrong password get the same answer, after the same
work, so that sign-in does not tell who has an account. API tokens for system-to-system import
are shown once; only their SHA-256 is kept, with their scopes, and they can be revoked. Every
sign-in, failed or not, is in the audit log. Roles are checked by the gate's policy
(:mod:`joinedup.store.gate`); the web app's sessions come with it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from joinedup.access.policy import AGENCY_ROLES
from joinedup.errors import AccessDenied, InputError, NotFound
from joinedup.store import Store
from joinedup.store.gate import Actor

Row = dict[str, Any]
ROLES = ("reporter", "agency_lead", "panel", "analyst", "admin")
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
NAME_IN_LOG = 200  # a name as typed at sign-in is kept in the audit log up to this length
MIN_PASSWORD = 12
SCOPES = ("reports:write",)
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("joinedup: not an account's password")


def create_account(
    store: Store, name: str, role: str, password: str | None, agency: str | None = None,
    now: datetime | None = None,
) -> Row:
    """Add an account; ``password`` None for one that signs in by OpenID Connect only."""
    name = (name or "").strip()
    if not name or len(name) > 200 or any(ch.isspace() for ch in name):
        raise InputError("an account name is one word of at most 200 characters")
    if role not in ROLES:
        raise InputError(f"no role {role!r}", hint=f"roles: {', '.join(ROLES)}")
    if role in AGENCY_ROLES and not agency:
        raise InputError(f"a {role} belongs to an agency", hint="give --agency")
    if password is not None and len(password) < MIN_PASSWORD:
        raise InputError(f"a password has at least {MIN_PASSWORD} characters")
    if store.account_named(name) is not None:
        raise InputError(f"there is already an account {name!r}")
    row = {
        "name": name,
        "role": role,
        "agency": agency,
        "password_hash": _hasher.hash(password) if password is not None else None,
        "failures": 0,
        "locked_until": None,
        "active": True,
        "created_at": now or datetime.now(UTC),
    }
    row["pk"] = store.add_account(row)
    return row


def account_actor(account: Row) -> Actor:
    """The actor an account acts as: its name, its partnership, its role and its agency."""
    return Actor(account["name"], account["partnership"], account["role"], account["agency"])


def authenticate(store: Store, name: str, password: str, now: datetime | None = None) -> Row:
    """The account, if ``password`` is its password and it may sign in; else AccessDenied."""
    now = now or datetime.now(UTC)
    acc = store.account_named(name)
    # one answer for an unknown name, a wrong password and a locked account, after the same
    # work: an answer of its own for a locked account would tell which names exist
    wrong = AccessDenied(
        "the name or the password is wrong, or the account is locked for "
        f"{LOCK_FOR.seconds // 60} minutes after {MAX_FAILURES} failed sign-ins",
        hint="try again later, or ask an admin (who can unlock an account)")
    if acc is None or not acc["active"] or acc["password_hash"] is None:
        _check(_DUMMY, password)  # the same work as for a real account
        store.audit_note("login", f"account/{name[:NAME_IN_LOG]}", outcome="refused")
        raise wrong
    locked = acc["locked_until"]
    if locked is not None and _aware(locked) > now:
        _check(_DUMMY, password)
        store.audit_note("login", f"account/{name}", outcome="locked")
        raise wrong
    if not _check(acc["password_hash"], password):
        failures = acc["failures"] + 1
        lock = now + LOCK_FOR if failures >= MAX_FAILURES else None
        store.update_account(name, "login", failures=0 if lock else failures, locked_until=lock)
        raise wrong
    values: Row = {"failures": 0, "locked_until": None}
    if _hasher.check_needs_rehash(acc["password_hash"]):
        values["password_hash"] = _hasher.hash(password)
    store.update_account(name, "login", **values)
    return {**acc, **values}


def _check(digest: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(digest, password))
    except (VerificationError, InvalidHashError):
        return False


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def unlock(store: Store, name: str) -> None:
    if store.account_named(name) is None:
        raise NotFound(f"no account {name!r}")
    store.update_account(name, failures=0, locked_until=None)


def disable(store: Store, name: str) -> None:
    if store.account_named(name) is None:
        raise NotFound(f"no account {name!r}")
    store.update_account(name, active=False)


def issue_token(store: Store, account: str, name: str, scopes: list[str],
                now: datetime | None = None) -> tuple[int, str]:
    """A new API token for ``account``: its id, and its text, shown this once."""
    acc = store.account_named(account)
    if acc is None:
        raise NotFound(f"no account {account!r}")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise InputError(f"unknown or no scopes {unknown}", hint=f"scopes: {', '.join(SCOPES)}")
    text = "jdu_" + secrets.token_urlsafe(32)
    pk = store.add_token({
        "account": acc["pk"], "name": name, "token_hash": token_hash(text),
        "scopes": sorted(set(scopes)), "created_at": now or datetime.now(UTC),
        "revoked_at": None,
    })
    return pk, text


def token_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def token_account(store: Store, text: str, scope: str) -> Row:
    """The account a token acts for, if the token is known, not revoked, has ``scope``, and
    its account is active; else AccessDenied (one answer for all of these)."""
    found = store.token_with_account(token_hash(text or ""))
    refused = AccessDenied("this token is not valid for that", hint="ask an admin for a token")
    if found is None:
        raise refused
    tok, acc = found
    if tok["revoked_at"] is not None or not acc["active"] or scope not in tok["scopes"]:
        raise refused
    return acc


def revoke_token(store: Store, pk: int, now: datetime | None = None) -> None:
    if not store.revoke_token(pk, now or datetime.now(UTC)):
        raise NotFound(f"no token {pk} that is not already revoked")
