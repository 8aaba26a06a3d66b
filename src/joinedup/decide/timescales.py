"""Statutory timescales: when a decision or an action is due, counted in working days.

The limits are the profile's data (``timescales.yaml``); working days follow the bank holidays
of the maintained ``holidays`` library for the profile's country and subdivision (England and
Wales for safeguarding), counted in the profile's local time. An alert raised on a Friday
afternoon before a bank-holiday Monday is due by the end of Tuesday, not Saturday.

The same file sets how long a profile's reports are kept before a person reviews them for
deletion (:func:`retention`): ``retention.review_after_years``, a number of years or ``never``.
A profile that sets no period keeps its reports: none is ever listed for deletion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml

from joinedup.errors import InputError, ProfileError
from joinedup.profiles import load_profile, read_data


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
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"{path}: cannot read the timescales: {exc!r}") from exc
    except NotImplementedError as exc:  # a country or subdivision the library does not know
        raise ProfileError(f"{path}: calendar: {exc}") from exc


@cache
def decision_timescales(profile_name: str) -> Timescales | None:
    """The timescales a profile holds decisions to, or None where its ``timescales.yaml`` sets
    none (no ``alert_decision``: the conflict profile, whose alerts carry no statutory
    deadline; it sets only how long its reports are kept)."""
    path = load_profile(profile_name).directory / "timescales.yaml"
    if not path.is_file() or "alert_decision" not in (read_data(path, "the timescales") or {}):
        return None
    return timescales(profile_name)


# How far a moment given for "now" may run ahead of the clock (two hosts' clocks disagree by
# seconds): a deletion or an escalation happens now, never at a moment someone writes down.
CLOCK_TOLERANCE = timedelta(minutes=5)


def real_now(now: datetime | None, what: str) -> datetime:
    """``now``, or the real time when it is None; a ``now`` later than the real time is
    refused. What deletes or escalates acts at the real time: a moment in the future would
    bring a retention period or a deadline forward (``--at 2100 --delete``)."""
    clock = datetime.now(UTC)
    if now is None:
        return clock
    aware = now if now.tzinfo else now.replace(tzinfo=UTC)
    if aware > clock + CLOCK_TOLERANCE:
        raise InputError(f"{what} happens now, not at {aware.isoformat()}",
                         hint="leave out --at: it is for listing what will be due")
    return aware


@dataclass(frozen=True)
class Retention:
    """How long a profile's reports are kept before a person reviews them for deletion:
    ``years`` counted from when the store received a report, or None when the profile keeps
    its reports (none is ever listed, none may be deleted by a retention review)."""

    profile: str
    years: int | None
    timezone: str = "UTC"

    @property
    def period(self) -> str:
        """'25 years', or 'kept (no retention period)', for messages."""
        if self.years is None:
            return "kept (no retention period)"
        return f"{self.years} years"

    def cutoff(self, now: datetime) -> datetime | None:
        """Reports received before this moment are due for review (midnight, local time, of
        the same day ``years`` back); None when the profile keeps its reports."""
        if self.years is None:
            return None
        zone = ZoneInfo(self.timezone)
        day = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(zone).date()
        try:
            back = day.replace(year=day.year - self.years)
        except ValueError:  # 29 February
            back = day.replace(year=day.year - self.years, day=28)
        return datetime.combine(back, time(), zone).astimezone(UTC)


NEVER = "never"


@cache
def retention(profile_name: str) -> Retention:
    """The retention period of a profile: ``retention.review_after_years`` of its
    ``timescales.yaml``, a whole number of years or ``never``. A profile without the file or
    the key keeps its reports: nothing is deleted without a period a partnership chose. The
    day is counted in ``calendar.timezone`` if the file gives one, else UTC."""
    path = load_profile(profile_name).directory / "timescales.yaml"
    data = read_data(path, "the timescales") if path.is_file() else {}
    section = data.get("retention") or {}
    cal = data.get("calendar") or {}
    if not isinstance(section, dict) or not isinstance(cal, dict):
        raise ProfileError(f"{path}: retention and calendar must be mappings")
    zone = str(cal.get("timezone") or "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ProfileError(f"{path}: calendar.timezone: no time zone {zone!r}") from exc
    years = section.get("review_after_years", NEVER)
    if years == NEVER:
        return Retention(profile_name, None, zone)
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ProfileError(f"{path}: retention.review_after_years: give a whole number of "
                           f"years (1 or more) or {NEVER!r}, not {years!r}")
    return Retention(profile_name, years, zone)
