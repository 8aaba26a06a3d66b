"""Precision, recall and F1 of the narrative extractor by type on an evaluation split, and its
throughput on one core.

    PYTHONPATH=src python -m bench.extract_dev [--split dev] [--dir eval/extract]

Only ``dev`` is for tuning; the main session runs the same on ``test`` to report it. A gold
value written ``AUTO`` (the annotator left the normalised form to the tools) is filled in by
the project's normalisers for phones and plates; an ``AUTO`` date is matched on its span alone,
and the number of such dates is printed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

import yaml

from joinedup.extract.gold import TYPES, Narrative, Span, load_set, parse_marked
from joinedup.extract.narrative import extract_narrative
from joinedup.extract.proposals import Proposal
from joinedup.extract.score import score
from joinedup.resolve.normalise import normalise_phone, normalise_plate

ROOT = Path(__file__).resolve().parents[1]
WORDS_PER_TEXT = 300


def load(split: str, directory: Path) -> tuple[list[Narrative], list[str]]:
    """The split's narratives; a file that does not parse (being written) is skipped and named."""
    try:
        return load_set(split, directory=directory), []
    except Exception:  # noqa: BLE001 - a file mid-edit: fall back to loading one by one
        pass
    found: list[Narrative] = []
    skipped: list[str] = []
    for path in sorted((directory / split).glob("*.yaml")):
        try:
            items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            for item in items:
                text, spans = parse_marked(str(item["text"]).strip(), str(item["id"]))
                found.append(Narrative(str(item["id"]), str(item.get("style", "")),
                                       item["reported_at"], text, tuple(spans)))
        except Exception as exc:  # noqa: BLE001
            skipped.append(f"{path.name}: {exc}")
    return found, skipped


def resolve_auto(span: Span) -> Span:
    """A gold span whose value is AUTO, with the value the normalisers give."""
    if span.value != "AUTO":
        return span
    if span.type == "phone":
        return replace(span, value=normalise_phone(span.text) or span.text)
    if span.type == "vehicle":
        plate = normalise_plate(span.text)
        return replace(span, value=plate.text if plate else span.text.lower())
    return span


def wildcard_dates(gold: list[Span], proposed: list[Proposal]) -> list[Proposal]:
    """Give a proposed date the gold value of an AUTO date it overlaps (span-only match)."""
    out = []
    for p in proposed:
        for g in gold:
            if (p.type == g.type == "date" and g.value == "AUTO"
                    and p.start < g.end and g.start < p.end):
                p = replace(p, value="AUTO")
                break
        out.append(p)
    return out


def later_name_parts(gold: list[Span], proposed: list[Proposal]) -> list[Proposal]:
    """Proposals less the persons that overlap no gold span and whose words are all words of a
    gold person's name ("Courtney" after "Courtney Price", "Mrs Hurst" after "Mrs Janice
    Hurst"): later mentions the annotators leave unmarked, which the project's scorer skips
    only when the value is the whole name."""
    names = [set(g.value.split()) for g in gold if g.type == "person"]
    return [p for p in proposed if not (
        p.type == "person" and not any(p.start < g.end and g.start < p.end for g in gold)
        and any(set(p.value.split()) <= words for words in names))]


def quality(narratives: list[Narrative]) -> None:
    pairs = []
    for n in narratives:
        gold = [resolve_auto(s) for s in n.spans]
        pairs.append((gold, wildcard_dates(gold, extract_narrative(n.text, n.reported_at))))
    tallies = score(pairs, TYPES)
    print(f"{'type':<10} {'gold':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for kind, t in tallies.items():
        print(f"{kind:<10} {t.true_pos + t.false_neg:>5} {t.true_pos + t.false_pos:>5} "
              f"{t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}")
    people = score([(g, later_name_parts(list(g), list(p))) for g, p in pairs], ["person"])
    t = people["person"]
    print(f"{'(person, a later mention by part of a gold name not counted)':<10} "
          f"P {t.precision:.3f} R {t.recall:.3f} F1 {t.f1:.3f}")
    auto = sum(1 for n in narratives for s in n.spans if s.type == "date" and s.value == "AUTO")
    print(f"(dates whose gold value is AUTO, matched on span only: {auto})")


def throughput(texts: list[str], narratives: list[Narrative], label: str,
               passes: int = 7) -> None:
    """Narratives a second over whole passes through ``texts``: the median pass and the best."""
    at = narratives[0].reported_at
    extract_narrative(texts[0], at)  # build the pipeline and matchers outside the clock
    rates = []
    for _ in range(passes):
        start = time.perf_counter()
        for text in texts:
            extract_narrative(text, at)
        rates.append(len(texts) / (time.perf_counter() - start))
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{label}: {statistics.median(rates):,.0f} narratives/s median of {passes} passes "
          f"(best {max(rates):,.0f}; {len(texts)} texts, {words:.0f} words on average, "
          f"one process)")


def synthetic(narratives: list[Narrative]) -> list[str]:
    """300-word texts made by joining dev narratives end to end."""
    words = " ".join(n.text for n in narratives).split()
    return [" ".join(words[i:i + WORDS_PER_TEXT])
            for i in range(0, len(words) - WORDS_PER_TEXT + 1, WORDS_PER_TEXT)] or [
        " ".join(words)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--dir", type=Path, default=ROOT / "eval" / "extract")
    args = parser.parse_args()
    narratives, skipped = load(args.split, args.dir)
    for line in skipped:
        print("skipped", line)
    print(f"{args.split}: {len(narratives)} narratives")
    quality(narratives)
    throughput([n.text for n in narratives], narratives, "narratives as written")
    throughput(synthetic(narratives), narratives, f"{WORDS_PER_TEXT}-word texts")


if __name__ == "__main__":
    main()
