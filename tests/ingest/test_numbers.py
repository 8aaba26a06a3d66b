"""Numbers the store cannot hold as given: an integer beyond 64 bits (the store writes JSON with
orjson, and one such value failed the whole batch's write, aborting the import), a float
that is not finite (Python's JSON reader turns ``1e400`` into infinity, which was stored as
null) and a casualty figure no incident has. Each is quarantined with its field; the rest of
the file is imported."""

from __future__ import annotations

import json
from pathlib import Path

from joinedup.ingest.importer import import_file
from joinedup.store import Store
from tests.conflict_reports import attack

BIG = 123456789012345678901234567890


def _report(rid: str, **more: object) -> dict[str, object]:
    return {"id": rid, "source": {"agency": "police", "org": "northbridge-police"},
            "reported_at": "2008-07-14", **more}


def test_numbers_that_cannot_be_stored_are_quarantined_with_their_field(
    store: Store, tmp_path: Path
) -> None:
    lines = [
        json.dumps(_report("OK-1", extra={"n": 2**63 - 1, "x": 1.5})),
        json.dumps(_report("BIG-EXTRA", extra={"n": BIG})),
        json.dumps(_report("BIG-ATTR", people=[{"ref": "p", "role": "child",
                                                "attributes": {"n": -BIG}}])),
        json.dumps(_report("INF-EXTRA")).replace('"id"', '"extra": {"x": 1e400}, "id"'),
        json.dumps(attack("BIG-TOLL", killed=BIG)),
        json.dumps(attack("BIG-RANGE", killed=(1, BIG))),
        json.dumps(_report("OK-2")),
    ]
    path = tmp_path / "numbers.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(store, path)
    assert (result.accepted, result.quarantined) == (2, 5)
    fields = {e.line: e.field for e in result.errors}
    assert fields[2] == "extra" and fields[3].startswith("people[0].attributes")
    assert fields[4] == "extra" and fields[5].startswith("casualties.killed")
    assert fields[6].startswith("casualties.killed")
    reasons = " ".join(e.reason for e in result.errors[:3])
    assert reasons.count("64 bits") == 3
    assert {r["field"] for r in store.quarantine_rows()} == set(fields.values())
    kept = store.submission("northbridge-police", "OK-1")["body"]
    assert kept["extra"] == {"n": 2**63 - 1, "x": 1.5}  # the largest that fits, as given
