"""Read report files into raw records, one per report, keeping every byte accounted for.

Two layouts are read, told apart by the first character that is not white space:

- ``{``: JSON Lines, one report a line; ``line`` is the record's line number.
- ``[``: a JSON array of reports; ``line`` is the line where the element starts.

A record that cannot be decoded is not an exception: it comes back as a
:class:`RawRecord` with ``error`` set and its ``text`` kept, so the caller can
quarantine it and go on. Only a file that cannot be read at all raises
:class:`~joinedup.errors.InputError`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from joinedup.errors import InputError, RecordError

__all__ = ["MAX_ARRAY_BYTES", "MAX_RECORD_BYTES", "RawRecord", "content_hash", "read_records"]

MAX_RECORD_BYTES = 16 * 1024 * 1024
"""A record (a line, or an array element) longer than this is refused, not parsed."""
MAX_ARRAY_BYTES = 64 * 1024 * 1024
"""A JSON array file larger than this is refused: it is read whole, so its size is memory.
JSON Lines is read a line at a time and may be any size."""
KEPT_CHARS = 64 * 1024
"""How much of an over-long record, or of the unread rest of a broken array, an error record
keeps (the reason then says so); a line that is merely invalid is kept whole."""

_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
_WHITESPACE = re.compile(r"[ \t\r\n]*")
_LAYOUT_HINT = "Give JSON Lines (one report object a line) or a JSON array of report objects."
_LINE = "(line)"


@dataclass(frozen=True)
class RawRecord:
    """One record as read: decoded JSON in ``raw``, or ``error`` saying why not.

    ``text`` is the record's source text, kept so a bad record can be quarantined: whole,
    unless the record is over-long or the rest of a broken array (then cut to ``KEPT_CHARS``,
    and ``error`` says so).
    """

    file: str
    line: int
    raw: object | None
    text: str
    error: RecordError | None


def read_records(path: Path) -> Iterator[RawRecord]:
    """Read the reports in a JSON Lines or JSON array file, in file order.

    The layout is checked before this returns, so an unusable file raises at once;
    problems with single records come back as records with ``error`` set.

    Raises:
        InputError: the file cannot be read, is not UTF-8, holds no JSON, starts with
            something other than ``{`` or ``[``, or is a JSON array over ``MAX_ARRAY_BYTES``.

    Examples:
        >>> for record in read_records(Path("reports.jsonl")):  # doctest: +SKIP
        ...     print(record.line, record.error or record.raw)
    """
    first = _sniff(path)
    if first == "[":
        return _array_records(str(path), _read_text(path))
    return _line_records(path)


def content_hash(raw: object) -> str:
    """SHA-256 of the canonical JSON of a record, so re-importing it changes nothing.

    Examples:
        >>> content_hash({"b": 1, "a": "é"}) == content_hash({"a": "é", "b": 1})
        True
    """
    try:
        canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except RecursionError:
        raise InputError("the record is nested too deeply to hash") from None
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


# --------------------------------------------------------------------------- the file


def _open(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror or exc})",
            hint="Check that the path names a file and that you may read it.",
        ) from None


def _sniff(path: Path) -> str:
    """The first meaningful character, ``{`` or ``[``; raise InputError otherwise."""
    with _open(path) as fh:
        try:
            head = fh.read(4)
            for bom, name in _OTHER_BOMS.items():
                if head.startswith(bom):
                    raise InputError(
                        f"{path}: is {name} text, not UTF-8", hint="Save the file as UTF-8."
                    )
            fh.seek(len(_BOM) if head.startswith(_BOM) else 0)
            chunk = fh.read(64 * 1024)
            while chunk and not chunk.strip():
                chunk = fh.read(64 * 1024)
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    text = chunk.lstrip()
    if not text:
        raise InputError(f"{path}: holds no JSON (it is empty or blank)", hint=_LAYOUT_HINT)
    if text[:1] in (b"{", b"[") and text[1:2] != b"\x00":
        return text[:1].decode()
    if b"\x00" in text[:4]:
        raise InputError(f"{path}: looks like UTF-16 text, not UTF-8", hint="Save it as UTF-8.")
    try:
        shown = repr(text[:8].decode("utf-8")[:1])
    except UnicodeDecodeError:
        raise InputError(f"{path}: is not UTF-8 text", hint="Save the file as UTF-8.") from None
    raise InputError(
        f"{path}: starts with {shown}, not with '{{' or '['; it is not a report file",
        hint=_LAYOUT_HINT,
    )


def _read_text(path: Path) -> str:
    """The whole of a JSON array file, refused over ``MAX_ARRAY_BYTES`` rather than left to
    run out of memory (reading at most one byte more, so a pipe or a lying size is capped)."""
    with _open(path) as fh:
        try:
            data = fh.read(MAX_ARRAY_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_ARRAY_BYTES:
        raise InputError(
            f"{path}: is a JSON array of more than {MAX_ARRAY_BYTES:,} bytes, too large to read "
            "whole; give the reports as JSON Lines (one report a line), which may be any size",
            hint="Convert it with: jq -c '.[]' reports.json > reports.jsonl",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}: is not valid UTF-8 (line {line}, byte {exc.start:,})",
            hint="Save it as UTF-8, or export JSON Lines so that only bad lines are set aside.",
        ) from None


# --------------------------------------------------------------------------- decoding


class _Unreadable(ValueError):
    """A record's text is not JSON we accept; the message is the reason."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Unreadable(
                    f"the key {_show(key)} appears twice in one object, so one value would be lost"
                )
            seen.add(key)
    return result


def _no_constant(name: str) -> object:
    raise _Unreadable(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constant)


def _show(text: str, limit: int = 40) -> str:
    return repr(text[:limit]) + ("..." if len(text) > limit else "")


def _decode(text: str, start: int) -> tuple[object, int]:
    """Decode one JSON value at ``start``; raise _Unreadable(reason) if it is not one."""
    try:
        return _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise _Unreadable(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise _Unreadable("it is nested too deeply to read") from None
    except _Unreadable:
        raise
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise _Unreadable(str(exc)) from None


def _error(file: str, line: int, text: str, reason: str) -> RawRecord:
    """An error record keeping ``text`` as given: a caller that cuts it says so in ``reason``,
    so nothing of a record is lost unannounced."""
    return RawRecord(file, line, None, text, RecordError(file, line, _LINE, reason))


# --------------------------------------------------------------------------- JSON Lines


def _line_records(path: Path) -> Iterator[RawRecord]:
    file = str(path)
    with _open(path) as fh:
        for number, data in enumerate(_lines(fh), start=1):
            if number == 1 and data.startswith(_BOM):
                data = data[len(_BOM) :]
            yield from _line_record(file, number, data, fh)


def _lines(fh: IO[bytes]) -> Iterator[bytes]:
    while data := fh.readline(MAX_RECORD_BYTES + 1):
        yield data


def _line_record(file: str, number: int, data: bytes, fh: IO[bytes]) -> Iterator[RawRecord]:
    if len(data) > MAX_RECORD_BYTES and not data.endswith(b"\n"):
        size = len(data) + _skip_rest_of_line(fh)
        text = data[:KEPT_CHARS].decode("utf-8", "replace")
        reason = (
            f"the line is {size:,} bytes long; a record may be at most {MAX_RECORD_BYTES:,} "
            f"bytes, and only its first {KEPT_CHARS:,} are kept here"
        )
        yield _error(file, number, text, reason)
        return
    try:
        text = data.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", "backslashreplace").rstrip("\r\n")
        reason = f"the line is not valid UTF-8 (byte {exc.start + 1} of the line); save as UTF-8"
        yield _error(file, number, text, reason)
        return
    if not text.strip(" \t\r\n"):
        return
    start = _WHITESPACE.match(text).end()  # type: ignore[union-attr]
    try:
        value, end = _decode(text, start)
        if _WHITESPACE.match(text, end).end() != len(text):  # type: ignore[union-attr]
            raise _Unreadable("there is more text after the JSON value; put one report a line")
    except _Unreadable as exc:
        yield _error(file, number, text, _line_reason(text, str(exc)))
        return
    yield RawRecord(file, number, value, text, None)


def _line_reason(text: str, problem: str) -> str:
    reason = f"the line is not valid JSON: {problem.replace(' at line 1 column', ' at column')}"
    if text.strip() in ("{", "["):
        reason += (
            "; a report spread over several lines must be on one line, or the file "
            "must be a JSON array"
        )
    return reason


def _skip_rest_of_line(fh: IO[bytes]) -> int:
    skipped = 0
    while chunk := fh.readline(MAX_RECORD_BYTES):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


# --------------------------------------------------------------------------- JSON arrays


class _LineCounter:
    """Line numbers of increasing offsets, counting each newline once."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _array_records(file: str, text: str) -> Iterator[RawRecord]:
    lines = _LineCounter(text)
    pos = _skip(text, text.index("[") + 1)
    if text.startswith("]", pos):
        yield from _after_array(file, text, _skip(text, pos + 1), lines)
        return
    while True:
        start = pos
        try:
            value, end = _decode(text, start)
        except _Unreadable as exc:
            yield _rest_unreadable(
                file, text, start, lines, f"the element is not valid JSON: {exc}"
            )
            return
        line = lines.at(start)
        yield _element(file, line, value, text[start:end])
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            if not text.startswith("]", pos):
                continue
        if text.startswith("]", pos):
            yield from _after_array(file, text, _skip(text, pos + 1), lines)
            return
        reason = (
            f"expected ',' or ']' after the element that starts on line {line}"
            if pos < len(text)
            else "the array is not closed with ']'; the file may be cut short"
        )
        yield _rest_unreadable(file, text, pos, lines, reason)
        return


def _skip(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]


def _element(file: str, line: int, value: object, text: str) -> RawRecord:
    # Counting bytes costs a copy, so only for elements that might be too long.
    too_long = len(text) > MAX_RECORD_BYTES // 4
    size = len(text.encode("utf-8", "surrogatepass")) if too_long else 0
    if size > MAX_RECORD_BYTES:
        reason = (
            f"the element is {size:,} bytes long; a record may be at most "
            f"{MAX_RECORD_BYTES:,} bytes, and only its first {KEPT_CHARS:,} characters are kept"
        )
        return _error(file, line, text[:KEPT_CHARS], reason)
    return RawRecord(file, line, value, text, None)


def _after_array(file: str, text: str, pos: int, lines: _LineCounter) -> Iterator[RawRecord]:
    if pos < len(text):
        yield _rest_unreadable(file, text, pos, lines, "there is more text after the closing ']'")


def _rest_unreadable(file: str, text: str, pos: int, lines: _LineCounter, reason: str) -> RawRecord:
    line = lines.at(pos)
    rest = len(text) - pos
    if rest > KEPT_CHARS:
        reason += f"; the rest of the file from line {line} ({rest:,} characters) is not read"
    else:
        reason += f"; the rest of the file from line {line} is not read"
    return _error(file, line, text[pos : pos + KEPT_CHARS], reason)
