"""The conflict contract v1: what a report of the conflict profile may say, checked strictly."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from joinedup.errors import ProfileError
from joinedup.ingest import ConflictReport, ValidationFailed, parse_report
from joinedup.ingest.schema import (
    CONFLICT_SCHEMA_PATH,
    REGENERATE,
    conflict_json_schema,
    load_schema,
    render_schema,
)
from joinedup.profiles import PROFILES_DIR, load_profile, load_profile_from

# The contract's vocabularies: a verbatim copy in the repo, so a clean clone checks them, and the
# original in ../shared beside the project when it is there (the copy must not drift from it).
COPY = Path(__file__).resolve().parents[1] / "data" / "conflict-vocabulary.yaml"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "domain" / "conflict-vocabulary.yaml"
CONTRACTS = [COPY] + ([SHARED] if SHARED.is_file() else [])

CONVOY: dict[str, Any] = {
    "profile": "conflict",
    "id": "ocha-2016-0919",
    "source": {"agency": "un_agency", "org": "un-ocha", "partner": True,
               "document": "https://example.org/flash-update-2016-09-20"},
    "upstream": "convoy staff",
    "reported_at": "2016-09-20T08:00:00Z",
    "occurred_from": "2016-09-19",
    "occurred_to": "2016-09-19",
    "location": {"name": "Urum al-Kubra", "admin1": "Aleppo", "admin2": "Jebel Saman",
                 "lat": 36.146, "lon": 36.947, "precision": "exact",
                 "facility": "Red Crescent warehouse"},
    "harm": {"mechanism": "air_strike", "targets": ["humanitarian_convoy", "aid_worker"]},
    "actors": [{"ref": "a1", "name": "Syrian government forces", "role": "denied"}],
    "people": [
        {"ref": "v1", "name": "Karim Haddad", "age": 41, "sex": "male", "status": "killed",
         "relatives": [{"ref": "v2", "relation": "brother"}]},
        {"ref": "v2", "name": "Samir Haddad", "status": "injured"},
    ],
    "casualties": {"killed": {"min": 18, "max": 20}, "injured": 12},
    "evidence": [{"kind": "photo", "sha256": "a" * 64, "url": "https://example.org/p.jpg"}],
    "narrative": "Convoy struck while unloading at the warehouse.",
}


def _with_ocha_as_partner() -> Any:
    """The conflict profile of a deployment whose partners include OCHA: the convoy report
    says ``partner: true``, which only a listed partner channel may."""
    shipped = load_profile("conflict")
    return dataclasses.replace(shipped, partners=shipped.partners | {"un-ocha"})


def parse(raw: Any) -> ConflictReport:
    report = parse_report(raw, vocabulary=_with_ocha_as_partner(), file="c.jsonl", line=3)
    assert isinstance(report, ConflictReport)
    return report


def failure(raw: Any) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        parse(raw)
    return caught.value


def changed(**parts: Any) -> dict[str, Any]:
    raw = copy.deepcopy(CONVOY)
    for dotted, value in parts.items():
        node = raw
        *path, last = dotted.split("__")
        for key in path:
            node = node[int(key)] if key.isdigit() else node[key]
        node[last] = value
    return raw


def test_a_full_report_is_read_with_its_ranges_and_victims() -> None:
    report = parse(CONVOY)
    assert report.casualties is not None and report.casualties.killed is not None
    assert not isinstance(report.casualties.killed, int)
    assert (report.casualties.killed.min, report.casualties.killed.max) == (18, 20)
    assert report.casualties.injured == 12
    assert report.source.partner is True
    assert report.source.document == "https://example.org/flash-update-2016-09-20"
    assert parse(changed(source={"agency": "un_agency", "org": "un-ocha"})).source.document is None
    assert [p.status for p in report.people] == ["killed", "injured"]
    assert report.people[0].relatives[0].ref == "v2"


@pytest.mark.parametrize(
    ("parts", "field", "words"),
    [
        ({"harm__mechanism": "airstrike"}, "harm.mechanism", ["did you mean 'air_strike'"]),
        ({"harm__targets": ["hospital"]}, "harm.targets", ["'hospital'", "health_facility"]),
        ({"location__precision": "town"}, "location.precision", ["'town'", "within_25km"]),
        ({"source__agency": "police"}, "source.agency", ["'police'", "conflict profile"]),
        ({"actors__0__role": "perpetrator"}, "actors[0].role", ["alleged_perpetrator"]),
        ({"people__0__status": "dead"}, "people[0].status", ["'dead'", "victim status"]),
        ({"evidence": [{"kind": "photo"}]}, "evidence[0]", ["sha256, url or path"]),
        ({"evidence": [{"kind": "photo", "sha256": "xyz"}]}, "evidence[0].sha256", []),
        ({"casualties__killed": {"min": 9, "max": 3}}, "casualties.killed", ["more than max"]),
        ({"location__lon": None}, "location.lon", []),
        ({"people__0__relatives": [{"ref": "v9", "relation": "son"}]},
         "people[0].relatives[0].ref", ["'v9'"]),
        ({"occurred_to": "2016-09-01"}, "occurred_to", ["before occurred_from"]),
        ({"route": {"name": "Castello Road", "status": "closed"}}, "route.status",
         ["'closed'", "route status"]),
        ({"informant": "v1"}, "informant", ["not a field here"]),
    ],
)
def test_a_wrong_report_names_the_field_and_says_why(
    parts: dict[str, Any], field: str, words: list[str]
) -> None:
    err = failure(changed(**parts))
    fields = [e["field"] for e in err.all_errors]
    assert any(f.startswith(field) for f in fields), err.all_errors
    reason = " ".join(e["reason"] for e in err.all_errors)
    for word in words:
        assert word in reason, reason


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.parent.name)
def test_every_contract_value_of_the_shared_vocabulary_is_accepted(path: Path) -> None:
    """conflict-vocabulary.yaml is the contract: the profile ships every value of it."""
    shared = yaml.safe_load(path.read_text(encoding="utf-8"))
    profile = load_profile("conflict")
    assert set(shared["source_agencies"]) <= profile.agencies
    for name in ("location_precision", "harm_mechanisms", "targets", "protected_targets",
                 "occurrence_certainty", "attribution_grade", "actor_roles", "victim_status"):
        assert set(shared[name]) <= profile.terms(name), name
    for mechanism in shared["harm_mechanisms"]:
        parse(changed(harm__mechanism=mechanism))


def test_the_shipped_conflict_schema_matches_the_model_and_validates_the_report() -> None:
    assert CONFLICT_SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(
        conflict_json_schema()
    ), f"{CONFLICT_SCHEMA_PATH.name} is stale; regenerate it with `{REGENERATE}`"
    schema = load_schema(CONFLICT_SCHEMA_PATH)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(CONVOY)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(changed(colour="red"))


def test_a_rule_whose_recipe_reads_the_other_engine_is_refused(tmp_path: Path) -> None:
    from joinedup.alerts.rule_library import RECIPES

    engines = {name: r.engine for name, r in RECIPES.items()}
    copy_dir = tmp_path / "conflict"
    copy_dir.mkdir()
    for path in (PROFILES_DIR / "conflict").iterdir():
        if path.is_file():
            (copy_dir / path.name).write_bytes(path.read_bytes())
    assert load_profile_from(copy_dir, engines).engine == "incidents"
    rules = copy_dir / "rules.yaml"
    rules.write_text(rules.read_text().replace("AttackOnProtected", "PlaceHotspot", 1))
    with pytest.raises(ProfileError, match="runs on entities"):
        load_profile_from(copy_dir, engines)
