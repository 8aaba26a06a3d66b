"""Short, sober narratives written from a report's structured fields (never the reverse)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

# What an indicator looks like in a sentence about the child ({pos}: her/his).
CONTEXT: dict[str, str] = {
    "missing_overnight": "was reported missing overnight and found the next day",
    "missing_repeat": "has been missing several times in recent weeks",
    "missing_once": "was missing for one evening",
    "staying_out_late": "has been staying out late",
    "returns_under_influence": "came back under the influence of alcohol",
    "transported_by_unknown_adults": "was seen getting into a car with adults not known to carers",
    "alcohol_supplied": "was found drunk in the early hours",
    "drugs_supplied": "said adults had given {obj} cannabis",
    "sti": "attended the clinic and was treated for an infection",
    "sti_repeat": "attended the clinic with a further infection",
    "repeat_sexual_health_attendance": "has attended the clinic several times",
    "pregnancy_or_termination": "attended the clinic about a pregnancy",
    "self_harm": "was seen by the crisis team after self-harming",
    "suicidal": "told the crisis team {subj} had thought about ending {pos} life",
    "school_absence": "has been absent from school for much of the term",
    "chronic_fatigue": "has been falling asleep in lessons",
    "appearance_change": "has changed {pos} appearance markedly",
    "gifts_unexplained": "has new clothes that carers cannot explain",
    "money_unexplained": "has had money no one can account for",
    "new_phone": "has a new phone and will not say where it came from",
    "seen_in_hotspot": "was seen at a place known to police",
    "hotel_taxi_takeaway_links": "spends time at takeaways and in taxis",
    "hotel_keys": "was found with a hotel key card",
    "placement_breakdown": "has had a placement break down",
    "estranged_from_family": "has withdrawn from family and friends",
    "secretive": "is secretive about where {subj} goes",
    "offending": "was arrested for criminal damage",
    "behaviour_change": "has changed in behaviour almost overnight",
    "older_partner": "said {subj} has a much older boyfriend",
    "trafficked_between_towns": "was found in another town with no reason to be there",
    "taken_to_unknown_addresses": "said adults had taken {obj} to flats and parties",
    "controlling_adult": "appears to be under the control of an adult",
    "associates_with_suspects": "was seen with men known to police",
    "associates_with_unknown_adults": "has been seen with adults {pos} carers do not know",
    "phone_contact_unknown_adults": "gets calls from adults {pos} carers do not know",
    "new_older_friends": "has a new, older group of friends",
    "volatile_mood": "has been angry and volatile at home",
    "sexualised_language": "has used language staff found worrying for {pos} age",
    "substance_misuse": "has been drinking heavily",
    "disengaged_from_services": "has stopped engaging with {pos} worker",
    "disclosure_withdrawn": "made a disclosure and later withdrew it",
    "peers_exploited": "has friends who are thought to be exploited",
    "bullying": "reports being bullied at school",
    "neglect_signs": "has come to school hungry and in unwashed clothes",
    "domestic_abuse_at_home": "has been living with domestic abuse at home",
    "low_self_esteem": "has very low self-esteem",
    "prior_abuse_or_family_adversity": "has a history of family adversity",
    "bereavement_or_isolation": "has recently lost a grandparent and seems isolated",
    "looked_after": "is looked after",
}

DEFAULT_CONTEXT: dict[str, str] = {
    "police": "came to the attention of officers",
    "health": "was seen by the service",
    "social_care": "was discussed at a multi-agency meeting",
    "education": "was raised by school staff",
    "care_home": "was discussed at the home's staff handover",
    "family": "has worried {pos} family",
    "youth_service": "was seen at the youth club",
    "voluntary_sector": "was seen by a project worker",
    "other": "was mentioned in a licensing complaint",
}

LINK_TEXT: dict[str, str] = {
    "supplied_alcohol": "{a} gave {b} alcohol",
    "supplied_drugs": "{a} gave {b} cannabis",
    "gave_gifts": "{a} gave {b} gifts and clothes",
    "transported": "{a} drove {b} about{vehicle}",
    "sexual_contact": "{b} described {a} as an older boyfriend",
    "introduced": "{a} introduced {b} to older men",
    "seen_with": "{b} was seen with {a}{vehicle}",
    "contacted": "{a} keeps calling {b}{phone}",
    "controls": "{a} seems to decide where {b} goes",
    "taken_to": "{a} was taken to {b}",
    "frequents": "{a} spends time at {b}",
    "works_at": "{a} works at {b}",
    "lives_at": "{a} lives at {b}",
}

SPEAKER: dict[str, str] = {
    "child": "{Subj} told {audience} that ",
    "parent": "{Pos} parent reported that ",
    "staff": "Staff said that ",
    "none": "",
}
AUDIENCE = {  # whom a child tells, at each agency
    "police": "officers",
    "health": "the nurse",
    "social_care": "the social worker",
    "care_home": "staff",
    "education": "a teacher",
    "family": "a parent",
    "youth_service": "a youth worker",
    "voluntary_sector": "a project worker",
    "other": "an officer",
}


def pronouns(sex: str | None) -> dict[str, str]:
    """Pronoun slots for the child's sex."""
    if sex == "male":
        return {"subj": "he", "obj": "him", "pos": "his", "Subj": "He", "Pos": "His"}
    return {"subj": "she", "obj": "her", "pos": "her", "Subj": "She", "Pos": "Her"}


def child_label(mention: Json) -> str:
    """``"Chloe (14)"`` or just the name."""
    age = mention.get("age")
    return f"{mention['name']} ({age})" if age is not None else str(mention["name"])


def short_name(mention: Json) -> str:
    """The first word of the name, as a clause refers back to someone already introduced."""
    return str(mention["name"]).split()[0]


def adult_label(mention: Json) -> str:
    """A person of concern as the report knows them."""
    alias = (mention.get("aliases") or [None])[0]
    name = mention.get("name")
    if mention.get("role") == "recruiter":
        return f'{name}, known as "{alias}"' if alias else str(name)
    if name:
        return f'{name}, known as "{alias}"' if alias else str(name)
    sex = mention.get("sex")
    who, pos = ("a woman", "her") if sex == "female" else ("a man", "his" if sex else "their")
    age = mention.get("age_range")
    age_text = f" aged {age}" if age and age[0].isdigit() else f" in {pos} {age}" if age else ""
    return f'{who}{age_text} known as "{alias}"'


def vehicle_text(mention: Json) -> str:
    """`` in a silver Toyota Prius taxi (MA08 X??)`` from the first vehicle, if any."""
    vehicles = mention.get("vehicles")
    if not vehicles:
        return ""
    v = vehicles[0]
    words = " ".join(w for w in (v.get("colour"), v.get("make"), v.get("kind")) if w) or "car"
    return f" in a {words} ({v['reg']})"


def phone_text(mention: Json) -> str:
    """`` from 07700 900123`` from the first phone, if any."""
    phones = mention.get("phones")
    return f" from {phones[0]}" if phones else ""


def compose(
    agency: str, child: Json | None, context_ids: list[str], clauses: list[str], speaker: str
) -> str:
    """One or two sentences: what was seen of the child, then what was said about whom."""
    slots = pronouns(child.get("sex") if child else None)
    first = ""
    if child is not None:
        context = next((CONTEXT[i] for i in context_ids if i in CONTEXT), DEFAULT_CONTEXT[agency])
        first = f"{child_label(child)} {context.format(**slots)}."
    if not clauses:
        return first
    lead = SPEAKER[speaker if child is not None else "none"].format(
        audience=AUDIENCE[agency], **slots
    )
    body = "; ".join(clauses)
    second = lead + body if lead else body[0].upper() + body[1:]
    return f"{first} {second}.".strip()
