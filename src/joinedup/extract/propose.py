"""Proposing: read the narratives of new narrative-only reports, and keep what they name for a
person to confirm.

This is the extract stage for prose (a text file, an email, a report with only a
``narrative``). It runs on new reports before resolution; what it proposes is kept with its span
and confidence (:class:`~joinedup.extract.proposals.Proposal`) and counts as structured data
only once a person accepts it. Reports that arrive structured are not read here: their fields
already say what the narrative would, and reading every narrative of a large import would cost
more than the import itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from joinedup.extract.proposals import Proposal
from joinedup.profiles import load_profile
from joinedup.store import Store

READ_BATCH = 256  # narratives read together


def read_narrative(text: str, reported_at: date | datetime,
                   profile_name: str = "safeguarding", sign_model: bool | None = None
                   ) -> list[Proposal]:
    """What a narrative names, as proposals: the rules, and the learned sign model after them
    where ``sign_model`` asks for it (``None``: as the profile says)."""
    from joinedup.extract.narrative import extract_narrative

    profile = load_profile(profile_name)
    use_model = profile.sign_model if sign_model is None else sign_model
    return extract_narrative(text, _day(reported_at), profile, sign_model=use_model)


def propose(store: Store, reports: Sequence[int]) -> int:
    """Read the narrative-only reports among ``reports`` and keep their proposals; return how
    many were proposed. Only profiles whose reports are joined up into entities have a reader
    (its phrase books are theirs); a conflict report's narrative is kept and searchable.

    The reader (spaCy, and through it torch where the sign model's extra is installed, about
    three seconds to import) is loaded only when there is something to read: a structured
    report added to a running store does not wait for it."""
    by_profile: dict[str, list[dict[str, Any]]] = {}
    for r in store.narratives_to_read(reports):
        if load_profile(r["profile"]).engine == "entities":
            by_profile.setdefault(r["profile"], []).append(r)
    if not by_profile:
        return 0
    from joinedup.extract.narrative import extract_narratives

    rows: list[dict[str, Any]] = []
    for name, found in by_profile.items():
        profile = load_profile(name)
        # a batch at a time: the sign model embeds a batch's sentences in one pass, and a
        # batch's readings (spaCy docs) are let go before the next
        for at in range(0, len(found), READ_BATCH):
            batch = found[at:at + READ_BATCH]
            texts = [(str(r["narrative"]), _day(r["reported_at"])) for r in batch]
            read = extract_narratives(texts, profile, profile.sign_model)
            for r, proposals in zip(batch, read, strict=True):
                rows += [{"report": r["pk"], "type": p.type, "start": p.start, "end": p.end,
                          "text": p.text, "value": p.value, "role": p.role or None,
                          "confidence": p.confidence, "rule": p.rule, "attrs": dict(p.attrs)}
                         for p in proposals]
    store.add_proposals(rows)
    return len(rows)


def _day(when: date | datetime) -> date:
    return when.date() if isinstance(when, datetime) else when


def proposals_of_file(path: Path, reported_at: str = "", sign_model: bool | None = None
                      ) -> list[dict[str, Any]]:
    """``joinedup extract``: the proposals for each report a file holds (a text file or an
    email is one report; a JSON Lines or JSON file, each of its reports with a narrative).
    ``sign_model``: read signs with the learned model too (``None``: as the profile says)."""
    from joinedup.ingest.reader import read_records
    from joinedup.ingest.text import TextSource, is_text_file, text_record

    out: list[dict[str, Any]] = []
    if is_text_file(path):
        record = text_record(path, TextSource("other", "file", None, reported_at or None))
        records = [record]
    else:
        records = list(read_records(path))
    for rec in records:
        raw = rec.raw if isinstance(rec.raw, dict) else None
        if raw is None and rec.error is not None and rec.error.field == "reported_at":
            raise_missing_date(path)
        if raw is None or not raw.get("narrative"):
            continue
        when = str(reported_at or raw.get("reported_at") or "")[:10]
        try:
            day = date.fromisoformat(when)
        except ValueError:
            raise_missing_date(path)
        found = read_narrative(str(raw["narrative"]), day,
                               str(raw.get("profile", "safeguarding")), sign_model)
        out.append({"file": str(path), "line": rec.line, "report": str(raw.get("id", "")),
                    "reported_at": day.isoformat(), "proposals": [p.as_json() for p in found]})
    return out


def raise_missing_date(path: Path) -> None:
    from joinedup.errors import InputError

    raise InputError(f"{path}: relative dates need the day the text was written",
                     hint="give --reported-at YYYY-MM-DD")
