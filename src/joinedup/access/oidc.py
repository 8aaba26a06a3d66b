"""Signing in on the word of the organisation's identity provider (OpenID Connect).

The provider says who someone is; joinedup decides whether they may sign in. Only an account
an admin made beforehand, of the partnership being served, and active, signs in; no account is
ever made from a provider's word. An unknown name, a disabled account, an account of another
partnership and an unverified email get one answer, so that sign-in does not tell who has an
account. The web flow that checks the provider's ID token is :mod:`joinedup.web.oidc`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from joinedup.errors import AccessDenied
from joinedup.store import Store

Row = dict[str, Any]
CLAIMS = ("preferred_username", "email")  # the ID token claims that may name an account


def account_for_claims(store: Store, claims: Mapping[str, Any], claim: str) -> Row:
    """The account that the verified ID token ``claims`` name by ``claim``, if it may sign in.

    ``store`` is of the partnership being served; its accounts are the only ones looked at.
    The sign-in is audited as ``login``, as a password sign-in is.

    Raises:
        AccessDenied: the same message whatever the reason.
    """
    refused = AccessDenied(
        "your organisation's account has no account here",
        hint="ask an admin to add an account of your name",
    )
    name = claims.get(claim)
    if not isinstance(name, str) or not name:
        raise refused
    if claim == "email" and claims.get("email_verified") not in (True, "true"):
        raise refused  # an address the provider has not checked names nobody
    acc = store.account_named(name)
    if acc is None or not acc["active"]:
        raise refused
    # the audit entry of the sign-in; the provider, not a password, vouched for it
    with store.transaction("login", f"account/{name}", via="openid-connect"):
        pass
    return acc
