"""Picking comparison levels for every candidate pair: pair by pair in Python (the definition),
in bulk as a full run does (``resolve/vectorised.py`` for comparisons on sets and numbers), and
in DuckDB SQL.

A full run spent most of its time picking, pair by pair in Python, the level each person
comparison hits; it now picks only names, nicknames, dates of birth, addresses and identifiers
that way. :mod:`joinedup.resolve.splink_model` already writes the same comparisons as
SQL (``LEVEL_SQL``) for Splink to train on. This measures what moving the picking into DuckDB
would save, before doing it: on a generated scenario resolved once, the last round's features
and candidate pairs are picked both ways in this process, and every pair's levels are compared.
The baseline of the ratio is the Python picking of the same pairs in one process (a full run
splits it over the cores). Run: ``python bench/levels.py [--reports N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Row = dict[str, Any]


# list features whose intersections the level conditions count, and those holding entity ids
SHARED = ("aliases", "ids", "id_schemes", "items", "context", "network", "locality", "areas",
          "first_alts")
ENTITY_LISTS = ("items", "context", "network", "locality", "areas")


def level_sql(once: bool = False) -> str:
    """One SELECT that picks every comparison's level for every pair of ``pairs`` (l, r),
    NULL levels as 255 as in the resolver's level bytes. ``once``: each list intersection is
    counted once per pair (``LEVEL_SQL`` counts it in every level that reads it)."""
    from joinedup.resolve.comparisons import PERSON_COMPARISONS
    from joinedup.resolve.splink_model import COLUMNS, FEATURES_TABLE, LEVEL_SQL

    def counted(sql: str) -> str:
        for col in SHARED if once else ():
            sql = sql.replace(f"len(list_intersect({col}_l, {col}_r))", f"shared_{col}")
        return sql

    picks = []
    for comp in PERSON_COMPARISONS:
        null, levels = LEVEL_SQL[comp.name]
        whens = " ".join(f"WHEN {counted(sql)} THEN {i}" for i, sql in enumerate(levels))
        picks.append(
            f"CAST(CASE WHEN {counted(null)} THEN 255 {whens} ELSE {len(levels)} END AS UTINYINT)"
            f" AS {comp.name}"
        )
    sides = ", ".join(f"{s}.{c} AS {c}_{s}" for s in ("l", "r") for c in COLUMNS)
    shared = "".join(
        f", len(list_intersect({col}_l, {col}_r)) AS shared_{col}" for col in SHARED if once
    )
    return (
        f"WITH j AS (SELECT p.l AS pl, p.r AS pr, {sides} FROM pairs p"
        f" JOIN {FEATURES_TABLE} l ON l.unique_id = p.l"
        f" JOIN {FEATURES_TABLE} r ON r.unique_id = p.r),"
        f" k AS (SELECT *{shared} FROM j)"
        f" SELECT pl, pr, {', '.join(picks)} FROM k ORDER BY pl, pr"
    )


def _pick_every(feats: dict[int, Any], firsts: list[int], seconds: list[int]) -> bytes:
    """Every comparison's level byte for every pair, a pair at a time (the definition)."""
    from joinedup.resolve.comparisons import PERSON_COMPARISONS
    from joinedup.resolve.scoring import NO_LEVEL

    picks = [c.pick for c in PERSON_COMPARISONS]
    codes = bytearray()
    for a, b in zip(firsts, seconds, strict=True):
        fa, fb = feats[a], feats[b]
        codes += bytes([NO_LEVEL if (lv := pick(fa, fb)) is None else lv for pick in picks])
    return bytes(codes)


def bulk_levels(feats: dict[int, Any], keys: Any) -> Any:
    """The levels as a full run picks them (``parallel.pick_levels``), in one process: names,
    nicknames, dates of birth, addresses and identifiers a pair at a time, the rest for all
    pairs at once."""
    from joinedup.resolve.parallel import LOW, SHIFT, pick_levels
    from joinedup.resolve.vectorised import MentionColumns

    return pick_levels(feats, MentionColumns.of(feats), keys >> SHIFT, keys & LOW)


def measure(reports: int, tmp: Path) -> Row:
    import duckdb
    import pandas as pd

    from joinedup.generate import generate_scenario, write_scenario
    from joinedup.ingest.importer import import_file
    from joinedup.pipeline import person_model
    from joinedup.profiles import load_profile
    from joinedup.resolve.comparisons import PERSON_COMPARISONS
    from joinedup.resolve.parallel import LOW, SHIFT
    from joinedup.resolve.resolver import Resolver, candidate_keys
    from joinedup.resolve.splink_model import FEATURES_TABLE, features_frame, register_features
    from joinedup.store import Store

    src = tmp / "reports.jsonl"
    write_scenario(generate_scenario(seed=7, reports=reports), src, tmp / "truth.json")
    store = Store.open(f"sqlite:///{tmp / 'store.db'}")
    import_file(store, src)
    mentions = store.current_mentions()
    orgs = store.report_orgs()
    resolver = Resolver(person_model(store, load_profile("safeguarding")))
    resolver.run(mentions, store.current_links(), orgs)
    feats = resolver.person_features
    report_of = {m["pk"]: m["report"] for m in mentions if m["pk"] in feats}
    keys = candidate_keys(feats, report_of)
    firsts, seconds = (keys >> SHIFT).tolist(), (keys & LOW).tolist()

    t = time.perf_counter()
    python = np.frombuffer(_pick_every(feats, firsts, seconds), dtype=np.uint8)
    python_s = time.perf_counter() - t
    t = time.perf_counter()
    bulk = bulk_levels(feats, keys)
    bulk_s = time.perf_counter() - t

    t = time.perf_counter()
    con = duckdb.connect()
    register_features(features_frame(feats), con)
    con.register("pairs", pd.DataFrame({"l": keys >> SHIFT, "r": keys & LOW}))
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    out = con.execute(level_sql()).fetchnumpy()
    sql_s = time.perf_counter() - t
    # entity ids as integers, each intersection counted once
    for col in ENTITY_LISTS:
        con.execute(
            f"CREATE OR REPLACE TABLE {FEATURES_TABLE} AS SELECT * REPLACE"
            f" (list_transform({col}, lambda x: hash(x)) AS {col}) FROM {FEATURES_TABLE}"
        )
    t = time.perf_counter()
    once = con.execute(level_sql(once=True)).fetchnumpy()
    once_s = time.perf_counter() - t
    python = python.reshape(-1, len(PERSON_COMPARISONS))
    differ = bulk != python
    for result in (out, once):
        sql = np.stack([np.asarray(result[c.name]) for c in PERSON_COMPARISONS], axis=1)
        differ |= sql != python
    store.engine.dispose()
    return {
        "reports": reports,
        "pairs": len(keys),
        "python_s": python_s,
        "bulk_s": bulk_s,
        "load_s": load_s,
        "sql_s": sql_s,
        "once_s": once_s,
        "threads": (con.execute("SELECT current_setting('threads')").fetchone() or ["?"])[0],
        "differ": int(differ.any(axis=1).sum()),
        "by_comparison": {
            c.name: int(differ[:, i].sum())
            for i, c in enumerate(PERSON_COMPARISONS)
            if differ[:, i].any()
        },
    }


def table(rows: list[Row]) -> str:
    lines = [
        "| reports | candidate pairs | Python s (one process, pair by pair) "
        "| joinedup bulk s (one process) | x Python | DuckDB load s | DuckDB levels s "
        "| levels s, intersections once | DuckDB threads | x Python (load + levels once) "
        "| pairs whose levels differ |",
        "|" + "---|" * 11,
    ]
    for r in rows:
        ratio = (r["load_s"] + r["once_s"]) / r["python_s"] if r["python_s"] else float("nan")
        bulk = r["bulk_s"] / r["python_s"] if r["python_s"] else float("nan")
        differ = f"{r['differ']} {r['by_comparison']}" if r["differ"] else "0"
        lines.append(
            f"| {r['reports']} | {r['pairs']} | {r['python_s']:.1f} | {r['bulk_s']:.1f} "
            f"| {bulk:.2f} | {r['load_s']:.1f} "
            f"| {r['sql_s']:.1f} | {r['once_s']:.1f} | {r['threads']} | {ratio:.2f} | {differ} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--reports", type=int, nargs="*", default=[10_000])
    args = ap.parse_args(argv)
    rows = []
    for n in args.reports:
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(measure(n, Path(tmp)))
    print("## Picking comparison levels: pair by pair, in bulk, and in DuckDB SQL\n")
    print(table(rows))
    return 1 if any(r["differ"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
