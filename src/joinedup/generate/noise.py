"""Unrelated reports: welfare concerns about other children, and adults and places elsewhere.

Each noise episode has its own people and places, seen by one to three reports; an adult in it
(often with a common nickname such as "K" or "Big Man") is linked to one child at most and no
indicator in it is significant, so noise gives a correct system nothing to alert on, while a
system that merges on nicknames alone fuses these men with the networks' men.
"""

from __future__ import annotations

from datetime import date
from random import Random

from joinedup.generate import geo, names
from joinedup.generate.entities import (
    Person,
    Place,
    World,
    make_care_home,
    make_child,
    make_offender,
    make_place,
)
from joinedup.generate.narrative import LINK_TEXT, adult_label, compose, phone_text, short_name
from joinedup.generate.narrative import vehicle_text as vehicle_words
from joinedup.generate.networks import PLACED_IMPLIED, repeat_of
from joinedup.generate.render import (
    Draft,
    Rec,
    adult_mention,
    child_mention,
    occurred,
    offender_mention,
    place_mention,
)

WELFARE: dict[str, tuple[str, ...]] = {
    "education": ("bullying", "school_absence", "neglect_signs", "low_self_esteem"),
    "social_care": (
        "neglect_signs",
        "domestic_abuse_at_home",
        "prior_abuse_or_family_adversity",
        "bereavement_or_isolation",
    ),
    "health": ("low_self_esteem", "bereavement_or_isolation", "neglect_signs"),
    "police": ("missing_once", "domestic_abuse_at_home"),
    "family": ("bullying", "volatile_mood", "school_absence"),
    "care_home": ("looked_after", "bullying", "low_self_esteem"),
}
AGENCIES = ("education", "social_care", "health", "police", "family")
AGENCY_WEIGHTS = (0.32, 0.25, 0.13, 0.18, 0.12)


class NoiseWriter:
    """Writes one noise episode of at most ``budget`` reports in a town."""

    def __init__(self, world: World, rng: Random, first: int, last: int) -> None:
        self.world, self.rng, self.first, self.last = world, rng, first, last
        self.town = rng.choice(geo.TOWNS)
        self.recs: list[Rec] = []
        self.entities: list[Person | Place] = []

    def write(self, budget: int) -> list[Rec]:
        """An adult-only incident, or a child welfare episode of one to three reports."""
        rng = self.rng
        if rng.random() < 0.15:
            self.recs.append(self.incident())
            return self.recs
        n = min(budget, rng.choices((1, 2, 3), (0.5, 0.3, 0.2))[0])
        day0 = rng.randint(self.first, self.last)
        child = make_child(self.world, rng, self.town, date.fromordinal(day0), rng.random() < 0.1)
        if child.placing_authority:
            child.home = make_care_home(self.world, rng, self.town)
        adult = self._adult(day0) if rng.random() < 0.35 else None
        place = (
            make_place(self.world, rng, rng.choice(("park", "shop", "takeaway")), self.town)
            if rng.random() < 0.3
            else None
        )
        self.entities.extend(e for e in (child, child.parent, child.home, adult, place) if e)
        for i in range(n):
            if i and rng.random() < 0.12:
                self.recs.append(repeat_of(self.world, rng, self.recs, self.town, self.last))
                continue
            day = min(self.last, day0 + i * rng.randint(3, 40))
            self.recs.append(self.welfare(child, adult, place, date.fromordinal(day)))
        return self.recs

    def _adult(self, day: int) -> Person:
        nick = (
            rng_pick(self.rng, names.COMMON_NOISE_NICKNAMES)
            if self.rng.random() < 0.8
            else names.weak_nickname(self.rng)
        )
        return make_offender(self.world, self.rng, self.town, date.fromordinal(day), nick, "noise")

    def welfare(self, child: Person, adult: Person | None, place: Place | None, day: date) -> Rec:
        """A welfare concern: bullying, neglect, absence; maybe an adult or a place seen."""
        rng = self.rng
        agency = rng.choices(AGENCIES, AGENCY_WEIGHTS)[0]
        if agency == "family" and child.parent is None:
            agency = "care_home"
        org = self._org(child, agency)
        draft = Draft(self.world, rng, org, day)
        cm = child_mention(rng, child, agency, day)
        cref = draft.add_person(child, cm, [], [])
        clauses: list[str] = []
        found = list(rng.sample(WELFARE[agency], rng.randint(1, 2)))
        if "placing_authority" in cm.get("attributes", {}):
            found.append(PLACED_IMPLIED)  # the report says where the child was placed from
        if adult is not None and rng.random() < 0.7:
            kind = rng.choice(("seen_with", "contacted"))
            mention, vids, pids = offender_mention(
                rng, adult, agency, day, rng.random() < 0.3, kind == "contacted"
            )
            aref = draft.add_person(adult, mention, vids, pids)
            draft.link(aref, cref, kind)
            found.append("associates_with_unknown_adults")
            clauses.append(
                LINK_TEXT[kind].format(
                    a=adult_label(mention),
                    b=short_name(cm),
                    vehicle=vehicle_words(mention),
                    phone=phone_text(mention),
                )
            )
        if place is not None and rng.random() < 0.7:
            pm = place_mention(rng, place, agency)
            draft.link(cref, draft.add_place(place, pm), "frequents")
            clauses.append(LINK_TEXT["frequents"].format(a=short_name(cm), b=pm["name"]))
        draft.indicators.extend(dict.fromkeys(found))
        informant, speaker = None, "none"
        if agency == "family" and child.parent is not None:
            informant = draft.add_person(
                child.parent, adult_mention(rng, child.parent, "parent"), [], []
            )
            speaker = "parent"
        elif agency in ("health", "police") and rng.random() < 0.5:
            informant, speaker = cref, "child"
        text = compose(agency, cm, draft.indicators, clauses, speaker)
        return draft.finish(text, informant, None, occurred(rng, day))

    def _org(self, child: Person, agency: str) -> geo.Org:
        if agency == "care_home" and child.home and child.home.org:
            return geo.Org(child.home.org, "care_home", "CH")
        if agency == "education" and child.school:
            return geo.school(child.school)
        if agency == "health":
            return (
                geo.crisis_team(self.town)
                if self.rng.random() < 0.3
                else (geo.sexual_health(self.town))
            )
        return {"police": geo.police, "social_care": geo.social_care}.get(
            agency, lambda _t: geo.FAMILY
        )(self.town)

    def incident(self) -> Rec:
        """A police log about an adult at a place in the town, with no child involved."""
        rng = self.rng
        day = date.fromordinal(rng.randint(self.first, self.last))
        adult = self._adult(day.toordinal())
        place = make_place(
            self.world, rng, rng.choice(("takeaway", "shop", "car_park", "street")), self.town
        )
        self.entities.extend((adult, place))
        draft = Draft(self.world, rng, geo.police(self.town), day)
        mention, vids, pids = offender_mention(
            rng, adult, "police", day, rng.random() < 0.5, rng.random() < 0.3
        )
        aref = draft.add_person(adult, mention, vids, pids)
        pm = place_mention(rng, place, "police")
        draft.link(aref, draft.add_place(place, pm), "frequents")
        what = rng.choice(
            (
                "a noisy dispute",
                "a minor traffic collision",
                "a shoplifting report",
                "a neighbour complaint about parking",
            )
        )
        text = (
            f"Officers attended {what} at {pm['name']}, {self.town.name}. "
            f"{adult_label(mention)[0].upper()}{adult_label(mention)[1:]} was spoken to"
            f"{vehicle_words(mention)}; no further action."
        )
        return draft.finish(text, None, None, occurred(rng, day))


def rng_pick(rng: Random, options: tuple[str, ...]) -> str:
    """``rng.choice`` with a name that reads well at the call site."""
    return rng.choice(options)
