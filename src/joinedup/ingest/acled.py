"""ACLED events as conflict-v1 reports, one per event, in ACLED's name.

ACLED's CSV export has one row per event (``event_id_cnty``): one day, one place, one pair of
actors, with the sources it was coded from. ACLED data are for non-commercial use, so joinedup
ships none; this module reads a user's own export. The mappings are profile data,
``profiles/conflict/acled.yaml``:

- ``occurred_from``/``occurred_to``: ``event_date`` widened by ``time_precision`` (1 the day,
  2 every week containing it, 3 its month).
- ``location``: ``location``, ``admin1``, ``admin2``, the coordinates, and a precision from
  ``geo_precision`` (1 the town's point, read as exact as UCDP's is; 2 within 25 km;
  3 governorate).
- ``harm.mechanism``: from ``sub_event_type`` (made more precise by the notes where the yaml
  allows: "Air/drone strike" with "drone" in the notes is a drone strike); ``harm.targets`` from
  ``civilian_targeting``, the associated actors ("Health Workers (Syria)") and the notes' words.
- ``actors``: actor 1 and 2 with their associated actors; ACLED gives them no direction, so all
  are alleged perpetrators except civilians (inter code 7), who are the victims. An event that is
  not an act of harm (a peaceful protest) names its actors without a role.
- ``casualties.killed``: ``fatalities``, a number. ACLED records the lowest figure its sources
  give, so it is a floor, not an estimate. Over :data:`MAX_FATALITIES` the row is refused.
- ``upstream``: the first source named in ``source`` (all are kept in ``extra.origins``): a report
  relying on several sources is folded into the first, so independence is never over-counted.
- ``reported_at``: the date of ``timestamp``, when ACLED last wrote the event; without one,
  ``event_date``, and ``extra`` says so.
- ``narrative``: ACLED's ``notes``.

A row that cannot be read comes back as an error record naming file, line, field and reason;
so does a row that fails in a way this module does not foresee, rather than ending the import.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from joinedup.errors import ProfileError, RecordError
from joinedup.ingest.conflict_report import MAX_CASUALTIES
from joinedup.ingest.csv_rows import CsvRow, read_rows, shown, unexpected
from joinedup.ingest.harm_words import HarmWords, load_harm_words
from joinedup.ingest.outlets import Outlets, load_outlets
from joinedup.ingest.reader import RawRecord
from joinedup.profiles import PROFILES_DIR, read_data

__all__ = ["COLUMNS", "AcledCodes", "acled_reports", "event_report", "load_acled_codes",
           "read_acled"]

ACLED_PATH = PROFILES_DIR / "conflict" / "acled.yaml"
PROFILE = "conflict"
COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "sub_event_type", "actor1", "assoc_actor_1",
    "inter1", "actor2", "assoc_actor_2", "inter2", "civilian_targeting", "admin1", "admin2",
    "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
)
KEPT = ("event_type", "sub_event_type", "disorder_type", "interaction", "civilian_targeting",
        "iso", "region", "country", "admin3", "source", "source_scale", "tags", "timestamp")
WHAT = "an ACLED CSV export"
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y")
MAX_FATALITIES = MAX_CASUALTIES
"""The most deaths one event may record, as the input contract caps a toll: ACLED codes a day
in one place, so a count above it is a corrupt cell."""
_DIGITS = 18  # ASCII digits a code or a count may have: below 2**63, which the store can write


@dataclass(frozen=True)
class AcledCodes:
    """``acled.yaml``, loaded and checked."""

    org: str
    agency: str
    mechanisms: dict[str, str | None]
    refine: dict[str, frozenset[str]]
    widen_days: dict[int, int | None]  # None: the whole month
    precision: dict[int, str]
    victim_inter: frozenset[int]
    civilian_targeting: dict[str, tuple[str, ...]]
    actor_targets: dict[str, str]


def _mapping(data: Mapping[str, Any], key: str, path: Path) -> dict[Any, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ProfileError(f"{path}: {key}: expected a mapping")
    return value


def _window(code: int, spec: Any, path: Path) -> int | None:
    if isinstance(spec, dict) and spec.get("month") is True:
        return None
    if isinstance(spec, dict) and isinstance(spec.get("days"), int) and spec["days"] >= 0:
        return int(spec["days"])
    raise ProfileError(f"{path}: time_precision.{code}: expected {{days: N}} or {{month: true}}")


def load_acled_codes_from(path: Path) -> AcledCodes:
    """Load and check ``acled.yaml``; a malformed key is a ProfileError naming it."""
    data = read_data(path, "ACLED codes")
    dataset = _mapping(data, "dataset", path)
    mechanisms = _mapping(data, "sub_event_type", path)
    if not all(v is None or isinstance(v, str) for v in mechanisms.values()):
        raise ProfileError(f"{path}: sub_event_type: each value must be a mechanism or null")
    return AcledCodes(
        org=str(dataset.get("org", "acled")),
        agency=str(dataset.get("agency", "dataset")),
        mechanisms={str(k): v for k, v in mechanisms.items()},
        refine={str(k): frozenset(v) for k, v in (data.get("refine_from_notes") or {}).items()},
        widen_days={int(k): _window(k, v, path)
                    for k, v in _mapping(data, "time_precision", path).items()},
        precision={int(k): str(v) for k, v in _mapping(data, "geo_precision", path).items()},
        victim_inter=frozenset(int(c) for c in data.get("victim_inter_codes") or ()),
        civilian_targeting={str(k): tuple(v) for k, v in
                            (data.get("civilian_targeting") or {}).items()},
        actor_targets={str(k): str(v) for k, v in
                       (data.get("associated_actor_targets") or {}).items()},
    )


@cache
def load_acled_codes() -> AcledCodes:
    """The ACLED codes shipped with the conflict profile."""
    return load_acled_codes_from(ACLED_PATH)


# --------------------------------------------------------------------------- one row


class _Bad(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def _text(row: Mapping[str, str], field: str) -> str:
    return " ".join(row.get(field, "").split())


def _whole(raw: str) -> int | None:
    """``raw`` as a whole number, or None. Only ASCII digits count: ``str.isdigit`` also accepts
    "²", which ``int`` refuses, and ``int`` takes Arabic-Indic digits, which ACLED never writes.
    Longer than :data:`_DIGITS` digits is None too, so no number reaches the store unwritable."""
    if raw.isascii() and raw.isdigit() and len(raw) <= _DIGITS:
        return int(raw)
    return None


def _code(row: Mapping[str, str], field: str, allowed: Mapping[int, Any]) -> int:
    raw = row.get(field, "").strip()
    number = _whole(raw)
    if number is not None and number in allowed:
        return number
    codes = ", ".join(str(c) for c in sorted(allowed))
    raise _Bad(field, f"is {shown(raw)}, not one of ACLED's codes ({codes})")


def _event_date(row: Mapping[str, str]) -> date:
    raw = row.get("event_date", "").strip()
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, form).date()
        except ValueError:
            continue
    raise _Bad("event_date", f"is {raw!r}, not a date (YYYY-MM-DD or '19 September 2016')")


def _window_of(day: date, widen: int | None) -> tuple[date, date]:
    """The days ``time_precision`` widens ``day`` to; a window past year 1 or 9999 is refused
    (``date`` cannot hold it), naming ``event_date``."""
    if widen is None:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    try:
        return day - timedelta(days=widen), day + timedelta(days=widen)
    except OverflowError:
        raise _Bad("event_date", f"is {day.isoformat()}; widened by {widen} days for its "
                   "time_precision it passes the last (or first) date there is") from None


def _number(row: Mapping[str, str], field: str, limit: float) -> float | None:
    raw = row.get(field, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise _Bad(field, f"is {raw!r}, not a number of degrees") from None
    if not -limit <= value <= limit:
        raise _Bad(field, f"is {value}, outside -{limit:g}..{limit:g} degrees")
    return value


def _fatalities(row: Mapping[str, str]) -> int | None:
    raw = row.get("fatalities", "").strip()
    if not raw:
        return None
    number = _whole(raw)
    if number is not None and number <= MAX_FATALITIES:
        return number
    if raw.isascii() and raw.isdigit():
        raise _Bad("fatalities", f"is {shown(raw)}, more than {MAX_FATALITIES:,} deaths in one "
                   "event; the cell is corrupt: correct it from ACLED's export")
    raise _Bad("fatalities", f"is {shown(raw)}, not a whole number of deaths")


def _inter(row: Mapping[str, str], field: str) -> int | None:
    raw = row.get(field, "").strip()
    if not raw:
        return None
    number = _whole(raw)
    if number is None:
        raise _Bad(field, f"is {shown(raw)}, not one of ACLED's actor type codes (1-8)")
    return number


def _reported_at(row: Mapping[str, str], day: date) -> tuple[str, str | None]:
    raw = row.get("timestamp", "").strip()
    if raw.isascii() and raw.isdigit():
        try:
            return datetime.fromtimestamp(int(raw), UTC).date().isoformat(), None
        except (ValueError, OverflowError, OSError):
            raise _Bad("timestamp", f"is {shown(raw)}, a Unix time past the year 9999; the "
                       "cell is corrupt, correct it from ACLED's export") from None
    given = f"gives {raw!r}, not a Unix time" if raw else "is empty"
    return day.isoformat(), f"timestamp {given}; reported_at is event_date"


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class Mappings:
    """The profile data an ACLED report is made with."""

    codes: AcledCodes
    outlets: Outlets
    harm: HarmWords


def load_mappings() -> Mappings:
    """The mappings shipped with the conflict profile."""
    return Mappings(load_acled_codes(), load_outlets(), load_harm_words())


def _names(row: Mapping[str, str], n: int) -> list[str]:
    names = [_text(row, f"actor{n}"), *row.get(f"assoc_actor_{n}", "").split(";")]
    return [" ".join(name.split()) for name in names if name.strip()]


def _actors(row: Mapping[str, str], codes: AcledCodes) -> list[dict[str, Any]]:
    actors = []
    for n in (1, 2):
        victim = _inter(row, f"inter{n}") in codes.victim_inter
        role = "victim_group" if victim else "alleged_perpetrator"
        actors += [{"ref": f"a{n}-{i}", "name": name, "role": role}
                   for i, name in enumerate(_names(row, n), start=1)]
    return actors


def _mechanism(row: Mapping[str, str], codes: AcledCodes, from_notes: str | None,
               notes: list[str]) -> str | None:
    """The sub-event's mechanism, or the notes' where the sub-event has none or they refine it."""
    sub_event = _text(row, "sub_event_type")
    if sub_event not in codes.mechanisms:
        notes.append(f"sub_event_type {sub_event!r} is not in acled.yaml; mechanism unknown")
        return "unknown"
    mechanism = codes.mechanisms[sub_event]
    if mechanism is None or from_notes in codes.refine.get(mechanism, ()):
        return from_notes
    return mechanism


def _harm(row: Mapping[str, str], mappings: Mappings, extra: dict[str, Any],
          notes: list[str]) -> dict[str, Any] | None:
    codes = mappings.codes
    reading = mappings.harm.read(row.get("notes", ""))
    if reading.words:
        extra["harm_keywords"] = list(reading.words)
    mechanism = _mechanism(row, codes, reading.mechanism, notes)
    targets = list(codes.civilian_targeting.get(_text(row, "civilian_targeting"), ()))
    associated = " ".join(row.get(f"assoc_actor_{n}", "") for n in (1, 2)).lower()
    targets += [t for words, t in codes.actor_targets.items() if words.lower() in associated]
    targets += reading.targets
    if mechanism is None and not targets:
        return None  # not an act of harm (a protest, an agreement), and the notes name none
    return {"mechanism": mechanism or "unknown",
            "targets": list(dict.fromkeys(targets)) or ["unknown"]}


def event_report(row: Mapping[str, str], mappings: Mappings | None = None) -> dict[str, Any]:
    """One ACLED row as a report.

    Raises:
        RecordError: (with ``file`` empty and ``line`` 0) a field cannot be used; ``field``
            names it.
    """
    mappings = mappings or load_mappings()
    try:
        return _report(row, mappings)
    except _Bad as bad:
        raise RecordError("", 0, bad.field, bad.reason) from None


def _report(row: Mapping[str, str], mappings: Mappings) -> dict[str, Any]:
    codes = mappings.codes
    event_id = _text(row, "event_id_cnty")
    if not event_id:
        raise _Bad("event_id_cnty", "is empty; every ACLED event has an id")
    day = _event_date(row)
    time_precision = _code(row, "time_precision", codes.widen_days)
    start, end = _window_of(day, codes.widen_days[time_precision])
    reported_at, fallback = _reported_at(row, day)
    origins = mappings.outlets.origins(row.get("source", ""))
    report: dict[str, Any] = {
        "profile": PROFILE, "id": event_id,
        "source": {"agency": codes.agency, "org": codes.org},
    }
    if origins:
        report["upstream"] = origins[0]
    report.update(reported_at=reported_at, occurred_from=start.isoformat(),
                  occurred_to=end.isoformat(), location=_location(row, codes))
    extra: dict[str, Any] = {k: _text(row, k) for k in KEPT if _text(row, k)}
    notes: list[str] = []
    harm = _harm(row, mappings, extra, notes)
    if harm:
        report["harm"] = harm
    actors = _actors(row, codes)
    if actors and harm is None:  # a protest or an agreement: nobody is alleged to have harmed
        actors = [{k: v for k, v in actor.items() if k != "role"} for actor in actors]
    if actors:
        report["actors"] = actors
    killed = _fatalities(row)
    if killed is not None:
        report["casualties"] = {"killed": killed}
    if _text(row, "notes"):
        report["narrative"] = row["notes"].strip()
    extra.update(event_date=day.isoformat(), origins=origins,
                 time_precision=time_precision, geo_precision=_code(row, "geo_precision",
                                                                    codes.precision))
    if fallback:
        extra["reported_at_fallback"] = fallback
    if notes:
        extra["import_notes"] = notes
    report["extra"] = extra
    return report


def _location(row: Mapping[str, str], codes: AcledCodes) -> dict[str, Any]:
    location: dict[str, Any] = {k: _text(row, f) for k, f in
                                (("name", "location"), ("admin1", "admin1"), ("admin2", "admin2"))
                                if _text(row, f)}
    lat, lon = _number(row, "latitude", 90), _number(row, "longitude", 180)
    if (lat is None) != (lon is None):
        raise _Bad("latitude" if lat is None else "longitude", "is empty but the other is not")
    if lat is not None and lon is not None:
        location.update(lat=lat, lon=lon)
    location["precision"] = codes.precision[_code(row, "geo_precision", codes.precision)]
    return location


# --------------------------------------------------------------------------- a file


def read_acled(path: Path) -> Iterator[RawRecord]:
    """Read an ACLED CSV export as conflict-v1 report records, one per event, for the importer.

    A row that cannot be read is a record with ``error`` set (file, line, field, reason), as is
    an ``event_id_cnty`` seen before in the file.

    Raises:
        InputError: at once, when the file cannot be read or its header lacks a column.
    """
    return _records(read_rows(path, COLUMNS, WHAT), load_mappings())


def _records(rows: Iterator[CsvRow], mappings: Mappings) -> Iterator[RawRecord]:
    seen: dict[str, int] = {}
    for row in rows:
        error = row.error
        if error is None:
            try:
                report = _report(row.values, mappings)
            except _Bad as bad:
                error = RecordError(row.file, row.line, bad.field, bad.reason)
            except Exception as exc:  # one row never ends the import
                error = RecordError(row.file, row.line, "(row)", unexpected(exc))
            else:
                if report["id"] in seen:
                    error = RecordError(row.file, row.line, "event_id_cnty",
                                        f"{report['id']} was already read on line "
                                        f"{seen[report['id']]}")
                else:
                    seen[report["id"]] = row.line
                    yield RawRecord(row.file, row.line, report, row.text, None)
                    continue
        yield RawRecord(row.file, row.line, None, row.text, error)


def acled_reports(path: Path) -> tuple[list[dict[str, Any]], list[RecordError]]:
    """Every report of an ACLED export and every row's error, read at once."""
    reports: list[dict[str, Any]] = []
    errors: list[RecordError] = []
    for record in read_acled(path):
        if record.error is not None:
            errors.append(record.error)
        elif isinstance(record.raw, dict):
            reports.append(record.raw)
    return reports, errors
