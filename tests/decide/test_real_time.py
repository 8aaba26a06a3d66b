"""What the panel does happens at the real time: an escalation is not made at a moment someone
writes down, and an action cannot be due on a day already past. Each path is the same
function (CLI, form, API call ``record_decision``); the CLI is tried here as well.

Reproduced before: ``joinedup overdue --escalate --at FUTURE`` escalated alerts before their
deadline under a date that had not come, and a due date in 2008 was recorded as given."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from joinedup.access import account_actor, create_account
from joinedup.access.policy import RolePolicy
from joinedup.cli.app import app
from joinedup.decide import DecisionInvalid, record_decision
from joinedup.decide.escalation import escalate_overdue, name_panel_lead
from joinedup.decide.timescales import retention, timescales
from joinedup.errors import InputError, ProfileError
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.web.views import inbox

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
GOOD = "correct horse battery"
TIMESCALES = importlib.import_module("joinedup.decide.timescales")  # the package's name
runner = CliRunner()  # `joinedup.decide.timescales` is the function it imports


@pytest.fixture
def demo(store: Store) -> Store:
    import_file(store, DEMO)
    process(store)
    create_account(store, "root", "admin", GOOD)
    create_account(store, "chair", "panel", GOOD)
    name_panel_lead(_as(store, "root"), "chair")
    return store


def _as(store: Store, name: str) -> Store:
    acc = store.account_named(name)
    assert acc is not None
    return Store(store.engine, account_actor(acc), RolePolicy())


def _a_week_after_the_alerts(store: Store) -> datetime:
    created = min(a["created_at"] for a in store.alerts("open"))
    return (created if created.tzinfo else created.replace(tzinfo=UTC)) + timedelta(days=7)


def _escalated(store: Store) -> dict[str, dict[str, Any]]:
    return store.escalations([a["id"] for a in store.alerts("open")])


def test_escalating_refuses_a_moment_in_the_future(demo: Store, store_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    later = _a_week_after_the_alerts(demo)  # every alert overdue then, none yet
    monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)
    res = runner.invoke(app, ["--as", "chair", "overdue", "--escalate", "--at",
                              later.replace(tzinfo=None).isoformat(), "--db", store_url])
    assert res.exit_code == 2 and "does not take --at" in res.output
    chair = _as(demo, "chair")
    rows = list(inbox(chair, status="overdue", now=later)["rows"])
    assert rows  # listing what will be overdue is still allowed
    with pytest.raises(InputError, match="happens now"):
        escalate_overdue(chair, rows, later)
    assert _escalated(demo) == {}
    listed = runner.invoke(app, ["--as", "chair", "overdue", "--at",
                                 later.replace(tzinfo=None).isoformat(), "--db", store_url])
    assert listed.exit_code == 0 and f"{len(rows)} overdue" in listed.output


def test_a_due_date_before_today_is_refused_and_today_is_not(
    demo: Store, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    alerts = [str(a["id"]) for a in demo.alerts("open")]
    today = timescales("safeguarding").calendar.local_date(datetime.now(UTC))
    yesterday = today - timedelta(days=1)
    with pytest.raises(DecisionInvalid) as err:
        record_decision(demo, alerts[0], action="safety_plan", owner="Team B",
                        due=yesterday, rationale="Safety plan with the care home.")
    assert err.value.field == "due" and str(err.value) == f"due: {yesterday} is before today"
    monkeypatch.setenv("JOINEDUP_PASSWORD", GOOD)
    res = runner.invoke(app, ["--as", "chair", "decide", alerts[1], "--action",
                              "strategy_meeting", "--owner", "DS Khan", "--due", "2008-03-10",
                              "--rationale", "Meet.", "--db", store_url])
    assert res.exit_code == 2 and "due: 2008-03-10 is before today" in res.output
    assert demo.decisions(alerts[:2]) == []
    record_decision(demo, alerts[0], action="safety_plan", owner="Team B", due=today,
                    rationale="Safety plan with the care home, today.")
    assert [d["due"] for d in demo.decisions([alerts[0]])] == [today]


@pytest.mark.parametrize(("text", "years"), [
    ("retention: {review_after_years: 10}\n", 10),
    ("retention: {review_after_years: never}\n", None),
    ("calendar: {timezone: Europe/London}\n", None),  # no period set: kept
    ("", None),
])
def test_a_profiles_retention_is_a_number_of_years_or_never(
    text: str, years: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "timescales.yaml").write_text(text)
    monkeypatch.setattr(TIMESCALES, "load_profile",
                        lambda name: SimpleNamespace(directory=tmp_path))
    assert retention.__wrapped__("test").years == years


@pytest.mark.parametrize("value", ["0", "-5", "ten", "true", "2.5"])
def test_a_broken_retention_names_the_file_and_the_key(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "timescales.yaml").write_text(f"retention: {{review_after_years: {value}}}\n")
    monkeypatch.setattr(TIMESCALES, "load_profile",
                        lambda name: SimpleNamespace(directory=tmp_path))
    with pytest.raises(ProfileError, match=r"timescales.yaml: retention.review_after_years"):
        retention.__wrapped__("test")
