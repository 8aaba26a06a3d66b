"""Access: accounts, sign-in and API tokens (need to know).

Passwords are kept as argon2 hashes (argon2-cffi). Five failed sign-ins in a row lock an account
for fifteen minutes. A wrong name and a wrong password get the same answer, after the same
work, so that sign-in does not tell who has an account. API tokens for system-to-system import
are shown once; only their SHA-256 is kept, with their scopes and when they expire, and they
can be revoked. Every sign-in, failed or not, is in the audit log with how it ended
(``outcome``), and so is every refused token. Roles are checked by the gate's policy
(:mod:`joinedup.store.gate`); the web app's sessions come with it, and :func:`end_sessions`
ends every one of an account's sessions at once. A new password (:func:`set_password`, an
admin's reset or the holder's own change; :func:`change_password`, the holder's with the
current one) ends them too, so that a session taken with the old one dies with it.
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
NAME_LENGTH = 200  # an account's name is at most this long (account.name is String(200))
MIN_PASSWORD = 12
SCOPES = ("reports:write",)
TOKEN_DAYS = 365  # a token's life unless issued for fewer days
MAX_TOKEN_DAYS = 3650  # and at most this: every token expires
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("joinedup: not an account's password")


def create_account(
    store: Store, name: str, role: str, password: str | None, agency: str | None = None,
    now: datetime | None = None,
) -> Row:
    """Add an account; ``password`` None for one that signs in by OpenID Connect only."""
    name = (name or "").strip()
    if not could_be_name(name):
        raise InputError(f"an account name is one word of at most {NAME_LENGTH} characters, "
                         "with no control or invisible characters",
                         hint="use letters, digits and punctuation, e.g. dsl.brown")
    if role not in ROLES:
        raise InputError(f"no role {role!r}", hint=f"roles: {', '.join(ROLES)}")
    if role in AGENCY_ROLES and not agency:
        raise InputError(f"a {role} belongs to an agency", hint="give --agency")
    if password is not None:
        check_password(password)
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


def check_password(password: str) -> None:
    """Refuse a password too weak to keep: the one rule for a new account's password and a
    new password alike (at least MIN_PASSWORD characters).

    Raises:
        InputError: it is too short, with what to do instead.
    """
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password has at least {MIN_PASSWORD} characters",
                         hint="choose a longer one: a few unrelated words are easy to type "
                              "and hard to guess")


def could_be_name(name: str) -> bool:
    """Whether ``name`` could be an account's: one word of at most NAME_LENGTH printable
    characters. A name typed at sign-in that could not is never looked up: looking it up would
    put it whole in the audit log (``read account/<name>``), and a NUL in it is an error on
    PostgreSQL."""
    return 0 < len(name) <= NAME_LENGTH and name.isprintable() \
        and not any(ch.isspace() for ch in name)


def name_in_log(name: str) -> str:
    """A name as typed, as the audit log keeps it: at most NAME_IN_LOG characters, each
    unprintable one (a NUL, a line break) shown as U+FFFD."""
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in name[:NAME_IN_LOG])


def account_actor(account: Row) -> Actor:
    """The actor an account acts as: its name, its partnership, its role and its agency."""
    return Actor(account["name"], account["partnership"], account["role"], account["agency"])


def authenticate(store: Store, name: str, password: str, now: datetime | None = None) -> Row:
    """The account, if ``password`` is its password and it may sign in; else AccessDenied.

    Every attempt is audited as ``login account/<name>`` with its ``outcome``: ``signed in``,
    ``bad password`` (the one that locks the account is followed by ``now locked``),
    ``locked``, or ``refused`` for a name with no account that may sign in by password."""
    now = now or datetime.now(UTC)
    # one answer for an unknown name, a wrong password and a locked account, after the same
    # work: an answer of its own for a locked account would tell which names exist
    wrong = AccessDenied(
        "the name or the password is wrong, or the account is locked for "
        f"{LOCK_FOR.seconds // 60} minutes after {MAX_FAILURES} failed sign-ins",
        hint="try again later, or ask an admin (who can unlock an account)")
    acc = store.account_named(name) if could_be_name(name) else None
    if acc is None or not acc["active"] or acc["password_hash"] is None:
        _check(_DUMMY, password)  # the same work as for a real account
        store.audit_note("login", f"account/{name_in_log(name)}", outcome="refused")
        raise wrong
    _check_password_of(store, acc, password, now, wrong)
    values: Row = {"failures": 0, "locked_until": None}
    if _hasher.check_needs_rehash(acc["password_hash"]):
        values["password_hash"] = _hasher.hash(password)
    store.update_account(name, "login", outcome="signed in", **values)
    return {**acc, **values}


def _check_password_of(
    store: Store, acc: Row, password: str, now: datetime, wrong: AccessDenied
) -> None:
    """Raise ``wrong`` unless ``password`` is ``acc``'s and the account is not locked. A wrong
    one counts towards the lock-out (:func:`_count_failure`), wherever it was typed: at
    sign-in, or as the current password when changing it. ``store`` is the system's."""
    name = acc["name"]
    locked = acc["locked_until"]
    if locked is not None and _aware(locked) > now:
        _check(_DUMMY, password)
        store.audit_note("login", f"account/{name}", outcome="locked")
        raise wrong
    if not _check(acc["password_hash"], password):
        _count_failure(store, name, now + LOCK_FOR)
        raise wrong


def _count_failure(store: Store, name: str, lock: datetime) -> None:
    """Count a wrong password, and lock the account at the MAX_FAILURES-th in a row.

    The count is raised by the database, in one UPDATE (``failures = failures + 1``), not read
    here and written back: guesses made at once (several web workers, several command lines)
    each read the same count and wrote the same count plus one, so that the account never
    locked however many there were (:meth:`Store.count_failed_sign_in`)."""
    with store.unit_of_work():
        if store.count_failed_sign_in(name, MAX_FAILURES, lock):
            # this failure locked it: a second entry, since only now is it known
            store.audit_note("login", f"account/{name}", outcome="now locked",
                             until=lock.isoformat(timespec="seconds"))


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


def disable(store: Store, name: str, now: datetime | None = None) -> None:
    """Stop an account signing in, and end its sessions (:func:`end_sessions`): were it ever
    active again, a session it had before would not be."""
    if store.account_named(name) is None:
        raise NotFound(f"no account {name!r}")
    store.update_account(name, active=False, sessions_valid_after=now or datetime.now(UTC))


def end_sessions(store: Store, name: str, now: datetime | None = None) -> None:
    """End every web session of an account: a session that began before ``now`` (the
    account's ``sessions_valid_after``) is refused from then on, wherever its cookie is. An
    admin's ``joinedup account sign-out``, audited as ``admin account/<name>``; signing out
    of the web app is :func:`sign_out`."""
    if store.account_named(name) is None:
        raise NotFound(f"no account {name!r}")
    store.update_account(name, sessions_valid_after=now or datetime.now(UTC))


def sign_out(store: Store, name: str, now: datetime | None = None) -> None:
    """An account signs out of the web app: every one of its sessions ends, not only the one
    of the browser it signed out in (a copy of that session's cookie, anywhere, is refused
    too). ``store`` is the system's, as at sign-in; audited as ``logout account/<name>``."""
    store.update_account(name, "logout", outcome="signed out everywhere",
                         sessions_valid_after=now or datetime.now(UTC))


def set_password(store: Store, name: str, password: str, now: datetime | None = None) -> None:
    """Give ``name`` a new password: an admin setting or resetting any account's, or an account
    changing its own (``store`` acts as it, having checked its current password: the command
    line's ``--as``, or :func:`change_password`). Only an admin may give a password to an
    account that signs in by OpenID Connect only: that would open a second way in.

    Every web session of the account ends (``sessions_valid_after`` is ``now``), so that a
    session taken with the old password ends with it; a lock-out is lifted. API tokens are
    not sessions and stay good until revoked. Audited as ``password account/<name>`` with what
    changed; neither the password nor its hash is in the log.

    Raises:
        InputError: the password is too weak (:func:`check_password`).
        NotFound: no account of that name.
        AccessDenied: another's account and not an admin; one's own without a password.
    """
    check_password(password)
    digest = _hasher.hash(password)
    try:
        found = store.set_password(name, digest, now or datetime.now(UTC))
    except AccessDenied as err:
        raise _refused_password(store, name) from err
    if not found:
        raise NotFound(f"no account {name!r}", hint="see joinedup account list")


def _refused_password(store: Store, name: str) -> AccessDenied:
    """What a refused new password tells the user (the gate decided; this only words it)."""
    if name == store.actor.name:  # one's own is refused only when it has no password
        return AccessDenied(
            f"{name} signs in by OpenID Connect only, and has no password to change: "
            "only an admin may give it one",
            hint="sign in through your organisation, or ask an admin "
                 f"(joinedup --as ADMIN account password {name})")
    return AccessDenied(
        f"{store.actor.name} may not set the password of {name}: an admin sets another "
        "account's password, and each account may change only its own",
        hint="ask an admin to reset it")


def change_password(holder: Store, current: str, new: str, now: datetime | None = None) -> None:
    """The account ``holder`` acts as changes its own password, giving its current one (the
    web app's "Change your password"). The current password is checked as at sign-in, as the
    system (no role records a sign-in): a wrong one counts towards the same lock-out, and a
    locked account is refused whatever it gives. Then as :func:`set_password`, as the holder,
    so that the audit log names who changed it.

    Raises:
        InputError: the new password is too weak.
        AccessDenied: the current password is wrong or the account is locked; the account
            has no password (OpenID Connect only) or may no longer sign in.
    """
    now = now or datetime.now(UTC)
    check_password(new)  # before the current one: a weak new one costs no attempt
    name = holder.actor.name
    system = Store(holder.engine, Actor.local(holder.partnership))
    acc = system.account_named(name)
    if acc is None or not acc["active"]:
        raise AccessDenied("this account may no longer sign in", hint="ask an admin")
    if acc["password_hash"] is None:
        raise _refused_password(holder, name)
    _check_password_of(system, acc, current, now, AccessDenied(
        "the current password is wrong, or the account is locked for "
        f"{LOCK_FOR.seconds // 60} minutes after {MAX_FAILURES} failed attempts",
        hint="type your current password again, or ask an admin to reset it"))
    set_password(holder, name, new, now)


def session_current(account: Row, started: object) -> bool:
    """Whether a session of ``account`` that began at ``started`` (seconds since the epoch,
    as the session keeps it) is still good: it began no earlier than the account's
    ``sessions_valid_after``. A session without a start (signed in before sessions kept one)
    is taken to have begun at the epoch. An account never signed out refuses none."""
    after = account.get("sessions_valid_after")
    if after is None:
        return True
    began = float(started) if isinstance(started, int | float) \
        and not isinstance(started, bool) else 0.0
    return began >= _aware(after).timestamp()


def token_expiry(issued: datetime, days: int = TOKEN_DAYS) -> datetime:
    """When a token issued at ``issued`` for ``days`` days expires; ``days`` from 1 to
    MAX_TOKEN_DAYS (a token that never expires cannot be issued)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise InputError(f"a token expires after 1 to {MAX_TOKEN_DAYS} days, not {days!r}",
                         hint=f"give --expires-days, e.g. {TOKEN_DAYS}; issue a new token "
                              "before it expires")
    return issued + timedelta(days=days)


def issue_token(store: Store, account: str, name: str, scopes: list[str],
                now: datetime | None = None, days: int = TOKEN_DAYS) -> tuple[int, str]:
    """A new API token for ``account``: its id, and its text, shown this once. It expires
    ``days`` days after ``now`` (:func:`token_expiry`).

    Audited as ``admin token/<id>`` with the account it acts for, its name, its scopes and
    when it expires, so that the entry of its revocation (``token/<id>``) and its uses can be
    traced to it."""
    now = now or datetime.now(UTC)
    expires = token_expiry(now, days)
    acc = store.account_named(account)
    if acc is None:
        raise NotFound(f"no account {account!r}")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise InputError(f"unknown or no scopes {unknown}", hint=f"scopes: {', '.join(SCOPES)}")
    text = "jdu_" + secrets.token_urlsafe(32)
    with store.unit_of_work():
        pk = store.add_token({
            "account": acc["pk"], "name": name, "token_hash": token_hash(text),
            "scopes": sorted(set(scopes)), "created_at": now, "revoked_at": None,
            "expires_at": expires,
        })
        store.audit_note("admin", f"token/{pk}", account=acc["name"], name=name,
                         scopes=sorted(set(scopes)),
                         expires=expires.isoformat(timespec="seconds"))
    return pk, text


def token_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def token_account(store: Store, text: str, scope: str, now: datetime | None = None) -> Row:
    """The account a token acts for, if the token is known, not revoked, not expired, has
    ``scope``, and its account is active; else AccessDenied (one answer for all of these). A
    refusal is audited as ``login token/<id>`` (``login token`` for an unknown token) with the
    reason. A token issued before tokens expired (no ``expires_at``) does not expire."""
    now = now or datetime.now(UTC)
    found = store.token_with_account(token_hash(text or ""))
    refused = AccessDenied("this token is not valid for that", hint="ask an admin for a token")
    if found is None:
        store.audit_note("login", "token", outcome="refused: no such token")
        raise refused
    tok, acc = found
    why = ("revoked" if tok["revoked_at"] is not None
           else "its account is disabled" if not acc["active"]
           else "expired" if _expired(tok, now)
           else "not in its scopes" if scope not in tok["scopes"] else "")
    if why:
        store.audit_note("login", f"token/{tok['pk']}", outcome=f"refused: {why}")
        raise refused
    return acc


def _expired(tok: Row, now: datetime) -> bool:
    expires = tok.get("expires_at")
    return expires is not None and _aware(expires) <= now


def revoke_token(store: Store, pk: int, now: datetime | None = None) -> None:
    if not store.revoke_token(pk, now or datetime.now(UTC)):
        raise NotFound(f"no token {pk} that is not already revoked")
