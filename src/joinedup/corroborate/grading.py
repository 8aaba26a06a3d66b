"""Two grades per incident, each with the rules that fired and the sources behind them.

- **Occurrence certainty** (WHO SSA): did the attack happen? ``rumour`` by default, then
  ``possible``, ``probable``, ``confirmed`` as the profile's rules fire. Each rule counts
  *independent sources* (:mod:`.independence`) of the kinds it names, so more of the same kind
  of evidence never raises the level: five outlets quoting one monitor are one source.
- **Attribution** (Airwars): who is responsible? The profile's rules are tried in order and the
  first that holds gives the grade: ``discounted`` (an analyst's finding), ``confirmed`` (a
  belligerent accepted responsibility), ``contested`` (competing claims, or a denial), ``fair``
  (two or more credible sources and the belligerent's own report of action nearby), ``weak``.

Both are conflict.md rule 4; the casualty ranges beside them are rule 3. The rules are data
(``profiles/conflict/grading.yaml``): occurrence rules are conditions on reports that this
module interprets; attribution rules name a recipe below, each a small class with its
parameters. Nothing here reads an actor's attributes (nationality and the like), nor a name
that describes a people rather than an actor (``ActorMention.compared``: "Sunni rebels").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from joinedup.corroborate.casualties import CasualtyRange, casualty_range
from joinedup.corroborate.independence import Source, independent_sources, shipped_partners
from joinedup.errors import ProfileError
from joinedup.profiles import PROFILES_DIR, read_data
from joinedup.resolve.actors import ActorRegistry
from joinedup.resolve.incidents import Event, Resolution, shipped_dedup_profile
from joinedup.resolve.incidents.comparison import haversine_km
from joinedup.resolve.normalise import fold_words

__all__ = [
    "GRADING_PATH",
    "RECIPES",
    "BelligerentAction",
    "Condition",
    "Discount",
    "Fired",
    "Grade",
    "GradingRules",
    "IncidentGrades",
    "belligerent_actions",
    "grade_incident",
    "grade_resolution",
    "load_grading",
    "shipped_grading",
]

GRADING_PATH = PROFILES_DIR / "conflict" / "grading.yaml"
PERPETRATOR_ROLES = frozenset({"alleged_perpetrator", "claimed_responsibility"})


@dataclass(frozen=True)
class Fired:
    """A rule that held: its id, the grade it gives, its label, the independent sources and
    reports behind it, and what it found (``detail``)."""

    rule: str
    grade: str
    label: str
    sources: tuple[str, ...]
    reports: tuple[str, ...]
    detail: str = ""


@dataclass(frozen=True)
class Grade:
    """A grade, every rule that fired on the way to it, and the sources behind the grade."""

    grade: str
    fired: tuple[Fired, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Discount:
    """An analyst's finding on the incident holding ``report``: ``victims_combatants`` or
    ``other_party_responsible`` (Airwars' reasons to discount a claim)."""

    report: str
    reason: str
    note: str = ""


@dataclass(frozen=True)
class BelligerentAction:
    """A belligerent's own report of an operation: who, when (ordinal days) and where."""

    actor: str
    first: int
    last: int
    lat: float | None
    lon: float | None
    admin2: str | None
    report: str


@dataclass(frozen=True)
class IncidentGrades:
    """Everything graded of one incident."""

    incident: str
    sources: tuple[Source, ...]
    not_counted: tuple[str, ...]  # derived reports: never a source
    occurrence: Grade
    attribution: Grade
    perpetrators: tuple[str, ...]  # actor ids alleged or claimed by the independent sources
    killed: CasualtyRange | None
    injured: CasualtyRange | None


# --- occurrence: conditions on reports, counted by independent source -------------------------


@dataclass(frozen=True)
class Condition:
    """Which reports a rule counts, and how many independent sources must give one."""

    agencies: frozenset[str] | None = None
    partner: bool | None = None
    first_hand: bool | None = None
    orgs: frozenset[str] | None = None  # folded organisation names
    evidence: frozenset[str] | None = None
    sources: int = 1
    at_most: int | None = None  # no more than this many sources (one account: not yet two)

    def matches(self, e: Event) -> bool:
        return (
            (self.agencies is None or e.agency in self.agencies)
            and (self.partner is None or e.partner == self.partner)
            and (self.first_hand is None or (e.upstream is None) == self.first_hand)
            and (self.orgs is None or fold_words(e.org) in self.orgs)
            and (self.evidence is None or bool(e.evidence & self.evidence))
        )

    def holds(self, sources: Sequence[Source]) -> tuple[Source, ...] | None:
        """The sources that gave a matching report, when there are enough of them."""
        found = tuple(s for s in sources if any(self.matches(e) for e in s.events))
        if len(found) < self.sources or (self.at_most is not None and len(found) > self.at_most):
            return None
        return found


@dataclass(frozen=True)
class OccurrenceRule:
    id: str
    level: str
    label: str
    any_of: tuple[Condition, ...]
    requires: str | None = None
    source: str = ""

    def evaluate(self, sources: Sequence[Source]) -> Fired | None:
        for condition in self.any_of:
            found = condition.holds(sources)
            if found is not None:
                reports = tuple(e.key for s in found for e in s.events if condition.matches(e))
                return Fired(self.id, self.level, self.label, tuple(s.name for s in found),
                             reports)
        return None


def _occurrence(rules: GradingRules, sources: Sequence[Source]) -> Grade:
    """The highest level the rules reach; a rule that ``requires`` a level is tried once the
    others have reached it."""
    rank = {level: i for i, level in enumerate(rules.levels)}
    reached = rank[rules.default]
    fired: list[Fired] = []
    pending = list(rules.occurrence)
    progress = True
    while progress:
        progress = False
        for rule in list(pending):
            if rule.requires is not None and rank[rule.requires] > reached:
                continue
            pending.remove(rule)
            if (hit := rule.evaluate(sources)) is not None:
                fired.append(hit)
                reached = max(reached, rank[hit.grade])
                progress = True
    level = rules.levels[reached]
    behind = sorted({s for f in fired if f.grade == level for s in f.sources})
    return Grade(level, tuple(fired), tuple(behind))


# --- attribution: recipes -----------------------------------------------------------------------


@dataclass
class Context:
    """What an attribution recipe sees of one incident."""

    sources: tuple[Source, ...]
    actors: ActorRegistry
    on: date
    actions: Sequence[BelligerentAction]
    discounts: Sequence[Discount]
    belligerent_agencies: frozenset[str]
    alleged: dict[str, frozenset[str]] = field(default_factory=dict)  # source name -> actor ids

    def __post_init__(self) -> None:
        self.alleged = {
            s.name: frozenset(m.actor for e in s.events for m in e.actors
                             if m.role in PERPETRATOR_ROLES and m.compared)
            for s in self.sources
        }

    def linked(self, a: str, b: str) -> bool:
        """One actor, or a member and its coalition, on the incident's date."""
        return self.actors.relation(a, b, self.on) is not None


class Recipe:
    """An attribution rule: configured from grading.yaml, it answers for one incident."""

    name: ClassVar[str]

    def __init__(self, rule_id: str, grade: str, label: str, params: Mapping[str, Any]) -> None:
        self.id, self.grade, self.label, self.params = rule_id, grade, label, params

    def fired(self, sources: Iterable[str], reports: Iterable[str], detail: str) -> Fired:
        return Fired(self.id, self.grade, self.label, tuple(sorted(set(sources))),
                     tuple(sorted(set(reports))), detail)

    def evaluate(self, ctx: Context) -> Fired | None:
        raise NotImplementedError


class AnalystDiscount(Recipe):
    """An analyst found the victims were combatants, or another party most likely
    responsible (a :class:`Discount` on a report of the incident)."""

    name = "AnalystDiscount"

    def evaluate(self, ctx: Context) -> Fired | None:
        reasons = set(self.params.get("reasons") or ())
        found = [d for d in ctx.discounts if d.reason in reasons]
        if not found:
            return None
        detail = "; ".join(f"{d.reason}: {d.note}".rstrip(": ") for d in found)
        return self.fired((), (d.report for d in found), detail)


class BelligerentAccepted(Recipe):
    """A belligerent's own report claims responsibility (actor role
    ``claimed_responsibility`` in a report whose source is a belligerent)."""

    name = "BelligerentAccepted"

    def evaluate(self, ctx: Context) -> Fired | None:
        agencies = set(self.params.get("agencies") or ctx.belligerent_agencies)
        hits = [(s.name, e.key, m.actor) for s in ctx.sources for e in s.events
                if e.agency in agencies for m in e.actors
                if m.role == "claimed_responsibility" and m.compared]
        if not hits:
            return None
        claimed = sorted({ctx.actors.label(a) for _, _, a in hits})
        return self.fired((s for s, _, _ in hits), (r for _, r, _ in hits),
                          f"claimed by {', '.join(claimed)}")


class CompetingClaims(Recipe):
    """Two independent sources allege perpetrators with none in common (aliases and
    coalitions taken into account)."""

    name = "CompetingClaims"

    def evaluate(self, ctx: Context) -> Fired | None:
        named = sorted((k, v) for k, v in ctx.alleged.items() if v)
        for i, (s1, a1) in enumerate(named):
            for s2, a2 in named[i + 1:]:
                if not any(ctx.linked(x, y) for x in a1 for y in a2):
                    detail = (f"{s1}: {', '.join(sorted(map(ctx.actors.label, a1)))}; "
                              f"{s2}: {', '.join(sorted(map(ctx.actors.label, a2)))}")
                    reports = [e.key for s in ctx.sources if s.name in (s1, s2) for e in s.events]
                    return self.fired((s1, s2), reports, detail)
        return None


class Denial(Recipe):
    """A report denies that an actor did it (role ``denied``) while another independent
    source alleges that actor."""

    name = "Denial"

    def evaluate(self, ctx: Context) -> Fired | None:
        for s in ctx.sources:
            for e in s.events:
                for m in e.actors:
                    if m.role != "denied" or not m.compared:
                        continue
                    accusers = [k for k, alleged in ctx.alleged.items()
                                if k != s.name and any(ctx.linked(m.actor, a) for a in alleged)]
                    if accusers:
                        return self.fired((s.name, *accusers), (e.key,),
                                          f"{ctx.actors.label(m.actor)} denies it "
                                          f"({e.key}); alleged by {', '.join(accusers)}")
        return None


class CredibleSourcesAndActionNearby(Recipe):
    """``min_sources`` credible independent sources allege one perpetrator, and that
    belligerent reported its own action within ``km`` and ``days`` of the incident."""

    name = "CredibleSourcesAndActionNearby"

    def evaluate(self, ctx: Context) -> Fired | None:
        credible = set(self.params["credible"])
        alleging = {s.name: ctx.alleged[s.name] for s in ctx.sources
                    if any(e.agency in credible for e in s.events)}
        backers: dict[str, set[str]] = defaultdict(set)
        for actor in sorted(frozenset().union(*alleging.values())):
            for source, alleged in alleging.items():
                if any(ctx.linked(actor, other) for other in alleged):
                    backers[actor].add(source)  # the actor, an alias or its coalition
        for actor, keys in sorted(backers.items()):
            if len(keys) < int(self.params["min_sources"]):
                continue
            near = [a for a in ctx.actions if ctx.linked(a.actor, actor)
                    and self._near(a, ctx.sources)]
            if near:
                return self.fired(keys, (a.report for a in near),
                                  f"{len(keys)} sources allege {ctx.actors.label(actor)}; "
                                  f"its own report of action nearby: {near[0].report}")
        return None

    def _near(self, action: BelligerentAction, sources: Sequence[Source]) -> bool:
        days, km = int(self.params["days"]), float(self.params["km"])
        for e in (e for s in sources for e in s.events):
            if max(e.first, action.first) - min(e.last, action.last) > days:
                continue
            if (e.lat is not None and e.lon is not None
                    and action.lat is not None and action.lon is not None):
                if haversine_km(e.lat, e.lon, action.lat, action.lon) <= km:
                    return True
            elif e.admin2 and e.admin2 == action.admin2:
                return True
        return False


class NobodyNamed(Recipe):
    """Holds when no independent source names anyone responsible: there is no claim to grade
    (Airwars grades claims of who caused the harm; "weak" would say one source alleged it)."""

    name = "NobodyNamed"

    def evaluate(self, ctx: Context) -> Fired | None:
        if any(ctx.alleged.values()):
            return None
        described = sorted({m.name for s in ctx.sources for e in s.events for m in e.actors
                            if m.role in PERPETRATOR_ROLES and not m.compared})
        detail = "no independent source names a perpetrator"
        if described:
            detail += ("; a description of people is not a perpetrator's name and is not "
                       f"graded: {', '.join(described)}")
        return self.fired((), (), detail)


class Otherwise(Recipe):
    """Always holds: the grade when nothing before it did (Airwars' "weak")."""

    name = "Otherwise"

    def evaluate(self, ctx: Context) -> Fired | None:
        alleging = sorted(k for k, v in ctx.alleged.items() if v)
        if not alleging:
            detail = "no source names a perpetrator"
        elif len(alleging) == 1:
            detail = f"a single independent source names a perpetrator: {alleging[0]}"
        else:
            detail = (f"{len(alleging)} independent sources name a perpetrator, but not two "
                      "credible ones with the belligerent's own report of action nearby in "
                      "place and time")
        return self.fired(alleging, (), detail)


RECIPES: dict[str, type[Recipe]] = {
    r.name: r for r in (AnalystDiscount, BelligerentAccepted, CompetingClaims, Denial,
                        CredibleSourcesAndActionNearby, NobodyNamed, Otherwise)
}


# --- the rules, loaded --------------------------------------------------------------------------


@dataclass(frozen=True)
class GradingRules:
    levels: tuple[str, ...]
    default: str
    occurrence: tuple[OccurrenceRule, ...]
    grades: tuple[str, ...]
    attribution: tuple[Recipe, ...]
    belligerent_agencies: frozenset[str]


def load_grading(path: Path = GRADING_PATH) -> GradingRules:
    """Load and check ``grading.yaml``.

    Raises:
        ProfileError: naming the file and the rule: an unknown level, grade, recipe, condition
            key or organisation list.
    """
    data = read_data(path, "grading rules")
    try:
        occ, att = data["occurrence"], data["attribution"]
        levels, grades = tuple(occ["levels"]), tuple(att["grades"])
        default = str(occ["default"])
    except (KeyError, TypeError) as exc:
        raise ProfileError(f"{path}: missing key {exc}") from exc
    lists = {str(k): frozenset(fold_words(str(o)) for o in v or ())
             for k, v in (data.get("org_lists") or {}).items()}
    occurrence = tuple(_occurrence_rule(path, i, raw, levels, lists)
                       for i, raw in enumerate(occ.get("rules") or ()))
    if default not in levels:
        raise ProfileError(f"{path}: occurrence.default: {default!r} is not a level")
    attribution = tuple(_recipe(path, i, raw, grades)
                        for i, raw in enumerate(att.get("rules") or ()))
    return GradingRules(levels, default, occurrence, grades, attribution,
                        frozenset(att.get("belligerent_agencies") or ("belligerent",)))


CONDITION_KEYS = frozenset({"agencies", "partner", "first_hand", "orgs", "evidence", "sources",
                            "at_most"})


def _occurrence_rule(path: Path, i: int, raw: Mapping[str, Any], levels: tuple[str, ...],
                     lists: Mapping[str, frozenset[str]]) -> OccurrenceRule:
    where = f"{path}: occurrence.rules[{i}] ({raw.get('id')})"
    if raw.get("level") not in levels or raw.get("requires", levels[0]) not in levels:
        raise ProfileError(f"{where}: level and requires must be one of {list(levels)}")
    conditions = []
    for cond in raw.get("any_of") or ():
        if unknown := set(cond) - CONDITION_KEYS:
            raise ProfileError(f"{where}: unknown condition key(s) {sorted(unknown)}",
                               hint=f"conditions take {', '.join(sorted(CONDITION_KEYS))}")
        orgs = None
        if "orgs" in cond:
            missing = [n for n in cond["orgs"] if n not in lists]
            if missing:
                raise ProfileError(f"{where}: unknown org list(s) {missing}")
            orgs = frozenset().union(*(lists[n] for n in cond["orgs"]))
        conditions.append(Condition(
            agencies=frozenset(cond["agencies"]) if "agencies" in cond else None,
            partner=cond.get("partner"),
            first_hand=cond.get("first_hand"),
            orgs=orgs,
            evidence=frozenset(cond["evidence"]) if "evidence" in cond else None,
            sources=int(cond.get("sources", 1)),
            at_most=int(cond["at_most"]) if "at_most" in cond else None,
        ))
    if not conditions:
        raise ProfileError(f"{where}: a rule needs at least one condition under any_of")
    return OccurrenceRule(str(raw["id"]), str(raw["level"]), str(raw.get("label", "")),
                          tuple(conditions), raw.get("requires"), str(raw.get("source", "")))


def _recipe(path: Path, i: int, raw: Mapping[str, Any], grades: tuple[str, ...]) -> Recipe:
    where = f"{path}: attribution.rules[{i}] ({raw.get('id')})"
    recipe = RECIPES.get(str(raw.get("recipe")))
    if recipe is None:
        raise ProfileError(f"{where}: unknown recipe {raw.get('recipe')!r}",
                           hint=f"recipes: {', '.join(sorted(RECIPES))}")
    if raw.get("grade") not in grades:
        raise ProfileError(f"{where}: grade {raw.get('grade')!r} is not one of {list(grades)}")
    return recipe(str(raw["id"]), str(raw["grade"]), str(raw.get("label", "")),
                  dict(raw.get("params") or {}))


@cache
def shipped_grading() -> GradingRules:
    """The conflict profile's grading rules, read once per process."""
    return load_grading(GRADING_PATH)


# --- grading ------------------------------------------------------------------------------------


def belligerent_actions(
    events: Iterable[Event], agencies: frozenset[str] = frozenset({"belligerent"})
) -> list[BelligerentAction]:
    """Every belligerent's own report of an operation: a report from a belligerent source
    naming an actor with role ``claimed_responsibility``."""
    return [
        BelligerentAction(m.actor, e.first, e.last, e.lat, e.lon, e.admin2, e.key)
        for e in events if e.agency in agencies
        for m in e.actors if m.role == "claimed_responsibility" and m.compared
    ]


def grade_incident(
    events: Sequence[Event],
    *,
    incident: str = "",
    rules: GradingRules | None = None,
    actors: ActorRegistry | None = None,
    actions: Sequence[BelligerentAction] = (),
    discounts: Iterable[Discount] = (),
    partners: frozenset[str] | None = None,
) -> IncidentGrades:
    """Grade one incident from its member reports' events.

    Args:
        events: the incident's members.
        incident: its id, carried into the result.
        rules: the grading rules; the shipped conflict profile's when None.
        actors: the actor registry; the shipped one when None.
        actions: belligerents' reports of their own operations, anywhere (see
            :func:`belligerent_actions`); those near the incident support a "fair" grade.
        discounts: analysts' findings; those naming a member report apply.
        partners: the partner channels (``source.org``), the shipped profile's when None: only
            their first-hand accounts count apart by upstream (:func:`.independence.own_account`).
    """
    rules = rules or shipped_grading()
    sources, derived = independent_sources(events, partners)
    members = {e.key for e in events}
    ctx = Context(
        sources=sources,
        actors=actors or shipped_dedup_profile().actors,
        on=date.fromordinal(min((e.first for e in events), default=1)),
        actions=actions,
        discounts=[d for d in discounts if d.report in members],
        belligerent_agencies=rules.belligerent_agencies,
    )
    return IncidentGrades(
        incident=incident,
        sources=sources,
        not_counted=derived,
        occurrence=_noted(_occurrence(rules, sources), sources),
        attribution=_noted(_attribution(rules, ctx), sources),
        perpetrators=tuple(sorted(frozenset().union(*ctx.alleged.values()))),
        killed=casualty_range(events, "killed"),
        injured=casualty_range(events, "injured"),
    )


def _attribution(rules: GradingRules, ctx: Context) -> Grade:
    for recipe in rules.attribution:
        if (hit := recipe.evaluate(ctx)) is not None:
            return Grade(hit.grade, (hit,), hit.sources)
    raise ProfileError("grading.yaml: no attribution rule held; end the list with `Otherwise`")


def _noted(grade: Grade, sources: Sequence[Source]) -> Grade:
    """``grade`` with a note on each rule that counted a source whose first-hand reports
    named upstreams not counted apart (:attr:`Source.unsplit`), so that the explanation says
    why an organisation's several accounts are one source."""
    notes = {s.name: f"the upstreams {s.name} names for its first-hand accounts "
                     f"({', '.join(s.unsplit)}) are not counted apart: it is not a partner "
                     "channel" for s in sources if s.unsplit}
    if not notes:
        return grade

    def note(f: Fired) -> Fired:
        added = [notes[s] for s in f.sources if s in notes]
        return replace(f, detail="; ".join(filter(None, (f.detail, *added)))) if added else f

    return replace(grade, fired=tuple(map(note, grade.fired)))


def grade_resolution(
    resolution: Resolution,
    events: Iterable[Event],
    *,
    rules: GradingRules | None = None,
    actors: ActorRegistry | None = None,
    discounts: Iterable[Discount] = (),
    partners: frozenset[str] | None = None,
) -> dict[str, IncidentGrades]:
    """Grade every incident of a resolution; belligerents' actions are gathered from all the
    events, so one incident's strike report supports another's attribution nearby.
    ``partners``: as :func:`grade_incident` takes them."""
    rules = rules or shipped_grading()
    partners = shipped_partners() if partners is None else partners
    by_key = {e.key: e for e in events}
    actions = belligerent_actions(by_key.values(), rules.belligerent_agencies)
    by_day: dict[int, list[BelligerentAction]] = defaultdict(list)
    for a in actions:
        for day in range(a.first, a.last + 1):
            by_day[day].append(a)
    reach = max((int(r.params.get("days", 0)) for r in rules.attribution), default=0)
    found = list(discounts)
    graded = {}
    for inc in resolution.incidents:
        members = [by_key[k] for k in inc.members]
        first, last = min(e.first for e in members), max(e.last for e in members)
        window = {a for day in range(first - reach, last + reach + 1)
                  for a in by_day.get(day, ())}
        graded[inc.id] = grade_incident(
            members, incident=inc.id, rules=rules, actors=actors,
            actions=sorted(window, key=lambda a: (a.report, a.actor)), discounts=found,
            partners=partners,
        )
    return graded
