"""Proposals from free text: people and their nicknames, places, vehicles, phones, dates,
links and indicators read from a narrative by rules, for a person to confirm.

Extraction is deterministic and explainable: spaCy's blank English tokenizer and Matcher, the
project's normalisers, the GeoNames gazetteer and word lists kept as data
(``lexicon.yaml`` here; the profile's ``link_phrases.yaml`` and ``indicator_phrases.yaml``).
Each proposal names the rule that made it and carries that rule's fixed confidence (documented
in each module).

Proposers run in a fixed order, each leaving alone what an earlier one claimed: phones,
postcodes, vehicles and dates (the most specific shapes), streets and premises, nicknames,
people, towns; links and indicators last, over the whole text.

Example:
    >>> from datetime import date
    >>> [(p.type, p.value) for p in extract_narrative(
    ...     'A man known as "Tiger" drove her to Rochdale.', date(2009, 3, 2))]
    [('alias', 'Tiger'), ('link', 'transported'), ('place', 'Rochdale')]
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from joinedup.extract.narrative.aliases import propose_aliases
from joinedup.extract.narrative.dates import propose_dates
from joinedup.extract.narrative.details import (
    flats_above_misspelt,
    homes_on_streets,
    person_details,
    place_locations,
    tie_names,
)
from joinedup.extract.narrative.indicators import propose_indicators
from joinedup.extract.narrative.links import propose_links
from joinedup.extract.narrative.people import children_of_signs, propose_people
from joinedup.extract.narrative.phones import propose_phones
from joinedup.extract.narrative.pipeline import Reading, read
from joinedup.extract.narrative.places import (
    propose_postcodes,
    propose_streets_and_premises,
    propose_towns,
)
from joinedup.extract.narrative.vehicles import propose_vehicles
from joinedup.extract.proposals import Proposal
from joinedup.profiles import Profile, load_profile

__all__ = ["extract_narrative", "extract_narratives"]


def extract_narrative(text: str, reported_at: date, profile: Profile | None = None,
                      sign_model: bool = False) -> list[Proposal]:
    """Everything the rules find in one narrative, in text order.

    Args:
        text: The narrative.
        reported_at: The day the report was made; relative dates resolve against it.
        profile: Whose link and indicator phrases to use (default: safeguarding).
        sign_model: Also read warning signs with the profile's learned model
            (:mod:`.sign_model`), after the rules; off by default.

    Returns:
        Proposals sorted by position, then type.
    """
    return extract_narratives([(text, reported_at)], profile, sign_model)[0]


def extract_narratives(texts: Sequence[tuple[str, date]], profile: Profile | None = None,
                       sign_model: bool = False) -> list[list[Proposal]]:
    """:func:`extract_narrative` for several narratives at once: the learned sign model, where
    asked for, embeds all their sentences in one pass, which is quicker than one at a time."""
    profile = profile or load_profile("safeguarding")
    readings = [rule_reading(text, day, profile) for text, day in texts]
    if sign_model:
        from joinedup.extract.narrative.sign_model import propose_signs

        propose_signs(readings, profile.directory, profile.indicators)
    return [sorted(r.proposals, key=lambda p: (p.start, p.end, p.type)) for r in readings]


def rule_reading(text: str, reported_at: date, profile: Profile) -> Reading:
    """The reading of a narrative with every rule's proposals in it."""
    reading = read(text, reported_at)
    propose_phones(reading)
    propose_postcodes(reading)
    propose_vehicles(reading)
    propose_dates(reading, reported_at)
    propose_streets_and_premises(reading)
    propose_aliases(reading)
    propose_people(reading)
    propose_towns(reading)
    propose_links(reading, profile.directory, profile.link_types)
    propose_indicators(reading, profile.directory, profile.indicators)
    children_of_signs(reading)
    person_details(reading)
    tie_names(reading)
    place_locations(reading)
    homes_on_streets(reading)
    flats_above_misspelt(reading)
    return reading
