"""Planted exploitation networks and the fragmentary reports that agencies write about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from random import Random
from typing import Any

from joinedup.generate import geo, names
from joinedup.generate.alerts import GENERAL, SIGNIFICANT
from joinedup.generate.entities import (
    Person,
    Place,
    World,
    make_care_home,
    make_child,
    make_offender,
    make_place,
    make_recruiter,
)
from joinedup.generate.narrative import LINK_TEXT, adult_label, compose, phone_text, short_name
from joinedup.generate.narrative import vehicle_text as vehicle_words
from joinedup.generate.render import (
    Draft,
    Rec,
    adult_mention,
    child_mention,
    occurred,
    offender_mention,
    place_mention,
)

Json = dict[str, Any]

# Largest score one agency may hold about a child, counting every significant indicator at 5:
# so no single agency's reports reach the high-risk band (16) on their own. The signs a report's
# own fields imply (a link, a place, a taxi, a placing council) count, and are always ticked: a
# reader of the report's prose finds them, so an agency kept under the band only by leaving them
# unticked would reach it once its reports were read. A link whose sign would pass the cap is
# written as a link of another kind, a place or a placing council not linked or not named.
AGENCY_CAP = 15

AGENCY_WEIGHTS: dict[str, float] = {
    "police": 0.25,
    "health": 0.18,
    "social_care": 0.17,
    "education": 0.12,
    "family": 0.1,
    "care_home": 0.18,
    "youth_service": 0.05,
    "voluntary_sector": 0.05,
}
POOLS: dict[str, tuple[str, ...]] = {
    "police": (
        "missing_overnight",
        "returns_under_influence",
        "staying_out_late",
        "offending",
        "hotel_keys",
        "trafficked_between_towns",
        "associates_with_suspects",
        "missing_repeat",
    ),
    "health": (
        "sti",
        "sti_repeat",
        "repeat_sexual_health_attendance",
        "pregnancy_or_termination",
        "self_harm",
        "suicidal",
        "substance_misuse",
        "disclosure_withdrawn",
        "low_self_esteem",
    ),
    "social_care": (
        "missing_repeat",
        "estranged_from_family",
        "placement_breakdown",
        "money_unexplained",
        "controlling_adult",
        "prior_abuse_or_family_adversity",
        "disengaged_from_services",
        "peers_exploited",
    ),
    "care_home": (
        "missing_overnight",
        "missing_repeat",
        "returns_under_influence",
        "new_phone",
        "phone_contact_unknown_adults",
        "hotel_taxi_takeaway_links",
        "staying_out_late",
        "looked_after",
    ),
    "education": (
        "school_absence",
        "chronic_fatigue",
        "behaviour_change",
        "appearance_change",
        "new_older_friends",
        "sexualised_language",
        "gifts_unexplained",
    ),
    "family": (
        "staying_out_late",
        "behaviour_change",
        "new_phone",
        "gifts_unexplained",
        "secretive",
        "volatile_mood",
        "missing_overnight",
        "estranged_from_family",
    ),
    "youth_service": (
        "new_older_friends",
        "associates_with_unknown_adults",
        "peers_exploited",
        "substance_misuse",
    ),
    "voluntary_sector": (
        "trafficked_between_towns",
        "associates_with_unknown_adults",
        "low_self_esteem",
        "peers_exploited",
    ),
}
LINKS: dict[str, tuple[str, ...]] = {
    "police": ("transported", "supplied_alcohol", "seen_with", "supplied_drugs"),
    "health": ("sexual_contact", "gave_gifts", "contacted"),
    "social_care": ("gave_gifts", "contacted", "controls", "seen_with"),
    "care_home": ("transported", "contacted", "seen_with"),
    "education": ("transported", "seen_with"),
    "family": ("contacted", "gave_gifts", "transported"),
    "youth_service": ("seen_with", "gave_gifts"),
    "voluntary_sector": ("controls", "transported", "seen_with"),
}
IMPLIED: dict[str, str] = {
    "transported": "transported_by_unknown_adults",
    "supplied_alcohol": "alcohol_supplied",
    "supplied_drugs": "drugs_supplied",
    "gave_gifts": "gifts_unexplained",
    "sexual_contact": "older_partner",
    "controls": "controlling_adult",
    "contacted": "phone_contact_unknown_adults",
    "seen_with": "associates_with_unknown_adults",
}
# A network's takeaway or taxi rank is a hotspot and a link to takeaways or taxis.
PLACE_IMPLIED: dict[str, tuple[str, ...]] = {
    "takeaway": ("seen_in_hotspot", "hotel_taxi_takeaway_links"),
    "flat": ("taken_to_unknown_addresses",),
    "hotel": ("hotel_keys",),
    "taxi_rank": ("hotel_taxi_takeaway_links", "seen_in_hotspot"),
}
# Kinds of link a report falls back on when those drawn for its agency would take it to the band.
FALLBACK_LINKS = ("seen_with", "contacted")
TAXI_IMPLIED = "hotel_taxi_takeaway_links"  # an adult of the report seen with a taxi
PLACED_IMPLIED = "looked_after"  # a placing council named, or the child living at a care home
INFORMANT: dict[str, tuple[float, float]] = {  # (child, parent) chances by agency
    "police": (0.5, 0.2),
    "health": (0.85, 0.0),
    "social_care": (0.4, 0.15),
    "care_home": (0.2, 0.0),
    "education": (0.2, 0.0),
    "family": (0.0, 1.0),
    "youth_service": (0.5, 0.0),
    "voluntary_sector": (0.5, 0.0),
}


@dataclass
class Network:
    """A planted network: its true people, places and the period it is active."""

    id: str
    town: geo.Town
    offenders: list[Person]
    children: list[Person]
    places: list[Place]
    care_homes: list[Place]
    first: int
    last: int
    recruiter: Person | None = None
    introduced: list[Person] = field(default_factory=list)
    high_risk: set[str] = field(default_factory=set)
    windows: dict[str, tuple[int, int]] = field(default_factory=dict)


def build_network(
    world: World, rng: Random, net_id: str, first: int, last: int, n_children: int
) -> Network:
    """Draw a network: 2-5 nicknamed offenders, its places, children, maybe a recruiter."""
    town = rng.choice(geo.TOWNS)
    on = date.fromordinal(first)
    offenders = _offenders(world, rng, town, on)
    places = _places(world, rng, town)
    care_homes = [make_care_home(world, rng, town) for _ in range(rng.randint(1, 2))]
    children = [make_child(world, rng, town, on, rng.random() < 0.3) for _ in range(n_children)]
    for child in children:
        if child.placing_authority:
            child.home = rng.choice(care_homes)
    net = Network(net_id, town, offenders, children, places, care_homes, first, last)
    if n_children >= 2 and rng.random() < 0.4:
        net.recruiter = make_recruiter(world, rng, town, on, rng.choice(names.RECRUITER_NICKNAMES))
        net.introduced = rng.sample(children, rng.randint(2, n_children))
    net.high_risk = {c.id for c in children if rng.random() < 0.5}
    for child in children:
        length = rng.randint(90, 150 if child.id in net.high_risk else 220)
        begin = rng.randint(first, max(first, last - length))
        net.windows[child.id] = (begin, min(last, begin + length))
    return net


def _offenders(world: World, rng: Random, town: geo.Town, on: date) -> list[Person]:
    out: list[Person] = []
    used: set[str] = set()
    for i in range(rng.randint(2, 5)):
        strong = rng.random() < (0.7 if i == 0 else 0.5)
        nick = names.strong_nickname(rng) if strong else names.weak_nickname(rng)
        while nick in used:
            nick = names.strong_nickname(rng)
        used.add(nick)
        out.append(make_offender(world, rng, town, on, nick, "network"))
    return out


def _places(world: World, rng: Random, town: geo.Town) -> list[Place]:
    takeaway = make_place(world, rng, "takeaway", town)
    places = [takeaway]
    if rng.random() < 0.6:
        flat = make_place(world, rng, "flat", town, f"flat above {takeaway.name}")
        number, rest = takeaway.address.split(" ", 1)
        flat.address, flat.postcode = f"{number}a {rest}", takeaway.postcode
        places.append(flat)
    if rng.random() < 0.4:
        places.append(make_place(world, rng, "hotel", town))
    if rng.random() < 0.2:
        places.append(make_place(world, rng, "taxi_rank", town))
    return places


class NetworkWriter:
    """Writes one network's reports, keeping each agency's score about a child under the cap."""

    def __init__(self, world: World, rng: Random, net: Network, end: int) -> None:
        self.world, self.rng, self.net, self.end = world, rng, net, end
        self.recs: list[Rec] = []
        self.held: dict[tuple[str, str], set[str]] = {}
        self.recorded: dict[tuple[str, str], set[str]] = {}

    def write(self, budget: int) -> list[Rec]:
        """Exactly ``budget`` reports: two seeds that link the hub offender to two children
        through two informants, then a mix of child reports, intelligence and repeats."""
        hub = self.net.offenders[0]
        seeds = self.net.children[: min(2, budget)]
        with_recruiter = self.net.recruiter is not None and self.rng.random() < 0.7
        for child in seeds:
            recruit = with_recruiter and child in self.net.introduced
            self.recs.append(
                self.child_report(
                    child,
                    "police" if child is seeds[0] else None,
                    hub,
                    force_child_informant=True,
                    with_recruiter=recruit,
                )
            )
        while len(self.recs) < budget:
            roll = self.rng.random()
            if roll < 0.14:
                self.recs.append(self.repeat())
            elif roll < 0.2:
                self.recs.append(self.intelligence())
            else:
                self.recs.append(self.child_report(self.rng.choice(self.net.children)))
        return self.recs

    # -- child reports ----------------------------------------------------------------------

    def child_report(
        self,
        child: Person,
        agency: str | None = None,
        offender: Person | None = None,
        force_child_informant: bool = False,
        with_recruiter: bool | None = None,
    ) -> Rec:
        """One agency's fragment about a child: an offender or two, maybe a place or plate."""
        rng = self.rng
        agency = agency or self._agency(child)
        org = self._org(child, agency)
        day = self._day(child)
        draft = Draft(self.world, rng, org, day)
        held = self.held.setdefault((child.id, agency), set())
        found: list[str] = []  # the signs observed, one a link or place, then the others
        implied: list[str] = []  # every sign the report's fields imply
        cm = child_mention(rng, child, agency, day)
        if "placing_authority" in cm.get("attributes", {}):
            if _fits(held, implied, PLACED_IMPLIED):
                implied.append(PLACED_IMPLIED)
            else:
                _drop_attribute(cm, "placing_authority")
        cref = draft.add_person(child, cm, [], [])
        clauses: list[str] = []
        for who in self._pick_offenders(offender):
            self._offender(draft, who, cref, agency, held, found, implied, clauses)
        if with_recruiter is None:
            with_recruiter = child in self.net.introduced and rng.random() < 0.25
        if with_recruiter and self.net.recruiter is not None:
            self._recruiter(draft, cref, agency, day, clauses)
        if rng.random() < (0.55 if agency == "police" else 0.35):
            place = rng.choice(self.net.places)
            linked = _fits(held, implied, *PLACE_IMPLIED[place.kind])
            self._place(draft, cref, place, agency, clauses, cm, linked)
            found.append(PLACE_IMPLIED[place.kind][0])
            if linked:
                implied.extend(PLACE_IMPLIED[place.kind])
        if child.placing_authority and child.home and agency == "care_home" and rng.random() < 0.5:
            linked = _fits(held, implied, PLACED_IMPLIED)
            self._home(draft, cref, child.home, agency, linked)
            if linked:
                implied.append(PLACED_IMPLIED)
        extras = rng.randint(1, 2) if child.id in self.net.high_risk else rng.randint(0, 1)
        found.extend(rng.sample(POOLS[agency], extras))
        self._indicators(draft, child, agency, found, implied)
        speaker, informant = self._informant(draft, child, cref, agency, force_child_informant)
        plain = [i for i in draft.indicators if isinstance(i, str)]
        text = compose(agency, cm, plain, clauses, speaker)
        return draft.finish(text, informant, None, occurred(rng, day))

    def _agency(self, child: Person) -> str:
        skip = "family" if child.placing_authority else "care_home"
        options = [a for a in AGENCY_WEIGHTS if a != skip]
        return self.rng.choices(options, [AGENCY_WEIGHTS[a] for a in options])[0]

    def _org(self, child: Person, agency: str) -> geo.Org:
        town = self.net.town
        if agency == "health":
            return geo.sexual_health(town) if self.rng.random() < 0.65 else geo.crisis_team(town)
        if agency == "social_care" and child.placing_authority and self.rng.random() < 0.5:
            return geo.Org(
                f"{geo.slug(child.placing_authority)}-childrens-social-care", "social_care", "CSC"
            )
        if agency == "care_home" and child.home and child.home.org:
            return geo.Org(child.home.org, "care_home", "CH")
        if agency == "education" and child.school:
            return geo.school(child.school)
        return {
            "police": geo.police,
            "social_care": geo.social_care,
            "youth_service": geo.youth_service,
            "voluntary_sector": geo.voluntary,
        }.get(agency, lambda _t: geo.FAMILY)(town)

    def _day(self, child: Person) -> date:
        begin, end = self.net.windows[child.id]
        return date.fromordinal(self.rng.randint(begin, end))

    def _pick_offenders(self, forced: Person | None) -> list[Person]:
        offenders = self.net.offenders
        if forced is not None:
            return [forced]
        first = offenders[0] if self.rng.random() < 0.45 else self.rng.choice(offenders)
        if self.rng.random() < 0.3:
            second = self.rng.choice(offenders)
            if second is not first:
                return [first, second]
        return [first]

    def _offender(
        self,
        draft: Draft,
        who: Person,
        cref: str,
        agency: str,
        held: set[str],
        found: list[str],
        implied: list[str],
        clauses: list[str],
    ) -> None:
        """Link the man to the child by the kind of link drawn, or, if its sign would take the
        agency to the band, by the first kind whose signs it can still hold."""
        rng = self.rng
        drawn = rng.choice(LINKS[agency])
        show_vehicle = bool(who.vehicles) and rng.random() < (
            0.7 if drawn == "transported" else 0.15
        )
        show_phone = bool(who.phones) and rng.random() < (0.8 if drawn == "contacted" else 0.15)
        mention, vids, pids = offender_mention(
            rng, who, agency, draft.day, show_vehicle, show_phone
        )
        found.append(_link_implies(drawn, agency)[0])
        kind = next((k for k in (drawn, *LINKS[agency], *FALLBACK_LINKS)
                     if _fits(held, implied, *_link_implies(k, agency))), drawn)
        implied.extend(_link_implies(kind, agency))
        if any(v.get("kind") == "taxi" for v in mention.get("vehicles", [])):
            if _fits(held, implied, TAXI_IMPLIED):
                implied.append(TAXI_IMPLIED)
            else:
                for vehicle in mention["vehicles"]:
                    vehicle.pop("kind", None)
        oref = draft.add_person(who, mention, vids, pids)
        draft.link(oref, cref, kind)
        clauses.append(
            LINK_TEXT[kind].format(
                a=adult_label(mention),
                b=short_name(draft.people[0]),
                vehicle=vehicle_words(mention),
                phone=phone_text(mention),
            )
        )

    def _recruiter(
        self, draft: Draft, cref: str, agency: str, day: date, clauses: list[str]
    ) -> None:
        recruiter = self.net.recruiter
        assert recruiter is not None
        mention = child_mention(self.rng, recruiter, agency, day)
        rref = draft.add_person(recruiter, mention, [], [])
        draft.link(rref, cref, "introduced")
        if agency in ("police", "social_care") and self.rng.random() < 0.5:
            draft.indicators.append({"id": "recruits_peers", "about": rref})
        clauses.append(
            LINK_TEXT["introduced"].format(a=adult_label(mention), b=short_name(draft.people[0]))
        )

    def _place(
        self,
        draft: Draft,
        cref: str,
        place: Place,
        agency: str,
        clauses: list[str],
        cm: Json,
        linked: bool,
    ) -> None:
        """A network place linked to the child, and to a man of the report who works there;
        not linked to the child if its signs would take the agency to the band (it is still
        named, as a place the report is about)."""
        mention = place_mention(self.rng, place, agency)
        pref = draft.add_place(place, mention)
        if linked:
            kind = "taken_to" if place.kind in ("flat", "hotel") else "frequents"
            draft.link(cref, pref, kind)
            clauses.append(LINK_TEXT[kind].format(a=short_name(cm), b=mention["name"]))
        worker = next((p for p in draft.people if p["role"] == "person_of_concern"), None)
        if place.kind == "takeaway" and worker and self.rng.random() < 0.4:
            draft.link(worker["ref"], pref, "works_at")

    def _home(self, draft: Draft, cref: str, home: Place, agency: str, linked: bool) -> None:
        mention = place_mention(self.rng, home, agency)
        if linked:
            draft.link(cref, draft.add_place(home, mention), "lives_at")

    def _indicators(
        self, draft: Draft, child: Person, agency: str, found: list[str], implied: list[str]
    ) -> None:
        """Tick every sign the report's fields imply, and the other signs observed that the
        agency records and that keep its score about the child under the high-risk band.

        Which observed signs are recorded is drawn as it was before the signs implied by fields
        were always ticked, against the agency's record of its own choices (``self.recorded``),
        so that each seed keeps its people, vehicles and phones (and the shipped person model,
        trained on seed 1, its training data). A sign the agency already has is recorded again
        30% of the time, and for a child not planned as high risk a quarter of significant
        signs are recorded."""
        key = (child.id, agency)
        recorded = self.recorded.setdefault(key, set())
        score = sum(_worst(i) for i in recorded)
        high = child.id in self.net.high_risk
        kept = []
        for indicator in dict.fromkeys(found):
            if indicator in SIGNIFICANT and not high and self.rng.random() < 0.75:
                continue
            if indicator in recorded and self.rng.random() < 0.7:
                continue
            if indicator not in recorded and score + _worst(indicator) > AGENCY_CAP:
                continue
            if indicator not in recorded:
                recorded.add(indicator)
                score += _worst(indicator)
            kept.append(indicator)
        held = self.held.setdefault(key, set())
        ticked = list(dict.fromkeys(implied))
        for indicator in kept:
            if indicator not in ticked and _fits(held, ticked, indicator):
                ticked.append(indicator)
        held.update(ticked)
        draft.indicators.extend(ticked)

    def _informant(
        self, draft: Draft, child: Person, cref: str, agency: str, force_child: bool
    ) -> tuple[str, str | None]:
        p_child, p_parent = INFORMANT[agency]
        roll = self.rng.random()
        if force_child or roll < p_child:
            return "child", cref
        if child.parent is not None and roll < p_child + p_parent:
            ref = draft.add_person(
                child.parent, adult_mention(self.rng, child.parent, "parent"), [], []
            )
            return "parent", ref
        return ("staff" if agency == "care_home" else "none"), None

    # -- other reports ----------------------------------------------------------------------

    def intelligence(self) -> Rec:
        """Police intelligence or a licensing complaint about offenders and a place, no child."""
        rng = self.rng
        agency = "other" if rng.random() < 0.25 else "police"
        org = geo.licensing(self.net.town) if agency == "other" else geo.police(self.net.town)
        day = date.fromordinal(rng.randint(self.net.first, self.net.last))
        draft = Draft(self.world, rng, org, day)
        place = rng.choice(self.net.places)
        pmention = place_mention(rng, place, agency)
        pref = draft.add_place(place, pmention)
        clauses = []
        for who in rng.sample(self.net.offenders, min(2, len(self.net.offenders))):
            mention, vids, pids = offender_mention(
                rng, who, agency, day, rng.random() < 0.6, rng.random() < 0.3
            )
            oref = draft.add_person(who, mention, vids, pids)
            kind = "works_at" if place.kind == "takeaway" and rng.random() < 0.5 else "frequents"
            draft.link(oref, pref, kind)
            clauses.append(
                LINK_TEXT[kind].format(a=adult_label(mention), b=pmention["name"])
                + vehicle_words(mention)
            )
        text = compose(agency, None, [], clauses, "none")
        text = (
            f"Intelligence: {text} Young girls are said to visit."
            if agency == "police"
            else (f"Complaint: {text} The driver is said to carry young passengers.")
        )
        return draft.finish(text, None, None, occurred(rng, day))

    def repeat(self) -> Rec:
        """A record that only repeats an earlier one (a minute, a summary, a referral copy)."""
        return repeat_of(self.world, self.rng, self.recs, self.net.town, self.end)


def repeat_of(world: World, rng: Random, recs: list[Rec], town: geo.Town, end: int) -> Rec:
    """A derived copy of an earlier original report of the cluster, by the same or another org,
    a few days later, sometimes retyped with a slip."""
    originals = [r for r in recs if "derived_from" not in r.report]
    original = rng.choice(originals)
    report = original.report
    same_org = rng.random() < 0.35
    org_name = report["source"]["org"]
    if same_org:
        org = geo.Org(org_name, report["source"]["agency"], report["id"].split("-")[0])
        derived = [report["id"]]
    else:
        org = (
            geo.social_care(town)
            if report["source"]["agency"] != "social_care"
            else (geo.police(town))
        )
        derived = [f"{org_name}/{report['id']}"]
    day = date.fromordinal(min(max(end, original.day), original.day + rng.randint(1, 21)))
    draft = Draft(world, rng, org, day)
    draft.people = [dict(p) for p in report["people"]]
    draft.places = [dict(p) for p in report["places"]]
    draft.links = [dict(link) for link in report["links"]]
    draft.indicators = list(report["indicators"])
    draft.mentions = list(original.mentions)
    draft.vehicle_truth = list(original.vehicles)
    draft.phone_truth = list(original.phones)
    if rng.random() < 0.2:
        _retype(rng, draft.people)
    lead = "Summary of" if same_org else "Copy of"
    text = f"{lead} {org_name} record {report['id']}: {report['narrative']}"
    span = (
        (report["occurred_from"], report.get("occurred_to", ""))
        if ("occurred_from" in report)
        else None
    )
    return draft.finish(text, report.get("informant"), derived, span)


def _retype(rng: Random, people: list[Json]) -> None:
    person = rng.choice(people)
    if person.get("aliases"):
        person["aliases"] = [names.typo(rng, person["aliases"][0])]
    elif person.get("name"):
        person["name"] = names.typo(rng, person["name"])


def _worst(indicator: str) -> int:
    if indicator in SIGNIFICANT:
        return 5
    return 0 if indicator in GENERAL else 1


def _fits(held: set[str], ticked: list[str], *indicators: str) -> bool:
    """Whether the agency can hold ``indicators`` about the child besides what it holds and
    what this report already ticks, without reaching the high-risk band."""
    return sum(_worst(i) for i in held.union(ticked, indicators)) <= AGENCY_CAP


def _drop_attribute(mention: Json, name: str) -> None:
    attributes = mention["attributes"]
    del attributes[name]
    if not attributes:
        del mention["attributes"]


def _link_implies(kind: str, agency: str) -> tuple[str, ...]:
    """The signs a link of ``kind`` from an offender to the child implies: the police word
    "seen with" as with men known to them, and the man is still an adult the child's family
    and carers do not know."""
    if kind == "seen_with" and agency == "police":
        return ("associates_with_suspects", IMPLIED[kind])
    return (IMPLIED[kind],)


def network_truth(net: Network) -> Json:
    """The network's entry in the truth file, without its expected alerts."""
    vehicles = [v.id for o in net.offenders for v in o.vehicles]
    phones = [p.id for o in net.offenders for p in o.phones]
    return {
        "id": net.id,
        "town": net.town.name,
        "people_of_concern": [o.id for o in net.offenders],
        "children": [c.id for c in net.children],
        "places": [p.id for p in net.places],
        "care_homes": [p.id for p in net.care_homes],
        "vehicles": vehicles,
        "phones": phones,
        "recruiter": net.recruiter.id if net.recruiter else None,
        "introduced": [c.id for c in net.introduced],
        "planned_high_risk": sorted(net.high_risk),
        "first_day": date.fromordinal(net.first).isoformat(),
        "last_day": date.fromordinal(net.last).isoformat(),
    }
