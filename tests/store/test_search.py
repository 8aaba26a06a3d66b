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
    assert [r["report_id"] for r in store.search(["tiger"])] == ["R1"]
    assert [r["report_id"] for r in store.search(["taxi"])] == ["R2"]
    assert {r["report_id"] for r in store.search(["amy"])} == {"R1", "R2"}
    assert [r["report_id"] for r in store.search(["amy", "mast"])] == ["R2"]  # prefix, all words
    assert store.search(["nobody"]) == []


def test_search_shows_only_the_current_version_of_a_report(store: Store) -> None:
    submit_report(store, _report("R1", "Tiger", "first account"), "test")
    submit_report(store, _report("R1", "Tiger", "corrected account"), "test")
    assert store.search(["first"]) == []
    assert [r["report_id"] for r in store.search(["corrected"])] == ["R1"]


def test_hostile_search_text_is_only_ever_words(store: Store) -> None:
    submit_report(store, _report("R1", "Tiger", "x"), "test")
    for words in (['"', "*"], ["tiger OR 1=1"], ["'); DROP TABLE report; --"], ["NEAR(a b)"]):
        store.search(words)  # neither an error nor an injection
    assert store.counts()["reports"] == 1


def test_the_index_catches_up_once(store: Store) -> None:
    import_file(store, DEMO)
    first = store.catch_up_search()
    assert first == store.counts()["reports"]
    assert store.catch_up_search() == 0
