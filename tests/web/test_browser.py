"""The panel's pages in a real browser: Debian's Chromium, headless, driven by Playwright.

No browser is downloaded: Playwright drives ``/usr/bin/chromium`` (``apt-get install
chromium``; ``make test`` installs it). Without it this test fails, never skips. With
``JOINEDUP_SCREENSHOTS=docs/img`` (``make screenshots``) the pages are saved for the README.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from joinedup.cli.summary import load_demo
from joinedup.store import Store
from joinedup.web.app import create_app
from tests.web.conflict_world import load_conflict

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core, vendored by assets/vendor.mjs


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'store.db'}"
    store = Store.open(url)
    load_demo(store)
    store.engine.dispose()
    return url


@pytest.fixture(scope="module")
def server(demo_url: str) -> Iterator[str]:
    yield from _serve(demo_url)


def _entity_of(url: str, mention: str) -> str:
    store = Store.open(url)
    found = next(m["entity"] for m in store.memberships()
                 if f"{m['org']}/{m['report_id']}#{m['ref']}" == mention)
    store.engine.dispose()
    return str(found)


CONNOR = ("kelbridge-youth-club/KYS-0061#con", "kelbridge-youth-club/KYS-0088#con")


@pytest.fixture(scope="module")
def conflict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the conflict demo's reports and their incidents."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-conflict') / 'store.db'}"
    store = Store.open(url)
    load_conflict(store)
    store.engine.dispose()
    yield from _serve(url)


def _serve(url: str) -> Iterator[str]:
    """The web app on ``url``, served by uvicorn on a free port in a thread."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "install Debian's Chromium: apt-get install chromium (make test does)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser: Browser, server: str) -> Iterator[Page]:
    pg = browser.new_page(viewport={"width": 1366, "height": 900}, base_url=server)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    pg.close()
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = Path(os.environ.get("JOINEDUP_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _fill_concern(page: Page, org: str, agency: str, child: str, age: str) -> None:
    page.goto("/concerns/new")
    page.select_option("#source-agency", agency)
    page.fill("#source-org", org)
    page.fill("#source-reporter", f"Worker at {org}")
    page.fill("#reported_at", "2009-03-02")
    page.select_option("#people-0-role", "child")
    page.fill("#people-0-name", child)
    page.fill("#people-0-age", age)
    page.select_option("#people-1-role", "person_of_concern")
    page.fill("#people-1-aliases", "Kestrel")
    page.fill("#people-1-phones", "07700 900321")
    page.select_option("#links-0-from", "p2")
    page.select_option("#links-0-type", "transported")
    page.select_option("#links-0-to", "p1")
    page.locator("summary", has_text="Places transport").click()
    page.check("#ind-transported_by_unknown_adults")
    page.fill("#narrative", f"{child} is driven to parties by a man called Kestrel.")


def test_a_concern_with_an_invalid_field_comes_back_with_the_error_beside_it(page: Page) -> None:
    _fill_concern(page, "browser-police", "police", "Maya Browser", "fourteen")
    page.click("button.primary")
    expect(page.locator("#people-0-age-error")).to_contain_text("whole number")
    expect(page.locator("#people-0-age")).to_have_value("fourteen")
    expect(page.locator("#people-1-aliases")).to_have_value("Kestrel")
    expect(page.locator("#ind-transported_by_unknown_adults")).to_be_checked()
    page.fill("#people-0-age", "14")
    page.click("button.primary")
    expect(page.locator("h1")).to_have_text("Concern recorded")


def test_a_second_agency_naming_the_same_nickname_raises_an_alert_and_a_decision_is_recorded(
    page: Page, shots: Path
) -> None:
    _fill_concern(page, "browser-clinic", "health", "Isla Browser", "13")
    page.click("button.primary")
    expect(page.locator("h1")).to_have_text("Concern recorded")
    raised = page.locator(".alerts-now li", has_text="raised by this concern")
    expect(raised.first).to_be_visible()
    raised.locator("a", has_text="linked_children").click()
    expect(page.locator(".evidence li")).to_have_count(2)
    expect(page.locator(".evidence mark").first).to_have_text("Kestrel")
    page.screenshot(path=str(shots / "alert.png"))

    page.select_option("#action", "close")
    page.fill("#owner", "Panel chair")
    page.fill("#rationale", "She says it is her own choice and she consents.")
    page.click("form.decision button")
    expect(page.locator(".refused")).to_contain_text("cannot consent")
    expect(page.locator("#rationale")).to_have_value(
        "She says it is her own choice and she consents.")

    page.select_option("#action", "strategy_meeting")
    # a due date may not be before today: the meeting is in a week
    page.fill("#due", (date.today() + timedelta(days=7)).isoformat())
    page.fill("#rationale", "Two agencies describe the same man driving two girls. Meeting.")
    page.click("form.decision button")
    expect(page.locator(".decisions li")).to_contain_text("Strategy meeting")
    expect(page.locator(".decisions li")).to_contain_text("Panel chair")


def test_the_inbox_filters_in_place(page: Page, shots: Path) -> None:
    page.goto("/alerts")
    expect(page.locator("table.inbox tbody tr").first).to_be_visible()
    page.screenshot(path=str(shots / "inbox.png"))
    page.select_option("#f-rule", "place_hotspot")  # HTMX swaps the rows, no reload
    expect(page.locator("table.inbox tbody td a[href^='/alerts/']").first).to_have_text(
        "place_hotspot")
    rules = page.locator("table.inbox tbody td a[href^='/alerts/']").all_inner_texts()
    assert rules and set(rules) == {"place_hotspot"}
    assert "rule=place_hotspot" in page.url


def test_the_network_and_the_map_are_drawn(page: Page, shots: Path) -> None:
    page.goto("/alerts?rule=place_hotspot")
    page.locator("table.inbox tbody tr").first.locator("a[href^='/entities/']").click()
    network, map_ = page.locator("#network"), page.locator("#map")
    expect(network).to_have_attribute("data-nodes", lambda_re(r"^[2-9]|^\d\d"))
    expect(map_).to_have_attribute("data-markers", lambda_re(r"^[1-9]"))
    assert page.locator("#network canvas").count() > 0
    assert page.locator("#map .leaflet-interactive").count() >= 1  # markers and outlines drawn
    everything = int(map_.get_attribute("data-markers") or 0)
    slider = page.locator("#map-date")
    slider.fill("0")  # the earliest date: fewer (or as many) places known then
    assert int(map_.get_attribute("data-markers") or 0) <= everything
    network.screenshot(path=str(shots / "network.png"))
    map_.screenshot(path=str(shots / "map.png"))


def _axe_violations(pg: Page, paths: Iterable[str | None]) -> dict[str, list[str]]:
    """axe-core's serious and critical WCAG 2 A and AA violations, by page."""
    found: dict[str, list[str]] = {}
    for path in paths:
        pg.goto(str(path))
        pg.wait_for_load_state("networkidle")
        pg.add_script_tag(path=str(AXE))
        result = pg.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})")
        bad = [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            found[str(path)] = bad
    return found


def test_the_pages_pass_an_accessibility_check(
    browser: Browser, server: str, demo_url: str
) -> None:
    """axe-core's WCAG 2 A and AA rules (labels, contrast, names, structure) on every kind of
    page: no serious or critical violation. The check's script is injected, so this context
    alone lets it past the app's Content-Security-Policy."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=server,
                              bypass_csp=True)
    pg = ctx.new_page()
    pg.goto("/alerts?rule=linked_children")
    alert = pg.locator("table.inbox tbody a[href^='/alerts/']").first.get_attribute("href")
    entity = pg.locator("table.inbox tbody a[href^='/entities/']").first.get_attribute("href")
    found = _axe_violations(pg, ("/alerts", alert, entity,
                                 f"/timeline?entity={str(entity).rsplit('/', 1)[-1]}",
                                 "/search?q=sultan", "/concerns/new", "/login",
                                 f"/entities/{_entity_of(demo_url, CONNOR[0])}"))
    ctx.close()
    assert found == {}


@pytest.fixture(scope="module")
def conflict_page(browser: Browser, conflict_server: str) -> Iterator[Page]:
    pg = browser.new_page(viewport={"width": 1366, "height": 900}, base_url=conflict_server)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    pg.close()
    assert errors == [], f"JavaScript errors: {errors}"


def test_the_incident_list_draws_its_map_and_timeline_and_filters_in_place(
    conflict_page: Page, shots: Path
) -> None:
    page = conflict_page
    page.goto("/incidents")
    rows = page.locator("table.incidents tbody tr")
    expect(rows).to_have_count(16)
    incident_map = page.locator("#incident-map")
    expect(incident_map).to_have_attribute("data-markers", lambda_re(r"^1[0-6]$"))
    assert page.locator("#incident-map .leaflet-interactive").count() >= 10  # marks, outlines
    expect(page.locator("svg.incident-timeline rect").first).to_be_visible()
    page.screenshot(path=str(shots / "incidents.png"))
    everything = int(incident_map.get_attribute("data-markers") or 0)

    url = page.url
    page.select_option("#f-certainty", "confirmed")  # HTMX swaps the results, no reload
    expect(rows).to_have_count(6)
    grades = page.locator("table.incidents tbody .grade[class*='cert-']").all_inner_texts()
    assert set(grades) == {"confirmed"}
    assert "certainty=confirmed" in page.url and page.url != url
    expect(page.locator(".count")).to_have_text("6 incidents")
    expect(incident_map).not_to_have_attribute("data-markers", str(everything))  # redrawn
    page.check("input[name='attribution'][value='weak']")
    expect(rows).to_have_count(4)  # confirmed, and attributed weakly
    assert "attribution=weak" in page.url


def test_an_incident_shows_its_reports_side_by_side(conflict_page: Page, shots: Path) -> None:
    page = conflict_page
    page.goto("/incidents?certainty=confirmed")
    page.locator("table.incidents a", has_text="Al karama surgical hospital").click()
    expect(page.locator("h1")).to_contain_text("Al karama surgical hospital")
    columns = page.locator("table.reports-side thead th[id^='r-']")
    expect(columns).to_have_count(5)
    boxes = [columns.nth(i).bounding_box() for i in range(2)]
    assert boxes[0] and boxes[1] and boxes[1]["x"] > boxes[0]["x"] + 100  # side by side
    assert abs(boxes[1]["y"] - boxes[0]["y"]) < 2
    narratives = page.locator("table.reports-side tr", has_text="Narrative").locator("td")
    expect(narratives).to_have_count(5)
    expect(page.locator("#g-certainty")).to_contain_text("confirmed")
    expect(page.locator("#g-attribution")).to_contain_text("weak")
    page.locator("ol.rules a").first.click()  # a rule's report: its column
    assert "#r-" in page.url
    page.locator(".side-by-side").screenshot(path=str(shots / "incident.png"))
    page.goto("/routes")
    expect(page.locator("svg.routes-svg rect.band-cut").first).to_be_visible()
    page.locator("figure.timeline").screenshot(path=str(shots / "routes.png"))


def test_the_conflict_pages_pass_an_accessibility_check(
    browser: Browser, conflict_server: str
) -> None:
    """axe-core's WCAG 2 A and AA rules on the incident list, an incident and the routes."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 900},
                              base_url=conflict_server, bypass_csp=True)
    pg = ctx.new_page()
    incidents = ("Al fardous hamwi brothers", "Al wafa clinic")
    hrefs = []
    pg.goto("/incidents")
    for label in incidents:
        hrefs.append(pg.locator("table.incidents a", has_text=label).get_attribute("href"))
    found = _axe_violations(pg, ("/incidents", "/incidents?certainty=probable&attribution=fair",
                                 *hrefs, "/routes"))
    ctx.close()
    assert found == {}


def lambda_re(pattern: str) -> object:
    import re

    return re.compile(pattern)


def test_a_person_possibly_the_same_is_confirmed_from_the_page(
    page: Page, demo_url: str, shots: Path
) -> None:
    """The demo's two youth-club reports of Connor Ashby share his name and nothing else: kept
    apart, offered on his page, and one person once the analyst confirms it there."""
    one, two = (_entity_of(demo_url, m) for m in CONNOR)
    assert one != two
    page.goto(f"/entities/{one}")
    offered = page.locator("table.possible tbody tr")
    expect(offered).to_have_count(1)
    expect(offered.locator("a").first).to_have_attribute("href", f"/entities/{two}")
    page.screenshot(path=str(shots / "possible.png"), full_page=True)
    offered.locator("input[name=reason]").fill("One boy: the club's register gives one Connor")
    offered.locator("button", has_text="Confirm: one person").click()
    expect(page.locator("h2#merges")).to_be_visible()
    mentions = page.locator("table").filter(has_text="As given").locator("tbody tr")
    expect(mentions).to_have_count(2)
    expect(page.locator("table.merges").first).to_contain_text("confirmed as one person")
    expect(page.locator("table.possible")).to_have_count(0)
    assert _entity_of(demo_url, CONNOR[0]) == _entity_of(demo_url, CONNOR[1])



def test_a_place_name_on_the_map_is_text_never_markup(page: Page, demo_url: str) -> None:
    """Leaflet sets a tooltip given as a string as HTML: a place name from a report must go in
    as text, or a reporter could put links and forms on the panel's map."""
    from joinedup.ingest.importer import submit_report
    from joinedup.pipeline import process_new

    name = '<b class="injected">Old Mill</b>'
    store = Store.open(demo_url)
    done = submit_report(store, {
        "id": "MAP-1", "source": {"agency": "police", "org": "vale-police"},
        "reported_at": "2009-05-01",
        "people": [{"ref": "c", "role": "child", "name": "Tess Marlow", "age": 14}],
        "places": [{"ref": "x", "name": name, "kind": "flat", "lat": 53.61, "lon": -2.16}],
        "links": [{"from": "c", "to": "x", "type": "taken_to"}]}, "test")
    process_new(store, done.reports)
    store.engine.dispose()
    page.goto(f"/entities/{_entity_of(demo_url, 'vale-police/MAP-1#x')}")
    tooltip = page.locator("#map .leaflet-tooltip").first
    expect(tooltip).to_have_text(name)
    assert page.locator("#map .injected").count() == 0
