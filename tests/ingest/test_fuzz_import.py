"""The whole import, fuzzed: arbitrary and nearly-valid reports through validation, extraction
and the store, then a full run. Nothing crashes, every record is accounted for, and every one
set aside is in quarantine with its field and reason."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.errors import InputError, RecordError
from joinedup.ingest.importer import import_file
from joinedup.ingest.reader import read_records
from joinedup.pipeline import process
from joinedup.store import Store
from tests.ingest.test_reader import _json_values, _report_like

STORE = Path(tempfile.mkdtemp(prefix="joinedup-fuzz-")) / "store.db"
atexit.register(shutil.rmtree, STORE.parent, True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_report_like() | _json_values(), min_size=1, max_size=6), st.booleans())
def test_any_input_is_accepted_or_quarantined_with_a_reason(
    values: list[object], array: bool
) -> None:
    store = Store.open(f"sqlite:///{STORE}")
    try:
        before = len(store.quarantine_rows())
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / ("r.json" if array else "r.jsonl")
            text = (json.dumps(values, indent=1) if array
                    else "\n".join(json.dumps(v) for v in values))
            path.write_text(text, encoding="utf-8")
            try:
                records = sum(1 for _ in read_records(path))  # what the file holds as records
                result = import_file(store, path)
            except InputError as err:  # not a report file at all (exit 2): nothing taken in
                assert not isinstance(err, RecordError) and err.hint
                assert len(store.quarantine_rows()) == before
                return
        assert result.accepted + result.unchanged + result.quarantined == records
        added = store.quarantine_rows()[before:]
        assert len(added) <= result.quarantined  # the same bad record is kept once
        for row in added:
            assert row["field"] and row["reason"], row
        process(store)  # whatever was accepted can be resolved and alerted on
        assert store.orphans() == {}
    finally:
        store.engine.dispose()
