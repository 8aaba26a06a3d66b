"""Review 5: where a role may read an incident but not its victims' personal data, nothing on
the incident's page names them: not the people rows, and not the narratives either (they name
the victims: "two brothers, Mahmud Hamwi (about 6) and Kassem Hamwi (11)")."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from joinedup.access.policy import RolePolicy
from joinedup.store import Store
from joinedup.store.gate import Actor
from joinedup.web import incident_views
from tests.web.conflict_world import load_conflict

HAMWI = "al-fardous-hamwi-brothers"


class NoVictims(RolePolicy):
    """A deployment's policy under which an analyst reads casework but not victims' data."""

    def allows(self, actor: Actor, action: str, target: str,
               facts: Mapping[str, str] | None = None) -> bool:
        if (action, target) == ("read", "victims"):
            return False
        return super().allows(actor, action, target, facts)


def test_a_role_that_may_not_read_victims_sees_no_name_in_the_narratives(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    rows = load_conflict(Store.open(url))
    engine = Store.open(url).engine
    analyst = Store(engine, Actor("acc.analyst", "default", "analyst", None), NoVictims())
    detail = incident_views.incident_detail(analyst, str(rows[HAMWI]["id"]))
    assert not detail["victims_shown"] and detail["victims"] == []
    assert detail["columns"] and all(c["people"] == [] for c in detail["columns"])
    shown = json.dumps(detail)
    assert "Hamwi" not in shown and "Qassem" not in shown
    assert any(c["narrative"] == incident_views.WITHHELD_NARRATIVE for c in detail["columns"])
    # the panel, which may, still reads them
    panel = Store(engine, Actor("acc.panel", "default", "panel", None), RolePolicy())
    full = incident_views.incident_detail(panel, str(rows[HAMWI]["id"]))
    assert "Hamwi" in json.dumps(full)
    engine.dispose()
