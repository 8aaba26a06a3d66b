"""Profiles: a domain (safeguarding, conflict) described as YAML data, loaded and checked here.

The engine is one; what it knows of a domain (agencies, roles, link types, indicators, rules)
lives in ``profiles/<name>/``. A broken profile fails at load time with a :class:`ProfileError`
that names the file and the key, never half-way through an import.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from joinedup.errors import ProfileError

PROFILES_DIR = Path(__file__).parent
WEIGHTS = {"significant": 5, "moderate": 1, "vulnerability": 1, "general": 0}
PROFILE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Indicator:
    """One entry of the indicator vocabulary, with its SERAF weight class."""

    id: str
    label: str
    category: str
    kind: str
    weight: str
    code: str = ""
    override: str = ""

    def score(self, observed: date, at: date) -> int:
        """SERAF score of one observation seen from ``at``.

        A significant indicator scores 5 within six months and 1 within six to twelve; others
        score their flat weight within twelve months. Older observations score nothing.
        """
        age_days = (at - observed).days
        if age_days < 0 or age_days > 365:
            return 0
        if self.weight == "significant":
            return 5 if age_days <= 183 else 1
        return WEIGHTS[self.weight]


@dataclass(frozen=True)
class Band:
    name: str
    min: int
    max: int | None


@dataclass(frozen=True)
class RuleSpec:
    """A rule as the profile configures it: a recipe name and its parameters."""

    id: str
    recipe: str
    level: str
    label: str
    source: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Role:
    name: str
    group: str
    counts_as_child: bool = False
    of_concern: bool = False
    indicators_about: bool = False


@dataclass(frozen=True)
class Profile:
    """A loaded, checked profile. Also satisfies the ingest ``Vocabulary`` protocol."""

    name: str
    title: str
    agencies: frozenset[str]
    role_specs: dict[str, Role]
    link_specs: dict[str, bool]
    indicator_specs: dict[str, Indicator]
    bands: tuple[Band, ...]
    rules: tuple[RuleSpec, ...]
    protected_attributes: frozenset[str]
    directory: Path = field(compare=False)
    # who may take withheld parts out of the system in an export: part -> roles
    export_roles: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)
    # SHA-256 of each data file as loaded (the engine runs with these until it restarts)
    fingerprint: dict[str, str] = field(default_factory=dict, compare=False)
    # What the profile's reports are joined up into: "entities" (people, places, vehicles and
    # phones resolved across reports) or "incidents" (reports of one event merged and graded).
    engine: str = "entities"
    # Further closed lists of ids a report may use (the conflict profile's harm mechanisms,
    # targets, location precisions...), by name; a report's model checks against them.
    vocabularies: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)
    # What a narrative-only report's proposals count for before a person has applied them:
    # "ignore" (nothing) or "weak" (resolution, corroboration and alerts, marked unconfirmed).
    unconfirmed_proposals: str = "ignore"
    # Agencies whose reports speak of their own town (a school): a place such a report names
    # without an address counts in the organisation's home town when resolution decides
    # whether a place name is common to several towns (resolve/places.py, common_names).
    local_agencies: frozenset[str] = frozenset()
    # Agencies whose organisation is itself a premises of the kinds listed (a care home): a
    # place of such a kind their reports name is the organisation's own, so one name told of
    # by two such organisations is two places (resolve/places.py).
    own_premises: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)
    # Whether narratives are also read by the learned sign model after the rules
    # (extract/narrative/sign_model.py); off unless the profile turns it on.
    sign_model: bool = False
    # The deployment's partner channels, as ``source.org`` names them: only a report of one of
    # these may say ``source.partner: true`` (WHO SSA: a partner's own account can confirm an
    # attack). The flag is the report's say-so; this list is the partnership's.
    partners: frozenset[str] = frozenset()
    # The source types whose report is the sender's own account (an eyewitness): outside the
    # partners, such a report is its organisation's source, whatever upstream it names.
    own_accounts: frozenset[str] = frozenset()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_specs)

    @property
    def link_types(self) -> frozenset[str]:
        return frozenset(self.link_specs)

    @property
    def indicators(self) -> frozenset[str]:
        return frozenset(self.indicator_specs)

    def band_of(self, score: int) -> str:
        """The band a summed score falls in."""
        for band in self.bands:
            if score >= band.min and (band.max is None or score <= band.max):
                return band.name
        return self.bands[-1].name

    def band_minimum(self, name: str) -> int:
        for band in self.bands:
            if band.name == name:
                return band.min
        raise ProfileError(f"profile {self.name}: no band named {name!r}")

    def ties_child(self, link_type: str) -> bool:
        return self.link_specs.get(link_type, False)

    def terms(self, vocabulary: str) -> frozenset[str]:
        """The ids of one of the profile's further vocabularies (empty if it has none)."""
        return self.vocabularies.get(vocabulary, frozenset())


def read_data(path: Path, what: str = "profile data") -> dict[str, Any]:
    """A profile's YAML file as a mapping (an empty file as an empty one); a file that cannot
    be read, or is not a mapping, is a :class:`ProfileError` naming it and ``what`` it holds."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path}: cannot read {what}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: expected a mapping at the top level")
    return data


def _need(data: dict[str, Any], key: str, path: Path) -> Any:
    if key not in data:
        raise ProfileError(f"{path}: missing key {key!r}")
    return data[key]


def _indicators(path: Path) -> tuple[dict[str, Indicator], tuple[Band, ...]]:
    data = read_data(path)
    found: dict[str, Indicator] = {}
    for i, raw in enumerate(_need(data, "indicators", path)):
        try:
            ind = Indicator(**{k: str(v) for k, v in raw.items()})
        except TypeError as exc:
            raise ProfileError(f"{path}: indicators[{i}]: {exc}") from exc
        if ind.weight not in WEIGHTS:
            raise ProfileError(f"{path}: indicators[{i}] ({ind.id}): unknown weight {ind.weight!r}")
        if ind.id in found:
            raise ProfileError(f"{path}: indicators[{i}]: duplicate id {ind.id!r}")
        found[ind.id] = ind
    bands = tuple(
        Band(str(b["name"]), int(b["min"]), int(b["max"]) if "max" in b else None)
        for b in _need(data, "bands", path)
    )
    return found, bands


def _rules(
    path: Path, known_recipes: Mapping[str, str] | frozenset[str] | None, engine: str
) -> tuple[RuleSpec, ...]:
    """The rules of ``path``, each naming a known recipe (given as recipe name to the engine it
    runs on) that runs on the profile's ``engine``."""
    data = read_data(path)
    rules = []
    seen: set[str] = set()
    for i, raw in enumerate(_need(data, "rules", path)):
        for key in ("id", "recipe", "level", "label"):
            if key not in raw:
                raise ProfileError(f"{path}: rules[{i}]: missing key {key!r}")
        if known_recipes is not None and raw["recipe"] not in known_recipes:
            raise ProfileError(
                f"{path}: rules[{i}] ({raw['id']}): unknown recipe {raw['recipe']!r}",
                hint=f"known recipes: {', '.join(sorted(known_recipes))}",
            )
        recipe_engine = (
            known_recipes.get(raw["recipe"]) if isinstance(known_recipes, Mapping) else None
        )
        if recipe_engine is not None and recipe_engine != engine:
            raise ProfileError(
                f"{path}: rules[{i}] ({raw['id']}): recipe {raw['recipe']!r} runs on "
                f"{recipe_engine}, and this profile's reports are joined up into {engine}",
                hint="choose a recipe of the profile's engine in alerts/rule_library.py",
            )
        if raw["id"] in seen:
            raise ProfileError(f"{path}: rules[{i}]: duplicate rule id {raw['id']!r}")
        seen.add(raw["id"])
        rules.append(
            RuleSpec(
                id=raw["id"],
                recipe=raw["recipe"],
                level=raw["level"],
                label=raw["label"],
                source=raw.get("source", ""),
                params=dict(raw.get("params") or {}),
            )
        )
    return tuple(rules)


ENGINES = ("entities", "incidents")
UNCONFIRMED = ("ignore", "weak")  # what unconfirmed proposals may count for


def load_profile_from(
    directory: Path, known_recipes: Mapping[str, str] | frozenset[str] | None = None
) -> Profile:
    """Load and check the profile in ``directory``; raise ProfileError naming file and key.

    ``roles``, ``link_types`` and ``indicators_file`` describe people-centred profiles and may
    be left out by a profile whose reports are joined up into incidents; ``vocabularies``
    holds any further closed lists its reports use.
    """
    path = directory / "profile.yaml"
    data = read_data(path)
    engine = str(data.get("engine", "entities"))
    if engine not in ENGINES:
        raise ProfileError(
            f"{path}: engine: unknown engine {engine!r}", hint=f"known: {', '.join(ENGINES)}"
        )
    people_centred = engine == "entities"
    roles = {}
    raw_roles = _need(data, "roles", path) if people_centred else data.get("roles")
    for name, spec in (raw_roles or {}).items():
        spec = spec or {}
        roles[name] = Role(
            name=name,
            group=str(spec.get("group", "adult")),
            counts_as_child=bool(spec.get("counts_as_child", False)),
            of_concern=bool(spec.get("of_concern", False)),
            indicators_about=bool(spec.get("indicators_about", False)),
        )
    raw_links = _need(data, "link_types", path) if people_centred else data.get("link_types")
    links = {n: bool((s or {}).get("ties_child", True)) for n, s in (raw_links or {}).items()}
    indicators: dict[str, Indicator] = {}
    bands: tuple[Band, ...] = ()
    if people_centred or "indicators_file" in data:
        indicators, bands = _indicators(directory / str(_need(data, "indicators_file", path)))
    return Profile(
        name=str(_need(data, "name", path)),
        title=str(data.get("title", "")),
        agencies=frozenset(_need(data, "agencies", path)),
        role_specs=roles,
        link_specs=links,
        indicator_specs=indicators,
        bands=bands,
        rules=_rules(directory / str(_need(data, "rules_file", path)), known_recipes, engine),
        protected_attributes=frozenset(data.get("protected_attributes") or []),
        directory=directory,
        export_roles={str(part): frozenset(roles or ())
                      for part, roles in (data.get("export_unredacted") or {}).items()},
        fingerprint=_fingerprint(directory),
        engine=engine,
        vocabularies=_vocabularies(data, path),
        unconfirmed_proposals=_unconfirmed(data, path),
        local_agencies=_local_agencies(data, path),
        own_premises=_own_premises(data, path),
        sign_model=_sign_model(data, path),
        partners=_partners(data, path),
        own_accounts=_own_accounts(data, path),
    )


def _own_accounts(data: dict[str, Any], path: Path) -> frozenset[str]:
    """``own_accounts``: source types (of ``agencies``) whose report is the sender's own
    account; none when the key is left out."""
    raw = data.get("own_accounts") or []
    agencies = set(data.get("agencies") or [])
    if not isinstance(raw, list) or not all(isinstance(a, str) and a in agencies for a in raw):
        raise ProfileError(f"{path}: own_accounts: {raw!r} is not a list of this profile's "
                           "source types",
                           hint=f"choose from agencies: {', '.join(sorted(agencies))}")
    return frozenset(raw)


def _partners(data: dict[str, Any], path: Path) -> frozenset[str]:
    """``partners``: the organisations (``source.org``, written exactly as their reports
    write it) that are the deployment's partner channels; none when the key is left out."""
    raw = data.get("partners") or []
    if not isinstance(raw, list) or not all(isinstance(o, str) and o.strip() for o in raw):
        raise ProfileError(f"{path}: partners: {raw!r} is not a list of organisations",
                           hint="write partners: [org-as-in-source.org, ...], or leave it out")
    return frozenset(raw)


def _sign_model(data: dict[str, Any], path: Path) -> bool:
    """``sign_model``: true or false (the default); the model file must be beside it."""
    value = data.get("sign_model", False)
    if not isinstance(value, bool):
        raise ProfileError(f"{path}: sign_model: {value!r} is not true or false",
                           hint="write sign_model: true, or leave it out")
    if value and not (path.parent / "sign_model.json").exists():
        raise ProfileError(f"{path}: sign_model: true, but there is no sign_model.json beside it",
                           hint="train one (make train-sign-model) or leave sign_model out")
    return value


def _local_agencies(data: dict[str, Any], path: Path) -> frozenset[str]:
    """``local_agencies``: agencies of the profile's own list."""
    found = frozenset(str(a) for a in data.get("local_agencies") or ())
    unknown = sorted(found - frozenset(data.get("agencies") or ()))
    if unknown:
        raise ProfileError(
            f"{path}: local_agencies: not among the profile's agencies: {', '.join(unknown)}",
            hint="list agencies from `agencies`, or remove the entry",
        )
    return found


def _own_premises(data: dict[str, Any], path: Path) -> dict[str, frozenset[str]]:
    """``own_premises``: agency of the profile's own list -> kinds of place."""
    raw = data.get("own_premises") or {}
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise ProfileError(f"{path}: own_premises: {raw!r} is not a map of agency to kinds",
                           hint="write own_premises: {care_home: [care_home]}, or leave it out")
    unknown = sorted(set(map(str, raw)) - frozenset(data.get("agencies") or ()))
    if unknown:
        raise ProfileError(
            f"{path}: own_premises: not among the profile's agencies: {', '.join(unknown)}",
            hint="list agencies from `agencies`, or remove the entry",
        )
    return {str(agency): frozenset(map(str, kinds)) for agency, kinds in raw.items()}


def _unconfirmed(data: dict[str, Any], path: Path) -> str:
    """``unconfirmed_proposals``: ``ignore`` (the default) or ``weak``."""
    value = data.get("unconfirmed_proposals", "ignore")
    if value not in UNCONFIRMED:
        raise ProfileError(
            f"{path}: unconfirmed_proposals: unknown setting {value!r}",
            hint=f"known: {', '.join(UNCONFIRMED)} (see docs/extraction.md)",
        )
    return str(value)


def _vocabularies(data: dict[str, Any], path: Path) -> dict[str, frozenset[str]]:
    raw = data.get("vocabularies") or {}
    if not isinstance(raw, dict):
        raise ProfileError(f"{path}: vocabularies: expected a mapping of name to list of ids")
    out = {}
    for name, ids in raw.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ProfileError(f"{path}: vocabularies.{name}: expected a list of ids")
        out[str(name)] = frozenset(ids)
    return out


def _fingerprint(directory: Path) -> dict[str, str]:
    """SHA-256 of each data file of a profile, by file name."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
        if path.is_file() and path.suffix in (".yaml", ".yml", ".json")
    }


@cache
def load_profile(name: str) -> Profile:
    """Load a shipped profile by name, checking its rules against the rule library. A name is
    a lowercase word (a report's ``profile`` is hostile input: never a path)."""
    directory = PROFILES_DIR / name
    if not PROFILE_NAME.fullmatch(name) or not (directory / "profile.yaml").is_file():
        shipped = sorted(p.parent.name for p in PROFILES_DIR.glob("*/profile.yaml"))
        raise ProfileError(
            f"no profile named {name[:60]!r}", hint=f"shipped profiles: {', '.join(shipped)}"
        )
    from joinedup.alerts.rule_library import RECIPES

    return load_profile_from(directory, {name: r.engine for name, r in RECIPES.items()})
