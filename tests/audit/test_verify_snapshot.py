"""`joinedup audit verify` reads the decisions and the log as of one moment: a decision
recorded while it reads is not reported as deleted. On both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from typer.testing import CliRunner

from joinedup.cli.app import app
from joinedup.decide import record_decision
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store, make_engine

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
SOON = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()  # within every cap
runner = CliRunner()


@pytest.fixture
def alert(store: Store) -> str:
    import_file(store, DEMO)
    process(store)
    return str(store.alerts("open")[0]["id"])


@pytest.fixture
def decided_while_the_log_is_read(store_url: str, alert: str) -> Iterator[list[int]]:
    """Just before anyone reads the whole log (``... FROM audit ORDER BY audit.seq``, not the
    newest entry a writer reads), another connection records a decision and commits: what a
    panel member deciding while an admin runs `audit verify` does. Yields the decisions'
    keys, once one is recorded."""
    panel = Store(make_engine(store_url), Store.open(store_url).actor)
    made: list[int] = []

    def decide(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if made or "FROM audit ORDER BY audit.seq" not in statement or "DESC" in statement:
            return
        made.append(0)  # before the decision's own statements come through here
        made[0] = record_decision(panel, alert, action="strategy_meeting", owner="DS Khan",
                                  due=SOON, rationale="Meeting called.")["pk"]

    event.listen(Engine, "before_cursor_execute", decide)
    try:
        yield made
    finally:
        event.remove(Engine, "before_cursor_execute", decide)
        panel.engine.dispose()


def test_a_decision_recorded_while_verify_reads_is_not_reported_deleted(
    store_url: str, decided_while_the_log_is_read: list[int]
) -> None:
    res = runner.invoke(app, ["audit", "verify", "--db", store_url])
    assert decided_while_the_log_is_read, "no decision was recorded during the check"
    assert res.exit_code == 0, res.output
    assert "the decisions match it: 0 checked" in res.output  # as of before the decision
    again = runner.invoke(app, ["audit", "verify", "--db", store_url])
    assert again.exit_code == 0 and "the decisions match it: 1 checked" in again.output


def test_verify_still_reads_the_decisions_as_the_system(store_url: str, alert: str) -> None:
    record_decision(Store.open(store_url), alert, action="close", owner="Panel chair",
                    rationale="Duplicate of the strategy meeting already held.")
    res = runner.invoke(app, ["audit", "verify", "--db", store_url])
    assert res.exit_code == 0 and "the decisions match it: 1 checked" in res.output
    rows = [r for r in Store.open(store_url).audit_rows()
            if (r["action"], r["target"]) in (("read", "decisions"), ("verify", "audit"))]
    read, noted = rows[-2:]  # the read of the decisions, then the check itself
    assert (read["action"], read["target"], read["actor"]) == ("read", "decisions", "local")
    assert (noted["action"], noted["target"]) == ("verify", "audit")
    assert noted["detail"]["decisions_ok"] is True
