"""The bulk tables hold no foreign keys (tables.BULK): the store's own writes must leave no row
whose report or mention is missing, and Store.orphans must find one that is."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, text

from joinedup.generate import generate_scenario, write_scenario
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.store import tables as t
from tests.conftest import PG_BASE
from tests.factories import child, report, write_jsonl


def test_imports_and_runs_leave_no_orphan_rows(store: Store, tmp_path: Path) -> None:
    scenario = generate_scenario(seed=4, reports=300)
    write_scenario(scenario, tmp_path / "r.jsonl", tmp_path / "t.json")
    import_file(store, tmp_path / "r.jsonl")
    process(store)
    import_file(store, tmp_path / "r.jsonl")  # a re-import changes nothing
    assert store.orphans() == {}
    with store.engine.begin() as conn:
        link = conn.execute(select(t.link).limit(1)).mappings().one()
        mention = conn.execute(select(t.mention).limit(1)).mappings().one()
        top = conn.execute(select(t.mention.c.pk).order_by(t.mention.c.pk.desc())).first()
        assert top is not None
        conn.execute(insert(t.link).values(
            {**{k: v for k, v in link.items() if k != "pk"}, "dst": top[0] + 1000}))
        # a mention filed under another partnership's report
        conn.execute(insert(t.partnership).values(id="elsewhere", name="Elsewhere"))
        conn.execute(insert(t.mention).values(
            {**{k: v for k, v in mention.items() if k != "pk"}, "partnership": "elsewhere"}))
    assert store.orphans() == {"link.dst": 1}
    other = Store(store.engine, replace(store.actor, partnership="elsewhere"))
    assert other.orphans() == {"mention.report": 1}


@pytest.mark.postgres
def test_refreshing_statistics_reads_only_the_stores_own_tables(tmp_path: Path) -> None:
    """PostgreSQL: a bare ANALYZE reads every table of the database; a store shares its
    database with other schemas (another partnership's store, another application)."""
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    mine, theirs = (f"jt_{uuid.uuid4().hex[:12]}" for _ in range(2))
    with admin.connect() as conn:
        for schema in (mine, theirs):
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.execute(text(f'CREATE TABLE "{theirs}".big AS SELECT g FROM generate_series(1, 10) g'))
    try:
        store = Store.open(f"{PG_BASE}?options=-csearch_path%3D{mine}")
        import_file(store, write_jsonl(tmp_path / "r.jsonl", [report("a", people=[child()])]))
        process(store)  # ends by refreshing statistics
        store.engine.dispose()
        with admin.connect() as conn:
            analysed = dict(conn.execute(text(
                "SELECT schemaname, count(*) FILTER (WHERE last_analyze IS NOT NULL)"
                " FROM pg_stat_user_tables WHERE schemaname IN (:a, :b) GROUP BY schemaname"
            ), {"a": mine, "b": theirs}).all())
        assert analysed[theirs] == 0 and analysed[mine] > 0
    finally:
        with admin.connect() as conn:
            for schema in (mine, theirs):
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
