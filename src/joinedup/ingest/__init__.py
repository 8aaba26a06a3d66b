"""Ingest: the input contract (v1) and reading report files.

- :mod:`~joinedup.ingest.reader` turns a JSON Lines or JSON array file into
  :class:`RawRecord` s, one per report, with undecodable ones marked, never dropped.
- :mod:`~joinedup.ingest.models` validates one record against the contract:
  :func:`parse_report` gives a :class:`SafeguardingReport` (or, for ``"profile":
  "conflict"``, a :class:`ConflictReport` of :mod:`~joinedup.ingest.conflict_report`) or
  raises :class:`ValidationFailed` naming the file, line, field and reason.
- :mod:`~joinedup.ingest.schema` generates the JSON Schema shipped as
  ``joinedup/schema/report-v1.schema.json`` (``python -m joinedup.ingest.schema``).

Example::

    for record in read_records(path):
        if record.error:
            quarantine(record.text, record.error)
            continue
        report = parse_report(record.raw, vocabulary=profile, file=record.file,
                              line=record.line)
"""

from typing import Any

from joinedup.ingest.conflict_report import ConflictReport
from joinedup.ingest.models import (
    DEFAULT_SAFEGUARDING_VOCABULARY,
    KNOWN_PLACE_KINDS,
    PROTECTED_ATTRIBUTES,
    REPORT_MODELS,
    Indicator,
    Link,
    PartialDate,
    Person,
    Place,
    Report,
    ReportBase,
    SafeguardingReport,
    Source,
    StaticVocabulary,
    ValidationFailed,
    Vehicle,
    Vocabulary,
    parse_report,
)
from joinedup.ingest.reader import RawRecord, content_hash, read_records

REPORT_MODELS["conflict"] = ConflictReport


def __getattr__(name: str) -> Any:
    # Loaded on use, so `python -m joinedup.ingest.schema` runs the module only once.
    if name in ("report_json_schema", "write_schema"):
        from joinedup.ingest import schema

        return getattr(schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ConflictReport",
    "DEFAULT_SAFEGUARDING_VOCABULARY",
    "KNOWN_PLACE_KINDS",
    "PROTECTED_ATTRIBUTES",
    "REPORT_MODELS",
    "Indicator",
    "Link",
    "PartialDate",
    "Person",
    "Place",
    "RawRecord",
    "Report",
    "ReportBase",
    "SafeguardingReport",
    "Source",
    "StaticVocabulary",
    "ValidationFailed",
    "Vehicle",
    "Vocabulary",
    "content_hash",
    "parse_report",
    "read_records",
    "report_json_schema",
    "write_schema",
]
