"""Follow-up of the conflict review: ``source.partner: true`` is the deployment's trusted partner
channel, so whether a report came by it is the partnership's list (``partners`` in the conflict
profile), never the report's say-so. Before, a reporter's token (agency some-blog) posted one
report saying ``affected_organisation`` and ``partner: true``, and it became a "confirmed"
attack on health care with a high alert.

Every channel validates through one model (file import, the CLI's ingest, the web form and the
API), so each is shown to quarantine it with the same field and reason.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from joinedup.access import create_account, issue_token
from joinedup.cli.app import app as cli
from joinedup.errors import ProfileError
from joinedup.ingest import ValidationFailed, parse_report
from joinedup.ingest.importer import import_file
from joinedup.profiles import PROFILES_DIR, load_profile, load_profile_from
from joinedup.store import Store
from joinedup.store.gate import Actor
from joinedup.web import service
from joinedup.web.app import create_app
from tests.conflict_reports import attack

DEMO_PARTNERS = {"levant-medical-relief", "lmr-witness-line", "nsha-witness-line",
                 "ihsan-ambulance-network", "lmr-family-line", "sarc-aleppo"}


def claimed(rid: str = "blog-1", org: str = "some-blog") -> dict[str, Any]:
    """The reproduction: an outside organisation saying it is the attacked one, and a partner."""
    return attack(rid, org=org, agency="affected_organisation", partner=True,
                  mechanism="air_strike", targets=["health_facility"])


def _is_the_partner_refusal(field: str, reason: str, org: str = "some-blog") -> None:
    assert field == "source.partner"
    assert f"'{org}' is not one of the conflict profile's partner channels" in reason
    assert "add it to `partners`" in reason


def test_the_shipped_profile_lists_only_the_demos_fictional_partners() -> None:
    assert load_profile("conflict").partners == DEMO_PARTNERS
    demo = Path(PROFILES_DIR.parent / "demo" / "conflict.jsonl")
    said = {r["source"]["org"] for line in demo.read_text(encoding="utf-8").splitlines()
            if (r := json.loads(line))["source"].get("partner")}
    assert said == DEMO_PARTNERS


def test_a_partner_claim_from_an_unlisted_org_is_refused_by_the_contract() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_report(claimed(), vocabulary=load_profile("conflict"), file="f.jsonl", line=4)
    _is_the_partner_refusal(caught.value.field, caught.value.reason)
    # the same report without the claim is read, and so is a listed partner's
    parse_report({**claimed(), "source": {"agency": "affected_organisation",
                                          "org": "some-blog"}},
                 vocabulary=load_profile("conflict"), file="f.jsonl", line=4)
    parse_report(claimed("sarc-9", org="sarc-aleppo"), vocabulary=load_profile("conflict"),
                 file="f.jsonl", line=5)


def test_a_deployments_list_is_what_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    own = dataclasses.replace(load_profile("conflict"), partners=frozenset({"some-blog"}))
    parse_report(claimed(), vocabulary=own, file="f.jsonl", line=1)
    none = dataclasses.replace(own, partners=frozenset())
    with pytest.raises(ValidationFailed):
        parse_report(claimed("sarc-9", org="sarc-aleppo"), vocabulary=none, file="f", line=1)


def test_a_partners_list_that_is_not_a_list_of_names_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "conflict"
    folder.mkdir()
    for f in (PROFILES_DIR / "conflict").iterdir():
        if f.is_file():
            (folder / f.name).write_bytes(f.read_bytes())
    text = (folder / "profile.yaml").read_text(encoding="utf-8")
    (folder / "profile.yaml").write_text(text + "\npartners: sarc-aleppo\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="partners: 'sarc-aleppo' is not a list"):
        load_profile_from(folder)


def test_a_file_import_quarantines_it_with_field_and_reason(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (
        claimed(), claimed("sarc-9", org="sarc-aleppo"))) + "\n", encoding="utf-8")
    result = import_file(store, path)
    assert (result.accepted, result.quarantined) == (1, 1)
    err = result.errors[0]
    assert (err.file, err.line) == (str(path), 1)
    _is_the_partner_refusal(err.field, err.reason)
    held = store.quarantine_rows()
    assert len(held) == 1 and held[0]["field"] == "source.partner"


def test_the_cli_ingest_quarantines_it(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps(claimed()) + "\n", encoding="utf-8")
    db = str(tmp_path / "cli.db")
    res = CliRunner().invoke(cli, ["ingest", "--db", db, "--quiet", str(path)])
    assert res.exit_code == 1, res.output
    store = Store.open(f"sqlite:///{db}")
    assert [q["field"] for q in store.quarantine_rows()] == ["source.partner"]
    assert store.incidents() == []
    store.engine.dispose()


def test_the_web_form_and_api_service_quarantine_it(sqlite_store: Store) -> None:
    reporter = Store(sqlite_store.engine, Actor("blogger", "default", "reporter", "some-blog"))
    outcome = service.submit(reporter, claimed(), "api", system=sqlite_store)
    assert outcome["status"] == "quarantined"
    _is_the_partner_refusal(outcome["errors"][0]["field"], outcome["errors"][0]["reason"])
    assert sqlite_store.incidents() == [] and sqlite_store.alerts("open") == []


def test_the_reproduction_a_reporters_token_cannot_confirm_an_attack(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store.open(url)
    create_account(store, "chair", "panel", "correct horse battery")
    create_account(store, "blogger", "reporter", None, agency="some-blog")
    _, secret = issue_token(store, "blogger", "feed", ["reports:write"])
    app = create_app(url)
    with TestClient(app, base_url="http://testserver") as client:
        r = client.post("/api/reports", headers={"Authorization": f"Bearer {secret}"},
                        json=claimed())
    app.state.ctx.engine.dispose()
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    _is_the_partner_refusal(errors[0]["field"], errors[0]["reason"])
    system = Store(store.engine, Actor.local())
    assert system.incidents() == [] and system.alerts("open") == []
    assert [q["field"] for q in system.quarantine_rows()] == ["source.partner"]
    store.engine.dispose()
