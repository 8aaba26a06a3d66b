"""Evidence items and their chain of custody (the conflict profile).

A report may cite photos, videos, satellite images and documents, each with the SHA-256 its
source gave. The store registers each as an item ("collected" from the report). When the
organisation holds the file itself, :func:`collect` hashes it, keeps an original (read-only) and
a working copy, each under its hash, and logs each step; :func:`verify` hashes the held copies
again and logs whether they still match. This follows the Berkeley Protocol on Digital Open Source
Investigations (2022) and Mnemonic's practice (conflict.md): preserve the item with its hash, keep
an original and a working copy, log collected, hashed, copied, transferred and verified. Every
custody entry is also in the audit log, whose hash chain makes the history tamper-evident.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joinedup.errors import InputError, NotFound
from joinedup.store import Store

Row = dict[str, Any]
CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (a video may be gigabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def evidence_folder(db_url: str, given: str = "") -> Path:
    """Where the store keeps the files it holds: ``given`` (``--evidence-dir``), or beside an
    embedded store's file (``joinedup.db`` → ``joinedup.evidence/``). A PostgreSQL store has
    no file to sit beside, so its folder must be given.

    Always an absolute path: the paths of held files are stored, and a relative one would be
    read against whatever folder ``evidence verify`` is later run from (a failure, or another
    file hashed in its place)."""
    if given:
        return Path(given).resolve()
    prefix = "sqlite:///"
    if db_url.startswith(prefix) and db_url[len(prefix):] not in ("", ":memory:"):
        return Path(db_url[len(prefix):]).with_suffix(".evidence").resolve()
    if db_url and "://" not in db_url and db_url != ":memory:":  # a bare path: a SQLite file
        return Path(db_url).with_suffix(".evidence").resolve()
    raise InputError(
        "this store has no folder of its own for evidence files: say where to keep them",
        hint="give --evidence-dir DIR (or set JOINEDUP_EVIDENCE_DIR)",
    )


def register_cited(store: Store, profile: str = "conflict") -> int:
    """Register the evidence items cited by reports not yet registered; return how many.

    Each becomes an item "collected" from its report, with the hash the source gave (not yet
    checked: the store does not hold the file until :func:`collect`).
    """
    added = 0
    for report in store.reports_without_evidence_items(profile):
        for i, item in enumerate(report["body"].get("evidence") or []):
            store.add_evidence_item(
                {"report": report["pk"], "kind": item["kind"], "sha256": item.get("sha256"),
                 "url": item.get("url"), "path": item.get("path")},
                [{"action": "collected", "sha256": item.get("sha256"),
                  "detail": {"from": f"{report['org']}/{report['report_id']}",
                             "item": i, "url": item.get("url")}}],
            )
            added += 1
    return added


@dataclass(frozen=True)
class Held:
    """What :func:`collect` did with one file."""

    item: int
    sha256: str
    original: Path
    working: Path
    matches_source: bool | None  # None when the source gave no hash


def collect(store: Store, report: tuple[str, str], file: Path, folder: Path,
            kind: str = "") -> Held:
    """Take a file into the store's keeping as evidence of ``report`` (``(org, id)``).

    The file is hashed; the item of the report with that hash (or, with ``kind``, a new item)
    gets an original, read-only, and a working copy under ``folder``, each named by the hash.
    A file whose hash differs from every hash the report gave is refused unless ``kind`` says
    it is a new item: a silent swap is what a chain of custody is there to catch.
    """
    if not file.is_file():
        raise InputError(f"{file}: no such file", hint="give the path of the file to keep")
    digest = sha256_of(file)
    items = store.evidence_items(report)
    if not items and not kind:
        raise NotFound(f"report {report[0]}/{report[1]} cites no evidence item",
                       hint="give --kind photo|video|satellite|document to add one")
    item = next((i for i in items if i["sha256"] == digest), None)
    if item is None and not kind:
        given = ", ".join(sorted({str(i["sha256"]) for i in items if i["sha256"]})) or "none"
        raise InputError(
            f"{file.name} hashes to {digest}, which is not a hash the report gave ({given})",
            hint="check it is the right file; give --kind to add it as a new item")
    if item is None:
        pk = store.report_key(*report)
        item_pk = store.add_evidence_item(
            {"report": pk, "kind": kind, "sha256": digest, "path": str(file)},
            [{"action": "collected", "sha256": digest, "detail": {"file": file.name}}])
        matches: bool | None = None
    else:
        item_pk, matches = item["pk"], True
    original, working = _keep(file, folder, digest)
    store.hold_evidence(item_pk, str(original), str(working), [
        {"action": "hashed", "sha256": digest, "detail": {"file": file.name}},
        {"action": "copied", "sha256": digest,
         "detail": {"original": str(original), "working": str(working)}},
    ])
    return Held(item_pk, digest, original, working, matches)


def _keep(file: Path, folder: Path, digest: str) -> tuple[Path, Path]:
    """Copy ``file`` to ``folder/ab/<hash>`` (read-only) and ``folder/ab/<hash>.working``, and
    check that both copies, made now or kept before, hash to ``digest``: the custody log
    records them under it. A copy made now that does not (the file changed after it was
    hashed) is removed; one kept before is left for whoever investigates.

    Raises:
        InputError: a link in place of a copy or of its folder (the store keeps files, and a
            copy written through a link would land anywhere), or a copy that does not hash
            to ``digest``.
    """
    home = folder / digest[:2]
    original, working = home / digest, home / f"{digest}.working"
    for path in (home, original, working):
        if path.is_symlink():
            raise InputError(f"{path} is a symbolic link: the evidence folder keeps the files "
                             "themselves", hint="remove the link and collect the file again")
    home.mkdir(parents=True, exist_ok=True)
    made = []
    if not original.exists():
        shutil.copyfile(file, original)
        made.append(original)
        os.chmod(original, stat.S_IRUSR | stat.S_IRGRP)
    if not working.exists():
        shutil.copyfile(file, working)
        made.append(working)
    wrong = [path for path in (original, working) if sha256_of(path) != digest]
    if wrong:
        for path in made:
            path.unlink()
        kept_before = [path for path in wrong if path not in made]
        raise InputError(
            f"{', '.join(map(str, wrong))} does not hash to {digest}"
            + (": the file changed while it was being kept" if not kept_before else
               ": a copy already in the evidence folder was changed or swapped"),
            hint="collect the file again once it no longer changes" if not kept_before else
            "run `joinedup evidence verify` to log which items it fails, and investigate")
    return original, working


def _held_hash(path: Path) -> str | None:
    """The SHA-256 of a copy the store holds, or None when it is missing or is not a file of
    its own (a link to a file elsewhere is not in the store's keeping)."""
    if path.is_symlink() or not path.is_file():
        return None
    return sha256_of(path)


def verify(store: Store) -> list[Row]:
    """Hash every held original and working copy again; log ``verified`` or ``failed``.

    Returns one row per held item: its report, the expected hash and what each copy hashes to
    now (None for a copy that is missing, or replaced by a link).
    """
    out = []
    for item in store.evidence_items():
        if not item["original"]:
            continue
        seen = {name: _held_hash(Path(item[name])) for name in ("original", "working")}
        ok = all(v == item["sha256"] for v in seen.values())
        store.add_custody(item["pk"], [{
            "action": "verified" if ok else "failed", "sha256": seen["original"],
            "detail": {"expected": item["sha256"], **seen}}])
        out.append({"item": item["pk"], "report": f"{item['org']}/{item['report_id']}",
                    "kind": item["kind"], "expected": item["sha256"], "ok": ok, **seen})
    return out
