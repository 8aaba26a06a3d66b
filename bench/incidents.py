"""Incident de-duplication and grading on the real UCDP GED Syria file, against its event ids.

UCDP GED Syria 2016-2019 (``../shared/data/ucdp/``, CC BY 4.0; Sundberg and Melander 2013) has
16,566 events, each merged by UCDP's coders from one or more source articles. A minimal adapter
(replaced by the conflict importer once merged) makes every article a report: the article's
office, date and headline as its source, date and narrative, and the event's coded place,
dates, sides and death range (UCDP gives no mechanism or target: the mechanism is read from the
headline's words, or left unknown). The truth is UCDP's grouping: reports of one event should be
one incident, reports of different events should not. Precision, recall and F1 are pairwise over
all reports. Because the reports of one event carry the event's coded fields, this is the
*un-noised* split: it measures mostly whether different events are kept apart; a noisy test set
(dates, places and figures disturbed) measures recall under noise.

UCDP's event is a dyad on a day at a place, coarser than an incident here: one UCDP event can
hold an air raid and clashes in one town on one day, which the harm taxonomy keeps apart when a
headline names the mechanism. The ``unknown`` rows show the method without that reading.

The ``disturbed`` rows change each report as sources disagree (seeded, :func:`disturb`): a
day-precise date moved a day (20% of reports), the date left out (10%), an exact point moved
up to about 1.7 km (30% of exact ones), the place name left out (20%), the toll revised by a
factor of 0.6-1.6 (40%), the actors left out (30%), the mechanism left out (20%). The rates are
this bench's guess, not measured; the conflict importer's noisy test set replaces them.
"R+review" counts a true pair as found when it is merged or its two incidents are offered to
each other as contenders.

Throughput: building events, de-duplicating and grading the whole file in one process, against
a floor: the naive per-day blocking pass (counting the pairs of reports that share a day,
without comparing any), which is what blocking by day alone would have to compare.
Run: ``python bench/incidents.py [--csv PATH]``.
"""

from __future__ import annotations

import argparse
import copy
import csv
import random
import re
import sys
import time
import traceback
from collections import Counter, defaultdict
from datetime import date, timedelta
from math import comb
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Row = dict[str, Any]
UCDP_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "ucdp" / \
    "ged_syria_2016_2019.csv"
BAR_SECONDS = 120.0
# UCDP where_prec (codebook 19.1) -> the contract's location precision (conflict-vocabulary.yaml)
WHERE_PREC = {1: "exact", 2: "within_25km", 3: "district", 4: "governorate", 5: "governorate",
              6: "country", 7: "country"}
ARTICLE = re.compile(r"^(.*?),(\d{4}-\d{2}-\d{2}),(.*)$", re.S)
# the first that matches names the mechanism; specific and grave before general
HEADLINE_WORDS = [
    ("chemical", r"chlorine|chemical|sarin|toxic gas"), ("barrel_bomb", r"barrel"),
    ("drone_strike", r"drone"), ("suicide_bomb", r"suicide"),
    ("ied_landmine", r"car bomb|\bieds?\b|landmine|explosive device|booby"),
    ("air_strike", r"air ?strike|air raid|warplane|aerial|helicopter|\braids?\b|\bjets\b"),
    ("shelling", r"shell|rocket|mortar|artillery|missile"),
    ("small_arms", r"sniper|gunfire|gunmen|shot dead"),
    ("ground_attack", r"clash|battle|fighting|attack"),
]
AGENCIES = {"sohr": "local_monitor", "vdc": "local_monitor", "sn4hr": "local_monitor",
            "airwars": "ngo", "air wars": "ngo", "hrw": "ngo", "human rights watch": "ngo",
            "amnesty international": "ngo", "msf": "medical", "sana": "government",
            "sdf press office": "belligerent", "syria live map": "social_media",
            "live map": "social_media", "waha report": "other"}


def mechanism_of(headline: str) -> str:
    text = headline.lower()
    return next((m for m, words in HEADLINE_WORDS if re.search(words, text)), "unknown")


def ucdp_reports(path: Path, headline_mechanism: bool = True) -> tuple[list[Row], dict[str, str]]:
    """One conflict report per source article, and each report's UCDP event id (the truth,
    kept out of the report)."""
    reports: list[Row] = []
    truth: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            articles = next(csv.reader([row["source_article"]], delimiter=";", quotechar='"'))
            for k, article in enumerate(articles):
                report = _report(row, k, article.strip(), headline_mechanism)
                reports.append(report)
                truth[f"{report['source']['org']}/{report['id']}"] = row["id"]
    return reports, truth


def _report(row: dict[str, str], k: int, article: str, headline_mechanism: bool) -> Row:
    found = ARTICLE.match(article)
    office, day, headline = found.groups() if found else ("unknown", row["date_end"], article)
    office = office.strip() or "unknown"
    one_sided = row["type_of_violence"] == "3"
    actors = []
    for side, role in (("side_a", "alleged_perpetrator"), ("side_b", "victim_group")):
        for name in row[side].split(", "):
            actor = {"ref": f"a{len(actors)}", "name": name}
            if one_sided:
                actor["role"] = role
            actors.append(actor)
    location: Row = {"name": row["where_coordinates"], "lat": float(row["latitude"]),
                     "lon": float(row["longitude"]),
                     "precision": WHERE_PREC[int(row["where_prec"])]}
    location.update({k: row[c] for k, c in (("admin1", "adm_1"), ("admin2", "adm_2")) if row[c]})
    mechanism = mechanism_of(headline) if headline_mechanism else "unknown"
    return {
        "profile": "conflict", "id": f"{row['id']}-{k}",
        "source": {"agency": AGENCIES.get(office.lower(), "media"), "org": office},
        "reported_at": day, "occurred_from": row["date_start"], "occurred_to": row["date_end"],
        "location": location,
        "harm": {"mechanism": mechanism, "targets": ["civilians_general"] if one_sided else []},
        "actors": actors,
        "casualties": {"killed": {"min": int(row["low"]), "max": int(row["high"])}},
        "narrative": headline,
    }


def disturb(report: Row, rnd: random.Random) -> Row:
    """A copy of ``report`` changed as another source might tell it (rates in the docstring)."""
    r = copy.deepcopy(report)
    if rnd.random() < 0.2 and r["occurred_from"] == r["occurred_to"]:
        day = date.fromisoformat(r["occurred_from"]) + timedelta(days=rnd.choice((-1, 1)))
        r["occurred_from"] = r["occurred_to"] = day.isoformat()
    if rnd.random() < 0.1:
        del r["occurred_from"], r["occurred_to"]
    location = r["location"]
    if location["precision"] == "exact" and rnd.random() < 0.3:
        location["lat"] += rnd.uniform(-0.015, 0.015)
        location["lon"] += rnd.uniform(-0.015, 0.015)
    if rnd.random() < 0.2:
        del location["name"]
    killed = r["casualties"]["killed"]
    if rnd.random() < 0.4:
        factor = rnd.uniform(0.6, 1.6)
        killed["min"] = int(killed["min"] * factor)
        killed["max"] = max(killed["min"], int(killed["max"] * factor))
    if rnd.random() < 0.3:
        r["actors"] = []
    if rnd.random() < 0.2:
        r["harm"]["mechanism"] = "unknown"
    return r


def found_for_review(resolution: Any, truth: dict[str, str]) -> float:
    """The share of true pairs merged, or whose incidents are each other's contenders."""
    linked = {(inc.id, c.incident) for inc in resolution.incidents for c in inc.contenders}
    by_event: dict[str, list[str]] = defaultdict(list)
    for key, event in truth.items():
        by_event[event].append(resolution.incident_of[key])
    found = total = 0
    for incidents in by_event.values():
        for i, a in enumerate(incidents):
            for b in incidents[i + 1:]:
                total += 1
                found += a == b or (a, b) in linked
    return found / total if total else 1.0


def pairwise(groups: list[list[str]], truth: dict[str, str],
             keep: set[str] | None = None) -> tuple[float, float, float, int]:
    """Pairwise precision, recall, F1 of ``groups`` against ``truth`` (over ``keep`` only)."""
    true_pairs = sum(comb(n, 2) for n in Counter(
        t for k, t in truth.items() if keep is None or k in keep).values())
    predicted = correct = 0
    for members in groups:
        members = [m for m in members if keep is None or m in keep]
        predicted += comb(len(members), 2)
        correct += sum(comb(n, 2) for n in Counter(truth[m] for m in members).values())
    p = correct / predicted if predicted else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), true_pairs


def day_blocking_floor(events: list[Any], slack: int) -> tuple[float, int]:
    """Seconds and pair count of naive blocking by day: every pair sharing a day is counted
    (each event on every day of its interval, plus the slack), none is compared."""
    start = time.perf_counter()
    per_day: dict[int, int] = defaultdict(int)
    for e in events:
        for day in range(e.first, e.last + slack + 1):
            per_day[day] += 1
    pairs = sum(comb(n, 2) for n in per_day.values())
    return time.perf_counter() - start, pairs


def measure(path: Path, headline_mechanism: bool, disturbed: bool = False) -> Row:
    from joinedup.corroborate.grading import grade_resolution
    from joinedup.resolve.incidents import deduplicate, event_from_report, shipped_dedup_profile

    profile = shipped_dedup_profile()
    reports, truth = ucdp_reports(path, headline_mechanism)
    if disturbed:
        rnd = random.Random(7)
        reports = [disturb(r, rnd) for r in reports]
    t = time.perf_counter()
    events = [event_from_report(r, profile) for r in reports]
    t_events = time.perf_counter() - t
    t = time.perf_counter()
    resolution = deduplicate(events, profile=profile)
    t_dedup = time.perf_counter() - t
    t = time.perf_counter()
    grades = grade_resolution(resolution, events, actors=profile.actors)
    t_grade = time.perf_counter() - t
    floor, naive_pairs = day_blocking_floor(events, profile.settings.dates.slack_days)
    groups = [list(inc.members) for inc in resolution.incidents]
    year = {e.key: e.first_day.year for e in events}
    held_out = {k for k, y in year.items() if y >= 2017}
    quality = {"all": pairwise(groups, truth),
               "2016": pairwise(groups, truth, set(truth) - held_out),
               "2017-2019": pairwise(groups, truth, held_out)}
    review = found_for_review(resolution, truth)
    return {"mechanism": ("headline" if headline_mechanism else "unknown")
            + (", disturbed" if disturbed else ""),
            "events": len(set(truth.values())), "reports": len(reports),
            "incidents": len(resolution.incidents), "candidates": resolution.compared,
            "naive_pairs": naive_pairs, "t_events": t_events, "t_dedup": t_dedup,
            "t_grade": t_grade, "floor": floor, "quality": quality,
            "occurrence": Counter(g.occurrence.grade for g in grades.values()),
            "attribution": Counter(g.attribution.grade for g in grades.values()),
            "review": review,
            "contenders": sum(len(i.contenders) for i in resolution.incidents),
            "episodes": sum(len(i.episodes) for i in resolution.incidents)}


def run(path: Path = UCDP_CSV) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    errors: list[str] = []
    for disturbed in (False, True):
        for headline in (True, False):
            try:
                rows.append(measure(path, headline, disturbed))
            except Exception:
                traceback.print_exc()
                errors.append(f"headline={headline}, disturbed={disturbed}")
    return rows, errors


def table(rows: list[Row]) -> str:
    if not rows:
        return "(no rows)"
    first = rows[0]
    lines = [f"UCDP GED Syria 2016-2019: {first['events']:,} events, {first['reports']:,} "
             "reports (one per source article).", "",
             "| mechanism | incidents | P | R | F1 | F1 2016 | F1 2017-19 | R+review | "
             "contenders | episode links |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        p, rc, f1, _ = r["quality"]["all"]
        lines.append(f"| {r['mechanism']} | {r['incidents']:,} | {p:.3f} | {rc:.3f} | {f1:.3f} "
                     f"| {r['quality']['2016'][2]:.3f} | {r['quality']['2017-2019'][2]:.3f} | "
                     f"{r['review']:.3f} | {r['contenders']:,} | {r['episodes']:,} |")
    lines += ["", "| mechanism | events s | de-dup s | grading s | total s | bar | pairs "
                  "compared | naive per-day pairs | day-blocking floor s | x floor |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        total = r["t_events"] + r["t_dedup"] + r["t_grade"]
        verdict = "ok" if total <= BAR_SECONDS else "MISSED"
        lines.append(f"| {r['mechanism']} | {r['t_events']:.2f} | {r['t_dedup']:.2f} | "
                     f"{r['t_grade']:.2f} | {total:.1f} | {BAR_SECONDS:.0f} {verdict} | "
                     f"{r['candidates']:,} | {r['naive_pairs']:,} | {r['floor']:.3f} | "
                     f"{total / r['floor']:.0f} |")
    for r in rows:
        lines += ["", f"Grades ({r['mechanism']}): occurrence "
                  + ", ".join(f"{k} {v:,}" for k, v in sorted(r["occurrence"].items()))
                  + "; attribution "
                  + ", ".join(f"{k} {v:,}" for k, v in sorted(r["attribution"].items()))]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=UCDP_CSV)
    args = parser.parse_args()
    found, failed = run(args.csv)
    print(table(found))
    sys.exit(1 if failed else 0)
