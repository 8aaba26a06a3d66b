"""Migration 0016: a decision keeps the evidence it rested on (``decision.evidence``). A store of
0015 holding decisions migrates on both stores with each decision given its alert's evidence as
it stands then (the evidence at the time was not kept: the nearest record there is); decisions
recorded from then on keep the alert's evidence of their moment; a retention deletion refuses a
report a decision's evidence names; migrating down drops the column.

Failed before the migration: the store stopped at 0015, and a report that dropped out of an
alert's evidence after the panel decided on it was deletable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, update

from joinedup.errors import InputError
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.store.store import migrate

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _columns(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns("decision")}


@pytest.fixture
def demo(store: Store) -> Store:
    import_file(store, DEMO)
    process(store)
    return store


def test_a_store_of_0015_gives_its_decisions_their_alerts_evidence(demo: Store) -> None:
    alerts = demo.alerts("open")[:2]
    migrate(demo.engine, "0015", downgrade=True)
    assert _revision(demo) == "0015" and "evidence" not in _columns(demo)
    d = t.decision
    with demo.engine.begin() as conn:  # decisions as the code of 0015 wrote them
        for a in alerts:
            conn.execute(d.insert().values(
                partnership=demo.partnership, alert=a["id"], action="strategy_meeting",
                closes=False, owner="Panel", due=(T0 + timedelta(days=3)).date(),
                rationale="Meeting called.", decided_by="local", decided_at=T0))
    migrate(demo.engine)
    assert _revision(demo) == "0016"
    held = {x["alert"]: x["evidence"] for x in demo.decisions()}
    assert held == {a["id"]: sorted({*a["evidence"], a["raised_by"]}) for a in alerts}


def test_a_report_a_migrated_decision_names_is_kept_when_the_alert_drops_it(
    demo: Store,
) -> None:
    alert = demo.alerts("open")[0]
    migrate(demo.engine, "0015", downgrade=True)
    with demo.engine.begin() as conn:
        conn.execute(t.decision.insert().values(
            partnership=demo.partnership, alert=alert["id"], action="close", closes=True,
            owner="Panel", rationale="Duplicate of a strategy meeting held.",
            decided_by="local", decided_at=T0))
    migrate(demo.engine)
    raisers = {a["raised_by"] for a in demo.alerts()}
    dropped = next(pk for pk in alert["evidence"] if pk not in raisers)
    with demo.engine.begin() as conn:  # every alert stops citing anything
        conn.execute(update(t.alert).values(evidence=[]))
        org, rid = conn.execute(select(t.report.c.org, t.report.c.report_id)
                                .where(t.report.c.pk == dropped)).one()
    with pytest.raises(InputError, match=f"is evidence for {alert['id']}"):
        demo.delete_report(org, rid, "retention review",
                           cutoff=datetime.now(UTC) + timedelta(days=1))


def test_migrating_down_drops_the_column(demo: Store) -> None:
    migrate(demo.engine, "0015", downgrade=True)
    assert "evidence" not in _columns(demo)
    migrate(demo.engine)
    assert "evidence" in _columns(demo)
