"""Narrative-only reports from text files and emails (``.txt``, ``.eml``).

Much of what agencies hold is prose: an interview summary, a clinic's safeguarding email, a
care home's missing note. A text file or an email becomes one report of input contract v1
whose ``narrative`` is its text, with the source given on the command line (a text file does
not say who wrote it). The extract stage then proposes what the text names, for a person to
confirm.

- ``id``: an email's Message-ID, else the file's name without its suffix, so that importing
  the same file again changes nothing and an edited file becomes a new version.
- ``reported_at``: ``--reported-at``, else an email's Date header. A text file without one is
  quarantined with the reason, never dropped.
- An email's subject and sender are kept in ``extra``; its plain-text part is the narrative
  (an HTML-only email is reduced to its text), and the names of its attachments, which are not
  read, are listed in ``extra`` so that nothing is left out unsaid. Raw 8-bit header text is
  read as UTF-8 (RFC 6532); bytes that are not UTF-8 become U+FFFD, visibly.
- An email that cannot be used is quarantined with the reason and its whole source: text only
  in an attachment, no text part at all, a charset this system does not know (its text would
  be guessed, so it is not read), or MIME parts nested too deeply to read.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from joinedup.errors import RecordError
from joinedup.ingest.reader import RawRecord

TEXT_SUFFIXES = (".txt", ".eml")
MAX_TEXT_BYTES = 4 * 1024 * 1024
_SURROGATES = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class TextSource:
    """Who a text file or email came from, as the command line says."""

    agency: str
    org: str
    reporter: str | None = None
    reported_at: str | None = None
    profile: str = "safeguarding"


def is_text_file(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def text_record(path: Path, source: TextSource) -> RawRecord:
    """The file as one raw report record (an error record if it cannot be read as text)."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _error(name, "(file)", f"cannot read: {exc.strerror}", "")
    if len(data) > MAX_TEXT_BYTES:
        return _error(name, "(file)", f"longer than {MAX_TEXT_BYTES // (1024 * 1024)} MB",
                      data[:4096].decode("utf-8", "replace"))
    if path.suffix.lower() == ".eml":
        try:
            report = _from_email(data, path, source)
        except RecordError as err:
            return RawRecord(file=name, line=1, raw=None, error=err,
                             text=data.decode("utf-8", "backslashreplace"))
        except RecursionError:
            return _error(name, "(file)", "its MIME parts are nested too deeply to read: "
                          "save the text of the email as a .txt and import that",
                          data.decode("utf-8", "backslashreplace"))
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return _error(name, "(file)", f"not UTF-8 text (byte {exc.start})",
                          data[:4096].decode("utf-8", "replace"))
        report = _report(path.stem, text, source, source.reported_at, {})
    text = json.dumps(report, ensure_ascii=False, sort_keys=True)
    if not report.get("reported_at"):
        return _error(name, "reported_at", "a text file does not say when it was written: "
                      "give --reported-at YYYY-MM-DD", text)
    return RawRecord(file=name, line=1, raw=report, text=text, error=None)


def _report(rid: str, narrative: str, source: TextSource, reported_at: str | None,
            extra: dict[str, Any]) -> dict[str, Any]:
    src: dict[str, Any] = {"agency": source.agency, "org": source.org}
    if source.reporter:
        src["reporter"] = source.reporter
    report: dict[str, Any] = {
        "id": rid.strip(),
        "profile": source.profile,
        "source": src,
        "narrative": narrative.strip(),
    }
    if reported_at:
        report["reported_at"] = reported_at
    if extra:
        report["extra"] = extra
    return report


def _from_email(data: bytes, path: Path, source: TextSource) -> dict[str, Any]:
    """The email as a report.

    Raises:
        RecordError: the email has no text to import (see the module docstring).
        RecursionError: its MIME parts nest deeper than the parser can follow.
    """
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    attachments = [_clean(part.get_filename() or part.get_content_type())
                   for part in msg.iter_attachments()]
    text = _email_text(msg, path.name, attachments)
    when = source.reported_at
    if not when and msg["date"]:
        try:
            when = parsedate_to_datetime(str(msg["date"])).date().isoformat()
        except (TypeError, ValueError):
            when = None
    message_id = _clean(str(msg["message-id"] or "")).strip().strip("<>")
    extra: dict[str, Any] = {
        k: _clean(str(msg[h])) for k, h in (("email_subject", "subject"), ("email_from", "from"))
        if msg[h]
    }
    if attachments:
        extra["email_attachments_not_read"] = attachments
    reporter = source.reporter or (_clean(msg["from"].addresses[0].display_name)
                                   if msg["from"] and msg["from"].addresses else None)
    named = TextSource(source.agency, source.org, reporter or None, when, source.profile)
    return _report(message_id or path.stem, text, named, when, extra)


def _email_text(msg: EmailMessage, name: str, attachments: list[str]) -> str:
    """The text of the email's plain (else HTML) body; a RecordError when it has none or it
    is in a charset not known here, never an empty report or a guessed text."""
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        if attachments:
            reason = (f"its text is only in an attachment ({', '.join(attachments)[:200]}): "
                      "paste it into the body or import the attachment as a .txt")
        else:
            reason = ("it has no text part (text/plain or text/html) to import: save its text "
                      "as a .txt and import that")
        raise RecordError(name, 1, "(body)", reason)
    try:
        content = body.get_content()
    except LookupError:
        charset = _clean(str(body.get_content_charset()))
        raise RecordError(
            name, 1, "(body)",
            f"its text is in the charset {charset[:100]!r}, which is not known here: save the "
            "email with its text as UTF-8 and import it again") from None
    text = content if isinstance(content, str) else ""
    return _html_text(text) if body.get_content_subtype() == "html" else text


def _clean(value: str) -> str:
    """Header text as Unicode. The email package leaves raw 8-bit bytes in a header as lone
    surrogates, which no database or hash takes: they are read as UTF-8 (RFC 6532 allows it),
    and whatever is still not Unicode becomes U+FFFD, visibly, never a crash."""
    with contextlib.suppress(UnicodeEncodeError):  # a surrogate no byte was read as
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _SURROGATES.sub("\ufffd", value)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")


def _html_text(html_text: str) -> str:
    """The text of an HTML body; ``close`` hands over what the parser still holds back (an
    unclosed tag or entity at the end), which would otherwise be lost."""
    parser = _Text()
    parser.feed(html_text)
    parser.close()
    return "".join(parser.parts)


def _error(file: str, field: str, reason: str, text: str) -> RawRecord:
    return RawRecord(file=file, line=1, raw=None, text=text,
                     error=RecordError(file, 1, field, reason))
