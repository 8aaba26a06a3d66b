"""Follow-up of the conflict review: a named victim's status is the most recent report's, and
every report's own status is kept beside it. Before, the status shown was the alphabetically
last of the statuses: a man reported missing and then, days later, found killed was shown as
"missing"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from joinedup.ingest.importer import import_file
from joinedup.pipeline import process_incidents
from joinedup.resolve.incidents import deduplicate, event_from_report
from joinedup.resolve.victims import merge_victims
from joinedup.store import Store
from joinedup.web import incident_views
from joinedup.web.app import create_app
from tests.conflict_reports import AL_SHAAR, AL_SHAAR_NEARBY, Report, attack

STRIKE = dict(at=AL_SHAAR, place="al-Shaar", mechanism="air_strike", targets=["residential"],
              day="2016-08-17")


def said(rid: str, org: str, reported_at: str, status: str, **kw: Any) -> Report:
    return attack(rid, org=org, agency="local_monitor", reported_at=reported_at, killed=(1, 3),
                  people=[{"ref": "v", "name": "Yusuf Khatib", "sex": "male",
                           "status": status}], **{**STRIKE, **kw})


def missing_then_killed() -> list[Report]:
    return [said("a1", "monitor-a", "2016-08-17", "missing"),
            said("b1", "monitor-b", "2016-08-18", "injured", at=AL_SHAAR_NEARBY),
            said("c1", "monitor-c", "2016-08-21", "killed")]


def test_the_most_recent_reports_status_is_the_victims() -> None:
    events = [event_from_report(r) for r in missing_then_killed()]
    [yusuf] = merge_victims(deduplicate(events), events)
    assert yusuf.status == "killed"
    assert yusuf.status_reports == (("monitor-a/a1", "missing"), ("monitor-b/b1", "injured"),
                                    ("monitor-c/c1", "killed"))


def test_the_stored_incident_shows_it_with_each_reports_own(sqlite_store: Store,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    # arrival order is not what decides: the latest report arrives first
    path.write_text("\n".join(json.dumps(r) for r in reversed(missing_then_killed())) + "\n",
                    encoding="utf-8")
    assert import_file(sqlite_store, path).accepted == 3
    process_incidents(sqlite_store)
    [incident] = sqlite_store.incidents()
    [yusuf] = incident["data"]["victims"]
    assert yusuf["status"] == "killed"
    assert yusuf["statuses"] == [
        {"report": "monitor-a/a1", "status": "missing"},
        {"report": "monitor-b/b1", "status": "injured"},
        {"report": "monitor-c/c1", "status": "killed"},
    ]


def test_the_incident_page_shows_what_earlier_reports_said(sqlite_store: Store,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in missing_then_killed()) + "\n",
                    encoding="utf-8")
    import_file(sqlite_store, path)
    process_incidents(sqlite_store)
    [incident] = sqlite_store.incidents()
    [yusuf] = incident_views.incident_detail(sqlite_store, incident["id"])["victims"]
    assert yusuf["status"] == "killed"
    assert yusuf["earlier"] == [{"report": "monitor-a/a1", "status": "missing"},
                                {"report": "monitor-b/b1", "status": "injured"}]
    app = create_app(str(sqlite_store.engine.url))
    with TestClient(app, base_url="http://testserver") as client:
        page = client.get(f"/incidents/{incident['id']}")
    app.state.ctx.engine.dispose()
    assert page.status_code == 200, page.text
    assert "earlier: missing (monitor-a/a1); injured (monitor-b/b1)" in page.text
