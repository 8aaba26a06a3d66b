"""The pipeline: ingest -> extract -> resolve -> corroborate -> alert, over one store.

``process`` recomputes resolution, corroboration and alerts from the store's current reports.
An entity is named after its earliest mention, and an incident after its earliest report, so
ids hold across runs while those stay; when a run names a subject anew (a new version of that
report, an earlier report arriving late, an entity merged into another), its alerts follow it
with their ids, decisions and clocks (:func:`renames`, :meth:`Store.sync_alerts`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from joinedup.alerts import evaluate_rules
from joinedup.corroborate import build_picture, corroboration_rows
from joinedup.extract.propose import propose
from joinedup.extract.unconfirmed import weigh
from joinedup.gcpause import without_cycle_collection
from joinedup.profiles import Profile, load_profile
from joinedup.profiles.changes import note_rule_changes
from joinedup.resolve.incremental import IncrementalResolver
from joinedup.resolve.resolver import ITEM_LINKS, Resolver, entity_rows
from joinedup.resolve.scoring import PersonModel, TermFrequencies
from joinedup.store import Store


@dataclass
class ProcessSummary:
    reports: int
    mentions: int
    entities: int
    alerts: int
    new_alerts: int
    withdrawn_alerts: int
    incidents: int = 0

    def plus(self, other: ProcessSummary) -> ProcessSummary:
        """Two stages' summaries of one run, added up."""
        return ProcessSummary(*(a + b for a, b in zip(
            (self.reports, self.mentions, self.entities, self.alerts, self.new_alerts,
             self.withdrawn_alerts, self.incidents),
            (other.reports, other.mentions, other.entities, other.alerts, other.new_alerts,
             other.withdrawn_alerts, other.incidents), strict=True)))


@without_cycle_collection
def process_incidents(store: Store, profile_name: str = "conflict") -> ProcessSummary:
    """Join the reports of a profile whose engine is ``incidents`` up into incidents: register
    the evidence they cite, de-duplicate them (analysts' decisions hold), grade each incident,
    merge named victims, keep all of it, and raise the profile's alerts.

    A report that only gives a supply route's status (``route`` and no ``harm``) is not an
    incident: routes are read by ``joinedup stats``.
    """
    from joinedup.corroborate.grading import grade_resolution
    from joinedup.corroborate.incident_rows import incident_picture, incident_rows
    from joinedup.evidence import register_cited
    from joinedup.resolve.incidents import Decision, deduplicate, event_from_report
    from joinedup.resolve.victims import merge_victims

    profile = load_profile(profile_name)
    note_rule_changes(store, profile)
    register_cited(store, profile_name)
    rows = {f"{r['org']}/{r['report_id']}": r for r in store.current_bodies(profile_name)
            if r["body"].get("harm") or not r["body"].get("route")}
    events = [event_from_report(r["body"]) for r in rows.values()]
    decisions = [Decision("confirm" if d["decision"] == "confirm" else "split",
                          f"{d['a_org']}/{d['a_id']}", f"{d['b_org']}/{d['b_id']}", d["reason"])
                 for d in store.incident_decisions()]
    resolution = deduplicate(events, decisions)
    grades = grade_resolution(resolution, events)
    victims = merge_victims(resolution, events)
    incidents, members, edges = incident_rows(
        resolution, grades, victims, events, {k: r["body"] for k, r in rows.items()},
        {k: r["pk"] for k, r in rows.items()}, store.partnership)
    rules = [r.id for r in profile.rules]
    followed = store.alert_subjects(rules)
    before = {i["id"]: i["reports"] for i in store.incidents() if i["id"] in followed}
    store.replace_incidents(incidents, members, edges)
    alerts = evaluate_rules(incident_picture(profile, incidents, members, events, rows))
    renamed = renames(before, dict(members), {i["id"] for i in incidents})
    new, withdrawn = store.sync_alerts(alerts, rules=rules, renamed=renamed)
    return ProcessSummary(len(rows), 0, 0, len(alerts), new, withdrawn, len(incidents))


def renames(
    before: Mapping[str, Iterable[int]], now: Mapping[int, str], ids: set[str]
) -> dict[str, str]:
    """Subjects that a run named anew: each id of ``before`` (id -> its members' keys) that the
    run no longer has (``ids``), to the id now holding most of its members still current
    (``now``: member key -> id). A new version of an entity's earliest report names it after
    another mention, and a report dated earlier names an incident after itself: the alerts
    about it, and the panel's decisions on them, follow it (:meth:`Store.sync_alerts`)."""
    out: dict[str, str] = {}
    for old, members in before.items():
        if old in ids:
            continue
        held = Counter(now[m] for m in members if m in now)
        if held:
            out[old] = min(held.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return out


def person_model(store: Store, profile: Profile) -> PersonModel:
    """The store's own trained model if it has one, else the profile's shipped default."""
    trained = store.get_param("person_model")
    if trained:
        return PersonModel.from_json(trained)
    return PersonModel.load(profile.directory / "person_model.json")


@without_cycle_collection
def process(store: Store, profile_name: str = "safeguarding") -> ProcessSummary:
    """Resolve, corroborate and alert on everything the store currently holds: the reports of
    ``profile_name`` (people, places, vehicles and phones resolved into entities), and, when the
    store holds any, the conflict profile's (joined up into incidents)."""
    summary = _process_entities(store, profile_name)
    if "conflict" in store.profiles_of():
        summary = summary.plus(process_incidents(store))
    return summary


def _process_entities(store: Store, profile_name: str) -> ProcessSummary:
    profile = load_profile(profile_name)
    note_rule_changes(store, profile)
    weigh(store, profile)  # unconfirmed proposals: counted as the profile says, as now judged
    rules = [r.id for r in profile.rules]
    mentions = store.current_mentions()
    resolver = Resolver(person_model(store, profile), store.pair_decisions())
    resolution = resolver.run(
        mentions,
        store.current_links(ITEM_LINKS),
        store.report_orgs(),
        store.place_reports_of(profile.local_agencies),
        store.derived_sources(),
    )
    # the alerts' subjects as the store still has them, read past resolution's memory peak and
    # kept only as the map of the ones this run named anew
    renamed = renames(store.members_of(store.alert_subjects(rules)), resolution.entity_of,
                      {e["id"] for e in resolution.entities})
    store.replace_resolution(
        resolution.entities,
        resolution.entity_of.items(),
        resolution.edges,
        resolution.keys,
        resolution.features,
    )
    store.set_param(
        "term_frequencies",
        {
            "tables": resolver.frequencies.tables,
            "defaults": resolver.frequencies.defaults,
            "person_mentions": len(resolver.person_features),
        },
    )
    del resolver  # its tables are written: corroboration needs only who is who
    # read after resolving, whose memory peaks before these are needed
    reports = store.current_reports()
    links = store.current_links()
    observations = store.current_observations()
    pic = build_picture(
        profile, reports, mentions, links, observations, resolution.entity_of, resolution.entities
    )
    store.replace_corroboration(corroboration_rows(pic))
    alerts = evaluate_rules(pic)
    new, withdrawn = store.sync_alerts(alerts, rules=rules, renamed=renamed)
    store.analyse()
    return ProcessSummary(
        len(reports), len(mentions), len(resolution.entities), len(alerts), new, withdrawn
    )


INCREMENTAL_MAX = 200  # new reports above which a full run is both simpler and better


def process_new(
    store: Store, reports: list[int], profile_name: str = "safeguarding"
) -> ProcessSummary:
    """Resolve, corroborate and alert on newly imported reports only, where that is enough.

    With no earlier resolution, with many new reports, or with analysts' decisions to apply,
    this is a full :func:`process`. Otherwise the new mentions are resolved against the stored
    resolution (:mod:`joinedup.resolve.incremental`), and corroboration and alerts are
    recomputed for the entities they touch and the children tied to those.
    """
    if not reports:
        return ProcessSummary(0, 0, 0, 0, 0, 0)
    propose(store, reports)  # narrative-only reports: what they name, for a person to confirm
    if weigh(store, load_profile(profile_name), reports):  # a review changed older reports
        return process(store, profile_name)
    profiles = store.profiles_of(reports)
    if profiles == {"conflict"}:  # incidents are always a full run (seconds at 20,000 reports)
        return process_incidents(store)
    if len(reports) > INCREMENTAL_MAX or not store.has_resolution():
        return process(store, profile_name)
    with store.unit_of_work():  # the resolution, corroboration and alerts change together
        summary = _process_increment(store, reports, profile_name)
    if "conflict" in profiles:
        summary = summary.plus(process_incidents(store))
    return summary


def _process_increment(store: Store, reports: list[int], profile_name: str) -> ProcessSummary:
    profile = load_profile(profile_name)
    note_rule_changes(store, profile)
    model = person_model(store, profile)
    saved = store.get_param("term_frequencies")
    tf = (
        TermFrequencies(saved["tables"], saved["defaults"])
        if saved
        else model.shipped_frequencies()
    )
    new = store.slice_of(reports)
    people = (saved or {}).get("person_mentions", 0)
    model = model.for_size(people + sum(m["kind"] == "person" for m in new["mentions"]))
    inc = IncrementalResolver(store, model, tf).run(new["mentions"], new["links"],
                                                    store.derived_sources(reports))
    touched = set(inc.entity_of.values()) | set(inc.merged)
    members = store.members_of(touched)
    known = store.resolved_of({pk for pks in members.values() for pk in pks})
    rows = [row for _, _, row in known.values()] + new["mentions"]
    entity_of = {pk: inc.current(e) for pk, (e, _, _) in known.items()} | inc.entity_of
    store.extend_resolution(
        entity_rows(entity_of, rows),
        inc.entity_of.items(),
        inc.edges,
        inc.keys,
        inc.features,
        merged=inc.merged,
    )
    return _reassess(store, profile, touched, inc.merged)


def _reassess(
    store: Store, profile: Profile, touched: set[str], renamed: Mapping[str, str] | None = None
) -> ProcessSummary:
    """Corroboration and alerts of ``touched`` entities and of the children tied to them."""
    first = store.reports_mentioning(touched)
    part = store.slice_of(first)
    children = {
        m["entity"]
        for m in part["mentions"]
        if m["entity"]
        and (spec := profile.role_specs.get(m["role"] or ""))
        and spec.counts_as_child
    }
    subjects = touched | children
    more = store.slice_of(store.reports_mentioning(children - touched) - first)
    for name in part:
        part[name] += more[name]
    entity_of = {m["pk"]: m["entity"] for m in part["mentions"] if m["entity"]}
    entities = store.entities_by_id(set(entity_of.values()))
    pic = build_picture(
        profile,
        part["reports"],
        part["mentions"],
        part["links"],
        part["observations"],
        entity_of,
        entities,
    )
    store.upsert_corroboration(r for r in corroboration_rows(pic) if r["entity"] in subjects)
    alerts = [a for a in evaluate_rules(pic) if a["subject"] in subjects]
    new, withdrawn = store.sync_alerts(alerts, subjects, rules=[r.id for r in profile.rules],
                                       renamed=renamed)
    return ProcessSummary(
        len(part["reports"]), len(part["mentions"]), len(entities), len(alerts), new, withdrawn
    )


def train_person_model(store: Store, profile_name: str = "safeguarding") -> PersonModel:
    """Retrain the person model on the store's own data (Splink EM), keep it, and reprocess.

    For a store whose records differ from what the shipped model was trained on (other
    countries' names, other identifiers). The shipped model is the starting point; the
    store's model is kept as a parameter and used from then on.
    """
    from joinedup.resolve.splink_model import train

    profile = load_profile(profile_name)
    # the rounds' features, as the shipped model is trained on (splink_model.resolved_features)
    resolver = Resolver(person_model(store, profile), store.pair_decisions(), closing=False)
    resolver.run(store.current_mentions(), store.current_links(ITEM_LINKS), store.report_orgs(),
                 store.place_reports_of(profile.local_agencies))
    model = train(resolver.person_features)
    store.set_param("person_model", model.to_json())
    process(store, profile_name)
    return model
