"""Incidents: reports of one event joined into one incident (conflict.md rule 2).

The public surface, in the order a caller uses it::

    profile = load_dedup_profile()                 # dedup.yaml, taxonomy.yaml, actors.yaml
    events = [event_from_report(r, profile) for r in reports]
    resolution = deduplicate(events, decisions, profile)

The modules are named after the method's parts: :mod:`.events` (what a report says, as
compared), :mod:`.taxonomy` (harm families), :mod:`.blocking` (which pairs to compare),
:mod:`.comparison` (the rules and the score of a pair), :mod:`.clustering` (merging under
constraints) and :mod:`.resolution` (the whole run and its result). All of it is pure: no store.
"""

from joinedup.resolve.incidents.events import (
    ActorMention,
    DedupProfile,
    Event,
    Victim,
    event_from_report,
    load_dedup_profile,
    report_key,
    shipped_dedup_profile,
)
from joinedup.resolve.incidents.resolution import (
    Contender,
    Decision,
    Edge,
    EpisodeLink,
    Incident,
    Resolution,
    deduplicate,
)

__all__ = [
    "ActorMention",
    "Contender",
    "Decision",
    "DedupProfile",
    "Edge",
    "EpisodeLink",
    "Event",
    "Incident",
    "Resolution",
    "Victim",
    "deduplicate",
    "event_from_report",
    "load_dedup_profile",
    "report_key",
    "shipped_dedup_profile",
]
