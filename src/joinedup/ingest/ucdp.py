"""UCDP GED events as conflict-v1 reports: one report per source article, or one per event.

The UCDP Georeferenced Event Dataset (codebook 19.1) has one row per event that UCDP has already
merged from one or more sources. Its ``source_article`` cell lists them as
``"OFFICE,DATE,HEADLINE"`` entries separated by ``;`` (headlines hold commas and quotes, so an
entry is cut at the first ``,YYYY-MM-DD,``). Two views:

- ``articles`` (the default): each source article becomes one report of the event (an article
  listed twice for one event is one report), published by its office (``source.org`` the
  office's slug, ``source.agency`` from ``outlets.yaml``) on the article's date. This undoes
  UCDP's merge, which is what incident de-duplication must redo.
- ``dataset``: one report per event in UCDP's name (org ``ucdp-ged``, agency ``dataset``),
  ``derived_from`` the article reports, since UCDP only repeats what they say.

What each report holds, and why (mappings are profile data, ``profiles/conflict/ucdp.yaml``):

- ``occurred_from``/``occurred_to``: ``date_start``/``date_end``, the window UCDP gives at every
  ``date_prec``; ``date_prec`` is kept in ``extra``.
- ``location``: ``where_coordinates`` as the name, ``adm_1``/``adm_2``, the coordinates, and a
  precision from ``where_prec`` (1 exact, 2 within 25 km, 3 district, 4-5 governorate, 6-7 country).
- ``actors``: ``side_a`` and ``side_b``, split at commas (a side may be a coalition, "Fatah Halab,
  Jabhat Fateh al-Sham"), with roles by ``type_of_violence``; the dyad is kept in ``extra``.
- ``casualties.killed``: ``{"min": low, "max": high}``, the event's range (where UCDP's low, best
  and high are out of order, as in about one event in 160, the range of the three, with a note
  in ``extra``). The file does not give a source article's own figure, only UCDP's estimate for
  the event from all its sources, so every article report of an event carries the same range.
- ``harm``: read from the headline by ``harm_keywords.yaml`` (UCDP records no weapon or target).
- ``source.document``: the article, ``"OUTLET, DATE, HEADLINE"``. UCDP's coders split an
  article describing several attacks into several events; de-duplication keeps a source's reports
  of one document apart.
- ``upstream``: whom the article relies on, from ``source_original`` (split into canonical names):
  the office itself when it is among them, an origin named in the office ("The Independent (in
  SOHR)"), else the first origin named. All origins are kept in ``extra.origins``.

A row that cannot be read (a bad date, a missing id, a wrong field count, a code UCDP does not
have, a death count that is not a number or over ten million, an id seen before, or a failure
this module does not foresee) is not dropped: it comes back as a
:class:`~joinedup.ingest.reader.RawRecord` with an error naming the file, line, field and
reason, which the importer quarantines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from joinedup.errors import ProfileError, RecordError
from joinedup.ingest.conflict_report import MAX_CASUALTIES
from joinedup.ingest.csv_rows import CsvRow, read_rows, shown, unexpected
from joinedup.ingest.harm_words import HarmWords, load_harm_words
from joinedup.ingest.models import MAX_INTEGER
from joinedup.ingest.outlets import Outlets, load_outlets
from joinedup.ingest.reader import RawRecord
from joinedup.profiles import PROFILES_DIR, read_data

__all__ = [
    "COLUMNS",
    "Article",
    "Mappings",
    "UcdpCodes",
    "UcdpEvent",
    "View",
    "ViolenceType",
    "article_document",
    "article_reports",
    "dataset_report",
    "distinct_articles",
    "load_mappings",
    "load_ucdp_codes",
    "load_ucdp_codes_from",
    "parse_event",
    "read_events",
    "read_ucdp",
    "split_source_article",
    "ucdp_reports",
]

View = Literal["articles", "dataset"]
UCDP_PATH = PROFILES_DIR / "conflict" / "ucdp.yaml"
PROFILE = "conflict"
COLUMNS = (
    "id", "type_of_violence", "dyad_name", "side_a", "side_b", "source_article",
    "source_original", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude",
    "longitude", "event_clarity", "date_prec", "date_start", "date_end", "deaths_civilians",
    "low", "best", "high",
)
WHAT = "a UCDP GED CSV (codebook 19.1)"
_DATED = re.compile(r",\s*(\d{4}-\d{1,2}-\d{1,2})\s*,")
_EMPTY_DATE = re.compile(r"^([^,]*),\s*,(.*)$", re.S)
_WHOLE = re.compile(r"-?[0-9]{1,18}")  # ASCII digits only, and below 2**63 (the store's limit)
MAX_DEATHS = MAX_CASUALTIES
"""The most deaths one event's ``low``, ``best``, ``high`` or ``deaths_civilians`` may give, as
the input contract caps a toll: GED codes one event of a day or so in one place."""
MAX_ID = MAX_INTEGER
"""The largest ``id`` (or other code) the store can write; past it a row would fail its batch."""


# --------------------------------------------------------------------------- the codes


@dataclass(frozen=True)
class ViolenceType:
    """How one ``type_of_violence`` code reads: a label, the sides' roles, targets it implies."""

    label: str
    side_a: str
    side_b: str
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class UcdpCodes:
    """``ucdp.yaml``, loaded: precision by ``where_prec``, roles by ``type_of_violence``."""

    codebook: str
    where_prec: dict[int, str]
    date_prec: dict[int, str]
    violence: dict[int, ViolenceType]
    dataset_org: str
    dataset_agency: str


def _codes(data: Mapping[str, Any], key: str, path: Path) -> dict[int, Any]:
    table = data.get(key)
    if not isinstance(table, dict) or not all(isinstance(k, int) for k in table):
        raise ProfileError(f"{path}: {key}: expected a mapping from UCDP's codes (integers)")
    return table


def load_ucdp_codes_from(path: Path) -> UcdpCodes:
    """Load and check ``ucdp.yaml``; a missing or malformed key is a ProfileError naming it."""
    data = read_data(path, "UCDP codes")
    violence = {}
    for code, spec in _codes(data, "type_of_violence", path).items():
        if not isinstance(spec, dict) or not {"label", "side_a", "side_b"} <= set(spec):
            raise ProfileError(f"{path}: type_of_violence.{code}: expected label, side_a, side_b")
        violence[code] = ViolenceType(str(spec["label"]), str(spec["side_a"]),
                                      str(spec["side_b"]), tuple(spec.get("targets") or ()))
    dataset = data.get("dataset") or {}
    if not isinstance(dataset, dict) or not {"org", "agency"} <= set(dataset):
        raise ProfileError(f"{path}: dataset: expected 'org' and 'agency'")
    return UcdpCodes(
        codebook=str(data.get("codebook", "")),
        where_prec={k: str(v) for k, v in _codes(data, "where_prec", path).items()},
        date_prec={k: str(v) for k, v in _codes(data, "date_prec", path).items()},
        violence=violence,
        dataset_org=str(dataset["org"]),
        dataset_agency=str(dataset["agency"]),
    )


@cache
def load_ucdp_codes() -> UcdpCodes:
    """The UCDP codes shipped with the conflict profile."""
    return load_ucdp_codes_from(UCDP_PATH)


# --------------------------------------------------------------------------- one event


@dataclass(frozen=True)
class Article:
    """One entry of ``source_article``: its position (from 1), office, date and headline.

    ``date`` is None when the entry gives none; ``date_text`` keeps what it gave instead.
    """

    position: int
    office: str
    date: date | None
    headline: str
    date_text: str = ""


@dataclass(frozen=True)
class UcdpEvent:
    """One GED row, checked: the fields the reports are made from."""

    id: int
    line: int
    type_of_violence: int
    dyad: str
    side_a: str
    side_b: str
    articles: tuple[Article, ...]
    source_original: str
    where_prec: int
    where: str
    adm_1: str
    adm_2: str
    lat: float | None
    lon: float | None
    event_clarity: int
    date_prec: int
    date_start: date
    date_end: date
    deaths_civilians: int
    low: int
    best: int
    high: int
    row: str = field(default="", compare=False, repr=False)  # the CSV row, for quarantine


def split_source_article(cell: str) -> list[Article]:
    """The entries of a ``source_article`` cell, in order.

    Entries are ``"OFFICE,DATE,HEADLINE"`` in double quotes, joined by ``;``. A headline may hold
    commas, semicolons and quotes, so entries are cut at ``";"`` and each at its first
    ``,YYYY-MM-DD,``; an entry without a date keeps its office and headline and ``date`` None.

    Examples:
        >>> cell = '"BBC,2016-02-07,Four killed fighting "IS, takfiris"";"HRW,2016-02-08,A; B"'
        >>> [(a.office, a.headline) for a in split_source_article(cell)]
        [('BBC', 'Four killed fighting "IS, takfiris"'), ('HRW', 'A; B')]
    """
    text = cell.strip()
    if not text:
        return []
    if text.startswith('"') and text.endswith('"') and len(text) > 1:
        entries = text[1:-1].split('";"')
    else:
        entries = text.split(";")
    return [_article(i, entry) for i, entry in enumerate(entries, start=1)]


def _article(position: int, entry: str) -> Article:
    dated = _DATED.search(entry)
    if dated:
        office, headline, text = entry[: dated.start()], entry[dated.end() :], dated.group(1)
        return Article(position, office.strip(), _iso_date(text), headline.strip(), text)
    empty = _EMPTY_DATE.match(entry)
    if empty:
        return Article(position, empty.group(1).strip(), None, empty.group(2).strip())
    office, _, rest = entry.partition(",")
    parts = rest.split(",", 1)
    if len(parts) == 2 and parts[0].strip()[:1].isdigit():  # a date that is not a date
        return Article(position, office.strip(), None, parts[1].strip(), parts[0].strip())
    return Article(position, office.strip(), None, rest.strip())


def _iso_date(text: str) -> date | None:
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        return None


class _Bad(ValueError):
    """A field of a row that cannot be used: ``field`` and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _text(values: Mapping[str, str], field: str) -> str:
    return " ".join(values.get(field, "").split())


def _int(values: Mapping[str, str], field: str, allowed: Mapping[int, Any] | None = None,
         limit: int = MAX_ID) -> int:
    """A whole number of ASCII digits (``int`` alone would take "1_000" and Arabic-Indic digits,
    which UCDP never writes) from 0 to ``limit``, and in ``allowed`` if given."""
    raw = values.get(field, "").strip()
    if not _WHOLE.fullmatch(raw):
        if raw.isascii() and raw.lstrip("-").isdigit():
            raise _Bad(field, f"is {shown(raw)}, a number too large for any count or id: the "
                       "cell is corrupt; correct it from UCDP's release")
        raise _Bad(field, f"is {shown(raw) if raw else 'empty'}, not a whole number")
    number = int(raw)
    if allowed is not None and number not in allowed:
        codes = ", ".join(str(k) for k in sorted(allowed))
        raise _Bad(field, f"is {number}, not one of UCDP's codes ({codes})")
    if number < 0:
        raise _Bad(field, f"is {number}; it cannot be negative")
    if number > limit:
        raise _Bad(field, f"is {number:,}, more than {limit:,}: the cell is corrupt; correct it "
                   "from UCDP's release")
    return number


def _date(values: Mapping[str, str], field: str) -> date:
    raw = values.get(field, "").strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _Bad(field, f"is {shown(raw) if raw else 'empty'}, not a date (YYYY-MM-DD)") from None


def _coordinate(values: Mapping[str, str], field: str, limit: float) -> float | None:
    raw = values.get(field, "").strip()
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        raise _Bad(field, f"is {raw!r}, not a number of degrees") from None
    if not -limit <= number <= limit:
        raise _Bad(field, f"is {number}, outside -{limit:g}..{limit:g} degrees")
    return number


def parse_event(values: Mapping[str, str], line: int, codes: UcdpCodes | None = None,
                row: str = "") -> UcdpEvent:
    """One row's fields, checked; ``row`` is its CSV text, kept with the event.

    Raises:
        RecordError: (with ``file`` empty) a field cannot be used; ``field`` names it.
    """
    codes = codes or load_ucdp_codes()
    try:
        return _parse(values, line, codes, row)
    except _Bad as bad:
        raise RecordError("", line, bad.field, bad.reason) from None


def _parse(values: Mapping[str, str], line: int, codes: UcdpCodes, row: str) -> UcdpEvent:
    if not values.get("id", "").strip():
        raise _Bad("id", "is empty; every UCDP event has an id, and reports are named by it")
    start, end = _date(values, "date_start"), _date(values, "date_end")
    if end < start:
        raise _Bad("date_end", f"{end} is before date_start {start}")
    low, best, high = (_int(values, f, limit=MAX_DEATHS) for f in ("low", "best", "high"))
    lat, lon = _coordinate(values, "latitude", 90), _coordinate(values, "longitude", 180)
    if (lat is None) != (lon is None):
        raise _Bad("latitude" if lat is None else "longitude", "is empty but the other is not")
    return UcdpEvent(
        id=_int(values, "id"),
        line=line,
        type_of_violence=_int(values, "type_of_violence", codes.violence),
        dyad=_text(values, "dyad_name"),
        side_a=_text(values, "side_a"),
        side_b=_text(values, "side_b"),
        articles=tuple(split_source_article(values.get("source_article", ""))),
        source_original=values.get("source_original", "").strip(),
        where_prec=_int(values, "where_prec", codes.where_prec),
        where=_text(values, "where_coordinates"),
        adm_1=_text(values, "adm_1"),
        adm_2=_text(values, "adm_2"),
        lat=lat,
        lon=lon,
        event_clarity=_int(values, "event_clarity"),
        date_prec=_int(values, "date_prec", codes.date_prec),
        date_start=start,
        date_end=end,
        deaths_civilians=_int(values, "deaths_civilians", limit=MAX_DEATHS),
        low=low,
        best=best,
        high=high,
        row=row,
    )


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class Mappings:
    """The profile data reports are made with: UCDP's codes, the outlets, the harm keywords."""

    codes: UcdpCodes
    outlets: Outlets
    harm: HarmWords


def load_mappings() -> Mappings:
    """The mappings shipped with the conflict profile."""
    return Mappings(load_ucdp_codes(), load_outlets(), load_harm_words())


def _location(event: UcdpEvent, codes: UcdpCodes) -> dict[str, Any]:
    location: dict[str, Any] = {"name": event.where, "admin1": event.adm_1, "admin2": event.adm_2}
    location = {k: v for k, v in location.items() if v}
    if event.lat is not None and event.lon is not None:
        location["lat"], location["lon"] = event.lat, event.lon
    location["precision"] = codes.where_prec[event.where_prec]
    return location


def _side(names: str, prefix: str, role: str) -> list[dict[str, Any]]:
    parts = [p.strip() for p in names.split(",") if p.strip()]
    return [{"ref": f"{prefix}{i}", "name": name, "role": role}
            for i, name in enumerate(parts, start=1)]


def _actors(event: UcdpEvent, violence: ViolenceType) -> list[dict[str, Any]]:
    return _side(event.side_a, "a", violence.side_a) + _side(event.side_b, "b", violence.side_b)


def _event_extra(event: UcdpEvent, codes: UcdpCodes, origins: list[str]) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "ucdp_id": event.id,
        "ucdp_codebook": codes.codebook,
        "date_prec": event.date_prec,
        "where_prec": event.where_prec,
        "event_clarity": event.event_clarity,
        "type_of_violence": event.type_of_violence,
        "dyad": event.dyad,
        "best": event.best,
        "deaths_civilians": event.deaths_civilians,
        "source_original": event.source_original,
        "origins": origins,
    }
    if not event.low <= event.best <= event.high:
        # About one event in 160 of GED Syria 19.1: the event is real, its estimates disagree.
        extra["deaths_note"] = (f"UCDP gives low {event.low}, best {event.best}, high "
                                f"{event.high}, not in order; killed is the range of the three")
    return extra


def _common(event: UcdpEvent, mappings: Mappings) -> dict[str, Any]:
    violence = mappings.codes.violence[event.type_of_violence]
    deaths = (event.low, event.best, event.high)
    report: dict[str, Any] = {
        "occurred_from": event.date_start.isoformat(),
        "occurred_to": event.date_end.isoformat(),
        "location": _location(event, mappings.codes),
        "actors": _actors(event, violence),
        "casualties": {"killed": {"min": min(deaths), "max": max(deaths)}},
    }
    if not report["actors"]:
        del report["actors"]
    return report


def distinct_articles(event: UcdpEvent) -> list[tuple[Article, list[int]]]:
    """The event's articles, each once, with the positions of its repeats.

    46 events of GED Syria 19.1 list the same article (office, date, headline) twice; it is one
    source, so it makes one report, and ``extra.also_listed_as`` keeps the other positions.
    """
    found: dict[tuple[str, date | None, str], tuple[Article, list[int]]] = {}
    for article in event.articles:
        key = (article.office.strip().lower(), article.date, article.headline)
        if key in found:
            found[key][1].append(article.position)
        else:
            found[key] = (article, [])
    return list(found.values())


def article_reports(event: UcdpEvent, mappings: Mappings | None = None) -> list[dict[str, Any]]:
    """One report per source article of ``event`` (see the module docstring)."""
    mappings = mappings or load_mappings()
    violence = mappings.codes.violence[event.type_of_violence]
    origins = mappings.outlets.origins(event.source_original)
    reports = []
    for article, repeats in distinct_articles(event):
        outlet, cited = mappings.outlets.office(article.office)
        upstream = cited or (outlet.name if outlet.name in origins else
                             origins[0] if origins else None)
        reading = mappings.harm.read(article.headline)
        extra = _event_extra(event, mappings.codes, origins)
        extra.update(office=article.office, headline=article.headline,
                     article=article.position, articles=len(event.articles),
                     harm_keywords=list(reading.words))
        if repeats:
            extra["also_listed_as"] = repeats
        if article.date is None:
            extra["reported_at_fallback"] = _fallback_note(article)
        elif article.date < event.date_start:
            extra["date_note"] = ("the article is dated before the event's date_start; both "
                                  "are as UCDP gives them")
        source = {"agency": outlet.agency, "org": outlet.org}
        if document := article_document(article, outlet.name):
            source["document"] = document
        report = {"profile": PROFILE, "id": f"ucdp-{event.id}-{article.position}",
                  "source": source}
        if upstream:
            report["upstream"] = upstream
        report["reported_at"] = (article.date or event.date_end).isoformat()
        report.update(_common(event, mappings))
        report["harm"] = reading.harm(more_targets=violence.targets)
        report["extra"] = extra
        reports.append(report)
    return reports


def article_document(article: Article, outlet: str) -> str | None:
    """The source document a report is taken from, ``"OUTLET, DATE, HEADLINE"`` as UCDP cites
    it, the outlet by its name in ``outlets.yaml`` (coders write one outlet several ways:
    "Reuters", "Reuters News"); None for an entry without a headline, which names no document.
    UCDP's coders split an article that describes several attacks into several events, so the
    reports of those events share one document: the article told them apart."""
    if not article.headline:
        return None
    when = article.date.isoformat() if article.date else article.date_text
    return f"{outlet}, {when}, {article.headline}"


def _fallback_note(article: Article) -> str:
    given = f"gives {article.date_text!r}, not a date" if article.date_text else "gives no date"
    return f"the source article {given}; reported_at is the event's date_end"


def dataset_report(event: UcdpEvent, mappings: Mappings | None = None) -> dict[str, Any]:
    """The event as one report in UCDP's name, derived from its article reports."""
    mappings = mappings or load_mappings()
    violence = mappings.codes.violence[event.type_of_violence]
    origins = mappings.outlets.origins(event.source_original)
    dates = [a.date for a in event.articles if a.date is not None]
    reading = mappings.harm.read(*(a.headline for a in event.articles))
    report: dict[str, Any] = {
        "profile": PROFILE,
        "id": str(event.id),
        "source": {"agency": mappings.codes.dataset_agency, "org": mappings.codes.dataset_org},
    }
    if origins:  # the first, as for ACLED: folding into one origin never over-counts
        report["upstream"] = origins[0]
    report["derived_from"] = [
        f"{mappings.outlets.office(a.office)[0].org}/ucdp-{event.id}-{a.position}"
        for a, _ in distinct_articles(event)
    ]
    # UCDP published the event after its last source; the release date is not in the file.
    report["reported_at"] = max(dates, default=event.date_end).isoformat()
    report.update(_common(event, mappings))
    report["harm"] = reading.harm(more_targets=violence.targets)
    extra = _event_extra(event, mappings.codes, origins)
    extra.update(headlines=[a.headline for a in event.articles],
                 offices=[a.office for a in event.articles],
                 harm_keywords=list(reading.words))
    if not dates:
        extra["reported_at_fallback"] = "no source article gives a date; reported_at is date_end"
    report["extra"] = extra
    if not report["derived_from"]:
        del report["derived_from"]
    return report


# --------------------------------------------------------------------------- a file


def read_events(path: Path, codes: UcdpCodes | None = None) -> Iterator[UcdpEvent | RawRecord]:
    """The events of a GED CSV in file order; a row that cannot be read comes back as an error
    record (a :class:`RawRecord` with ``error`` set), as does an id seen before in the file.

    Raises:
        InputError: at once, when the file cannot be read or is not a GED CSV (its header lacks
            a column).
    """
    return _events(read_rows(path, COLUMNS, WHAT), codes or load_ucdp_codes())


def _events(rows: Iterator[CsvRow], codes: UcdpCodes) -> Iterator[UcdpEvent | RawRecord]:
    seen: dict[int, int] = {}
    for row in rows:
        if row.error is not None:
            yield _error(row.file, row.line, row.text, row.error.field, row.error.reason)
            continue
        try:
            event = parse_event(row.values, row.line, codes, row.text)
        except RecordError as err:
            yield _error(row.file, row.line, row.text, err.field, err.reason)
            continue
        except Exception as exc:  # one row never ends the import
            yield _error(row.file, row.line, row.text, "(row)", unexpected(exc))
            continue
        if event.id in seen:
            yield _error(row.file, row.line, row.text, "id",
                         f"event {event.id} was already read on line {seen[event.id]}; its "
                         "reports would replace that event's")
            continue
        seen[event.id] = row.line
        yield event


def _error(file: str, line: int, text: str, field: str, reason: str) -> RawRecord:
    return RawRecord(file, line, None, text, RecordError(file, line, field, reason))


def read_ucdp(path: Path, *, view: View = "articles") -> Iterator[RawRecord]:
    """Read a UCDP GED CSV as conflict-v1 report records, for the importer's quarantine path.

    Each record's ``raw`` is one report (``view="articles"``: one per source article;
    ``"dataset"``: one per event) and its ``text`` the CSV row it came from. A row that cannot be
    read is one record with ``error`` set (file, line, field, reason) and no report; so is an
    event without source articles in the ``articles`` view.

    Raises:
        InputError: at once, when the file cannot be read or is not a GED CSV.
        ValueError: ``view`` is neither ``"articles"`` nor ``"dataset"``.

    Examples:
        >>> for record in read_ucdp(Path("ged_aleppo_2016.csv")):  # doctest: +SKIP
        ...     print(record.line, record.error or record.raw["id"])
    """
    if view not in ("articles", "dataset"):
        raise ValueError(f"view must be 'articles' or 'dataset', not {view!r}")
    mappings = load_mappings()
    return _records(str(path), read_events(path, mappings.codes), view, mappings)


def _records(file: str, events: Iterator[UcdpEvent | RawRecord], view: View,
             mappings: Mappings) -> Iterator[RawRecord]:
    for item in events:
        if isinstance(item, RawRecord):
            yield item
            continue
        try:
            reports = ([dataset_report(item, mappings)] if view == "dataset"
                       else article_reports(item, mappings))
        except Exception as exc:  # one event never ends the import
            yield _error(file, item.line, item.row, "(row)", unexpected(exc))
            continue
        if not reports:
            yield _error(file, item.line, item.row, "source_article",
                         "names no source article, so there is no report to make; read the "
                         "file with view='dataset' to keep the event as UCDP's own report")
        for report in reports:
            yield RawRecord(file, item.line, report, item.row, None)


def ucdp_reports(path: Path, *, view: View = "articles") -> tuple[list[dict[str, Any]],
                                                                  list[RecordError]]:
    """Every report of a GED CSV and every row's error, read at once (tests, tools, benches)."""
    reports: list[dict[str, Any]] = []
    errors: list[RecordError] = []
    for record in read_ucdp(path, view=view):
        if record.error is not None:
            errors.append(record.error)
        elif isinstance(record.raw, dict):
            reports.append(record.raw)
    return reports, errors
