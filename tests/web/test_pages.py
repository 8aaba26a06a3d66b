"""The pages: forms that keep what was typed, errors beside their fields, nothing unescaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from joinedup.store import Store
from tests.web.conftest import token

SOON = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()  # within every cap


def _awaiting(store: Store, n: int) -> str:
    decided = {d["alert"] for d in store.decisions()}
    return sorted(a["id"] for a in store.alerts("open") if a["id"] not in decided)[n]


def test_every_page_renders_with_protective_headers(client: TestClient, store: Store) -> None:
    a = store.alerts("open")[0]
    for path in ("/alerts", f"/alerts/{a['id']}", f"/entities/{a['subject']}",
                 f"/timeline?alert={a['id']}", "/search?q=sultan", "/concerns/new"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
        assert "<script>" not in r.text  # no inline script anywhere: the policy forbids it


def test_the_inbox_filters_through_htmx_with_a_fragment(client: TestClient) -> None:
    r = client.get("/alerts", params={"rule": "place_hotspot"},
                   headers={"HX-Request": "true", "HX-Target": "inbox-rows"})
    assert "<html" not in r.text and "place_hotspot" in r.text
    assert "linked_children</a>" not in r.text


def test_a_refused_consent_rationale_is_explained_and_kept(
    client: TestClient, store: Store
) -> None:
    alert = _awaiting(store, 1)
    typed = "Lifestyle choice, she goes willingly."
    r = client.post(f"/alerts/{alert}/decisions", data={
        "csrf": token(client), "action": "close", "owner": "Chair", "rationale": typed})
    assert r.status_code == 422
    assert "Refused." in r.text and "cannot consent" in r.text
    assert typed in r.text  # what was typed comes back
    assert store.decisions([alert]) == []


def test_a_missing_field_is_shown_beside_it(client: TestClient, store: Store) -> None:
    alert = _awaiting(store, 2)
    r = client.post(f"/alerts/{alert}/decisions", data={
        "csrf": token(client), "action": "safety_plan", "owner": "", "rationale": "Plan"})
    assert r.status_code == 422
    assert re.search(r'id="owner"[^>]*aria-invalid="true"', r.text)
    assert 'id="owner-error"' in r.text


def test_a_decision_from_the_page_is_recorded(client: TestClient, store: Store) -> None:
    alert = _awaiting(store, 3)
    r = client.post(f"/alerts/{alert}/decisions", data={
        "csrf": token(client), "action": "safety_plan", "owner": "Team B", "due": SOON,
        "rationale": "Safety plan with the care home."}, follow_redirects=False)
    assert r.status_code == 303
    assert [d["owner"] for d in store.decisions([alert])] == ["Team B"]
    assert "Safety plan with the care home." in client.get(f"/alerts/{alert}").text


def test_a_form_without_the_token_or_from_another_site_is_refused(
    client: TestClient, store: Store
) -> None:
    alert = _awaiting(store, 4)
    fields = {"action": "safety_plan", "owner": "x", "due": "2009-05-01", "rationale": "y"}
    assert client.post(f"/alerts/{alert}/decisions", data=fields).status_code == 422
    r = client.post(f"/alerts/{alert}/decisions", data={**fields, "csrf": token(client)},
                    headers={"Origin": "http://elsewhere.example"})
    assert r.status_code == 422 and "another site" in r.text
    assert store.decisions([alert]) == []


def _concern_form(**extra: str) -> dict[str, str]:
    return {
        "source-agency": "education", "source-org": "page-test-school",
        "source-reporter": "DSL Page", "reported_at": "2009-03-03",
        "people-0-role": "child", "people-0-name": "Nia Page", "people-0-age": "13",
        "people-1-role": "person_of_concern", "people-1-aliases": "Hawk",
        "people-1-vehicles-0-reg": "MA08 X??", "people-1-vehicles-0-colour": "silver",
        "links-0-from": "p2", "links-0-type": "transported", "links-0-to": "p1",
        "narrative": "Nia was collected by <script>alert(1)</script> a man called Hawk.",
        **extra,
    }


def test_an_invalid_concern_comes_back_as_typed_with_the_error_beside_its_field(
    client: TestClient, store: Store
) -> None:
    before = len(store.quarantine_rows())
    form = _concern_form(**{"people-0-age": "thirteen", "csrf": token(client)})
    r = client.post("/concerns", data={**form, "indicators": ["school_absence"]})
    assert r.status_code == 422
    assert re.search(r'id="people-0-age"[^>]*value="thirteen"[^>]*aria-invalid="true"', r.text)
    assert 'id="people-0-age-error"' in r.text
    assert 'value="Hawk"' in r.text and 'id="ind-school_absence" checked' in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text and "<script>alert" not in r.text
    assert len(store.quarantine_rows()) == before + 1  # kept, never lost


def test_an_error_on_a_later_row_is_shown_on_the_row_typed_in(client: TestClient) -> None:
    """Empty rows are skipped, so the report's people[1] can be the form's third row."""
    form = _concern_form(**{"csrf": token(client), "people-1-role": "", "people-1-aliases": "",
                            "people-1-vehicles-0-reg": "", "people-1-vehicles-0-colour": "",
                            "people-2-role": "wizard", "people-2-aliases": "Hawk",
                            "links-0-from": "p3"})
    r = client.post("/concerns", data=form)
    assert r.status_code == 422
    assert re.search(r'id="people-2-role"[^>]*aria-invalid="true"', r.text)


def test_a_valid_concern_is_recorded_and_escaped_where_shown(
    client: TestClient, store: Store
) -> None:
    form = _concern_form(csrf=token(client))
    r = client.post("/concerns", data={**form, "indicators": ["school_absence"]})
    assert r.status_code == 200 and "Concern recorded" in r.text
    hits = client.get("/search", params={"q": "Hawk"}).text
    assert "page-test-school" in hits
    assert "<script>alert" not in hits and "&lt;script&gt;" in hits


def test_a_row_can_be_added_to_the_form(client: TestClient) -> None:
    r = client.get("/concerns/rows/people", params={"i": 5})
    assert 'id="people-5-name"' in r.text and "Person 6" in r.text
    assert client.get("/concerns/rows/people", params={"i": 999}).status_code == 422


def test_a_blank_required_field_is_called_missing(client: TestClient) -> None:
    r = client.post("/concerns", data={"csrf": token(client)})
    assert r.status_code == 422
    assert re.search(r'id="source-org-error"[^>]*>[^<]*required but missing', r.text)


def test_the_network_is_also_a_list_of_links(client: TestClient, store: Store) -> None:
    a = next(x for x in store.alerts("open") if x["rule"] == "linked_children")
    graph = client.get(f"/api/entities/{a['subject']}/network").json()
    page = client.get(f"/entities/{a['subject']}").text
    others = [n["data"]["id"] for n in graph["nodes"] if not n["data"]["centre"]]
    assert others and all(f'href="/entities/{x}"' in page for x in others)


def test_a_concern_the_store_fails_to_save_comes_back_as_typed(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from joinedup.errors import StoreError
    from joinedup.web import service

    def broken(*args: object, **kwargs: object) -> None:
        raise StoreError("the database is not answering")

    monkeypatch.setattr(service, "submit", broken)
    r = client.post("/concerns", data=_concern_form(csrf=token(client)))
    assert r.status_code == 503
    assert "could not be saved" in r.text and 'value="Hawk"' in r.text


def test_an_alert_shows_who_may_be_its_subject_although_kept_apart(tmp_path: Path) -> None:
    """Two girls name a man "Kaz" who rings them from one number (one man, alerted); a third
    girl names a "Kaz" to a youth project, nothing else in common: kept apart, and shown on
    the alert so that the panel sees the fragment."""
    from joinedup.ingest.importer import import_file
    from joinedup.pipeline import process
    from joinedup.web.app import create_app
    from tests.factories import adult, child, report, write_jsonl

    def told(rid: str, name: str, **kw: Any) -> dict[str, Any]:
        return report(rid, informant="c1", people=[child("c1", name, 14), adult("a1", "Kaz", **kw)],
                      links=[{"from": "a1", "to": "c1", "type": "gave_gifts"}])

    url = f"sqlite:///{tmp_path / 's.db'}"
    store = Store.open(url)
    reports = [told("R1", "Amy Hill", phones=["07700 900123"]),
               told("R2", "Cara Lee", phones=["07700900123"]),
               {**told("Y1", "Beth Jones"), "source": {"agency": "youth_service",
                                                       "org": "Youth Project"}}]
    import_file(store, write_jsonl(tmp_path / "r.jsonl", reports))
    process(store)
    [a] = [x for x in store.alerts("open") if x["rule"] == "linked_children"]
    entity = {f"{m['org']}/{m['report_id']}#{m['ref']}": m["entity"] for m in store.memberships()}
    assert a["subject"] == entity["Police North/R1#a1"] != entity["Youth Project/Y1#a1"]
    store.engine.dispose()
    app = create_app(url)
    with TestClient(app, base_url="http://testserver") as client:
        page = client.get(f"/alerts/{a['id']}").text
    app.state.ctx.engine.dispose()
    assert "Possibly the same person" in page
    assert f'href="/entities/{entity["Youth Project/Y1#a1"]}"' in page
    assert f'href="/entities/{a["subject"]}#possible"' in page
