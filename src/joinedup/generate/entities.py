"""The true people, places, vehicles and phones of a generated scenario, and their factories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from joinedup.generate import names
from joinedup.generate.geo import (
    CARE_HOME_FIRST,
    CARE_HOME_SECOND,
    COLOURS,
    HOTEL_NAMES,
    PLACING_AUTHORITIES,
    SCHOOL_NAMES,
    TAKEAWAY_FIRST,
    TAKEAWAY_SECOND,
    VEHICLE_MAKES,
    Org,
    PhoneBook,
    PlateBook,
    Town,
    jitter,
    postcode,
    reporters,
    slug,
    street_address,
)


@dataclass
class Vehicle:
    """A vehicle with its full plate."""

    id: str
    reg: str
    make: str
    colour: str
    kind: str | None


@dataclass
class Phone:
    """A phone, by its number written as digits only."""

    id: str
    digits: str


@dataclass
class Place:
    """A place; a care home also names the organisation that runs it (``org``)."""

    id: str
    kind: str
    name: str
    town: Town
    address: str
    postcode: str
    lat: float
    lon: float
    org: str | None = None


@dataclass
class Person:
    """A true person. Mentions of them in reports are rendered from this, with drift."""

    id: str
    role: str
    origin: str
    sex: str
    given: str
    surname: str
    born: date
    town: Town
    nicknames: list[str] = field(default_factory=list)
    name_known: bool = False
    phones: list[Phone] = field(default_factory=list)
    vehicles: list[Vehicle] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    council_id: str | None = None
    placing_authority: str | None = None
    description: str | None = None
    home: Place | None = None
    parent: Person | None = None
    school: str | None = None

    def age_on(self, day: date) -> int:
        """Age in whole years on ``day``."""
        had_birthday = (day.month, day.day) >= (self.born.month, self.born.day)
        return day.year - self.born.year - (0 if had_birthday else 1)


class Ids:
    """Sequential identity ids by kind (``person:000001``) and council child ids by council."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def next(self, kind: str) -> str:
        """The next id of the kind."""
        n = self._counts.get(kind, 0) + 1
        self._counts[kind] = n
        return f"{kind}:{n:06d}"

    def council_child_id(self, code: str) -> str:
        """The next child id of a council, e.g. ``RCH-004512``."""
        n = self._counts.get(code, 0) + 1
        self._counts[code] = n
        return f"{code}-{n:06d}"


@dataclass
class World:
    """Everything shared while one scenario is generated: ids, plates, phones, report numbers."""

    seed: int
    ids: Ids
    plates: PlateBook
    phones: PhoneBook
    report_counts: dict[str, int] = field(default_factory=dict)
    staff: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def report_id(self, org: Org) -> str:
        """The next report id of the organisation, unique within it (``GMP-000123``)."""
        n = self.report_counts.get(org.name, 0) + 1
        self.report_counts[org.name] = n
        return f"{org.prefix}-{n:06d}"

    def reporter(self, rng: Random, org: Org) -> str:
        """One of the organisation's few named staff."""
        names_ = self.staff.get(org.name)
        if names_ is None:
            names_ = self.staff[org.name] = reporters(self.seed, org.name, org.agency)
        return rng.choice(names_)


_ETHNICITY = {
    "english": ("White British",),
    "irish": ("White Irish", "White British"),
    "south_asian": ("Asian British Pakistani", "Asian British Bangladeshi", "Asian British Indian"),
    "arabic": ("Arab", "Other ethnic group"),
    "polish": ("White Other",),
    "romanian": ("White Other", "Gypsy or Roma"),
    "somali": ("Black African", "Black British"),
    "west_african": ("Black African", "Black British"),
    "caribbean": ("Black Caribbean",),
}
_RELIGION = {
    "english": ("Christian", "No religion"),
    "irish": ("Christian",),
    "south_asian": ("Muslim", "Hindu", "Sikh", "No religion"),
    "arabic": ("Muslim", "Christian"),
    "polish": ("Christian",),
    "romanian": ("Christian",),
    "somali": ("Muslim",),
    "west_african": ("Christian", "Muslim"),
    "caribbean": ("Christian", "No religion"),
}
_NATIONALITY = {
    "polish": "Polish",
    "romanian": "Romanian",
    "somali": "Somali",
    "west_african": "Nigerian",
    "arabic": "Syrian",
    "irish": "Irish",
}


def protected_attributes(rng: Random, origin: str) -> dict[str, str]:
    """Recorded ethnicity, religion and nationality, each present about a third of the time.

    Drawn from the origin alone, and origin is drawn alike for every role, so these never
    correlate with being a person of concern.
    """
    out: dict[str, str] = {}
    if rng.random() < 0.35:
        out["ethnicity"] = rng.choice(_ETHNICITY[origin])
    if rng.random() < 0.3:
        out["religion"] = rng.choice(_RELIGION[origin])
    if rng.random() < 0.3:
        foreign = _NATIONALITY.get(origin)
        out["nationality"] = foreign if foreign and rng.random() < 0.5 else "British"
    return out


def _born(rng: Random, on: date, age: int) -> date:
    return on - timedelta(days=age * 365 + rng.randrange(0, 365))


def make_person(world: World, rng: Random, role: str, town: Town, sex: str, born: date) -> Person:
    """A person of any role with a name drawn from a randomly drawn origin."""
    origin = names.pick_origin(rng)
    surname_origin = origin if rng.random() < 0.9 else names.pick_origin(rng)
    return Person(
        id=world.ids.next("person"),
        role=role,
        origin=origin,
        sex=sex,
        given=names.pick_given(rng, origin, sex),
        surname=names.pick_surname(rng, surname_origin),
        born=born,
        town=town,
        attributes=protected_attributes(rng, origin),
    )


def make_child(world: World, rng: Random, town: Town, on: date, placed: bool) -> Person:
    """A child of 12-16 on ``on``; ``placed`` children live in a care home placed by another
    council and carry that council's child id."""
    sex = "female" if rng.random() < 0.85 else "male"
    child = make_person(world, rng, "child", town, sex, _born(rng, on, rng.randrange(12, 17)))
    if placed:
        authority, code = rng.choice(PLACING_AUTHORITIES)
        child.placing_authority = authority
        child.council_id = world.ids.council_child_id(code)
    else:
        child.council_id = world.ids.council_child_id(town.council_code)
        child.home = make_place(world, rng, "house", town)
        parent_sex = "female" if rng.random() < 0.7 else "male"
        parent = make_person(
            world, rng, "parent", town, parent_sex, _born(rng, child.born, rng.randrange(20, 36))
        )
        if rng.random() < 0.75:
            parent.surname = child.surname
        child.parent = parent
    school = rng.choice(SCHOOL_NAMES)
    child.school = f"{town.name} {school}"
    return child


def make_offender(
    world: World, rng: Random, town: Town, on: date, nickname: str, pool: str
) -> Person:
    """An adult person of concern known by ``nickname``; may have a name on police files, a
    phone and a vehicle (often a taxi)."""
    sex = "male" if rng.random() < 0.95 else "female"
    person = make_person(
        world, rng, "person_of_concern", town, sex, _born(rng, on, rng.randrange(19, 56))
    )
    person.nicknames = [nickname]
    person.name_known = rng.random() < 0.4
    digits = world.phones.maybe(rng, pool, 0.6)
    if digits:
        person.phones.append(Phone(world.ids.next("phone"), digits))
    if rng.random() < 0.5:
        person.vehicles.append(make_vehicle(world, rng, town, on.year))
    if rng.random() < 0.5:
        person.description = rng.choice(_DESCRIPTIONS)
    return person


def make_recruiter(world: World, rng: Random, town: Town, on: date, nickname: str) -> Person:
    """A teenage girl who brings other children to the network (a victim herself)."""
    person = make_person(
        world, rng, "recruiter", town, "female", _born(rng, on, rng.randrange(15, 18))
    )
    person.nicknames = [nickname]
    return person


def make_vehicle(world: World, rng: Random, town: Town, year: int) -> Vehicle:
    """A vehicle with a fresh full plate; about half are taxis."""
    kind = "taxi" if rng.random() < 0.5 else None
    return Vehicle(
        world.ids.next("vehicle"),
        world.plates.new(rng, town, year),
        rng.choice(VEHICLE_MAKES),
        rng.choice(COLOURS),
        kind,
    )


def make_place(world: World, rng: Random, kind: str, town: Town, name: str = "") -> Place:
    """A place of the kind in the town, with an address, postcode and coordinates."""
    lat, lon = jitter(rng, town)
    address = street_address(rng, town)
    if not name:
        name = address.split(",")[0] if kind in ("house", "flat") else _place_name(rng, kind, town)
    return Place(world.ids.next("place"), kind, name, town, address, postcode(rng, town), lat, lon)


def make_care_home(world: World, rng: Random, town: Town) -> Place:
    """A children's home, which is also the organisation that writes its records."""
    home = make_place(
        world,
        rng,
        "care_home",
        town,
        f"{rng.choice(CARE_HOME_FIRST)} {rng.choice(CARE_HOME_SECOND)}",
    )
    home.org = f"{slug(home.name)}-care-{home.id.split(':')[1]}"
    return home


def _place_name(rng: Random, kind: str, town: Town) -> str:
    if kind == "takeaway":
        return f"{rng.choice(TAKEAWAY_FIRST)} {rng.choice(TAKEAWAY_SECOND)}"
    if kind == "hotel":
        return rng.choice(HOTEL_NAMES)
    if kind == "park":
        return f"{rng.choice(('Queen', 'Jubilee', 'Memorial', 'Town'))} Park"
    if kind == "car_park":
        return f"{rng.choice(('Market', 'Station', 'Leisure Centre', 'Retail Park'))} car park"
    if kind == "taxi_rank":
        return f"{town.name} {rng.choice(('bus station', 'station', 'market'))} taxi rank"
    if kind == "shop":
        first = rng.choice(("Best", "Quick", "Corner", "Happy"))
        return f"{first} {rng.choice(('Mart', 'Stores', 'Shop'))}"
    return f"{rng.choice(('Back', 'Lower', 'Upper'))} {rng.choice(('Lane', 'Road', 'Street'))}"


_DESCRIPTIONS = (
    "heavy build, short beard",
    "slim, about 5ft 9",
    "tall, shaved head",
    "stocky, grey hair",
    "wears a leather jacket",
    "glasses, moustache",
    "thin, scar on left cheek",
    "medium build",
)
