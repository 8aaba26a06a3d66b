"""``joinedup incidents``, ``stats`` and ``evidence``: the commands of the conflict profile.

They read what the incidents stage made of the store's conflict reports; the rest of the CLI
(ingest, alerts, decide, audit, export) is the same for both profiles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from joinedup.errors import InputError, JoinedupError

evidence_app = typer.Typer(
    help="Evidence items cited by reports: keep a file with its hash, verify what is held.",
    no_args_is_help=True,
)

EvidenceDir = Annotated[str, typer.Option(
    "--evidence-dir", envvar="JOINEDUP_EVIDENCE_DIR",
    help="Where the store keeps evidence files (default: beside an embedded store's file).")]


def _record(text: str) -> tuple[str, str]:
    org, slash, rid = text.partition("/")
    if not slash or not org or not rid:
        raise InputError(f"{text!r} is not a report", hint="write it as ORG/REPORT_ID")
    return org, rid


@evidence_app.command("collect")
def evidence_collect(
    report: Annotated[str, typer.Argument(help="The report the file is evidence of: ORG/ID.")],
    file: Annotated[Path, typer.Argument(help="The file to keep.")],
    kind: Annotated[str, typer.Option(
        help="Add the file as a new item of this kind (photo, video, satellite, document) "
             "instead of matching it to an item the report cites by its hash.")] = "",
    evidence_dir: EvidenceDir = "",
    db: Annotated[str, typer.Option("--db", envvar="JOINEDUP_DB")] = "",
) -> None:
    """Keep a file as evidence of a report: hash it, keep an original and a working copy,
    and log each step in its chain of custody."""
    from joinedup.cli.app import _fail, _open, out
    from joinedup.evidence import collect, evidence_folder
    from joinedup.store import default_url

    try:
        store = _open(db)
        folder = evidence_folder(db or default_url(), evidence_dir)
        held = collect(store, _record(report), file, folder, kind)
    except JoinedupError as err:
        _fail(err)
    said = {True: "matches the hash the report gave", None: "new item"}[held.matches_source]
    out.print(f"item {held.item}: {held.sha256} ({said}); original {held.original}", markup=False)


@evidence_app.command("verify")
def evidence_verify(
    db: Annotated[str, typer.Option("--db", envvar="JOINEDUP_DB")] = "",
    json_: Annotated[bool, typer.Option("--json", help="Print the documented JSON shape.")]
    = False,
) -> None:
    """Hash every file the store holds again and log the result in its chain of custody.
    Exit status 1 if any copy is missing or no longer matches its hash."""
    from joinedup.cli.app import _dump, _fail, _open, out
    from joinedup.evidence import verify

    try:
        rows = verify(_open(db))
    except JoinedupError as err:
        _fail(err)
    if json_:
        _dump(rows)
    else:
        for r in rows:
            state = "ok" if r["ok"] else "FAILED"
            out.print(f"{state} item {r['item']} ({r['kind']}, {r['report']}): {r['expected']}",
                      markup=False)
        out.print(f"{sum(r['ok'] for r in rows)} of {len(rows)} held items verified",
                  markup=False)
    if not all(r["ok"] for r in rows):
        raise typer.Exit(1)


@evidence_app.command("list")
def evidence_list(
    report: Annotated[str, typer.Argument(help="Only this report's items: ORG/ID.")] = "",
    db: Annotated[str, typer.Option("--db", envvar="JOINEDUP_DB")] = "",
) -> None:
    """Evidence items with their chain of custody, as JSON."""
    from joinedup.cli.app import _dump, _fail, _open

    try:
        rows = _open(db).evidence_items(_record(report) if report else None)
    except JoinedupError as err:
        _fail(err)
    _dump(rows)
