"""CSV rows with the line each starts on, for importers of datasets distributed as CSV.

A cell may hold line breaks (UCDP's ``source_original`` does), so a row's line is where it
starts, counted by the csv module, not its index. A row that cannot be used as a row (a field
count that differs from the header's, or text the csv module refuses) comes back with ``error``
set and its text kept, to be quarantined; only a file that cannot be read at all, or whose
header lacks a column the importer needs, raises :class:`~joinedup.errors.InputError`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from joinedup.errors import InputError, RecordError

__all__ = ["CsvRow", "read_rows", "row_text"]


@dataclass(frozen=True)
class CsvRow:
    """One data row: ``values`` by column name, or ``error`` saying why there are none."""

    file: str
    line: int
    values: dict[str, str]
    text: str
    error: RecordError | None = None


def row_text(cells: Sequence[str]) -> str:
    """A row as one line of CSV again, kept with a record so a quarantined row can be read."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})",
                         hint="Check that the path names a file you may read.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{path}: is not valid UTF-8 (line {line}, byte {exc.start:,})",
                         hint="Save the CSV as UTF-8.") from None


def read_rows(path: Path, required: Sequence[str], what: str) -> Iterator[CsvRow]:
    """The data rows of a CSV file whose header names every column in ``required``.

    Raises:
        InputError: the file cannot be read, is not UTF-8, is empty, or its header lacks a
            required column (the message names them and says which file ``what`` expects).
    """
    file = str(path)
    reader = csv.reader(io.StringIO(_decode(path), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: is empty; expected {what} with a header row") from None
    except csv.Error as exc:
        raise InputError(f"{path}: line 1: the header is not CSV ({exc})") from None
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(
            f"{path}: the header lacks {', '.join(missing)}; this is not {what}",
            hint=f"{what} has the columns {', '.join(required)} (the file's own order is kept).",
        )
    return _rows(file, header, reader)


def _rows(file: str, header: list[str], reader: Iterator[list[str]]) -> Iterator[CsvRow]:
    end = 1  # the csv module's count of lines read so far
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = getattr(reader, "line_num", end + 1)
            yield CsvRow(file, start, {}, "", RecordError(file, start, "(row)",
                                                          f"the row is not valid CSV: {exc}"))
            continue
        end = getattr(reader, "line_num", end + 1)
        if not cells:
            continue
        text = row_text(cells)
        if len(cells) != len(header):
            reason = (f"the row has {len(cells)} fields and the header {len(header)}; a "
                      "field may hold an unquoted comma or the row may be cut short")
            yield CsvRow(file, start, {}, text, RecordError(file, start, "(row)", reason))
            continue
        yield CsvRow(file, start, dict(zip(header, cells, strict=True)), text)
