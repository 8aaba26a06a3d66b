"""Follow-up of the conflict review: ``joinedup incidents`` reads victims' personal data as the
web does (only for a role that may read victims) and audits each incident it prints as
``read incident/ID``, so that ``joinedup audit who-saw I-…`` lists it. Before, ``--json``
printed every named victim whatever the role and logged one ``read incidents``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from joinedup.access.policy import RolePolicy
from joinedup.cli import app as cli_app
from joinedup.cli.conflict import incidents_json
from joinedup.store import Store
from joinedup.store.gate import Actor
from tests.web.conflict_world import load_conflict

HAMWI = "al-fardous-hamwi-brothers"
runner = CliRunner()


class NoVictims(RolePolicy):
    """A deployment's policy under which an analyst reads casework but not victims' data."""

    def allows(self, actor: Actor, action: str, target: str,
               facts: Mapping[str, str] | None = None) -> bool:
        if (action, target) == ("read", "victims"):
            return False
        return super().allows(actor, action, target, facts)


@pytest.fixture
def world(tmp_path: Path) -> tuple[str, dict[str, dict[str, object]]]:
    db = str(tmp_path / "store.db")
    store = Store.open(f"sqlite:///{db}")
    rows = load_conflict(store)
    store.engine.dispose()
    return db, rows


def test_a_role_that_may_not_read_victims_gets_no_name_age_or_relative(
    world: tuple[str, dict[str, dict[str, object]]],
) -> None:
    db, rows = world
    engine = Store.open(f"sqlite:///{db}").engine
    analyst = Store(engine, Actor("acc.analyst", "default", "analyst", None), NoVictims())
    [hamwi] = [r for r in incidents_json(analyst) if r["id"] == rows[HAMWI]["id"]]
    # (the test world labels an incident by its answer key's name, "al-fardous-hamwi-brothers";
    # the stage's labels are the date, harm and place)
    shown = json.dumps({k: v for k, v in hamwi.items() if k != "label"})
    assert "Hamwi" not in shown and "Qassem" not in shown and "brother" not in shown
    assert hamwi["victims_shown"] is False
    assert hamwi["victims"] and all(set(v) <= {"status", "statuses", "reports"}
                                    for v in hamwi["victims"])
    # the panel, which may, still reads them
    panel = Store(engine, Actor("acc.panel", "default", "panel", None), RolePolicy())
    [full] = [r for r in incidents_json(panel) if r["id"] == rows[HAMWI]["id"]]
    assert full["victims_shown"] is True and "Hamwi" in json.dumps(full["victims"])
    engine.dispose()


def test_the_command_withholds_them_from_such_a_role(
    world: tuple[str, dict[str, dict[str, object]]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, _ = world
    engine = Store.open(f"sqlite:///{db}").engine
    analyst = Store(engine, Actor("acc.analyst", "default", "analyst", None), NoVictims())
    monkeypatch.setattr(cli_app, "_open", lambda *_a, **_k: analyst)
    res = runner.invoke(cli_app.app, ["incidents", "--json", "--db", db])
    assert res.exit_code == 0, res.output
    printed = json.loads(res.stdout)
    assert printed and all(not r["victims_shown"] for r in printed)
    assert "Hamwi" not in json.dumps([{**r, "label": ""} for r in printed])
    engine.dispose()


@pytest.mark.parametrize("as_json", [True, False])
def test_each_incident_printed_is_audited_and_who_saw_lists_it(
    world: tuple[str, dict[str, dict[str, object]]], as_json: bool,
) -> None:
    db, rows = world
    wanted = str(rows[HAMWI]["id"])
    res = runner.invoke(cli_app.app, ["incidents", *(["--json"] if as_json else []),
                                      "--db", db])
    assert res.exit_code == 0, res.output
    store = Store.open(f"sqlite:///{db}")
    reads = [r for r in store.audit_rows() if r["action"] == "read"
             and r["target"].startswith("incident/")]
    store.engine.dispose()
    assert {r["target"] for r in reads} == {f"incident/{row['id']}" for row in rows.values()}
    said = runner.invoke(cli_app.app, ["audit", "who-saw", wanted, "--json", "--db", db])
    assert said.exit_code == 0, said.output
    seen = json.loads(said.stdout)
    assert [(r["action"], r["target"]) for r in seen] == [("read", f"incident/{wanted}")]
    assert seen[0]["detail"].get("victims") is True
