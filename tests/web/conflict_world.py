"""A store holding conflict reports and their incidents, for the web app's tests.

The pages are tested on incidents that hold still: the bundled conflict demo is imported (so
every member is a real report's pk) and each incident of its hand-checked answers
(``conflict-truth.yaml``) becomes a row in the shape the incidents stage writes (documented in
:mod:`joinedup.corroborate.incidents`), whatever the stage's tuning makes of the reports. One
test renders what the stage itself makes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

import joinedup.demo
from joinedup.corroborate.incident_rows import incident_id
from joinedup.ingest.importer import import_file
from joinedup.store import Store

Row = dict[str, Any]
DEMO = Path(joinedup.demo.__file__).parent
PRECISIONS = ("exact", "neighbourhood", "within_25km", "district", "governorate", "country")
CONTENDER = "health-watch-syria/HWS-SY-2016-07"  # country-level: never merged (rule 2)


def load_conflict(store: Store) -> dict[str, Row]:
    """Import the conflict demo into ``store`` and fill its incidents from the demo's answers;
    returns each incident's row by the answer's key (``al-nour-hospital``...)."""
    import_file(store, DEMO / "conflict.jsonl")
    truth = yaml.safe_load((DEMO / "conflict-truth.yaml").read_text(encoding="utf-8"))
    bodies = {f"{r['org']}/{r['report_id']}": r for r in store.current_bodies("conflict")}
    rows: dict[str, Row] = {}
    members: list[tuple[int, str]] = []
    edges: list[Row] = []
    for item in truth["incidents"]:
        reports = [bodies[name] for name in item["reports"]]
        row = incident_row(item, reports)
        rows[item["key"]] = row
        members += [(r["pk"], row["id"]) for r in reports]
        edges += [merge_edge(reports[0]["pk"], r["pk"]) for r in reports[1:]]
    nour = rows["al-nour-hospital"]
    nour["data"]["contenders"] = [{"report": CONTENDER, "incident": incident_id(CONTENDER),
                                   "score": 4.5, "reasons": ["same month 2016-07"],
                                   "why": "a place known only to the country is never merged"}]
    edges.append({"a": bodies[CONTENDER]["pk"], "b": nour["reports_pk"][0], "kind": "contender",
                  "score": 4.5, "reasons": ["a place known only to the country is never "
                                            "merged", "same month 2016-07"]})
    store.replace_incidents([_stored(r) for r in rows.values()], members, edges)
    return rows


def _stored(row: Row) -> Row:
    """The row as the stage writes it: the summary columns beside ``data``."""
    data = row["data"]
    location = data.get("location") or {}
    named = ", ".join(str(p) for p in (location.get("facility"), location.get("name")) if p)
    killed, injured = data.get("killed") or {}, data.get("injured") or {}
    return {**{k: v for k, v in row.items() if k != "reports_pk"},
            "targets": " ".join(data.get("targets") or []),
            "place": named or str(location.get("admin2") or location.get("admin1")
                                  or "place unknown"),
            "killed_min": killed.get("min"), "killed_max": killed.get("max"),
            "injured_min": injured.get("min"), "injured_max": injured.get("max"),
            "report_count": len(row.get("reports_pk") or ()),
            "source_count": len(data.get("sources") or [])}


def merge_edge(a: int, b: int) -> Row:
    return {"a": a, "b": b, "kind": "merge", "score": 6.5,
            "reasons": ["match", "same day 2016-07-23", "0.4 km apart", "same mechanism"]}


def name(r: Row) -> str:
    return f"{r['org']}/{r['report_id']}"


def incident_row(item: Row, reports: list[Row]) -> Row:
    """One incident of the answers as the store keeps it (``data`` as documented)."""
    bodies = [r["body"] for r in reports]
    counted = [r for r in reports if not r["derived"]]
    location = _finest([b.get("location") or {} for b in bodies])
    harms = [b.get("harm") or {} for b in bodies]
    mechanisms = list(dict.fromkeys(h["mechanism"] for h in harms if h.get("mechanism")))
    known = [m for m in mechanisms if m != "unknown"]
    targets = list(dict.fromkeys(t for h in harms for t in h.get("targets", [])))
    day = date.fromisoformat(str(item["date"]))
    attribution = item["attribution"] or "none"
    named = [name(r) for r in counted if r["body"].get("actors")]
    return {
        # as the incidents stage names them: after the earliest-reported member
        "id": incident_id("incident:" + name(min(reports, key=lambda r: (r["reported_at"],
                                                                          r["pk"])))),
        "label": item["key"].replace("-", " ").capitalize(),
        "certainty": item["certainty"],
        "attribution": attribution,
        "date_start": day,
        "date_end": day,
        "lat": location.get("lat"),
        "lon": location.get("lon"),
        "precision": location.get("precision"),
        "mechanism": Counter(known).most_common(1)[0][0] if known else None,
        "reports_pk": [r["pk"] for r in reports],
        "data": {
            "targets": targets,
            "mechanisms": mechanisms,
            "location": location or None,
            "killed": _range(item.get("killed"), reports, "killed"),
            "injured": _range(item.get("injured"), reports, "injured"),
            "certainty_rules": [{"rule": f"certainty_{item['certainty']}",
                                 "grade": item["certainty"], "says": item["certainty_reason"],
                                 "sources": [], "reports": [name(r) for r in counted]}],
            "attribution_rules": [{"rule": f"attribution_{attribution}", "grade": attribution,
                                   "says": item["attribution_reason"], "sources": [],
                                   "reports": named}],
            "sources": _sources(counted),
            "not_counted": [name(r) for r in reports if r["derived"]],
            "actors": _actors(reports),
            "victims": _victims(item.get("victims", []), reports),
            "contenders": [],
        },
    }


def _finest(locations: list[Row]) -> Row:
    given = [loc for loc in locations if loc]
    if not given:
        return {}
    best = min(given, key=lambda loc: PRECISIONS.index(loc.get("precision") or "country"))
    placed = next((loc for loc in given if loc.get("lat") is not None), {})
    keys = ("name", "admin1", "admin2", "lat", "lon", "precision", "facility")
    return {k: best.get(k) if k not in ("lat", "lon") else placed.get(k) for k in keys}


def _range(figures: list[int] | None, reports: list[Row], what: str) -> Row | None:
    if figures is None:
        return None
    giving = [name(r) for r in reports
              if (r["body"].get("casualties") or {}).get(what) is not None]
    return {"min": figures[0], "max": figures[1], "reports": giving, "figures": {
        name(r): _figure(r["body"]["casualties"][what]) for r in reports
        if (r["body"].get("casualties") or {}).get(what) is not None}}


def _figure(value: int | Row) -> list[int]:
    return [value["min"], value["max"]] if isinstance(value, dict) else [value, value]


def _sources(counted: list[Row]) -> list[Row]:
    out: dict[str, Row] = {}
    for r in counted:
        given = r["body"].get("upstream") or r["org"]
        key = "".join(ch for ch in given.lower() if ch.isalnum())
        source = out.setdefault(key, {"key": key, "name": given, "agency": [],
                                      "partner": False, "reports": []})
        source["partner"] = source["partner"] or bool(r["body"]["source"].get("partner"))
        source["agency"] = sorted({*source["agency"], r["agency"]})
        source["reports"].append(name(r))
    return list(out.values())


def _actors(reports: list[Row]) -> list[Row]:
    out: dict[str, Row] = {}
    for r in reports:
        for actor in r["body"].get("actors", []):
            entry = out.setdefault(actor["name"].lower(), {
                "actor": actor["name"], "names": [], "roles": [], "reports": [],
                "anachronisms": []})
            for value, into in ((actor["name"], "names"), (actor.get("role"), "roles"),
                                (name(r), "reports")):
                if value and value not in entry[into]:
                    entry[into].append(value)
    return list(out.values())


def _victims(given: list[Row], reports: list[Row]) -> list[Row]:
    """The answers' victims; "brother of the next victim" becomes a relative by name."""
    out = []
    for i, v in enumerate(given):
        relatives = []
        if v.get("relatives"):
            relation, _, other = str(v["relatives"]).partition(" of the ")
            j = i + 1 if other.startswith("next") else i - 1
            relatives.append({"name": given[j]["names"][0], "relation": relation})
        out.append({"name": v["names"][0], "variants": v["names"][1:], "age": v.get("age"),
                    "sex": v.get("sex"), "status": v.get("status"), "relatives": relatives,
                    "reports": [name(r) for r in reports if r["body"].get("people")],
                    "why": [f"{n!r} and {v['names'][0]!r} are one name, in one incident"
                            for n in v["names"][1:]]})
    return out


def add_incident(store: Store, row: Row, members: list[int], edges: Sequence[Row] = ()) -> None:
    """Add one incident to those the store holds (they are replaced whole)."""
    held = store.incidents()
    kept = [{**{k: v for k, v in i.items() if k not in ("partnership", "reports")},
             "targets": " ".join(i["targets"])} for i in held]
    pairs = [(pk, i["id"]) for i in held for pk in i["reports"]]
    old = [{k: v for k, v in e.items() if k not in ("pk", "partnership")}
           for e in store.incident_edges(pk for pk, _ in pairs)]
    added = _stored(row) if "place" not in row else row
    store.replace_incidents(kept + [added], pairs + [(pk, row["id"]) for pk in members],
                            old + list(edges))
