"""CSV rows with the line each starts on, for importers of datasets distributed as CSV.

A cell may hold line breaks (UCDP's ``source_original`` does), so a row's line is where it
starts, counted here from the lines the csv module takes, not its index. A row that cannot be
used as a row (a field count that differs from the header's, or text the csv module refuses,
such as a field over its limit of 131,072 characters) comes back with ``error`` set and its
text kept, to be quarantined; only a file that cannot be read at all, or whose header lacks a
column the importer needs, raises :class:`~joinedup.errors.InputError`.

The file is streamed, never held whole: a national export of several gigabytes is read a row
at a time, so memory does not grow with the file. A physical line longer than
:data:`MAX_LINE` characters (a file that is not a CSV export, or one without line breaks) is
one bad row whose text is kept up to that length, so that one line cannot fill the memory.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from joinedup.errors import InputError, RecordError

__all__ = ["MAX_LINE", "CsvRow", "read_rows", "row_text", "shown", "unexpected"]

MAX_LINE = 8 * 1024 * 1024
"""The longest physical line read whole, in characters. The csv module refuses a field over
131,072 characters, so a line of an export's 20-30 columns is at most about 4 million; a longer
line is not a row of one, and is cut here rather than read into memory however long it is."""

_CHUNK = 1 << 20
_ENDS = ("\n", "\r")


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


def shown(raw: str, limit: int = 40) -> str:
    """A cell as an error message quotes it: cut to ``limit`` characters, so a cell of 100,000
    is not repeated in every message (the quarantined row keeps it whole)."""
    return repr(raw) if len(raw) <= limit else f"{raw[:limit]!r}... ({len(raw):,} characters)"


def unexpected(exc: BaseException) -> str:
    """The reason for a row an importer failed on in a way it does not foresee: the row is
    quarantined with this reason rather than ending the import of every row after it."""
    detail = str(exc)
    detail = detail if len(detail) <= 200 else detail[:200] + "..."
    return (f"joinedup could not read this row ({type(exc).__name__}: {detail}); the row is "
            "kept here: report it to joinedup's maintainers with this row's text")


class _LineTooLong(Exception):
    """A physical line over :data:`MAX_LINE` characters; the rest of it has been skipped."""


class _Lines:
    """The lines of a file for ``csv.reader``, each kept until the row it belongs to is taken.

    The csv module reads no further than the row it returns (or refuses), so the lines taken
    since the last row are that row's own text: a row the module refuses keeps its text.
    """

    def __init__(self, fh: TextIO, path: Path) -> None:
        self.fh, self.path = fh, path
        self.count = 0  # physical lines read so far
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            line = self.fh.readline(MAX_LINE)
        except UnicodeDecodeError:  # the file changed since it was checked
            raise InputError(f"{self.path}: line {self.count + 1} is not valid UTF-8",
                             hint="Save the CSV as UTF-8.") from None
        if not line:
            raise StopIteration
        self.count += 1
        self.taken.append(line)
        if len(line) == MAX_LINE and not line.endswith(_ENDS):
            self._skip_rest()
            raise _LineTooLong
        return line

    def _skip_rest(self) -> None:
        while (more := self.fh.readline(MAX_LINE)) and not more.endswith(_ENDS):
            pass

    def take(self) -> str:
        """The text of the lines read since the last call, without the final line break."""
        text = "".join(self.taken)
        self.taken.clear()
        return text.removesuffix("\n").removesuffix("\r")


def _check_utf8(path: Path) -> None:
    """Refuse a file that cannot be read or is not UTF-8, before any row is imported.

    The file is decoded a chunk at a time, so the check holds one chunk in memory, not the file.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    try:
        with path.open("rb") as fh:
            while True:
                chunk = fh.read(_CHUNK)
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    line = lines + exc.object.count(b"\n", 0, exc.start) + 1
                    at = offset - pending + exc.start
                    raise InputError(f"{path}: is not valid UTF-8 (line {line}, byte {at:,})",
                                     hint="Save the CSV as UTF-8.") from None
                if not chunk:
                    return
                offset += len(chunk)
                lines += chunk.count(b"\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})",
                         hint="Check that the path names a file you may read.") from None


def _open(path: Path) -> TextIO:
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})",
                         hint="Check that the path names a file you may read.") from None


def _header(path: Path, what: str) -> list[str]:
    with _open(path) as fh:
        try:
            return next(csv.reader(_Lines(fh, path)))
        except StopIteration:
            raise InputError(f"{path}: is empty; expected {what} with a header row") from None
        except (csv.Error, _LineTooLong) as exc:
            reason = exc if isinstance(exc, csv.Error) else f"a line over {MAX_LINE:,} characters"
            raise InputError(f"{path}: line 1: the header is not CSV ({reason})") from None


def read_rows(path: Path, required: Sequence[str], what: str) -> Iterator[CsvRow]:
    """The data rows of a CSV file whose header names every column in ``required``.

    Raises:
        InputError: the file cannot be read, is not UTF-8, is empty, or its header lacks a
            required column (the message names them and says which file ``what`` expects).
    """
    _check_utf8(path)
    header = _header(path, what)
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(
            f"{path}: the header lacks {', '.join(missing)}; this is not {what}",
            hint=f"{what} has the columns {', '.join(required)} (the file's own order is kept).",
        )
    return _rows(path, header)


def _rows(path: Path, header: list[str]) -> Iterator[CsvRow]:
    file = str(path)
    with _open(path) as fh:
        lines = _Lines(fh, path)
        reader = csv.reader(lines)
        next(reader, None)  # the header, read and checked by _header
        lines.take()
        while True:
            start = lines.count + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, _LineTooLong) as exc:
                reason = (f"the row is not valid CSV: {exc}" if isinstance(exc, csv.Error) else
                          f"line {lines.count} is longer than {MAX_LINE:,} characters; the "
                          "row's text is kept up to there")
                yield CsvRow(file, start, {}, lines.take(), RecordError(file, start, "(row)",
                                                                        reason))
                continue
            source = lines.take()
            if not cells:
                continue
            if len(cells) != len(header):
                reason = (f"the row has {len(cells)} fields and the header {len(header)}; a "
                          "field may hold an unquoted comma or the row may be cut short")
                yield CsvRow(file, start, {}, source, RecordError(file, start, "(row)", reason))
                continue
            yield CsvRow(file, start, dict(zip(header, cells, strict=True)), row_text(cells))
