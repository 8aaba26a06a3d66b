"""docs/conflict-import.md shows the profile's mappings as they are: each table equals its YAML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from joinedup.ingest.acled import AcledCodes, load_acled_codes
from joinedup.ingest.ucdp import load_ucdp_codes

DOC = Path(__file__).parents[2] / "docs" / "conflict-import.md"


def table(header: str) -> dict[str, tuple[str, ...]]:
    """The rows of the table whose header row is ``header``: first cell -> the others."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(header) + 2  # the header and its |---| row
    rows: dict[str, tuple[str, ...]] = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        rows[cells[0]] = tuple(cells[1:])
    return rows


def test_the_where_prec_table_is_ucdp_yaml() -> None:
    expected = {str(k): (v,) for k, v in load_ucdp_codes().where_prec.items()}
    assert table("| where_prec | precision |") == expected


def test_the_type_of_violence_table_is_ucdp_yaml() -> None:
    expected = {str(k): (v.side_a, v.side_b) for k, v in load_ucdp_codes().violence.items()}
    assert table("| type_of_violence | side_a | side_b |") == expected


@pytest.mark.parametrize(("header", "expected"), [
    ("| geo_precision | precision |",
     lambda codes: {str(k): (v,) for k, v in codes.precision.items()}),
    ("| sub_event_type | mechanism |",
     lambda codes: {k: (v or "none",) for k, v in codes.mechanisms.items()}),
    ("| time_precision | window |",
     lambda codes: {str(k): ("the calendar month" if v is None else "the day" if v == 0
                             else f"{v} days either side",) for k, v in codes.widen_days.items()}),
])
def test_the_acled_tables_are_acled_yaml(
    header: str, expected: Callable[[AcledCodes], dict[str, tuple[str, ...]]]
) -> None:
    assert table(header) == expected(load_acled_codes())
