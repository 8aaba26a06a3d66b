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
