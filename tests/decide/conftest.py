"""What the decision tests share: a store holding the processed safeguarding demo, and the id
of one of its open alerts to decide on."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.store import Store

DEMO = Path(__file__).parents[2] / "src" / "joinedup" / "demo" / "safeguarding.jsonl"


@pytest.fixture
def alert_id(store: Store) -> str:
    """An open alert of the processed demo (the store is the `store` fixture's, both kinds)."""
    import_file(store, DEMO)
    process(store)
    return str(store.alerts("open")[0]["id"])
