"""The authorisation matrix: every route and API operation, every role, signed out, and a
second partnership in the same database. Allowed means neither 401 nor 403 nor a server
error; denied means 403 (401 signed out) with none of the casework in the body."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from joinedup.access import ROLES, create_account
from joinedup.cli.summary import load_demo
from joinedup.ingest.importer import submit_report
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.store.gate import Actor
from joinedup.web.app import create_app
from tests.web.conflict_world import load_conflict
from tests.web.conftest import concern, token

GOOD = "correct horse battery"
READERS = {"panel", "analyst"}
DECIDERS = {"panel"}
JUDGES = {"panel", "analyst"}
SUBMITTERS = {"panel", "reporter", "agency_lead"}
AGENCY = {"reporter", "agency_lead"}
EVERYONE = set(ROLES)
ORG = "vale-police"  # the agency of the reporter and the agency lead, as the demo names it
INCIDENT = "al-fardous-hamwi-brothers"  # of the conflict demo, with named victims
VICTIM = "Hamwi"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'store.db'}"
    store = Store.open(url)
    load_demo(store)
    # the conflict profile's reports and incidents, in the same store
    incident = quote(load_conflict(store)[INCIDENT]["id"])
    for role in ROLES:
        create_account(store, f"acc.{role}", role, GOOD,
                       agency=ORG if role in AGENCY else None)
    alert = next(a for a in store.alerts("open") if a["rule"] == "linked_children")
    north = Store.open(url, Actor.local("north"))  # another partnership, same database
    submit_report(north, concern("N-1", "police", "north-police", "Nora Finch", "Gannet",
                                 "07700 900555"), "test")
    submit_report(north, concern("N-2", "health", "north-clinic", "Ivy Clarke", "Gannet",
                                 "07700900555"), "test")
    process(north)
    create_account(north, "north.chair", "panel", GOOD)
    world = {"url": url, "alert": alert["id"], "entity": alert["subject"], "incident": incident,
             "secret": alert["subject_label"].strip("'"), "north_alerts": north.alerts("open")}
    store.engine.dispose()
    north.engine.dispose()
    app = create_app(url)
    world["app"] = app
    yield world
    app.state.ctx.engine.dispose()


def _client(world: dict[str, Any], role: str | None) -> TestClient:
    c = TestClient(world["app"], base_url="http://testserver")
    if role is not None:
        r = c.post("/login", data={"csrf": token(c), "name": f"acc.{role}", "password": GOOD},
                   follow_redirects=False)
        assert r.status_code == 303, r.text
    return c


def _routes(
    w: dict[str, Any], csrf: str,
) -> list[tuple[str, str, dict[str, Any], set[str]]]:
    a, e, i = w["alert"], w["entity"], w["incident"]
    reads = ["/alerts", f"/alerts/{a}", f"/entities/{e}", f"/timeline?alert={a}",
             "/search?q=sultan", "/api/alerts", f"/api/alerts/{a}", f"/api/entities/{e}",
             f"/api/entities/{e}/network", f"/api/entities/{e}/places",
             f"/api/entities/{e}/possible",
             f"/api/timeline?alert={a}", "/api/search?q=sultan",
             # the conflict profile: incidents are casework
             "/incidents", "/incidents?certainty=probable&attribution=weak&attribution=fair",
             f"/incidents/{i}", "/incidents/I-no-such", "/routes",
             "/api/incidents", "/api/incidents?target=school", f"/api/incidents/{i}",
             "/api/incidents/I-no-such", "/api/stats"]
    routes = [("GET", path, {}, READERS) for path in reads]
    routes += [
        ("POST", f"/api/alerts/{a}/decisions",
         {"json": {"action": "not-an-action", "owner": "x", "rationale": "y"}}, DECIDERS),
        ("POST", "/api/pairs", {"json": {"a": "no/such#m", "b": "no/such#n",
                                         "decision": "split", "reason": "matrix"}}, JUDGES),
        ("POST", "/api/reports", {"json": {"id": "MATRIX-BAD"}}, SUBMITTERS),
        ("GET", "/concerns/new", {}, EVERYONE),
        ("GET", "/concerns/rows/people?i=3", {}, EVERYONE),
        # the pages' own forms, with the form token the pages carry
        ("POST", f"/alerts/{a}/decisions",
         {"data": {"csrf": csrf, "action": "not-an-action", "owner": "x", "rationale": "y"}},
         DECIDERS),
        ("POST", "/pairs", {"data": {"csrf": csrf, "a": "no/such#m", "b": "no/such#n",
                                     "decision": "split", "reason": "matrix"}}, JUDGES),
        ("POST", "/concerns", {"data": {"csrf": csrf, "id": "MATRIX-FORM"}}, SUBMITTERS),
        ("POST", "/incidents/pairs", {"data": {"csrf": csrf, "a": "no/such", "b": "no/other",
                                               "decision": "split", "reason": "matrix"}},
         JUDGES),
        # an agency's own submissions: the list to both its roles, a report's contents to
        # its lead (a reporter opens only what they submitted: not this demo report)
        ("GET", f"/submissions?org={ORG}", {}, READERS | AGENCY),
        ("GET", f"/api/submissions?org={ORG}", {}, READERS | AGENCY),
        ("GET", "/api/submissions?org=mv-childrens-services", {}, READERS),
        ("GET", f"/submissions/{ORG}/VP-08-0077", {}, READERS | {"agency_lead"}),
        ("GET", f"/api/submissions/{ORG}/VP-08-0077", {}, READERS | {"agency_lead"}),
        ("GET", "/api/submissions/mv-childrens-services/CSC-1187", {}, READERS),
        # exports: redacted to panel, analysts and an agency lead (their agency's); withheld
        # parts only to the roles the profile names
        ("GET", "/api/export", {}, READERS | {"agency_lead"}),
        ("GET", "/api/export?include=narratives", {}, {"panel", "agency_lead"}),
        ("GET", "/api/export?include=protected_attributes", {}, {"panel"}),
        ("GET", "/api/export?org=mv-childrens-services", {}, READERS),
        ("GET", "/api/vocabulary", {}, EVERYONE),
    ]
    return routes


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_route_allows_exactly_its_roles(world: dict[str, Any], role: str | None) -> None:
    client = _client(world, role)
    wrong = []
    for method, path, kwargs, allowed in _routes(world, token(client)):
        r = client.request(method, path, follow_redirects=False, **kwargs)
        if role is None:
            ok = r.status_code in (401, 303) and (r.status_code == 401 or "/login" in
                                                  r.headers.get("location", ""))
        elif role in allowed:
            ok = r.status_code not in (401, 403) and r.status_code < 500
        else:
            ok = r.status_code == 403 and world["secret"] not in r.text \
                and VICTIM not in r.text
        if not ok:
            wrong.append(f"{method} {path}: {r.status_code}")
    client.close()
    assert wrong == [], f"role {role}"


def test_a_reporter_learns_that_a_concern_was_linked_not_what_others_said(
    world: dict[str, Any],
) -> None:
    client, chair = _client(world, "reporter"), _client(world, "panel")
    first = concern("R-1", "police", ORG, "Ada Matrix", "Heron", "07700 900444")
    second = concern("R-2", "health", "matrix-clinic", "Bea Matrix", "Heron", "07700900444")
    assert client.post("/api/reports", json=first).status_code == 201
    assert chair.post("/api/reports", json=second).status_code == 201
    mine = client.get("/api/submissions").json()
    assert mine["org"] == ORG
    row = next(r for r in mine["rows"] if r["report"] == "R-1")
    assert row["submitted_by"] == "acc.reporter" and row["can_open"]
    assert row["linked_alerts"] >= 1
    assert {o["state"] for o in row["outcome"]} == {"awaiting"}
    # the clinic's child, and the alert's subject and rule, are never shown to the police
    page = client.get("/submissions")
    assert page.status_code == 200 and "R-1" in page.text and "awaiting" in page.text
    listing = client.get("/api/submissions").text + page.text
    for theirs in ("Bea Matrix", "matrix-clinic", "linked_children", world["secret"]):
        assert theirs not in listing
    opened = client.get(f"/api/submissions/{ORG}/R-1").json()
    assert [p["name"] for p in opened["people"]][0] == "Ada Matrix"
    assert "Bea Matrix" not in str(opened)
    # acted on: the reporter sees the action, not the panel's reasons
    alert = next(a["id"] for a in chair.get("/api/alerts", params={"subject": "Heron"})
                 .json()["rows"])
    assert chair.post(f"/api/alerts/{alert}/decisions", json={
        "action": "strategy_meeting", "owner": "Panel chair", "rationale": "Heron: two agencies",
        "due": (date.today() + timedelta(days=7)).isoformat()}).status_code == 201
    row = next(r for r in client.get("/api/submissions").json()["rows"] if r["report"] == "R-1")
    assert "acted on: Strategy meeting" in {o["text"] for o in row["outcome"]}
    assert "two agencies" not in client.get("/api/submissions").text
    # in another organisation's name: quarantined with the reason, never stored as theirs
    forged = client.post("/api/reports", json=concern("R-3", "health", "matrix-clinic",
                                                       "Cy Matrix", "Heron", "07700900444"))
    assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "source.org"
    client.close()
    chair.close()


def test_nothing_crosses_partnerships(world: dict[str, Any]) -> None:
    client = _client(world, "panel")
    listed = client.get("/api/alerts").json()
    assert world["north_alerts"], "the other partnership has alerts of its own"
    north_ids = {a["id"] for a in world["north_alerts"]}
    assert north_ids.isdisjoint({r["id"] for r in listed["rows"]})
    for alert in north_ids:
        assert client.get(f"/api/alerts/{alert}").status_code == 404
    assert client.get("/api/search", params={"q": "Gannet"}).json()["results"] == []
    assert client.get("/api/incidents").json()["total"] == 16
    client.close()
    other = TestClient(world["app"], base_url="http://testserver")
    r = other.post("/login", data={"csrf": token(other), "name": "north.chair",
                                   "password": GOOD}, follow_redirects=False)
    assert r.status_code == 401  # an account of another partnership cannot sign in here
    assert "Partnership" in other.get("/login").text  # several partnerships: it asks which
    r = other.post("/login", data={"csrf": token(other), "name": "north.chair",
                                   "password": GOOD, "partnership": "north"},
                   follow_redirects=False)
    assert r.status_code == 303
    theirs = {a["id"] for a in other.get("/api/alerts").json()["rows"]}
    assert theirs == north_ids  # their own partnership's alerts, and only those
    assert other.get(f"/api/alerts/{world['alert']}").status_code == 404
    assert world["secret"] not in other.get("/api/search", params={"q": "sultan"}).text
    assert other.get("/api/incidents").json()["total"] == 0  # incidents are per partnership
    assert other.get(f"/api/incidents/{world['incident']}").status_code == 404
    assert other.get(f"/incidents/{world['incident']}").status_code == 404
    assert 'href="/incidents"' not in other.get("/alerts").text
    for typed in ("nowhere", "../default", "x" * 200):  # no such partnership: one refusal
        r = other.post("/login", data={"csrf": token(other), "name": "north.chair",
                                       "password": GOOD, "partnership": typed})
        assert r.status_code == 401 and "wrong" in r.text
    other.close()
