"""Audit: check the hash chain of the audit log, and answer "who saw this record?".

Every read and write of the store appends an entry holding the hash of the entry before it
(:mod:`joinedup.store.gate`). The application never updates or deletes an entry, and the store
refuses to (triggers, migration 0006). Anyone with the database's own rights can still edit
rows, so :func:`verify` recomputes the chain: an edited entry no longer matches its hash, a
deleted or reordered one breaks the link or the sequence, and the first bad entry is named.
Deleting the newest entries leaves a shorter chain that is whole, so :func:`verify` also takes
the head that was recorded elsewhere earlier (``joinedup audit head``) and checks that the log
still reaches it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from joinedup.store.gate import GENESIS, entry_hash

Row = dict[str, Any]
ENTRY_FIELDS = ("partnership", "at", "actor", "action", "target", "detail")


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found: ``ok``, how many entries were checked, and the first bad
    entry's sequence number with the reason."""

    ok: bool
    checked: int
    head: str
    first_bad: int | None = None
    reason: str = ""


def verify(rows: Iterable[Row], expect: tuple[int, str] | None = None) -> Verdict:
    """Check a chain of audit entries in ``seq`` order (as stored).

    ``expect`` is a head recorded earlier, ``(seq, hash)``: the chain must hold that entry
    unchanged, or the log has been cut back past it."""
    prev, last_seq, checked = GENESIS, 0, 0
    seen_expected = expect is None
    for row in rows:
        seq = int(row["seq"])
        if seq != last_seq + 1:
            why = "is out of order" if seq <= last_seq else f"follows {last_seq}: entries between"
            reason = f"entry {seq} {why}" + ("" if seq <= last_seq else " are missing")
            return Verdict(False, checked, prev, seq, reason)
        if row["prev_hash"] != prev:
            return Verdict(False, checked, prev, seq,
                           f"entry {seq} does not follow the entry before it (deleted or moved)")
        digest = entry_hash(prev, {k: row[k] for k in ENTRY_FIELDS})
        if row["hash"] != digest:
            return Verdict(False, checked, prev, seq,
                           f"entry {seq} was changed after it was written")
        if expect is not None and seq == expect[0]:
            if row["hash"] != expect[1]:
                return Verdict(False, checked, prev, seq,
                               f"entry {seq} is not the head recorded earlier")
            seen_expected = True
        prev, last_seq, checked = row["hash"], seq, checked + 1
    if not seen_expected and expect is not None:
        return Verdict(False, checked, prev, expect[0],
                       f"the log ends at entry {last_seq}, before the head recorded earlier "
                       f"({expect[0]}): newer entries were deleted")
    return Verdict(True, checked, prev)


def parse_head(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as ``joinedup audit head`` prints it."""
    seq, _, digest = text.strip().partition(":")
    if not seq.isdigit() or len(digest) != 64:
        from joinedup.errors import InputError

        raise InputError(f"{text!r} is not a head", hint="give SEQ:HASH as `joinedup audit head` "
                                                          "printed it")
    return int(seq), digest


def who_saw(rows: Iterable[Row], targets: set[str]) -> list[Row]:
    """Entries that read or wrote any of ``targets`` (an alert ``alert/A-…``, an entity
    ``entity/P-…``, a report ``report/ORG/ID``), oldest first."""
    return [
        {k: r[k] for k in ("seq", "at", "actor", "action", "target", "detail")}
        for r in rows
        if r["target"] in targets
    ]
