"""The API against its own OpenAPI document (schemathesis): generated requests to every
operation, valid and invalid, must never get a server error or a response that breaks the
document. Bounded: a few dozen examples an operation, on the demo store (SQLite)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from joinedup.cli.summary import load_demo
from joinedup.store import Store
from joinedup.web.app import create_app


def _demo_app() -> Any:
    """The app on the processed demo, built when the module is collected: schemathesis reads
    the document then, to make one test per operation."""
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='joinedup-schema-')) / 'store.db'}"
    store = Store.open(url)
    load_demo(store)
    store.engine.dispose()
    return create_app(url)


APP = _demo_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


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


def test_the_document_describes_every_operation() -> None:
    operations = {f"{op.method.upper()} {op.path}" for op in
                  (r.ok() for r in schema.get_all_operations())}
    assert "POST /api/alerts/{alert_id}/decisions" in operations
    assert "GET /api/search" in operations
