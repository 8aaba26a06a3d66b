"""Bulk writes (COPY on PostgreSQL, executemany on SQLite) keep every value exactly."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import JSON

from joinedup.ingest.importer import import_file
from joinedup.store import Store, tables
from joinedup.store.store import _copy_writer, copy_field, from_json, to_json
from tests.factories import adult, child, report, write_jsonl

AWKWARD = 'tab\there, line\nbreak, return\r, back\\slash \\N, "quoted", Łódź, 𝄞, \\t'


def test_awkward_text_survives_a_bulk_import(store: Store, tmp_path: Path) -> None:
    r = report(
        "a",
        org=f"Org {AWKWARD}",
        people=[child("c1", f"Amy {AWKWARD}"), adult("x", AWKWARD)],
    )
    r["narrative"] = AWKWARD
    r["source"]["reporter"] = AWKWARD
    assert import_file(store, write_jsonl(tmp_path / "in.jsonl", [r])).accepted == 1
    (stored,) = store.reports_by_pk([row["pk"] for row in store.current_reports()]).values()
    assert stored["narrative"] == AWKWARD
    assert stored["org"] == f"Org {AWKWARD}"
    assert stored["reporter"] == AWKWARD
    assert stored["body"]["people"][1]["aliases"] == [AWKWARD]
    labels = {m["label"] for m in store.current_mentions()}
    assert f"Amy {AWKWARD}" in labels


def test_copy_fields_use_postgresql_text_format() -> None:
    assert copy_field(None) == "\\N"
    assert copy_field(None, is_json=True) == "null"
    assert copy_field("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e"
    assert copy_field(True) == "t" and copy_field(False) == "f"
    assert copy_field(7) == "7" and copy_field(0.1) == "0.1"
    assert copy_field(float("inf")) == "Infinity" and copy_field(float("-inf")) == "-Infinity"
    assert copy_field(date(2008, 7, 1)) == "2008-07-01"
    assert copy_field(datetime(2008, 7, 1, 9, 30)) == "2008-07-01T09:30:00"
    assert copy_field({"a": "x\ty"}, is_json=True) == '{"a":"x\\\\ty"}'


def test_json_columns_hold_sets_as_lists_and_refuse_what_json_cannot_hold() -> None:
    assert json.loads(to_json({"context": frozenset({"P-1"}), 7: "Zieliński"})) == {
        "context": ["P-1"], "7": "Zieliński"}
    with pytest.raises(TypeError):
        to_json({"at": datetime(2008, 7, 1)})  # a date is written as text, by its column's code
    assert from_json(to_json({"a": [1, 2.5, None, True]})) == {"a": [1, 2.5, None, True]}


def test_each_column_is_written_as_copy_field_writes_it() -> None:
    """COPY's fields are written by a writer picked once a column; each must agree with
    :func:`copy_field` on every value the column may hold."""
    values = [None, 0, 7, -3, True, False, 0.1, "", "plain", AWKWARD, "a\\b", "x\ty",
              date(2008, 7, 1), datetime(2008, 7, 1, 9, 30), {"a": AWKWARD}, ["P-1", None]]
    for table, name in ((tables.mention, "pk"), (tables.mention, "label"),
                        (tables.mention, "features"), (tables.report, "reported_at"),
                        (tables.report, "current")):
        column = table.c[name]
        is_json = isinstance(column.type, JSON)
        write = _copy_writer(column)
        for v in values:
            try:
                expected = copy_field(v, is_json)
            except TypeError:  # a date in a JSON column: refused by both
                with pytest.raises(TypeError):
                    write(v)
                continue
            assert write(v) == expected, (name, v)
