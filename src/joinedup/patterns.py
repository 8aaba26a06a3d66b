"""Patterns over incidents: how often protected objects are hit, and what became of supply routes.

conflict.md rule 7: attacks on protected objects are reported as a rate per period (the Syrian
American Medical Society's July 2016 figure: a medical facility hit about every 17 hours) and the
status of supply routes over time (open, contested, cut). Both are computed from the incidents the
store holds, never from raw reports, so that ten reports of one strike count once.

An incident's date is an interval (a report may say only "early July"); a rate places each
incident at the start of its interval and says how many incidents had an interval longer than a
day, so a reader can judge the figure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

Row = dict[str, Any]
CERTAINTY = ("rumour", "possible", "probable", "confirmed")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _period_start(day: date, period: str) -> date:
    if period == "week":
        return _monday(day)
    if period == "month":
        return day.replace(day=1)
    if period == "day":
        return day
    raise ValueError(f"unknown period {period!r}; use day, week or month")


def _next_period(start: date, period: str) -> date:
    """The start of the period after the one starting on ``start``."""
    if period == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=7 if period == "week" else 1)


def _every_period(counts: Mapping[date, int], period: str) -> list[Row]:
    """Incidents per period from the first period with one to the last, the periods between
    with none given as 0: an average over them is then over the whole span, not only over the
    periods something was hit in (which overstates it)."""
    if not counts:
        return []
    out = []
    start, last = min(counts), max(counts)
    while start <= last:
        out.append({"start": start.isoformat(), "incidents": counts.get(start, 0)})
        start = _next_period(start, period)
    return out


def attack_rates(
    incidents: Iterable[Row],
    groups: Mapping[str, Iterable[str]],
    period: str = "week",
    min_certainty: str = "rumour",
) -> list[Row]:
    """For each group of targets (e.g. ``health_care``: facility, transport, personnel...),
    incidents per ``period`` (every period from the first incident's to the last's, empty ones
    as 0) and the mean interval between consecutive ones, in hours.

    Incidents are the store's summaries (each with ``date_start``, ``date_end``, ``certainty``
    and ``targets``); those graded below ``min_certainty`` are left out, and the row says so.
    Below two incidents there is no interval: ``mean_interval_hours`` and ``one_every_hours``
    are None (one attack in a day is not "one every 24 hours").
    """
    floor = CERTAINTY.index(min_certainty)
    wanted = {name: set(targets) for name, targets in groups.items()}
    dated: dict[str, list[Row]] = defaultdict(list)
    for inc in incidents:
        if inc["date_start"] is None or CERTAINTY.index(inc["certainty"]) < floor:
            continue
        hit = set(inc["targets"])
        for name, targets in wanted.items():
            if hit & targets:
                dated[name].append(inc)
    out = []
    for name in groups:
        found = sorted(dated.get(name, []), key=lambda i: (i["date_start"], i["id"]))
        per: dict[date, int] = defaultdict(int)
        for inc in found:
            per[_period_start(inc["date_start"], period)] += 1
        days = [i["date_start"] for i in found]
        gaps = [(b - a).days * 24 for a, b in zip(days, days[1:], strict=False)]
        span_hours = (days[-1] - days[0]).days * 24 + 24 if days else 0
        out.append({
            "targets": name,
            "incidents": len(found),
            "min_certainty": min_certainty,
            "period": period,
            "per_period": _every_period(per, period),
            "first": days[0].isoformat() if days else None,
            "last": days[-1].isoformat() if days else None,
            # between consecutive incidents, by their first days (day precision at best)
            "mean_interval_hours": round(sum(gaps) / len(gaps), 1) if gaps else None,
            # the SAMS way: the days covered, first to last inclusive, over the incidents; a
            # rate needs two of them
            "one_every_hours": round(span_hours / len(found), 1) if len(found) > 1 else None,
            "imprecise_dates": sum(
                1 for i in found if i["date_end"] and i["date_end"] != i["date_start"]),
            "incident_ids": [i["id"] for i in found],
        })
    return out


def route_status(reports: Iterable[Row]) -> list[Row]:
    """The status of each named route over time, from the reports that give one.

    Reports are the store's current conflict reports (``body`` with ``route``, ``reported_at``,
    ``org``, ``report_id``). Names are compared by their transliteration skeleton without the
    words that say what kind of route it is ("Castello Road", "Kastello road"; "Ramouseh
    corridor", "Ramousa road"); the name shown is the one most reports use. Each change of
    status is a row of the route's timeline with the reports behind it; where reports of the
    same day disagree, the day is ``contested`` and lists both.
    """
    by_route: dict[str, dict[date, list[Row]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for r in reports:
        route = (r.get("body") or {}).get("route")
        if not route:
            continue
        key = route_key(str(route["name"]))
        names[key][str(route["name"])] += 1
        day = _day_of(r)
        by_route[key][day].append({"status": route["status"],
                                   "report": f"{r['org']}/{r['report_id']}"})
    out = []
    for key in sorted(by_route):
        timeline: list[Row] = []
        for day in sorted(by_route[key]):
            said = by_route[key][day]
            statuses = {s["status"] for s in said}
            status = statuses.pop() if len(statuses) == 1 else "contested"
            if timeline and timeline[-1]["status"] == status:
                timeline[-1]["reports"] += [s["report"] for s in said]
                timeline[-1]["until"] = day.isoformat()
                continue
            timeline.append({"from": day.isoformat(), "until": day.isoformat(),
                             "status": status, "reports": [s["report"] for s in said]})
        out.append({"route": names[key].most_common(1)[0][0], "names": sorted(names[key]),
                    "status": timeline[-1]["status"], "timeline": timeline})
    return out


ROUTE_WORDS = frozenset({"road", "rd", "route", "corridor", "highway", "motorway", "way",
                         "street", "crossing", "the", "al", "el", "supply", "main", "old", "new"})


def route_key(name: str) -> str:
    """One key for the spellings of a route's name: its distinctive words' skeletons."""
    from joinedup.resolve.normalise import fold_words
    from joinedup.resolve.normalise.transliteration import skeleton

    words = [w for w in fold_words(name).split() if w not in ROUTE_WORDS]
    return " ".join(skeleton(w) for w in words) or fold_words(name)


def _day_of(report: Row) -> date:
    """The day a route report speaks of: when it happened if given, else when reported."""
    body = report.get("body") or {}
    given = body.get("occurred_to") or body.get("occurred_from")
    if given and len(str(given)) >= 10:
        return date.fromisoformat(str(given)[:10])
    when = report["reported_at"]
    return when.date() if hasattr(when, "date") else date.fromisoformat(str(when)[:10])


def target_groups(profile_directory: Path) -> tuple[dict[str, list[str]], str]:
    """The profile's groups of targets and default period (``patterns.yaml``)."""
    from joinedup.profiles import read_data

    data = read_data(profile_directory / "patterns.yaml", "patterns")
    groups = {str(k): [str(t) for t in v] for k, v in (data.get("target_groups") or {}).items()}
    return groups, str(data.get("period", "week"))
