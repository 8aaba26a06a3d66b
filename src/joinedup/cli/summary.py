"""The demo's readable summary: what joined up, and what each agency alone would have seen."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from joinedup.alerts import evaluate_rules
from joinedup.cli import render
from joinedup.corroborate import build_picture
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.profiles import load_profile
from joinedup.resolve.possible import offered_pairs
from joinedup.store import Store


def demo_file() -> Path:
    """The bundled fictional demo scenario."""
    return Path(str(resources.files("joinedup.demo").joinpath("safeguarding.jsonl")))


def load_demo(store: Store, system: Store | None = None) -> None:
    """Import the demo (a no-op when already imported) as ``store``'s actor, and process the
    store as the ``system`` (the engine's work, whoever set it off)."""
    import_file(store, demo_file())
    process(system or store)


def alone(store: Store) -> dict[str, set[tuple[str, str]]]:
    """For each agency: the (rule, subject) alerts its own reports would raise on their own."""
    profile = load_profile("safeguarding")
    reports = store.current_reports()
    mentions, links, obs = (
        store.current_mentions(),
        store.current_links(),
        store.current_observations(),
    )
    entity_of = {int(m["pk"]): str(m["entity"]) for m in store.memberships()}
    entities = store.entities()
    seen: dict[str, set[tuple[str, str]]] = {}
    for agency in sorted({r["agency"] for r in reports}):
        keep = {r["pk"] for r in reports if r["agency"] == agency}
        pic = build_picture(
            profile,
            [r for r in reports if r["pk"] in keep],
            [m for m in mentions if m["report"] in keep],
            [lk for lk in links if lk["report"] in keep],
            [o for o in obs if o["report"] in keep],
            entity_of,
            entities,
        )
        seen[agency] = {(a["rule"], a["subject"]) for a in evaluate_rules(pic)}
    return seen


def summary(store: Store) -> str:
    """Entities corroborated by more than one independent source, then every alert explained."""
    lines = ["Corroborated by two or more independent sources:"]
    for e in render.entities_json(store, None):
        if e["informants"] >= 2:
            aliases = f" aka {', '.join(e['aliases'])}" if e["aliases"] else ""
            children = len(e["children"])
            lines.append(
                f"  {e['type']:<8} {e['label']}{aliases}: {e['informants']} informants, "
                f"agencies {', '.join(e['agencies'])}, "
                f"{children} {'child' if children == 1 else 'children'}"
            )
    per_agency = alone(store)
    rules = {r.id for r in load_profile("safeguarding").rules}
    alerts = [a for a in render.alerts_json(store) if a["rule"] in rules]
    lines.append("")
    lines.append(f"Alerts ({len(alerts)}):")
    for a in alerts:
        solo = [ag for ag, got in per_agency.items() if (a["rule"], a["subject"]["id"]) in got]
        seen_alone = ", ".join(solo) if solo else "no single agency"
        lines.append(
            f"  {a['id']} [{a['level']}] {a['rule']}: {a['subject']['label']} "
            f"({a['subject']['type']})"
        )
        lines.append(
            f"      raised by {a['raised_by']['org']}/{a['raised_by']['report']} on "
            f"{a['raised_by']['reported_at'][:10]}; {a['informants']} informants from "
            f"{', '.join(a['agencies'])}; alone it would have been seen by: {seen_alone}"
        )
    lines += ["", *possibly_the_same(store), "",
              "Explain any alert with: joinedup explain ALERT_ID"]
    return "\n".join(lines)


def possibly_the_same(store: Store) -> list[str]:
    """The pairs of people kept apart on weak evidence that the people's pages offer for an
    analyst to judge (:mod:`joinedup.resolve.possible`), each pair once. Every person of the
    store is looked at: a demo's few hundred, not a deployment's store."""
    people = {e["id"]: e for e in render.entities_json(store, "person")}
    lines = ["Kept apart on weak evidence, possibly the same person (confirm or split on "
             "each person's page, or with joinedup confirm / split):"]
    for entity, p in offered_pairs(store, sorted(people)):
        lines.append(f"  {people[entity]['label']} ({entity}) ~ {people[p.entity]['label']} "
                     f"({p.entity}): weight {p.evidence.weight:+.1f}")
    if len(lines) == 1:
        lines.append("  none")
    return lines
