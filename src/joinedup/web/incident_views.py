"""What the conflict profile's pages and API show: incidents, one incident, routes and patterns.

As in :mod:`joinedup.web.views`, no HTML here: each function returns plain data that a template
renders and the API returns as JSON, so the two never disagree. Every read goes through the
store, and so through its gate and audit log; reading incidents is casework.

An incident row and its ``data`` are in the shape documented in
:mod:`joinedup.corroborate.incidents`; reports are named ``org/id`` there, and here too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from joinedup.errors import InputError
from joinedup.patterns import CERTAINTY, attack_rates, route_status, target_groups
from joinedup.profiles import load_profile, read_data
from joinedup.store import Store

Row = dict[str, Any]
PROFILE = "conflict"


def _ordered_vocabulary(name: str) -> tuple[str, ...]:
    """One of the profile's vocabularies in the order its file gives (the loaded profile
    keeps each as a set)."""
    profile = load_profile(PROFILE)
    given = read_data(profile.directory / "profile.yaml").get("vocabularies") or {}
    return tuple(str(v) for v in given.get(name) or sorted(profile.terms(name)))


# Airwars' grades, and the profile's word for an incident no source attributes to anyone
ATTRIBUTION = _ordered_vocabulary("attribution_grade")
PERIODS = ("day", "week")
PER_PAGE = 100
# a narrative names the people it is about: withheld with the victims' personal data
WITHHELD_NARRATIVE = "(withheld: it may name victims, whose personal data your role does not read)"
DAY_VIEW_DAYS = 62  # up to about two months the timeline counts per day, then per week


@dataclass(frozen=True)
class IncidentFilters:
    """Which incidents a list shows: at least ``certainty``, one of ``attribution`` (any when
    empty), hitting ``target``, overlapping ``date_from``..``date_to``."""

    certainty: str = "rumour"
    attribution: tuple[str, ...] = ()
    target: str = ""
    date_from: date | None = None
    date_to: date | None = None
    period: str = ""
    page: int = 1
    _floor: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.certainty not in CERTAINTY:
            raise InputError(f"unknown certainty {self.certainty!r}",
                             hint="use one of " + ", ".join(CERTAINTY))
        unknown = [a for a in self.attribution if a not in ATTRIBUTION]
        if unknown:
            raise InputError(f"unknown attribution {unknown[0]!r}",
                             hint="use any of " + ", ".join(ATTRIBUTION))
        if self.period and self.period not in PERIODS:
            raise InputError(f"unknown period {self.period!r}", hint="use day or week")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError("the date range ends before it starts",
                             hint="swap the two dates")
        object.__setattr__(self, "_floor", CERTAINTY.index(self.certainty))

    def admits(self, inc: Row) -> bool:
        """Whether an incident row passes every filter."""
        if inc["certainty"] in CERTAINTY and CERTAINTY.index(inc["certainty"]) < self._floor:
            return False
        if self.attribution and inc["attribution"] not in self.attribution:
            return False
        if self.target and self.target not in inc["targets"]:
            return False
        if self.date_from or self.date_to:
            start = inc["date_start"]
            if start is None:
                return False
            end = inc["date_end"] or start
            if (self.date_from and end < self.date_from) or (
                    self.date_to and start > self.date_to):
                return False
        return True

    def as_query(self) -> Row:
        """The filters as the list's query string names them (for links and the form)."""
        return {"certainty": self.certainty, "attribution": list(self.attribution),
                "target": self.target,
                "date_from": self.date_from.isoformat() if self.date_from else "",
                "date_to": self.date_to.isoformat() if self.date_to else "",
                "period": self.period}


def parse_day(text: str, what: str) -> date | None:
    """A date typed in a filter (YYYY-MM-DD), or None when left empty."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a date", hint="write it as YYYY-MM-DD") \
            from None


def vocabulary() -> Row:
    """What the filters offer, from the profile."""
    profile = load_profile(PROFILE)
    return {"certainty": list(CERTAINTY), "attribution": list(ATTRIBUTION),
            "targets": sorted(profile.terms("targets")), "periods": list(PERIODS)}


# -- the list --------------------------------------------------------------------------------
def incident_list(store: Store, filters: IncidentFilters) -> Row:
    """Incidents passing ``filters``, earliest first, one page of rows; the map's points and
    the timeline's bars are of every incident that passes, not only this page's."""
    found = [inc for inc in store.incident_summaries() if filters.admits(inc)]
    pages = max(1, -(-len(found) // PER_PAGE))
    page = min(max(1, filters.page), pages)
    rows = [summary(inc) for inc in found]
    return {
        "filters": filters.as_query(),
        "query": urlencode(filters.as_query(), doseq=True),  # the filters, for page links
        "choices": vocabulary(),
        "total": len(rows),
        "page": page,
        "pages": pages,
        "rows": rows[(page - 1) * PER_PAGE: page * PER_PAGE],
        "points": place_groups(rows),
        "timeline": incident_timeline(found, filters.period),
    }


def _range_of(inc: Row, what: str) -> Row | None:
    low, high = inc[f"{what}_min"], inc[f"{what}_max"]
    return None if low is None else {"min": low, "max": high}


def summary(inc: Row) -> Row:
    """One row of the list (and of the API's list), from the incident's summary columns."""
    return {
        "id": inc["id"],
        "label": inc["label"],
        "date_start": inc["date_start"].isoformat() if inc["date_start"] else None,
        "date_end": inc["date_end"].isoformat() if inc["date_end"] else None,
        "place": inc["place"],
        "precision": inc["precision"],
        "lat": inc["lat"],
        "lon": inc["lon"],
        "mechanism": inc["mechanism"],
        "targets": list(inc["targets"]),
        "certainty": inc["certainty"],
        "attribution": inc["attribution"],
        "killed": _range_of(inc, "killed"),
        "injured": _range_of(inc, "injured"),
        "report_count": inc["report_count"],
        "source_count": inc["source_count"],
    }


MAP_ITEMS = 5  # incidents named in one map mark's popup; the rest are counted


def place_groups(rows: list[Row]) -> list[Row]:
    """The map's marks: the incidents with coordinates, one mark per place (points within about
    100 m, as a town's centroid is shared by every incident placed there), coloured by the
    most certain of them, naming the first few. UCDP Syria's 15,000 incidents are 2,000 places:
    one mark each keeps the page small and the map legible."""
    groups: dict[tuple[float, float], list[Row]] = defaultdict(list)
    for r in rows:
        if r["lat"] is not None and r["lon"] is not None:
            groups[round(r["lat"], 3), round(r["lon"], 3)].append(r)
    keys = ("id", "label", "certainty", "attribution", "date_start", "place")
    out = []
    for (lat, lon), members in groups.items():
        best = max(members, key=lambda r: CERTAINTY.index(r["certainty"])
                   if r["certainty"] in CERTAINTY else -1)
        out.append({"lat": lat, "lon": lon, "count": len(members),
                    "certainty": best["certainty"], "place": best["place"],
                    "id": best["id"], "label": best["label"],
                    "items": [{k: r[k] for k in keys} for r in members[:MAP_ITEMS]]})
    return out


def incident_timeline(incidents: list[Row], period: str = "") -> Row:
    """Incidents per day or week (by the first day of each), stacked by certainty, with the
    positions a chart needs as fractions of its width and height."""
    days = sorted(inc["date_start"] for inc in incidents if inc["date_start"] is not None)
    if not days:
        return {"period": period or "week", "bars": [], "ticks": [], "most": 0,
                "first": None, "last": None, "undated": len(incidents)}
    first, last = days[0], days[-1]
    period = period or ("day" if (last - first).days <= DAY_VIEW_DAYS else "week")
    start = first if period == "day" else first - timedelta(days=first.weekday())
    step = 1 if period == "day" else 7
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for inc in incidents:
        if inc["date_start"] is not None:
            bucket = start + timedelta(days=(inc["date_start"] - start).days // step * step)
            counts[bucket][inc["certainty"]] += 1
    span = (last - start).days // step * step + step
    most = max(sum(c.values()) for c in counts.values())
    bars = []
    for bucket in sorted(counts):
        below = 0
        parts = []
        for grade in CERTAINTY:
            n = counts[bucket][grade]
            if n:
                parts.append({"certainty": grade, "incidents": n, "y": below / most,
                              "h": n / most})
                below += n
        bars.append({"start": bucket.isoformat(), "incidents": below, "parts": parts,
                     "x": round((bucket - start).days / span, 4), "w": round(step / span, 4)})
    return {"period": period, "bars": bars, "ticks": _ticks(start, start + timedelta(span)),
            "most": most, "first": first.isoformat(), "last": last.isoformat(),
            "undated": len(incidents) - len(days)}


def _ticks(start: date, end: date) -> list[Row]:
    """Month starts (or, for a short span, Mondays) between ``start`` and ``end``."""
    span = max(1, (end - start).days)
    ticks = []
    if span <= 45:
        day = start + timedelta(days=(7 - start.weekday()) % 7)
        while day <= end:
            ticks.append({"x": round((day - start).days / span, 4), "label": f"{day:%d %b}"})
            day += timedelta(days=7)
        return ticks
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            ticks.append({"x": round((month - start).days / span, 4),
                          "label": f"{month:%b %Y}"})
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return ticks


# -- one incident ----------------------------------------------------------------------------
def incident_detail(store: Store, incident_id: str) -> Row:
    """One incident: headline facts, both grades with the rules behind them, its independent
    sources, casualty ranges, actors, named victims (to roles that read them), its reports
    side by side, and the merge evidence with the contenders."""
    inc = store.incident(incident_id)
    data = inc["data"]
    reports = store.reports_by_pk(inc["reports"])
    edges = store.incident_edges(inc["reports"])
    others = store.reports_by_pk(
        {pk for e in edges for pk in (e["a"], e["b"])} - set(reports))
    names = {pk: _name(r) for pk, r in {**others, **reports}.items()}
    victims = _reads_victims(store)
    columns = [_column(r, victims) for r in sorted(
        reports.values(), key=lambda r: (r["reported_at"], r["pk"]))]
    counted = {name for s in data.get("sources") or [] for name in s.get("reports") or []}
    counted -= set(_texts(data.get("not_counted")))
    for col in columns:
        col["counted"] = col["name"] in counted
    return {
        **summary(inc),
        "reports": [c["name"] for c in columns],
        "location": data.get("location"),
        "mechanisms": list(data.get("mechanisms") or []),
        "grading": {"certainty": _rules(data.get("certainty_rules")),
                    "attribution": _rules(data.get("attribution_rules"))},
        "sources": _sources(data.get("sources")),
        "derived": [{"report": c["name"], "derived_from": c["derived_from"]}
                    for c in columns if not c["counted"]],
        "casualties": {what: _casualties(data.get(what), columns, what)
                       for what in ("killed", "injured")},
        "actors": [{"actor": str(a.get("actor") or ""), "names": _texts(a.get("names")),
                    "roles": _texts(a.get("roles")), "reports": _texts(a.get("reports")),
                    "anachronisms": _texts(a.get("anachronisms"))}
                   for a in data.get("actors") or []],
        "victims_shown": victims,
        "victims": [_victim(v) for v in data.get("victims") or []] if victims else [],
        "victims_named": len(data.get("victims") or []),
        "columns": columns,
        "edges": [{"kind": e["kind"], "score": e["score"], "a": names.get(e["a"], str(e["a"])),
                   "b": names.get(e["b"], str(e["b"])), "reasons": reasons_text(e["reasons"])}
                  for e in edges],
        "contenders": [{"report": str(c.get("report") or ""),
                        "member": str(c.get("member") or ""), "score": c.get("score"),
                        "reasons": reasons_text(c.get("reasons")),
                        "incident": c.get("incident"), "why": c.get("why")}
                       for c in data.get("contenders") or []],
    }


def _name(r: Row) -> str:
    return f"{r['org']}/{r['report_id']}"


def _texts(values: Any) -> list[str]:
    return [str(v) for v in values or [] if v is not None]


def _reads_victims(store: Store) -> bool:
    """Victims' names are for the roles that read casework (conflict.md rule 6)."""
    return store.gate.policy.allows(store.actor, "read", "victims")


def _rules(rules: Any) -> list[Row]:
    """Each rule that fired, what it says and the reports behind it (and, where the stage
    gives them, its label and the grade it gives)."""
    return [{"rule": str(r.get("rule") or ""), "says": str(r.get("says") or ""),
             "reports": _texts(r.get("reports")), "sources": _texts(r.get("sources")),
             "label": r.get("label"), "grade": r.get("grade")} for r in rules or []]


def _sources(sources: Any) -> list[Row]:
    """The independent sources: ``name`` as the reports give it (``key`` is what is compared),
    the kinds of organisation behind it (the stage gives a list; one is taken as such)."""
    out = []
    for s in sources or []:
        agencies = s.get("agency") or []
        out.append({"key": str(s.get("key") or ""), "name": str(s.get("name") or s.get("key")
                                                                or ""),
                    "agencies": [agencies] if isinstance(agencies, str) else _texts(agencies),
                    "partner": bool(s.get("partner")), "reports": _texts(s.get("reports"))})
    return out


def _victim(v: Row) -> Row:
    """A named victim as shown: ``status`` the most recent report's, and ``earlier`` what the
    other reports said when any said otherwise (missing, then killed), for the reader to check."""
    said = [{"report": str(s.get("report") or ""), "status": str(s.get("status") or "")}
            for s in v.get("statuses") or []]
    return {"name": str(v.get("name") or ""), "variants": _texts(v.get("variants")),
            "age": v.get("age"), "sex": v.get("sex"), "status": v.get("status"),
            "statuses": said,
            "earlier": [s for s in said[:-1] if s["status"] != v.get("status")],
            "relatives": [{"name": str(r.get("name") or ""),
                           "relation": str(r.get("relation") or "")}
                          for r in v.get("relatives") or []],
            "reports": _texts(v.get("reports")), "why": _texts(v.get("why"))}


def _casualties(value: Row | None, columns: list[Row], what: str) -> Row | None:
    """The range, and each report's own figure (never summed, conflict.md rule 3)."""
    figures = [{"report": c["name"], "figure": c["casualties"][what]}
               for c in columns if c["casualties"].get(what)]
    if not value and not figures:
        return None
    return {"min": (value or {}).get("min"), "max": (value or {}).get("max"),
            "reports": _texts((value or {}).get("reports")), "figures": figures}


def figure(value: Any) -> str:
    """A report's casualty figure as written: a number, or a range as min-max."""
    if isinstance(value, dict):
        low, high = value.get("min"), value.get("max")
        return str(low) if low == high else f"{low}-{high}"
    return "" if value is None else str(value)


def reasons_text(reasons: Any) -> list[str]:
    """Why two reports were (or might have been) merged, one line a reason, whatever form
    the stage gives them in: a list of ``{comparison, level, weight}``, a mapping, or text."""
    if reasons is None:
        return []
    if isinstance(reasons, str):
        return [reasons]
    if isinstance(reasons, dict):
        return [f"{k}: {v}" for k, v in reasons.items()]
    out = []
    for r in reasons if isinstance(reasons, list) else [reasons]:
        if isinstance(r, dict) and "comparison" in r:
            weight = r.get("weight")
            given = f" ({weight:+.1f})" if isinstance(weight, int | float) else ""
            out.append(f"{r['comparison']}: {r.get('level', '')}{given}")
        elif isinstance(r, dict):
            out.append("; ".join(f"{k}: {v}" for k, v in r.items()))
        else:
            out.append(str(r))
    return out


def _occurred(body: Row) -> str:
    start, end = body.get("occurred_from"), body.get("occurred_to")
    if start and end and end != start:
        return f"{start} to {end}"
    return str(start or end or "")


def _column(r: Row, victims: bool) -> Row:
    """One report as a column of the side-by-side view."""
    body = r["body"]
    source = body.get("source") or {}
    casualties = body.get("casualties") or {}
    harm = body.get("harm") or {}
    return {
        "pk": r["pk"],
        "name": _name(r),
        "org": r["org"],
        "agency": r["agency"],
        "partner": bool(source.get("partner")),
        "reporter": source.get("reporter"),
        "document": source.get("document"),
        "upstream": body.get("upstream"),
        "derived": bool(r["derived"]),
        "derived_from": _texts(body.get("derived_from")),
        "reported_at": r["reported_at"].isoformat(sep=" ", timespec="minutes"),
        "occurred": _occurred(body),
        "location": body.get("location"),
        "harm": {"mechanism": harm.get("mechanism"), "targets": _texts(harm.get("targets"))},
        "route": body.get("route"),
        "actors": [{"name": str(a.get("name") or ""), "aliases": _texts(a.get("aliases")),
                    "role": a.get("role")} for a in body.get("actors") or []],
        "casualties": {k: figure(casualties.get(k)) for k in ("killed", "injured")
                       if casualties.get(k) is not None},
        "evidence": [{"kind": e.get("kind"), "sha256": e.get("sha256"), "url": e.get("url"),
                      "path": e.get("path")} for e in body.get("evidence") or []],
        "people": [_person(p) for p in body.get("people") or []] if victims else [],
        "people_named": len(body.get("people") or []),
        "narrative": _narrative(r, victims),
    }


def _narrative(r: Row, victims: bool) -> str:
    """A report's narrative, or, for a role that does not read victims' personal data, a note
    that it is withheld (the names in it are that data)."""
    text = str(r.get("narrative") or r["body"].get("narrative") or "")
    return text if victims or not text else WITHHELD_NARRATIVE


def _person(p: Row) -> Row:
    return {"name": p.get("name"), "age": p.get("age"), "sex": p.get("sex"),
            "status": p.get("status"), "relatives": [
                {"ref": x.get("ref"), "relation": x.get("relation")}
                for x in p.get("relatives") or []], "ref": p.get("ref")}


# -- routes and patterns ---------------------------------------------------------------------
def routes(store: Store) -> Row:
    """Each named supply route's status over time, as bands on one time axis, with the
    reports behind each change (conflict.md rule 7)."""
    bodies = store.route_reports(PROFILE)
    said = {_name(r): _route_report(r) for r in bodies}
    found = route_status(bodies)
    days = [date.fromisoformat(step[k]) for r in found for step in r["timeline"]
            for k in ("from", "until")]
    if not days:
        return {"routes": [], "ticks": [], "first": None, "last": None}
    first, last = min(days), max(days) + timedelta(days=1)
    span = (last - first).days

    def x_of(day: date) -> float:
        return round((day - first).days / span, 4)

    for route in found:
        steps = route["timeline"]
        for i, step in enumerate(steps):
            ends = (date.fromisoformat(steps[i + 1]["from"]) if i + 1 < len(steps)
                    else last)
            step["x"] = x_of(date.fromisoformat(step["from"]))
            step["w"] = round(x_of(ends) - step["x"], 4)
            step["to"] = (ends - timedelta(days=1)).isoformat()
            step["said"] = [said[n] for n in step["reports"] if n in said]
    return {"routes": found, "ticks": _ticks(first, last), "first": first.isoformat(),
            "last": (last - timedelta(days=1)).isoformat()}


def _route_report(r: Row) -> Row:
    body = r["body"]
    return {"report": _name(r), "agency": r["agency"], "status": body["route"].get("status"),
            "name": body["route"].get("name"), "occurred": _occurred(body),
            "reported_at": r["reported_at"].date().isoformat(),
            "place": (body.get("location") or {}).get("name")}


def stats(store: Store, period: str = "", certainty: str = "possible") -> Row:
    """Attacks on protected objects per period and each route's status over time, as
    ``joinedup stats --json`` prints them."""
    if certainty not in CERTAINTY:
        raise InputError(f"unknown certainty {certainty!r}", hint=", ".join(CERTAINTY))
    groups, default_period = target_groups(load_profile(PROFILE).directory)
    try:
        rates = attack_rates(store.incident_summaries(), groups, period or default_period,
                             certainty)
    except ValueError as err:
        raise InputError(str(err), hint="use day, week or month") from None
    return {"attacks": rates, "routes": route_status(store.route_reports(PROFILE))}


def decide_pair(store: Store, a: str, b: str, decision: str, reason: str,
                system: Store | None = None) -> str | None:
    """Record that two reports (``org/id`` each) describe one incident (confirm) or two
    (split), join the conflict reports up again so that it shows at once, and return the
    incident ``a`` is now in. The decision holds on every later run."""
    from joinedup.pipeline import process_incidents

    if decision not in ("confirm", "split"):
        raise InputError(f"decision must be confirm or split, not {decision!r}")
    if not reason.strip():
        raise InputError("write why", hint="the reason is kept beside the decision")
    keys = []
    for text in (a, b):
        org, slash, rid = text.partition("/")
        if not slash or not org or not rid:
            raise InputError(f"{text!r} is not a report", hint="write it as ORG/REPORT_ID")
        keys.append((org, rid))
    store.add_incident_decision(keys[0], keys[1], decision, reason.strip())
    process_incidents(system or store)
    return store.incident_of_report(*keys[0])
