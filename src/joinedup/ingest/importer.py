"""Import report files into the store: validate, quarantine what is bad, keep versions.

Valid records are committed atomically per batch together with what was extracted from them.
Re-importing the same file changes nothing: a record whose content hash is already held by a
version of its (org, id) is counted as unchanged (the current one, or an earlier one: the file
sent again after the report was reviewed, or after a correction), and a bad record already
quarantined with the same content is not quarantined twice. A changed record becomes a new
version; the old one is kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joinedup.errors import InputError, ProfileError, RecordError
from joinedup.extract import Extraction, extract_report
from joinedup.extract.structured import reported_date
from joinedup.gcpause import without_cycle_collection
from joinedup.ingest.models import parse_report
from joinedup.ingest.reader import RawRecord, content_hash, read_records
from joinedup.ingest.text import TextSource, text_record
from joinedup.profiles import Profile, load_profile
from joinedup.resolve.normalise import parse_partial_date
from joinedup.store import Store

BATCH = 1000
Row = dict[str, Any]


@dataclass
class ImportResult:
    """What happened to each record of one file."""

    file: str
    accepted: int = 0
    unchanged: int = 0
    quarantined: int = 0
    errors: list[RecordError] = field(default_factory=list)
    reports: list[int] = field(default_factory=list)  # store keys of the reports added

    @property
    def exit_code(self) -> int:
        return 1 if self.quarantined else 0


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}", hint="check the path") from exc
    return digest.hexdigest()


def _report_row(raw: dict[str, Any], version: int, digest: str, line: int) -> Row:
    src = raw["source"]
    occurred_from = raw.get("occurred_from")
    occurred_to = raw.get("occurred_to")
    return {
        "org": src["org"],
        "report_id": str(raw["id"]),
        "version": version,
        "content_hash": digest,
        "profile": raw.get("profile", "safeguarding"),
        "agency": src["agency"],
        "reporter": src.get("reporter"),
        "informant_ref": raw.get("informant"),
        "derived": bool(raw.get("derived_from")),
        "reported_at": reported_date(raw),
        "occurred_from": parse_partial_date(str(occurred_from))[0] if occurred_from else None,
        "occurred_to": parse_partial_date(str(occurred_to))[1] if occurred_to else None,
        "body": raw,
        "narrative": raw.get("narrative"),
        "line": line,
    }


def _quarantine_row(err: RecordError, text: str, digest: str) -> Row:
    return {
        "file": err.file,
        "line": err.line,
        "field": err.field[:300],
        "reason": err.reason,
        "raw": text,
        "content_hash": digest,
    }


@without_cycle_collection
def import_file(
    store: Store, path: Path, *, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Import one JSON Lines or JSON array file; see the module docstring for the guarantees."""
    return import_records(
        store, str(path), file_sha256(path), read_records(path), progress=progress
    )


DATASETS = ("ucdp", "ucdp-dataset", "acled")


def dataset_format(path: Path) -> str | None:
    """The dataset a CSV file is an export of, by its header (UCDP GED: ``source_article``;
    ACLED: ``event_id_cnty``); None for any other file."""
    if path.suffix.lower() != ".csv":
        return None
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            header = fh.readline()
    except OSError:
        return None
    names = {h.strip().strip('"') for h in header.split(",")}
    if "source_article" in names and "where_prec" in names:
        return "ucdp"
    if "event_id_cnty" in names:
        return "acled"
    return None


def import_dataset(
    store: Store, path: Path, kind: str, *, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Import a conflict dataset's CSV export as conflict reports: ``ucdp`` (UCDP GED, one
    report per source article), ``ucdp-dataset`` (one per event, in UCDP's name) or ``acled``
    (one per event). Rows that cannot be read are quarantined with line, field and reason."""
    from joinedup.ingest.acled import read_acled
    from joinedup.ingest.ucdp import read_ucdp

    if kind not in DATASETS:
        raise InputError(f"unknown dataset format {kind!r}", hint=f"use {', '.join(DATASETS)}")
    records = (read_acled(path) if kind == "acled"
               else read_ucdp(path, view="dataset" if kind == "ucdp-dataset" else "articles"))
    return import_records(store, str(path), file_sha256(path), records, progress=progress)


def import_text_file(store: Store, path: Path, source: TextSource) -> ImportResult:
    """Import a text file or an email as one narrative-only report (:mod:`.text`)."""
    record = text_record(path, source)
    digest = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
    return import_records(store, path.name, digest, [record])


def submit_report(store: Store, raw: object, channel: str) -> ImportResult:
    """Import one report given as decoded JSON (a web form or the API): the same validation,
    quarantine and versioning as a file, as an import batch named ``channel``. A report that
    fails validation is quarantined, so what a worker submitted is never lost."""
    text = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
    record = RawRecord(file=channel, line=1, raw=raw, text=text, error=None)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return import_records(store, channel, digest, [record])


def import_records(
    store: Store,
    name: str,
    sha256: str,
    records: Iterable[RawRecord],
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import decoded records as one batch named ``name`` (a file, or a channel such as the
    web form); see the module docstring for the guarantees."""
    batch = store.begin_batch(name, sha256)
    result = ImportResult(name)
    pending: list[tuple[dict[str, Any], str, int, Profile]] = []
    rejected: list[tuple[RecordError, str, str]] = []
    latest: dict[tuple[str, str], tuple[int, int, frozenset[str]]] = {}  # written by this file
    seen_bad: set[str] = set()
    analysed = [BATCH]  # reports accepted when statistics were last refreshed (first at 2 batches)

    def flush() -> None:
        """Decide new, changed or unchanged for a batch, looking up only its own ids."""
        index = store.report_index({_key(raw) for raw, _, _, _ in pending})
        index.update(latest)
        known_bad = store.quarantined_hashes({d for _, _, d in rejected}) | seen_bad
        items: list[tuple[Row, Extraction]] = []
        for raw, digest, line, profile in pending:
            current = index.get(_key(raw))
            if current and digest in current[2]:
                result.unchanged += 1
                continue
            version = current[1] + 1 if current else 1
            held = current[2] if current else frozenset()
            index[_key(raw)] = latest[_key(raw)] = (0, version, held | {digest})
            items.append((_report_row(raw, version, digest, line), extract_report(raw, profile)))
            result.accepted += 1
        bad = []
        for err, text, digest in rejected:
            if digest not in known_bad:  # the same bad record is quarantined once
                known_bad.add(digest)
                seen_bad.add(digest)
                bad.append(_quarantine_row(err, text, digest))
        if items or bad:
            result.reports += store.add_reports(batch, items, bad)
        if result.accepted >= analysed[0] * 2:  # the report table has doubled: new statistics
            store.analyse_reports()
            analysed[0] = result.accepted
        pending.clear()
        rejected.clear()

    for rec in records:
        if progress:
            progress(1)
        digest = (
            content_hash(rec.raw)
            if rec.error is None
            else hashlib.sha256(rec.text.encode("utf-8", "replace")).hexdigest()
        )
        try:
            if rec.error is not None:
                raise rec.error
            if not isinstance(rec.raw, dict):
                raise RecordError(name, rec.line, "(record)", "expected a JSON object")
            try:
                profile = load_profile(str(rec.raw.get("profile", "safeguarding")))
            except ProfileError as err:  # a profile that does not exist
                raise RecordError(name, rec.line, "profile", err.message) from err
            parse_report(rec.raw, vocabulary=profile, file=name, line=rec.line)
            _own_organisation(store, rec.raw, name, rec.line)
        except RecordError as err:
            result.errors.append(err)
            result.quarantined += 1
            rejected.append((err, rec.text, digest))
            continue
        pending.append((rec.raw, digest, rec.line, profile))
        if len(pending) >= BATCH:
            flush()
    flush()
    store.finish_batch(batch, result.accepted, result.unchanged, result.quarantined)
    return result


def _own_organisation(store: Store, raw: dict[str, Any], name: str, line: int) -> None:
    """An account of an agency submits that agency's reports only: a report in another
    organisation's name is quarantined (kept, with the reason), never stored as theirs."""
    own = store.actor.agency
    org = str(raw["source"]["org"])
    if own and org != own:
        raise RecordError(name, line, "source.org",
                          f"an account of {own} submits {own}'s reports only (this one is "
                          f"in the name of {org!r})")


def _key(raw: dict[str, Any]) -> tuple[str, str]:
    return raw["source"]["org"], str(raw["id"])
