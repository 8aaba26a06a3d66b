"""Import report files into the store: validate, quarantine what is bad, keep versions.

Valid records are committed atomically per batch together with what was extracted from them.
Re-importing the same file changes nothing: a record whose content hash is already held by a
version of its (org, id) is counted as unchanged (the current one, or an earlier one: the file
sent again after the report was reviewed, or after a correction), and a bad record already
quarantined with the same content is not quarantined twice. A changed record becomes a new
version; the old one is kept.

A large file is checked on another core: a forked worker hashes, validates and reads the
records (:func:`check_record`) a few chunks ahead while this process writes, and the outcome
is the one a single process gives, record for record.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from joinedup.errors import InputError, ProfileError, RecordError
from joinedup.extract import Extraction, extract_report
from joinedup.extract.structured import reported_date
from joinedup.gcpause import without_cycle_collection
from joinedup.ingest.models import parse_report
from joinedup.ingest.reader import RawRecord, content_hash, read_records
from joinedup.ingest.text import TextSource, text_record
from joinedup.profiles import load_profile
from joinedup.resolve.normalise import parse_partial_date
from joinedup.store import Store

BATCH = 1000
# a file this large is checked and read on other cores while this process writes (below it,
# starting a worker costs more than it saves); records go to a worker this many at a time
PARALLEL_BYTES = 4 << 20
CHUNK = 1000
# a batch is also written once the text it holds passes this many characters: a bad line is
# kept whole (up to 16 MB), and a thousand of them must not all wait in memory
BATCH_CHARS = 64 << 20
Row = dict[str, Any]
# what a database's text cannot hold: NUL (PostgreSQL) and unpaired UTF-16 surrogates (any)
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


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
    """The row that keeps a bad record, the one place such rows are made. Its text is kept
    whole, but a NUL or an unpaired surrogate in it is written as the six characters of its
    JSON escape (``\\u0000``, ``\\ud800``): PostgreSQL text cannot hold NUL and no database
    takes a lone surrogate, and the record is quarantined because of such characters as often
    as not, so storing them raw would fail the whole batch instead."""
    return {
        "file": err.file,
        "line": err.line,
        "field": _storable(err.field[:300]),
        "reason": _storable(err.reason),
        "raw": _storable(text),
        "content_hash": digest,
    }


def _storable(text: str) -> str:
    """``text`` with NUL and unpaired surrogates written as ``\\uXXXX``."""
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@without_cycle_collection
def import_file(
    store: Store, path: Path, *, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Import one JSON Lines or JSON array file; see the module docstring for the guarantees.

    A large file's records are checked and read (:func:`check_record`) on the other cores
    while this process writes what they made of them: on two cores a million generated
    reports import in 223 s, where one process took 274 s."""
    big = path.is_file() and path.stat().st_size >= PARALLEL_BYTES
    return import_records(
        store, str(path), file_sha256(path), read_records(path), progress=progress,
        workers=_workers() if big else 0,
    )


def _workers() -> int:
    """Worker processes for checking records: the cores but this one's, where workers can be
    forked (they inherit the loaded profiles); none on one core."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return max(0, min((os.cpu_count() or 1) - 1, 4))


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
    return import_records(store, path.name, _text_digest(record.text), [record])


def submit_report(store: Store, raw: object, channel: str) -> ImportResult:
    """Import one report given as decoded JSON (a web form or the API): the same validation,
    quarantine and versioning as a file, as an import batch named ``channel``. A report that
    fails validation is quarantined, so what a worker submitted is never lost (a lone
    surrogate, which JSON can carry and UTF-8 cannot, is hashed as it is and refused by
    validation, never a server error)."""
    text = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
    record = RawRecord(file=channel, line=1, raw=raw, text=text, error=None)
    return import_records(store, channel, _text_digest(text), [record])


@dataclass(frozen=True)
class Checked:
    """A record after every check that needs no store: its content hash, and either why it
    is refused or the profile it is of and (where asked for) what it names."""

    digest: str
    error: RecordError | None = None
    profile: str = ""
    extraction: Extraction | None = None


def check_record(rec: RawRecord, name: str, *, extract: bool = False) -> Checked:
    """Hash, decode-check and validate one record of the file or channel ``name``; with
    ``extract``, also read what it names (only a report that turns out new or changed needs
    that, so the single-process import waits until it knows)."""
    digest, unhashable = _digest(rec, name)
    try:
        if rec.error is not None:
            raise rec.error
        if unhashable is not None:
            raise unhashable
        if not isinstance(rec.raw, dict):
            raise RecordError(name, rec.line, "(record)", "expected a JSON object")
        profile_name = str(rec.raw.get("profile", "safeguarding"))
        try:
            profile = load_profile(profile_name)
        except ProfileError as err:  # a profile that does not exist
            raise RecordError(name, rec.line, "profile", err.message) from err
        parse_report(rec.raw, vocabulary=profile, file=name, line=rec.line)
    except RecordError as err:
        return Checked(digest, error=err)
    return Checked(digest, profile=profile_name,
                   extraction=extract_report(rec.raw, profile) if extract else None)


def _digest(rec: RawRecord, name: str) -> tuple[str, RecordError | None]:
    """The record's content hash; for a record that cannot be hashed, the hash of its text
    and the error that quarantines it. A value nested ~1,000 levels deep can decode yet
    overflow the stack when hashed: that is one bad record, never the end of the import."""
    if rec.error is not None:
        return _text_digest(rec.text), None
    try:
        return content_hash(rec.raw), None
    except InputError as exc:
        return _text_digest(rec.text), RecordError(
            name, rec.line, "(record)",
            f"{exc.message}; a report nests only a few levels (its 'extra' at most 16): "
            "flatten it and import it again")


def _text_digest(text: str) -> str:
    """SHA-256 of a record's text as read, lone surrogates and all."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _check_chunk(records: list[RawRecord], name: str) -> list[Checked]:
    return [check_record(rec, name, extract=True) for rec in records]


def checked_records(
    records: Iterable[RawRecord], name: str, workers: int = 0
) -> Iterator[tuple[RawRecord, Checked]]:
    """Each record with what :func:`check_record` made of it, in order. With ``workers``,
    chunks of records are checked (and read) by forked worker processes, a few chunks ahead
    of the caller, so that a million records are never all in memory."""
    if workers < 1:
        for rec in records:
            yield rec, check_record(rec, name)
        return
    ahead: deque[tuple[list[RawRecord], Future[list[Checked]]]] = deque()
    it = iter(records)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        while chunk := list(islice(it, CHUNK)):
            ahead.append((chunk, pool.submit(_check_chunk, chunk, name)))
            if len(ahead) > 2 * workers:
                done, future = ahead.popleft()
                yield from zip(done, future.result(), strict=True)
        while ahead:
            done, future = ahead.popleft()
            yield from zip(done, future.result(), strict=True)


def import_records(
    store: Store,
    name: str,
    sha256: str,
    records: Iterable[RawRecord],
    *,
    progress: Callable[[int], None] | None = None,
    workers: int = 0,
) -> ImportResult:
    """Import decoded records as one batch named ``name`` (a file, or a channel such as the
    web form); see the module docstring for the guarantees. ``workers``: processes that
    check and read the records (:func:`checked_records`) while this one writes; none, in
    this process."""
    batch = store.begin_batch(name, sha256)
    result = ImportResult(name)
    pending: list[tuple[dict[str, Any], Checked, int, str]] = []
    rejected: list[tuple[RecordError, str, str]] = []
    latest: dict[tuple[str, str], tuple[int, int, frozenset[str]]] = {}  # written by this file
    seen_bad: set[str] = set()
    waiting = [0]  # characters of text waiting in pending and rejected
    analysed = [BATCH]  # reports accepted when statistics were last refreshed (first at 2 batches)

    def flush() -> None:
        """Decide new, changed or unchanged for a batch, looking up only its own ids."""
        index = store.report_index({_key(raw) for raw, *_ in pending})
        # a new version replaces what counts: only whoever may (the account that submitted
        # the current one, the agency's lead, the panel) sends one of a report already stored
        refused = store.versions_refused(key for key in index if key not in latest)
        index.update(latest)
        known_bad = store.quarantined_hashes({d for _, _, d in rejected}) | seen_bad
        items: list[tuple[Row, Extraction]] = []
        for raw, checked, line, text in pending:
            digest = checked.digest
            current = index.get(_key(raw))
            if current and digest in current[2]:
                result.unchanged += 1
                continue
            if _key(raw) in refused:
                org, rid = _key(raw)
                err = RecordError(
                    name, line, "id",
                    f"{org}/{rid} is a report another account submitted: a new version of it "
                    f"comes only from that account, {org}'s agency lead or the panel (give "
                    "this report an id of its own if it is another concern)")
                result.errors.append(err)
                result.quarantined += 1
                rejected.append((err, text, digest))
                continue
            version = current[1] + 1 if current else 1
            held = current[2] if current else frozenset()
            index[_key(raw)] = latest[_key(raw)] = (0, version, held | {digest})
            extraction = checked.extraction or extract_report(raw, load_profile(checked.profile))
            items.append((_report_row(raw, version, digest, line), extraction))
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
        waiting[0] = 0

    for rec, checked in checked_records(records, name, workers):
        if progress:
            progress(1)
        try:
            if checked.error is not None:
                raise checked.error
            assert isinstance(rec.raw, dict)  # checked
            _own_organisation(store, rec.raw, name, rec.line)
        except RecordError as err:
            result.errors.append(err)
            result.quarantined += 1
            rejected.append((err, rec.text, checked.digest))
        else:
            pending.append((rec.raw, checked, rec.line, rec.text))
        waiting[0] += len(rec.text)
        if len(pending) >= BATCH or waiting[0] >= BATCH_CHARS:
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
