"""Signing in on the word of the organisation's identity provider (OpenID Connect).

The provider says who someone is; joinedup decides whether they may sign in. Only an account
an admin made beforehand, of the partnership being served, and active, signs in; no account is
ever made from a provider's word. An unknown name, a disabled account, an account of another
partnership and an unverified email get one answer, so that sign-in does not tell who has an
account. The web flow that checks the provider's ID token is :mod:`joinedup.web.oidc`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from joinedup.access import could_be_name, name_in_log
from joinedup.errors import AccessDenied
from joinedup.store import Store

Row = dict[str, Any]
CLAIMS = ("preferred_username", "email")  # the ID token claims that may name an account


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
    if claim == "email" and claims.get("email_verified") not in (True, "true"):
        _refuse(store, name, "the email is not verified")  # an address not checked names nobody
    if not could_be_name(name):  # never looked up: see joinedup.access.could_be_name
        _refuse(store, name, "no such account")
    acc = store.account_named(name)
    if acc is None:
        _refuse(store, name, "no such account")
    if not acc["active"]:
        _refuse(store, name, "the account is disabled")
    # the audit entry of the sign-in; the provider, not a password, vouched for it
    with store.transaction("login", f"account/{name}", via="openid-connect"):
        pass
    return acc


def _refuse(store: Store, name: str, why: str) -> NoReturn:
    store.audit_note("login", f"account/{name_in_log(name)}", via="openid-connect",
                     outcome=f"refused: {why}")
    raise AccessDenied(
        "your organisation's account has no account here",
        hint="ask an admin to add an account of your name",
    )
