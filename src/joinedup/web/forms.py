"""The concern form: flat HTML form fields to a report of the input contract, and back.

A field's name is the report path it fills with ``-`` for ``.`` and ``[i]``
(``people-0-vehicles-0-reg`` fills ``people[0].vehicles[0].reg``), so a validation error on a
path finds the field to show itself beside. Rows left wholly empty are skipped; the form keeps
which row became which list index, so an error is still shown on the row the user typed in.
Nothing is checked here that the contract's validation checks: the form only shapes what was
typed (lists split at commas, numbers parsed when they are numbers) and the importer validates
it exactly as it validates a file.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Row = dict[str, Any]
PEOPLE_ROWS, PLACE_ROWS, LINK_ROWS = 3, 2, 3
MAX_ROWS = 40  # a form is a concern, not a bulk import: files go through `joinedup ingest`
PERSON_FIELDS = ("role", "name", "aliases", "age", "age_range", "sex", "phones", "description")
VEHICLE_FIELDS = ("reg", "make", "colour", "kind")
PLACE_FIELDS = ("name", "kind", "address", "postcode", "lat", "lon")
LINK_FIELDS = ("from", "type", "to")
_INDEX = re.compile(r"\[(\d+)\]")


@dataclass
class Layout:
    """Which form row became which list index of the report, per list."""

    rows: dict[str, list[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return str(value).strip() if value is not None else ""


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def _number(text: str) -> Any:
    """An int or float when the text is one, else the text (validation then names the field)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def row_count(form: Mapping[str, Any], prefix: str, default: int) -> int:
    """How many rows of a list the form holds: the default, or more if rows were added."""
    found = [
        int(m.group(1))
        for key in form
        if (m := re.match(rf"{prefix}-(\d+)-", str(key))) and int(m.group(1)) < MAX_ROWS
    ]
    return max([default, *(i + 1 for i in found)])


def concern_from_form(form: Mapping[str, Any], indicators: list[str]) -> tuple[Row, Layout]:
    """The report a submitted concern form describes, and its row layout."""
    layout = Layout()
    report: Row = {
        "id": _text(form, "id") or new_report_id(),
        "profile": "safeguarding",
        # a blank required field is left out, so that validation says it is missing
        "source": {k: _text(form, f"source-{k}") for k in ("agency", "org", "reporter")
                   if _text(form, f"source-{k}")},
        "reported_at": _text(form, "reported_at") or datetime.now(UTC).date().isoformat(),
        "people": [],
        "places": [],
        "links": [],
        "indicators": indicators,
        "narrative": _text(form, "narrative"),
    }
    for key in ("occurred_from", "occurred_to", "informant"):
        if _text(form, key):
            report[key] = _text(form, key)
    n = row_count(form, "people", PEOPLE_ROWS)
    layout.counts["people"], layout.rows["people"] = n, []
    for i in range(n):
        person = _person(form, i)
        if person is not None:
            layout.rows["people"].append(i)
            report["people"].append(person)
    n = row_count(form, "places", PLACE_ROWS)
    layout.counts["places"], layout.rows["places"] = n, []
    for i in range(n):
        values = {k: _text(form, f"places-{i}-{k}") for k in PLACE_FIELDS}
        if not any(values.values()):
            continue
        place: Row = {"ref": f"l{i + 1}"}
        for k, v in values.items():
            if v:
                place[k] = _number(v) if k in ("lat", "lon") else v
        layout.rows["places"].append(i)
        report["places"].append(place)
    n = row_count(form, "links", LINK_ROWS)
    layout.counts["links"], layout.rows["links"] = n, []
    for i in range(n):
        values = {k: _text(form, f"links-{i}-{k}") for k in LINK_FIELDS}
        if not any(values.values()):
            continue
        layout.rows["links"].append(i)
        report["links"].append(values)
    return report, layout


def _person(form: Mapping[str, Any], i: int) -> Row | None:
    values = {k: _text(form, f"people-{i}-{k}") for k in PERSON_FIELDS}
    vehicle = {k: _text(form, f"people-{i}-vehicles-0-{k}") for k in VEHICLE_FIELDS}
    if not any(values.values()) and not any(vehicle.values()):
        return None
    person: Row = {"ref": f"p{i + 1}", "role": values["role"]}
    for k in ("name", "age_range", "sex", "description"):
        if values[k]:
            person[k] = values[k]
    if values["age"]:
        person["age"] = _number(values["age"])
    for k in ("aliases", "phones"):
        if values[k]:
            person[k] = _split(values[k])
    if any(vehicle.values()):
        person["vehicles"] = [{k: v for k, v in vehicle.items() if v}]
    return person


def new_report_id() -> str:
    """An id for a concern typed into the form: when it was made, and a random tail."""
    return f"WEB-{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def field_of(path: str, layout: Layout, known: set[str]) -> str:
    """The form field a report path names (``people[1].age`` -> ``people-2-age`` when the
    second person came from the third row), or ``_form`` when no field shows it."""
    head = path.split("[", 1)[0].split(".", 1)[0]
    rows = layout.rows.get(head)
    if rows is not None:
        m = re.match(rf"{head}\[(\d+)\]", path)
        if m and int(m.group(1)) < len(rows):
            path = f"{head}[{rows[int(m.group(1))]}]" + path[m.end() :]
    name = _INDEX.sub(r"-\1", path).replace(".", "-")
    while name:
        if name in known:
            return name
        name = name.rsplit("-", 1)[0] if "-" in name else ""
    return "_form"


def form_fields(layout: Layout) -> set[str]:
    """Every field name the form shows for this layout."""
    names = {"id", "source-agency", "source-org", "source-reporter", "reported_at",
             "occurred_from", "occurred_to", "informant", "indicators", "narrative"}
    for i in range(layout.counts.get("people", PEOPLE_ROWS)):
        names |= {f"people-{i}-{k}" for k in PERSON_FIELDS}
        names |= {f"people-{i}-vehicles-0-{k}" for k in VEHICLE_FIELDS}
        names.add(f"people-{i}")
    for i in range(layout.counts.get("places", PLACE_ROWS)):
        names |= {f"places-{i}-{k}" for k in PLACE_FIELDS}
        names.add(f"places-{i}")
    for i in range(layout.counts.get("links", LINK_ROWS)):
        names |= {f"links-{i}-{k}" for k in LINK_FIELDS}
        names.add(f"links-{i}")
    return names


def errors_by_field(errors: list[Row], layout: Layout) -> dict[str, list[str]]:
    """Validation errors (``{"field", "reason"}``) grouped by the form field that shows them."""
    known = form_fields(layout)
    out: dict[str, list[str]] = {}
    for err in errors:
        name = field_of(str(err["field"]), layout, known)
        reason = str(err["reason"]) if name != "_form" else f"{err['field']}: {err['reason']}"
        out.setdefault(name, []).append(reason)
    return out
