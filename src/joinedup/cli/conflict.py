"""``joinedup incidents``, ``stats`` and ``evidence``: the commands of the conflict profile.

They read what the incidents stage made of the store's conflict reports; the rest of the CLI
(ingest, alerts, decide, audit, export) is the same for both profiles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from joinedup.errors import InputError, JoinedupError
from joinedup.store import Store

Row = dict[str, Any]
DbOption = Annotated[str, typer.Option("--db", envvar="JOINEDUP_DB",
                                       help="Store URL: a SQLite path or a PostgreSQL URL.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the documented JSON shape.")]

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
    db: DbOption = "",
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
    db: DbOption = "",
    json_: JsonOption = False,
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
    db: DbOption = "",
) -> None:
    """Evidence items with their chain of custody, as JSON."""
    from joinedup.cli.app import _dump, _fail, _open

    try:
        rows = _open(db).evidence_items(_record(report) if report else None)
    except JoinedupError as err:
        _fail(err)
    _dump(rows)


def _range(value: Row | None) -> Row | None:
    return None if value is None else {"min": value.get("min"), "max": value.get("max")}


def reads_victims(store: Store) -> bool:
    """Whether the store's actor may read victims' personal data, asked of the gate's policy
    as the web's incident pages ask it (conflict.md rule 6): a role may read incidents and not
    the names, ages and relatives of the people harmed in them."""
    return store.gate.policy.allows(store.actor, "read", "victims")


NOT_PERSONAL = ("status", "statuses", "reports")  # what a withheld victim keeps: counts survive


def _victims(victims: list[Row], shown: bool) -> list[Row]:
    """The incident's named victims, or for a role that may not read them each victim's status
    and reports only (their names, spellings, age, sex, relatives and why they were joined, which
    quotes the names, withheld)."""
    if shown:
        return victims
    return [{k: v[k] for k in NOT_PERSONAL if k in v} for v in victims]


def incidents_json(store: Store) -> list[Row]:
    """Every incident in the documented shape of ``joinedup incidents --json`` (the conflict
    issue): reports as ``org/id``, both grades, casualty ranges, dates, place, mechanism,
    targets and victims; what each grade rests on is under ``grading``. Victims' personal data
    only for a role that may read it (:func:`reads_victims`; ``victims_shown`` says which)."""
    rows = store.incidents()
    reports = store.reports_by_pk(pk for inc in rows for pk in inc["reports"])
    shown = reads_victims(store)
    out = []
    for inc in rows:
        data = inc["data"]
        out.append({
            "id": inc["id"],
            "label": inc["label"],
            "reports": [f"{reports[pk]['org']}/{reports[pk]['report_id']}"
                        for pk in inc["reports"]],
            "certainty": inc["certainty"],
            "attribution": inc["attribution"],
            "killed": _range(data.get("killed")),
            "injured": _range(data.get("injured")),
            "date_start": inc["date_start"].isoformat() if inc["date_start"] else None,
            "date_end": inc["date_end"].isoformat() if inc["date_end"] else None,
            "location": data.get("location"),
            "mechanism": inc["mechanism"],
            "targets": data.get("targets", []),
            "victims": _victims(data.get("victims", []), shown),
            "victims_shown": shown,
            "actors": data.get("actors", []),
            "sources": data.get("sources", []),
            "grading": {"certainty": data.get("certainty_rules", []),
                        "attribution": data.get("attribution_rules", [])},
        })
    return out


def audit_reads(store: Store, rows: list[Row]) -> None:
    """Audit each incident printed as ``read incident/ID``, as the web audits an incident's
    page, so that ``joinedup audit who-saw I-…`` lists who read it from the command line too
    (the list alone was one ``read incidents``, which names no incident); with whether its
    victims were shown. One commit for them all."""
    with store.unit_of_work():
        for r in rows:
            store.audit_note("read", f"incident/{r['id']}", via="joinedup incidents",
                             victims=r["victims_shown"])


def actor_named(incident: Row, name: str) -> bool:
    """Whether an incident names the actor ``name`` stands for, under any of its names and
    whatever the date (a label applied before the name existed still finds it)."""
    from joinedup.resolve.actors import shipped_actors

    wanted = shipped_actors().identify(name).actor
    return any(a["actor"] == wanted for a in incident.get("actors") or [])


def incidents(
    db: DbOption = "",
    json_: JsonOption = False,
    certainty: Annotated[str, typer.Option(
        help="Only incidents graded at least this certain: rumour, possible, probable, "
             "confirmed.")] = "rumour",
    target: Annotated[str, typer.Option(help="Only incidents that hit this target.")] = "",
    actor: Annotated[str, typer.Option(
        help="Only incidents naming this actor, by any of its names (\"Jabhat Fateh al-Sham\" "
             "finds reports that say \"Jabhat al-Nusra\").")] = "",
) -> None:
    """List incidents: the reports merged into each, both grades and casualty ranges."""
    from joinedup.cli.app import _dump, _fail, _open, out
    from joinedup.patterns import CERTAINTY

    if certainty not in CERTAINTY:
        _fail(InputError(f"unknown certainty {certainty!r}", hint=", ".join(CERTAINTY)))
    try:
        store = _open(db)
        rows = incidents_json(store)
        floor = CERTAINTY.index(certainty)
        rows = [r for r in rows if CERTAINTY.index(r["certainty"]) >= floor
                and (not target or target in r["targets"])]
        if actor:
            rows = [r for r in rows if actor_named(r, actor)]
        audit_reads(store, rows)
    except JoinedupError as err:
        _fail(err)
    if json_:
        _dump(rows)
        return
    for r in rows:
        killed = r["killed"]
        deaths = f"{killed['min']}-{killed['max']} killed" if killed else "no figure"
        where = (r["location"] or {}).get("name") or "place unknown"
        out.print(f"{r['id']} {r['date_start']} {where}: {r['mechanism'] or 'unknown'} on "
                  f"{', '.join(r['targets']) or 'unknown'} - {r['certainty']}, attribution "
                  f"{r['attribution']}; {deaths}; {len(r['reports'])} reports", markup=False)


def stats(
    db: DbOption = "",
    json_: JsonOption = False,
    period: Annotated[str, typer.Option(help="day, week or month (default: the profile's)")]
    = "",
    certainty: Annotated[str, typer.Option(
        help="Count incidents graded at least this certain.")] = "possible",
) -> None:
    """Attacks on protected objects per period with the mean interval between them, and the
    status of named supply routes over time (conflict.md rule 7)."""
    from joinedup.cli.app import _dump, _fail, _open, out
    from joinedup.patterns import CERTAINTY, attack_rates, route_status, target_groups
    from joinedup.profiles import load_profile

    if certainty not in CERTAINTY:
        _fail(InputError(f"unknown certainty {certainty!r}", hint=", ".join(CERTAINTY)))
    groups, default_period = target_groups(load_profile("conflict").directory)
    try:
        store = _open(db)
        rates = attack_rates(store.incident_summaries(), groups, period or default_period,
                             certainty)
        routes = route_status(store.route_reports("conflict"))
    except (JoinedupError, ValueError) as err:
        _fail(err if isinstance(err, JoinedupError) else InputError(str(err)))
    if json_:
        _dump({"attacks": rates, "routes": routes})
        return
    for r in rates:
        out.print(f"{r['targets']}: {rate_text(r)}", markup=False)
    for route in routes:
        steps = "; ".join(f"{t['from']} {t['status']}" for t in route["timeline"])
        out.print(f"{route['route']}: now {route['status']} ({steps})", markup=False)


def rate_text(r: Row) -> str:
    """One group's rate in words; below two attacks there is no interval to give, and saying
    "one every 24 hours" of a single attack (or "None h") would mislead whoever quotes it."""
    if not r["incidents"]:
        return "no incidents"
    if r["one_every_hours"] is None or r["mean_interval_hours"] is None:
        return (f"{r['incidents']} incident ({r['first']}), fewer than two attacks: "
                "no interval")
    return (f"{r['incidents']} incidents ({r['first']} to {r['last']}), one every "
            f"{r['one_every_hours']} hours; mean interval {r['mean_interval_hours']} h")


def load_conflict_demo(store: Store, system: Store | None = None) -> None:
    """Import the conflict demo: the fictional reports modelled on Aleppo 2016 and the real UCDP
    GED Aleppo 2016 extract (CC BY 4.0), then join them up as the ``system``. Importing again
    changes nothing."""
    from importlib import resources

    from joinedup.ingest.importer import import_dataset, import_file
    from joinedup.pipeline import process_incidents

    folder = Path(str(resources.files("joinedup.demo")))
    import_file(store, folder / "conflict.jsonl")
    import_dataset(store, folder / "ucdp" / "ged_aleppo_2016.csv", "ucdp")
    process_incidents(system or store)


def conflict_summary(store: Store) -> str:
    """What joined up: incidents by grade, alerts on protected objects, rates and routes."""
    from collections import Counter

    from joinedup.cli.render import alerts_json
    from joinedup.patterns import attack_rates, route_status, target_groups
    from joinedup.profiles import load_profile

    profile = load_profile("conflict")
    rows = incidents_json(store)
    many = [r for r in rows if len(r["sources"]) >= 2]
    lines = [f"{len(rows)} incidents from {sum(len(r['reports']) for r in rows)} reports; "
             f"{len(many)} told by two or more independent sources.",
             "Occurrence certainty (WHO SSA): " + ", ".join(
                 f"{k} {v}" for k, v in sorted(Counter(r["certainty"] for r in rows).items())),
             "Attribution (Airwars): " + ", ".join(
                 f"{k} {v}" for k, v in sorted(Counter(r["attribution"] for r in rows).items())),
             ""]
    rules = {r.id for r in profile.rules}
    alerts = [a for a in alerts_json(store) if a["rule"] in rules]
    lines.append(f"Alerts on protected objects ({len(alerts)}), the first ten:")
    for a in alerts[:10]:
        lines.append(f"  {a['id']} [{a['level']}] {a['subject']['label']}: "
                     f"{a['explanation'].get('certainty')}, attribution "
                     f"{a['explanation'].get('attribution')}; raised by "
                     f"{a['raised_by']['org']}/{a['raised_by']['report']} on "
                     f"{a['raised_by']['reported_at'][:10]}")
    groups, period = target_groups(profile.directory)
    lines.append("")
    for r in attack_rates(store.incident_summaries(), groups, period, "possible"):
        if r["incidents"]:
            lines.append(f"{r['targets'].replace('_', ' ')}: {rate_text(r)}")
    for route in route_status(store.route_reports("conflict")):
        steps = "; ".join(f"{t['from']} {t['status']}" for t in route["timeline"])
        lines.append(f"{route['route']}: now {route['status']} ({steps})")
    lines.append("")
    lines.append("List them with: joinedup incidents; figures with: joinedup stats")
    return "\n".join(lines)
