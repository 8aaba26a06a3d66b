"""Exports: narratives and protected attributes withheld unless the role may have them, the
file importable again, and every export in the audit log; on both stores."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from joinedup.access.policy import RolePolicy
from joinedup.errors import AccessDenied
from joinedup.export import export_reports
from joinedup.ingest.importer import import_file, submit_report
from joinedup.store import Store
from joinedup.store.gate import Actor

ORG = "vale-police"


def _report(rid: str, org: str) -> dict[str, Any]:
    return {
        "id": rid,
        "source": {"agency": "police", "org": org},
        "reported_at": "2009-05-01",
        "people": [
            {"ref": "c", "role": "child", "name": "Ada Export", "age": 14,
             "description": "wears a grey school coat",
             "attributes": {"ethnicity": "recorded-value", "religion": "recorded-value",
                            "school_year": "9"}},
            {"ref": "m", "role": "person_of_concern", "aliases": ["Kite"]},
        ],
        "narrative": "Ada says a man called Kite collects her from school.",
    }


@pytest.fixture
def filled(store: Store) -> Store:
    submit_report(store, _report("EX-1", ORG), "test")
    submit_report(store, _report("EX-2", "mv-childrens-services"), "test")
    return store


def _as(store: Store, role: str, agency: str | None = None) -> Store:
    return Store(store.engine, Actor(f"acc.{role}", "default", role, agency), RolePolicy())


def _export(store: Store, **kwargs: Any) -> list[dict[str, Any]]:
    buffer = io.StringIO()
    export_reports(store, buffer, **kwargs)
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_an_export_withholds_narratives_and_protected_attributes(filled: Store) -> None:
    rows = _export(_as(filled, "panel"))
    assert {r["id"] for r in rows} == {"EX-1", "EX-2"}
    text = json.dumps(rows)
    for withheld in ("collects her from school", "grey school coat", "recorded-value"):
        assert withheld not in text
    child = rows[0]["people"][0]
    assert child["attributes"] == {"school_year": "9"} and child["name"] == "Ada Export"
    assert rows[0]["extra"]["joinedup_withheld"] == [
        "narrative", "people[0].description", "people[0].attributes.ethnicity",
        "people[0].attributes.religion"]


def test_every_protected_characteristic_is_withheld_however_its_key_is_written(
    store: Store,
) -> None:
    """The input contract's protected attributes (race, sexual orientation, gender identity)
    are withheld even where the profile's list leaves them out, and a key is read as a person
    reads it ("Ethnicity", "religion ", "sexual-orientation"); an email's subject line is free
    text, withheld with the narrative."""
    attributes = {"race": "v1", "sexual_orientation": "v2", "gender_identity": "v3",
                  "Ethnicity": "v4", "religion ": "v5", "sexual-orientation": "v6",
                  "ethnic_group": "v7", "Religion or belief": "v8", "sexuality": "v9",
                  "first_language": "v10", "country_of_birth": "v11", "Ethnicity:": "v12",
                  "ethni\u200bcity": "v13", "school_year": "9"}
    report = _report("EX-3", ORG)
    report["people"][0]["attributes"] = attributes
    report["extra"] = {"email_subject": "Ada (14) seen with Kite", "ticket": "T-1"}
    submit_report(store, report, "test")
    (row,) = _export(_as(store, "panel"))
    assert row["people"][0]["attributes"] == {"school_year": "9"}
    assert "email_subject" not in row["extra"] and row["extra"]["ticket"] == "T-1"
    assert "extra.email_subject" in row["extra"]["joinedup_withheld"]
    full = _export(_as(store, "panel"), include=["narratives", "protected_attributes"])
    assert full[0]["people"][0]["attributes"] == attributes
    assert full[0]["extra"]["email_subject"] == "Ada (14) seen with Kite"


def test_the_roles_the_profile_names_may_include_them(filled: Store) -> None:
    full = _export(_as(filled, "panel"), include=["narratives", "protected_attributes"])
    assert "Kite collects" in full[0]["narrative"]
    assert full[0]["people"][0]["attributes"]["ethnicity"] == "recorded-value"
    assert "extra" not in full[0]
    analyst = _as(filled, "analyst")
    assert len(_export(analyst)) == 2  # redacted: allowed
    for part in ("narratives", "protected_attributes"):
        with pytest.raises(AccessDenied, match=f"may not export {part.replace('_', ' ')}"):
            _export(analyst, include=[part])


def test_an_agency_lead_exports_their_own_agency_only(filled: Store) -> None:
    lead = _as(filled, "agency_lead", ORG)
    rows = _export(lead, include=["narratives"])
    assert [r["source"]["org"] for r in rows] == [ORG] and "narrative" in rows[0]
    with pytest.raises(AccessDenied):
        _export(lead, org="mv-childrens-services")
    with pytest.raises(AccessDenied):
        _export(lead, include=["protected_attributes"])
    for role, agency in (("reporter", ORG), ("admin", None)):
        with pytest.raises(AccessDenied):
            _export(_as(filled, role, agency))


def test_an_export_is_audited_and_imports_again(filled: Store, tmp_path: Any) -> None:
    before = len(filled.audit_rows())
    path = tmp_path / "export.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        export_reports(_as(filled, "panel"), fh, include=["narratives"])
    entries = [e for e in filled.audit_rows()[before:] if e["action"] == "export"]
    assert [(e["actor"], e["target"], e["detail"]["include"]) for e in entries] == [
        ("acc.panel", "reports", ["narratives"])]
    again = Store.open(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    result = import_file(again, path)
    assert (result.accepted, result.quarantined) == (2, 0)
    again.engine.dispose()


def test_export_from_the_command_line(filled: Store, tmp_path: Any,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from joinedup.access import create_account
    from joinedup.cli.app import app

    url = filled.engine.url.render_as_string(hide_password=False)
    create_account(filled, "chair", "panel", "correct horse battery")
    monkeypatch.setenv("JOINEDUP_PASSWORD", "correct horse battery")
    out = tmp_path / "out.jsonl"
    run = CliRunner().invoke(app, ["--as", "chair", "export", str(out), "--db", url])
    assert run.exit_code == 0, run.output
    assert "2 reports written" in run.output and "withheld: 4 free-text fields" in run.output
    assert "Kite collects" not in out.read_text(encoding="utf-8")
    refused = CliRunner().invoke(app, ["--as", "chair", "export", str(out), "--include",
                                       "everything", "--db", url])
    assert refused.exit_code == 2 and "cannot include everything" in refused.output


def _victims_report() -> dict[str, Any]:
    return {
        "profile": "conflict", "id": "mon-7", "reported_at": "2016-07-24",
        "source": {"agency": "local_monitor", "org": "aleppo-monitor"},
        "harm": {"mechanism": "air_strike", "targets": ["health_facility"]},
        "people": [
            {"ref": "v1", "name": "Yusuf Test-Victim", "age": 9, "sex": "male",
             "status": "injured", "relatives": [{"ref": "v2", "relation": "brother"}]},
            {"ref": "v2", "name": "Adnan Test-Victim", "status": "killed"},
        ],
        "narrative": "A clinic in the east of the city was hit at night.",
    }


def test_victims_personal_data_is_withheld_unless_the_role_may_have_it(filled: Store) -> None:
    submit_report(filled, _victims_report(), "test")
    analyst = _export(_as(filled, "analyst"))
    [conflict] = [r for r in analyst if r["id"] == "mon-7"]
    assert "Test-Victim" not in json.dumps(conflict)
    assert [p["status"] for p in conflict["people"]] == ["injured", "killed"]  # counts survive
    assert {"people[0].name", "people[0].age", "people[0].sex", "people[0].relatives",
            "people[1].name"} <= set(conflict["extra"]["joinedup_withheld"])
    with pytest.raises(AccessDenied, match="victims"):
        _export(_as(filled, "analyst"), include=["victims"])
    panel = _export(_as(filled, "panel"), include=["victims"])
    [full] = [r for r in panel if r["id"] == "mon-7"]
    assert full["people"][0]["name"] == "Yusuf Test-Victim"
    assert "narrative" not in full  # narratives are a part of their own
    # an agency lead may include narratives of safeguarding reports, not of conflict ones
    lead = _export(_as(filled, "agency_lead", "aleppo-monitor"), include=["narratives"])
    assert [r["id"] for r in lead] == ["mon-7"] and "narrative" not in lead[0]
