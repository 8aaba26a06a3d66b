"""Signing in on the word of the organisation's identity provider (OpenID Connect).

The provider says who someone is; joinedup decides whether they may sign in. Only an account
an admin made beforehand, of the partnership being served, and active, signs in; no account is
ever made from a provider's word. An unknown name, a disabled account, an account of another
partnership and an unverified email get one answer, so that sign-in does not tell who has an
account. The web flow that checks the provider's ID token is :mod:`joinedup.web.oidc`.

Which claim names the account is the deployment's choice (:data:`CLAIMS`). ``sub`` and ``oid``
are the provider's own id for the person, never given to anyone else; ``preferred_username``
and ``email`` can be changed, or handed to someone else once their owner leaves, and whoever
then holds one signs in as its account. The account's name is the claim's value: an account
for ``sub`` is named after the subject (``joinedup account add <sub> --role … --oidc``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from joinedup.access import could_be_name, name_in_log
from joinedup.errors import AccessDenied
from joinedup.store import Store

Row = dict[str, Any]
# The ID token claims that may name an account: the first is the default, kept so that no
# deployment breaks; the last two are the provider's fixed id for the person, and the safer.
CLAIMS = ("preferred_username", "email", "sub", "oid")
FIXED_IDS = ("sub", "oid")  # opaque: a refusal also logs what the provider calls the person


def account_for_claims(store: Store, claims: Mapping[str, Any], claim: str) -> Row:
    """The account that the verified ID token ``claims`` name by ``claim``, if it may sign in.

    ``store`` is of the partnership being served; its accounts are the only ones looked at.
    The sign-in is audited as ``login``, as a password sign-in is, and so is a refusal, with
    its reason (``outcome``) for whoever reads the log; the answer is the same whatever it is.

    Raises:
        AccessDenied: the same message whatever the reason.
    """
    name = claims.get(claim)
    if not isinstance(name, str) or not name:
        _refuse(store, "", f"no {claim} claim")
    # an opaque id says nothing to the admin who reads a refusal: log the name beside it
    seen = _known_as(claims) if claim in FIXED_IDS else {}
    if claim == "email" and claims.get("email_verified") not in (True, "true"):
        _refuse(store, name, "the email is not verified")  # an address not checked names nobody
    if not could_be_name(name):  # never looked up: see joinedup.access.could_be_name
        _refuse(store, name, "no such account", seen)
    acc = store.account_named(name)
    if acc is None:
        _refuse(store, name, "no such account", seen)
    if not acc["active"]:
        _refuse(store, name, "the account is disabled", seen)
    # the audit entry of the sign-in; the provider, not a password, vouched for it
    with store.transaction("login", f"account/{name}", via="openid-connect"):
        pass
    return acc


def _known_as(claims: Mapping[str, Any]) -> dict[str, str]:
    """What the provider calls the person, for an admin to tell whose subject was refused: a
    label only, which the person may be able to change, never what names the account."""
    for key in ("preferred_username", "email"):
        if isinstance(claims.get(key), str) and claims[key]:
            return {"known_as": name_in_log(claims[key])}
    return {}


def _refuse(store: Store, name: str, why: str, seen: Mapping[str, str] | None = None) -> NoReturn:
    store.audit_note("login", f"account/{name_in_log(name)}", via="openid-connect",
                     outcome=f"refused: {why}", **(seen or {}))
    raise AccessDenied(
        "your organisation's account has no account here",
        hint="ask an admin to add an account for you",
    )
