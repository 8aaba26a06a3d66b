"""Two stores appending to the audit log at once: the chain stays one chain, never forks."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import joinedup.store.store as store_module
from joinedup.audit import verify
from joinedup.store import Store


def test_a_second_writer_between_reading_the_head_and_appending_waits(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Store A has read the newest entry's hash and is about to append after it; store B
    (another connection to the same store) appends in that gap. B must wait for A's commit and
    then follow A's entry, not append after the same head (two entries with one prev_hash: a
    fork that `audit verify` reports as tampering). A's hold is 0.5 s, well inside SQLite's
    5 s busy timeout, so B waits rather than fails."""
    other = Store(store.engine, store.actor)
    real = store_module.entry_hash
    started: list[threading.Thread] = []
    failed: list[BaseException] = []

    def second_writer() -> None:
        try:
            other.alerts()  # any audited call appends an entry
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failed.append(exc)

    def hooked(prev: str, entry: dict[str, Any]) -> str:
        if not started:  # A's first entry: A has just read the head
            thread = threading.Thread(target=second_writer)
            started.append(thread)
            thread.start()
            time.sleep(0.5)
        return real(prev, entry)

    monkeypatch.setattr(store_module, "entry_hash", hooked)
    store.alerts()
    started[0].join(timeout=20)
    assert not started[0].is_alive()
    assert not failed, failed
    monkeypatch.setattr(store_module, "entry_hash", real)

    rows = store.audit_rows()
    verdict = verify(rows)
    assert verdict.ok, verdict.reason
    assert verdict.checked == len(rows)
    prevs = [r["prev_hash"] for r in rows]
    assert len(set(prevs)) == len(prevs)
    # both entries of the race are there, B's after A's
    assert [r["action"] for r in rows[-2:]] == ["read", "read"]
