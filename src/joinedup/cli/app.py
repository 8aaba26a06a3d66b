"""``joinedup``: import reports, resolve who and what they mention, and show explained alerts.

Every command turns a :class:`~joinedup.errors.JoinedupError` into one line of cause and one of
what to do next (exit status 2); a bug still shows its traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from joinedup.cli import render
from joinedup.cli.conflict import evidence_app
from joinedup.cli.conflict import incidents as conflict_incidents
from joinedup.cli.conflict import stats as conflict_stats
from joinedup.cli.db import db_app
from joinedup.errors import AccessDenied, InputError, JoinedupError, NotFound
from joinedup.store import Store, default_url
from joinedup.store.gate import Actor
from joinedup.store.store import AuditForked

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
console = Console(stderr=True, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[
    str,
    typer.Option(
        "--db", envvar="JOINEDUP_DB", help="Store URL: a SQLite path or a PostgreSQL URL."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the documented JSON shape.")]


def _fail(err: JoinedupError, code: int = 2) -> None:
    console.print(f"[red]error:[/red] {err.message}", markup=True, highlight=False)
    if err.hint:
        console.print(f"  what to do: {err.hint}", highlight=False)
    raise typer.Exit(code)


class _Who:
    """Who the command acts as (``--as``, ``--partnership``), settled before it runs."""

    account: str = ""
    partnership: str = "default"


@app.callback()
def _acting_as(
    as_: Annotated[str, typer.Option(
        "--as", envvar="JOINEDUP_AS",
        help="Act as this account (its password is asked for, or read from "
             "JOINEDUP_PASSWORD). Needed once the store has accounts.")] = "",
    partnership: Annotated[str, typer.Option(
        envvar="JOINEDUP_PARTNERSHIP", help="The partnership the account belongs to.")]
        = "default",
) -> None:
    _Who.account = as_.strip()
    _Who.partnership = partnership.strip() or "default"


def _open(db: str, migrate: bool = True) -> Store:
    """The store, acting as the account named by ``--as`` under its role's rules; as the
    local account only while no partnership of the store has an account (the embedded
    single-user store, the demo). Migrated first unless ``migrate`` is false."""
    from joinedup.access import account_actor, authenticate
    from joinedup.access.policy import RolePolicy

    store = Store.open(db or default_url(), create=migrate)  # with its default partnership
    local = Store(store.engine, Actor.local(_Who.partnership))
    if not _Who.account:
        if local.has_accounts(anywhere=True):
            raise AccessDenied(
                "this store has accounts: act as one of them",
                hint="give --as NAME before the command (or set JOINEDUP_AS); the password is "
                     "asked for, or read from JOINEDUP_PASSWORD")
        local.ensure_partnership(_Who.partnership, _Who.partnership)
        return local
    password = os.environ.get("JOINEDUP_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise AccessDenied(f"no password for {_Who.account}",
                               hint="set JOINEDUP_PASSWORD, or run the command in a terminal")
        password = typer.prompt(f"password for {_Who.account}", hide_input=True)
    account = authenticate(local, _Who.account, password)
    return Store(local.engine, account_actor(account), RolePolicy())


def _system(store: Store) -> Store:
    """The engine's own store of the same partnership: resolution, corroboration and alerting
    run as the system, whoever set them off (a reporter may import, not read)."""
    return Store(store.engine, Actor.local(store.partnership))


def _dump(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


@app.command()
def init(db: DbOption = "") -> None:
    """Create the store (or bring its schema up to date). It reads and writes no records, so it
    acts as no account: whoever holds the database's credentials may migrate it."""
    try:
        store = Store.open(db or default_url())
    except JoinedupError as err:
        _fail(err)
    out.print(f"store ready: {store.engine.url.render_as_string(hide_password=True)}")


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(
        help="JSON Lines or JSON array files of reports; text files (.txt) and emails (.eml) "
             "as narrative-only reports.")],
    db: DbOption = "",
    quiet: bool = False,
    agency: Annotated[str, typer.Option(help="Text files: the kind of agency they come from")]
        = "",
    org: Annotated[str, typer.Option(help="Text files: the organisation")] = "",
    reporter: Annotated[str, typer.Option(help="Text files: who wrote them")] = "",
    reported_at: Annotated[str, typer.Option(
        "--reported-at", help="Text files: when they were written (YYYY-MM-DD); an email's "
                              "Date header otherwise")] = "",
    format_: Annotated[str, typer.Option(
        "--format", help="CSV files: ucdp (UCDP GED, a report per source article), "
                         "ucdp-dataset (a report per event) or acled; found from the header "
                         "when not given")] = "",
) -> None:
    """Import reports, then resolve, corroborate and alert.

    Exit status: 0 all records accepted, 1 some quarantined (listed with file:line: field: reason),
    2 unusable input (unreadable, not JSON).
    """
    from joinedup.ingest.importer import (
        dataset_format,
        import_dataset,
        import_file,
        import_text_file,
    )
    from joinedup.ingest.text import TextSource, is_text_file
    from joinedup.pipeline import process_new

    code = 0
    added: list[int] = []
    texts = [p for p in files if is_text_file(p)]
    try:
        if texts and not (agency and org):
            raise InputError(f"{texts[0]} is text: say where it comes from",
                             hint="give --agency and --org (and --reporter, --reported-at)")
        source = TextSource(agency, org, reporter or None, reported_at or None)
        store = _open(db)
        for path in files:
            if is_text_file(path):
                result = import_text_file(store, path, source)
                for err in result.errors:
                    console.print(f"quarantined {err}", highlight=False, markup=False)
                out.print(f"{path}: {result.accepted} accepted, {result.unchanged} unchanged, "
                          f"{result.quarantined} quarantined")
                code = max(code, result.exit_code)
                added += result.reports
                continue
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                disable=quiet,
            ) as bar:
                dataset = format_ or dataset_format(path)
                task = bar.add_task(f"importing {path.name}",
                                    total=None if dataset else _count_lines(path))
                result = (import_dataset(store, path, dataset,
                                         progress=partial(bar.advance, task)) if dataset
                          else import_file(store, path, progress=partial(bar.advance, task)))
            for err in result.errors[:50]:
                console.print(f"quarantined {err}", highlight=False, markup=False)
            if len(result.errors) > 50:
                console.print(f"... and {len(result.errors) - 50} more (joinedup quarantine)")
            out.print(
                f"{path}: {result.accepted} accepted, {result.unchanged} unchanged, "
                f"{result.quarantined} quarantined"
            )
            code = max(code, result.exit_code)
            added += result.reports
        with console.status("reading narratives, resolving, corroborating, alerting"):
            s = process_new(_system(store), added)
        out.print(
            f"{s.reports} reports, {s.entities} entities, {s.alerts} alerts ({s.new_alerts} new)"
        )
    except InputError as err:
        _fail(err, 2)
    except JoinedupError as err:
        _fail(err)
    raise typer.Exit(code)


def _count_lines(path: Path) -> int | None:
    try:
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return None


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(
        help="Text files (.txt), emails (.eml), or JSON Lines / JSON files of reports")],
    json_: JsonOption = False,
    reported_at: Annotated[str, typer.Option(
        "--reported-at", help="The day the texts were written (YYYY-MM-DD), for relative "
                              "dates; an email's Date header or a report's reported_at "
                              "otherwise")] = "",
    sign_model: Annotated[bool | None, typer.Option(
        "--sign-model/--no-sign-model",
        help="Also read warning signs with the learned model (needs the model extra); "
             "default: as the profile says")] = None,
) -> None:
    """Print what each narrative names (people, nicknames, places, vehicles, phones, dates,
    links, warning signs) as proposals with their spans and confidence. Reads no store."""
    from joinedup.extract.propose import proposals_of_file

    results: list[dict[str, Any]] = []
    try:
        for path in files:
            if not path.is_file():
                raise InputError(f"{path}: no such file", hint="check the path")
            results += proposals_of_file(path, reported_at, sign_model)
    except JoinedupError as err:
        _fail(err)
    if json_:
        _dump(results)
        return
    for r in results:
        out.print(f"{r['file']}:{r['line']} {r['report']} ({r['reported_at']})", markup=False)
        for p in r["proposals"]:
            role = f" ({p['role']})" if p.get("role") else ""
            out.print(f"  {p['start']:>5}-{p['end']:<5} {p['type']:<9} {p['value']}{role}  "
                      f"\"{p['text']}\"  {p['confidence']:.2f}", markup=False)


@app.command()
def entities(
    db: DbOption = "",
    type_: Annotated[
        str | None, typer.Option("--type", help="person, place, vehicle or phone")
    ] = None,
    json_: JsonOption = False,
) -> None:
    """List resolved people, places, vehicles and phones with their corroboration."""
    try:
        rows = render.entities_json(_open(db), type_)
    except JoinedupError as err:
        _fail(err)
    if json_:
        _dump(rows)
        return
    for e in rows:
        aliases = f" aka {', '.join(e['aliases'])}" if e["aliases"] else ""
        out.print(
            f"{e['id']:<10} {e['type']:<8} {e['label']}{aliases}: {len(e['mentions'])} "
            f"mentions, {e['informants']} independent informants, agencies "
            f"{', '.join(e['agencies'])}"
        )


@app.command()
def alerts(
    db: DbOption = "",
    json_: JsonOption = False,
    all_: Annotated[bool, typer.Option("--all", help="Include withdrawn alerts.")] = False,
) -> None:
    """List alerts with their evidence and the report that raised each."""
    try:
        rows = render.alerts_json(_open(db), None if all_ else "open")
    except JoinedupError as err:
        _fail(err)
    if json_:
        _dump(rows)
        return
    for a in rows:
        out.print(
            f"{a['id']} [{a['level']}] {a['rule']}: {a['subject']['label']} "
            f"({a['subject']['type']}) - {a['informants']} informants, agencies "
            f"{', '.join(a['agencies'])}; raised by {a['raised_by']['org']}/"
            f"{a['raised_by']['report']} on {a['raised_by']['reported_at'][:10]}"
            + (f"; unconfirmed (not checked by a person): {', '.join(a['unconfirmed_refs'])}"
               if a["unconfirmed_refs"] else "")
        )


@app.command()
def explain(alert_id: str, db: DbOption = "") -> None:
    """Show an alert's evidence chain, report by report."""
    try:
        out.print(render.explain_text(_open(db), alert_id), markup=False)
    except JoinedupError as err:
        _fail(err)


@app.command()
def train(db: DbOption = "") -> None:
    """Retrain the person model on this store's own records (Splink EM), then reprocess.

    For records unlike the generated ones the shipped model learned from (other countries'
    names, other identifiers). The store keeps its own model from then on.
    """
    from joinedup.pipeline import train_person_model

    try:
        store = _open(db)
        store.gate.check("run", "pipeline/train")
        with console.status("training the person model with Splink"):
            model = train_person_model(_system(store))
    except JoinedupError as err:
        _fail(err)
    out.print(f"trained: prior {model.prior:.3g}; the store now resolves with its own model")


@app.command()
def resolve(db: DbOption = "") -> None:
    """Resolve, corroborate and alert over the whole store again (a full run).

    `ingest` resolves a few new reports incrementally; a full run also reconsiders merges
    between entities that earlier reports had kept apart.
    """
    from joinedup.pipeline import process

    try:
        store = _open(db)
        store.gate.check("run", "pipeline/resolve")
        with console.status("resolving the whole store"):
            s = process(_system(store))
    except JoinedupError as err:
        _fail(err)
    out.print(f"{s.reports} reports, {s.entities} entities, {s.alerts} alerts ({s.new_alerts} new)")


def _mention(store: Store, text: str) -> int:
    org, _, rest = text.partition("/")
    report_id, _, ref = rest.rpartition("#")
    if not org or not report_id or not ref:
        raise InputError(
            f"{text!r} does not name a mention",
            hint="write it as ORG/REPORT_ID#REF, as `joinedup entities --json` shows",
        )
    return store.mention_pk(org, report_id, ref)


def _decide_pair(a: str, b: str, decision: str, reason: str, db: str) -> None:
    """A decision on two mentions (ORG/ID#REF), or, given two reports (ORG/ID), on whether they
    describe one incident (the conflict profile)."""
    from joinedup.pipeline import process

    try:
        store = _open(db)
        if "#" not in a and "#" not in b:
            store.add_incident_decision(_report(a), _report(b), decision, reason)
        else:
            store.add_pair_decision(_mention(store, a), _mention(store, b), decision, reason)
        with console.status("joining up again with the decision"):
            process(_system(store))
    except JoinedupError as err:
        _fail(err)
    out.print(f"{decision} recorded for {a} and {b}; it holds on every later run")


def _report(text: str) -> tuple[str, str]:
    org, slash, report_id = text.partition("/")
    if not slash or not org or not report_id:
        raise InputError(f"{text!r} does not name a report or a mention",
                         hint="write ORG/REPORT_ID (two reports: one incident or two) or "
                              "ORG/REPORT_ID#REF (two mentions: one person or two)")
    return org, report_id


@app.command()
def confirm(
    a: str, b: str, reason: Annotated[str, typer.Option(help="Why (kept)")], db: DbOption = ""
) -> None:
    """Record that two mentions are one person (ORG/REPORT#REF each), or that two reports
    describe one incident (ORG/REPORT each), then join up again."""
    _decide_pair(a, b, "confirm", reason, db)


@app.command()
def split(
    a: str, b: str, reason: Annotated[str, typer.Option(help="Why (kept)")], db: DbOption = ""
) -> None:
    """Record that two mentions are different people, or two reports two incidents, then
    join up again."""
    _decide_pair(a, b, "split", reason, db)


@app.command()
def merges(entity: str, db: DbOption = "") -> None:
    """Why the mentions of an entity were put together: each merge's weight and reasons."""
    try:
        store = _open(db)
        names = store.mention_names(store.members_of([entity]).get(entity, []))
        edges = store.merge_edges(entity)
    except JoinedupError as err:
        _fail(err)
    if not names:
        _fail(NotFound(f"no entity {entity!r}", hint="list entities with `joinedup entities`"))
    for e in edges:
        reasons = "; ".join(f"{r['comparison']}: {r['level']}" for r in e["reasons"])
        out.print(
            f"{names.get(e['a'], e['a'])} ~ {names.get(e['b'], e['b'])}  "
            f"weight {e['weight']:+.1f}  ({reasons})",
            markup=False,
        )


@app.command()
def possible(entity: str, db: DbOption = "", json_: JsonOption = False) -> None:
    """Who may be the same person as an entity although the resolver kept them apart (a
    nickname alone, say): each with the two mentions compared, the weight and the reasons.
    Confirm a pair with `joinedup confirm`, or say it is two people with `joinedup split`."""
    from joinedup.resolve.possible import described

    try:
        store = _open(db)
        rows = described(store, entity)
    except JoinedupError as err:
        _fail(err)
    if json_:
        _dump(rows)
        return
    if not rows:
        out.print(f"nobody the resolver weighed as possibly {entity}", markup=False)
    for r in rows:
        reasons = "; ".join(f"{x['comparison']}: {x['level']} ({x['bayes_factor_log2']:+.1f})"
                            for x in r["reasons"])
        out.print(
            f"{r['entity']['id']} {r['entity']['label']}  weight {r['weight']:+.1f} "
            f"(probability {r['probability']:.2f}, as wholes {r['mean_weight']})  "
            f"{r['own']} ~ {r['mention']}  ({reasons})",
            markup=False,
        )


@app.command()
def quarantine(db: DbOption = "", json_: JsonOption = False) -> None:
    """List quarantined records: file, line, field and reason."""
    try:
        rows = _open(db).quarantine_rows()
    except JoinedupError as err:
        _fail(err)
    if json_:
        _dump([{k: r[k] for k in ("file", "line", "field", "reason", "raw")} for r in rows])
        return
    for r in rows:
        out.print(f"{r['file']}:{r['line']}: {r['field']}: {r['reason']}", markup=False)


@app.command()
def generate(
    out_dir: Annotated[Path, typer.Argument(help="Folder for reports.jsonl, truth.json")],
    seed: int = 1,
    reports: int = 1000,
    children: Annotated[
        int | None, typer.Option(help="Children in planted networks (default scales with reports)")
    ] = None,
    narratives_only: Annotated[
        bool,
        typer.Option(help="Each report as prose only: its source, date and a narrative that says "
                     "what its fields would (the truth still names the fields' refs)"),
    ] = False,
) -> None:
    """Write a fictional scenario and its ground truth."""
    from joinedup.generate import Scenario, generate_scenario, write_scenario
    from joinedup.generate import narratives_only as bare

    out_dir.mkdir(parents=True, exist_ok=True)
    s = generate_scenario(seed=seed, reports=reports, children=children)
    if narratives_only:
        s = Scenario(bare(s.reports, seed), s.truth)
    write_scenario(s, out_dir / "reports.jsonl", out_dir / "truth.json")
    out.print(
        f"wrote {len(s.reports)} reports to {out_dir / 'reports.jsonl'} "
        f"and the truth to {out_dir / 'truth.json'}"
    )


@app.command()
def demo(
    db: DbOption = "",
    profile: Annotated[str, typer.Option(
        help="safeguarding (a fictional multi-agency scenario) or conflict (fictional reports "
             "modelled on Aleppo 2016 and the real UCDP GED Aleppo 2016 extract)")]
        = "safeguarding",
) -> None:
    """Load a bundled demo into the store and print what joined up."""
    from joinedup.cli.conflict import conflict_summary, load_conflict_demo
    from joinedup.cli.summary import load_demo, summary

    if profile not in ("safeguarding", "conflict"):
        _fail(InputError(f"no demo for the profile {profile!r}",
                         hint="use --profile safeguarding or --profile conflict"))
    try:
        store = _open(db)
        if profile == "conflict":
            with console.status("importing and joining up the conflict demo"):
                load_conflict_demo(store, _system(store))
            out.print(conflict_summary(store), markup=False)
            return
        load_demo(store, _system(store))
        out.print(summary(store), markup=False)
    except JoinedupError as err:
        _fail(err)


@app.command()
def export(
    out_file: Annotated[Path, typer.Argument(help="The JSON Lines file to write")],
    org: Annotated[str, typer.Option(help="Only this organisation's reports")] = "",
    include: Annotated[list[str] | None, typer.Option(
        help="A withheld part to include, if your role may: narratives, "
             "protected_attributes, victims (repeat for several)")] = None,
    db: DbOption = "",
) -> None:
    """Write the reports as JSON Lines (input contract v1). Narratives, protected
    attributes and (conflict reports) victims' personal data are withheld unless included,
    and only the roles each report's profile names may include them; every export is in the
    audit log."""
    from joinedup.export import export_reports

    partial_file = out_file.with_name(out_file.name + ".partial")
    try:
        store = _open(db)
        with partial_file.open("w", encoding="utf-8") as fh:
            result = export_reports(store, fh, org=org, include=include or [])
        partial_file.replace(out_file)
    except JoinedupError as err:
        partial_file.unlink(missing_ok=True)
        _fail(err)
    except OSError as exc:
        partial_file.unlink(missing_ok=True)
        _fail(InputError(f"cannot write {out_file}: {exc.strerror}",
                         hint="choose a folder you can write to"))
    label = {"narratives": "free-text fields (narratives, descriptions)",
             "protected_attributes": "protected attribute values",
             "victims": "victims' personal details"}
    withheld = ", ".join(f"{n} {label[p]}" for p, n in result.withheld.items() if n)
    out.print(f"{result.reports} reports written to {out_file}"
              + (f"; withheld: {withheld}" if withheld else ""), markup=False)


@app.command()
def decide(
    alert_id: str,
    action: Annotated[str, typer.Option(help="An action of the profile's decisions.yaml")],
    owner: Annotated[str, typer.Option(help="Who owns the action")],
    rationale: Annotated[str, typer.Option(help="Why (required)")],
    due: Annotated[str, typer.Option(help="Due date, YYYY-MM-DD (not needed to close)")] = "",
    db: DbOption = "",
) -> None:
    """Record the panel's decision on an alert. A rationale that frames a child's
    exploitation as consent or a 'lifestyle choice' is refused, whatever the action."""
    from joinedup.decide import record_decision

    try:
        row = record_decision(
            _open(db), alert_id, action=action, owner=owner, rationale=rationale, due=due
        )
    except JoinedupError as err:
        _fail(err)
    due_text = f", due {row['due']}" if row["due"] else ""
    out.print(f"{alert_id}: {row['action']} by {row['owner']}{due_text} recorded", markup=False)


@app.command()
def serve(
    db: DbOption = "",
    host: Annotated[str, typer.Option(help="Address to listen on (keep it local until "
                                      "sign-in exists)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Serve the panel's web app (alerts, evidence, network, map, concern form) and its API."""
    import uvicorn

    from joinedup.web.app import create_app

    try:
        web = create_app(db or default_url())
    except JoinedupError as err:
        _fail(err)
    out.print(f"joinedup is serving {db or default_url()} at http://{host}:{port}/ "
              "(Ctrl+C stops it)", markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning")


def _moment(at: str) -> datetime:
    """``--at``: an ISO 8601 moment (UTC unless it says otherwise), or now."""
    try:
        moment = datetime.fromisoformat(at) if at else datetime.now(UTC)
    except ValueError:
        _fail(InputError(f"--at {at!r} is not a moment", hint="write it as 2009-03-02T09:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command()
def overdue(
    db: DbOption = "",
    json_: JsonOption = False,
    at: Annotated[str, typer.Option(help="As of this moment (ISO 8601, UTC), not now; to "
                                         "list only, not with --escalate")] = "",
    escalate: Annotated[bool, typer.Option(
        "--escalate", help="Escalate each to the named panel lead (once for each deadline "
                           "missed; run it each working morning)")] = False,
) -> None:
    """Alerts without a decision past their statutory deadline (one working day, England and
    Wales bank holidays), and actions past their due date: what goes to the panel lead.
    --escalate escalates at the real time, so it does not take --at."""
    from joinedup.decide.escalation import escalate_overdue
    from joinedup.web.views import inbox

    if at and escalate:
        _fail(InputError("--escalate escalates now: it does not take --at",
                         hint="leave out --at to escalate; --at alone lists what will be "
                              "overdue then"))
    moment = _moment(at)
    made: list[dict[str, Any]] = []
    try:
        store = _open(db)
        rows, page = [], 1
        while True:
            found = inbox(store, status="overdue", sort="waiting", page=page, now=moment)
            rows += found["rows"]
            if page >= found["pages"]:
                break
            page += 1
        if escalate:
            made = escalate_overdue(store, rows, moment)
    except JoinedupError as err:
        _fail(err)
    now_escalated = {m["alert"]: m for m in made}
    if json_:
        _dump([{**r, "escalated": r["escalated"] or (
            {"lead": now_escalated[r["id"]]["lead"],
             "at": now_escalated[r["id"]]["escalated_at"].isoformat(),
             "by": now_escalated[r["id"]]["escalated_by"]}
            if r["id"] in now_escalated else None)} for r in rows])
        return
    for r in rows:
        what = (f"no decision, due by {r['decision_deadline'][:16]} UTC"
                if r["decision"] == "awaiting"
                else f"{r['latest_action']} due {r['latest_due']} ({r['latest_owner']})")
        if r["id"] in now_escalated:
            where = f"escalated now to {now_escalated[r['id']]['lead']}"
        elif r["escalated"]:
            where = f"escalated to {r['escalated']['lead']} on {r['escalated']['at'][:10]}"
        else:
            where = f"escalate to {r['escalate_to']}" + (
                f" ({r['panel_lead']})" if r["panel_lead"] else "")
        out.print(f"{r['id']} {r['rule']:<24} {r['subject']['label']:<28} {what}; {where}",
                  markup=False)
    out.print(f"{len(rows)} overdue" + (f", {len(made)} escalated now" if escalate else ""),
              markup=False)


@app.command()
def retention(
    db: DbOption = "",
    json_: JsonOption = False,
    at: Annotated[str, typer.Option(help="As of this moment (ISO 8601, UTC), not now; to "
                                         "list only, not with --delete")] = "",
    delete: Annotated[str, typer.Option(
        help="After the review: delete this report (ORG/REPORT_ID), if it is past the period "
             "and nothing keeps it")] = "",
    reason: Annotated[str, typer.Option(help="Why it may go (kept in the audit log)")] = "",
) -> None:
    """Reports past their profile's retention period (counted from when the store received
    them), listed for review: each with the open alerts that still cite it. The system deletes
    nothing on its own; after the review, --delete removes one report at the real time (it
    does not take --at), leaving an audit entry, and resolves the store again."""
    from joinedup.decide.retention import reports_due

    if delete:
        if at:
            _fail(InputError("--delete deletes now, by the real clock: it does not take --at",
                             hint="leave out --at to delete; --at alone lists what will be "
                                  "due then"))
        _delete_reviewed(db, delete, reason)
        return
    moment = _moment(at)
    try:
        store = _open(db)
        due = reports_due(store, moment)
        citing: dict[int, list[str]] = {}
        for a in store.alerts("open"):
            for pk in a["evidence"]:
                citing.setdefault(pk, []).append(a["id"])
    except JoinedupError as err:
        _fail(err)
    rows = [{"org": r["org"], "report": r["report_id"], "agency": r["agency"],
             "profile": r["profile"], "period": r["period"],
             "reported_at": r["reported_at"].isoformat(),
             "received_at": r["received_at"].isoformat() if r["received_at"] else None,
             "open_alerts": citing.get(r["pk"], [])}
            for r in due]
    if json_:
        _dump(rows)
        return
    for r in rows:
        held = f"; cited by {', '.join(r['open_alerts'])}" if r["open_alerts"] else ""
        got = f", received {r['received_at'][:10]}" if r["received_at"] else ""
        out.print(f"{r['reported_at'][:10]} {r['org']}/{r['report']} ({r['agency']}{got}; "
                  f"{r['profile']}: {r['period']}){held}", markup=False)
    out.print(f"{len(rows)} reports past their retention period, for review", markup=False)


def _delete_reviewed(db: str, record: str, reason: str) -> None:
    from joinedup.decide.retention import delete_after_review

    org, _, report_id = record.partition("/")
    try:
        if not org or not report_id:
            raise InputError(f"{record!r} does not name a report", hint="write ORG/REPORT_ID")
        store = _open(db)
        with console.status("deleting, then resolving the store again"):
            done = delete_after_review(store, _system(store), org, report_id, reason)
    except JoinedupError as err:
        _fail(err)
    out.print(f"deleted {done['report']}: {done['versions']} version(s), {done['mentions']} "
              f"mentions, {done['pair_decisions']} merge judgements; the audit log keeps the "
              "deletion and its reason", markup=False)


account_app = typer.Typer(help="Accounts of the partnership (roles; argon2 passwords).",
                          no_args_is_help=True)
app.add_typer(account_app, name="account")
token_app = typer.Typer(help="API tokens for system-to-system import (kept hashed).",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


@account_app.command("add")
def account_add(
    name: str,
    role: Annotated[str, typer.Option(help="reporter, agency_lead, panel, analyst or admin")],
    agency: Annotated[str, typer.Option(help="The agency (reporter, agency_lead)")] = "",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input, not a prompt")] = False,
    no_password: Annotated[bool, typer.Option(
        "--no-password", "--oidc", help="Sign-in by OpenID Connect only")] = False,
    db: DbOption = "",
) -> None:
    """Add an account. The password is asked for (hidden) unless given on standard input."""
    from joinedup.access import create_account

    password: str | None = None
    if not no_password:
        password = (sys.stdin.readline().rstrip("\n") if password_stdin
                    else typer.prompt("password", hide_input=True, confirmation_prompt=True))
    try:
        store = _open(db)
        if store.actor.role == "system" and not store.has_accounts(anywhere=True) \
                and role != "admin":
            raise InputError(
                "the first account is an admin: from then on, commands act as an account",
                hint=f"add one first: joinedup account add NAME --role admin; then "
                     f"joinedup --as NAME account add {name} --role {role}")
        create_account(store, name, role, password, agency or None)
    except JoinedupError as err:
        _fail(err)
    out.print(f"account {name} ({role}{', ' + agency if agency else ''}) added", markup=False)


@account_app.command("list")
def account_list(db: DbOption = "") -> None:
    """Accounts, roles, agencies, and whether each is active or locked."""
    try:
        rows = _open(db).accounts()
    except JoinedupError as err:
        _fail(err)
    for r in rows:
        state = "active" if r["active"] else "disabled"
        if r["locked_until"]:
            state += f", locked until {r['locked_until']:%Y-%m-%d %H:%M}"
        out.print(f"{r['name']:<24} {r['role']:<12} {r['agency'] or '-':<16} {state}",
                  markup=False)


@account_app.command("lead")
def account_lead(name: str, db: DbOption = "") -> None:
    """Name the partnership's panel lead (a panel account): overdue items go to them."""
    from joinedup.decide.escalation import name_panel_lead

    _change_account(name_panel_lead, name, db, "is the panel lead")


@account_app.command("unlock")
def account_unlock(name: str, db: DbOption = "") -> None:
    """Lift the lock of repeated failed sign-ins."""
    from joinedup.access import unlock

    _change_account(unlock, name, db, "unlocked")


@account_app.command("disable")
def account_disable(name: str, db: DbOption = "") -> None:
    """Stop an account signing in, and end its web sessions (its history stays)."""
    from joinedup.access import disable

    _change_account(disable, name, db, "disabled; its sessions have ended")


@account_app.command("sign-out")
def account_sign_out(name: str, db: DbOption = "") -> None:
    """End every web session of an account, in every browser (a lost laptop, a copied
    cookie); it may sign in again."""
    from joinedup.access import end_sessions

    _change_account(end_sessions, name, db, "signed out everywhere")


@account_app.command("password")
def account_password(
    name: str,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the new password from standard input, not a prompt")]
        = False,
    db: DbOption = "",
) -> None:
    """Set an account's password (an admin), or change one's own; its web sessions end.

    An admin sets or resets any account's password; an account changes its own, acting as
    itself (--as NAME, with its current password). Only an admin may give a password to an
    account that signs in by OpenID Connect only. The new password is asked for twice
    (hidden) unless given on standard input. Every web session of NAME ends; its API tokens
    stay good (revoke them with `joinedup token revoke`)."""
    from joinedup.access import set_password

    try:
        store = _open(db)  # who acts, first: no new password is typed for nothing
        password = (sys.stdin.readline().rstrip("\n") if password_stdin
                    else typer.prompt("new password", hide_input=True, confirmation_prompt=True))
        set_password(store, name, password)
    except JoinedupError as err:
        _fail(err)
    out.print(f"account {name}: password set; its web sessions have ended (its API tokens "
              "stay good)", markup=False)


def _change_account(change: Callable[[Store, str], None], name: str, db: str, done: str) -> None:
    try:
        change(_open(db), name)
    except JoinedupError as err:
        _fail(err)
    out.print(f"account {name} {done}", markup=False)


@token_app.command("issue")
def token_issue(
    account: str,
    name: Annotated[str, typer.Option(help="What the token is for")],
    scope: Annotated[list[str], typer.Option(help="reports:write")],
    expires_days: Annotated[int, typer.Option(
        help="Days until it expires (1 to 3650); every token expires")] = 365,
    db: DbOption = "",
) -> None:
    """Issue a token; it is printed this once and kept only as a hash. It expires after
    --expires-days (a year by default): issue a new one before then."""
    from joinedup.access import issue_token, token_expiry

    now = datetime.now(UTC)
    try:
        pk, text = issue_token(_open(db), account, name, scope, now=now, days=expires_days)
    except JoinedupError as err:
        _fail(err)
    expires = token_expiry(now, expires_days)
    console.print(f"token {pk} for {account}, expires {expires:%Y-%m-%d %H:%M} UTC; keep it "
                  "now, it is not shown again:", highlight=False)
    out.print(text, markup=False)


@token_app.command("revoke")
def token_revoke(token_id: int, db: DbOption = "") -> None:
    """Revoke a token by its id."""
    from joinedup.access import revoke_token

    try:
        revoke_token(_open(db), token_id)
    except JoinedupError as err:
        _fail(err)
    out.print(f"token {token_id} revoked", markup=False)


audit_app = typer.Typer(help="Check the audit log, and answer who saw a record.",
                        no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")
app.add_typer(evidence_app, name="evidence")
app.command("incidents")(conflict_incidents)
app.command("stats")(conflict_stats)


@audit_app.command("verify")
def audit_verify(
    expect: Annotated[str, typer.Option(
        help="A head recorded earlier (SEQ:HASH from `joinedup audit head`): the log must "
             "still reach it unchanged")] = "",
    db: DbOption = "",
) -> None:
    """Recompute the hash chain; name the first edited, deleted or reordered entry (exit 1).
    Then check every decision of the partnership against its audit entry, and name the first
    one edited, added or deleted in the table (exit 1)."""
    from joinedup.audit import check_decisions, parse_head, verify

    try:
        try:
            store = _open(db)
        except AuditForked:  # the store refuses to migrate until the fork is seen to: show it
            store = _open(db, migrate=False)
        store.gate.check("read", "audit")  # who may check it, before anything is read
        # read by the system, as who-saw does: an admin checks decisions without reading them;
        # in one snapshot with the log, or a decision recorded between looks deleted
        rows, decisions = _system(store).audit_with_decisions()
        verdict = verify(rows, parse_head(expect) if expect else None)
        checked = check_decisions(decisions, rows, store.partnership) if verdict.ok else None
        store.audit_note("verify", "audit", ok=verdict.ok, checked=verdict.checked,
                         decisions_ok=bool(checked and checked.ok))
    except JoinedupError as err:
        _fail(err)
    if not verdict.ok:
        console.print(f"[red]the audit log is broken:[/red] {verdict.reason} "
                      f"({verdict.checked} entries before it are whole)", highlight=False)
        raise typer.Exit(1)
    if checked is not None and not checked.ok:
        console.print(f"[red]a decision does not match the audit log:[/red] {checked.reason} "
                      f"({checked.checked} decisions before it match)", highlight=False)
        raise typer.Exit(1)
    out.print(f"the audit log is whole: {verdict.checked} entries, head "
              f"{verdict.checked}:{verdict.head}", markup=False)
    if checked is not None:
        unchecked = (f"; {checked.unchecked} recorded before entries held a decision's "
                     "content" if checked.unchecked else "")
        out.print(f"the decisions match it: {checked.checked} checked{unchecked}",
                  markup=False)


@audit_app.command("head")
def audit_head(db: DbOption = "") -> None:
    """Print the newest entry as SEQ:HASH. Keep it somewhere else: `audit verify --expect`
    then shows whether newer entries were deleted since."""
    try:
        rows = _open(db).audit_rows()
    except JoinedupError as err:
        _fail(err)
    last = rows[-1] if rows else None
    out.print(f"{last['seq']}:{last['hash']}" if last else "0:" + "0" * 64, markup=False)


@audit_app.command("who-saw")
def audit_who_saw(
    record: Annotated[str, typer.Argument(
        help="An alert id, an entity id, or a report as ORG/REPORT_ID")],
    db: DbOption = "",
    json_: JsonOption = False,
) -> None:
    """Every read and write of a record: for a report, also of the alerts that show it; for an
    entity, also of the alerts about it."""
    from joinedup.audit import who_saw

    try:
        store = _open(db)
        log = store.audit_rows()  # before this question's own reads are added to it
        store.gate.check("who-saw", f"audit/{record}")
        # which alerts show the record is found by the system: an admin answers who saw a
        # record without reading it
        rows = who_saw(log, _record_targets(_system(store), record), store.partnership)
        store.audit_note("who-saw", f"audit/{record}", entries=len(rows))
    except JoinedupError as err:
        _fail(err)
    if json_:
        _dump(rows)
        return
    for r in rows:
        out.print(f"{r['seq']:>7} {r['at']:%Y-%m-%d %H:%M:%S} {r['actor']:<16} {r['action']:<8} "
                  f"{r['target']}", markup=False)
    if not rows:
        out.print(f"no entry reads or writes {record}", markup=False)


def _record_targets(store: Store, record: str) -> set[str]:
    """The audit targets under which a record was read or written."""
    if "/" in record:
        org, _, report_id = record.partition("/")
        pk = store.report_key(org, report_id)
        return {f"report/{record}"} | {f"alert/{a}" for a in store.alerts_citing(pk)}
    if record.startswith("A-"):
        store.alert(record)
        return {f"alert/{record}"}
    if record.startswith("I-"):  # an incident of the conflict profile
        store.incident(record)
        return {f"incident/{record}"} | {
            f"alert/{a['id']}" for a in store.alerts_about([record])}
    store.entity(record)
    return {f"entity/{record}", f"merges/{record}"} | {
        f"alert/{a['id']}" for a in store.alerts_about([record])
    }


def main() -> None:
    """Entry point of the ``joinedup`` script."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()
