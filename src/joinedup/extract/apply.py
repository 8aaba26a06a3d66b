"""Applying a review: the proposals a person accepted become the report's structured fields.

Accepted (or corrected) proposals are turned into input contract v1 fields and the report is
imported again as a new version, with the same validation, quarantine and audit as any
submission; resolution, corroboration and alerting then treat them as structured data. The
narrative and the earlier version are kept. How proposals are put together is plain and
shown to the reviewer before anything is applied (:func:`structured_from`):

- each person is one person, with their role as read or as the reviewer gave it, and the age,
  sex, date of birth and identifiers the reader gave any mention of them or of their
  nickname (the first said of each is kept); a person with no role is left out, and the
  reviewer is told to give one (a name alone says nothing about who someone is, and nobody
  is made a person of concern by default);
- a name said again ("Kayleigh" after "Kayleigh Dunne") or a nickname said again is the
  person already named, not someone new;
- a nickname joins the person whose ``ref`` it carries, else the nearest person named just
  before it ("Tariq, known as 'Tiger'") unless it was read with another role ("Chloe said
  a man known as 'Tiger'"), else it is a person known only by that nickname;
- a phone or a vehicle belongs to the nearest adult named before it, else it is left out and
  the reviewer is told why; a registration said just after a vehicle's description ("a silver
  Toyota taxi, registration MA08 XKZ") is that vehicle's; "car" is no kind of vehicle (a
  taxi is a car too, and a witness who says "a silver car" does not say it is no taxi);
- a place is a place (a home described by its street, "a flat on Moss Lane", as the reader
  described it); a postcode, a numbered street or a town said just after it ("Crown
  Lodge, 227 Union Street, Salford, M5 8ZL") is its address; a numbered street is an
  address, of premises whose kind is not said, and so is a street followed by a number on
  it ("a flat on Union Street, 177a Union Street": the premises, not the street); a street
  said just after premises is the street they are on ("Kebab Point, Union Street, 177 Union
  Street, Middleton" is one place), and coordinates the reader gave any part of it are
  its location; a warning sign is about the
  report's child (the nearest child named before it where there are several);
- a link runs from the nearest adult before it to the nearest child before it (else the first
  after it), the people its own sentence names first, when the reader gave the sentence: the
  one named nearest before the link in it, else the first after it ("Maeve has been seen in
  the company of a man known as 'Bgiman'" joins Maeve and that man, not a man named in an
  earlier sentence); an introduction from the nearest person before it, young or adult (a young
  person who introduces other children is a possible recruiter); being taken to,
  frequenting, living or working at somewhere from the nearest person before it (for being
  taken, the nearest child), to the first place named after it (past a town that another
  place follows closely in the link's sentence: "at Rochdale bus tation taxi rank, 113 High
  Street" is at the address), else the last before it, both in the link's own sentence when
  the reader gave it ("she spends time at takeaways and in taxis" is no link to a taxi rank
  the next sentence names);
- dates give the period the report is about (``occurred_from``, ``occurred_to``);
- the person the reader marked as having given the account (``attrs["informant"]``) is the
  report's ``informant``, unless the report already names one.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from joinedup.resolve.normalise.dates import parse_age_range

Row = dict[str, Any]
YOUNG = ("child", "victim", "recruiter")
TO_PLACE = ("taken_to", "frequents", "lives_at", "works_at")
TELLERS = ("parent", "professional", "witness")  # adults who tell of a link, seldom its end
NEAR = 60  # characters between a name and the nickname that follows it, or a vehicle's
# description and its registration
ADDRESS_GAP = 3  # characters between a place and the address or postcode that follows it


@dataclass
class Structured:
    people: list[Row] = field(default_factory=list)
    places: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    indicators: list[Any] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    informant: str | None = None  # the ref of the person who gave the account
    left_out: list[str] = field(default_factory=list)  # what could not be placed, and why
    used: list[int] = field(default_factory=list)  # proposal ids applied


def value_of(p: Row) -> str:
    return str(p["edited_value"] if p["status"] == "edited" and p["edited_value"]
               else p["value"])


def read_from(body: Row | None) -> set[int]:
    """The proposals a version of a report was made from, as the review that made it
    recorded them (``extra.joinedup_read_from_narrative``, :func:`apply_to`)."""
    found = (body or {}).get("extra")
    listed = found.get("joinedup_read_from_narrative") if isinstance(found, dict) else None
    return {x for x in listed if isinstance(x, int) and not isinstance(x, bool)} \
        if isinstance(listed, list) else set()


def proposal_at(path: str, fields: Row, proposals: list[Row]) -> Row | None:
    """The proposal among ``proposals`` (those a review applied) that gave the field at
    ``path`` (an error's, ``indicators[0].id``) of the new version ``fields``: one whose value,
    as read or corrected, is the field's, else one that gave the person, place or link the
    field is part of ("people[0].age": the person's name). A correction comes before a value
    as read (a reader's value was checked when it was read), then the order of the text.
    None where no proposal gave it (the report's own fields).

    Examples:
        >>> p = {"id": 7, "type": "indicator", "status": "edited", "value": "missing_overnight",
        ...      "edited_value": "out late", "start": 0, "end": 5, "text": "stays", "attrs": {}}
        >>> proposal_at("indicators[0].id", {"indicators": ["out late"]}, [p])["id"]
        7
    """
    passed = _walk(fields, path)
    for node in reversed(passed):
        if node is not passed[-1] and not isinstance(node, dict):
            continue  # a list above the field ("indicators") is every item's, not this one's
        said = _said(node)
        found = [p for p in proposals if value_of(p) in said
                 or str((p["attrs"] or {}).get("described") or "") in said - {""}]
        if found:
            return min(found, key=lambda p: (p["status"] != "edited", p["start"], p["end"]))
    return None


def _walk(fields: Row, path: str) -> list[Any]:
    """What ``path`` passes through in ``fields``, the report itself left out, as far as it
    goes (``indicators[0].id`` of an indicator given as text ends at the text)."""
    node: Any = fields
    passed: list[Any] = []
    for index, name in re.findall(r"\[(\d+)\]|([A-Za-z_][A-Za-z0-9_]*)", path):
        if index and isinstance(node, list) and int(index) < len(node):
            node = node[int(index)]
        elif name and isinstance(node, dict) and name in node:
            node = node[name]
        else:
            break
        passed.append(node)
    return passed


def _said(node: Any) -> set[str]:
    """The values a field holds as text: itself, or a person's, place's or link's own."""
    def plain(x: Any) -> bool:
        return isinstance(x, str | int | float) and not isinstance(x, bool)

    if plain(node):
        return {str(node)}
    items = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    out: set[str] = set()
    for x in items:
        if plain(x):
            out.add(str(x))
        elif isinstance(x, list):
            out |= {str(y) for y in x if plain(y)}
    return out


def told(p: Row) -> str:
    """A proposal as a reviewer knows it: its kind, its words and its value."""
    said = f"corrected to {value_of(p)!r}" if p["status"] == "edited" and p["edited_value"] \
        else f"read as {p['value']!r}"
    return f"the {p['type']} \u201c{p['text']}\u201d, {said}"


def structured_from(proposals: list[Row]) -> Structured:
    """The structured fields the accepted proposals make, in the order of the text.

    Who and where come first (people, nicknames, places, each where the text names them), then
    what they have, did and when (phones, vehicles, warning signs, links, dates), so that a link
    can run to a place or a child named after it.
    """
    out = Structured()
    chosen = sorted((p for p in proposals if p["status"] in ("accepted", "edited")),
                    key=lambda p: (p["start"], p["end"]))
    named = _Named(out)
    for p in chosen:
        if p["type"] in ("person", "alias"):
            named.person(p)
        elif p["type"] == "place":
            named.place(p)
    seen: tuple[int, Row, Row] | None = None  # the last vehicle: where it ended, whose
    for p in chosen:
        kind, value, attrs = p["type"], value_of(p), p["attrs"] or {}
        if kind in ("phone", "vehicle"):
            owner = named.before(p["start"], adult=True)
            if owner is None:
                out.left_out.append(f"{kind} {p['text']!r}: no adult named before it to "
                                    "belong to")
                continue
            if kind == "phone":
                owner.setdefault("phones", []).append(value)
            else:
                vehicle = _vehicle(value, attrs)
                if seen and seen[1] is owner and 0 <= p["start"] - seen[0] <= NEAR \
                        and _one_vehicle(seen[2], vehicle):
                    seen[2].update(vehicle)  # "a silver Toyota taxi, registration MA08 XKZ"
                    vehicle = seen[2]
                else:
                    owner.setdefault("vehicles", []).append(vehicle)
                seen = (p["end"], owner, vehicle)
        elif kind == "indicator":
            child = named.before(p["start"], adult=False)
            several = sum(1 for q in out.people if q["role"] in YOUNG) > 1
            sign = {"id": value, "about": child["ref"]} if child and several else value
            if sign not in out.indicators:  # a sign said twice is one sign of the report
                out.indicators.append(sign)
        elif kind == "link":
            ends = named.link_ends(value, p["start"], p["end"], attrs.get("sentence"))
            if ends is None:
                out.left_out.append(f"link {p['text']!r}: who or what it links is not named "
                                    "where it can be placed")
                continue
            out.links.append({"from": ends[0]["ref"], "to": ends[1]["ref"], "type": value})
        elif kind == "date":
            out.dates.append(value)
        else:
            continue  # people and places: placed above
        named.used.add(_key(p))
    out.used = [_key(p) for p in chosen if _key(p) in named.used]
    _unique_places(out)
    return out


class _Named:
    """The people and places of a review, each at every point the text names them."""

    def __init__(self, out: Structured) -> None:
        self.out = out
        self.people: list[tuple[int, Row]] = []  # (end offset, person), a person said again too
        self.new: list[tuple[int, Row]] = []  # where each person is first named
        self.places: list[tuple[int, int, Row]] = []  # (start, end offset, place)
        self.by_ref: dict[str, Row] = {}
        self.used: set[int] = set()  # the proposals applied

    def person(self, p: Row) -> None:
        """A person or a nickname: someone already named, or someone new with a role."""
        kind, value, attrs = p["type"], value_of(p), p["attrs"] or {}
        ref = str(attrs.get("ref") or "")
        person = self.by_ref.get(ref) if ref else None
        last = self.new[-1] if self.new else None
        if person is None:
            person = self._again(kind, value, p["role"])
        if kind == "alias" and person is None and last is not None \
                and 0 <= p["start"] - last[0] <= NEAR and "aliases" not in last[1] \
                and self.people and self.people[-1][1] is last[1] \
                and _same_group(p["role"], last[1]["role"]) and _may_be(last[1], attrs):
            # "Tariq, known as 'Tiger'" (not "Chloe said a man known as"); and nobody named
            # between them ("Shaheed Mahmood was seen with Aoiffe. An older adult she knows as
            # 'Sam'" is a second man)
            person = last[1]
        if person is None:
            if not p["role"]:
                what = "person" if kind == "person" else "nickname"
                self.out.left_out.append(f"{what} {p['text']!r}: no role; give one to add them")
                return
            person = {"ref": f"p{len(self.out.people) + 1}", "role": p["role"]}
            self.out.people.append(person)
            self.new.append((p["end"], person))
            if ref:
                self.by_ref[ref] = person
        self.people.append((p["end"], person))
        self.used.add(_key(p))
        if attrs.get("informant") and self.out.informant is None:
            self.out.informant = str(person["ref"])
        if kind == "alias":
            if _alias_key(value) not in {_alias_key(a) for a in person.get("aliases") or []}:
                person.setdefault("aliases", []).append(value)
        elif not person.get("name"):
            person["name"] = value
        _details(person, attrs)

    def _again(self, kind: str, value: str, role: str | None = None) -> Row | None:
        """The person a name or nickname names again: the last one named with that name, or
        a word of it ("Kayleigh" after "Kayleigh Dunne"), or with that nickname; of the
        people a name may be, the last one whose role may be the one it was read with.
        "Abena is often at Kebab King", read as a child's name, after "Abena, aged 13" and
        "Her mother, Abena Adebayo" is the girl. A name said whole before is that person, not
        one it is a word of: "Bethany" after "Bethany" and "Bethany Whitehead" is the first."""
        key, words = _alias_key(value), value.casefold().split()
        named: list[Row] = []
        whole: list[Row] = []
        for _, person in reversed(self.people):
            if kind == "alias" and key in {_alias_key(a) for a in person.get("aliases") or []}:
                return person
            name = str(person.get("name") or "").casefold().split()
            if kind == "person" and name and (words == name or value.casefold() in name):
                named.append(person)
                if words == name:
                    whole.append(person)
        named = whole or named
        return next((q for q in named if _same_group(role, str(q["role"]))),
                    named[0] if named else None)

    def place(self, p: Row) -> None:
        """A place, or part of the address of the place named just before it ("Crown Lodge,
        227 Union Street, Salford, M5 8ZL" is one place)."""
        value, attrs = value_of(p), p["attrs"] or {}
        part = _place(value, attrs)
        self.used.add(_key(p))
        where = {k: float(attrs[k]) for k in ("lat", "lon") if attrs.get(k) is not None}
        if self.places:
            start, end, place = self.places[-1]
            if 0 <= p["start"] - end <= ADDRESS_GAP and _fold(place, part, attrs):
                self.places[-1] = (start, p["end"], place)
                if len(where) == 2 and "lat" not in place:
                    place.update(where)  # "..., OL1 9UW (location 53.5443, -2.12205)"
                return
        if len(where) == 2:
            part.update(where)
        place = {"ref": f"l{len(self.out.places) + 1}", **part}
        self.out.places.append(place)
        self.places.append((p["start"], p["end"], place))

    def before(self, at: int, adult: bool | None = None, but: Row | None = None,
               skip: tuple[str, ...] = ()) -> Row | None:
        """The person named nearest before ``at`` (an adult, a young person, or either), not
        of a role in ``skip``."""
        for end, person in reversed(self.people):
            if end <= at and person is not but and person["role"] not in skip and (
                    adult is None or (person["role"] not in YOUNG) == adult):
                return person
        return None

    def link_ends(self, kind: str, start: int, end: int, sentence: Any = None
                  ) -> tuple[Row, Row] | None:
        """Who or what a link joins, by where they are named (see the module docstring);
        ``sentence``, the offsets of the link's sentence as the reader gave them: the people
        that sentence names come first."""
        if kind in TO_PLACE:
            source = (self.before(start, adult=False) if kind == "taken_to" else None) \
                or self.before(start)
            # a place of the link's own sentence, where the reader gave it: "she spends time
            # at takeaways and in taxis" names no place, and is no link to the taxi rank a
            # later sentence names
            first, last_at = (sentence if isinstance(sentence, list) and len(sentence) == 2
                              else (0, None))
            after = [(at, last, pl) for at, last, pl in self.places
                     if at >= end and (last_at is None or at < last_at)]
            target = _past_town(after, sentence) or next(
                (pl for at, _, pl in reversed(self.places) if first <= at < start), None)
            return (source, target) if source is not None and target is not None else None
        adult = None if kind == "introduced" else True
        # the adult of a link is one of concern where its sentence names one: "Her mother,
        # Alexandra, reported that Shantelle was seen with Tyrone Francis" links Tyrone
        skip = TELLERS if adult else ()
        source = self._in_sentence(sentence, start, end, adult, skip=skip) \
            or self._in_sentence(sentence, start, end, adult) or self.before(start, adult)
        target = self._in_sentence(sentence, start, end, False, but=source) \
            or self.before(start, adult=False, but=source) or next(
                (q for at, q in self.people if at > end and q["role"] in YOUNG
                 and q is not source), None)
        return (source, target) if source is not None and target is not None else None

    def _in_sentence(self, sentence: Any, start: int, end: int, adult: bool | None,
                     but: Row | None = None, skip: tuple[str, ...] = ()) -> Row | None:
        """The person the link's own sentence names nearest before it, else first after it
        ("Maeve has been seen in the company of a man known as 'Bgiman'"), not of a role in
        ``skip``."""
        if not (isinstance(sentence, list) and len(sentence) == 2):
            return None
        first, last = sentence

        def fits(person: Row) -> bool:
            return person is not but and person["role"] not in skip and (
                adult is None or (person["role"] not in YOUNG) == adult)

        found = self.before(start, adult, but, skip)
        if found is not None and any(first <= at <= start and q is found
                                     for at, q in self.people):
            return found
        return next((q for at, q in self.people if end < at <= last and fits(q)), None)


def _past_town(after: list[tuple[int, int, Row]], sentence: Any) -> Row | None:
    """The first of the places named after a link, unless it is a town with another place
    named just after it in the link's sentence ("hangs around at Rochdale bus tation taxi
    rank, 113 High Street": the premises at that address, which a misspelt name left unread,
    not the town)."""
    if not after:
        return None
    _, first_end, first = after[0]
    if first.get("kind") == "town" and len(after) > 1 and isinstance(sentence, list):
        at, _, then = after[1]
        if then.get("kind") != "town" and at - first_end <= NEAR and at < sentence[-1]:
            return then
    return first


def _same_group(role: str | None, other: str) -> bool:
    """Whether a nickname read with ``role`` may be the nickname of a person of role ``other``:
    no role, the same one, or both young ("Amy, a recruiter, who calls herself 'Sparkle'",
    the nickname read as a girl's)."""
    return role in ("", None, other) or (role in YOUNG and other in YOUNG)


def _may_be(person: Row, attrs: Row) -> bool:
    """Whether what the reader said of a nickname's owner (age, sex) agrees with ``person``:
    "Tyrone Francis (36). A man in his mid fifties who calls himself 'Crazy Tiger'" is two men."""
    if attrs.get("sex") and person.get("sex") and str(attrs["sex"]) != person["sex"]:
        return False
    mine, theirs = (parse_age_range(str(a)) if a is not None else None
                    for a in (attrs.get("age"), person.get("age", person.get("age_range"))))
    return mine is None or theirs is None or (mine[0] <= theirs[1] and theirs[0] <= mine[1])


def _key(p: Row) -> int:
    """A proposal's id (the page's rows) or store key (the store's rows)."""
    return int(p["id"] if "id" in p else p["pk"])


def _alias_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


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
    if s.informant and not new.get("informant"):
        new["informant"] = rename[s.informant]
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


def _details(person: Row, attrs: Row) -> None:
    """What the reader said of a person or their nickname besides the name: age, sex, date of
    birth, identifiers. The first mention that says each is kept."""
    if attrs.get("age") is not None and "age" not in person and "age_range" not in person:
        _age(person, attrs["age"])
    for key in ("sex", "dob"):
        if attrs.get(key) and key not in person:
            person[key] = str(attrs[key])
    if isinstance(attrs.get("identifiers"), dict):
        person["identifiers"] = {**attrs["identifiers"], **(person.get("identifiers") or {})}


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
    if vehicle.get("kind") == "car":
        # "a silver car": every taxi is a car too, so the word says no kind a report that
        # names a taxi could disagree with
        del vehicle["kind"]
    return vehicle


def _one_vehicle(first: Row, then: Row) -> bool:
    """Whether a description and a registration said one after the other are one vehicle:
    one has a registration and the other not, and nothing they both say differs."""
    return ("reg" in first) != ("reg" in then) and all(
        first[k] == then[k] for k in first.keys() & then.keys())


def _place(value: str, attrs: Row) -> Row:
    from joinedup.resolve.normalise import normalise_postcode

    if attrs.get("kind") == "postcode" or normalise_postcode(value):
        return {"postcode": value}
    if attrs.get("kind") == "street" and value[:1].isdigit():
        # "43 Cemetery Road": an address, of premises of a kind not said, not the street
        return {"name": value, "address": value}
    place: Row = {"name": str(attrs.get("described") or value)}  # "a flat on Moss Lane"
    if attrs.get("kind"):
        place["kind"] = str(attrs["kind"])
    return place


def _fold(place: Row, part: Row, attrs: Row) -> bool:
    """Add ``part`` (a postcode, a numbered street, a town) to the address of ``place``, the
    place named just before it; False if it is a place of its own."""
    if "postcode" in part:
        if "postcode" in place:
            return False
        place["postcode"] = part["postcode"]
        return True
    name = str(part.get("name") or "")
    town = attrs.get("kind") == "town" and place.get("kind") != "town"
    street = attrs.get("kind") == "street"
    if street and not name[:1].isdigit():
        if place.get("kind") in ("street", "town") or place.get("address"):
            return False
        place["address"] = name  # "Kebab Point, Union Street": the street it is on
        return True
    if not (town or street):
        return False
    on = name.casefold().split(" ", 1)[-1]  # the street of "177a Union Street"
    if not town and place.get("kind") == "street" and not place.get("address") \
            and on == str(place.get("name")).casefold():
        del place["kind"]  # "a flat on Union Street, 177a Union Street": premises on it
    if not town and str(place.get("address") or "").casefold() == on:
        place["address"] = name  # "Kebab Point, Union Street, 177 Union Street"
        return True
    place["address"] = f"{place['address']}, {name}" if place.get("address") else name
    return True


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
