"""Statutory timescales: when a decision or an action is due, counted in working days.

The limits are the profile's data (``timescales.yaml``); working days follow the bank holidays
of the maintained ``holidays`` library for the profile's country and subdivision (England and
Wales for safeguarding), counted in the profile's local time. An alert raised on a Friday
afternoon before a bank-holiday Monday is due by the end of Tuesday, not Saturday.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import yaml

from joinedup.errors import ProfileError
from joinedup.profiles import load_profile


@dataclass(frozen=True)
class Calendar:
    """Working days of one place: weekdays that are not bank holidays there."""

    country: str
    subdivision: str
    timezone: str
    _holidays: Any = field(compare=False, repr=False, default=None)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_holidays", holidays.country_holidays(self.country, subdiv=self.subdivision)
        )

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def working_days_after(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day``."""
        while n > 0:
            day += timedelta(days=1)
            n -= self.is_working_day(day)
        return day

    def local_date(self, moment: datetime) -> date:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(ZoneInfo(self.timezone)).date()

    def start_of(self, day: date) -> datetime:
        """Midnight at the start of ``day``, local time, as a UTC moment."""
        return datetime.combine(day, time(), ZoneInfo(self.timezone)).astimezone(UTC)


@dataclass(frozen=True)
class Limit:
    """How long an action may be set due after the decision: in hours, working days or
    calendar months, with the rule it comes from."""

    amount: int
    unit: str  # hours, working_days or months
    source: str


UNITS = ("hours", "working_days", "months")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"no date {months} months after {day}")  # unreachable: 28 always exists


@dataclass(frozen=True)
class Timescales:
    """The timescales a profile tracks."""

    calendar: Calendar
    decision_days: int
    escalate_to: str
    label: str
    source: str
    action_limits: dict[str, Limit]
    retention_years: int = 25

    def retention_cutoff(self, now: datetime) -> datetime:
        """Reports received before this moment are due for a retention review."""
        day = self.calendar.local_date(now)
        try:
            back = day.replace(year=day.year - self.retention_years)
        except ValueError:  # 29 February
            back = day.replace(year=day.year - self.retention_years, day=28)
        return self.calendar.start_of(back)

    def decision_deadline(self, raised: datetime) -> datetime:
        """When a decision on an alert raised at ``raised`` is due: the end of the
        ``decision_days``-th working day after the day it was raised."""
        cal = self.calendar
        last = cal.working_days_after(cal.local_date(raised), self.decision_days)
        return cal.start_of(last + timedelta(days=1))

    def overdue_before(self, now: datetime) -> datetime:
        """Alerts raised before this moment and still without a decision are overdue at
        ``now``: the start of the day after the latest day whose deadline has passed."""
        cal = self.calendar
        day = cal.local_date(now)
        while cal.working_days_after(day, self.decision_days) >= cal.local_date(now):
            day -= timedelta(days=1)
        return cal.start_of(day + timedelta(days=1))

    def latest_due(self, action: str, decided: datetime) -> tuple[date, str] | None:
        """The latest due date an action may have, with the limit's source, if it has one."""
        limit = self.action_limits.get(action)
        if limit is None:
            return None
        cal = self.calendar
        if limit.unit == "hours":
            return cal.local_date(decided + timedelta(hours=limit.amount)), limit.source
        day = cal.local_date(decided)
        if limit.unit == "working_days":
            return cal.working_days_after(day, limit.amount), limit.source
        return add_months(day, limit.amount), limit.source


def _limit(action: str, spec: dict[str, Any]) -> Limit:
    units = [u for u in UNITS if u in spec]
    if len(units) != 1:
        raise ValueError(f"action_limits.{action}: give one of {', '.join(UNITS)}")
    return Limit(int(spec[units[0]]), units[0], str(spec.get("source", "")))


@cache
def timescales(profile_name: str = "safeguarding") -> Timescales:
    """Load ``timescales.yaml`` of a profile; a broken file names itself and the key."""
    path = load_profile(profile_name).directory / "timescales.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cal = data["calendar"]
        decision = data["alert_decision"]
        calendar = Calendar(str(cal["country"]), str(cal["subdivision"]), str(cal["timezone"]))
        return Timescales(
            calendar=calendar,
            decision_days=int(decision["working_days"]),
            escalate_to=str(decision.get("escalate_to", "")),
            label=str(decision.get("label", "")),
            source=str(decision.get("source", "")),
            action_limits={
                str(k): _limit(str(k), v) for k, v in (data.get("action_limits") or {}).items()
            },
            retention_years=int((data.get("retention") or {}).get("review_after_years", 25)),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"{path}: cannot read the timescales: {exc!r}") from exc
    except NotImplementedError as exc:  # a country or subdivision the library does not know
        raise ProfileError(f"{path}: calendar: {exc}") from exc
