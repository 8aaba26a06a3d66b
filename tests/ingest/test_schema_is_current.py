"""The JSON Schema shipped in the repo is the one the models describe, and it is usable."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from joinedup.ingest.schema import (
    REGENERATE,
    SCHEMA_PATH,
    load_schema,
    main,
    render_schema,
    report_json_schema,
)

from .test_models import VALID_REPORTS


def test_shipped_schema_matches_models() -> None:
    assert SCHEMA_PATH.is_file(), f"{SCHEMA_PATH} is missing; create it with `{REGENERATE}`"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        f"{SCHEMA_PATH.name} is stale: the models changed. Regenerate it with `{REGENERATE}` "
        "and commit the result."
    )


def test_shipped_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == report_json_schema()["$id"]
    assert "title" in schema and "description" in schema


@pytest.mark.parametrize("name", VALID_REPORTS)
def test_every_valid_fixture_validates_against_the_shipped_schema(name: str) -> None:
    jsonschema.Draft202012Validator(load_schema()).validate(VALID_REPORTS[name])


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("colour",), "red"),
        (("people", 0, "wheels"), 4),
        (("people", 0, "aliases"), ["a"] * 501),
        (("people", 0, "name"), "x" * 1_001),
        (("people", 2, "age"), 121),
        (("reported_at",), "14/07/2008"),
        (("occurred_from",), "July 2008"),
    ],
)
def test_shipped_schema_refuses_what_the_models_refuse(path: tuple[Any, ...], value: Any) -> None:
    raw = copy.deepcopy(VALID_REPORTS["full"])
    target = raw
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(load_schema()).validate(raw)


def test_regenerating_writes_exactly_the_shipped_text(tmp_path: Path) -> None:
    out = tmp_path / "report-v1.schema.json"
    assert main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_schema()
