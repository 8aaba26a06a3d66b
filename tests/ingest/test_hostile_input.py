"""Hostile input never crashes an import: the bad record is quarantined with its whole text and
a reason, and the good records beside it are imported.

Each case here once ended an import (or an API call) with a traceback, or lost text silently.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from joinedup.errors import InputError
from joinedup.ingest import reader
from joinedup.ingest.importer import import_file, import_text_file, submit_report
from joinedup.ingest.text import TextSource
from joinedup.store import Store
from joinedup.web.app import create_app

SOURCE = TextSource("police", "north-police")
HEAD = (b"From: a@b.example\r\nDate: Mon, 14 Jul 2008 09:00:00 +0000\r\n"
        b"Message-ID: <%s@x.example>\r\n")


def _report(rid: str, **more: Any) -> dict[str, Any]:
    return {"id": rid, "source": {"agency": "police", "org": "north-police"},
            "reported_at": "2008-07-14", "narrative": "Child seen at the station.", **more}


def _line(rid: str) -> str:
    return json.dumps(_report(rid))


def _raw(store: Store) -> dict[int, str]:
    """Quarantined text by line."""
    return {q["line"]: q["raw"] for q in store.quarantine_rows()}


def _email(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_record_too_deep_to_hash_is_quarantined(store: Store, tmp_path: Path) -> None:
    """Around 988 levels a line decodes but hashing it overflows the stack; every depth near
    the limit is quarantined, whichever check refuses it, and the import goes on."""
    depths = range(900, 1000)
    deep = [
        f'{{"id":"D{d}","source":{{"agency":"police","org":"north-police"}},'
        f'"reported_at":"2008-07-14","extra":{{"n":{"[" * d}{"]" * d}}}}}'
        for d in depths
    ]
    path = tmp_path / "deep.jsonl"
    path.write_text("\n".join([_line("GOOD-1"), *deep, _line("GOOD-2")]) + "\n")
    result = import_file(store, path)
    assert (result.accepted, result.quarantined) == (2, len(deep))
    assert all(e.field and e.reason for e in result.errors)
    assert _raw(store) == {n: text for n, text in enumerate(deep, start=2)}


def test_a_submitted_report_with_a_lone_surrogate_is_quarantined(store: Store) -> None:
    result = submit_report(store, _report("SUR-1", narrative="a\ud800b"), "api")
    assert (result.accepted, result.quarantined) == (0, 1)
    assert result.errors[0].field == "narrative"
    (row,) = store.quarantine_rows()
    assert "a\\ud800b" in row["raw"]  # kept, escaped: a database cannot hold a lone surrogate


def test_the_api_answers_422_for_a_lone_surrogate(store_url: str) -> None:
    app = create_app(store_url)
    try:
        with TestClient(app, base_url="http://testserver") as client:
            # sent as a client sends it, the escape \ud800, which JSON allows and UTF-8 not
            body = json.dumps(_report("SUR-API", narrative="a\ud800b"))
            r = client.post("/api/reports", content=body,
                            headers={"content-type": "application/json"})
        assert r.status_code == 422, r.text
        assert "narrative" in {e["field"] for e in r.json()["errors"]}
    finally:
        for thread in threading.enumerate():  # the app's search indexer, before the schema goes
            if thread.name == "search-index":
                thread.join(timeout=60)
        app.state.ctx.engine.dispose()


def test_an_email_in_an_unknown_charset_is_quarantined(store: Store, tmp_path: Path) -> None:
    data = (HEAD % b"cs" + b"Content-Type: text/plain; charset=x-nonexistent\r\n\r\n"
            b"Child seen at Smith's\r\n")
    result = import_text_file(store, _email(tmp_path, "charset.eml", data), SOURCE)
    assert result.quarantined == 1 and "x-nonexistent" in result.errors[0].reason
    (row,) = store.quarantine_rows()
    assert "Child seen at Smith's" in row["raw"]


def test_an_email_nested_too_deeply_is_quarantined(store: Store, tmp_path: Path) -> None:
    depth = 1200
    parts = b"".join(b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i)
                     for i in range(depth))
    ends = b"".join(b"--b%d--\r\n" % i for i in reversed(range(depth)))
    data = HEAD % b"nest" + b"MIME-Version: 1.0\r\n" + parts + \
        b"Content-Type: text/plain\r\n\r\nhello\r\n" + ends
    result = import_text_file(store, _email(tmp_path, "nest.eml", data), SOURCE)
    assert result.quarantined == 1 and "nested" in result.errors[0].reason
    assert len(store.quarantine_rows()) == 1


def test_an_8bit_sender_name_is_read_as_utf8(store: Store, tmp_path: Path) -> None:
    data = (b"From: J\xc3\xb6rg <a@b.example>\r\nDate: Mon, 14 Jul 2008 09:00:00 +0000\r\n"
            b"Message-ID: <from8@x.example>\r\nSubject: caf\xc3\xa9 \xff\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nChild seen\r\n")
    result = import_text_file(store, _email(tmp_path, "from8bit.eml", data), SOURCE)
    assert result.accepted == 1, result.errors
    report = store.submission("north-police", "from8@x.example")
    assert report["reporter"] == "Jörg"
    assert report["body"]["extra"]["email_subject"] == "café \ufffd"


def test_an_html_email_keeps_its_trailing_text(store: Store, tmp_path: Path) -> None:
    data = (HEAD % b"html" + b"Content-Type: text/html; charset=utf-8\r\n\r\n"
            b"<p>First para</p><p>Child seen at Smith&Sons")
    result = import_text_file(store, _email(tmp_path, "html.eml", data), SOURCE)
    assert result.accepted == 1, result.errors
    narrative = store.submission("north-police", "html@x.example")["narrative"]
    assert "First para" in narrative and "Child seen at Smith&Sons" in narrative


def test_an_email_whose_text_is_only_an_attachment_is_quarantined(
    store: Store, tmp_path: Path
) -> None:
    data = (HEAD % b"att" + b"MIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            b"Content-Type: text/plain\r\n"
            b"Content-Disposition: attachment; filename=statement.txt\r\n\r\n"
            b"The whole statement is here\r\n--XX--\r\n")
    result = import_text_file(store, _email(tmp_path, "attach.eml", data), SOURCE)
    assert (result.accepted, result.quarantined) == (0, 1)
    assert "statement.txt" in result.errors[0].reason
    (row,) = store.quarantine_rows()
    assert "The whole statement is here" in row["raw"]


def test_a_long_bad_line_is_quarantined_whole(store: Store, tmp_path: Path) -> None:
    bad = _line("LONG")[:-1].replace("Child seen", "x" * 90_000 + " Jane Doe seen")  # no '}'
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join([_line("GOOD-1"), bad, _line("GOOD-2")]) + "\n")
    result = import_file(store, path)
    assert (result.accepted, result.quarantined) == (2, 1)
    assert result.errors[0].line == 2 and "not valid JSON" in result.errors[0].reason
    assert _raw(store) == {2: bad}


def test_a_nul_in_a_bad_line_is_kept_escaped(store: Store, tmp_path: Path) -> None:
    """PostgreSQL text cannot hold NUL: it is quarantined as the six characters \\u0000."""
    bad = _line("NUL").replace("Child seen", "Child\x00seen")
    path = tmp_path / "nul.jsonl"
    path.write_text("\n".join([_line("GOOD-1"), bad, _line("GOOD-2")]) + "\n")
    result = import_file(store, path)
    assert (result.accepted, result.quarantined) == (2, 1)
    assert _raw(store) == {2: bad.replace("\x00", "\\u0000")}


def test_a_json_array_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_ARRAY_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([_report(f"A{i}") for i in range(20)]))
    with pytest.raises(InputError, match="JSON Lines"):
        list(reader.read_records(path))
