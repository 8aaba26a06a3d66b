"""An alert follows its subject when a run names the subject anew, keeping its id, the
panel's decisions and its clock: a new version of an entity's earliest report names it after
another mention, a report dated earlier names an incident after itself. Before, the alert was
withdrawn with its decisions and a new one raised with none, its clock restarted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import joinedup.demo
from joinedup.decide import record_decision
from joinedup.ingest.importer import import_file, submit_report
from joinedup.pipeline import process, process_incidents, renames
from joinedup.store import Store

DEMO = Path(joinedup.demo.__file__).parent
SOON = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()  # within every cap


def test_renames_map_each_gone_id_to_where_most_of_its_members_are() -> None:
    before = {"P-1": [1, 2, 3], "P-7": [7, 8], "P-9": [9]}
    now = {2: "P-2", 3: "P-2", 7: "P-7", 8: "P-7"}
    assert renames(before, now, {"P-2", "P-7"}) == {"P-1": "P-2"}  # P-9: nothing current


def test_an_entity_renamed_by_a_new_version_keeps_its_alert_and_decision(store: Store) -> None:
    import_file(store, DEMO / "safeguarding.jsonl")
    process(store)
    alert = next(a for a in store.alerts("open") if a["subject"].startswith("P-"))
    record_decision(store, alert["id"], action="strategy_meeting", owner="Panel chair",
                    due=SOON, rationale="Two agencies name the same man.")
    first = int(alert["subject"][2:])  # an entity is named after its lowest mention key
    found = next(m for m in store.memberships() if m["pk"] == first)
    body = store.submission(found["org"], found["report_id"])["body"]
    new = {**body, "narrative": (body.get("narrative") or "") + " Corrected on review."}
    assert submit_report(store, new, "test").accepted == 1
    process(store)
    kept = store.alert(alert["id"])
    assert kept["status"] == "open" and kept["subject"] != alert["subject"]
    assert [d["action"] for d in store.decisions([alert["id"]])] == ["strategy_meeting"]
    same = [a for a in store.alerts("open")
            if a["rule"] == alert["rule"] and a["subject"] == kept["subject"]]
    assert [a["id"] for a in same] == [alert["id"]]  # no second, undecided alert


def test_an_incident_renamed_by_an_earlier_report_keeps_its_alert(store: Store) -> None:
    import_file(store, DEMO / "conflict.jsonl")
    process_incidents(store)
    alert = store.alerts("open")[0]
    record_decision(store, alert["id"], action="close", owner="Panel chair",
                    rationale="Documented and referred to the monitoring mechanism.")
    incident = store.incident(alert["subject"])
    first = next(r for r in store.current_bodies("conflict")
                 if r["pk"] == min(incident["reports"]))
    # another organisation's report: not a partner channel, so it does not say partner: true
    source = {k: v for k, v in first["body"]["source"].items() if k != "partner"}
    earlier = {**first["body"], "id": "EARLY-1", "reported_at": "2016-01-01",
               "source": {**source, "org": "early-monitor"}}
    assert submit_report(store, earlier, "test").accepted == 1
    process_incidents(store)
    kept = store.alert(alert["id"])
    assert kept["subject"] != alert["subject"] and kept["status"] == "open"
    assert [d["action"] for d in store.decisions([alert["id"]])] == ["close"]
    assert not [a for a in store.alerts("open") if a["subject"] == kept["subject"]
                and a["rule"] == alert["rule"] and a["id"] != alert["id"]]
