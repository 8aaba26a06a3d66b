"""Applying a review: the proposals a person accepted become the report's structured fields.

Accepted (or corrected) proposals are turned into input contract v1 fields and the report is
imported again as a new version, with the same validation, quarantine and audit as any
submission; resolution, corroboration and alerting then treat them as structured data. The
narrative and the earlier version are kept. How proposals are put together is plain and
shown to the reviewer before anything is applied (:func:`structured_from`):

- each person is one person, with their role as read or as the reviewer gave it; a person
  with no role is left out, and the reviewer is told to give one (a name alone says nothing
  about who someone is, and nobody is made a person of concern by default);
- a nickname joins the person whose ``ref`` it carries, else the nearest person named just
  before it ("Tariq, known as 'Tiger'"), else it is a person known only by that nickname;
- a phone or a vehicle belongs to the nearest adult named before it, else it is left out and
  the reviewer is told why;
- a place is a place; a warning sign is about the report's child (the nearest child named
  before it where there are several);
- a link runs from the nearest adult before it to the nearest child (or, for being taken to,
  frequenting, living or working at somewhere, the nearest place after it);
- dates give the period the report is about (``occurred_from``, ``occurred_to``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
YOUNG = ("child", "victim", "recruiter")
TO_PLACE = ("taken_to", "frequents", "lives_at", "works_at")
NEAR = 60  # characters between a name and the nickname that follows it


@dataclass
class Structured:
    people: list[Row] = field(default_factory=list)
    places: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    indicators: list[Any] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # what could not be placed, and why
    used: list[int] = field(default_factory=list)  # proposal ids applied


def value_of(p: Row) -> str:
    return str(p["edited_value"] if p["status"] == "edited" and p["edited_value"]
               else p["value"])


def structured_from(proposals: list[Row]) -> Structured:
    """The structured fields the accepted proposals make, in the order of the text."""
    out = Structured()
    chosen = sorted((p for p in proposals if p["status"] in ("accepted", "edited")),
                    key=lambda p: (p["start"], p["end"]))
    people: list[tuple[int, Row]] = []  # (end offset, person)
    places: list[tuple[int, Row]] = []
    by_ref: dict[str, Row] = {}

    def new_person(role: str, at: int) -> Row:
        person: Row = {"ref": f"p{len(out.people) + 1}", "role": role}
        out.people.append(person)
        people.append((at, person))
        return person

    def before(at: int, adult: bool | None = None) -> Row | None:
        for end, person in reversed(people):
            if end <= at and (adult is None or (person["role"] not in YOUNG) == adult):
                return person
        return None

    for p in chosen:
        kind, value, attrs = p["type"], value_of(p), p["attrs"] or {}
        ref = str(attrs.get("ref") or "")
        if kind in ("person", "alias"):
            person = by_ref.get(ref) if ref else None
            last = people[-1] if people else None
            if kind == "alias" and person is None and last is not None \
                    and 0 <= p["start"] - last[0] <= NEAR and "aliases" not in last[1]:
                person = last[1]  # "Tariq, known as 'Tiger'"
            if person is None:
                if not p["role"]:
                    what = "person" if kind == "person" else "nickname"
                    out.left_out.append(f"{what} {p['text']!r}: no role; give one to add them")
                    continue
                person = new_person(p["role"], p["end"])
                if ref:
                    by_ref[ref] = person
            if kind == "alias":
                person.setdefault("aliases", []).append(value)
            else:
                person["name"] = value
                if attrs.get("age") is not None:
                    _age(person, attrs["age"])
        elif kind in ("phone", "vehicle"):
            owner = before(p["start"], adult=True)
            if owner is None:
                out.left_out.append(f"{kind} {p['text']!r}: no adult named before it to "
                                    "belong to")
                continue
            if kind == "phone":
                owner.setdefault("phones", []).append(value)
            else:
                owner.setdefault("vehicles", []).append(_vehicle(value, attrs))
        elif kind == "place":
            place = {"ref": f"l{len(out.places) + 1}", **_place(value, attrs)}
            out.places.append(place)
            places.append((p["start"], place))
        elif kind == "indicator":
            child = before(p["start"], adult=False)
            out.indicators.append({"id": value, "about": child["ref"]} if child and sum(
                1 for _, q in people if q["role"] in YOUNG) > 1 else value)
        elif kind == "link":
            source = before(p["start"], adult=True)
            if value in TO_PLACE:
                target = next((pl for at, pl in places if at >= p["end"]), None)
                target = target or (places[-1][1] if places else None)
            else:
                target = before(p["start"], adult=False) or next(
                    (q for end, q in people if end > p["end"] and q["role"] in YOUNG), None)
            if source is None or target is None:
                out.left_out.append(f"link {p['text']!r}: who or what it links is not named "
                                    "where it can be placed")
                continue
            out.links.append({"from": source["ref"], "to": target["ref"], "type": value})
        elif kind == "date":
            out.dates.append(value)
        out.used.append(int(p["id"] if "id" in p else p["pk"]))
    _unique_places(out)
    return out


def apply_to(body: Row, s: Structured) -> Row:
    """A new version of a report: its fields plus what the review made (fields the report
    already had are kept; proposals add to them)."""
    new = copy.deepcopy(body)
    taken = {str(p.get("ref")) for p in new.get("people") or []} | {
        str(p.get("ref")) for p in new.get("places") or []}
    rename = {}
    for item in (*s.people, *s.places):
        ref = item["ref"]
        while ref in taken:
            ref = f"r{ref}"
        rename[item["ref"]] = ref
        taken.add(ref)
    new["people"] = (new.get("people") or []) + [{**p, "ref": rename[p["ref"]]}
                                                 for p in s.people]
    new["places"] = (new.get("places") or []) + [{**p, "ref": rename[p["ref"]]}
                                                 for p in s.places]
    new["links"] = (new.get("links") or []) + [
        {**lk, "from": rename[lk["from"]], "to": rename[lk["to"]]} for lk in s.links]
    new["indicators"] = (new.get("indicators") or []) + [
        {**i, "about": rename[i["about"]]} if isinstance(i, dict) else i for i in s.indicators]
    if s.dates and not new.get("occurred_from"):
        new["occurred_from"], new["occurred_to"] = min(s.dates), max(s.dates)
    for key in ("people", "places", "links", "indicators"):
        if not new[key]:
            del new[key]
    found = new.get("extra")
    extra: Row = found if isinstance(found, dict) else {}
    new["extra"] = {**extra, "joinedup_read_from_narrative": sorted(
        set(extra.get("joinedup_read_from_narrative") or []) | set(s.used))}
    return new


def _age(person: Row, age: Any) -> None:
    text = str(age)
    if text.isdigit():
        person["age"] = int(text)
    elif text:
        person["age_range"] = text


COLOURS = frozenset({"black", "white", "silver", "grey", "gray", "red", "blue", "green",
                     "yellow", "orange", "purple", "brown", "gold", "maroon", "beige", "cream",
                     "navy"})
KINDS = {"taxi": "taxi", "cab": "taxi", "minicab": "taxi", "hire": "taxi", "van": "van",
         "car": "car", "hatchback": "car", "saloon": "car", "estate": "car", "suv": "car",
         "motorbike": "motorbike", "moped": "motorbike", "scooter": "motorbike"}


def _vehicle(value: str, attrs: Row) -> Row:
    """A registration as ``reg``; a description ("a silver Toyota taxi") as colour, make and
    kind, from the proposal's attributes where the reader gave them, else from its words."""
    from joinedup.resolve.normalise import normalise_plate

    plate_like = any(ch.isdigit() for ch in value) or value.endswith("*")
    if plate_like and normalise_plate(value) is not None:
        return {"reg": value}
    vehicle: Row = {}
    rest = []
    for word in value.lower().replace("-", " ").split():
        if word in ("a", "an", "the", "private"):
            continue
        if word in COLOURS and "colour" not in vehicle:
            vehicle["colour"] = word
        elif word in KINDS:
            vehicle["kind"] = KINDS[word]
        else:
            rest.append(word)
    if rest:
        vehicle["make"] = " ".join(rest)
    for key in ("colour", "make", "kind"):
        if attrs.get(key):
            vehicle[key] = str(attrs[key])
    return vehicle


def _place(value: str, attrs: Row) -> Row:
    from joinedup.resolve.normalise import normalise_postcode

    if attrs.get("kind") == "postcode" or normalise_postcode(value):
        return {"postcode": value}
    place: Row = {"name": value}
    if attrs.get("kind"):
        place["kind"] = str(attrs["kind"])
    return place


def _unique_places(s: Structured) -> None:
    """The same place named twice is one place (links keep pointing at the first)."""
    seen: dict[str, str] = {}
    keep: list[Row] = []
    for place in s.places:
        key = str(place.get("name") or place.get("postcode") or "").lower()
        if key in seen:
            for link in s.links:
                if link["to"] == place["ref"]:
                    link["to"] = seen[key]
            continue
        seen[key] = place["ref"]
        keep.append(place)
    s.places = keep
