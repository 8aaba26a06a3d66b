"""Large runs (100k, 1M reports), each step in a process of its own (``make bench-large``).

For each size a scenario is generated once (seed 7) into a JSON Lines file. Then, per store:
one process imports it and runs a full ``process`` (resolve, corroborate, alert), timing the
two; another opens the finished store and adds twenty single reports through the incremental
path (``process_new``), as ``joinedup ingest`` of one report does. Each process reports its
own peak resident memory (``ru_maxrss``), so the generator's memory and one store's never count
against another's. The table prints, per size and store, the ratio to the 10k run of the same
store made in the same invocation (the baseline), so that a superlinear step shows.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Row = dict[str, Any]
LATENCY_REPEATS = 20
BASELINE = 10_000


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _workers_rss_mb() -> float:
    """Peak RSS of the largest scoring worker (forked: much of it is pages shared with the
    parent, so parent + workers overstates what the machine used, and the parent alone
    understates it)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def step_generate(n: int, out: Path) -> Row:
    from joinedup.generate import generate_scenario, write_scenario

    t = time.perf_counter()
    write_scenario(generate_scenario(seed=7, reports=n), out, out.with_suffix(".truth.json"))
    return {"generate_s": time.perf_counter() - t, "rss_mb": _rss_mb()}


def step_load(url: str, src: Path) -> Row:
    from bench.throughput import measure

    row = measure(url, "", src, 0, None)  # import, then a full process, timed apart
    return {k: row[k] for k in ("accepted", "ingest_s", "process_s")} | {
        "rss_mb": _rss_mb(), "worker_rss_mb": _workers_rss_mb()}


def step_quality(url: str, src: Path) -> Row:
    """Person F1 and alerts of the processed store against the scenario's ground truth."""
    from bench.quality import score
    from joinedup.store import Store

    with open(src, encoding="utf-8") as f:
        reports = [json.loads(line) for line in f]
    truth = json.loads(src.with_suffix(".truth.json").read_text(encoding="utf-8"))
    row = score(Store.open(url, create=False), reports, truth)
    return {k: row[k] for k in ("p", "r", "f1", "expected", "alerted", "timely", "false_per_k")}


def step_latency(url: str, src: Path, tmp: Path) -> Row:
    from joinedup.ingest.importer import import_file
    from joinedup.pipeline import process_new
    from joinedup.store import Store

    store = Store.open(url, create=False)
    with open(src, encoding="utf-8") as f:
        last = ""
        for line in f:
            last = line
    template = json.loads(last)
    times = []
    for i in range(LATENCY_REPEATS):
        one = tmp / f"one{i}.jsonl"
        one.write_text(json.dumps({**template, "id": f"LATENCY-{i}"}) + "\n", encoding="utf-8")
        t = time.perf_counter()
        process_new(store, import_file(store, one).reports)
        times.append(time.perf_counter() - t)
    return {"lat_p50": statistics.median(times),
            "lat_p95": statistics.quantiles(times, n=20, method="inclusive")[18],
            "lat_rss_mb": _rss_mb()}


def _child(*args: str) -> Row:
    """Run one step of this script in a fresh interpreter and return what it printed."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"step {args[:2]} failed:\n{done.stderr[-4000:]}")
    out: Row = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def run(sizes: list[int], postgres: bool) -> tuple[list[Row], list[str]]:
    from bench.throughput import PgSchema

    rows: list[Row] = []
    errors: list[str] = []
    for n in sorted({BASELINE, *sizes}):
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            src = tmp / "reports.jsonl"
            try:
                gen = _child("--step", "generate", "--reports", str(n), "--out", str(src))
            except RuntimeError as exc:
                errors.append(str(exc))
                print(exc, file=sys.stderr)
                continue
            stores: list[tuple[str, Any]] = [("sqlite", None)]
            if postgres:
                stores.append(("postgresql", PgSchema(f"bench_scale_{n}")))
            for backend, schema in stores:
                try:
                    url = (f"sqlite:///{tmp / 'store.db'}" if schema is None
                           else schema.__enter__())
                    row: Row = {"reports": n, "backend": backend, **gen}
                    row |= _child("--step", "load", "--url", url, "--src", str(src))
                    row |= _child("--step", "quality", "--url", url, "--src", str(src))
                    row |= _child("--step", "latency", "--url", url, "--src", str(src),
                                  "--tmp", name)
                    rows.append(row)
                except RuntimeError as exc:
                    errors.append(str(exc))
                    print(exc, file=sys.stderr)
                finally:
                    if schema is not None:
                        schema.__exit__()
    return rows, errors


def table(rows: list[Row]) -> str:
    base = {r["backend"]: r for r in rows if r["reports"] == BASELINE}
    lines = [
        "| reports | store | generate s | ingest s | process s | ingest + process s "
        "| x 10k per report | peak RSS MB (load) | worker peak RSS MB | add 1 report p50 ms "
        "| p95 ms | peak RSS MB (latency) | person P / R / F1 | alerts raised / in time "
        "| false alerts / 1k noise |",
        "|" + "---|" * 15,
    ]
    for r in rows:
        total = r["ingest_s"] + r["process_s"]
        b = base.get(r["backend"])
        ratio = (f"{(total / r['reports']) / ((b['ingest_s'] + b['process_s']) / BASELINE):.2f}"
                 if b else "n/a")
        lines.append(
            f"| {r['reports']} | {r['backend']} | {r['generate_s']:.0f} | {r['ingest_s']:.1f} "
            f"| {r['process_s']:.1f} | {total:.1f} | {ratio} | {r['rss_mb']:.0f} "
            f"| {r.get('worker_rss_mb', 0):.0f} "
            f"| {r['lat_p50'] * 1000:.0f} | {r['lat_p95'] * 1000:.0f} | {r['lat_rss_mb']:.0f} "
            f"| {r['p']:.3f} / {r['r']:.3f} / {r['f1']:.3f} "
            f"| {r['alerted'] / max(1, r['expected']):.0%}"
            f" / {r['timely'] / max(1, r['expected']):.0%} "
            f"| {r['false_per_k']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--step", choices=["generate", "load", "quality", "latency"])
    ap.add_argument("--reports", type=int, nargs="*", default=[100_000])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--url")
    ap.add_argument("--src", type=Path)
    ap.add_argument("--tmp", type=Path)
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args(argv)
    if args.step == "generate":
        print(json.dumps(step_generate(args.reports[0], args.out)))
        return 0
    if args.step == "load":
        print(json.dumps(step_load(args.url, args.src)))
        return 0
    if args.step == "quality":
        print(json.dumps(step_quality(args.url, args.src)))
        return 0
    if args.step == "latency":
        print(json.dumps(step_latency(args.url, args.src, args.tmp)))
        return 0
    rows, errors = run(args.reports, postgres=not args.no_postgres)
    print("## Large runs (each step in its own process)\n")
    print(table(rows))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
