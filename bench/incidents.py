"""Incident de-duplication and grading on the real UCDP GED Syria file, against its event ids.

UCDP GED Syria 2016-2019 (``../shared/data/ucdp/``, CC BY 4.0; Sundberg and Melander 2013) has
16,566 events, each merged by UCDP's coders from one or more source articles. The project's own
importer and test set undo that merge, and the truth is UCDP's grouping: reports of one event
should be one incident, reports of different events should not. Precision, recall and F1 are
pairwise over all reports; "R+review" also counts a true pair whose two incidents are offered
to each other as contenders or episode links (left for an analyst, not lost).

Rows:

- **as coded**: :func:`joinedup.ingest.ucdp.ucdp_reports`, one report per source article, each
  carrying its event's coded place, dates, sides and death range, and a mechanism read from its
  own headline. ``extra.ucdp_id`` is the truth and is taken out of the report before
  de-duplication: left in, it is an upstream record's id, which merges every report of an event
  by rule (``dedup.yaml``, ``sources.record_keys``), and the row would measure nothing. This row
  mostly measures keeping different events apart: 3,632 pairs of reports of different events
  share day, point and dyad, only 409 of them the death range too.
- **at stated precisions, seed N**: :func:`joinedup.generate.incidents.build_testset` with
  :meth:`~joinedup.generate.incidents.Noise.within_stated`, the same articles made to differ as
  independent sources do, every report within UCDP's stated precisions (a day inside a window
  UCDP gives, points moved within the precision's radius, spelling variants, other names of an
  actor, one side unnamed, no mechanism, each source's own toll from UCDP's range, echoes of one
  upstream). **The issue's target, F1 0.95, is set on these rows.**
- **noisier than stated, seed N**: the same with the default
  :class:`~joinedup.generate.incidents.Noise`, which adds what goes beyond UCDP's stated
  precisions: a day out where UCDP gives the day (20%), only the month (8%), a place coarser
  than the event's (10%). Real, but not what the target is set on. Its docstring and
  docs/conflict-import.md give the rates.

Held out: the de-duplication rules and weights (``dedup.yaml``) were checked against errors of
**seed 1, reports of 2016 events** only (the "tuned on" cells: at stated precisions since
those rows were added, noisier than stated before); 2017-2019 events, seeds 2 and 3, the other
noise and the as-coded row were not looked at while changing them. F1 is printed for both
parts.
The "review by design" column is recall no weighting can reach: true pairs with a report known
only to the country, or dated only to a month (or a window of 8 days or more) while the other
gives a day, are linked for review by rule (conflict.md rule 2; meltt's event-to-episode
matches are flagged for review too), never merged.

**Ceilings**: what F1 could any matcher reach on these reports? A report's *signature* is what
it says as the matcher compares it: dates, point, place name, precision, districts, mechanism,
targets, facility, actors as canonical ids with their roles, toll. "ceiling F1 (identical
reports alike)" is the best pairwise F1 of a matcher that tells apart every two reports whose
signatures differ and treats reports of one signature alike: each group of one signature is kept
together or apart, whichever is best for F1 overall (chosen exactly: F1 = 2 TP / (predicted +
true) is a ratio of two sums over the groups kept together, and the best choice keeps exactly the
groups whose share of true pairs beats it, so groups are added in falling order of that share).
Every true pair of two signatures is counted as found, with no false pair between groups, which
makes it an upper bound. The source is not part of the signature but holds by rule: two reports
of one document are never merged, a report derived from another (or sharing a record id) always
is. "ceiling F1, rule 2" also never merges a pair that conflict.md rule 2 sends for review (a
place known only to the country, or an interval that is an episode beside the other's: a month
against a day), unless a rule ties it. Noise that moves points at random makes nearly every
noisy report's signature its own, so there the first ceiling says nearly nothing; on the file as
coded it says how many events the coded fields cannot tell apart, and rule 2's ceiling on the
noisy rows is what the review rule costs whatever the matcher.

**Oracle** (rows of the test set): :mod:`joinedup.generate.oracle` is given every event as UCDP
codes it and the noise model, and puts each report with the likeliest event. Its F1, with tolls
read as drawn and as revised, and with rule 2's review pairs left unmerged, is what a matcher
handed the events would reach: a firmer ceiling than identical signatures where noise is random.

Throughput: events built, de-duplicated and graded in one process, beside a floor in the same
process: naive blocking by day (counting the pairs of reports that share a day, none compared).
End to end: the whole Syria file imported into a fresh store with
:func:`joinedup.ingest.importer.import_dataset` (``"ucdp"``: validation, versioning) and then
:func:`joinedup.pipeline.process_incidents` (de-duplication, grading, named victims, incidents
kept, alerts raised), on SQLite and on PostgreSQL (a throwaway schema in ``test`` on 127.0.0.1,
dropped afterwards); the bar is 120 s. Here the reports keep ``extra.ucdp_id``, as an import does.

The demo's hand-checked answers (``src/joinedup/demo/conflict-truth.yaml``, 72 fictional
reports) are scored the same way: pairwise P/R over the reports of its intended incidents, and
how many whole incidents get both hand-checked grades.

Every true pair left unmerged is put down to its cause, and every merged pair of two events to
what it shares, by comparing the pair directly (``--examples N`` prints N of each with their
reasons).

Run: ``python bench/incidents.py [--csv PATH] [--seeds 1 2 3] [--no-postgres] [--no-store]
[--examples N]``.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterable
from math import comb
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Row = dict[str, Any]
PRF = tuple[float, float, float]
SYRIA_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "ucdp" / \
    "ged_syria_2016_2019.csv"
# the whole Syria file lives beside the project (../shared); elsewhere the bench runs on the
# Aleppo 2016 extract the demo ships, and its table says which file it read
UCDP_CSV = SYRIA_CSV if SYRIA_CSV.is_file() else (
    Path(__file__).resolve().parents[1] / "src" / "joinedup" / "demo" / "ucdp"
    / "ged_aleppo_2016.csv")
BAR_SECONDS = 120.0
SEEDS = (1, 2, 3)
TUNED_SEED, TUNED_YEARS = 1, "2016"
STATED, NOISIER = "at stated precisions", "noisier than stated"
TARGET_F1 = 0.95  # the target, set on the rows at UCDP's stated precisions
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pairwise(groups: Iterable[Iterable[str]], truth: dict[str, int],
             keep: set[str] | None = None) -> tuple[float, float, float, int]:
    """Pairwise precision, recall, F1 of ``groups`` against ``truth`` (over ``keep`` only), and
    the number of true pairs."""
    true_pairs = sum(comb(n, 2) for n in Counter(
        t for k, t in truth.items() if keep is None or k in keep).values())
    predicted = correct = 0
    for group in groups:
        members = [m for m in group if keep is None or m in keep]
        predicted += comb(len(members), 2)
        correct += sum(comb(n, 2) for n in Counter(truth[m] for m in members).values())
    p = correct / predicted if predicted else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), true_pairs


def found_for_review(resolution: Any, truth: dict[str, int]) -> float:
    """The share of true pairs merged, or whose incidents are each other's contenders or
    episode links."""
    linked = {(inc.id, c.incident) for inc in resolution.incidents for c in inc.contenders}
    linked |= {(inc.id, e.incident) for inc in resolution.incidents for e in inc.episodes}
    by_event: dict[int, list[str]] = defaultdict(list)
    for key, event in truth.items():
        by_event[event].append(resolution.incident_of[key])
    found = total = 0
    for incidents in by_event.values():
        for i, a in enumerate(incidents):
            for b in incidents[i + 1:]:
                total += 1
                found += a == b or (a, b) in linked
    return found / total if total else 1.0


MISSED = ("review by design", "mechanisms", "dates", "places", "targets or facility",
          "below merge score", "refused")
FALSE = ("same day, sides and toll", "same day and sides, no toll to compare",
         "same day and sides, tolls differ", "other")


def why_missed(a: Any, b: Any, verdict: Any, profile: Any) -> str:
    """Why a pair was not merged, read from its direct comparison (or its absence)."""
    from joinedup.resolve.incidents.comparison import _dates, place_level

    if verdict is not None:
        if verdict.kind in ("review", "episode"):
            return "review by design"
        return ("below merge score" if verdict.score < profile.settings.scoring.merge_at
                else "refused")
    if _dates(a, b, profile.settings.dates.slack_days) is None:
        return "dates"
    if place_level(a, b, profile) is None:
        return "places"
    if not profile.taxonomy.mechanisms.families_compatible(a.mechanism_family,
                                                           b.mechanism_family):
        return "mechanisms"
    return "targets or facility"


def what_false_pairs_share(reasons: tuple[str, ...], a: Any, b: Any) -> str:
    """What a wrongly merged pair agrees on: the same day and the same sides (UCDP's own
    events differ by dyad, day and place), and then the toll."""
    same_day = any(r.startswith("same day") for r in reasons)
    same_sides = any(r.startswith("actors agree") for r in reasons)
    if not (same_day and same_sides):
        return "other"
    if a.killed is None or b.killed is None:
        return "same day and sides, no toll to compare"
    if any(r.endswith("overlap") and r.startswith("killed") for r in reasons):
        return "same day, sides and toll"
    return "same day and sides, tolls differ"


def describe(a: Any, b: Any) -> str:
    """Two events' dates, places and mechanisms, for a pair the rules refused."""
    def one(e: Any) -> str:
        from datetime import date

        days = f"{e.first_day}" + (f"..{date.fromordinal(e.last)}" if e.days > 1 else "")
        where = e.place or e.admin2 or e.admin1 or "?"
        point = f" ({e.lat:.3f}, {e.lon:.3f})" if e.lat is not None else ""
        return f"{days}, {e.precision} {where}{point}, {e.mechanism or 'unknown'}"
    return f"{one(a)} | {one(b)}"


def errors(events: list[Any], resolution: Any, truth: dict[str, int], profile: Any,
           examples: int = 0) -> Row:
    """Every true pair not merged, by cause, and every pair of two events merged, by what it
    shares; compared directly, as the rules would. With ``examples``, that many pairs of each
    kind, with their reasons."""
    from joinedup.resolve.incidents.comparison import compare

    by_key = {e.key: e for e in events}
    by_event: dict[int, list[Any]] = defaultdict(list)
    for e in events:
        by_event[truth[e.key]].append(e)
    missed: Counter[str] = Counter()
    shown: dict[str, list[str]] = defaultdict(list)
    true_pairs = 0
    for members in by_event.values():
        for a, b in itertools.combinations(members, 2):
            true_pairs += 1
            if resolution.incident_of[a.key] == resolution.incident_of[b.key]:
                continue
            verdict = compare(a, b, profile)
            cause = why_missed(a, b, verdict, profile)
            missed[cause] += 1
            if examples and len(shown[cause]) < examples:
                shown[cause].append(f"{a.key} ~ {b.key}: " + ("; ".join(verdict.reasons)
                                                              if verdict else describe(a, b)))
    false: Counter[str] = Counter()
    false_pairs = 0
    for inc in resolution.incidents:
        for x, y in itertools.combinations(inc.members, 2):
            if truth[x] == truth[y]:
                continue
            false_pairs += 1
            a, b = by_key[x], by_key[y]
            verdict = compare(a, b, profile)
            kind = what_false_pairs_share(verdict.reasons if verdict else (), a, b)
            false[kind] += 1
            if examples and len(shown[kind]) < examples:
                shown[kind].append(f"{x} (event {truth[x]}) ~ {y} (event {truth[y]}): "
                                   + ("; ".join(verdict.reasons) if verdict else "no pair"))
    return {"true_pairs": true_pairs, "missed": missed, "false_pairs": false_pairs,
            "false": false, "examples": dict(shown)}


def signature(e: Any) -> tuple[Any, ...]:
    """What a report says, as the matcher compares it: dates, place (point, name, precision,
    districts), mechanism, targets, facility, actors as canonical ids with their roles, and
    the toll. The source (its org, document, ``derived_from``, record ids) is left out: it says
    which reports are, or are not, one event by rule (:func:`ceiling`), not what happened."""
    return (e.first, e.last, e.dated, e.precision, e.lat, e.lon, e.admin1, e.admin2, e.place,
            e.facility, e.mechanism, e.targets,
            frozenset((m.actor, m.role) for m in e.actors), e.killed)


def tied(a: Any, b: Any) -> bool:
    """Two reports joined by rule whatever they say: one derived from the other, or both
    carrying one upstream record's id."""
    return a.key in b.derived_from or b.key in a.derived_from or bool(a.records & b.records)


def one_document(a: Any, b: Any) -> bool:
    """Two reports a source told apart in one of its documents: never merged by rule."""
    return a.document is not None and (a.org, a.document) == (b.org, b.document)


def review_by_design(a: Any, b: Any, profile: Any) -> bool:
    """conflict.md rule 2: a place known only to the country, or an interval that is an
    episode beside the other's, is for review and never merged automatically."""
    from joinedup.resolve.incidents.comparison import _episode

    places, dates = profile.settings.places, profile.settings.dates
    return (a.precision in places.review_only or b.precision in places.review_only
            or _episode(a, b, dates.episode_min_days, dates.episode_ratio))


def ceiling(events: list[Any], truth: dict[str, int], profile: Any,
            rule2: bool = False) -> tuple[float, float, float]:
    """The best pairwise (P, R, F1) a matcher could reach that tells apart every two reports
    whose :func:`signature` differs but treats reports of one signature alike.

    Every true pair of two signatures counts as found (an upper bound: no cross-signature
    false pair, no chaining), except a pair of one document (never merged by rule) and, with
    ``rule2``, a pair for review by design that no rule ties. Each group of reports with one
    signature is either kept together (every pair of it but those of one document) or apart
    (only its tied pairs). F1 = 2 TP / (predicted + true pairs) is then a ratio of two sums
    over the groups kept together, whose best choice is exact: the optimum keeps together
    exactly the groups whose share of true pairs among the pairs they add beats it, so adding
    groups in falling order of that share and keeping the best F1 seen finds it. With ``rule2``
    a group known only to the country is never kept together."""
    sig = {e.key: signature(e) for e in events}
    by_event: dict[int, list[Any]] = defaultdict(list)
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for e in events:
        by_event[truth[e.key]].append(e)
        groups[sig[e.key]].append(e)
    true_pairs = sum(comb(len(m), 2) for m in by_event.values())
    tp = sum(1 for members in by_event.values()
             for a, b in itertools.combinations(members, 2)
             if sig[a.key] != sig[b.key] and not one_document(a, b)
             and not (rule2 and review_by_design(a, b, profile) and not tied(a, b)))
    predicted = tp
    gains = []
    review_only = profile.settings.places.review_only
    for key, members in groups.items():
        together = [0, 0]  # true pairs, pairs
        for a, b in itertools.combinations(members, 2):
            same = truth[a.key] == truth[b.key]
            if tied(a, b):
                tp, predicted = tp + same, predicted + 1
            elif not one_document(a, b):
                together[0] += same
                together[1] += 1
        if together[1] and not (rule2 and key[3] in review_only):
            gains.append((together[0], together[1]))
    gains.sort(key=lambda g: g[0] / g[1], reverse=True)
    best = (tp, predicted)
    for right, pairs in gains:
        tp, predicted = tp + right, predicted + pairs
        if tp * (best[1] + true_pairs) > best[0] * (predicted + true_pairs):
            best = (tp, predicted)
    tp, predicted = best
    p, r = (tp / predicted if predicted else 1.0), (tp / true_pairs if true_pairs else 1.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


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


def event_years(path: Path) -> dict[int, int]:
    """Each UCDP event's year (of ``date_start``), for splitting reports into parts."""
    from joinedup.ingest.ucdp import UcdpEvent, read_events

    return {e.id: e.date_start.year for e in read_events(path) if isinstance(e, UcdpEvent)}


def as_coded(path: Path) -> tuple[list[Row], dict[str, int]]:
    """The importer's article reports, the truth (``extra.ucdp_id``) taken out of each."""
    from joinedup.ingest.ucdp import ucdp_reports
    from joinedup.resolve.incidents import report_key

    reports, errors = ucdp_reports(path)
    if errors:
        raise RuntimeError(f"{len(errors)} rows of {path} cannot be read: {errors[0]}")
    truth: dict[str, int] = {}
    for r in reports:
        truth[report_key(r["source"]["org"], r["id"])] = int(r["extra"].pop("ucdp_id"))
    return reports, truth


def noise_of(stated: bool) -> Any:
    from joinedup.generate.incidents import Noise

    return Noise.within_stated() if stated else Noise()


def noisy(path: Path, seed: int, stated: bool = False) -> tuple[list[Row], dict[str, int]]:
    """The test set of ``seed``: within UCDP's stated precisions, or (by default) noisier."""
    from joinedup.generate.incidents import build_testset
    from joinedup.resolve.incidents import report_key

    reports, truth = build_testset(path, seed, noise=noise_of(stated))
    return reports, {report_key(org, rid): event for (org, rid), event in truth.items()}


def under_rule2(groups: Iterable[Iterable[str]], events: list[Any], truth: dict[str, int],
                profile: Any) -> PRF:
    """Pairwise (P, R, F1) of ``groups`` with every pair conflict.md rule 2 sends for review,
    and no rule ties, left unmerged (as the matcher must)."""
    by_key = {e.key: e for e in events}
    true_pairs = sum(comb(n, 2) for n in Counter(truth.values()).values())
    correct = predicted = 0
    for group in groups:
        for a, b in itertools.combinations(group, 2):
            ea, eb = by_key[a], by_key[b]
            if review_by_design(ea, eb, profile) and not tied(ea, eb):
                continue
            predicted += 1
            correct += truth[a] == truth[b]
    p = correct / predicted if predicted else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@functools.cache
def oracle_knowledge(path: Path) -> tuple[list[Any], dict[int, float]]:
    """What the oracle is given: every event of the file, read once a run."""
    from joinedup.generate.oracle import templates
    from joinedup.ingest.ucdp import UcdpEvent, read_events
    from joinedup.resolve.incidents import shipped_dedup_profile

    return templates((e for e in read_events(path) if isinstance(e, UcdpEvent)),
                     shipped_dedup_profile())


def oracle(events: list[Any], truth: dict[str, int], noise: Any, known: Any,
           profile: Any) -> dict[str, tuple[PRF, PRF]]:
    """The oracle's pairwise (P, R, F1), as it groups and under rule 2, with tolls read as
    drawn from UCDP's range and as revised (:mod:`joinedup.generate.oracle`)."""
    from joinedup.generate.oracle import oracle_groups

    found: dict[str, tuple[PRF, PRF]] = {}
    for tolls in ("drawn", "revised"):
        groups = oracle_groups(events, known[0], noise, known[1], tolls)
        found[tolls] = (pairwise(groups, truth)[:3], under_rule2(groups, events, truth, profile))
    return found


def measure(name: str, reports: list[Row], truth: dict[str, int],
            years: dict[int, int], tuned: str | None, build_s: float, examples: int = 0,
            noise: Any = None, known: Any = None) -> Row:
    from joinedup.corroborate.grading import grade_resolution
    from joinedup.resolve.incidents import deduplicate, event_from_report, shipped_dedup_profile

    profile = shipped_dedup_profile()
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
    groups = [inc.members for inc in resolution.incidents]
    first = {k for k, event in truth.items() if years[event] == 2016}
    return {"name": name, "tuned": tuned,
            "events": len(set(truth.values())), "reports": len(reports),
            "incidents": len(resolution.incidents), "candidates": resolution.compared,
            "naive_pairs": naive_pairs, "t_build": build_s, "t_events": t_events,
            "t_dedup": t_dedup, "t_grade": t_grade, "floor": floor,
            "all": pairwise(groups, truth), "2016": pairwise(groups, truth, first),
            "2017-2019": pairwise(groups, truth, set(truth) - first),
            "review": found_for_review(resolution, truth),
            "errors": errors(events, resolution, truth, profile, examples),
            "ceiling": ceiling(events, truth, profile),
            "ceiling rule 2": ceiling(events, truth, profile, rule2=True),
            "oracle": oracle(events, truth, noise, known, profile) if noise is not None else None,
            "occurrence": Counter(g.occurrence.grade for g in grades.values()),
            "attribution": Counter(g.attribution.grade for g in grades.values())}


def store_row(backend: str, url: str, path: Path) -> Row:
    """The whole file imported into a fresh store and joined up into incidents, timed."""
    from joinedup.ingest.importer import import_dataset
    from joinedup.pipeline import process_incidents
    from joinedup.store import Store

    store = Store.open(url)
    try:
        t = time.perf_counter()
        imported = import_dataset(store, path, "ucdp")
        t_import = time.perf_counter() - t
        t = time.perf_counter()
        summary = process_incidents(store)
        t_process = time.perf_counter() - t
    finally:
        store.engine.dispose()
    return {"backend": backend, "accepted": imported.accepted,
            "quarantined": imported.quarantined, "incidents": summary.incidents,
            "alerts": summary.alerts, "t_import": t_import, "t_process": t_process}


def postgres_row(path: Path) -> Row:
    import uuid

    import sqlalchemy as sa

    schema = f"bench_incidents_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        return store_row("PostgreSQL", f"{PG_BASE}?options=-csearch_path%3D{schema}", path)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def demo_row() -> Row:
    """The demo's 72 fictional reports against their hand-checked incidents and grades."""
    from importlib import resources

    import yaml

    from joinedup.corroborate.grading import grade_resolution
    from joinedup.resolve.incidents import deduplicate, event_from_report, report_key

    demo = Path(str(resources.files("joinedup.demo")))
    truth_file = yaml.safe_load((demo / "conflict-truth.yaml").read_text(encoding="utf-8"))
    reports = [json.loads(line) for line in
               (demo / "conflict.jsonl").read_text(encoding="utf-8").splitlines() if line]
    reports = [r for r in reports if r.get("harm") or not r.get("route")]  # as the stage does
    events = [event_from_report(r) for r in reports]
    resolution = deduplicate(events)
    grades = grade_resolution(resolution, events)
    wanted = {k: n for n, t in enumerate(truth_file["incidents"]) for k in t["reports"]}
    p, r, f1, pairs = pairwise([inc.members for inc in resolution.incidents], wanted,
                               set(wanted))
    whole = agree = 0
    for t in truth_file["incidents"]:
        inc = resolution.of(t["reports"][0])
        if set(inc.members) != set(t["reports"]):
            continue
        whole += 1
        g = grades[inc.id]
        agree += (g.occurrence.grade, g.attribution.grade) == (t["certainty"], t["attribution"])
    assert all(report_key(r["source"]["org"], r["id"]) in resolution.incident_of
               for r in reports)
    return {"p": p, "r": r, "f1": f1, "pairs": pairs, "incidents": len(truth_file["incidents"]),
            "whole": whole, "agree": agree}


def run(path: Path = UCDP_CSV, seeds: tuple[int, ...] = SEEDS, store: bool = True,
        postgres: bool = True, examples: int = 0) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    errors: list[str] = []
    years = event_years(path)

    def attempt(label: str, make: Any) -> None:
        try:
            rows.append(make())
        except Exception:
            traceback.print_exc()
            errors.append(label)

    def quality(name: str, build: Any, tuned: str | None, stated: bool | None = None) -> Row:
        t = time.perf_counter()
        reports, truth = build()
        build_s = time.perf_counter() - t
        if stated is None:
            return measure(name, reports, truth, years, tuned, build_s, examples)
        return measure(name, reports, truth, years, tuned, build_s, examples,
                       noise=noise_of(stated), known=oracle_knowledge(path))

    attempt("as coded", lambda: quality("as coded", lambda: as_coded(path), None))
    for stated, label in ((True, STATED), (False, NOISIER)):
        for seed in seeds:
            attempt(f"{label}, seed {seed}", lambda seed=seed, stated=stated, label=label: quality(
                f"{label}, seed {seed}", lambda: noisy(path, seed, stated),
                TUNED_YEARS if seed == TUNED_SEED else None, stated))
    attempt("demo", lambda: {"demo": demo_row()})
    if store:
        with tempfile.TemporaryDirectory() as tmp:
            attempt("SQLite store", lambda: {"store": store_row(
                "SQLite", f"sqlite:///{Path(tmp) / 'incidents.db'}", path)})
        if postgres:
            attempt("PostgreSQL store", lambda: {"store": postgres_row(path)})
    return rows, errors


def table(rows: list[Row]) -> str:
    quality = [r for r in rows if "name" in r]
    lines: list[str] = []
    if quality:
        first = quality[0]
        lines += [f"UCDP GED Syria 2016-2019: {first['events']:,} events. Weights checked on "
                  f"seed {TUNED_SEED}, {TUNED_YEARS} events only (*tuned*); every other cell "
                  f"is held out. The target, F1 {TARGET_F1}, is set on the rows {STATED} "
                  "(the issue's); as coded and noisier than stated are reported beside them.",
                  "", "| reports | target | reports n | incidents | P | R | F1 | F1 2016 | "
                  "F1 2017-19 | R+review | review by design | ceiling F1 (identical reports "
                  "alike) | ceiling F1, rule 2 |", "|---" * 13 + "|"]
        for r in quality:
            p, rc, f1, _ = r["all"]
            early = f"{r['2016'][2]:.3f}" + (" *tuned*" if r["tuned"] == "2016" else "")
            target = (f"{TARGET_F1} {'met' if f1 >= TARGET_F1 else 'not met'}"
                      if r["name"].startswith(STATED) else "-")
            lines.append(f"| {r['name']} | {target} | {r['reports']:,} | {r['incidents']:,} | "
                         f"{p:.3f} | "
                         f"{rc:.3f} | {f1:.3f} | {early} | {r['2017-2019'][2]:.3f} | "
                         f"{r['review']:.3f} | "
                         f"{r['errors']['missed']['review by design'] / r['all'][3]:.3f} | "
                         f"{r['ceiling'][2]:.3f} | {r['ceiling rule 2'][2]:.3f} |")
        lines += ["", "Ceilings, P / R at the best F1 (identical reports alike; and never merging "
                      "a pair for review by design, conflict.md rule 2): "
                  + "; ".join(f"{r['name']} {r['ceiling'][0]:.3f} / {r['ceiling'][1]:.3f}, "
                              f"rule 2 {r['ceiling rule 2'][0]:.3f} / "
                              f"{r['ceiling rule 2'][1]:.3f}" for r in quality)]
        oracles = [r for r in quality if r.get("oracle")]
        if oracles:
            lines += ["", "The oracle (joinedup.generate.oracle) knows every event as UCDP codes "
                          "it and the test set's noise model, and puts each report with the event "
                          "likeliest to have made it: what a matcher handed the events would "
                          "reach. Tolls *drawn*: each source's figure from UCDP's range, as the "
                          "test set makes them; *revised*: anything from half the low to twice "
                          "the high, as sources revise them. Rule 2: pairs sent for review by "
                          "design left unmerged, as conflict.md requires.", "",
                      "| reports | oracle F1, tolls drawn | rule 2 (P / R / F1) | oracle F1, "
                      "tolls revised | rule 2 (P / R / F1) | joinedup F1 |",
                      "|---|---|---|---|---|---|"]
            def prf(x: PRF) -> str:
                return f"{x[0]:.3f} / {x[1]:.3f} / {x[2]:.3f}"

            for r in oracles:
                o = r["oracle"]
                lines.append(f"| {r['name']} | {o['drawn'][0][2]:.3f} | {prf(o['drawn'][1])} | "
                             f"{o['revised'][0][2]:.3f} | {prf(o['revised'][1])} | "
                             f"{r['all'][2]:.3f} |")
        lines += ["", "| reports | built s | events s | de-dup s | grading s | total s | bar | "
                      "pairs compared | naive per-day pairs | day-blocking floor s | x floor |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in quality:
            total = r["t_events"] + r["t_dedup"] + r["t_grade"]
            verdict = "ok" if total <= BAR_SECONDS else "MISSED"
            lines.append(f"| {r['name']} | {r['t_build']:.1f} | {r['t_events']:.2f} | "
                         f"{r['t_dedup']:.2f} | {r['t_grade']:.2f} | {total:.1f} | "
                         f"{BAR_SECONDS:.0f} {verdict} | {r['candidates']:,} | "
                         f"{r['naive_pairs']:,} | {r['floor']:.3f} | {total / r['floor']:.0f} |")
        lines += ["", "True pairs not merged, by cause (share of all true pairs), and pairs of two "
                      "events merged, by what they share (share of all merged pairs of two "
                      "events):", "",
                  "| reports | " + " | ".join(MISSED) + " | false pairs | "
                  + " | ".join(FALSE) + " |", "|---" * (len(MISSED) + len(FALSE) + 2) + "|"]
        for r in quality:
            err = r["errors"]
            lines.append(f"| {r['name']} | "
                         + " | ".join(f"{err['missed'][c] / err['true_pairs']:.3f}"
                                      for c in MISSED)
                         + f" | {err['false_pairs']:,} | "
                         + " | ".join(f"{err['false'][c] / max(err['false_pairs'], 1):.3f}"
                                      for c in FALSE) + " |")
        for r in quality:
            for kind, shown in sorted(r["errors"]["examples"].items()):
                lines += ["", f"Examples ({r['name']}, {kind}):"] + [f"- {x}" for x in shown]
        for r in quality:
            lines += ["", f"Grades ({r['name']}): occurrence "
                      + ", ".join(f"{k} {v:,}" for k, v in sorted(r["occurrence"].items()))
                      + "; attribution "
                      + ", ".join(f"{k} {v:,}" for k, v in sorted(r["attribution"].items()))]
    for r in rows:
        if "demo" in r:
            d = r["demo"]
            lines += ["", f"Demo, hand-checked answers: P {d['p']:.3f}, R {d['r']:.3f}, "
                          f"F1 {d['f1']:.3f} over {d['pairs']} true pairs; both grades as "
                          f"hand-checked for {d['agree']} of the {d['whole']} incidents found "
                          f"whole (of {d['incidents']})."]
    stores = [r["store"] for r in rows if "store" in r]
    if stores:
        lines += ["", "End to end, the whole file through a fresh store (import_dataset 'ucdp', "
                      "then process_incidents):", "",
                  "| store | reports | incidents | alerts | import s | process s | total s | "
                  "bar |", "|---|---|---|---|---|---|---|---|"]
        for s in stores:
            total = s["t_import"] + s["t_process"]
            verdict = "ok" if total <= BAR_SECONDS else "MISSED"
            lines.append(f"| {s['backend']} | {s['accepted']:,} | {s['incidents']:,} | "
                         f"{s['alerts']:,} | {s['t_import']:.1f} | {s['t_process']:.1f} | "
                         f"{total:.1f} | {BAR_SECONDS:.0f} {verdict} |")
    return "\n".join(lines) if lines else "(no rows)"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=UCDP_CSV)
    parser.add_argument("--seeds", type=int, nargs="*", default=list(SEEDS))
    parser.add_argument("--no-store", action="store_true", help="skip the end-to-end store rows")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--examples", type=int, default=0, metavar="N",
                        help="print N pairs of each kind of error, with their reasons")
    args = parser.parse_args()
    found, failed = run(args.csv, tuple(args.seeds), not args.no_store, not args.no_postgres,
                        args.examples)
    print(table(found))
    sys.exit(1 if failed else 0)
