"""The web app over a store holding the processed demo, on SQLite and on PostgreSQL.

The demo is loaded once per store and module (processing it is the slow part); tests that
write pick their own alert or their own new reports, so they do not depend on each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from joinedup.cli.summary import load_demo
from joinedup.store import Store
from joinedup.web.app import create_app
from tests.conftest import pg_schema

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def demo_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'store.db'}"
        _load(url)
        yield url
        return
    with pg_schema("jw") as url:
        _load(url)
        yield url


def _load(url: str) -> None:
    store = Store.open(url)
    load_demo(store)
    store.engine.dispose()


@pytest.fixture(scope="module")
def client(demo_url: str) -> Iterator[TestClient]:
    app = create_app(demo_url)
    with TestClient(app, base_url="http://testserver") as c:
        yield c
    app.state.ctx.engine.dispose()


@pytest.fixture
def store(demo_url: str) -> Iterator[Store]:
    s = Store.open(demo_url)
    yield s
    s.engine.dispose()


def token(client: TestClient) -> str:
    """The form token this client's pages carry: it is bound to the client's session (or,
    signed out, to its pre-session cookie), so it is read from a page, as a browser would."""
    page = client.get("/login")
    assert page.status_code == 200, page.text
    return page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def concern(
    rid: str, agency: str, org: str, child: str, nickname: str, phone: str
) -> dict[str, Any]:
    """A report of one child and a man known by a nickname with a phone."""
    return {
        "id": rid,
        "source": {"agency": agency, "org": org, "reporter": f"worker at {org}"},
        "reported_at": "2009-03-02",
        "people": [
            {"ref": "c", "role": "child", "name": child, "age": 14, "sex": "female"},
            {"ref": "m", "role": "person_of_concern", "aliases": [nickname], "sex": "male",
             "phones": [phone]},
        ],
        "links": [{"from": "m", "to": "c", "type": "transported"}],
        "indicators": ["transported_by_unknown_adults", "associates_with_unknown_adults"],
        "narrative": f"{child} says a man called {nickname} drives her to parties.",
    }


# A known session key, for tests that sign a session cookie themselves (one of before a fix,
# or of an account that signs in by OpenID Connect) and serve it to the app of ``web``.
SECRET = "s" * 40


@pytest.fixture
def web(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The web app over the requesting module's own store (its ``url`` fixture), signing
    sessions with :data:`SECRET`."""
    monkeypatch.setenv("JOINEDUP_SECRET", SECRET)
    app = create_app(url)
    yield app
    app.state.ctx.engine.dispose()


def new_browser(app: Any) -> TestClient:
    """A browser of its own, with no cookies yet, on ``app``."""
    return TestClient(app, base_url="http://testserver")
