"""From one run of de-duplication and grading to what the store keeps and the rules read.

:func:`incident_rows` turns a :class:`~joinedup.resolve.incidents.Resolution`, its grades and its
named victims into rows of ``incident`` (the shape documented in :mod:`.incidents`), the
membership of each report, and the edges that explain each merge; :func:`incident_picture` gives
the alert rules an :class:`~joinedup.corroborate.incidents.IncidentPicture` of the same run.
Nothing is decided here: this module only shapes what the resolution and the grading found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from joinedup.corroborate.casualties import CasualtyRange
from joinedup.corroborate.grading import Grade, IncidentGrades
from joinedup.corroborate.incidents import IncidentPicture
from joinedup.corroborate.independence import independence_key
from joinedup.profiles import Profile
from joinedup.resolve.incidents import Event, Incident, Resolution
from joinedup.resolve.victims import NamedVictim

Row = dict[str, Any]
PRECISION_ORDER = ("exact", "neighbourhood", "within_25km", "district", "governorate", "country")


def incident_id(resolution_id: str, partnership: str = "default") -> str:
    """The store's id of an incident: short and stable, from the resolution's id (which names
    the incident's earliest report, so it stays put as later reports join).

    Ids are unique in the whole database, and two partnerships may hold one source's reports
    (a public dataset both imported): another partnership's ids carry its name, so that its
    incidents never collide with the first's (the default partnership's ids keep their form)."""
    key = resolution_id if partnership == "default" else f"{partnership}|{resolution_id}"
    return "I-" + hashlib.sha1(key.encode()).hexdigest()[:12]


def _range(found: CasualtyRange | None) -> Row | None:
    if found is None:
        return None
    return {"min": found.min, "max": found.max,
            "reports": sorted(set(found.min_from) | set(found.max_from)),
            "figures": {k: list(v) for k, v in found.figures.items()}}


def _rules(grade: Grade) -> list[Row]:
    return [{"rule": f.rule, "grade": f.grade, "says": f.label + (f": {f.detail}" if f.detail
                                                                   else ""),
             "sources": list(f.sources), "reports": list(f.reports)} for f in grade.fired]


def _location(members: Sequence[Event], bodies: Mapping[str, Row]) -> Row:
    """The finest location the reports give (precision first, then coordinates)."""
    def rank(e: Event) -> tuple[int, int]:
        return (PRECISION_ORDER.index(e.precision) if e.precision in PRECISION_ORDER else 9,
                0 if e.lat is not None else 1)
    best = min(members, key=rank)
    given = dict(bodies[best.key].get("location") or {})
    facility = next((loc["facility"] for e in members
                     if (loc := bodies[e.key].get("location") or {}).get("facility")), None)
    return {"name": given.get("name"), "admin1": given.get("admin1"),
            "admin2": given.get("admin2"), "lat": best.lat, "lon": best.lon,
            "precision": best.precision, "facility": facility}


def _place_text(location: Row) -> str:
    """The place as a list shows it: the facility and the place's name, else its area."""
    named = ", ".join(str(p) for p in (location.get("facility"), location.get("name")) if p)
    return (named or str(location.get("admin2") or location.get("admin1") or "place unknown"))[
        :300]


def _label(members: Sequence[Event], location: Row, start: date) -> str:
    harm = next((e.mechanism for e in members if e.mechanism), None) or "attack"
    targets = sorted({t for e in members for t in e.targets})
    on = f" on {', '.join(t.replace('_', ' ') for t in targets)}" if targets else ""
    where = location.get("facility") or location.get("name") or location.get("admin1") or "?"
    return f"{start.isoformat()} {harm.replace('_', ' ')}{on}, {where}"[:300]


def _victims(victims: Iterable[NamedVictim]) -> list[Row]:
    """Each named victim as stored. ``status`` is the most recent report's (a documentation
    officer records a person's fate as last known: missing, then found killed, is killed) and
    ``statuses`` every report's own, oldest first, so that reports that disagree are seen and
    checked rather than settled silently."""
    by_id = {v.id: v for v in victims}
    out = []
    for v in by_id.values():
        out.append({
            "name": v.names[0] if v.names else None, "variants": list(v.names[1:]),
            "age": v.ages[0] if v.ages else None, "sex": v.sex,
            "status": v.status,
            "statuses": [{"report": report, "status": status}
                         for report, status in v.status_reports],
            "relatives": [{"name": (by_id[other].names or ("?",))[0] if other in by_id
                           else other, "relation": relation}
                          for relation, other in v.relatives],
            "reports": sorted({m.split("#", 1)[0] for m in v.mentions}),
            "why": list(v.why),
        })
    return out


def incident_rows(
    resolution: Resolution,
    grades: Mapping[str, IncidentGrades],
    victims: Sequence[NamedVictim],
    events: Sequence[Event],
    bodies: Mapping[str, Row],
    pks: Mapping[str, int],
    partnership: str = "default",
) -> tuple[list[Row], list[tuple[int, str]], list[Row]]:
    """Rows of ``incident``, ``(report pk, incident id)`` memberships and ``incident_edge`` rows
    of one run. ``bodies`` and ``pks`` are each report's body and store key by ``org/id``;
    ``partnership`` is the store's (:func:`incident_id`)."""
    by_key = {e.key: e for e in events}
    victims_of: dict[str, list[NamedVictim]] = {}
    for v in victims:
        for named in v.incidents:
            victims_of.setdefault(named, []).append(v)
    incidents, members, edges = [], [], []
    for inc in resolution.incidents:
        own = incident_id(inc.id, partnership)
        evs = [by_key[k] for k in inc.members]
        g = grades[inc.id]
        start = date.fromordinal(min(e.first for e in evs))
        end = date.fromordinal(max(e.last for e in evs))
        location = _location(evs, bodies)
        incidents.append({
            "id": own,
            "label": _label(evs, location, start),
            "certainty": g.occurrence.grade,
            "attribution": g.attribution.grade,
            "date_start": start,
            "date_end": end,
            "lat": location["lat"],
            "lon": location["lon"],
            "precision": location["precision"],
            "mechanism": next((e.mechanism for e in evs if e.mechanism), None),
            "targets": " ".join(sorted({t for e in evs for t in e.targets})),
            "place": _place_text(location),
            "killed_min": g.killed.min if g.killed else None,
            "killed_max": g.killed.max if g.killed else None,
            "injured_min": g.injured.min if g.injured else None,
            "injured_max": g.injured.max if g.injured else None,
            "report_count": len(inc.members),
            "source_count": len(g.sources),
            "data": {
                "targets": sorted({t for e in evs for t in e.targets}),
                "mechanisms": sorted({e.mechanism for e in evs if e.mechanism}),
                "location": location,
                "killed": _range(g.killed),
                "injured": _range(g.injured),
                "certainty_rules": _rules(g.occurrence),
                "attribution_rules": _rules(g.attribution),
                "sources": [{"key": s.key, "name": s.name,
                             "agency": sorted({e.agency for e in s.events}),
                             "partner": any(e.partner for e in s.events),
                             "reports": list(s.reports)} for s in g.sources],
                "not_counted": list(g.not_counted),
                "actors": _actors(evs),
                "perpetrators": list(g.perpetrators),
                "victims": _victims(victims_of.get(inc.id, [])),
                "contenders": [{"report": c.b if c.a in inc.members else c.a,
                                "member": c.a if c.a in inc.members else c.b,
                                "incident": incident_id(c.incident, partnership), "score": c.score,
                                "reasons": list(c.reasons), "why": c.why}
                               for c in inc.contenders],
            },
        })
        members += [(pks[k], own) for k in inc.members]
        edges += _edges(inc, pks)
    return incidents, members, edges


def _actors(members: Sequence[Event]) -> list[Row]:
    found: dict[str, Row] = {}
    for e in members:
        for m in e.actors:
            row = found.setdefault(m.actor, {"actor": m.actor, "names": [], "roles": [],
                                             "reports": [], "anachronisms": []})
            for key, value in (("names", m.name), ("roles", m.role), ("reports", e.key),
                               ("anachronisms", m.anachronism)):
                if value and value not in row[key]:
                    row[key].append(value)
    return list(found.values())


def _edges(inc: Incident, pks: Mapping[str, int]) -> list[Row]:
    out = [{"a": pks[e.a], "b": pks[e.b], "kind": "merge", "score": e.score or 0.0,
            "reasons": [e.kind, *e.reasons]} for e in inc.edges]
    out += [{"a": pks[c.a], "b": pks[c.b], "kind": "contender", "score": c.score,
             "reasons": [c.why, *c.reasons]} for c in inc.contenders
            if c.a in inc.members]
    out += [{"a": pks[x.a], "b": pks[x.b], "kind": "episode", "score": x.score,
             "reasons": list(x.reasons)} for x in inc.episodes if x.a in inc.members]
    return out


def incident_picture(
    profile: Profile,
    incidents: Sequence[Row],
    members: Sequence[tuple[int, str]],
    events: Sequence[Event],
    rows: Mapping[str, Row],
) -> IncidentPicture:
    """The picture the alert rules read: each incident as a subject, its reports with their
    independence key, targets and arrival. ``rows`` are the store's report rows by ``org/id``
    (``pk``, ``agency``, ``reported_at``)."""
    by_key = {e.key: e for e in events}
    reports = {
        rows[k]["pk"]: {"agency": rows[k]["agency"], "reported_at": rows[k]["reported_at"],
                        "independence": independence_key(e), "targets": sorted(e.targets),
                        "key": k}
        for k, e in by_key.items()
    }
    picture = IncidentPicture(
        profile, reports,
        {i["id"]: {"kind": "incident", "label": i["label"], "data": {
            "certainty": i["certainty"], "attribution": i["attribution"]}}
         for i in incidents})
    for pk, inc in members:
        picture.members.setdefault(inc, []).append(pk)
    return picture
