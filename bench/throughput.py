"""Ingest and process throughput on SQLite and PostgreSQL, against a raw-insert floor.

For each size (10k reports; 100k with ``--large``) a scenario is generated once and then
imported into a fresh store and processed, timing the two steps separately. Peak RSS is
``ru_maxrss`` of this process, which only ever grows: each figure is the peak so far.
The floor is ``json.loads`` of every line plus one ``sqlite3`` ``executemany`` of the raw
lines. The single-report latency adds one new report to the 10k SQLite store and runs
``process`` again; ``process`` recomputes the whole resolution, so this is a full rerun.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

Row = dict[str, Any]
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LATENCY_REPEATS = 20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor(src: Path, tmp: Path) -> float:
    """Seconds to parse every line and insert the raw lines into SQLite."""
    t = time.perf_counter()
    with open(src, encoding="utf-8") as f:
        lines = f.readlines()
    parsed = [json.loads(line) for line in lines]
    con = sqlite3.connect(tmp / "floor.db")
    con.execute("CREATE TABLE raw (id TEXT, line TEXT)")
    con.executemany("INSERT INTO raw VALUES (?, ?)",
                    ((str(p.get("id")), line) for p, line in zip(parsed, lines, strict=True)))
    con.commit()
    con.close()
    return time.perf_counter() - t


class PgSchema:
    """A throwaway PostgreSQL schema, dropped on exit."""

    def __init__(self, name: str) -> None:
        import sqlalchemy as sa

        self.name = name
        self.engine = sa.create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
        self.sa = sa

    def __enter__(self) -> str:
        with self.engine.connect() as c:
            c.execute(self.sa.text(f"DROP SCHEMA IF EXISTS {self.name} CASCADE"))
            c.execute(self.sa.text(f"CREATE SCHEMA {self.name}"))
        return f"{PG_BASE}?options=-csearch_path%3D{self.name}"

    def __exit__(self, *exc: object) -> None:
        with self.engine.connect() as c:
            c.execute(self.sa.text(f"DROP SCHEMA IF EXISTS {self.name} CASCADE"))
        self.engine.dispose()


def measure(url: str, backend: str, src: Path, n: int, latency_dir: Path | None) -> Row:
    from joinedup.ingest.importer import import_file
    from joinedup.pipeline import process, process_new
    from joinedup.store import Store

    store = Store.open(url)
    t = time.perf_counter()
    result = import_file(store, src)
    ingest = time.perf_counter() - t
    t = time.perf_counter()
    process(store)
    proc = time.perf_counter() - t
    row: Row = {"backend": backend, "reports": n, "accepted": result.accepted,
                "ingest_s": ingest, "process_s": proc, "rss_mb": peak_rss_mb()}
    if latency_dir is not None:
        template = json.loads(src.read_text(encoding="utf-8").splitlines()[-1])
        times = []
        for i in range(LATENCY_REPEATS):
            one = latency_dir / f"one{i}.jsonl"
            one.write_text(json.dumps({**template, "id": f"LATENCY-{i}"}) + "\n",
                           encoding="utf-8")
            t = time.perf_counter()
            process_new(store, import_file(store, one).reports)
            times.append(time.perf_counter() - t)
        row["lat_p50"] = statistics.median(times)
        row["lat_p95"] = statistics.quantiles(times, n=20, method="inclusive")[18]
    return row


def splink_row(url: str, n: int) -> Row:
    """Plain Splink deduplication of the same person mentions, in the same process.

    Splink (DuckDB) trains (u by sampling, EM) and predicts over the mentions' own fields (names,
    nicknames, ages, sex, identifiers), clustering at match probability 0.5: what resolving the
    people costs without joinedup's context rounds, place/vehicle/phone resolution or alerts.
    """
    from joinedup.resolve.splink_model import TrainingReport, trained_linker
    from joinedup.store import Store

    store = Store.open(url, create=False)
    feats = {m["pk"]: m["features"] for m in store.current_mentions() if m["kind"] == "person"}
    t = time.perf_counter()
    linker = trained_linker(feats, report=TrainingReport())
    pred = linker.inference.predict(threshold_match_probability=0.5)
    linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.5)
    return {"backend": "plain Splink dedupe of the same person mentions", "reports": n,
            "ingest_s": float("nan"), "process_s": time.perf_counter() - t,
            "rss_mb": peak_rss_mb(), "splink": True}


def run(sizes: tuple[int, ...] = (10_000,), postgres: bool = True) -> tuple[list[Row], list[str]]:
    from joinedup.generate import generate_scenario, write_scenario

    rows: list[Row] = []
    errors: list[str] = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            src = tmp / "reports.jsonl"
            try:
                write_scenario(generate_scenario(seed=7, reports=n), src, tmp / "truth.json")
                base = floor(src, tmp)
                rows.append({"backend": "floor: json.loads + sqlite3 executemany", "reports": n,
                             "ingest_s": base, "rss_mb": peak_rss_mb(), "floor": True})
            except Exception:
                errors.append(traceback.format_exc())
                traceback.print_exc()
                continue
            try:
                rows.append(measure(f"sqlite:///{tmp / 'store.db'}", "sqlite", src, n,
                                    tmp if n == 10_000 else None))
                rows.append(splink_row(f"sqlite:///{tmp / 'store.db'}", n))
            except Exception:
                errors.append(traceback.format_exc())
                traceback.print_exc()
            if postgres:
                try:
                    with PgSchema(f"bench_tp_{n}") as url:
                        rows.append(measure(url, "postgresql", src, n, None))
                except Exception:
                    errors.append(traceback.format_exc())
                    traceback.print_exc()
    return rows, errors


def table(rows: list[Row]) -> str:
    lines = ["| reports | backend | ingest s | ingest reports/s | x floor | process s "
             "| process reports/s | peak RSS MB (so far) |", "|" + "---|" * 8]
    floors = {r["reports"]: r["ingest_s"] for r in rows if r.get("floor")}
    for r in rows:
        n = r["reports"]
        fl = floors.get(n)
        if r.get("splink"):
            lines.append(f"| {n} | {r['backend']} | - | - | - | {r['process_s']:.1f} "
                         f"| {n / r['process_s']:.0f} | {r['rss_mb']:.0f} |")
            continue
        ratio = f"{r['ingest_s'] / fl:.1f}" if fl else "n/a"
        proc = (f"{r['process_s']:.1f} | {n / r['process_s']:.0f}" if "process_s" in r
                else "- | -")
        lines.append(f"| {n} | {r['backend']} | {r['ingest_s']:.2f} | {n / r['ingest_s']:.0f} "
                     f"| {ratio} | {proc} | {r['rss_mb']:.0f} |")
    lat = [r for r in rows if "lat_p50" in r]
    if lat:
        lines += ["", "| store | add 1 report, resolved incrementally: p50 s | p95 s | repeats |",
                  "|---|---|---|---|"]
        for r in lat:
            lines.append(f"| {r['backend']}, {r['reports']} reports | {r['lat_p50']:.3f} "
                         f"| {r['lat_p95']:.3f} | {LATENCY_REPEATS} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--large", action="store_true", help="also run 100,000 reports")
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args(argv)
    sizes = (10_000, 100_000) if args.large else (10_000,)
    rows, errors = run(sizes, postgres=not args.no_postgres)
    print("## Throughput\n")
    print(table(rows))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
