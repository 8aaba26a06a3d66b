"""The audit chain: any single edit, deletion or swap of entries is detected and named."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.audit import verify
from joinedup.store.gate import GENESIS, entry_hash

Row = dict[str, Any]
T0 = datetime(2026, 1, 1)


def chain(n: int) -> list[Row]:
    rows, prev = [], GENESIS
    for i in range(n):
        entry = {"partnership": "north", "at": T0 + timedelta(seconds=i), "actor": f"user{i % 3}",
                 "action": ("read", "write", "decide")[i % 3], "target": f"alert/A-{i}",
                 "detail": {"count": i}}
        digest = entry_hash(prev, entry)
        rows.append({"seq": i + 1, **entry, "prev_hash": prev, "hash": digest})
        prev = digest
    return rows


@given(st.integers(min_value=0, max_value=40))
def test_an_untouched_chain_is_whole(n: int) -> None:
    rows = chain(n)
    verdict = verify(rows, (n, rows[-1]["hash"]) if rows else None)
    assert verdict.ok and verdict.checked == n


EDITS = {
    "actor": lambda v: v + "x",
    "action": lambda v: "delete" if v != "delete" else "read",
    "target": lambda v: v + "/other",
    "detail": lambda v: {**v, "count": -1},
    "at": lambda v: v + timedelta(seconds=1),
    "partnership": lambda v: "south",
}


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=30), st.data())
def test_any_single_edit_is_found_at_its_entry(n: int, data: st.DataObject) -> None:
    rows = chain(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    field = data.draw(st.sampled_from(sorted(EDITS)))
    rows[i] = {**rows[i], field: EDITS[field](rows[i][field])}
    verdict = verify(rows)
    assert not verdict.ok and verdict.first_bad == i + 1 and "changed" in verdict.reason


@settings(max_examples=200)
@given(st.integers(min_value=2, max_value=30), st.data())
def test_any_single_deletion_is_found(n: int, data: st.DataObject) -> None:
    rows = chain(n)
    head = (n, rows[-1]["hash"])  # recorded elsewhere before the deletion
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    del rows[i]
    verdict = verify(rows, head)
    assert not verdict.ok
    if i < n - 1:  # a gap in the sequence, at the entry after the deleted one
        assert verdict.first_bad == i + 2 and "missing" in verdict.reason
    else:  # the newest: the chain is whole but no longer reaches the recorded head
        assert "deleted" in verdict.reason


@settings(max_examples=200)
@given(st.integers(min_value=2, max_value=30), st.data())
def test_any_swap_is_found(n: int, data: st.DataObject) -> None:
    rows = chain(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 2))
    j = data.draw(st.integers(min_value=i + 1, max_value=n - 1))
    rows[i], rows[j] = rows[j], rows[i]
    verdict = verify(rows)
    assert not verdict.ok and verdict.first_bad == j + 1


@settings(max_examples=100)
@given(st.integers(min_value=2, max_value=30), st.data())
def test_a_swap_that_renumbers_the_entries_is_still_found(n: int, data: st.DataObject) -> None:
    """Swapping two entries' contents but keeping the sequence numbers in place."""
    rows = chain(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 2))
    j = data.draw(st.integers(min_value=i + 1, max_value=n - 1))
    a, b = dict(rows[i]), dict(rows[j])
    rows[i], rows[j] = {**b, "seq": a["seq"]}, {**a, "seq": b["seq"]}
    verdict = verify(rows)
    assert not verdict.ok and verdict.first_bad == i + 1


def test_who_saw_answers_for_the_asking_partnership_only() -> None:
    """One chain holds every partnership's entries, and two partnerships may name a record
    alike (both imported one public dataset): the other's readers are not shown."""
    from joinedup.audit import who_saw

    rows = [{"seq": i, "at": None, "actor": actor, "action": "read", "target": target,
             "detail": {}, "partnership": p}
            for i, (actor, target, p) in enumerate([
                ("dsl.south", "report/ecd/R-1", "default"),
                ("north.chair", "report/ecd/R-1", "north"),
                ("dsl.south", "report/ecd/R-2", "default")])]
    assert [r["actor"] for r in who_saw(rows, {"report/ecd/R-1"}, "north")] == ["north.chair"]
    assert [r["seq"] for r in who_saw(rows, {"report/ecd/R-1"}, "default")] == [0]
