"""Small builders of contract-v1 reports for tests, so each test states only what matters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Report = dict[str, Any]


def child(ref: str = "c1", name: str = "Amy", age: int = 14, **kw: Any) -> dict[str, Any]:
    return {"ref": ref, "role": "child", "name": name, "age": age, "sex": "female", **kw}


def adult(ref: str = "a1", alias: str | None = "Tiger", **kw: Any) -> dict[str, Any]:
    p: dict[str, Any] = {
        "ref": ref,
        "role": "person_of_concern",
        "sex": "male",
        "age_range": "30-39",
        **kw,
    }
    if alias:
        p.setdefault("aliases", [alias])
    return p


def report(
    rid: str,
    *,
    org: str = "Police North",
    agency: str = "police",
    reported_at: str = "2008-01-10",
    people: list[dict[str, Any]] | None = None,
    places: list[dict[str, Any]] | None = None,
    links: list[dict[str, Any]] | None = None,
    indicators: list[Any] | None = None,
    informant: str | None = None,
    reporter: str | None = None,
    **kw: Any,
) -> Report:
    r: Report = {
        "id": rid,
        "profile": "safeguarding",
        "source": {"agency": agency, "org": org},
        "reported_at": reported_at,
        "people": people or [],
        "places": places or [],
        "links": links or [],
        "indicators": indicators or [],
    }
    if reporter:
        r["source"]["reporter"] = reporter
    if informant:
        r["informant"] = informant
    r.update(kw)
    return r


def write_jsonl(path: Path, reports: list[Report]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    return path


def load_generated(store: Any, folder: Path, seed: int, reports: int) -> tuple[Any, dict[str, str]]:
    """A generated scenario imported into ``store`` and processed: the scenario, and the person
    entity of each mention, keyed as the answer key keys it (``org/report#ref``)."""
    from joinedup.cli.render import entities_json
    from joinedup.generate import generate_scenario, write_scenario
    from joinedup.ingest.importer import import_file
    from joinedup.pipeline import process

    scenario = generate_scenario(seed=seed, reports=reports)
    write_scenario(scenario, folder / "r.jsonl", folder / "t.json")
    import_file(store, folder / "r.jsonl")
    process(store)
    return scenario, {f"{m['org']}/{m['report']}#{m['ref']}": p["id"]
                      for p in entities_json(store, "person") for m in p["mentions"]}
