"""Follow-up of the conflict review: protected characteristics given under a report's ``extra``
are withheld from an export as those under ``people[].attributes`` are. A conflict report has no
``attributes`` (its victims and actors carry none), so a source that gives a victim's religion or
an area's ethnic make-up puts it under ``extra``; before, an export without
``protected_attributes`` let ``extra.religion`` and ``extra.ethnicity`` out. Both profiles."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from joinedup.access.policy import RolePolicy
from joinedup.export import export_reports, redact
from joinedup.ingest.importer import submit_report
from joinedup.profiles import load_profile
from joinedup.store import Store
from joinedup.store.gate import Actor

SECRET = "recorded-value"


def _conflict(rid: str = "mon-9") -> dict[str, Any]:
    return {
        "profile": "conflict", "id": rid, "reported_at": "2016-08-02",
        "source": {"agency": "local_monitor", "org": "aleppo-monitor"},
        "occurred_from": "2016-08-01",
        "location": {"name": "al-Shaar", "admin1": "Aleppo", "precision": "neighbourhood"},
        "harm": {"mechanism": "shelling", "targets": ["residential"]},
        "extra": {
            "religion": SECRET, "Ethnicity ": SECRET, "source_scale": "local",
            "victims": [{"ref": "v1", "sect": SECRET, "note": "kept"}],
            "area": {"make_up": {"ethnic_group": SECRET, "population": 1200}},
        },
    }


def _safeguarding(rid: str = "EX-9") -> dict[str, Any]:
    return {
        "id": rid, "source": {"agency": "police", "org": "vale-police"},
        "reported_at": "2009-05-01",
        "people": [{"ref": "c", "role": "child", "name": "Ada Extra", "age": 14}],
        "extra": {"nationality": SECRET, "case": {"Religion or belief": SECRET, "ref": "Q7"}},
    }


def test_redact_withholds_protected_keys_anywhere_in_extra() -> None:
    body, removed = redact(_conflict(), load_profile("conflict"), frozenset())
    assert SECRET not in json.dumps(body)
    assert set(removed) >= {"extra.religion", 'extra["Ethnicity "]', "extra.victims[0].sect",
                            "extra.area.make_up.ethnic_group"}
    extra = body["extra"]
    assert extra["source_scale"] == "local" and extra["victims"] == [{"ref": "v1",
                                                                       "note": "kept"}]
    assert extra["area"]["make_up"] == {"population": 1200}
    assert set(removed) <= set(extra["joinedup_withheld"])
    # a role that may include them gets them
    whole, none = redact(_conflict(), load_profile("conflict"),
                         frozenset({"protected_attributes"}))
    assert whole["extra"]["religion"] == SECRET and none == []


@pytest.mark.parametrize("make", [_conflict, _safeguarding])
def test_an_export_without_protected_attributes_lets_none_out_of_extra(
    store: Store, make: Any
) -> None:
    result = submit_report(store, make(), "test")
    assert result.accepted == 1, result.errors
    analyst = Store(store.engine, Actor("acc.analyst", "default", "analyst", None), RolePolicy())
    buffer = io.StringIO()
    done = export_reports(analyst, buffer)
    [row] = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert SECRET not in json.dumps(row)
    assert done.withheld["protected_attributes"] >= 2
    panel = Store(store.engine, Actor("acc.panel", "default", "panel", None), RolePolicy())
    buffer = io.StringIO()
    export_reports(panel, buffer, include=["protected_attributes"])
    assert SECRET in buffer.getvalue()
