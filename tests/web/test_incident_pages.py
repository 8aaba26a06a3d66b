"""The conflict profile's pages and API, server-side: the incident list and its filters, one
incident with its grades, sources and reports side by side, the routes, the patterns; hostile
text escaped; victims' names only to the roles that read casework; every read audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from joinedup.access import ROLES, create_account
from joinedup.ingest.importer import import_file
from joinedup.patterns import attack_rates, route_status, target_groups
from joinedup.pipeline import process_incidents
from joinedup.profiles import load_profile
from joinedup.store import Store
from joinedup.web.app import create_app
from tests.conftest import pg_schema
from tests.web.conflict_world import DEMO, add_incident, load_conflict
from tests.web.conftest import BACKENDS, token

GOOD = "correct horse battery"
HOSTILE = "<script>alert('joinedup')</script>"
EVIL_ID = 'I-evil/"<b>'
HAMWI = "al-fardous-hamwi-brothers"  # an incident of the conflict demo with named victims


def hostile_report() -> dict[str, Any]:
    """A report whose every free-text field tries to inject markup."""
    return {
        "profile": "conflict", "id": "EVIL-1", "reported_at": "2016-10-20",
        "source": {"agency": "media", "org": "evil-wire", "reporter": HOSTILE,
                   "document": "<i>Bulletin</i> of 20 October"},
        "upstream": "<i>Upstream</i>",
        "occurred_from": "2016-10-20",
        "location": {"name": "<img src=x onerror=alert(1)>", "admin1": "Aleppo",
                     "precision": "neighbourhood", "lat": 36.2, "lon": 37.15},
        "harm": {"mechanism": "shelling", "targets": ["market"]},
        "actors": [{"ref": "a1", "name": "<b>Bold</b> Brigade", "role": "alleged_perpetrator"}],
        "people": [{"ref": "p1", "name": "Zaynab <i>Hostile</i>", "age": 30,
                    "status": "killed"}],
        "casualties": {"killed": 1},
        "evidence": [{"kind": "photo", "url": "javascript:alert(1)"}],
        "narrative": f"Shelling near the market. {HOSTILE}",
    }


def hostile_incident(pk: int) -> dict[str, Any]:
    said = [f"evil-wire/EVIL-1{HOSTILE}"]
    return {
        "id": EVIL_ID, "label": f"Market {HOSTILE}", "certainty": "possible",
        "attribution": "weak", "date_start": date(2016, 10, 20), "date_end": date(2016, 10, 20),
        "lat": 36.2, "lon": 37.15, "precision": "neighbourhood", "mechanism": "shelling",
        "data": {
            "targets": ["market"], "mechanisms": ["shelling"],
            "location": {"name": "<img src=x onerror=alert(1)>", "admin1": "Aleppo",
                         "admin2": None, "lat": 36.2, "lon": 37.15,
                         "precision": "neighbourhood", "facility": HOSTILE},
            "killed": {"min": 1, "max": 1, "reports": said}, "injured": None,
            "certainty_rules": [{"rule": "media_report", "says": HOSTILE, "reports": said}],
            "attribution_rules": [{"rule": HOSTILE, "says": "one source", "reports": said}],
            "sources": [{"key": HOSTILE, "name": HOSTILE, "agency": ["media", HOSTILE],
                         "partner": False, "reports": said}],
            "not_counted": [HOSTILE],
            "actors": [{"actor": "<b>Bold</b> Brigade", "names": ["<b>Bold</b> Brigade"],
                        "roles": ["alleged_perpetrator"], "reports": said,
                        "anachronisms": [HOSTILE]}],
            "victims": [{"name": "Zaynab <i>Hostile</i>", "variants": ["<svg onload=alert(2)>"],
                         "age": 30, "sex": "female", "status": "killed",
                         "relatives": [{"name": HOSTILE, "relation": "<u>sister</u>"}],
                         "reports": said, "why": [HOSTILE]}],
            "contenders": [{"report": HOSTILE, "score": 0.2, "reasons": [HOSTILE],
                            "incident": HOSTILE, "why": HOSTILE}],
        },
    }, pk


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The conflict demo with its incidents, one hostile incident, and an account a role."""
    folder = tmp_path_factory.mktemp("incidents")
    if request.param == "sqlite":
        yield from _world(f"sqlite:///{folder / 'store.db'}", folder)
        return
    with pg_schema("ji") as url:
        yield from _world(url, folder)


def _world(url: str, folder: Path) -> Iterator[dict[str, Any]]:
    store = Store.open(url)
    rows = load_conflict(store)
    evil = folder / "evil.jsonl"
    evil.write_text(json.dumps(hostile_report()) + "\n", encoding="utf-8")
    assert import_file(store, evil).accepted == 1
    pk = store.report_key("evil-wire", "EVIL-1")
    row, member = hostile_incident(pk)
    nour = rows["al-nour-hospital"]["reports_pk"][0]
    add_incident(store, row, [member], [{"a": member, "b": nour, "kind": "contender",
                                         "score": 0.1, "reasons": {"note": HOSTILE}}])
    for role in ROLES:
        create_account(store, f"acc.{role}", role, GOOD,
                       agency="halab-voice" if role in ("reporter", "agency_lead") else None)
    store.engine.dispose()
    app = create_app(url)
    yield {"url": url, "app": app, "rows": rows}
    app.state.ctx.engine.dispose()


def signed_in(world: dict[str, Any], role: str = "panel") -> TestClient:
    client = TestClient(world["app"], base_url="http://testserver")
    r = client.post("/login", data={"csrf": token(client), "name": f"acc.{role}",
                                    "password": GOOD}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


@pytest.fixture(scope="module")
def panel(world: dict[str, Any]) -> Iterator[TestClient]:
    client = signed_in(world)
    yield client
    client.close()


def keys(world: dict[str, Any], client: TestClient, **params: Any) -> list[str]:
    """The listed incidents, by their keys in the demo's answers (``al-nour-hospital``...)."""
    r = client.get("/api/incidents", params=params)
    assert r.status_code == 200, r.text
    key_of = {row["id"]: key for key, row in world["rows"].items()} | {EVIL_ID: "evil"}
    return [key_of[row["id"]] for row in r.json()["rows"]]


def id_of(world: dict[str, Any], key: str) -> str:
    return str(world["rows"][key]["id"])


def row_of(page: str, incident: str) -> str:
    """The list's table row of one incident."""
    return next(row for row in page.split("<tr>") if f'href="/incidents/{incident}"' in row)


# -- the list ----------------------------------------------------------------------------------
def test_the_list_shows_each_incident_with_grades_in_words_and_casualty_ranges(
    world: dict[str, Any], panel: TestClient,
) -> None:
    page = panel.get("/incidents")
    assert page.status_code == 200
    assert "17 incidents" in page.text  # the demo's sixteen and the hostile one
    row = row_of(page.text, quote(id_of(world, HAMWI)))
    for shown in ("confirmed", "weak", "3–5", "12", "2016-08-11", "air strike", "residential"):
        assert shown in row
    nour_id = id_of(world, "al-nour-hospital")
    nour = row_of(page.text, quote(nour_id))
    assert "unattributed" in nour  # no source names anyone: in words
    assert 'id="incident-map"' in page.text and "incident-timeline" in page.text
    points = json.loads(page.text.split('id="incident-points">', 1)[1].split("</script>", 1)[0])
    assert {i["id"] for p in points for i in p["items"]} >= {nour_id, id_of(world, HAMWI),
                                                             EVIL_ID}
    assert all(p["lat"] is not None for p in points)


@pytest.mark.parametrize(("params", "expected"), [
    ({"certainty": "confirmed"},
     {"al-nour-hospital", "al-zuhour-childrens-hospital", "al-karama-surgical-hospital",
      "masaken-hanano-ambulance", "al-fardous-hamwi-brothers", "urum-al-kubra-convoy"}),
    ({"certainty": "probable", "attribution": ["contested"]},
     {"urum-al-kubra-convoy", "al-rawda-school"}),
    ({"attribution": ["unattributed", "confirmed"], "certainty": "possible"},
     {"castello-road-cut", "al-nour-hospital", "al-hayat-blood-bank",
      "al-hamdaniyah-rockets"}),
    ({"target": "school"}, {"al-rawda-school"}),
    ({"target": "supply_route", "date_from": "2016-08-01"}, {"ramouseh-cut"}),
    ({"date_from": "2016-09-20", "date_to": "2016-09-30"},
     {"bab-al-nairab-market", "al-sukkari-shaaban"}),
    ({"certainty": "rumour", "target": "health_facility", "date_to": "2016-07-23"},
     {"al-nour-hospital"}),
])
def test_filters_narrow_the_list(world: dict[str, Any], panel: TestClient,
                                 params: dict[str, Any], expected: set[str]) -> None:
    assert set(keys(world, panel, **params)) == expected
    page = panel.get("/incidents", params=params)  # the page without JavaScript: a GET form
    listed = page.text.split("<tbody>", 1)[1]
    for key in expected:
        assert f'href="/incidents/{quote(id_of(world, key))}"' in listed
    assert f"{len(expected)} incident" in page.text


def test_the_rumour_filter_keeps_rumours_and_the_default_shows_every_grade(
    world: dict[str, Any], panel: TestClient,
) -> None:
    everything = keys(world, panel)
    assert "haydariya-clinic-rumour" in everything and len(everything) == 17
    assert "haydariya-clinic-rumour" not in keys(world, panel, certainty="possible")


def test_an_htmx_filter_answers_with_the_results_only(panel: TestClient) -> None:
    r = panel.get("/incidents", params={"certainty": "confirmed"},
                  headers={"HX-Request": "true", "HX-Target": "incident-results"})
    assert r.status_code == 200
    assert "<html" not in r.text and "6 incidents" in r.text
    assert 'id="incident-points"' in r.text  # the map redraws from these


@pytest.mark.parametrize("params", [
    {"certainty": "certain"}, {"attribution": "likely"}, {"date_from": "2016-13-40"},
    {"date_from": "2016-09-30", "date_to": "2016-09-01"}, {"target": "<script>"},
    {"period": "year"},
])
def test_a_filter_that_cannot_be_used_is_refused_with_the_error_shape(
    panel: TestClient, params: dict[str, str],
) -> None:
    api = panel.get("/api/incidents", params=params)
    assert api.status_code == 422
    assert set(api.json()) >= {"error", "message", "hint"}
    page = panel.get("/incidents", params=params)
    assert page.status_code == 422 and "<script>" not in page.text


def test_an_unknown_incident_is_404_on_the_page_and_in_the_api(panel: TestClient) -> None:
    page = panel.get("/incidents/I-no-such/incident")
    assert page.status_code == 404 and "no incident" in page.text
    api = panel.get("/api/incidents/I-no-such/incident")
    assert api.status_code == 404 and api.json()["error"] == "NotFound"


# -- one incident -------------------------------------------------------------------------------
def test_an_incident_page_explains_its_grades_and_shows_its_reports_side_by_side(
    world: dict[str, Any], panel: TestClient,
) -> None:
    karama = quote(id_of(world, "al-karama-surgical-hospital"))
    page = panel.get(f"/incidents/{karama}").text
    assert "certainty confirmed" in page and "attribution weak" in page
    assert "share upstream SOHR" in page  # what the attribution rule says
    assert "<h2 id=\"reports\">The reports side by side</h2>" in page
    heads = page.split('class="reports-side"', 1)[1].split("</thead>", 1)[0]
    assert heads.count('<th scope="col" id="r-') == 5  # a column a report
    for row in ("Source", "Upstream", "Reported", "Occurred", "Location", "Harm", "Actors",
                "Casualties", "Evidence", "Narrative"):
        assert f'<th scope="row">{row}</th>' in page
    assert "sha256" in page  # NSHA's video, which made it confirmed
    detail = panel.get(f"/api/incidents/{karama}").json()
    assert len(detail["columns"]) == 5 and detail["grading"]["attribution"][0]["reports"]
    assert {e["kind"] for e in detail["edges"]} == {"merge"}
    assert detail["killed"] == {"min": 1, "max": 2}
    assert [f["report"] for f in detail["casualties"]["killed"]["figures"]]


def test_derived_reports_are_shown_as_not_counting(
    world: dict[str, Any], panel: TestClient,
) -> None:
    wafa = quote(id_of(world, "al-wafa-clinic"))
    page = panel.get(f"/incidents/{wafa}").text
    assert "derived: does not count" in page
    assert "derived from lmr-witness-line/LMR-W-16-0215" in page
    detail = panel.get(f"/api/incidents/{wafa}").json()
    assert detail["derived"] == [{"report": "nsha-witness-line/NSHA-WS-0731",
                                  "derived_from": ["lmr-witness-line/LMR-W-16-0215"]}]
    assert detail["source_count"] == 1 and detail["report_count"] == 2


def test_merge_evidence_and_contenders_are_shown(world: dict[str, Any],
                                               panel: TestClient) -> None:
    page = panel.get(f"/incidents/{quote(id_of(world, 'al-nour-hospital'))}").text
    merges = page.split('id="merges"', 1)[1]
    assert "contender" in merges and "health-watch-syria/HWS-SY-2016-07" in merges
    assert "same day 2016-07-23" in merges and "6.50" in merges
    assert "never merged" in merges


def test_hostile_text_in_reports_and_incidents_is_escaped(panel: TestClient) -> None:
    listing = panel.get("/incidents").text
    detail = panel.get(f"/incidents/{quote(EVIL_ID)}")
    assert detail.status_code == 200
    for text in (listing, detail.text):
        for raw in (HOSTILE, "<img src=x", "<b>Bold</b>", "<i>Hostile</i>", "<svg onload",
                    "<u>sister</u>", "<i>Upstream</i>", "<i>Bulletin</i>"):
            assert raw not in text
    assert "from &lt;i&gt;Bulletin&lt;/i&gt; of 20 October" in detail.text  # the document shown
    assert "&lt;script&gt;alert(" in detail.text and "&lt;b&gt;Bold&lt;/b&gt;" in detail.text
    assert "Zaynab &lt;i&gt;Hostile&lt;/i&gt;" in detail.text
    assert 'href="javascript:' not in detail.text
    # the map's points are data: no text there can close its script element
    block = listing.split('id="incident-points">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and EVIL_ID in json.loads(block)[-1]["id"]
    assert f'href="/incidents/{quote(EVIL_ID)}"' in listing


@pytest.mark.parametrize("role", ROLES)
def test_victims_names_are_shown_only_to_roles_that_read_casework(
    world: dict[str, Any], role: str,
) -> None:
    client = signed_in(world, role)
    hamwi = quote(id_of(world, HAMWI))
    page = client.get(f"/incidents/{hamwi}")
    api = client.get(f"/api/incidents/{hamwi}")
    listing = client.get("/api/incidents")
    if role in ("panel", "analyst"):
        assert page.status_code == api.status_code == listing.status_code == 200
        assert "Mahmoud al-Hamwi" in page.text and "Kassem Hamwi" in page.text
        assert api.json()["victims_shown"] and api.json()["victims"][0]["relatives"]
    else:
        assert page.status_code == api.status_code == listing.status_code == 403
        for text in (page.text, api.text, listing.text):
            assert "Hamwi" not in text
    client.close()


def test_reading_an_incident_is_audited_under_the_reader(world: dict[str, Any]) -> None:
    hamwi = id_of(world, HAMWI)
    client = signed_in(world, "analyst")
    assert client.get(f"/incidents/{quote(hamwi)}").status_code == 200
    client.close()
    refused = signed_in(world, "reporter")
    assert refused.get(f"/incidents/{quote(hamwi)}").status_code == 403
    refused.close()
    store = Store.open(world["url"])
    entries = [(a["actor"], a["action"]) for a in store.audit_rows()
               if a["target"] == f"incident/{hamwi}"]
    store.engine.dispose()
    assert ("acc.analyst", "read") in entries and ("acc.reporter", "denied") in entries


# -- routes and patterns ------------------------------------------------------------------------
def test_routes_show_each_status_change_with_its_reports(panel: TestClient) -> None:
    page = panel.get("/routes")
    assert page.status_code == 200
    castello = page.text.split("Castello Road <span", 1)[1].split("</table>", 1)[0]
    said = [castello.index(f'class="grade band-word-{s}"') for s in ("open", "contested", "cut")]
    assert said == sorted(said)  # open, then contested, then cut
    assert "halab-rights-monitor/HRM-2016-0707" in castello
    assert "un-ocha-syria/OCHA-ALP-FU-0708" in castello
    assert 'class="band-cut"' in page.text and "routes-svg" in page.text


def test_stats_are_those_of_the_command_line(world: dict[str, Any], panel: TestClient) -> None:
    store = Store.open(world["url"])
    groups, period = target_groups(load_profile("conflict").directory)
    expected = {"attacks": attack_rates(store.incidents(), groups, period, "possible"),
                "routes": route_status(store.current_bodies("conflict"))}
    store.engine.dispose()
    got = panel.get("/api/stats").json()
    assert got == json.loads(json.dumps(expected, default=str))
    health = next(a for a in got["attacks"] if a["targets"] == "health_care")
    assert health["incidents"] >= 6
    assert panel.get("/api/stats", params={"period": "fortnight"}).status_code == 422


# -- the navigation -----------------------------------------------------------------------------
def test_the_navigation_offers_incidents_to_readers_of_a_store_with_conflict_reports(
    world: dict[str, Any], panel: TestClient,
) -> None:
    assert 'href="/incidents"' in panel.get("/concerns/new").text
    assert 'href="/routes"' in panel.get("/concerns/new").text
    reporter = signed_in(world, "reporter")
    assert 'href="/incidents"' not in reporter.get("/concerns/new").text
    reporter.close()


def test_the_navigation_is_unchanged_without_conflict_reports(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'store.db'}")
    with TestClient(app, base_url="http://testserver") as client:
        page = client.get("/concerns/new").text
    app.state.ctx.engine.dispose()
    assert 'href="/incidents"' not in page and 'href="/routes"' not in page
    assert 'href="/alerts"' in page


@pytest.mark.parametrize("path", [
    "/api/incidents/I%00x", "/incidents/I%00x", "/api/incidents?target=a%00",
    "/api/alerts/A-%00", "/api/entities/P%00", "/alerts?subject=%00",
])
def test_a_nul_character_in_the_address_is_refused_not_a_server_error(
    panel: TestClient, path: str,
) -> None:
    """PostgreSQL cannot compare text holding NUL, nor keep it in the audit log."""
    r = panel.get(path)
    assert r.status_code == 422 and "NUL" in r.text


def test_the_pages_render_what_the_incidents_stage_makes(store_url: str) -> None:
    """Not hand-made rows: the conflict demo run through the incidents stage itself."""
    store = Store.open(store_url)
    import_file(store, DEMO / "conflict.jsonl")
    made = process_incidents(store).incidents
    victims = {v["name"] for i in store.incidents() for v in i["data"]["victims"]}
    store.engine.dispose()
    app = create_app(store_url)
    with TestClient(app, base_url="http://testserver") as client:
        listed = client.get("/api/incidents").json()
        assert listed["total"] == made > 0
        assert client.get("/incidents").status_code == 200
        pages = "".join(client.get(f"/incidents/{quote(row['id'])}").text
                        for row in listed["rows"])
        for row in listed["rows"]:
            detail = client.get(f"/api/incidents/{quote(row['id'])}").json()
            assert len(detail["columns"]) == detail["report_count"] == row["report_count"]
        assert client.get("/routes").status_code == 200
        assert client.get("/api/stats").status_code == 200
    app.state.ctx.engine.dispose()
    assert "Traceback" not in pages and pages.count("<h2 id=\"reports\">") == made
    assert victims and all(str(escape(name)) in pages for name in victims)


def test_an_analyst_splits_and_confirms_reports_from_an_incident_page(tmp_path: Path) -> None:
    """The page's own forms, on what the stage made: a split holds, a contender is confirmed."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store.open(url)
    import_file(store, DEMO / "conflict.jsonl")
    process_incidents(store)
    create_account(store, "acc.analyst", "analyst", GOOD)
    sarc = store.incident_of_report("sarc-aleppo", "SARC-ALP-2016-0919")
    assert sarc is not None
    store.engine.dispose()
    app = create_app(url)
    with TestClient(app, base_url="http://testserver") as client:
        r = client.post("/login", data={"csrf": token(client), "name": "acc.analyst",
                                        "password": GOOD}, follow_redirects=False)
        assert r.status_code == 303
        page = client.get(f"/incidents/{quote(sarc)}").text
        assert 'action="/incidents/pairs"' in page
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        other = "meridian-press/MP-0919-ALP"
        r = client.post("/incidents/pairs", data={
            "csrf": csrf, "a": "sarc-aleppo/SARC-ALP-2016-0919", "b": other,
            "decision": "split", "reason": "two strikes that evening"}, follow_redirects=False)
        assert r.status_code == 303 and "/incidents/" in r.headers["location"]
        check = Store.open(url)
        assert check.incident_of_report("sarc-aleppo", "SARC-ALP-2016-0919") != \
            check.incident_of_report("meridian-press", "MP-0919-ALP")
        denial = "russian-mod/RUMOD-160920"
        r = client.post("/incidents/pairs", data={
            "csrf": csrf, "a": "sarc-aleppo/SARC-ALP-2016-0919", "b": denial,
            "decision": "confirm", "reason": "the denial is of this strike"},
            follow_redirects=False)
        assert r.status_code == 303
        assert check.incident_of_report("sarc-aleppo", "SARC-ALP-2016-0919") == \
            check.incident_of_report("russian-mod", "RUMOD-160920")
        check.engine.dispose()
        no_reason = client.post("/incidents/pairs", data={
            "csrf": csrf, "a": "sarc-aleppo/SARC-ALP-2016-0919", "b": denial,
            "decision": "split", "reason": " "}, follow_redirects=False)
        assert no_reason.status_code == 422 and "write why" in no_reason.text
    app.state.ctx.engine.dispose()
