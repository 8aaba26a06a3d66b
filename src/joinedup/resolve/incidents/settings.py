"""The de-duplication settings of a profile (``dedup.yaml``), loaded and checked once.

Every threshold, radius, window and weight of incident de-duplication is data; this module
turns the file into typed values and refuses a broken file at load time with a
:class:`~joinedup.errors.ProfileError` naming the file and the key, never half-way through a run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joinedup.errors import ProfileError
from joinedup.profiles import read_data
from joinedup.resolve.normalise import fold_words
from joinedup.resolve.normalise.transliteration import skeleton

__all__ = [
    "WEIGHTS",
    "DateRules",
    "DedupSettings",
    "FacilityRules",
    "PlaceRules",
    "ScoreRules",
    "SourceRules",
    "VictimRules",
    "load_settings",
]

# the evidence the comparison knows how to weigh (comparison.py); the file must give each
WEIGHTS = frozenset({
    "same_day", "same_interval", "same_rare_target",
    "dates_overlap", "within_slack", "same_point", "within_radius", "same_district",
    "same_governorate", "same_place_name", "different_place_names", "same_mechanism",
    "same_mechanism_family", "other_mechanism_of_kind", "same_target",
    "same_target_family", "facility_agrees", "same_actors", "shared_actor", "related_actors",
    "different_actors", "other_sides",
    "killed_overlap", "killed_overlap_large", "killed_apart",
})
PRECISIONS = ("exact", "neighbourhood", "within_25km", "district", "governorate", "country")
"""The contract's location precisions, finest first (conflict-vocabulary.yaml)."""
ADMIN_WORDS = frozenset({"governorate", "province", "district", "muhafazat", "muhafazah",
                         "mintaqat", "subdistrict", "nahiya"})
ADMIN_SOUNDS = frozenset(sound for w in ADMIN_WORDS if len(sound := skeleton(w)) >= 3)
"""The words above however spelled ("Governnorate", "Mintakat"); none as short as "nahiya"'s
skeleton, which other words share."""


@dataclass(frozen=True)
class DateRules:
    missing_window_days: int
    slack_days: int
    episode_min_days: int
    episode_ratio: float


@dataclass(frozen=True)
class PlaceRules:
    """Radii and areas by precision; ``rank`` orders precisions finest first."""

    default_precision: str
    radius_km: Mapping[str, float]
    same_area: Mapping[str, str]
    fallback_km: Mapping[str, float]
    review_only: frozenset[str]
    near_km: float
    name_similarity: float
    admin_names: Mapping[str, str]  # folded spelling -> folded canonical name
    rank: Mapping[str, int]
    place_words: frozenset[str] = frozenset()
    admin_sounds: Mapping[str, str] = field(default_factory=dict)  # skeleton -> canonical

    def canonical(self, folded: str) -> str:
        """The canonical name of a folded governorate name or exonym, matched as written or by
        its transliteration skeleton ("hallab" and "halab" are "aleppo"); else the name."""
        return self.admin_names.get(folded) or self.admin_sounds.get(skeleton(folded), folded)

    def admin_key(self, raw: str | None) -> str | None:
        """The comparison key of a governorate or district name (None for no name): the
        canonical name of its spelling (``admin_names``), as a transliteration skeleton, so that
        spellings of one Arabic name agree ("Jabal Saman", "Jebel Saman", "Jabbal Saman"); the
        article and the other ``place_words`` are left out ("Al Bab", "el-Bab", "Bab").

        Examples of what folds together: "Aleppo Governorate", "Halab", "aleppo".
        """
        if not raw:
            return None
        words = [w for w in fold_words(raw).split() if w not in ADMIN_WORDS
                 and skeleton(w) not in ADMIN_SOUNDS and w not in self.place_words]
        return skeleton(self.canonical(" ".join(words))) or None

    def reach_km(self, a: str, b: str) -> float:
        """How far apart two points of these precisions may lie and still be one place: each
        lies within its own radius of where it happened, so the sum of the two radii."""
        return self.radius_km[a] + self.radius_km[b]


@dataclass(frozen=True)
class FacilityRules:
    min_similarity: float
    generic_words: frozenset[str]
    synonyms: tuple[tuple[str, str], ...] = ()  # (folded spelling, canonical), longest first


@dataclass(frozen=True)
class SourceRules:
    one_to_one_agencies: frozenset[str]
    record_keys: tuple[str, ...]


@dataclass(frozen=True)
class ScoreRules:
    merge_at: float
    contender_at: float
    cohesion_at: float
    cohesion_mean_at: float
    max_contenders: int
    max_episode_links: int
    weights: Mapping[str, float]
    killed_apart_ratio: float
    large_toll: int
    rare_targets: frozenset[str] = frozenset()
    not_against_roles: frozenset[str] = frozenset()
    vague_toll_ratio: float | None = None  # a range wider than this agrees with nothing


@dataclass(frozen=True)
class VictimRules:
    day_window: int
    locality_km: float
    age_slack: int
    surname_similarity: float
    skeleton_edits: int


@dataclass(frozen=True)
class DedupSettings:
    """Everything ``dedup.yaml`` says, checked."""

    dates: DateRules
    places: PlaceRules
    facility: FacilityRules
    sources: SourceRules
    scoring: ScoreRules
    victims: VictimRules
    # words naming a people (an ethnicity, a religion or sect), folded: an actor's name the
    # actors file does not list that holds one describes a people, and is never compared
    people_words: frozenset[str] = frozenset()


def load_settings(path: Path) -> DedupSettings:
    """Load and check ``dedup.yaml``.

    Raises:
        ProfileError: naming the file and the key that is missing, of the wrong type, or
            inconsistent (a precision with no rule, a weight the comparison does not know).
    """
    data = read_data(path, "de-duplication settings")
    get = _Getter(path, data)
    dates = DateRules(
        missing_window_days=get.whole("dates.missing_window_days"),
        slack_days=get.whole("dates.slack_days"),
        episode_min_days=get.whole("dates.episode_min_days"),
        episode_ratio=get.number("dates.episode_ratio"),
    )
    scoring = ScoreRules(
        merge_at=get.number("scoring.merge_at"),
        contender_at=get.number("scoring.contender_at"),
        cohesion_at=get.number("scoring.cohesion_at"),
        cohesion_mean_at=get.number("scoring.cohesion_mean_at"),
        max_contenders=get.whole("scoring.max_contenders"),
        max_episode_links=get.whole("scoring.max_episode_links"),
        weights=_weights(path, get.mapping("scoring.weights")),
        killed_apart_ratio=get.number("scoring.killed_apart_ratio"),
        large_toll=get.whole("scoring.large_toll"),
        rare_targets=frozenset(map(str, get.items("scoring.rare_targets"))),
        not_against_roles=frozenset(map(str, get.items("scoring.not_against_roles"))),
        vague_toll_ratio=(get.number("scoring.vague_toll_ratio")
                          if "vague_toll_ratio" in get.mapping("scoring") else None),
    )
    if scoring.contender_at > scoring.merge_at:
        raise ProfileError(f"{path}: scoring.contender_at is above scoring.merge_at")
    return DedupSettings(
        dates=dates,
        places=_places(path, get),
        facility=FacilityRules(
            min_similarity=get.number("facility.min_similarity"),
            generic_words=frozenset(
                fold_words(str(w)) for w in get.items("facility.generic_words")
            ),
            synonyms=_synonyms(get.mapping("facility.synonyms")),
        ),
        sources=SourceRules(
            one_to_one_agencies=frozenset(map(str, get.items("sources.one_to_one_agencies"))),
            record_keys=tuple(map(str, get.items("sources.record_keys"))),
        ),
        scoring=scoring,
        victims=VictimRules(
            day_window=get.whole("victims.day_window"),
            locality_km=get.number("victims.locality_km"),
            age_slack=get.whole("victims.age_slack"),
            surname_similarity=get.number("victims.surname_similarity"),
            skeleton_edits=get.whole("victims.skeleton_edits"),
        ),
        people_words=_people_words(path, data),
    )


def _people_words(path: Path, data: Mapping[str, Any]) -> frozenset[str]:
    """``actors.people_words``, folded (none when the file gives none)."""
    section = data.get("actors") or {}
    raw = section.get("people_words") or [] if isinstance(section, Mapping) else section
    if not isinstance(raw, list):
        raise ProfileError(f"{path}: actors.people_words: expected a list, got {raw!r}")
    return frozenset(w for word in raw if (w := fold_words(str(word))))


def _synonyms(raw: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    pairs = [(fold_words(str(spelling)), fold_words(str(canonical)))
             for canonical, spellings in raw.items() for spelling in (spellings or ())]
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


def _places(path: Path, get: _Getter) -> PlaceRules:
    radius = {str(k): float(v) for k, v in get.mapping("location.radius_km").items()}
    area = {str(k): str(v) for k, v in get.mapping("location.same_area").items()}
    review = frozenset(map(str, get.items("location.review_only")))
    for precision in PRECISIONS:
        rules = [name for name, keys in (("radius_km", radius), ("same_area", area),
                                         ("review_only", review)) if precision in keys]
        if len(rules) != 1:
            raise ProfileError(
                f"{path}: location: precision {precision!r} needs exactly one rule "
                f"(radius_km, same_area or review_only), has {rules or 'none'}"
            )
    for precision, level in area.items():
        if level not in ("admin1", "admin2"):
            raise ProfileError(f"{path}: location.same_area.{precision}: {level!r} is not "
                               "admin1 or admin2")
    default = get.text("location.default_precision")
    if default not in radius:
        raise ProfileError(f"{path}: location.default_precision: {default!r} has no radius_km")
    names: dict[str, str] = {}
    for key, spellings in get.mapping("location.admin_names").items():
        canonical = fold_words(str(key))
        for spelling in [key, *(spellings or ())]:
            folded = fold_words(str(spelling))
            if names.setdefault(folded, canonical) != canonical:
                raise ProfileError(f"{path}: location.admin_names.{key}: {spelling!r} is "
                                   f"already a spelling of {names[folded]!r}")
    sounds: dict[str, str | None] = {}
    for folded, canonical in names.items():
        held = sounds.setdefault(skeleton(folded), canonical)
        if held != canonical:  # two names sound alike: neither is found by its sound
            sounds[skeleton(folded)] = None
    return PlaceRules(
        default_precision=default,
        radius_km=radius,
        same_area=area,
        fallback_km={str(k): float(v) for k, v in get.mapping("location.fallback_km").items()},
        review_only=review,
        near_km=get.number("location.near_km"),
        name_similarity=get.number("location.name_similarity"),
        admin_names=names,
        rank={p: i for i, p in enumerate(PRECISIONS)},
        place_words=frozenset(fold_words(str(w)) for w in get.items("location.place_words")),
        admin_sounds={k: v for k, v in sounds.items() if v is not None},
    )


def _weights(path: Path, raw: Mapping[str, Any]) -> dict[str, float]:
    missing, unknown = WEIGHTS - raw.keys(), raw.keys() - WEIGHTS
    if missing or unknown:
        raise ProfileError(
            f"{path}: scoring.weights: missing {sorted(missing)}, unknown {sorted(unknown)}",
            hint=f"the comparison weighs: {', '.join(sorted(WEIGHTS))}",
        )
    try:
        return {str(k): float(v) for k, v in raw.items()}
    except (TypeError, ValueError) as exc:
        raise ProfileError(f"{path}: scoring.weights: {exc}") from exc


class _Getter:
    """Typed reads of dotted keys, each failure a ProfileError naming file and key."""

    def __init__(self, path: Path, data: Mapping[str, Any]) -> None:
        self.path, self.data = path, data

    def _raw(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise ProfileError(f"{self.path}: missing key {dotted!r}")
            node = node[part]
        return node

    def _typed(self, dotted: str, kind: type | tuple[type, ...], what: str) -> Any:
        value = self._raw(dotted)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ProfileError(f"{self.path}: {dotted}: expected {what}, got {value!r}")
        return value

    def whole(self, dotted: str) -> int:
        value: int = self._typed(dotted, int, "a whole number")
        return value

    def number(self, dotted: str) -> float:
        return float(self._typed(dotted, (int, float), "a number"))

    def text(self, dotted: str) -> str:
        value: str = self._typed(dotted, str, "text")
        return value

    def items(self, dotted: str) -> list[Any]:
        value: list[Any] = self._typed(dotted, list, "a list")
        return value

    def mapping(self, dotted: str) -> Mapping[str, Any]:
        value: Mapping[str, Any] = self._typed(dotted, dict, "a mapping")
        return value
