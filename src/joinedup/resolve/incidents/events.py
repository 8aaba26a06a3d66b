"""Events: what incident de-duplication and grading read of one conflict report.

A report (conflict contract v1, a dict) becomes an :class:`Event` once: its dates as an interval
of days (a partial date is the whole month or year it names; no date at all is the days before it
was reported), its place at the precision its data support, its mechanism and targets with their
families, its actors identified through their dated aliases, and its source. Everything after
this works on events, never on the report's raw text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from joinedup.ingest.outlets import load_outlets_from
from joinedup.profiles import PROFILES_DIR
from joinedup.resolve.actors import ActorRegistry, load_actors
from joinedup.resolve.incidents.settings import (
    PRECISIONS,
    DedupSettings,
    PlaceRules,
    load_settings,
)
from joinedup.resolve.incidents.taxonomy import Taxonomy, load_taxonomy
from joinedup.resolve.normalise import fold_words, parse_partial_date
from joinedup.resolve.normalise.transliteration import skeleton

__all__ = [
    "CONFLICT_DIR",
    "ActorMention",
    "DedupProfile",
    "Event",
    "Victim",
    "event_from_report",
    "load_dedup_profile",
    "origin_key",
    "origin_names",
    "report_key",
    "shipped_dedup_profile",
]

CONFLICT_DIR = PROFILES_DIR / "conflict"
# settlement words a place name carries in one source and not another ("Urum al Kubra town")
PLACE_WORDS = frozenset({"town", "village", "city", "hamlet"})
ARTICLES = frozenset({"al", "el", "ar", "as", "ash", "at", "ad", "az", "an", "the"})


@dataclass(frozen=True)
class DedupProfile:
    """What de-duplication knows of a profile: settings, harm taxonomy and actors; ``origins``
    the outlets' spellings (``outlets.yaml``), as an origin's key folds them, to their
    canonical names."""

    settings: DedupSettings
    taxonomy: Taxonomy
    actors: ActorRegistry
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)


def load_dedup_profile(directory: Path = CONFLICT_DIR) -> DedupProfile:
    """Load ``dedup.yaml``, ``taxonomy.yaml`` and ``actors.yaml`` from a profile directory,
    and its ``outlets.yaml`` (the conflict profile's when the directory has none)."""
    outlets = directory / "outlets.yaml"
    return DedupProfile(
        settings=load_settings(directory / "dedup.yaml"),
        taxonomy=load_taxonomy(directory / "taxonomy.yaml"),
        actors=load_actors(directory / "actors.yaml"),
        origins=origin_names(outlets if outlets.is_file() else CONFLICT_DIR / "outlets.yaml"),
    )


def origin_key(name: str) -> str:
    """An origin as independence counts it: letters and digits, folded, no spaces ("SOHR",
    "sohr " and "S.O.H.R." are one; :func:`joinedup.corroborate.independence.origin_of`)."""
    return fold_words(name).replace(" ", "")


def origin_names(path: Path) -> dict[str, str]:
    """Every spelling of an outlet in an outlets file, folded as the file looks it up and
    written without spaces as :func:`origin_key` writes an origin, to the outlet's canonical
    name; a key two outlets share is neither's."""
    names: dict[str, str | None] = {}
    for spelling, outlet in load_outlets_from(path).by_key.items():
        key = spelling.replace(" ", "")
        if key and names.setdefault(key, outlet.name) != outlet.name:
            names[key] = None
    return {key: name for key, name in names.items() if name is not None}


@cache
def shipped_dedup_profile() -> DedupProfile:
    """The conflict profile's de-duplication data, read once per process."""
    return load_dedup_profile(CONFLICT_DIR)


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One actor a report names: the actor it resolves to, the role, the name as written, and
    why that name does not fit the report's date, if it does not (never a reason to refuse).
    ``compared`` is False for a name the actors file does not list that describes a people
    ("Alawite villagers", "Kurdish fighters"): shown, never compared nor graded."""

    actor: str
    role: str | None
    name: str
    anachronism: str | None = None
    compared: bool = True  # False for a description of a people (dedup.yaml actors.people_words)


@dataclass(frozen=True, slots=True)
class Victim:
    """A named victim as one report gives them (conflict.md rule 6)."""

    ref: str
    name: str | None
    age: int | None
    sex: str | None
    status: str | None
    relatives: tuple[tuple[str, str], ...]  # (ref in the same report, relation)


@dataclass(frozen=True, slots=True)
class Event:
    """One report as de-duplication and grading compare it.

    Days are ordinals (``date.toordinal``). ``first``/``last`` is the occurred interval before
    any slack; ``dated`` is False when it was inferred from ``reported_at``. ``precision`` is
    the finest the location's data support (an "exact" place without coordinates is not
    exact). ``admin1``/``admin2`` are comparison keys: the canonical name's transliteration
    skeleton ("jbl smn"). ``mechanism`` and ``targets`` leave out wildcards ("unknown").
    ``parties`` are the actors compared between reports: every actor named, except victim
    groups and names that describe a people (``ActorMention.compared``); ``circle`` adds the
    coalitions they belonged to then. ``upstream`` is an outlet's canonical name when the
    report gives one of its spellings (``outlets.yaml``); ``outlet`` is that name when the
    organisation itself (``org``, kept as written: it is the report's key) is one of them, else
    None. ``document`` is the
    source's own document the report was taken from (``source.document``, spacing
    folded): two reports of one org and one document were told apart by the source itself.
    """

    key: str
    org: str
    agency: str
    partner: bool
    upstream: str | None
    document: str | None
    derived_from: tuple[str, ...]
    reported: int
    first: int
    last: int
    dated: bool
    precision: str
    lat: float | None
    lon: float | None
    admin1: str | None
    admin2: str | None
    place: str | None
    facility: str | None
    mechanism: str | None
    mechanism_family: str | None
    targets: frozenset[str]
    target_families: frozenset[str]
    actors: tuple[ActorMention, ...]
    parties: frozenset[str]
    circle: frozenset[str]
    killed: tuple[int, int] | None
    injured: tuple[int, int] | None
    evidence: frozenset[str]
    victims: tuple[Victim, ...]
    records: frozenset[tuple[str, str]]
    outlet: str | None = None  # the organisation as an outlet's canonical name, if it is one
    # the precision the report states, before ``precision`` coarsens it for want of a point: a
    # neighbourhood named without coordinates is still a neighbourhood's name (named victims)
    stated_precision: str | None = None

    @property
    def days(self) -> int:
        """How many days the occurred interval spans."""
        return self.last - self.first + 1

    @property
    def first_day(self) -> date:
        return date.fromordinal(self.first)


def report_key(org: str, rid: str) -> str:
    """The key of a report across sources: ``org/id`` (ids are unique within an org)."""
    return f"{org}/{rid}"


def event_from_report(report: Mapping[str, Any], profile: DedupProfile | None = None) -> Event:
    """Read one conflict report (contract v1, already validated) as an :class:`Event`.

    Args:
        report: the report as a dict after JSON decoding.
        profile: the de-duplication data; the shipped conflict profile's when None.

    Raises:
        InputError: if a date cannot be read (validated reports never raise).
    """
    data = profile or shipped_dedup_profile()
    settings, taxonomy = data.settings, data.taxonomy
    source = report["source"]
    org = str(source["org"])
    reported = parse_partial_date(str(report["reported_at"]))[0]
    first, last, dated = _interval(report, reported, settings.dates.missing_window_days)
    loc = report.get("location") or {}
    harm = report.get("harm") or {}
    mechanism = harm.get("mechanism")
    mechanism = None if mechanism in taxonomy.mechanisms.wildcards else mechanism
    targets = frozenset(harm.get("targets") or ()) - taxonomy.targets.wildcards
    actors = _actors(report.get("actors") or (), data.actors, first,
                     settings.people_words)
    parties = frozenset(m.actor for m in actors if m.compared
                        and m.role != "victim_group" and data.actors.is_party(m.actor))
    extra = report.get("extra") or {}
    casualties = report.get("casualties") or {}
    lat, lon = loc.get("lat"), loc.get("lon")
    return Event(
        key=report_key(org, str(report["id"])),
        org=org,
        agency=str(source["agency"]),
        partner=bool(source.get("partner", False)),
        upstream=_upstream(report.get("upstream"), data.origins),
        document=_document(source.get("document")),
        derived_from=tuple(ref if "/" in ref else report_key(org, ref)
                           for ref in map(str, report.get("derived_from") or ())),
        reported=reported.toordinal(),
        first=first.toordinal(),
        last=last.toordinal(),
        dated=dated,
        precision=_precision(loc, settings),
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
        admin1=settings.places.admin_key(loc.get("admin1")),
        admin2=settings.places.admin_key(loc.get("admin2")),
        place=_place(loc.get("name"), settings.places, _admin_sounds(loc, settings.places)),
        facility=_facility(loc.get("facility"), settings.facility.generic_words,
                           settings.facility.synonyms),
        mechanism=mechanism,
        mechanism_family=taxonomy.mechanisms.family(mechanism),
        targets=targets,
        target_families=frozenset(f for t in targets if (f := taxonomy.targets.family(t))),
        actors=actors,
        parties=parties,
        circle=frozenset().union(*(data.actors.lineage(p, first) for p in parties)),
        killed=_count(casualties.get("killed")),
        injured=_count(casualties.get("injured")),
        evidence=frozenset(str(e["kind"]) for e in report.get("evidence") or ()),
        victims=tuple(_victim(p) for p in report.get("people") or ()),
        records=frozenset((k, str(extra[k])) for k in settings.sources.record_keys if k in extra),
        outlet=_outlet(org, data.origins),
        stated_precision=str(loc["precision"]) if loc.get("precision") else None,
    )


def _upstream(raw: Any, origins: Mapping[str, str]) -> str | None:
    """The origin a report relies on, an outlet's spelling made its canonical name ("Syrian
    Observatory for Human Rights" and "syriahr.com" are "SOHR"), so that two spellings of one
    origin count as one independent source (conflict.md rule 1); any other name as given. The
    name is looked up by its :func:`origin_key`, so two spellings that were one origin stay
    one."""
    if raw is None:
        return None
    return _outlet(str(raw), origins) or str(raw)


def _outlet(name: str, origins: Mapping[str, str]) -> str | None:
    """The canonical name of the outlet ``name`` spells (an upstream, or an organisation:
    "syrian-observatory-for-human-rights" is "SOHR"), or None for a name the outlets file does
    not list. Looked up by :func:`origin_key` alone, so that names one origin before stay one:
    the table only joins origins, never splits them."""
    key = origin_key(name)
    return origins.get(key) or origins.get(key.removeprefix("the"))


def _document(raw: Any) -> str | None:
    """A source document as compared: spacing folded, nothing else (a URL's case may matter)."""
    if raw is None:
        return None
    return " ".join(str(raw).split()) or None


def _interval(report: Mapping[str, Any], reported: date, window: int) -> tuple[date, date, bool]:
    """The occurred interval: a partial date spans what it names; none at all spans the
    ``window`` days up to the report."""
    start, end = report.get("occurred_from"), report.get("occurred_to")
    if not start and not end:
        return reported - timedelta(days=window), reported, False
    first = parse_partial_date(str(start or end))[0]
    last = parse_partial_date(str(end or start))[1]
    if last < first:  # an end before the start: trust the start alone
        first, last = parse_partial_date(str(start))
    return first, last, True


def _precision(loc: Mapping[str, Any], settings: DedupSettings) -> str:
    """The finest precision the location's data support, from the stated one (or the default
    for coordinates) upwards: a point needs coordinates, an area its name or coordinates."""
    places = settings.places
    has_point = loc.get("lat") is not None and loc.get("lon") is not None
    stated = str(loc.get("precision"))
    if stated not in places.rank:
        stated = places.default_precision if has_point else PRECISIONS[0]
    for precision in PRECISIONS[places.rank[stated]:]:
        if precision in places.review_only:
            return precision
        if precision in places.radius_km:
            if has_point:
                return precision
            continue
        area = loc.get(places.same_area[precision])
        if area or has_point:
            return precision
    return PRECISIONS[-1]


def _admin_sounds(loc: Mapping[str, Any], places: PlaceRules) -> frozenset[str]:
    """The transliteration skeletons of the words of the report's own governorate and district,
    as written and as their canonical names ("west of Aleppo" in a place's name says no more
    than its admin1 does, however either is spelled: "Halab", "Alepo")."""
    names = [str(loc[key]) for key in ("admin1", "admin2") if loc.get(key)]
    names += [places.canonical(fold_words(n)) for n in names]
    return frozenset(skeleton(w) for n in names for w in fold_words(n).split())


def _place(raw: Any, places: PlaceRules, admin: frozenset[str]) -> str | None:
    """A place's distinctive words: settlement words, directions, articles and the report's
    own admin names (``admin``: their skeletons) dropped, and an exonym made its canonical name
    (Halab is Aleppo: ``location.admin_names``); None when nothing is left ("west of Aleppo"
    says no more than the report's governorate). A name that is its area's and nothing more but
    settlement words and articles is the town the area is named after ("Manbij town" in Manbij
    district, "Aleppo"), and keeps it: of the true pairs of the test set's tuning part left
    unmerged, 295 of 476 had no name to compare, most often for a town so named."""
    if not raw:
        return None
    words = fold_words(str(raw)).split()
    kept = [w for w in words if w not in places.place_words and w not in PLACE_WORDS]
    distinct = [w for w in kept if skeleton(w) not in admin]
    if not distinct and kept and all(w in kept or w in PLACE_WORDS or w in ARTICLES
                                     for w in words):
        distinct = kept  # the town its area is named after: "Manbij town", "Aleppo"
    return places.canonical(" ".join(distinct)) or None


def _facility(raw: Any, generic: frozenset[str],
              synonyms: Sequence[tuple[str, str]] = ()) -> str | None:
    """A facility's distinctive words ("al-Quds hospital" -> "quds"; "Syrian Arab Red Crescent
    depot" -> "sarc"), or None."""
    if not raw:
        return None
    text = f" {fold_words(str(raw))} "
    for spelling, canonical in synonyms:
        text = text.replace(f" {spelling} ", f" {canonical} ")
    words = [w for w in text.split() if w not in generic]
    return " ".join(words) or None


def _actors(raw: Sequence[Mapping[str, Any]], registry: ActorRegistry, on: date,
            people_words: frozenset[str] = frozenset()) -> tuple[ActorMention, ...]:
    out = []
    for actor in raw:
        names = [str(actor["name"]), *map(str, actor.get("aliases") or ())]
        found = registry.identify(names[0], on, names[1:])
        described = not found.known and any(_names_a_people(n, people_words) for n in names)
        out.append(ActorMention(found.actor, actor.get("role"), found.name, found.anachronism,
                                compared=not described))
    return tuple(out)


def _names_a_people(name: str, people_words: frozenset[str]) -> bool:
    """Whether a name holds a word (or phrase) of ``people_words``: an ethnicity, a religion or
    a sect ("Alawite villagers", "Kurdish fighters")."""
    folded = f" {fold_words(name)} "
    return any(f" {w} " in folded for w in people_words)


def _count(raw: Any) -> tuple[int, int] | None:
    if raw is None:
        return None
    if isinstance(raw, Mapping):
        return int(raw["min"]), int(raw["max"])
    return int(raw), int(raw)


def _victim(raw: Mapping[str, Any]) -> Victim:
    return Victim(
        ref=str(raw["ref"]),
        name=raw.get("name"),
        age=raw.get("age"),
        sex=raw.get("sex"),
        status=raw.get("status"),
        relatives=tuple((str(r["ref"]), str(r["relation"])) for r in raw.get("relatives") or ()),
    )
