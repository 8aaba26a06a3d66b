"""Fictional geography for the scenario generator: towns, organisations, addresses, plates, phones.

Postcodes are valid in format and drawn from the OL, BD and M areas; street numbers and inward codes
are random, so no generated address is meant to be a real one. Phone numbers come only from Ofcom's
drama range 07700 900000-900999, which holds 1,000 numbers: see ``PhoneBook``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from joinedup.generate.names import SURNAMES


@dataclass(frozen=True)
class Town:
    """A town with its council, police force, postcode districts and plate area codes."""

    name: str
    council: str
    council_code: str
    force: str
    districts: tuple[str, ...]
    lat: float
    lon: float
    plate_areas: tuple[str, ...]


_GM = ("MA", "MB", "MC", "MD", "ME", "MF", "MJ", "MK", "ML", "MM")
_WY = ("YA", "YB", "YC", "YD", "YE", "YF", "YG", "YH", "YJ", "YK")
GMP = "greater-manchester-police"
WYP = "west-yorkshire-police"

TOWNS: tuple[Town, ...] = (
    Town("Rochdale", "Rochdale", "RCH", GMP, ("OL11", "OL12", "OL16"), 53.6097, -2.1561, _GM),
    Town("Heywood", "Rochdale", "RCH", GMP, ("OL10",), 53.5920, -2.2190, _GM),
    Town("Middleton", "Rochdale", "RCH", GMP, ("M24",), 53.5550, -2.1870, _GM),
    Town("Oldham", "Oldham", "OLD", GMP, ("OL1", "OL4", "OL8", "OL9"), 53.5409, -2.1114, _GM),
    Town("Ashton-under-Lyne", "Tameside", "TAM", GMP, ("OL6", "OL7"), 53.4880, -2.0980, _GM),
    Town("Todmorden", "Calderdale", "CAL", WYP, ("OL14",), 53.7140, -2.0960, _WY),
    Town(
        "Bradford",
        "Bradford",
        "BRD",
        WYP,
        ("BD1", "BD3", "BD5", "BD7", "BD8", "BD9"),
        53.7950,
        -1.7594,
        _WY,
    ),
    Town("Keighley", "Bradford", "BRD", WYP, ("BD20", "BD21", "BD22"), 53.8679, -1.9064, _WY),
    Town("Shipley", "Bradford", "BRD", WYP, ("BD17", "BD18"), 53.8330, -1.7700, _WY),
    Town(
        "Manchester",
        "Manchester",
        "MAN",
        GMP,
        ("M8", "M9", "M11", "M12", "M13", "M16", "M40"),
        53.4808,
        -2.2426,
        _GM,
    ),
    Town("Salford", "Salford", "SAL", GMP, ("M5", "M6", "M7"), 53.4875, -2.2901, _GM),
)

# Councils far from the towns above that place children in their care homes.
PLACING_AUTHORITIES: tuple[tuple[str, str], ...] = (
    ("Birmingham", "BIR"),
    ("Kent", "KEN"),
    ("Lambeth", "LAM"),
    ("Nottinghamshire", "NTT"),
    ("Hull", "HUL"),
    ("Cumbria", "CUM"),
    ("Croydon", "CRO"),
    ("Lincolnshire", "LIN"),
)

STREETS: tuple[str, ...] = (
    "Market Street",
    "Church Lane",
    "Station Road",
    "York Street",
    "High Street",
    "Mill Lane",
    "Bury Road",
    "King Street",
    "Queen's Road",
    "Victoria Street",
    "Albert Road",
    "Park Road",
    "Chapel Street",
    "Union Street",
    "Manchester Road",
    "Halifax Road",
    "Oldham Road",
    "Cemetery Road",
    "Spotland Road",
    "Moss Lane",
    "Thornton Road",
    "Leeds Road",
    "Whitworth Road",
)
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"

TAKEAWAY_FIRST = (
    "Spice",
    "Kebab",
    "Pizza",
    "Chicken",
    "Royal",
    "Golden",
    "Star",
    "Tandoori",
    "Balti",
    "Grill",
    "Karahi",
    "Naan",
)
TAKEAWAY_SECOND = (
    "Hut",
    "Palace",
    "Express",
    "House",
    "King",
    "Corner",
    "Garden",
    "Stop",
    "Point",
    "Bite",
)
HOTEL_NAMES = (
    "Station Hotel",
    "Park View Hotel",
    "Regent Hotel",
    "Royal Oak Hotel",
    "Crown Lodge",
    "Moorside Inn",
    "Travel Rest Lodge",
    "Victoria Hotel",
)
CARE_HOME_FIRST = (
    "Hollins",
    "Brook",
    "Meadow",
    "Oak",
    "Ash",
    "Moor",
    "Heather",
    "Willow",
    "Fern",
    "Ridge",
    "Cedar",
    "Hawthorn",
)
CARE_HOME_SECOND = ("House", "Lodge", "View", "Court", "Cottage", "Place")
SCHOOL_NAMES = (
    "Community High School",
    "Academy",
    "St Mary's RC High School",
    "Moorside High School",
    "Park Lane Pupil Referral Unit",
)
VEHICLE_MAKES = (
    "Toyota Prius",
    "Skoda Octavia",
    "Vauxhall Astra",
    "VW Passat",
    "Ford Mondeo",
    "BMW 3 Series",
    "Mercedes C-Class",
    "Honda Civic",
    "Nissan Primera",
)
COLOURS = ("silver", "black", "white", "blue", "grey", "red", "green")


def slug(text: str) -> str:
    """Lower-case, hyphenated form of ``text`` for organisation names."""
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in out.split("-") if part)


def postcode(rng: Random, town: Town) -> str:
    """A valid-format postcode in one of the town's districts, e.g. ``"OL10 4TB"``."""
    letters = rng.choice(_INWARD_LETTERS) + rng.choice(_INWARD_LETTERS)
    return f"{rng.choice(town.districts)} {rng.randrange(1, 10)}{letters}"


def street_address(rng: Random, town: Town) -> str:
    """A house number, a street and the town."""
    return f"{rng.randrange(1, 240)} {rng.choice(STREETS)}, {town.name}"


def jitter(rng: Random, town: Town) -> tuple[float, float]:
    """A point near the town centre (about a kilometre either way)."""
    return (
        round(town.lat + rng.uniform(-0.01, 0.01), 5),
        round(town.lon + rng.uniform(-0.015, 0.015), 5),
    )


@dataclass
class PlateBook:
    """Hands out full registration plates that are unique within a scenario."""

    used: set[str] = field(default_factory=set)

    def new(self, rng: Random, town: Town, year: int) -> str:
        """A current-style plate registered in the town's area within six years before ``year``."""
        while True:
            reg_year = rng.randrange(max(year - 6, 2002), year + 1)
            age = reg_year % 100 + (50 if rng.random() < 0.5 else 0)
            tail = "".join(rng.choice(_PLATE_LETTERS) for _ in range(3))
            plate = f"{rng.choice(town.plate_areas)}{age:02d} {tail}"
            if plate not in self.used:
                self.used.add(plate)
                return plate


class PhoneBook:
    """Hands out numbers from the drama range, each to one phone only.

    The range holds 1,000 numbers; a share is kept for planted networks and the rest for noise,
    and the chance that a person carries a phone is scaled so that large scenarios do not run
    out. When a share is used up, people simply have no recorded phone: a number is never given
    to two phones, so a shared number in a scenario always means a shared phone.
    """

    def __init__(self, rng: Random, network_demand: float, noise_demand: float) -> None:
        numbers = list(range(900000, 901000))
        rng.shuffle(numbers)
        self._pools = {"network": numbers[:700], "noise": numbers[700:]}
        self.chance = {
            "network": min(1.0, 600 / network_demand) if network_demand else 1.0,
            "noise": min(1.0, 250 / noise_demand) if noise_demand else 1.0,
        }

    def maybe(self, rng: Random, pool: str, base_chance: float) -> str | None:
        """A new number (digits only, ``"07700900123"``) with the scaled chance, or None."""
        if rng.random() >= base_chance * self.chance[pool] or not self._pools[pool]:
            return None
        return f"07700{self._pools[pool].pop()}"


def format_phone(rng: Random, digits: str) -> str:
    """Write an ``07700900123`` number as people do: spaced, international, run together."""
    roll = rng.random()
    if roll < 0.45:
        return f"{digits[:5]} {digits[5:]}"
    if roll < 0.7:
        return digits
    if roll < 0.85:
        return f"+44 {digits[1:5]} {digits[5:]}"
    return f"{digits[:5]}-{digits[5:8]}-{digits[8:]}"


def partial_plate(rng: Random, plate: str) -> str:
    """What a witness catches of a plate: ``"MA08 X??"``, ``"MA08 XK?"`` or ``"MA08"``."""
    head, tail = plate.split(" ")
    roll = rng.random()
    if roll < 0.45:
        return f"{head} {tail[0]}??"
    if roll < 0.75:
        return f"{head} {tail[:2]}?"
    return head


def format_plate(rng: Random, plate: str) -> str:
    """A full plate, sometimes run together or in lower case."""
    roll = rng.random()
    if roll < 0.15:
        return plate.replace(" ", "")
    if roll < 0.2:
        return plate.lower()
    return plate


def reporters(seed: int, org: str, agency: str) -> tuple[str, ...]:
    """The few named staff who write an organisation's records (stable for seed and org)."""
    rng = Random(f"{seed}|{org}")
    titles = {
        "police": ("PC", "DC", "PS"),
        "health": ("Nurse", "Dr", "Health adviser"),
        "social_care": ("SW", "Team manager", "Duty worker"),
        "education": ("DSL", "Head of year", "Attendance officer"),
        "care_home": ("Senior carer", "Home manager", "Night worker"),
        "youth_service": ("Youth worker",),
        "voluntary_sector": ("Project worker",),
        "other": ("Licensing officer",),
    }[agency]
    out = []
    for _ in range(rng.randrange(3, 7)):
        surname = rng.choice(SURNAMES[rng.choice(tuple(SURNAMES))])
        collar = f" {rng.randrange(1000, 9999)}" if agency == "police" else ""
        out.append(f"{rng.choice(titles)}{collar} {surname}")
    return tuple(out)


@dataclass(frozen=True)
class Org:
    """An organisation that writes reports: its name (``source.org``), agency and id prefix."""

    name: str
    agency: str
    prefix: str
    service: str = ""


FAMILY = Org("family-contact", "family", "FAM")


def police(town: Town) -> Org:
    """The town's police force."""
    return Org(town.force, "police", "GMP" if town.force == GMP else "WYP")


def social_care(town: Town) -> Org:
    """The council's children's social care."""
    return Org(f"{slug(town.council)}-childrens-social-care", "social_care", "CSC")


def sexual_health(town: Town) -> Org:
    """The area's sexual health clinic."""
    return Org(f"{slug(town.council)}-sexual-health-service", "health", "SHS", "sexual_health")


def crisis_team(town: Town) -> Org:
    """The area's health crisis intervention team."""
    return Org(f"{slug(town.council)}-crisis-intervention-team", "health", "CIT", "crisis")


def school(name: str) -> Org:
    """A school, named in full (``"Heywood Academy"``)."""
    return Org(slug(name), "education", "SCH")


def youth_service(town: Town) -> Org:
    """The council's youth service."""
    return Org(f"{slug(town.council)}-youth-service", "youth_service", "YS")


def voluntary(town: Town) -> Org:
    """A voluntary young people's project in the council area."""
    return Org(f"{slug(town.council)}-young-peoples-project", "voluntary_sector", "YPP")


def licensing(town: Town) -> Org:
    """The council's taxi licensing team (agency ``other``)."""
    return Org(f"{slug(town.council)}-taxi-licensing", "other", "LIC")
