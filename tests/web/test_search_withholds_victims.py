"""Search finds a report only for a role that may read what it was found by.

The index holds each report as one text (its narrative, its people's names, its places), so
a hit on a conflict report may be a victim's name, and its snippet shows the narrative that
names them. A role that may not read a report's victims and narrative (the profile's
``export_unredacted``, as on the submission page; the gate's ``read victims``, as on the
incident pages) gets no hit on it. Before, an analyst searching for a victim's surname was
shown the snippet naming the victims and their ages. Both stores."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from joinedup.access.policy import RolePolicy
from joinedup.ingest.importer import submit_report
from joinedup.store import Store
from joinedup.store.gate import Actor
from joinedup.web import views


class NoVictims(RolePolicy):
    """A deployment's policy under which no role reads victims' personal data."""

    def allows(self, actor: Actor, action: str, target: str,
               facts: Mapping[str, str] | None = None) -> bool:
        if (action, target) == ("read", "victims"):
            return False
        return super().allows(actor, action, target, facts)


def _conflict() -> dict[str, Any]:
    return {
        "profile": "conflict", "id": "mon-31", "reported_at": "2016-07-24",
        "source": {"agency": "local_monitor", "org": "aleppo-monitor"},
        "harm": {"mechanism": "air_strike", "targets": ["health_facility"]},
        "people": [{"ref": "v1", "name": "Yusuf Qandeel", "age": 9, "sex": "male",
                    "status": "injured"}],
        "narrative": "Yusuf Qandeel, aged 9, was hurt when the clinic in Bustan was hit.",
    }


def _safeguarding() -> dict[str, Any]:
    return {
        "id": "EX-31", "source": {"agency": "police", "org": "vale-police"},
        "reported_at": "2009-05-01",
        "people": [{"ref": "c", "role": "child", "name": "Ada Qandeel", "age": 14}],
        "narrative": "Ada was collected from Bustan Road by a man in a grey car.",
    }


@pytest.fixture
def filled(store_url: str) -> Iterator[Store]:
    """A fresh store (not the web tests' demo) with one report of each profile, indexed."""
    store = Store.open(store_url)
    submit_report(store, _conflict(), "test")
    submit_report(store, _safeguarding(), "test")
    store.catch_up_search()  # the engine's work, as the web app does it
    yield store
    store.engine.dispose()


def _as(store: Store, role: str, policy: RolePolicy | None = None) -> Store:
    return Store(store.engine, Actor(f"acc.{role}", "default", role, None),
                 policy or RolePolicy())


def _found(store: Store, q: str) -> list[str]:
    return [f"{r['org']}/{r['report']}" for r in views.search(store, q)["results"]]


def test_an_analyst_finds_no_conflict_report_by_its_victims_or_narrative(filled: Store) -> None:
    analyst = _as(filled, "analyst")
    for q in ("Qandeel", "Yusuf", "clinic", "Bustan"):
        shown = json.dumps(views.search(analyst, q)["results"])
        assert "mon-31" not in shown and "Yusuf" not in shown and "aged 9" not in shown
    # the safeguarding report, whose narrative analysts read, is still found by the same words
    assert _found(analyst, "Qandeel") == ["vale-police/EX-31"]
    assert _found(analyst, "Bustan") == ["vale-police/EX-31"]


def test_the_panel_finds_the_victim_it_may_read(filled: Store) -> None:
    panel = _as(filled, "panel")
    result = views.search(panel, "Yusuf")
    assert _found(panel, "Yusuf") == ["aleppo-monitor/mon-31"]
    assert "aged 9" in result["results"][0]["snippet_html"]


def test_a_policy_refusing_victims_hides_them_from_the_panel_too(filled: Store) -> None:
    panel = _as(filled, "panel", NoVictims())
    result = views.search(panel, "Qandeel")["results"]
    assert [r["report"] for r in result] == ["EX-31"]
    assert "Yusuf" not in json.dumps(result)


def test_a_withheld_report_is_not_read_by_the_search_nor_takes_a_place(filled: Store) -> None:
    """The report is dropped before the search reads it: no `read report/... via search`
    entry names it (`audit who-saw` would say the analyst saw it), and it does not use up the
    result limit."""
    from joinedup.audit import who_saw

    analyst = _as(filled, "analyst")
    hits = analyst.search(["Qandeel"], limit=1,
                          keep=lambda profile: profile != "conflict")
    assert [h["report_id"] for h in hits] == ["EX-31"]
    views.search(analyst, "Qandeel")
    assert who_saw(filled.audit_rows(), {"report/aleppo-monitor/mon-31"}, "default") == []
    assert who_saw(filled.audit_rows(), {"report/vale-police/EX-31"}, "default")
