"""Reading report files: every record comes back, with its line, or with why it could not."""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.errors import InputError, RecordError
from joinedup.ingest import reader
from joinedup.ingest.models import DEFAULT_SAFEGUARDING_VOCABULARY, parse_report
from joinedup.ingest.reader import RawRecord, content_hash, read_records

from .test_models import FULL, MINIMAL


def write(tmp_path: Path, content: str | bytes, name: str = "reports.jsonl") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def one_line(raw: object) -> str:
    return json.dumps(raw, ensure_ascii=False)


def test_json_lines_give_one_record_a_line_with_its_line_number(tmp_path: Path) -> None:
    path = write(tmp_path, f"{one_line(MINIMAL)}\n\n   \n{one_line(FULL)}\n")
    records = list(read_records(path))
    assert [(r.line, r.raw, r.error) for r in records] == [(1, MINIMAL, None), (4, FULL, None)]
    assert records[0].file == str(path)
    assert records[1].text == one_line(FULL)


def test_windows_line_endings_and_a_missing_final_newline_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, f"{one_line(MINIMAL)}\r\n{one_line(FULL)}")
    assert [(r.line, r.raw) for r in read_records(path)] == [(1, MINIMAL), (2, FULL)]


def test_json_array_elements_carry_the_line_where_they_start(tmp_path: Path) -> None:
    text = "[\n" + json.dumps(MINIMAL, indent=2) + ",\n\n  " + json.dumps(FULL) + "\n]\n"
    records = list(read_records(write(tmp_path, text, "reports.json")))
    starts = 2 + json.dumps(MINIMAL, indent=2).count("\n") + 2
    assert [(r.line, r.raw, r.error) for r in records] == [(2, MINIMAL, None), (starts, FULL, None)]
    assert json.loads(records[0].text) == MINIMAL


@pytest.mark.parametrize("text", ["[]", "  [ \n ]\n", "[\n]"])
def test_empty_array_gives_no_records(tmp_path: Path, text: str) -> None:
    assert list(read_records(write(tmp_path, text, "reports.json"))) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [(one_line(MINIMAL) + "\n", "reports.jsonl"), ("[" + one_line(MINIMAL) + "]", "reports.json")],
)
def test_utf8_byte_order_mark_is_skipped(tmp_path: Path, content: str, name: str) -> None:
    records = list(read_records(write(tmp_path, b"\xef\xbb\xbf" + content.encode(), name)))
    assert [(r.line, r.raw, r.error) for r in records] == [(1, MINIMAL, None)]


def test_broken_json_line_becomes_an_error_record_and_reading_goes_on(tmp_path: Path) -> None:
    broken = '{"id": "R2", "source": {"agency": "police" "org": "x"}}'
    path = write(tmp_path, f"{one_line(MINIMAL)}\n{broken}\n{one_line(FULL)}\n")
    first, bad, last = read_records(path)
    assert (first.error, last.error, last.line) == (None, None, 3)
    assert isinstance(bad.error, RecordError)
    assert (bad.line, bad.raw, bad.text) == (2, None, broken)
    assert (bad.error.file, bad.error.line, bad.error.field) == (str(path), 2, "(line)")
    assert "not valid JSON" in bad.error.reason and "column 44" in bad.error.reason


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('{"id": "a", "id": "b"}', ["'id' appears twice"]),
        ('{"age": NaN}', ["NaN is not a JSON number"]),
        ('{"a": 1} {"b": 2}', ["more text after the JSON value"]),
        ("[" * 100_000 + "]" * 100_000, ["nested too deeply"]),
        ('{"n": ' + "9" * 5000 + "}", ["digits"]),
        ("{", ["not valid JSON", "one line, or the file must be a JSON array"]),
    ],
    ids=["duplicate key", "NaN", "two values", "deep nesting", "huge integer", "pretty-printed"],
)
def test_json_we_cannot_trust_becomes_an_error_record(
    tmp_path: Path, line: str, words: list[str]
) -> None:
    path = write(tmp_path, one_line(MINIMAL) + "\n" + line + "\n")
    record = list(read_records(path))[1]
    assert record.error is not None and record.raw is None and record.line == 2
    for word in words:
        assert word in record.error.reason
    assert len(record.error.reason) < 300


def test_line_that_is_not_utf8_becomes_an_error_record_keeping_its_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, one_line(MINIMAL).encode() + b'\n{"name": "Caf\xe9"}\n')
    record = list(read_records(path))[1]
    assert record.error is not None and "not valid UTF-8" in record.error.reason
    assert record.text == '{"name": "Caf\\xe9"}'


def test_over_long_line_is_refused_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_RECORD_BYTES", 1_000)
    monkeypatch.setattr(reader, "KEPT_CHARS", 100)
    long_line = one_line({**MINIMAL, "narrative": "z" * 5_000})
    path = write(tmp_path, f"{long_line}\n{one_line(MINIMAL)}\n")
    big, after = read_records(path)
    assert big.error is not None and "at most 1,000 bytes" in big.error.reason
    assert f"{len(long_line) + 1:,} bytes" in big.error.reason
    assert big.text == long_line[:100]
    assert (after.line, after.raw) == (2, MINIMAL)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[\n{"id": "a"},\n{"id": "b" "c"},\n{"id": "d"}\n]', 3, ["not valid JSON", "line 3"]),
        ('[\n{"id": "a"}\n{"id": "b"}\n]', 3, ["expected ',' or ']'", "line 2"]),
        ('[\n{"id": "a"},\n', 3, ["not valid JSON"]),
        ('[\n{"id": "a"}\n', 3, ["not closed", "cut short"]),
        ('[\n{"id": "a"}\n]\ntrailing', 4, ["more text after the closing ']'"]),
    ],
    ids=["broken element", "missing comma", "cut after comma", "not closed", "trailing text"],
)
def test_broken_array_keeps_what_was_read_and_sets_aside_the_rest(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    records = list(read_records(write(tmp_path, text, "reports.json")))
    assert records[0] == RawRecord(records[0].file, 2, {"id": "a"}, '{"id": "a"}', None)
    bad = records[-1]
    assert bad.error is not None and bad.line == line and bad.error.field == "(line)"
    for word in words:
        assert word in bad.error.reason
    assert bad.text in text


def test_array_with_a_trailing_comma_is_read(tmp_path: Path) -> None:
    records = list(read_records(write(tmp_path, '[{"id": "a"},\n]', "reports.json")))
    assert [r.raw for r in records] == [{"id": "a"}]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ["holds no JSON"]),
        (b" \n\t\n", ["holds no JSON"]),
        (b"id,name\nR1,Jo\n", ["starts with 'i'", "not a report file"]),
        (b"\xff\xfe{\x00}\x00", ["UTF-16"]),
        ("{}".encode("utf-16-le"), ["UTF-16"]),
        (b"\xe9t\xe9", ["not UTF-8"]),
        (b'[{"name": "Caf\xe9"}]', ["not valid UTF-8", "line 1"]),
    ],
    ids=["empty", "blank", "csv", "utf-16 with bom", "utf-16 without bom", "latin-1", "array"],
)
def test_unusable_file_raises_input_error_with_a_hint(
    tmp_path: Path, content: bytes, words: list[str]
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(InputError) as caught:
        read_records(path)  # raises before iteration: the CLI can exit 2 at once
    for word in words:
        assert word in caught.value.message
    assert caught.value.hint
    assert not isinstance(caught.value, RecordError)


@pytest.mark.parametrize("name", ["missing.jsonl", "."])
def test_unreadable_path_raises_input_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        read_records(tmp_path / name)


def test_content_hash_is_sha256_of_canonical_json() -> None:
    assert content_hash({"b": [1, "é"], "a": None}) == content_hash({"a": None, "b": [1, "é"]})
    expected = hashlib.sha256('{"a":null,"b":[1,"é"]}'.encode()).hexdigest()
    assert content_hash({"b": [1, "é"], "a": None}) == expected
    assert content_hash({"a": 1}) != content_hash({"a": 2})


def test_content_hash_survives_an_unpaired_surrogate() -> None:
    assert len(content_hash({"name": "\ud800"})) == 64


def _json_values() -> st.SearchStrategy[object]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=30)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


REPORT_KEYS = sorted({*FULL, *FULL["people"][0], *FULL["places"][0], "from", "to", "type"})


def _report_like() -> st.SearchStrategy[object]:
    """FULL with a few values swapped for arbitrary JSON, to reach the deeper checks."""

    def mutate(changes: list[tuple[str, object]]) -> dict[str, object]:
        raw = json.loads(json.dumps(FULL))
        targets = (raw, raw["people"][0], raw["places"][0], raw["links"][0])
        for key, value in changes:
            for target in targets:
                if key in target:
                    target[key] = value
                    break
            else:
                raw[key] = value
        return raw

    return st.lists(st.tuples(st.sampled_from(REPORT_KEYS), _json_values()), max_size=3).map(mutate)


def _read_and_parse(content: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content.encode("utf-8", "surrogatepass"))
        try:
            records = list(read_records(path))
        except InputError:
            return
        for record in records:
            content_hash(record.raw)
            if record.error is None:
                with contextlib.suppress(RecordError):
                    parse_report(
                        record.raw,
                        vocabulary=DEFAULT_SAFEGUARDING_VOCABULARY,
                        file=record.file,
                        line=record.line,
                    )


@settings(max_examples=200, deadline=None)
@given(st.lists(_json_values() | _report_like(), min_size=1, max_size=5), st.booleans())
def test_any_json_only_ever_raises_record_or_input_errors(
    values: list[object], array: bool
) -> None:
    if array:
        _read_and_parse(json.dumps(values, indent=1), "reports.json")
    else:
        _read_and_parse("\n".join(json.dumps(v) for v in values), "reports.jsonl")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_any_text_lines_only_ever_raise_record_or_input_errors(lines: list[str]) -> None:
    _read_and_parse("\n".join(lines), "reports.jsonl")
