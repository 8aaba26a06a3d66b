"""Statutory timescales in working days (England and Wales bank holidays), and what is overdue."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update
from typer.testing import CliRunner

from joinedup.cli.app import app
from joinedup.decide import DecisionInvalid, record_decision
from joinedup.decide.timescales import add_months, retention, timescales
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store
from joinedup.store import tables as t
from joinedup.web.views import inbox

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"
CLOCK = timescales("safeguarding")


def test_a_decision_is_due_by_the_end_of_the_next_working_day() -> None:
    # Wednesday afternoon: due by the end of Thursday (midnight London = 23:00 UTC in summer)
    assert CLOCK.decision_deadline(datetime(2008, 5, 21, 14, tzinfo=UTC)) == datetime(
        2008, 5, 22, 23, tzinfo=UTC)
    # the Friday before the spring bank holiday (Monday 26 May 2008): due by the end of Tuesday
    assert CLOCK.decision_deadline(datetime(2008, 5, 23, 14, tzinfo=UTC)) == datetime(
        2008, 5, 27, 23, tzinfo=UTC)
    # Christmas Eve 2026: Christmas Friday, Boxing Day's substitute Monday 28: due Tuesday 29
    assert CLOCK.decision_deadline(datetime(2026, 12, 24, 10, tzinfo=UTC)) == datetime(
        2026, 12, 30, 0, tzinfo=UTC)


moments = st.datetimes(min_value=datetime(2007, 1, 1), max_value=datetime(2027, 12, 1),
                       timezones=st.just(UTC))


@given(moments, st.integers(min_value=0, max_value=20 * 24 * 60))
def test_the_overdue_cut_off_agrees_with_each_alerts_deadline(raised: datetime,
                                                             minutes: int) -> None:
    """The store filters overdue alerts by one moment; it must say what each deadline says."""
    now = raised + timedelta(minutes=minutes)
    assert (now >= CLOCK.decision_deadline(raised)) == (raised < CLOCK.overdue_before(now))


@pytest.fixture
def demo(store: Store) -> Store:
    import_file(store, DEMO)
    process(store)
    return store


def test_undecided_alerts_become_overdue_and_decided_ones_do_not(demo: Store) -> None:
    created = min(a["created_at"] for a in demo.alerts("open"))
    created = created if created.tzinfo else created.replace(tzinfo=UTC)
    soon = inbox(demo, status="overdue", now=created + timedelta(hours=1))
    assert soon["total"] == 0
    later = created + timedelta(days=6)  # a working day has passed, whatever the weekday
    every = inbox(demo, status="overdue", now=later)
    assert every["total"] == len(demo.alerts("open")) > 0
    assert all(r["overdue"] and r["escalate_to"] == "panel lead" for r in every["rows"])
    first = every["rows"][0]["id"]
    record_decision(demo, first, action="strategy_meeting", owner="DS Khan",
                    due=(later + timedelta(days=3)).date(), rationale="Meeting called.", now=later)
    assert inbox(demo, status="overdue", now=later)["total"] == every["total"] - 1
    # the action's own due date passes with nothing recorded since: overdue again
    after_due = inbox(demo, status="overdue", now=later + timedelta(days=5))
    assert first in {r["id"] for r in after_due["rows"]}


def test_a_return_home_interview_cannot_be_due_after_72_hours(demo: Store) -> None:
    alert = demo.alerts("open")[0]["id"]
    now = datetime(2009, 3, 2, 9, tzinfo=UTC)
    with pytest.raises(DecisionInvalid) as err:
        record_decision(demo, alert, action="return_home_interview", owner="YS", now=now,
                        due="2009-03-09", rationale="Interview.")
    assert err.value.field == "due" and "2009-03-05" in err.value.reason
    record_decision(demo, alert, action="return_home_interview", owner="YS", now=now,
                    due="2009-03-04", rationale="Interview.")


def test_the_overdue_command_lists_what_goes_to_the_panel_lead(demo: Store, store_url: str) -> None:
    created = min(a["created_at"] for a in demo.alerts("open"))
    at = (created + timedelta(days=6)).replace(tzinfo=None).isoformat()
    res = CliRunner().invoke(app, ["overdue", "--at", at, "--json", "--db", store_url])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == len(demo.alerts("open")) and rows[0]["escalate_to"] == "panel lead"


def test_reports_past_retention_are_listed_for_review_and_kept(demo: Store, store_url: str) -> None:
    """The demo as a store that received it in 1996 holds it: listed as its dates pass."""
    with demo.engine.begin() as conn:
        conn.execute(update(t.import_batch).values(at=datetime(1996, 3, 1, tzinfo=UTC)))
    reports = demo.counts()["reports"]
    kept = retention("safeguarding")
    assert kept.years == 25
    first = min(r["reported_at"] for r in demo.current_reports())
    at = first.replace(year=first.year + kept.years, day=min(first.day, 28))
    later = (at + timedelta(days=2)).isoformat()
    res = CliRunner().invoke(app, ["retention", "--at", later, "--json", "--db", store_url])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    cutoff = kept.cutoff((at + timedelta(days=2)).replace(tzinfo=UTC))
    assert cutoff is not None
    assert rows and all(datetime.fromisoformat(r["reported_at"]) < cutoff.replace(tzinfo=None)
                        for r in rows)
    assert {r["received_at"][:10] for r in rows} == {"1996-03-01"}
    assert len(rows) < reports  # only the old ones
    assert demo.counts()["reports"] == reports  # listed, never deleted
    none = CliRunner().invoke(app, ["retention", "--json", "--at", first.isoformat(),
                                    "--db", store_url])
    assert json.loads(none.stdout) == []


def test_the_other_statutory_timescales_limit_an_actions_due_date() -> None:
    """safeguarding.md "Statutory timescales (England)": in working days, or months."""
    decided = datetime(2026, 12, 21, 10, tzinfo=UTC)  # Monday before Christmas
    # 15 working days skip Christmas Day, Boxing Day's substitute (28th) and New Year's Day
    day, source = CLOCK.latest_due("initial_child_protection_conference", decided) or (None, "")
    assert day == date(2027, 1, 14) and "15 working days" in source
    assessment = CLOCK.latest_due("child_and_family_assessment", decided)
    assert assessment is not None
    assert assessment[0] == CLOCK.calendar.working_days_after(decided.date(), 45)
    # three months from 30 November is the end of February
    seraf = CLOCK.latest_due("seraf_reassessment", datetime(2027, 11, 30, 12, tzinfo=UTC))
    assert seraf is not None and seraf[0] == date(2028, 2, 29)
    # no statutory limit: the partnership's own cap, so that no action parks a concern
    meeting = CLOCK.latest_due("strategy_meeting", decided)
    assert meeting is not None and meeting[0] == date(2027, 1, 21) and "own cap" in meeting[1]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(min_value=0, max_value=36))
def test_adding_months_lands_in_the_right_month_on_the_same_or_last_day(
    day: date, months: int,
) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    month_ends = (later + timedelta(days=1)).day == 1
    assert later.day == day.day or (later.day < day.day and month_ends)


def test_a_due_date_past_a_statutory_limit_is_refused(demo: Store) -> None:
    alert = demo.alerts("open")[0]["id"]
    now = datetime(2026, 12, 21, 10, tzinfo=UTC)
    with pytest.raises(DecisionInvalid) as err:
        record_decision(demo, alert, action="child_and_family_assessment", owner="CSC",
                        due="2027-06-01", rationale="Assess.", now=now)
    assert err.value.field == "due" and "45 working days" in err.value.reason
