"""The record of the second reading (``eval/extract/second-reading/``) and the gold agree: every
sign or link both readers marked is in the gold, each one the adjudicator kept is there with
the value decided, and each one dropped is not. The record is what makes the gold's signs and
links checkable; if the two drift apart, it no longer says how the gold was made."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from joinedup.extract.gold import EVAL_DIR, Narrative, Span, load_set

RECORD = EVAL_DIR / "second-reading"
KINDS = ("indicator", "link")


def _narratives(split: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted((RECORD / split).glob("adjudication-*.yaml")):
        out += yaml.safe_load(path.read_text(encoding="utf-8"))
    return out


def _decisions(split: str) -> list[tuple[str, dict[str, Any]]]:
    return [(n["id"], item) for n in _narratives(split) for item in n["to_decide"]]


def _covered(n: Narrative, start: int, end: int) -> bool:
    """Whether names, places, dates or vehicles leave less than three letters of the range
    uncovered: a mark there could not be kept (marks may not overlap) and was left out, as the
    README says."""
    free, at = [], start
    for a, b in sorted((s.start, s.end) for s in n.spans if s.type not in KINDS):
        if b <= at or a >= end:
            continue
        if a > at:
            free.append(n.text[at:a])
        at = max(at, b)
    free.append(n.text[at:end])
    return max(len(piece.strip(" \t\n,.;:!?\"'()-")) for piece in free) < 3


def _found(n: Narrative, kind: str, value: str, start: int, end: int) -> list[Span]:
    return [s for s in n.spans if s.type == kind and s.value == value
            and s.start < end and start < s.end]


@pytest.mark.parametrize("split", ["test", "dev"])
def test_the_gold_holds_what_the_adjudicator_kept_and_not_what_they_dropped(split: str) -> None:
    gold = {n.id: n for n in load_set(split)}
    decisions = _decisions(split)
    assert len(decisions) > 200  # the record is there, not an empty folder
    missing, present = [], []
    for nid, item in decisions:
        n, (start, end) = gold[nid], item["at"]
        assert n.text[start:end] == item["span"], (nid, item["n"])
        decision = str(item["decision"])
        if decision == "drop":
            same = _found(n, item["type"], item["proposed"], start, end)
            if any((s.start, s.end) == (start, end) for s in same):
                present.append((nid, item["n"]))
            continue
        value = decision.partition(":")[2] or item["proposed"]
        if not _found(n, item["type"], value, start, end) and not _covered(n, start, end):
            missing.append((nid, item["n"], value))
    assert present == []
    assert missing == []


def test_every_second_reading_file_is_in_the_record() -> None:
    for split in ("test", "dev"):
        names = {p.name for p in (RECORD / split).glob("*.yaml")}
        annotated = {n for n in names if n.startswith("second-annotator-")}
        decided = {n for n in names if n.startswith("adjudication-")}
        assert annotated and len(annotated) == len(decided)


@pytest.mark.parametrize("split", ["test", "dev"])
def test_the_gold_holds_every_mark_both_readers_made(split: str) -> None:
    gold = {n.id: n for n in load_set(split)}
    lost = []
    for record in _narratives(split):
        have = {f'{s.type}={s.value}: "{s.text}"' for s in gold[record["id"]].spans}
        lost += [(record["id"], m) for m in record["already_agreed"] if m not in have]
    assert lost == []
