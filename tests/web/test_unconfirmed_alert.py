"""An alert whose evidence holds a report counted from unconfirmed proposals says so on its
page, in the inbox and in the API, and links to where the proposals are reviewed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from joinedup.profiles import Profile
from joinedup.store import Store
from joinedup.web.app import create_app
from tests.pipeline.test_unconfirmed import CARE_HOME, POLICE, _linked, _note, _submit


def test_the_alert_page_shows_which_evidence_nobody_has_checked(
    store_url: str, weak: Profile
) -> None:
    store = Store.open(store_url)
    _submit(store, POLICE)
    _submit(store, _note())
    alert = _linked(store)
    assert alert is not None
    store.engine.dispose()
    app = create_app(store_url)
    client = TestClient(app, base_url="http://testserver")
    page = client.get(f"/alerts/{alert['id']}")
    assert page.status_code == 200
    assert "Unconfirmed evidence." in page.text and f"{CARE_HOME}/MFC-1" in page.text
    assert "has not been checked by a person" in page.text
    assert page.text.count("unconfirmed: read from the narrative") == 1  # the note, not P-1
    assert f'href="/submissions/{CARE_HOME}/MFC-1/proposals"' in page.text
    api = client.get(f"/api/alerts/{alert['id']}").json()
    assert api["unconfirmed"] == [f"{CARE_HOME}/MFC-1"]
    assert [e["unconfirmed"] for e in api["evidence"]] == [False, True]
    assert "1 unconfirmed</strong>" in client.get("/alerts").text
    app.state.ctx.engine.dispose()
