"""Which ID token claim names the account (``JOINEDUP_OIDC_CLAIM``): the immutable ``sub`` and
``oid`` beside ``preferred_username`` (still the default) and ``email``.

A ``preferred_username`` or an ``email`` can be changed, or handed to someone else once its
owner leaves; whoever then holds it signs in as its account. ``sub`` and ``oid`` are the
provider's own id for the person and are never reassigned, so an account named after one
cannot be taken over that way. Before, only the first two could be chosen.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from joinedup.access import create_account
from joinedup.access.oidc import account_for_claims
from joinedup.errors import AccessDenied, InputError
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.web import oidc
from joinedup.web.app import create_app
from tests.web.test_oidc import ENV, FakeProvider, _session, _sign_in

# fictional ids, shaped as Entra ID gives them: a pairwise sub and a GUID oid
SUB = "Kq3vN8xY2mR7tL1wP9sD4fH6jB0cZ5aE_x-7Qw"
OID = "5f0c2e6a-1d4b-4c8e-9a7b-2e3f4a5b6c7d"
# one ID token naming four different accounts, one by each claim
TOKEN = {"sub": SUB, "oid": OID, "preferred_username": "dsl.okafor",
         "email": "r.okafor@council.example", "email_verified": True}
ACCOUNT_BY_CLAIM = {"sub": SUB, "oid": OID, "preferred_username": "dsl.okafor",
                    "email": "r.okafor@council.example"}


@pytest.fixture
def fresh(store_url: str) -> Iterator[Store]:
    """An empty store on each backend, with an account for each claim's value."""
    s = Store.open(store_url)
    for i, name in enumerate(ACCOUNT_BY_CLAIM.values()):
        create_account(s, name, ("panel", "analyst")[i % 2], None)
    yield s
    s.engine.dispose()


def _last_audit(store: Store) -> Any:
    with store.engine.connect() as c:
        return c.execute(select(t.audit).order_by(t.audit.c.seq.desc()).limit(1)).one()


# -- the setting ---------------------------------------------------------------------------

@pytest.mark.parametrize("claim", ["sub", "oid", "preferred_username", "email"])
def test_each_claim_may_be_chosen(claim: str) -> None:
    settings = oidc.OidcSettings.from_env({**ENV, "JOINEDUP_OIDC_CLAIM": claim})
    assert settings is not None and settings.claim == claim


def test_the_default_is_still_preferred_username() -> None:
    settings = oidc.OidcSettings.from_env(ENV)
    assert settings is not None and settings.claim == "preferred_username"


@pytest.mark.parametrize("claim", ["upn", "SUB", "name", "unique_name", "sub,oid"])
def test_an_unknown_claim_is_refused_at_start_up(
    claim: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claims are named exactly as the token names them: "SUB" is no claim."""
    for name, value in {**ENV, "JOINEDUP_OIDC_CLAIM": claim}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(InputError) as refused:
        create_app(f"sqlite:///{tmp_path / 'store.db'}")
    assert refused.value.message.startswith(f"JOINEDUP_OIDC_CLAIM cannot be {claim!r}")
    assert "sub, oid" in refused.value.hint


def test_a_known_claim_starts_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**ENV, "JOINEDUP_OIDC_CLAIM": " oid "}.items():
        monkeypatch.setenv(name, value)
    app = create_app(f"sqlite:///{tmp_path / 'store.db'}")
    assert app.state.oidc.settings.claim == "oid"
    app.state.ctx.engine.dispose()


# -- the claim finds the account -----------------------------------------------------------

@pytest.mark.parametrize("claim", ["sub", "oid", "preferred_username", "email"])
def test_each_claim_finds_the_account_named_by_its_value(fresh: Store, claim: str) -> None:
    acc = account_for_claims(fresh, TOKEN, claim)
    assert acc["name"] == ACCOUNT_BY_CLAIM[claim]
    last = _last_audit(fresh)
    assert (last.action, last.target) == ("login", f"account/{ACCOUNT_BY_CLAIM[claim]}")
    assert last.detail == {"via": "openid-connect"}


@pytest.mark.parametrize("claim", ["sub", "oid"])
def test_a_reassigned_username_does_not_sign_in_when_the_claim_is_fixed(
    fresh: Store, claim: str
) -> None:
    """Someone new given dsl.okafor's old username (or address) has another sub and oid."""
    successor = {**TOKEN, "sub": "Zz9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF", "oid":
                 "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}
    with pytest.raises(AccessDenied) as refused:
        account_for_claims(fresh, successor, claim)
    assert refused.value.message == "your organisation's account has no account here"
    last = _last_audit(fresh)
    assert (last.action, last.target) == ("login", f"account/{successor[claim]}")
    # the opaque id alone would not tell the admin who was refused
    assert last.detail == {"via": "openid-connect", "outcome": "refused: no such account",
                           "known_as": "dsl.okafor"}


def test_the_fixed_claim_is_matched_exactly(fresh: Store) -> None:
    with pytest.raises(AccessDenied):
        account_for_claims(fresh, {**TOKEN, "sub": SUB.lower()}, "sub")
    with pytest.raises(AccessDenied):
        account_for_claims(fresh, {**TOKEN, "oid": OID.upper()}, "oid")


@pytest.mark.parametrize("value", [None, "", 12345, ["a"]])
def test_a_missing_or_non_text_fixed_claim_is_refused_and_audited(
    fresh: Store, value: Any
) -> None:
    claims = {**TOKEN, "oid": value}
    with pytest.raises(AccessDenied):
        account_for_claims(fresh, claims, "oid")
    last = _last_audit(fresh)
    assert (last.target, last.detail["outcome"]) == ("account/", "refused: no oid claim")


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_email_not_verified_is_refused_and_audited(fresh: Store, verified: Any) -> None:
    claims = {**TOKEN, "email_verified": verified}
    if verified is None:
        del claims["email_verified"]  # not said to be verified: not taken as verified
    with pytest.raises(AccessDenied) as refused:
        account_for_claims(fresh, claims, "email")
    assert refused.value.message == "your organisation's account has no account here"
    last = _last_audit(fresh)
    assert (last.action, last.target) == ("login", "account/r.okafor@council.example")
    assert last.detail == {"via": "openid-connect",
                           "outcome": "refused: the email is not verified"}


def test_email_verified_matters_only_when_the_claim_is_email(fresh: Store) -> None:
    claims = {**TOKEN, "email_verified": False}
    assert account_for_claims(fresh, claims, "sub")["name"] == SUB


# -- the whole flow, against the provider in process ---------------------------------------

@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store.open(url)
    create_account(store, "dsl.okafor", "panel", None)
    create_account(store, SUB, "panel", None)
    store.engine.dispose()
    return url


@pytest.fixture
def idp() -> FakeProvider:
    return FakeProvider()


@contextmanager
def _browser(url: str, idp: FakeProvider, claim: str) -> Iterator[TestClient]:
    """A browser at an app whose ID tokens name accounts by ``claim``."""
    app = create_app(url)
    oidc.configure(app, {**ENV, "JOINEDUP_OIDC_CLAIM": claim}, transport=idp.transport)
    try:
        with TestClient(app, base_url="http://testserver") as client:
            yield client
    finally:
        app.state.ctx.engine.dispose()


def test_signing_in_by_sub_names_the_account_after_the_subject(
    url: str, idp: FakeProvider
) -> None:
    with _browser(url, idp, "sub") as client:
        done = _sign_in(client, idp, sub=SUB, preferred_username="someone.else")
        assert done.status_code == 200, done.text
        assert _session(client)["account"] == SUB


def test_by_sub_a_username_naming_an_account_does_not_sign_in(
    url: str, idp: FakeProvider
) -> None:
    """The takeover path: the username is an account's name, the person is someone else."""
    with _browser(url, idp, "sub") as client:
        done = _sign_in(client, idp, sub="another-person", preferred_username="dsl.okafor")
        assert done.status_code == 401
        assert "joinedup_session" not in client.cookies
