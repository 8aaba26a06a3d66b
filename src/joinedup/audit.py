"""Audit: check the hash chain of the audit log, and answer "who saw this record?".

Every read and write of the store appends an entry holding the hash of the entry before it
(:mod:`joinedup.store.gate`). The application never updates or deletes an entry, and the store
refuses to (triggers, migration 0006). Anyone with the database's own rights can still edit
rows, so :func:`verify` recomputes the chain: an edited entry no longer matches its hash, a
deleted or reordered one breaks the link or the sequence, and the first bad entry is named.
Deleting the newest entries leaves a shorter chain that is whole, so :func:`verify` also takes
the head that was recorded elsewhere earlier (``joinedup audit head``) and checks that the log
still reaches it.

The panel's decisions live in their own table, which has no triggers. Each decision's audit
entry holds its whole content (:func:`decision_record`), so :func:`check_decisions` finds a
decision edited, added or deleted in the table behind the application's back.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from joinedup.store.gate import GENESIS, _canonical, entry_hash

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


DECISION_FIELDS = (
    "pk", "alert", "action", "closes", "owner", "due", "rationale", "decided_by", "decided_at",
)
# Held in an audit entry as its SHA-256, not as written: the rationale is casework (it names
# children), and the audit log is read by admins, who read no casework. The digest finds an
# edit as surely as the text would.
DIGESTED = frozenset({"rationale"})


def decision_record(row: Mapping[str, Any]) -> Row:
    """A decision row's whole content as its audit entry holds it (``detail["decision"]``):
    JSON-plain values, datetimes as naive UTC ISO text and dates as ISO text, so that the row
    read back from either store compares equal to what was recorded; the rationale as its
    SHA-256 (:data:`DIGESTED`)."""
    out: Row = {}
    for field in DECISION_FIELDS:
        value = row.get(field)
        if isinstance(value, datetime):
            value = _canonical(value)
        elif isinstance(value, date):
            value = value.isoformat()
        if field in DIGESTED:
            value = "sha256:" + hashlib.sha256(str(value or "").encode("utf-8")).hexdigest()
        out[field] = value
    out["pk"] = int(out["pk"])
    out["closes"] = bool(out["closes"])
    return out


@dataclass(frozen=True)
class DecisionCheck:
    """What :func:`check_decisions` found: ``ok``, how many decisions matched their audit
    entries, how many predate entries holding a decision's content (``unchecked``), and the
    first decision at fault (its key) with the reason."""

    ok: bool
    checked: int
    unchecked: int = 0
    first_bad: int | None = None
    reason: str = ""


def check_decisions(
    decisions: Iterable[Mapping[str, Any]], rows: Iterable[Row], partnership: str
) -> DecisionCheck:
    """Check that every decision of ``partnership`` is still as its audit entry recorded it.

    ``decisions`` are the partnership's decision rows, ``rows`` the audit log (check the chain
    with :func:`verify` first: the entries are only evidence if it is whole). A decision that
    differs from its entry was edited in the table; one without an entry was added there; an
    entry whose decision is gone was deleted. Decisions recorded before entries held their
    content (only ``choice``) cannot be checked: as many of them as such entries name their
    alert are counted as ``unchecked``."""
    recorded: dict[int, tuple[int, Row]] = {}
    legacy: Counter[str] = Counter()
    for row in rows:
        if row["action"] != "decide" or row["partnership"] != partnership:
            continue
        detail = row["detail"] if isinstance(row["detail"], dict) else {}
        content = detail.get("decision")
        if isinstance(content, dict) and "pk" in content:
            recorded[int(content["pk"])] = (int(row["seq"]), content)
        else:
            legacy[row["target"]] += 1
    checked = unchecked = 0
    for decision in sorted(decisions, key=lambda d: int(d["pk"])):
        pk, alert = int(decision["pk"]), decision["alert"]
        found = recorded.pop(pk, None)
        if found is None:
            if legacy[f"alert/{alert}"] > 0:
                legacy[f"alert/{alert}"] -= 1
                unchecked += 1
                continue
            return DecisionCheck(False, checked, unchecked, pk,
                                 f"decision {pk} on alert {alert} has no audit entry "
                                 "(added to the table directly)")
        seq, content = found
        now = decision_record(decision)
        changed = [f for f in DECISION_FIELDS if content.get(f) != now[f]]
        if changed:
            return DecisionCheck(False, checked, unchecked, pk,
                                 f"decision {pk} on alert {alert} is not as audit entry {seq} "
                                 f"recorded it ({', '.join(changed)} changed)")
        checked += 1
    if recorded:
        pk = min(recorded)
        seq, content = recorded[pk]
        return DecisionCheck(False, checked, unchecked, pk,
                             f"decision {pk} on alert {content.get('alert')}, recorded in audit "
                             f"entry {seq}, is no longer in the table (deleted)")
    return DecisionCheck(True, checked, unchecked)


def parse_head(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as ``joinedup audit head`` prints it."""
    seq, _, digest = text.strip().partition(":")
    if not seq.isdigit() or len(digest) != 64:
        from joinedup.errors import InputError

        raise InputError(f"{text!r} is not a head", hint="give SEQ:HASH as `joinedup audit head` "
                                                          "printed it")
    return int(seq), digest


def who_saw(rows: Iterable[Row], targets: set[str], partnership: str) -> list[Row]:
    """Entries of ``partnership`` that read or wrote any of ``targets`` (an alert
    ``alert/A-…``, an entity ``entity/P-…``, a report ``report/ORG/ID``), and the exports
    that took such a report out (:func:`joinedup.export.exported`), oldest first.

    The log is one chain for the whole database, and two partnerships may name a record
    alike (one public dataset imported by both): another partnership's accounts are not
    who saw this one's record, and are not shown to it."""
    reports = {t.removeprefix("report/") for t in targets if t.startswith("report/")}
    return [
        {k: r[k] for k in ("seq", "at", "actor", "action", "target", "detail")}
        for r in rows
        if r["partnership"] == partnership
        and (r["target"] in targets or _took_out(r, reports))
    ]


def _took_out(row: Row, reports: set[str]) -> bool:
    """Whether an export's entry took out one of ``reports`` (``ORG/ID``): one it lists
    (``keys``), or, for an export too large to list (``keys_sha256``), one of the
    organisation it was filtered to (all, for no filter). The latter says the report may have
    left, not that it did: the entry cannot tell a report imported after the export."""
    detail = row.get("detail")
    if row.get("action") != "export" or not reports or not isinstance(detail, Mapping):
        return False
    if isinstance(detail.get("taken"), Mapping):  # as Store.export_bodies writes it
        detail = detail["taken"]
    if isinstance(detail.get("keys"), list):
        return not reports.isdisjoint(str(k) for k in detail["keys"])
    if "keys_sha256" in detail:
        org = str(detail.get("org") or "")
        return any(not org or key.partition("/")[0] == org for key in reports)
    return False
