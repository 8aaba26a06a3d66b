"""An alert's page says when the alert came back after the engine had withdrawn it: the
decisions taken before are marked as history, and the page asks for a new decision. Before,
the page showed the old closing decision as the alert's state."""

from __future__ import annotations

from fastapi.testclient import TestClient

from joinedup.decide import record_decision
from joinedup.store import Store

PLATE = "MX07KLF"  # the demo's shared private-hire car
KEPT = ("partnership", "status", "created_at", "updated_at", "reraised_at", "reraised_after")


def test_the_page_of_an_alert_raised_again_asks_for_a_new_decision(
    client: TestClient, store: Store
) -> None:
    alert = next(a for a in store.alerts("open") if a["subject_label"] == PLATE)
    record_decision(store, alert["id"], action="close", owner="Panel chair",
                    rationale="The car's firm has taken the driver off its books.")
    before = client.get(f"/alerts/{alert['id']}").text
    assert "Raised again" not in before and "before it was raised again" not in before

    key = {"subjects": {alert["subject"]}, "rules": [alert["rule"]]}
    engine_row = {k: v for k, v in alert.items() if k not in KEPT}
    assert store.sync_alerts([], **key) == (0, 1)  # withdrawn
    assert store.sync_alerts([engine_row], **key) == (0, 0)  # and raised again

    page = client.get(f"/alerts/{alert['id']}")
    assert page.status_code == 200
    assert "Raised again</strong> on " in page.text
    assert "before it was raised again" in page.text  # the old close, kept as history
    assert "taken the driver off its books" in page.text
    assert "No decision since it was raised again: waiting" in page.text
