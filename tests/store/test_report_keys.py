"""Reports looked up by (org, id), many at once: the import's index of what it already holds
and the copies of records resolution reads (``Store.report_index``, ``Store.derived_sources``).
SQLite is asked an organisation at a time (pairs made it scan the table), PostgreSQL pairs in
chunks; both must find every key, past one chunk of an organisation too."""

from __future__ import annotations

from pathlib import Path

from joinedup.ingest.importer import import_file
from joinedup.store import Store
from tests.factories import child, report, write_jsonl

BIG = 1_100  # one organisation's reports: more than two chunks of 500


def _reports() -> list[dict]:
    out = [report(f"n{i}", org="North Police", people=[child()]) for i in range(BIG)]
    out += [report(f"c{i}", org="Clinic", agency="health", people=[child()]) for i in range(30)]
    # copies: of the same organisation by bare id, of another by org/id, and of nothing stored
    out += [report(f"copy{i}", org="Council", agency="social_care", people=[child()],
                   derived_from=[f"North Police/n{i}", f"Clinic/c{i % 30}"])
            for i in range(0, BIG, 2)]
    out += [report(f"n-copy{i}", org="North Police", people=[child()], derived_from=[f"n{i}"])
            for i in range(600)]
    out.append(report("orphan", org="Council", agency="social_care", people=[child()],
                      derived_from=["Nowhere/x1"]))
    return out


def test_every_copy_finds_the_current_reports_it_repeats(store: Store, tmp_path: Path) -> None:
    reports = _reports()
    import_file(store, write_jsonl(tmp_path / "a.jsonl", reports))
    # a correction makes a second version of n1: the copy must point at the current one
    import_file(store, write_jsonl(tmp_path / "b.jsonl", [
        report("n1", org="North Police", people=[child(name="Beth")])]))
    pk = {(r["org"], r["report_id"]): r["pk"] for r in store.current_reports()}
    found = store.derived_sources()
    want = {pk[("Council", f"copy{i}")]: sorted([pk[("North Police", f"n{i}")],
                                                   pk[("Clinic", f"c{i % 30}")]])
            for i in range(0, BIG, 2)}
    want |= {pk[("North Police", f"n-copy{i}")]: [pk[("North Police", f"n{i}")]]
             for i in range(600)}
    assert {k: sorted(v) for k, v in found.items()} == want  # the orphan repeats nothing stored
    only = [pk[("Council", "copy0")], pk[("Council", "orphan")]]
    assert store.derived_sources(only) == {only[0]: want[only[0]]}


def test_the_import_index_holds_every_key_and_every_version(store: Store, tmp_path: Path
                                                            ) -> None:
    import_file(store, write_jsonl(tmp_path / "a.jsonl", _reports()))
    import_file(store, write_jsonl(tmp_path / "b.jsonl", [
        report("n7", org="North Police", people=[child(name="Beth")])]))
    keys = [("North Police", f"n{i}") for i in range(BIG)] + [("Clinic", "c3"), ("Gone", "x")]
    index = store.report_index(keys)
    assert set(index) == set(keys) - {("Gone", "x")}
    pk = {(r["org"], r["report_id"]): r["pk"] for r in store.current_reports()}
    assert all(index[k][0] == pk[k] for k in index)
    assert index[("North Police", "n7")][1] == 2 and len(index[("North Police", "n7")][2]) == 2
    assert index[("North Police", "n8")][1] == 1 and len(index[("North Police", "n8")][2]) == 1
