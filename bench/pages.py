"""Render time of the panel's pages at 100,000 reports (bar: under 300 ms each on this
machine), beside the same pages at 1,000 reports in the same process as the baseline.

Each scenario is generated once, then imported and processed on SQLite and on PostgreSQL
(about two minutes each at 100k). The app then indexes the reports for search in the
background; the inbox is timed while it does (printed apart), and the table is of the app
once that is done;
then every page is requested once to warm up and ``REPEAT`` times through the app in-process
(FastAPI's test client: routing, store queries, templates; no network), and the median, p95
and worst times are printed, with the first request's (the first search after an import also
indexes the reports imported since the last one). The subjects are the heaviest there are: the
alert with the most evidence, and the entity with the most mentions among alert subjects.
"""

from __future__ import annotations

import math
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

Row = dict[str, Any]
SIZES = (1_000, 100_000)
REPEAT = 15
BAR_MS = 300.0


def generate(n: int, tmp: Path) -> Path:
    from joinedup.generate import generate_scenario, write_scenario

    src = tmp / f"r{n}.jsonl"
    write_scenario(generate_scenario(seed=7, reports=n), src, tmp / f"t{n}.json")
    return src


def load(url: str, src: Path) -> None:
    from joinedup.ingest.importer import import_file
    from joinedup.pipeline import process
    from joinedup.store import Store

    store = Store.open(url)
    import_file(store, src)
    process(store)
    store.engine.dispose()


def pages(url: str) -> dict[str, str]:
    """The pages to time, on the heaviest subjects of the store."""
    from joinedup.store import Store

    store = Store.open(url)
    alerts = store.alerts("open")
    heaviest = max(alerts, key=lambda a: len(a["evidence"]))
    people = [a for a in alerts if a["rule"] == "linked_children"] or alerts
    members = store.members_of({a["subject"] for a in people})
    subject = max(members, key=lambda e: len(members[e]))
    place = next((a["subject"] for a in alerts if a["rule"] == "place_hotspot"), subject)
    label = next(e["label"] for e in store.entities_by_id([subject])).strip("'")
    store.engine.dispose()
    word = label.split()[0]
    return {
        "inbox": "/alerts",
        "inbox, filtered": "/alerts?rule=linked_children&sort=informants",
        "alert": f"/alerts/{heaviest['id']}",
        "entity": f"/entities/{subject}",
        "network (API)": f"/api/entities/{subject}/network",
        "possibly the same (API)": f"/api/entities/{subject}/possible",
        "map places (API)": f"/api/entities/{place}/places",
        "timeline": f"/timeline?entity={subject}",
        "search": f"/search?q={word}",
        "concern form": "/concerns/new",
    }


def time_pages(url: str) -> dict[str, Row]:
    from fastapi.testclient import TestClient

    from joinedup.web.app import create_app

    out: dict[str, Row] = {}
    app = create_app(url)
    with TestClient(app) as client:
        _while_indexing(client, url)
        for name, path in pages(url).items():
            t0 = time.perf_counter()
            r = client.get(path)
            first = (time.perf_counter() - t0) * 1000
            if r.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {r.status_code}")
            times = []
            for _ in range(REPEAT):
                t0 = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            out[name] = {"path": path, "p50": statistics.median(times),
                         "p95": times[int(0.95 * (len(times) - 1))], "max": times[-1],
                         "first": first,
                         "bytes": len(r.content)}
    app.state.ctx.engine.dispose()
    return out


def _while_indexing(client: Any, url: str) -> None:
    """The app indexes reports for search in the background after it starts (after a large
    import): time the inbox until that is done, and print it, apart from the table, which is
    of the app at rest."""
    from joinedup.store import Store

    store = Store.open(url)
    t0 = time.perf_counter()
    times = []
    while store.search_backlog() > 0:
        t1 = time.perf_counter()
        client.get("/alerts")
        times.append((time.perf_counter() - t1) * 1000)
    store.engine.dispose()
    if times:
        times.sort()
        print(f"  search index caught up {time.perf_counter() - t0:.0f} s after start; the "
              f"inbox meanwhile: p50 {statistics.median(times):.0f} ms, p95 "
              f"{times[math.ceil(0.95 * len(times)) - 1]:.0f} ms ({len(times)} requests)",
              flush=True)


def run(
    sizes: tuple[int, ...] = SIZES, backends: tuple[str, ...] = ("sqlite", "postgresql")
) -> tuple[list[Row], list[str]]:
    from bench.throughput import PgSchema

    errors: list[str] = []
    results: dict[tuple[str, int], dict[str, Row]] = {}
    with tempfile.TemporaryDirectory() as d:
        for n in sizes:
            src = generate(n, Path(d))
            for backend in backends:
                try:
                    t0 = time.perf_counter()
                    if backend == "sqlite":
                        url = f"sqlite:///{Path(d) / f'p{n}.db'}"
                        load(url, src)
                        results[(backend, n)] = _timed(url, n, backend, t0)
                    else:
                        with PgSchema(f"bench_pages_{n}") as url:
                            load(url, src)
                            results[(backend, n)] = _timed(url, n, backend, t0)
                except Exception:
                    errors.append(traceback.format_exc())
                    traceback.print_exc()
    rows: list[Row] = []
    base, big = min(sizes), max(sizes)
    for backend in backends:
        for name, r in results.get((backend, big), {}).items():
            b = results.get((backend, base), {}).get(name)
            rows.append({"page": name, "store": backend, "n": big, **r,
                         "base_p50": b["p50"] if b else float("nan")})
    return rows, errors


def _timed(url: str, n: int, backend: str, t0: float) -> dict[str, Row]:
    print(f"{backend}: {n:,} reports imported and processed in "
          f"{time.perf_counter() - t0:.0f} s", flush=True)
    return time_pages(url)


def table(rows: list[Row]) -> str:
    n = rows[0]["n"] if rows else max(SIZES)
    lines = [
        f"| page | store | p50 ms at {min(SIZES):,} (baseline) | p50 ms at {n:,} | p95 ms "
        f"| worst ms | ratio | under {BAR_MS:.0f} ms | first request ms |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['store']} | {r['base_p50']:.1f} | {r['p50']:.1f} "
            f"| {r['p95']:.1f} | {r['max']:.1f} | {r['p50'] / r['base_p50']:.1f}x | "
            f"{'yes' if r['p95'] < BAR_MS else 'NO'} | {r['first']:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    rows, errors = run(sizes)
    print(table(rows))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
