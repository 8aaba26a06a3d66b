"""Every read and write of the store leaves a hash-chained audit entry."""

from __future__ import annotations

from joinedup.store import Store
from joinedup.store.gate import GENESIS, entry_hash


def test_reads_and_writes_are_audited_in_a_hash_chain(store: Store) -> None:
    store.alerts()
    store.entities("person")
    rows = store.audit_rows()
    actions = [r["action"] for r in rows]
    assert "read" in actions and "ensure" in actions
    prev = GENESIS
    for r in rows:
        assert r["prev_hash"] == prev
        entry = {k: r[k] for k in ("partnership", "at", "actor", "action", "target", "detail")}
        assert r["hash"] == entry_hash(prev, entry)
        prev = r["hash"]


def _chain_holds(rows: list[dict]) -> bool:
    prev = GENESIS
    for r in rows:
        entry = {k: r[k] for k in ("partnership", "at", "actor", "action", "target", "detail")}
        if r["prev_hash"] != prev or r["hash"] != entry_hash(prev, entry):
            return False
        prev = r["hash"]
    return True


def test_a_unit_of_work_audits_every_call_and_keeps_the_chain(store: Store) -> None:
    before = len(store.audit_rows())
    with store.unit_of_work():
        store.alerts()
        store.entities("person")
        store.ensure_partnership("north", "North")
    rows = store.audit_rows()
    assert [r["action"] for r in rows[before:]] == ["read", "read", "ensure"]
    assert rows[-1]["target"] == "partnership/north"
    assert _chain_holds(rows)


def test_a_failed_unit_of_work_leaves_nothing_behind(store: Store) -> None:
    before = len(store.audit_rows())
    try:
        with store.unit_of_work():
            store.ensure_partnership("south", "South")
            raise RuntimeError("processing failed half way")
    except RuntimeError:
        pass
    assert len(store.audit_rows()) == before
    with store.unit_of_work():
        store.ensure_partnership("south", "South")  # not there yet: created now
    assert len(store.audit_rows()) == before + 1 and _chain_holds(store.audit_rows())
