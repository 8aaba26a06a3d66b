"""Reading narratives: precision, recall and F1 per type on the held-out evaluation set, and
throughput, each beside a baseline run in the same process.

- Quality: the ``test`` split of ``eval/extract`` (written for the project, never tuned on),
  beside the ``dev`` split the rules were developed on: the ratio says how much of the dev
  figure carries over to text the rules never saw. Targets (the free-text issue): nicknames
  and vehicles F1 >= 0.9, places and people >= 0.85, indicators >= 0.8.
- The learned sign reader (``sign_model``, off by default) after the rules: warning signs on
  ``test`` (its dev figure is on the text it was trained on, so says nothing of new writing),
  and its throughput beside the rules alone.
- Throughput: narratives of about 300 words a second on one core (CPU time of the process,
  median of five passes), beside spaCy's tokenizer alone on the same texts (the floor any spaCy
  reader pays), warmed alike. Target: at least 200 a second.
"""

from __future__ import annotations

import sys
import time
import traceback
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Row = dict[str, Any]
TARGETS = {"alias": 0.9, "vehicle": 0.9, "place": 0.85, "person": 0.85, "indicator": 0.8}
THROUGHPUT_BAR = 200.0
WORDS = 300


def _scores(split: str, sign_model: bool = False) -> dict[str, Any]:
    from joinedup.extract.gold import TYPES, load_set
    from joinedup.extract.propose import read_narrative
    from joinedup.extract.score import score

    narratives = load_set(split)
    pairs = [(n.spans, read_narrative(n.text, n.reported_at, sign_model=sign_model))
             for n in narratives]
    return {"n": len(narratives), "tallies": score(pairs, TYPES)}


def _texts() -> list[tuple[str, date]]:
    """Texts of ``WORDS`` words, cut from the test narratives written end to end."""
    from joinedup.extract.gold import load_set

    narratives = load_set("test")
    words: list[str] = []
    for n in narratives:
        words += n.text.split(" ")
    day = narratives[0].reported_at
    return [(" ".join(words[i:i + WORDS]), day)
            for i in range(0, len(words) - WORDS + 1, WORDS)]


def run() -> tuple[list[Row], list[str]]:
    from joinedup.extract.gold import TYPES
    from joinedup.extract.propose import read_narrative

    errors: list[str] = []
    rows: list[Row] = []
    try:
        test, dev = _scores("test"), _scores("dev")
        for kind in TYPES:
            t, d = test["tallies"][kind], dev["tallies"][kind]
            rows.append({"part": "quality", "type": kind, "gold": t.true_pos + t.false_neg,
                         "precision": t.precision, "recall": t.recall, "f1": t.f1,
                         "dev_f1": d.f1, "target": TARGETS.get(kind),
                         "n": (test["n"], dev["n"])})
    except Exception:
        traceback.print_exc()
        errors.append("quality")
    try:  # the learned sign reader after the rules (the model extra); trained on dev
        t = _scores("test", sign_model=True)["tallies"]["indicator"]
        d = _scores("dev", sign_model=True)["tallies"]["indicator"]
        rows.append({"part": "quality", "type": "indicator, rules + sign model",
                     "gold": t.true_pos + t.false_neg, "precision": t.precision,
                     "recall": t.recall, "f1": t.f1, "dev_f1": d.f1,
                     "target": TARGETS["indicator"], "n": (0, 0)})
    except Exception:
        traceback.print_exc()
        errors.append("sign model")
    try:
        import spacy

        texts = _texts()
        tokenizer = spacy.blank("en").tokenizer
        for text, day in texts[:5]:  # both warm, outside the clock
            read_narrative(text, day)
            tokenizer(text)
        # CPU time of this process, the median of five passes: "on one core" is what the bar
        # asks, and wall time on a shared machine measures the neighbours as much as the reader
        floors, rates = [], []
        for _ in range(5):
            start = time.process_time()
            for text, _ in texts:
                tokenizer(text)
            floors.append(len(texts) / (time.process_time() - start))
            start = time.process_time()
            for text, day in texts:
                read_narrative(text, day)
            rates.append(len(texts) / (time.process_time() - start))
        floor, rate = sorted(floors)[2], sorted(rates)[2]
        words = sum(len(t.split()) for t, _ in texts) / len(texts)
        rows.append({"part": "throughput", "texts": len(texts), "words": words,
                     "rate": rate, "floor": floor})
        # as the import reads them: together, the sentences embedded in one pass
        from joinedup.extract.narrative import extract_narratives
        from joinedup.profiles import load_profile

        profile = load_profile("safeguarding")
        extract_narratives(texts[:5], profile, sign_model=True)
        model_rates = []
        for _ in range(3):
            start = time.process_time()
            extract_narratives(texts, profile, sign_model=True)
            model_rates.append(len(texts) / (time.process_time() - start))
        rows.append({"part": "throughput, sign model", "rate": sorted(model_rates)[1],
                     "rules": rate})
    except Exception:
        traceback.print_exc()
        errors.append("throughput")
    return rows, errors


def table(rows: list[Row]) -> str:
    quality = [r for r in rows if r["part"] == "quality"]
    lines = []
    if quality:
        n_test, n_dev = quality[0]["n"]
        lines += [f"Held-out test split: {n_test} narratives; dev split: {n_dev}.", "",
                  "| type | gold spans | precision | recall | F1 | target | dev F1 | "
                  "test/dev |", "|---|---|---|---|---|---|---|---|"]
        for r in quality:
            target = f"{r['target']:.2f}" if r["target"] else "-"
            met = "" if not r["target"] else (" ok" if r["f1"] >= r["target"] else " MISSED")
            ratio = r["f1"] / r["dev_f1"] if r["dev_f1"] else 0.0
            lines.append(f"| {r['type']} | {r['gold']} | {r['precision']:.3f} | "
                         f"{r['recall']:.3f} | {r['f1']:.3f} | {target}{met} | "
                         f"{r['dev_f1']:.3f} | {ratio:.2f} |")
    for r in rows:
        if r["part"] == "throughput":
            verdict = "ok" if r["rate"] >= THROUGHPUT_BAR else "MISSED"
            lines += ["", "| texts | words each | narratives/s (one core) | bar | tokenizer "
                          "alone/s | ratio |", "|---|---|---|---|---|---|",
                      f"| {r['texts']} | {r['words']:.0f} | {r['rate']:.0f} | "
                      f"{THROUGHPUT_BAR:.0f} {verdict} | {r['floor']:.0f} | "
                      f"{r['rate'] / r['floor']:.2f} |"]
        if r["part"] == "throughput, sign model":
            lines += ["", "With the learned sign model after the rules (CPU time of every "
                          "thread; no bar: the bar is the rules'):", "",
                      "| narratives/s | rules alone/s | ratio |", "|---|---|---|",
                      f"| {r['rate']:.0f} | {r['rules']:.0f} | {r['rate'] / r['rules']:.2f} |"]
    return "\n".join(lines)


if __name__ == "__main__":
    found, failed = run()
    print(table(found))
    sys.exit(1 if failed else 0)
