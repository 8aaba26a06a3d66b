"""The pipeline: ingest -> extract -> resolve -> corroborate -> alert, over one store.

``process`` recomputes resolution, corroboration and alerts from the store's current reports.
Entity ids are stable (an entity is named after its earliest mention), so alerts and decisions
keep pointing at the same entity across runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from joinedup.alerts import evaluate_rules
from joinedup.corroborate import build_picture, corroboration_rows
from joinedup.profiles import Profile, load_profile
from joinedup.resolve.resolver import Resolver
from joinedup.resolve.scoring import PersonModel
from joinedup.store import Store


@dataclass
class ProcessSummary:
    reports: int
    mentions: int
    entities: int
    alerts: int
    new_alerts: int
    withdrawn_alerts: int


def person_model(store: Store, profile: Profile) -> PersonModel:
    """The store's own trained model if it has one, else the profile's shipped default."""
    trained = store.get_param("person_model")
    if trained:
        return PersonModel.from_json(trained)
    return PersonModel.load(profile.directory / "person_model.json")


def process(store: Store, profile_name: str = "safeguarding") -> ProcessSummary:
    """Resolve, corroborate and alert on everything the store currently holds."""
    profile = load_profile(profile_name)
    reports = store.current_reports()
    mentions = store.current_mentions()
    links = store.current_links()
    observations = store.current_observations()
    orgs = {r["pk"]: r["org"] for r in reports}
    resolver = Resolver(person_model(store, profile), store.pair_decisions())
    resolution = resolver.run(mentions, links, orgs)
    store.replace_resolution(resolution.entities, resolution.entity_of.items(), resolution.edges)
    pic = build_picture(
        profile, reports, mentions, links, observations, resolution.entity_of, resolution.entities
    )
    store.replace_corroboration(corroboration_rows(pic))
    alerts = evaluate_rules(pic)
    new, withdrawn = store.sync_alerts(alerts)
    return ProcessSummary(
        len(reports), len(mentions), len(resolution.entities), len(alerts), new, withdrawn
    )


def train_person_model(store: Store, profile_name: str = "safeguarding") -> PersonModel:
    """Retrain the person model on the store's own data (Splink EM), keep it, and reprocess.

    For a store whose records differ from what the shipped model was trained on (other
    countries' names, other identifiers). The shipped model is the starting point; the
    store's model is kept as a parameter and used from then on.
    """
    from joinedup.resolve.splink_model import train

    profile = load_profile(profile_name)
    orgs = {r["pk"]: r["org"] for r in store.current_reports()}
    resolver = Resolver(person_model(store, profile), store.pair_decisions())
    resolver.run(store.current_mentions(), store.current_links(), orgs)
    model = train(resolver.person_features)
    store.set_param("person_model", model.to_json())
    process(store, profile_name)
    return model


def summary_json(s: ProcessSummary) -> dict[str, Any]:
    return dict(s.__dict__)
