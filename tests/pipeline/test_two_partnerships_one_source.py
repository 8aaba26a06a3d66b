"""Two partnerships of one database may hold one source's reports (both imported the same
public dataset): each joins them up into incidents and alerts of its own. Incident ids were
made from the reports' names alone, so the second partnership's run failed on the first's."""

from __future__ import annotations

from pathlib import Path

import joinedup.demo
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process_incidents
from joinedup.store import Store
from joinedup.store.gate import Actor

REPORTS = Path(joinedup.demo.__file__).parent / "conflict.jsonl"


def test_two_partnerships_join_up_one_sources_reports_each(store: Store) -> None:
    north = Store(store.engine, Actor.local("north"))
    north.ensure_partnership("north", "north")
    found = []
    for each in (store, north):
        assert import_file(each, REPORTS).accepted
        summary = process_incidents(each)
        assert summary.incidents and summary.alerts
        found.append({i["id"] for i in each.incidents()})
    assert len(found[0]) == len(found[1]) and found[0].isdisjoint(found[1])
    assert {a["id"] for a in store.alerts("open")}.isdisjoint(
        {a["id"] for a in north.alerts("open")})
