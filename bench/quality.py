"""Resolution and alert quality on generated safeguarding scenarios (seeds 2-12, 1,000 reports,
and seed 7 at 10,000 reports, where the bars do not apply but a store's size shows), and on
held-out seeds 13-40 of 1,000 reports, summed apart: seeds 2-12 were looked at while tuning.

Person resolution: pairwise precision/recall/F1 over person mentions (a pair is true when both
mentions share a true identity, predicted when both sit in one resolved entity), overall and per
name origin (pairs whose true identity has that origin; recall-style pairs come from truth,
precision-style pairs are the predicted pairs where at least one mention has that origin).

Alerts: every expected alert of every planted network is looked up among the raised alerts by
(rule, subject), where a raised alert's subject is mapped to the true identity held by most of
its entity's mentions. An expected alert is *timely* when the matching alert's ``raised_by``
report is dated no later than the expected ``earliest_report``. Networks, as the bar is
worded: a planted network is *alerted* when any of its expected alerts is raised, and *in time*
when the first of those is raised no later than the network's first corroborating report (the
earliest ``earliest_report`` of its expected alerts).

False alerts: a raised alert whose (rule, mapped subject) matches no expected alert (planted
networks' plus the generator's expected alerts inside noise) is false. Also counted separately:
alerts whose subject's mentions all lie in noise reports. Both are given per 1,000 noise reports.
"""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

Row = dict[str, Any]
SEEDS = tuple(range(2, 13))  # seed 1 trains the shipped model; 2-6 were looked at while tuning
REPORTS = 1000
# and one larger scenario, so that what changes with a store's size shows (the bars are set at
# 1,000 reports; at 10,000 the generator's small name and nickname pools make namesakes ten
# times as dense)
AT_SCALE = ((7, 10_000),)
# seeds nobody looked at while tuning before 2026-12-05: what the bars mean on new scenarios
HELD_OUT = tuple(range(13, 41))


def _pairs(counts: Counter[Any]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def prf(truth: dict[str, str], pred: dict[str, Any], items: list[str]) -> tuple[float, ...]:
    """Pairwise P/R/F1 restricted to ``items`` (missing predictions are singletons)."""
    p_lab = {i: pred.get(i, ("missing", i)) for i in items}
    true_pairs = _pairs(Counter(truth[i] for i in items))
    pred_pairs = _pairs(Counter(p_lab[i] for i in items))
    tp = _pairs(Counter((truth[i], p_lab[i]) for i in items))
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def origin_f1(truth: dict[str, str], pred: dict[str, Any], origin_of: dict[str, str],
              origin: str) -> float:
    """F1 where true pairs are those of identities of ``origin`` and predicted pairs are
    predicted pairs with at least one mention of that origin."""
    tp, true_pairs, pred_pairs = origin_counts(truth, pred, origin_of, origin)
    return _f1(tp, true_pairs, pred_pairs)


def _f1(tp: int, true_pairs: int, pred_pairs: int) -> float:
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def origin_counts(truth: dict[str, str], pred: dict[str, Any], origin_of: dict[str, str],
                  origin: str) -> tuple[int, int, int]:
    """(true positive, true, predicted) pair counts of one name origin."""
    items = list(truth)
    p_lab = {i: pred.get(i, ("missing", i)) for i in items}
    mine = [i for i in items if origin_of.get(truth[i]) == origin]
    true_pairs = _pairs(Counter(truth[i] for i in mine))
    tp = _pairs(Counter((truth[i], p_lab[i]) for i in mine))
    # predicted pairs touching `origin`: all pairs in clusters minus pairs with no `origin` member
    by_cluster: dict[Any, list[str]] = defaultdict(list)
    for i in items:
        by_cluster[p_lab[i]].append(i)
    pred_pairs = 0
    for members in by_cluster.values():
        n = len(members)
        k = n - sum(1 for i in members if origin_of.get(truth[i]) == origin)
        if k < n:
            pred_pairs += n * (n - 1) // 2 - k * (k - 1) // 2
    return tp, true_pairs, pred_pairs


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def evaluate(seed: int, reports: int, tmp: Path) -> Row:
    from joinedup.generate import generate_scenario, write_scenario
    from joinedup.ingest.importer import import_file
    from joinedup.pipeline import process
    from joinedup.store import Store

    t0 = time.perf_counter()
    s = generate_scenario(seed=seed, reports=reports)
    src, truth_path = tmp / f"r{seed}.jsonl", tmp / f"t{seed}.json"
    write_scenario(s, src, truth_path)
    store = Store.open(f"sqlite:///{tmp / f'q{seed}.db'}")
    imported = import_file(store, src)
    process(store)
    row = score(store, s.reports, s.truth)
    if reports <= REPORTS:
        row["possible"] = possible_review(store, s.reports, s.truth)
    store.engine.dispose()
    return row | {"seed": seed, "quarantined": imported.quarantined,
                  "seconds": time.perf_counter() - t0}


def score(store: Any, reports: list[Row], truth: Row) -> Row:
    """Person P/R/F1 and alerts of a processed store against the scenario's ground truth."""
    from joinedup.cli.render import alerts_json, entities_json

    entities = entities_json(store, None)
    alerts = alerts_json(store)
    idents = truth["identities"]
    person_truth = {k: v for k, v in truth["mentions"].items()
                    if idents.get(v, {}).get("type") == "person"}
    entity_of: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for e in entities:
        keys = [f"{m['org']}/{m['report']}#{m['ref']}" for m in e["mentions"]]
        members[e["id"]] = keys
        for k in keys:
            entity_of[k] = e["id"]
    row: Row = {"reports": len(reports), "mentions": len(person_truth)}
    row["p"], row["r"], row["f1"] = prf(person_truth, entity_of, list(person_truth))
    origin_of = {k: v["origin"] for k, v in idents.items() if v.get("origin")}
    row["origin_counts"] = {o: origin_counts(person_truth, entity_of, origin_of, o)
                            for o in sorted(set(origin_of.values()))}
    row["origin_f1"] = {o: origin_f1(person_truth, entity_of, origin_of, o)
                        for o in sorted(set(origin_of.values()))}

    # map each alert subject to its majority true identity; vehicles and phones are keyed
    # "<org>/<id>#<person ref>#v<i>" / "#p<i>" in the truth, "#v<i>" / "#t<i>" in joinedup
    known = {**truth["mentions"], **truth.get("vehicles", {}),
             **{k.rsplit("#p", 1)[0] + "#t" + k.rsplit("#p", 1)[1]: v
                for k, v in truth.get("phones", {}).items()}}

    def identity_of(entity: str) -> str | None:
        ids = Counter(known[k] for k in members.get(entity, []) if k in known)
        return ids.most_common(1)[0][0] if ids else None

    report_time = {f"{r['source']['org']}/{r['id']}": _when(r["reported_at"]) for r in reports}
    raised: dict[tuple[str, str | None], list[datetime]] = defaultdict(list)
    for a in alerts:
        key = (a["rule"], identity_of(a["subject"]["id"]))
        raised[key].append(_when(a["raised_by"]["reported_at"]))
    expected = [x for n in truth["networks"] for x in n["expected_alerts"]]
    hit = timely = 0
    for x in expected:
        times = raised.get((x["rule"], x["subject"]))
        if times:
            hit += 1
            if min(times) <= report_time[x["earliest_report"]]:
                timely += 1
    expected_keys = {(x["rule"], x["subject"])
                     for x in [*expected, *truth.get("noise_expected_alerts", [])]}
    noise = set(truth["noise_reports"])
    false_alerts = sum(1 for a in alerts
                       if (a["rule"], identity_of(a["subject"]["id"])) not in expected_keys)
    noise_only = 0
    for a in alerts:
        keys = members.get(a["subject"]["id"], [])
        if keys and all(k.split("#")[0] in noise for k in keys):
            noise_only += 1
    per_k = 1000 / len(noise) if noise else float("nan")
    by_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for x in expected:
        by_rule[x["rule"]][0] += 1
        by_rule[x["rule"]][1] += bool(raised.get((x["rule"], x["subject"])))
    for a in alerts:
        if (a["rule"], identity_of(a["subject"]["id"])) not in expected_keys:
            by_rule[a["rule"]][2] += 1
    # the bar as worded: each planted network alerted (any of its expected alerts raised), no
    # later than the network's first corroboration (the earliest of its expected alerts)
    networks_alerted = networks_timely = 0
    for n in truth["networks"]:
        first = min(report_time[x["earliest_report"]] for x in n["expected_alerts"])
        found = [t for x in n["expected_alerts"] for t in raised.get((x["rule"], x["subject"]), ())]
        networks_alerted += bool(found)
        networks_timely += bool(found) and min(found) <= first
    row.update(networks=len(truth["networks"]), networks_alerted=networks_alerted,
               networks_timely=networks_timely)
    row["by_rule"] = {k: tuple(v) for k, v in sorted(by_rule.items())}
    row["false_list"] = [(a["rule"], a["subject"]["label"], identity_of(a["subject"]["id"]),
                          a["raised_by"]["report"]) for a in alerts
                         if (a["rule"], identity_of(a["subject"]["id"])) not in expected_keys]
    row["missed_list"] = [x for x in expected if not raised.get((x["rule"], x["subject"]))]
    row.update(expected=len(expected), alerted=hit, timely=timely, alerts=len(alerts),
               noise_reports=len(noise), false_alerts=false_alerts,
               false_per_k=false_alerts * per_k, noise_only_per_k=noise_only * per_k)
    return row


def possible_review(store: Any, reports: list[Row], truth: Row) -> Row:
    """The pairs "possibly the same person" a person's page offers (each pair once over all
    person entities), how many are one true identity (each side's mention mapped by the truth),
    and what an analyst who confirms exactly those, in one pass after the run, would see: the
    store processed again with those confirms and scored. The analyst is an oracle, as the
    narratives bench's reviewer accepts everything: an upper bound on one pass, not a forecast."""
    from joinedup.pipeline import process
    from joinedup.resolve.possible import offered_pairs

    key_of = {m["pk"]: f"{m['org']}/{m['report_id']}#{m['ref']}" for m in store.memberships()}
    people = sorted({m["entity"] for m in store.memberships() if m["entity"].startswith("P-")})
    mentions = truth["mentions"]
    offered = 0
    right: list[tuple[int, int]] = []
    for _, p in offered_pairs(store, people):
        offered += 1
        a, b = mentions.get(key_of[p.own]), mentions.get(key_of[p.mention])
        if a is not None and a == b:
            right.append((p.own, p.mention))
    for a, b in right:
        store.add_pair_decision(a, b, "confirm", "bench: one true identity")
    process(store)
    after = score(store, reports, truth)
    return {"offered": offered, "same": len(right), "people": len(people),
            **{k: after[k] for k in ("networks_timely", "timely", "false_alerts", "f1")}}


def run(
    seeds: tuple[int, ...] = SEEDS,
    reports: int = REPORTS,
    at_scale: tuple[tuple[int, int], ...] = AT_SCALE,
    held_out: tuple[int, ...] = (),
) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    errors: list[str] = []
    runs = [*((seed, reports) for seed in seeds), *at_scale]
    runs += [(seed, reports) for seed in held_out]
    for seed, size in runs:
        try:
            with tempfile.TemporaryDirectory() as tmp:
                rows.append(evaluate(seed, size, Path(tmp)))
        except Exception:
            errors.append(traceback.format_exc())
            traceback.print_exc()
    return rows, errors


def summary(rows: list[Row], label: str) -> str:
    """The bars over ``rows`` (scenarios of :data:`REPORTS` reports), in one sentence."""
    t = {k: sum(r[k] for r in rows) for k in (
        "networks", "networks_alerted", "networks_timely", "expected", "alerted", "timely",
        "false_alerts", "noise_reports")}
    f1s = sorted(r["f1"] for r in rows)
    reviewed = [r["possible"] for r in rows if "possible" in r]
    p = {k: sum(x[k] for x in reviewed) for k in (
        "offered", "same", "people", "networks_timely", "timely", "false_alerts")}
    possible = (
        f" Possibly the same person, offered on person pages: {p['offered']} pairs "
        f"({p['offered'] / max(1, p['people']):.2f} a person entity), {p['same']} of them one "
        f"person ({p['same'] / max(1, p['offered']):.0%}); an analyst confirming exactly those "
        f"in one pass: networks in time {t['networks_timely']} -> {p['networks_timely']}, "
        f"expected alerts in time {t['timely']} -> {p['timely']}, false alerts "
        f"{t['false_alerts']} -> {p['false_alerts']}." if len(reviewed) == len(rows) else ""
    )
    return (
        f"Over {label}: person F1 {f1s[0]:.3f}-{f1s[-1]:.3f} "
        f"(median {f1s[len(f1s) // 2]:.3f}; bar 0.95); "
        f"{t['networks_alerted']} of {t['networks']} planted networks alerted, "
        f"{t['networks_timely']} no later than their first corroborating report; "
        f"{t['alerted']} of {t['expected']} expected alerts raised, {t['timely']} in time; "
        f"{t['false_alerts']} false alerts over {t['noise_reports']:,} noise reports "
        f"({1000 * t['false_alerts'] / max(1, t['noise_reports']):.2f} per 1,000; bar < 1)."
        + possible
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| seed | reports | person mentions | P | R | F1 | networks | networks alerted "
        "| networks in time | expected alerts | alerted "
        "| timely | alerts raised | false alerts | false / 1k noise | noise-only / 1k noise "
        "| seconds |",
        "|" + "---|" * 17,
    ]
    for r in rows:
        lines.append(
            f"| {r['seed']} | {r['reports']} | {r['mentions']} | {r['p']:.3f} | {r['r']:.3f} "
            f"| {r['f1']:.3f} | {r['networks']} | {r['networks_alerted']} "
            f"| {r['networks_timely']} | {r['expected']} "
            f"| {r['alerted']} ({r['alerted'] / max(1, r['expected']):.0%}) "
            f"| {r['timely']} ({r['timely'] / max(1, r['expected']):.0%}) | {r['alerts']} "
            f"| {r['false_alerts']} | {r['false_per_k']:.1f} | {r['noise_only_per_k']:.1f} "
            f"| {r['seconds']:.1f} |")
    held = [r for r in rows if r["reports"] == REPORTS and r["seed"] in HELD_OUT]
    # the bars are set at 1,000 reports
    rows = [r for r in rows if r["reports"] == REPORTS and r["seed"] not in HELD_OUT]
    if rows:
        lines += ["", summary(rows, f"the {len(rows)} scenarios of {REPORTS:,} reports")]
    if held:
        lines += ["", summary(held, f"the {len(held)} held-out scenarios (seeds "
                                    f"{held[0]['seed']}-{held[-1]['seed']})")]
    origins = sorted({o for r in rows for o in r["origin_f1"]})
    if origins:
        lines += ["", "| seed | " + " | ".join(f"F1 {o}" for o in origins) + " |",
                  "|" + "---|" * (len(origins) + 1)]
        for r in rows:
            cells = " | ".join(f"{r['origin_f1'][o]:.3f}" if o in r["origin_f1"] else "-"
                               for o in origins)
            lines.append(f"| {r['seed']} | {cells} |")
        pooled = {o: _f1(*(sum(r["origin_counts"][o][i] for r in rows if o in
                                r["origin_counts"]) for i in range(3))) for o in origins}
        cells = " | ".join(f"{pooled[o]:.3f}" for o in origins)
        gap = max(pooled.values()) - min(pooled.values())
        lines.append(f"| all seeds pooled | {cells} |")
        lines += ["", f"Gap between name origins (pooled): {gap:.3f} (target <= 0.02)."]
        if held:
            pooled = {o: _f1(*(sum(r["origin_counts"][o][i] for r in held if o in
                                    r["origin_counts"]) for i in range(3))) for o in origins}
            cells = ", ".join(f"{o} {pooled[o]:.3f}" for o in origins)
            gap = max(pooled.values()) - min(pooled.values())
            lines.append(f"Held out, pooled: {cells}; gap {gap:.3f}.")
    return "\n".join(lines)


def main() -> int:
    rows, errors = run(held_out=HELD_OUT)
    print("## Generated scenarios: resolution and alert quality\n")
    print(table(rows))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
