"""The JSON API: the same operations as the pages, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from joinedup.store import Store
from tests.web.conftest import concern

SOON = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()  # within every cap


def _alert_ids(client: TestClient, **params: str) -> list[str]:
    return [r["id"] for r in client.get("/api/alerts", params=params).json()["rows"]]


def test_the_inbox_lists_every_raised_alert_awaiting_a_decision(
    client: TestClient, store: Store
) -> None:
    body = client.get("/api/alerts", params={"status": "awaiting"}).json()
    raised = {a["id"] for a in store.alerts("open")}
    decided = {d["alert"] for d in store.decisions()}
    assert {r["id"] for r in body["rows"]} == raised - decided
    row = body["rows"][0]
    assert row["decision"] == "awaiting" and row["waited"].endswith(("h", "days"))
    assert {"rule", "level", "subject", "informants", "agencies", "age_days"} <= row.keys()


def test_the_inbox_filters_and_sorts(client: TestClient, store: Store) -> None:
    rows = client.get("/api/alerts", params={"rule": "place_hotspot"}).json()["rows"]
    assert rows and {r["rule"] for r in rows} == {"place_hotspot"}
    assert len(rows) == sum(a["rule"] == "place_hotspot" for a in store.alerts("open"))
    by_informants = client.get("/api/alerts", params={"sort": "informants"}).json()["rows"]
    counts = [r["informants"] for r in by_informants]
    assert counts == sorted(counts, reverse=True)
    named = client.get("/api/alerts", params={"subject": "sultan"}).json()["rows"]
    assert named and all("sultan" in r["subject"]["label"].lower() for r in named)
    for wild in ("%", "_", "\\"):  # LIKE's own characters are only themselves
        assert client.get("/api/alerts", params={"subject": wild}).json()["total"] == 0
    by_level = client.get("/api/alerts", params={"sort": "level"}).json()["rows"]
    assert [r["level"] for r in by_level] == sorted(
        (r["level"] for r in by_level), key=["high", "medium", "low"].index)


def test_an_alert_lists_its_evidence_in_arrival_order_with_the_report_that_raised_it(
    client: TestClient, store: Store
) -> None:
    a = next(x for x in store.alerts("open") if x["rule"] == "linked_children")
    body = client.get(f"/api/alerts/{a['id']}").json()
    dates = [e["reported_at"] for e in body["evidence"]]
    assert dates == sorted(dates)
    assert len(body["evidence"]) == len(a["evidence"])
    assert [e["raised_by"] for e in body["evidence"]].count(True) == 1
    assert body["rule_source"] and body["rule_label"]
    marked = [e for e in body["evidence"] if "<mark>" in e["narrative_html"]]
    assert marked, "the subject's names are highlighted in the narratives"
    children = body["facts"]["children"]  # the children the rule counted, to link to
    assert len(children) >= 2 and all(c["id"] and c["label"] for c in children)


def test_a_decision_closing_a_childs_concern_as_consent_is_refused(
    client: TestClient, store: Store
) -> None:
    alert = _alert_ids(client, status="awaiting")[0]
    r = client.post(f"/api/alerts/{alert}/decisions", json={
        "action": "close", "owner": "Panel chair", "rationale": "She says it was consensual."})
    assert r.status_code == 422
    assert r.json()["error"] == "DecisionRefused" and "cannot consent" in r.json()["message"]
    assert store.decisions([alert]) == []


def test_a_decision_is_recorded_and_the_inbox_shows_it(client: TestClient) -> None:
    alert = _alert_ids(client, status="awaiting")[-1]
    r = client.post(f"/api/alerts/{alert}/decisions", json={
        "action": "strategy_meeting", "owner": "DS Khan", "due": SOON,
        "rationale": "Two agencies describe the same man; meeting called."})
    assert r.status_code == 201, r.text
    assert alert in _alert_ids(client, status="actioned")
    assert alert not in _alert_ids(client, status="awaiting")


def test_writes_take_json_only(client: TestClient) -> None:
    """A page on another site can post a form, never JSON without asking: forms are refused."""
    alert = _alert_ids(client)[0]
    r = client.post(f"/api/alerts/{alert}/decisions",
                    data={"action": "close", "owner": "x", "rationale": "y"})
    assert r.status_code == 422 and "application/json" in r.json()["message"]


def test_an_invalid_report_is_quarantined_with_every_error_by_field(
    client: TestClient, store: Store
) -> None:
    before = len(store.quarantine_rows())
    bad = concern("API-BAD-1", "police", "api-test-police", "Zoe", "Tiger", "07700 900111")
    bad["people"][0]["age"] = "fourteen"
    bad["indicators"] = ["not_an_indicator"]
    r = client.post("/api/reports", json=bad)
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"people[0].age", "indicators[0].id"} <= fields
    assert len(store.quarantine_rows()) == before + 1


def test_two_agencies_naming_the_same_nickname_and_phone_raise_an_alert(
    client: TestClient,
) -> None:
    first = concern("API-1", "police", "api-police", "Mia Api", "Viper", "07700 900456")
    second = concern("API-2", "health", "api-clinic", "Ella Api", "Viper", "07700900456")
    r1 = client.post("/api/reports", json=first)
    assert r1.status_code == 201 and r1.json()["status"] == "accepted"
    r2 = client.post("/api/reports", json=second)
    raised = {a["rule"] for a in r2.json()["alerts"] if a["raised_here"]}
    assert {"linked_children", "shared_vehicle_or_phone"} <= raised
    again = client.post("/api/reports", json=second)
    assert again.json()["status"] == "unchanged"


def test_an_entity_its_network_and_its_places(client: TestClient, store: Store) -> None:
    a = next(x for x in store.alerts("open") if x["rule"] == "linked_children")
    entity = client.get(f"/api/entities/{a['subject']}").json()
    assert entity["mentions"] and entity["corroboration"]["informants"] >= 2
    assert any(x["id"] == a["id"] for x in entity["alerts"])
    graph = client.get(f"/api/entities/{a['subject']}/network").json()
    kinds = {n["data"]["kind"] for n in graph["nodes"]}
    assert {"child", "person_of_concern"} <= kinds
    ids = {n["data"]["id"] for n in graph["nodes"]}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in graph["edges"])
    hotspot = next(x for x in store.alerts("open") if x["rule"] == "place_hotspot")
    places = client.get(f"/api/entities/{hotspot['subject']}/places").json()
    assert any(p["id"] == hotspot["subject"] and p["lat"] and p["dates"]
               for p in places["places"])


def test_the_timeline_has_one_lane_per_agency(client: TestClient, store: Store) -> None:
    a = next(x for x in store.alerts("open") if x["rule"] == "linked_children")
    body = client.get("/api/timeline", params={"alert": a["id"]}).json()
    assert sorted(lane["agency"] for lane in body["lanes"]) == sorted(set(a["agencies"]))
    assert body["marks"] and 0 <= body["marks"][0]["x"] <= 1


def test_search_finds_a_nickname(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Sonny"}).json()
    assert body["results"] and all("<mark>" in r["snippet_html"] for r in body["results"])
    labels = {m["label"].strip("'").lower() for r in body["results"] for m in r["mentions"]}
    assert "sonny" in labels  # each hit links to the people and places it mentions


def test_an_unknown_alert_or_entity_is_404(client: TestClient) -> None:
    assert client.get("/api/alerts/A-nothing").status_code == 404
    assert client.get("/api/entities/P-999999").json()["error"] == "NotFound"


def test_the_openapi_document_lists_the_operations(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/alerts", "/api/alerts/{alert_id}", "/api/alerts/{alert_id}/decisions",
              "/api/entities/{entity_id}", "/api/entities/{entity_id}/network",
              "/api/entities/{entity_id}/possible", "/api/reports", "/api/search",
              "/api/timeline", "/api/pairs"):
        assert p in paths


def test_who_may_be_the_same_person_is_offered_for_judgement(
    client: TestClient, store: Store
) -> None:
    """The demo's two reports of a boy named Connor Ashby at one youth club, with nothing else
    in common, are kept apart and offered to the analyst, on the page and through the API."""
    entity = {f"{m['org']}/{m['report_id']}#{m['ref']}": m["entity"] for m in store.memberships()}
    one, two = "kelbridge-youth-club/KYS-0061#con", "kelbridge-youth-club/KYS-0088#con"
    assert entity[one] != entity[two]
    found = client.get(f"/api/entities/{entity[one]}/possible").json()
    pair = next(p for p in found if p["entity"]["id"] == entity[two])
    assert (pair["own"], pair["mention"]) == (one, two)
    assert pair["weight"] < 0 and any(r["comparison"] == "name" for r in pair["reasons"])
    page = client.get(f"/entities/{entity[one]}").text
    assert "Possibly the same person" in page
    assert f'href="/entities/{entity[two]}"' in page
    assert f'name="b" value="{two}"' in page and 'value="confirm"' in page
    assert client.get("/api/entities/P-999999/possible").status_code == 404
    # a trap of the demo: Chloe Barraclough is not Chloe Marsh. One pair of their mentions
    # weighs over the match weight and the checks of the two as wholes refused it: such
    # entities are not offered, though another pair weighs -0.7
    barraclough, marsh = entity["kelbridge-moor-school/KMS-0117#c"], entity[
        "vale-police/VP-08-0822#chloe"]
    assert barraclough != marsh
    assert marsh not in {p["entity"]["id"] for p in
                         client.get(f"/api/entities/{barraclough}/possible").json()}
    place = next(e for k, e in entity.items() if e.startswith("L-"))
    assert client.get(f"/api/entities/{place}/possible").json() == []


def test_a_split_sticks_and_a_confirm_joins(client: TestClient, store: Store) -> None:
    a = next(x for x in store.alerts("open") if x["rule"] == "linked_children")
    merges = client.get(f"/api/entities/{a['subject']}").json()["merges"]
    pair = merges[0]
    r = client.post("/api/pairs", json={"a": pair["a"], "b": pair["b"], "decision": "split",
                                        "reason": "different men (test)"})
    assert r.status_code == 201, r.text
    assert r.json()["a"]["entity"] != r.json()["b"]["entity"]
    r = client.post("/api/pairs", json={"a": pair["a"], "b": pair["b"], "decision": "confirm",
                                        "reason": "same man after all (test)"})
    assert r.json()["a"]["entity"] == r.json()["b"]["entity"]


def test_a_large_backlog_is_indexed_in_the_background(client: TestClient, store: Store) -> None:
    """After a large import a search answers at once; the app indexes the rest meanwhile."""
    import time

    from joinedup.ingest.importer import submit_report

    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    submit_report(store, concern("API-BG-1", "police", "api-bg", "Ava Bg", "Wren", "07700 900777"),
                  "test")
    backlog = store.search_backlog()
    assert backlog >= 1
    assert ctx.catch_up(store, 10**9) == 10**9  # "many": not waited for
    deadline = time.monotonic() + 30
    while store.search_backlog() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store.search_backlog() == 0, f"{backlog} reports were to be indexed"


def test_every_error_has_the_one_documented_shape(client: TestClient) -> None:
    not_json = client.post("/api/reports", content=b"\x16{not json",
                           headers={"Content-Type": "application/json"})
    wrong_type = client.get("/api/alerts", params={"page": "first"})
    missing = client.get("/api/alerts/A-none")
    for r, status in ((not_json, {400, 422}), (wrong_type, {422}), (missing, {404})):
        assert r.status_code in status
        assert {"error", "message", "hint"} <= r.json().keys(), r.text
    assert wrong_type.json()["errors"][0]["field"].endswith("page")
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "<html" in page.text
