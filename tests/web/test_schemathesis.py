"""The API against its own OpenAPI document (schemathesis): generated requests to every
operation, valid and invalid, must never get a server error or a response that breaks the
document. Bounded: a few dozen examples an operation, on the demo store (SQLite, with the
conflict demo's reports and incidents beside the safeguarding demo's), as the local
account of an embedded store and as a signed-in reporter."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from joinedup.access import create_account
from joinedup.cli.summary import load_demo
from joinedup.store import Store
from joinedup.web.app import create_app
from tests.web.conflict_world import load_conflict
from tests.web.conftest import token


def _demo_app(reporter: bool = False) -> Any:
    """The app on the processed demo, built when the module is collected: schemathesis reads
    the document then, to make one test per operation. With ``reporter``, the store has
    accounts, and the requests come from a reporter's signed-in session."""
    folder = tempfile.mkdtemp(prefix="joinedup-schema-")
    atexit.register(shutil.rmtree, folder, True)  # built at collection: no fixture to clean
    url = f"sqlite:///{Path(folder) / 'store.db'}"
    store = Store.open(url)
    load_demo(store)
    load_conflict(store)  # the conflict profile's reports and incidents beside the demo's
    if reporter:
        create_account(store, "schema.reporter", "reporter", PASSWORD, agency="vale-police")
    store.engine.dispose()
    return create_app(url)


def _session(app: Any) -> str:
    """The session cookie of the reporter, signed in through the sign-in page."""
    with TestClient(app, base_url="http://testserver") as client:
        r = client.post("/login", data={"csrf": token(client),
                                        "name": "schema.reporter", "password": PASSWORD},
                        follow_redirects=False)
        assert r.status_code == 303, r.text
        return f"joinedup_session={client.cookies['joinedup_session']}"


PASSWORD = "correct horse battery"
APP = _demo_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
REPORTER_APP = _demo_app(reporter=True)
REPORTER_COOKIE = _session(REPORTER_APP)
reporter_schema = schemathesis.openapi.from_asgi("/openapi.json", REPORTER_APP)


@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_operation_fails_on_any_input(case: Any) -> None:
    """Every check but one: a request the document allows may still be refused with the
    documented 422 when a rule of the profile forbids it (an unknown action, a blank owner, a
    child's consent), which the schema cannot say."""
    case.call_and_validate(
        headers={"Content-Type": "application/json"} if case.method == "POST" else None,
        excluded_checks=[positive_data_acceptance],
    )


@reporter_schema.parametrize()
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_operation_fails_for_a_reporter(case: Any) -> None:
    """The same, signed in as a reporter: refusals (403) are documented and in the error
    shape, never a server error."""
    headers = {"Cookie": REPORTER_COOKIE}
    if case.method == "POST":
        headers["Content-Type"] = "application/json"
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])


def test_the_document_describes_every_operation() -> None:
    operations = {f"{op.method.upper()} {op.path}" for op in
                  (r.ok() for r in schema.get_all_operations())}
    assert "POST /api/alerts/{alert_id}/decisions" in operations
    assert "GET /api/search" in operations
    assert {"GET /api/incidents", "GET /api/incidents/{incident_id}", "GET /api/stats"} \
        <= operations
