"""Search across narratives, names and aliases (SQLite FTS5 / PostgreSQL full text)."""

from __future__ import annotations

from pathlib import Path

from joinedup.ingest.importer import import_file, submit_report
from joinedup.store import Store

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"


def _report(rid: str, alias: str, narrative: str) -> dict[str, object]:
    return {
        "id": rid,
        "source": {"agency": "police", "org": "test-police"},
        "reported_at": "2008-03-01",
        "people": [
            {"ref": "c", "role": "child", "name": "Amy Test"},
            {"ref": "m", "role": "person_of_concern", "aliases": [alias]},
        ],
        "narrative": narrative,
    }


def test_search_finds_aliases_names_and_narrative_words(store: Store) -> None:
    submit_report(store, _report("R1", "Tiger", "Seen at the bus station."), "test")
    submit_report(store, _report("R2", "Master", "Collected from the care home by taxi."), "test")
    assert store.search(["tiger"]) == []  # not indexed yet
    assert store.catch_up_search() == 2
    assert [r["report_id"] for r in store.search(["tiger"])] == ["R1"]
    assert [r["report_id"] for r in store.search(["taxi"])] == ["R2"]
    assert {r["report_id"] for r in store.search(["amy"])} == {"R1", "R2"}
    assert [r["report_id"] for r in store.search(["amy", "mast"])] == ["R2"]  # prefix, all words
    assert store.search(["nobody"]) == []


def test_each_report_a_search_shows_is_audited_as_read(store: Store) -> None:
    """A hit shows part of a narrative and whom the report names: asking who saw a report
    must find the search that showed it (the log keeps how many words were searched for, not
    which: admins read it, and the words are names)."""
    from joinedup.audit import who_saw

    submit_report(store, _report("R1", "Tiger", "Seen at the bus station."), "test")
    submit_report(store, _report("R2", "Master", "Collected by taxi."), "test")
    store.catch_up_search()
    assert [r["report_id"] for r in store.search(["tiger"])] == ["R1"]
    log = store.audit_rows()
    (searched,) = [r for r in log if r["target"] == "search"]
    assert searched["detail"]["words"] == 1
    seen = who_saw(log, {"report/test-police/R1"}, store.partnership)
    assert [r["detail"].get("via") for r in seen if r["action"] == "read"] == ["search"]
    assert not [r for r in who_saw(log, {"report/test-police/R2"}, store.partnership)
                if r["action"] == "read"]


def test_search_shows_only_the_current_version_of_a_report(store: Store) -> None:
    submit_report(store, _report("R1", "Tiger", "first account"), "test")
    submit_report(store, _report("R1", "Tiger", "corrected account"), "test")
    store.catch_up_search()
    assert store.search(["first"]) == []
    assert [r["report_id"] for r in store.search(["corrected"])] == ["R1"]


def test_hostile_search_text_is_only_ever_words(store: Store) -> None:
    submit_report(store, _report("R1", "Tiger", "x"), "test")
    store.catch_up_search()
    for words in (['"', "*"], ["tiger OR 1=1"], ["'); DROP TABLE report; --"], ["NEAR(a b)"]):
        store.search(words)  # neither an error nor an injection
    assert store.counts()["reports"] == 1


def test_the_index_catches_up_in_chunks_and_once(store: Store) -> None:
    import_file(store, DEMO)
    total = store.counts()["reports"]
    assert store.search_backlog() == total
    assert store.catch_up_search(most=10, chunk=4) == 10  # a part, in transactions of 4
    assert store.search_backlog() == total - 10
    assert store.catch_up_search(chunk=7) == total - 10
    assert store.search_backlog() == 0 and store.catch_up_search() == 0


def test_a_search_after_a_large_import_answers_at_once_and_says_what_is_not_indexed(
    store: Store,
) -> None:
    from joinedup.web.views import search

    import_file(store, DEMO)
    store.catch_up_search(most=5)
    later: list[int] = []

    def catch_up(s: Store, backlog: int) -> int:  # as the web app does for a large backlog
        later.append(backlog)
        return backlog

    found = search(store, "sonny", catch_up)
    assert found["not_yet_indexed"] == store.counts()["reports"] - 5 == later[0]
    everything = search(store, "sonny")  # without a catch-up function: indexed first
    assert everything["not_yet_indexed"] == 0 and everything["results"]
