"""Prose reports: a structured report retold as an agency would write it, and a scenario
delivered as narratives only.

:func:`write_prose` says in plain, sober agency prose everything a generated report's structured
fields say: each person with their name and nickname, in words that show who they are to the
child ("a man known as 'Tiger'", "her friend Jordan (15), who introduced her to them"), ages,
dates of birth and identifiers, places with their names, addresses and postcodes, vehicles with
plates, make, colour and whether a taxi, phones, every warning sign, every link and the dates
the report is about. Each fact has several wordings, drawn by a random generator seeded from
the scenario's seed and the report's key, so the same scenario always reads the same and no
two reports need read alike. The wording is written as a worker writes, never chosen by what
the narrative reader happens to read: how well it reads them is what the end-to-end check
measures (``bench/narratives.py``).

:func:`narrative_only` then keeps of a report only what a narrative-only report honestly
carries: its ``id``, ``profile``, ``source`` and ``reported_at`` (the envelope: who sent it and
when), ``derived_from`` (a copy or a minute is filed as such by whoever files it; the prose
says so too), and the prose as its ``narrative``. People, places, links, indicators, the
informant (a ref to a person the report no longer lists) and the period it is about are gone:
they are in the prose, for the reader and a reviewer to find.

Most of the module is the wordings (the tables below); the writer after them is small steps,
one a part of a report (the child, who told what about whom, the recruiter, places).

Example:
    >>> from joinedup.generate import generate_scenario
    >>> s = generate_scenario(seed=7, reports=60)
    >>> bare = narratives_only(s.reports, seed=7)
    >>> sorted(bare[0]) == sorted(k for k in ("id", "profile", "source", "reported_at",
    ...     "derived_from", "narrative") if k in s.reports[0])
    True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from random import Random
from typing import Any

from joinedup.generate.narrative import AUDIENCE, DEFAULT_CONTEXT, pronouns

Json = dict[str, Any]
KEPT = ("id", "profile", "source", "derived_from", "reported_at")
YOUNG = ("child", "victim")

# How an agency says each warning sign about the child ({subj} she/he, {obj} her/him, {pos}
# her/his, {refl} herself/himself). Every id the generator writes has at least two wordings.
SIGNS: dict[str, tuple[str, ...]] = {
    "missing_overnight": (
        "was reported missing overnight and found the next morning",
        "did not come home one night and was found the following day",
        "was missing overnight",
    ),
    "missing_repeat": (
        "has been missing several times in recent weeks",
        "has had repeated missing episodes",
        "keeps going missing",
    ),
    "missing_once": (
        "was missing for one evening",
        "went missing for a few hours one evening and came back on {pos} own",
    ),
    "staying_out_late": (
        "has been staying out late",
        "comes home after midnight most nights",
        "has been out until the early hours",
    ),
    "returns_under_influence": (
        "came back under the influence of alcohol",
        "has come home drunk",
        "returned unsteady and smelling of alcohol",
    ),
    "transported_by_unknown_adults": (
        "has been seen getting into cars with adults not known to {pos} carers",
        "is picked up and dropped off by adults nobody knows",
        "has been collected by unknown adults in cars",
    ),
    "alcohol_supplied": (
        "has been given alcohol by adults",
        "said adults give {obj} alcohol",
        "was given alcohol late at night by an adult who had bought it",
    ),
    "drugs_supplied": (
        "said adults had given {obj} cannabis",
        "has been given drugs by older men",
        "is being supplied with cannabis by adults",
    ),
    "sti": (
        "was treated at the clinic for a sexually transmitted infection",
        "has a sexually transmitted infection",
    ),
    "sti_repeat": (
        "attended the clinic with a further infection",
        "has had repeated sexually transmitted infections",
    ),
    "repeat_sexual_health_attendance": (
        "has attended the clinic several times",
        "has been to the sexual health clinic repeatedly",
    ),
    "pregnancy_or_termination": (
        "attended the clinic about a pregnancy",
        "has had a termination",
        "is pregnant",
    ),
    "self_harm": (
        "was seen by the crisis team after self-harming",
        "has been self-harming",
        "has been cutting {pos} arms",
    ),
    "suicidal": (
        "told the crisis team {subj} had thought about ending {pos} life",
        "has expressed suicidal thoughts",
    ),
    "school_absence": (
        "has been absent from school for much of the term",
        "has missed a lot of school",
        "is rarely in school",
    ),
    "chronic_fatigue": (
        "has been falling asleep in lessons",
        "is constantly tired in class",
    ),
    "appearance_change": (
        "has changed {pos} appearance markedly",
        "looks very different lately, with new hair, make-up and clothes",
    ),
    "gifts_unexplained": (
        "has new clothes that carers cannot explain",
        "has expensive gifts nobody can account for",
    ),
    "money_unexplained": (
        "has had money no one can account for",
        "has cash {subj} cannot explain",
    ),
    "new_phone": (
        "has a new phone and will not say where it came from",
        "has a second mobile phone that {pos} family did not buy",
    ),
    "seen_in_hotspot": (
        "was seen at a place known to police",
        "has been seen at a known hotspot",
    ),
    "hotel_taxi_takeaway_links": (
        "spends time at takeaways and in taxis",
        "has unexplained links to takeaways and taxi drivers",
    ),
    "hotel_keys": (
        "was found with a hotel key card",
        "had a hotel room key in {pos} bag",
    ),
    "placement_breakdown": (
        "has had a placement break down",
        "has seen {pos} placement break down",
    ),
    "estranged_from_family": (
        "has withdrawn from family and friends",
        "has stopped seeing {pos} family and friends",
    ),
    "secretive": (
        "is secretive about where {subj} goes",
        "will not say where {subj} has been or who with",
    ),
    "offending": (
        "was arrested for criminal damage",
        "has started shoplifting",
    ),
    "behaviour_change": (
        "has changed in behaviour almost overnight",
        "has become a different child in a matter of weeks",
    ),
    "older_partner": (
        "said {subj} has a much older boyfriend",
        "is in a relationship with a much older man",
    ),
    "trafficked_between_towns": (
        "was found in another town with no reason to be there",
        "has been found in towns miles from home",
    ),
    "taken_to_unknown_addresses": (
        "said adults had taken {obj} to flats and parties",
        "has been taken to addresses {subj} cannot name",
    ),
    "controlling_adult": (
        "appears to be under the control of an adult",
        "seems to be controlled by an older man",
    ),
    "associates_with_suspects": (
        "was seen with men known to police",
        "has been associating with men police suspect of exploitation",
    ),
    "associates_with_unknown_adults": (
        "has been seen with adults {pos} carers do not know",
        "spends time with adults nobody knows",
    ),
    "phone_contact_unknown_adults": (
        "gets calls from adults {pos} carers do not know",
        "is contacted on {pos} phone by unknown adults",
    ),
    "new_older_friends": (
        "has a new, older group of friends",
        "has started mixing with older friends",
    ),
    "volatile_mood": (
        "has been angry and volatile at home",
        "has frequent angry outbursts",
    ),
    "sexualised_language": (
        "has used language staff found worrying for {pos} age",
        "has shown sexualised behaviour not expected at {pos} age",
    ),
    "substance_misuse": (
        "has been drinking heavily",
        "has been using cannabis most days",
    ),
    "disengaged_from_services": (
        "has stopped engaging with {pos} worker",
        "no longer attends {pos} appointments",
    ),
    "disclosure_withdrawn": (
        "made a disclosure and later withdrew it",
        "disclosed an assault, then retracted it",
    ),
    "peers_exploited": (
        "has friends who are thought to be exploited",
        "is friends with girls known to be at risk of exploitation",
    ),
    "bullying": (
        "reports being bullied at school",
        "is being bullied",
    ),
    "neglect_signs": (
        "has come to school hungry and in unwashed clothes",
        "shows signs of neglect",
    ),
    "domestic_abuse_at_home": (
        "has been living with domestic abuse at home",
        "lives in a home where there is domestic abuse",
    ),
    "low_self_esteem": (
        "has very low self-esteem",
        "has a poor opinion of {refl}",
    ),
    "prior_abuse_or_family_adversity": (
        "has a history of family adversity",
        "was neglected as a younger child",
    ),
    "bereavement_or_isolation": (
        "has recently lost a grandparent and seems isolated",
        "has been isolated since a bereavement",
    ),
    "looked_after": (
        "is looked after",
        "is in care",
    ),
}
# A warning sign about the recruiter rather than the child ({name}: the recruiter).
RECRUITS: tuple[str, ...] = (
    "{name} is thought to be bringing other children to the men",
    "{name} appears to be recruiting other girls for them",
)
# What an adult did to or with the child: {a} the adult, {b} the child's first name, {obj}
# her/him, {pos} her/his, {veh} the adult's vehicle if any.
DONE: dict[str, tuple[str, ...]] = {
    "transported": (
        "{a} drove {b} about{veh}",
        "{a} picked {obj} up{veh}",
        "{a} has been giving {obj} lifts{veh}",
    ),
    "supplied_alcohol": (
        "{a} gave {obj} vodka",
        "{a} has been giving {b} alcohol",
        "{a} bought {obj} drink",
    ),
    "supplied_drugs": (
        "{a} gave {obj} cannabis",
        "{a} has been supplying {b} with cannabis",
    ),
    "gave_gifts": (
        "{a} bought {obj} clothes and trainers",
        "{a} has given {b} money and presents",
        "{a} gave {obj} gifts",
    ),
    "sexual_contact": (
        "{b} described {a} as {pos} boyfriend and said they had had sex",
        "{a} has had sex with {b}",
        "{b} disclosed sexual activity with {a}",
    ),
    "seen_with": (
        "{b} was seen with {a}",
        "{b} has been seen in the company of {a}",
        "{a} was seen with {b}",
    ),
    "contacted": (
        "{a} keeps calling {obj}",
        "{a} texts {b} late at night",
        "{a} messages {obj} every night",
    ),
    "controls": (
        "{a} seems to decide where {b} goes",
        "{a} tells {obj} where to go and {subj} does as told",
    ),
}
# An adult or the child and a place: {a} who, {p} the place as named.
AT_PLACE: dict[str, tuple[str, ...]] = {
    "taken_to": (
        "{a} was taken to {p}",
        "{a} said {subj} had been taken to {p}",
    ),
    "frequents": (
        "{a} spends time at {p}",
        "{a} hangs around at {p}",
        "{a} is often at {p}",
    ),
    "works_at": (
        "{a} works at {p}",
        "{a} is employed at {p}",
    ),
    "lives_at": (
        "{a} lives at {p}",
        "{a} is placed at {p}",
    ),
}
INTRODUCED: tuple[str, ...] = (
    "{pos} friend {r}, who introduced {obj} to them",
    "a girl called {r}, who introduced {obj} to the men",
    "an older girl, {r}, who took {obj} along and introduced {obj} to them",
)
SPEAKER: dict[str, tuple[str, ...]] = {
    "child": (
        "{b} told {audience} that ",
        "{Subj} told {audience} that ",
        "{Subj} said that ",
        "In interview {subj} said that ",
    ),
    "parent": (
        "{Pos} {relation}, {name}, reported that ",
        "{Pos} {relation} {name} rang to say that ",
        "{Pos} {relation}, {name}, told {audience} that ",
    ),
    "staff": ("Staff said that ", "Staff report that "),
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DECADES = {"teens": "teens", "20": "twenties", "30": "thirties", "40": "forties",
           "50": "fifties", "60": "sixties"}


def narratives_only(reports: Iterable[Json], seed: int) -> list[Json]:
    """The reports as narratives only, in the order given (see :func:`narrative_only`)."""
    return [narrative_only(r, seed) for r in reports]


def narrative_only(report: Json, seed: int) -> Json:
    """What a narrative-only delivery of ``report`` holds: the envelope and the prose."""
    key = f"{report['source']['org']}/{report['id']}"
    out = {k: report[k] for k in KEPT if k in report}
    out["narrative"] = write_prose(report, Random(f"{seed}|prose|{key}"))
    return out


def write_prose(report: Json, rng: Random) -> str:
    """Everything ``report``'s structured fields say, as an agency would write it."""
    return Writer(report, rng).text()


class Writer:
    """One report being written, sentence by sentence."""

    def __init__(self, report: Json, rng: Random) -> None:
        self.r, self.rng = report, rng
        self.agency = str(report["source"]["agency"])
        self.people: dict[str, Json] = {p["ref"]: p for p in report.get("people") or []}
        self.places: dict[str, Json] = {p["ref"]: p for p in report.get("places") or []}
        self.links: list[Json] = list(report.get("links") or [])
        self.places_said: set[str] = set()  # places named in full once already
        young = [p for p in self.people.values() if p["role"] in YOUNG]
        self.child: Json | None = young[0] if young else None
        self.slots = _slots(self.child)
        firsts = Counter(_first(p) for p in self.people.values())
        self.shared = {f for f, k in firsts.items() if k > 1}  # first names two people have

    def first(self, person: Json) -> str:
        """How a report refers back to someone: by the first word of the name, or by the whole
        name where another person of the report has that first word ("Bethany Whitehead",
        the recruiter, beside Bethany, the child), as a writer keeps two people apart."""
        said = _first(person)
        return str(person.get("name") or said) if said in self.shared else said

    def pick(self, options: tuple[str, ...]) -> str:
        return self.rng.choice(options)

    def text(self) -> str:
        if self.child is None:
            parts = [self.copy_of(), *self.without_child()]
        else:
            parts = [self.copy_of(), *self.about_child(), *self.account(), *self.recruiters(),
                     *self.place_links(), *self.other_places()]
        return " ".join(p for p in parts if p)

    # -- the record this one repeats, and when ---------------------------------------------

    def copy_of(self) -> str:
        sources = self.r.get("derived_from") or []
        if not sources:
            return ""
        names = ", ".join(f"{s.split('/', 1)[0]} record {s.split('/', 1)[1]}" if "/" in s
                          else f"our record {s}" for s in sources)
        return self.pick(("Copy of {n}.", "Summary of {n}, for information.",
                          "This repeats {n}.")).format(n=names)

    def when(self) -> str:
        """The period the report is about, as a sentence of its own."""
        start, end = self.r.get("occurred_from"), self.r.get("occurred_to")
        if not start:
            return ""
        if end:
            return self.pick(("This concerns the period from {a} to {b}.",
                              "Period of concern: {a} to {b}.",
                              "The events described happened between {a} and {b}.")
                             ).format(a=_day(start), b=_day(end))
        if len(start) == 7:
            return self.pick(("This concerns events in {m}.", "The events described were "
                              "during {m}.")).format(m=_month(start))
        return self.pick(("This concerns events on {d}.", "Date of the events: {d}.",
                          "The events described happened on {d}.")).format(d=_day(start))

    # -- the child -------------------------------------------------------------------------

    def about_child(self) -> list[str]:
        child = self.child
        assert child is not None
        signs = self.signs()
        first = signs.pop(0) if signs else DEFAULT_CONTEXT[self.agency].format(**self.slots)
        out = [self.when(), _sentence(f"{self.child_label(child)} {first}")]
        out += self.child_details(child)
        subj = self.slots["Subj"]
        for sign in signs:
            out.append(self.pick((f"{subj} {_also(sign)}.", f"{self.first(child)} {sign}.",
                                  f"It is also noted that {self.slots['subj']} {sign}.")))
        home = self.lives_at(child)
        if home:
            out.append(home)
        return out

    def signs(self) -> list[str]:
        """Each warning sign about the child, worded (the order of the report)."""
        out = []
        for item in self.r.get("indicators") or []:
            if isinstance(item, str):
                out.append(self.pick(SIGNS[item]).format(**self.slots))
        return out

    def child_label(self, child: Json) -> str:
        """``Chloe Smith (14)``, ``Chloe Smith, aged 14,``; ``The victim, ...`` for police."""
        name = str(child.get("name") or "the child")
        age = child.get("age")
        if age is None:
            label = name
        else:
            label = self.pick(("{n} ({a})", "{n}, {a},", "{n}, aged {a},")).format(n=name, a=age)
        if child["role"] == "victim":
            label = self.pick(("The victim, {l},", "{l}, the victim,")).format(
                l=label.rstrip(","))
        return label

    def child_details(self, child: Json) -> list[str]:
        """Date of birth, the council's reference, the placing council, recorded attributes."""
        facts = []
        pos = self.slots["Pos"]
        if child.get("dob"):
            facts.append(self.pick((f"{pos} date of birth is {_dob(child['dob'])}",
                                    f"{self.slots['Subj']} was born {_dob(child['dob'])}",
                                    f"DOB {_dob(child['dob'])}")))
        for scheme, value in (child.get("identifiers") or {}).items():
            what = "council reference" if scheme == "council_child_id" else scheme
            facts.append(f"{pos} {what} is {value}")
        attributes = dict(child.get("attributes") or {})
        authority = attributes.pop("placing_authority", None)
        if authority:
            facts.append(self.pick((f"{self.slots['Subj']} was placed here by {authority}",
                                    f"{pos} placing authority is {authority}")))
        facts += [f"Recorded {k.replace('_', ' ')}: {v}" for k, v in attributes.items()]
        return [f"{f}." for f in facts]

    def lives_at(self, who: Json) -> str:
        for link in self.links:
            if link["from"] == who["ref"] and link["type"] == "lives_at":
                place = self.places[link["to"]]
                self.places_said.add(place["ref"])
                text = self.pick(AT_PLACE["lives_at"]).format(
                    a=self.first(who), p=self.place_label(place), **self.slots)
                return f"{text}."
        return ""

    # -- who said what about whom ----------------------------------------------------------

    def account(self) -> list[str]:
        """The adults the report names, each with what they did, led by who told it."""
        child = self.child
        assert child is not None
        adults = [p for p in self.people.values() if p["role"] == "person_of_concern"]
        lead = self.speaker()
        out = []
        for i, adult in enumerate(adults):
            kinds = [lk["type"] for lk in self.links
                     if lk["from"] == adult["ref"] and lk["to"] == child["ref"]]
            # what the child told is said of "her" or "him", as a writer would: "Hodan told a
            # project worker that she has been seen", not "... that Hodan has been seen"
            told = i == 0 and self.r.get("informant") == child["ref"]
            clause = self.done(adult, kinds[0] if kinds else "seen_with", told)
            if i == 0:
                clause = lead + clause if lead else clause
            else:
                clause = self.pick(("Separately, ", "In addition, ", "", "")) + clause
            out.append(_sentence(clause))
            out += self.adult_details(adult, said_vehicle="transported" in kinds)
        if not adults:
            out.append(self.informant())
        return out

    def informant(self) -> str:
        """Who gave the account, said on its own when it leads into no one's deeds."""
        child = self.child
        assert child is not None
        ref = str(self.r.get("informant") or "")
        if ref == child["ref"]:
            forms = ("{Subj} gave this account {refl}.", "This is {b}'s own account.")
            return self.pick(forms if child.get("sex") in ("male", "female") else forms[1:]
                             ).format(b=self.first(child), **self.slots)
        parent = self.people.get(ref)
        if parent is None or parent["role"] != "parent":
            return ""
        return self.pick(("The report was made by {pos} {relation}, {name}.",
                          "{Pos} {relation}, {name}, made this report.")).format(
            relation=_relation(parent), name=parent["name"], **self.slots)

    def speaker(self) -> str:
        """Who gave the account, as the sentence that carries it begins."""
        child = self.child
        assert child is not None
        ref = self.r.get("informant")
        audience = AUDIENCE[self.agency]
        if ref == child["ref"]:
            return self.pick(SPEAKER["child"]).format(b=self.first(child), audience=audience,
                                                      **self.slots)
        parent = self.people.get(str(ref or ""))
        if parent is not None and parent["role"] == "parent":
            return self.pick(SPEAKER["parent"]).format(
                relation=_relation(parent), name=parent["name"], audience=audience, **self.slots)
        if self.agency == "care_home":
            return self.pick(SPEAKER["staff"])
        return ""

    def done(self, adult: Json, kind: str, told: bool = False) -> str:
        """One clause: the adult, introduced, and what they did with the child; ``told``: the
        child is telling it, so a child whose sex the report gives is a pronoun in it."""
        child = self.child
        assert child is not None
        veh = ""
        if kind == "transported" and adult.get("vehicles"):
            veh = " in " + self.vehicle_words(adult["vehicles"][0])
        template = self.pick(DONE.get(kind, DONE["seen_with"]))
        label = self.adult_label(adult)
        if template.startswith("{b}"):  # the adult introduced mid-sentence
            label = label[0].lower() + label[1:] if label.startswith(("A ", "An ")) else label
        b = self.first(child)
        if told and child.get("sex") in ("male", "female"):
            b = self.slots["subj"] if template.startswith("{b}") else self.slots["obj"]
        return template.format(a=label, b=b, veh=veh, **self.slots)

    def quoted(self, alias: str) -> str:
        """A nickname in quotation marks, double or single as a writer has them."""
        if "'" in alias or self.rng.random() < 0.6:
            return f'"{alias}"'
        return f"'{alias}'"

    def adult_label(self, adult: Json) -> str:
        """An adult of concern as the report knows them: by name, nickname, or both."""
        name, alias = adult.get("name"), (adult.get("aliases") or [None])[0]
        alias = self.quoted(alias) if alias else alias
        noun = {"male": "man", "female": "woman"}.get(str(adult.get("sex")), "adult")
        art = "an" if noun == "adult" else "a"
        age = self.age_words(adult)
        if age.startswith(" (") is False and age:
            age = f",{age},"
        if name and alias:
            return self.pick((
                f"{art} {noun} named {name}{age}, known as {alias}",
                f"{art} {noun} known as {alias}, whose name is {name}{age}",
                f"a local {noun}, {name}{age}, who goes by {alias}",
            )).replace(",,", ",")
        if name:
            return self.pick((f"{art} {noun} named {name}{age}",
                              f"{art} {noun} called {name}{age}",
                              f"a local {noun}, {name}{age},")).replace(",,", ",")
        ranged = self.range_words(adult)
        after = f",{ranged}," if ranged else ""
        return self.pick((
            f"{art} {noun}{ranged} known as {alias}",
            f"{art} {noun} known as {alias}{after}",
            f"{art} {noun}{ranged} who calls himself {alias}" if noun == "man"
            else f"{art} {noun}{ranged} known only as {alias}",
            f"an older {noun} {self.slots['subj']} knows as {alias}{after}"
            if self.child else f"{art} {noun} who goes by {alias}{after}",
        ))

    def age_words(self, adult: Json) -> str:
        """`` (42)`` after a name, or the age range in words."""
        if adult.get("age") is not None:
            return f" ({adult['age']})"
        return self.range_words(adult)

    def range_words(self, adult: Json) -> str:
        """An age range as a witness gives it: `` in his forties``, `` aged 40 to 49``."""
        text = str(adult.get("age_range") or "")
        if not text:
            return ""
        pos = {"male": "his", "female": "her"}.get(str(adult.get("sex")), "their")
        if "-" in text:
            low, high = text.split("-")
            return self.pick((f" aged {low} to {high}", f" aged between {low} and {high}"))
        part, _, decade = text.rpartition(" ")
        words = DECADES.get(decade.rstrip("s"), decade)
        return f" in {pos} {part + ' ' if part else ''}{words}"

    def adult_details(self, adult: Json, said_vehicle: bool) -> list[str]:
        """What else the report says about an adult: looks, vehicles, phones, attributes."""
        subj = {"male": "He", "female": "She"}.get(str(adult.get("sex")), "They")
        one = subj != "They"
        verb, drives, uses = ("is", "drives", "uses") if one else ("are", "drive", "use")
        pos = {"He": "His", "She": "Her"}.get(subj, "Their")
        out = []
        if adult.get("description"):
            out.append(self.pick((f"Description: {adult['description']}.",
                                  f"Described as: {adult['description']}.")))
        vehicles = list(adult.get("vehicles") or [])[1 if said_vehicle else 0:]
        for vehicle in vehicles:
            words = self.vehicle_words(vehicle)
            out.append(self.pick((f"{subj} {drives} {words}.", f"{subj} {verb} seen in {words}.",
                                  f"{pos} vehicle is {words}.")))
        for phone in adult.get("phones") or []:
            out.append(self.pick((f"{pos} number is {phone}.", f"{subj} {uses} the number {phone}.",
                                  f"{pos} mobile is {phone}.")))
        out += [f"Recorded {k.replace('_', ' ')}: {v}."
                for k, v in (adult.get("attributes") or {}).items()]
        return out

    def vehicle_words(self, vehicle: Json) -> str:
        """``a silver Toyota Prius taxi, registration MA08 XKZ`` from what was seen."""
        words = " ".join(str(vehicle[k]) for k in ("colour", "make") if vehicle.get(k))
        noun = "taxi" if vehicle.get("kind") == "taxi" else "car"
        described = f"{words} {noun}" if words else noun
        article = "an" if described[0] in "aeiou" else "a"
        reg = str(vehicle["reg"]).upper()
        if len(reg.replace(" ", "")) == 7 and "?" not in reg:
            plate = self.pick((f", registration {reg}", f" ({reg})", f", reg {reg}"))
        elif "?" in reg:
            seen = reg.rstrip("?").strip()
            plate = self.pick((f", partial registration {reg}",
                               f" with a plate starting {seen}",
                               f", registration {reg} (the rest not seen)"))
        else:
            plate = self.pick((f" with a plate starting {reg}",
                               f", partial registration {reg}"))
        return f"{article} {described}{plate}"

    # -- the recruiter and places ----------------------------------------------------------

    def recruiters(self) -> list[str]:
        """A young person who introduced the child to the men, and what is thought of her."""
        child = self.child
        assert child is not None
        out = []
        for person in self.people.values():
            if person["role"] != "recruiter":
                continue
            name = str(person.get("name") or "a girl")
            label = f"{name} ({person['age']})" if person.get("age") is not None else name
            if person.get("aliases"):
                alias = self.quoted(person["aliases"][0])
                label += self.pick((f", known as {alias}", f", who calls herself {alias}"))
            intro = self.pick(INTRODUCED).format(r=label, **self.slots)
            out.append(_sentence(self.pick((
                f"{self.first(child)} named {intro}",
                f"{self.slots['Subj']} mentioned {intro}",
            ))))
            if person.get("dob"):
                out.append(f"{self.first(person)}'s date of birth is {_dob(person['dob'])}.")
            for item in self.r.get("indicators") or []:
                if isinstance(item, dict) and item.get("about") == person["ref"]:
                    out.append(_sentence(self.pick(RECRUITS).format(name=self.first(person))))
        return out

    def place_links(self) -> list[str]:
        """Links to places not yet said: the child's, then any adult's."""
        out = []
        for link in self.links:
            if link["type"] not in AT_PLACE or link["type"] == "lives_at":
                continue
            place = self.places.get(link["to"])
            who = self.people.get(link["from"])
            if place is None or who is None:
                continue
            first = place["ref"] not in self.places_said
            self.places_said.add(place["ref"])
            label = self.place_label(place) if first else _short_place(place)
            name = self.first(who) if who["role"] in YOUNG else self.again(who)
            text = self.pick(AT_PLACE[link["type"]]).format(a=name, p=label, **self.slots)
            out.append(_sentence(text))
        return out

    def other_places(self) -> list[str]:
        """Places the report names that no link ties to anyone, named with nothing said of
        them (so the prose gives no sign the fields do not)."""
        unsaid = [p for ref, p in self.places.items() if ref not in self.places_said]
        self.places_said.update(p["ref"] for p in unsaid)
        return [_sentence(f"The report also names {self.place_label(p)}") for p in unsaid]

    def again(self, person: Json) -> str:
        """A person already introduced, said again."""
        if person.get("aliases"):
            return f"'{person['aliases'][0]}'"
        return str(person.get("name") or "the man")

    def place_label(self, place: Json) -> str:
        """``Karahi King takeaway, 12 Market Street, Rochdale, OL11 3AB``, as much as is known."""
        name = str(place.get("name") or "")
        parts = [name] if name else []
        if place.get("address") and place["address"] != name:
            parts.append(str(place["address"]))
        if place.get("postcode"):
            parts.append(str(place["postcode"]))
        text = ", ".join(parts) or "an address"
        if place.get("lat") is not None:
            text += f" (location {place['lat']}, {place['lon']})"
        return text

    # -- reports about adults and places only ------------------------------------------------

    def without_child(self) -> list[str]:
        """Intelligence, a licensing complaint or an incident log: adults at a place."""
        adults = [p for p in self.people.values() if p["role"] != "parent"]
        lead = self.when()
        heading = {"police": self.pick(("Intelligence: ", "Information received: ")),
                   "other": "Complaint to licensing: "}.get(self.agency, "")
        out = []
        for i, adult in enumerate(adults):
            links = [lk for lk in self.links if lk["from"] == adult["ref"]
                     and lk["to"] in self.places]
            label = self.adult_label(adult)
            if links:
                place = self.places[links[0]["to"]]
                first = place["ref"] not in self.places_said
                self.places_said.add(place["ref"])
                where = self.place_label(place) if first else _short_place(place)
                clause = self.pick(AT_PLACE[links[0]["type"]]).format(a=label, p=where,
                                                                      **self.slots)
            else:
                clause = f"{label} was spoken to"
            out.append(_sentence(heading + clause if i == 0 else clause))
            if i == 0:
                out.append(lead)
            out += self.adult_details(adult, said_vehicle=False)
        return out


def _slots(child: Json | None) -> dict[str, str]:
    """Pronouns for the child; a child whose sex the report does not give is named instead."""
    if child is None or child.get("sex") in ("male", "female"):
        slots = pronouns(child.get("sex") if child else None)
        return slots | {"refl": slots["obj"] + "self"}
    name = _first(child)
    return {"subj": name, "obj": name, "pos": f"{name}'s", "Subj": name, "Pos": f"{name}'s",
            "refl": "themselves"}


def _sentence(text: str) -> str:
    text = text.strip().rstrip(",")
    return text[0].upper() + text[1:] + "."


def _relation(parent: Json) -> str:
    return {"female": "mother", "male": "father"}.get(str(parent.get("sex")), "parent")


def _also(sign: str) -> str:
    """``has also been``, ``is also``, ``also has``: "also" where a writer puts it."""
    verb, _, rest = sign.partition(" ")
    auxiliary = verb in ("is", "was") or (verb in ("has", "had") and rest.startswith("been"))
    return f"{verb} also {rest}" if auxiliary else f"also {sign}"


def _first(person: Json) -> str:
    """The first word of the name, as a report refers back to someone already introduced."""
    name = person.get("name")
    if name:
        return str(name).split()[0]
    alias = (person.get("aliases") or [None])[0]
    return f"'{alias}'" if alias else "the child"


def _short_place(place: Json) -> str:
    return str(place.get("name") or place.get("address") or place.get("postcode") or "there")


def _day(text: str) -> str:
    """``2007-03-03`` as ``3 March 2007`` (a month alone as ``March 2007``)."""
    if len(text) == 7:
        return _month(text)
    d = date.fromisoformat(text[:10])
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _month(text: str) -> str:
    year, month = text[:7].split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def _dob(text: str) -> str:
    """A date of birth as a worker writes it: ``12/03/1993``, or ``March 1993``."""
    if len(text) == 7:
        return _month(text)
    d = date.fromisoformat(text)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"
