"""Actors with dated names: every name a report uses resolves to one actor, whatever its date.

Armed groups rename themselves and datasets relabel their past: Jabhat al-Nusra became Jabhat
Fateh al-Sham on 2016-07-28 and led Hay'at Tahrir al-Sham from 2017-01-28, and UCDP GED labels
events of January 2016 with the later names. So a name resolves to its actor on any date; a name
used outside its dates is *recorded* as anachronistic (:attr:`Identification.anachronism`) and
never refused (conflict.md rule 5). Coalitions are a relation, not an alias: Jaish al-Fateh
included al-Nusra, so the two are *related* while the membership lasted, never the same actor.

The actors, their names and memberships are data (``profiles/conflict/actors.yaml``). An
actor's ``attributes`` (nationality and the like) are kept for the reader and read by nothing
here: no prejudice in the machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from joinedup.errors import ProfileError
from joinedup.profiles import PROFILES_DIR, read_data
from joinedup.resolve.normalise import fold_words
from joinedup.resolve.normalise.transliteration import skeleton

__all__ = [
    "ACTORS_PATH",
    "Actor",
    "ActorName",
    "ActorRegistry",
    "Identification",
    "Membership",
    "Relation",
    "actor_key",
    "load_actors",
    "sound_key",
    "shipped_actors",
]

ACTORS_PATH = PROFILES_DIR / "conflict" / "actors.yaml"
UNLISTED = "unlisted:"
"""Prefix of the id given to a name the file does not know: the folded name itself."""

Relation = Literal["same", "related"]
ARTICLES = frozenset({"al", "el", "ul"})
"""The Arabic article as sources write it, or leave it out ("Ahrar al-Sham", "Ahrar Sham")."""


@lru_cache(maxsize=1 << 14)
def actor_key(name: str) -> str:
    """The lookup key of an actor's name: letters and digits only, no leading "the".

    Examples:
        >>> actor_key("Hay'at Tahrir al-Sham"), actor_key("Hayat Tahrir al Sham")
        ('hayattahriralsham', 'hayattahriralsham')
        >>> actor_key("the Coalition")
        'coalition'
    """
    return fold_words(name).removeprefix("the ").replace(" ", "")


@lru_cache(maxsize=1 << 14)
def sound_key(name: str) -> str:
    """The transliteration skeleton of an actor's name with no leading "the" and no Arabic
    article (vowels, doubled letters, q/k and al-/el-/none do not count).

    Examples:
        >>> sound_key("Syrian Libberation Front") == sound_key("Syrian Liberation Front")
        True
        >>> sound_key("Ahrar Sham") == sound_key("Ahrar el-Sham")
        True
    """
    words = fold_words(name).removeprefix("the ").split()
    return skeleton(" ".join(w for w in words if w not in ARTICLES))


@dataclass(frozen=True)
class ActorName:
    """One name of an actor; ``since``/``until`` bound its use (``until``: the day it was
    dropped), None where it has no bound."""

    name: str
    since: date | None = None
    until: date | None = None

    def misfit(self, on: date) -> str | None:
        """Why this name does not fit a date (None when it does)."""
        if self.since is not None and on < self.since:
            return f"{self.name!r} was adopted on {self.since}, after {on}"
        if self.until is not None and on >= self.until:
            return f"{self.name!r} was dropped on {self.until}, before {on}"
        return None


@dataclass(frozen=True)
class Membership:
    """The actor belonged to ``actor`` (a coalition or umbrella) between these dates."""

    actor: str
    since: date | None = None
    until: date | None = None

    def holds(self, on: date | None) -> bool:
        if on is None:
            return True
        return (self.since is None or on >= self.since) and (self.until is None or on < self.until)


@dataclass(frozen=True)
class Actor:
    id: str
    label: str
    kind: str
    names: tuple[ActorName, ...]
    party: bool = True
    member_of: tuple[Membership, ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Identification:
    """What one name in one report stands for.

    ``actor`` is an actor id, or ``"unlisted:<key>"`` for a name the file does not know (two
    reports using one unlisted name still agree). ``anachronism`` says why the name does not
    fit the report's date, when it does not: recorded, never a reason to refuse a match.
    """

    actor: str
    name: str
    known: bool
    anachronism: str | None = None


class ActorRegistry:
    """The actors of a profile, looked up by any of their names."""

    def __init__(self, actors: Iterable[Actor], source: str = "actors") -> None:
        self._actors: dict[str, Actor] = {}
        self._names: dict[str, tuple[str, ActorName]] = {}
        # transliteration skeletons of the names, for spellings the file does not list; a
        # skeleton two actors share is no one's (None)
        self._sounds: dict[str, tuple[str, ActorName] | None] = {}
        for actor in actors:
            if actor.id in self._actors:
                raise ProfileError(f"{source}: duplicate actor id {actor.id!r}")
            self._actors[actor.id] = actor
            for name in actor.names:
                key = actor_key(name.name)
                owner = self._names.get(key)
                if owner is not None and owner[0] != actor.id:
                    raise ProfileError(
                        f"{source}: actor {actor.id!r}: the name {name.name!r} already names "
                        f"{owner[0]!r}", hint="a name may belong to one actor only"
                    )
                self._names.setdefault(key, (actor.id, name))
                sound = sound_key(name.name)
                held = self._sounds.get(sound, (actor.id, name))
                self._sounds[sound] = held if held is not None and held[0] == actor.id else None
        for actor in self._actors.values():
            for m in actor.member_of:
                if m.actor not in self._actors:
                    raise ProfileError(f"{source}: actor {actor.id!r}: member_of names an "
                                       f"unknown actor {m.actor!r}")

    def __contains__(self, actor_id: str) -> bool:
        return actor_id in self._actors

    def actor(self, actor_id: str) -> Actor | None:
        return self._actors.get(actor_id)

    def label(self, actor_id: str) -> str:
        """How an actor is shown: its label, or the name an unlisted actor was given."""
        actor = self._actors.get(actor_id)
        return actor.label if actor else actor_id.removeprefix(UNLISTED)

    def is_party(self, actor_id: str) -> bool:
        """Whether the actor takes part in the fighting (unlisted names are assumed to)."""
        actor = self._actors.get(actor_id)
        return actor.party if actor else True

    def identify(self, name: str, on: date | None = None, aliases: Iterable[str] = ()) -> (
        Identification
    ):
        """The actor ``name`` (or, failing it, one of ``aliases``) stands for. A name the file
        does not list is matched by its transliteration skeleton when that skeleton is one
        actor's only ("Syrian Libberation Front", "Suthern Front", "Government of Irak"):
        sources spell one Arabic name many ways, as they do places.

        Examples:
            >>> reg = shipped_actors()
            >>> found = reg.identify("Jabhat Fateh al-Sham", on=date(2016, 3, 1))
            >>> found.actor
            'jabhat_al_nusra'
            >>> found.anachronism
            "'Jabhat Fateh al-Sham' was adopted on 2016-07-28, after 2016-03-01"
        """
        for candidate in (name, *aliases):
            hit = self._names.get(actor_key(candidate))
            if hit is not None:
                actor_id, used = hit
                misfit = used.misfit(on) if on is not None else None
                return Identification(actor_id, name, True, misfit)
        for candidate in (name, *aliases):
            heard = self._sounds.get(sound_key(candidate))
            if heard is not None:
                actor_id, used = heard
                misfit = used.misfit(on) if on is not None else None
                return Identification(actor_id, name, True, misfit)
        return Identification(UNLISTED + actor_key(name), name, False)

    def lineage(self, actor_id: str, on: date | None = None) -> frozenset[str]:
        """The actor and every coalition or umbrella it belonged to on ``on`` (any date when
        None), through memberships of memberships."""
        return _lineage(self, actor_id, on)

    def relation(self, a: str, b: str, on: date | None = None) -> Relation | None:
        """``"same"`` for one actor, ``"related"`` when one belonged to the other on ``on``
        (a member and its coalition), None otherwise. Two members of one coalition are not
        related through it: Ahrar al-Sham is not al-Nusra."""
        if a == b:
            return "same"
        if b in self.lineage(a, on) or a in self.lineage(b, on):
            return "related"
        return None

    def _memberships(self, actor_id: str) -> tuple[Membership, ...]:
        actor = self._actors.get(actor_id)
        return actor.member_of if actor else ()


@lru_cache(maxsize=1 << 14)
def _lineage(registry: ActorRegistry, actor_id: str, on: date | None) -> frozenset[str]:
    seen = {actor_id}
    todo = [actor_id]
    while todo:
        for m in registry._memberships(todo.pop()):
            if m.holds(on) and m.actor not in seen:
                seen.add(m.actor)
                todo.append(m.actor)
    return frozenset(seen)


def load_actors(path: Path) -> ActorRegistry:
    """Load and check an actors file.

    Raises:
        ProfileError: naming the file and the entry: a missing id, label or names; a name
            given to two actors; a membership of an unknown actor; a date that is not one.
    """
    data = read_data(path, "actors")
    entries = data.get("actors")
    if not isinstance(entries, list):
        raise ProfileError(f"{path}: expected a list under `actors`")
    actors = []
    for i, raw in enumerate(entries):
        where = f"{path}: actors[{i}]"
        if not isinstance(raw, dict) or not {"id", "label", "names"} <= raw.keys():
            raise ProfileError(f"{where}: each actor needs an id, a label and names")
        where = f"{where} ({raw['id']})"
        actors.append(Actor(
            id=str(raw["id"]),
            label=str(raw["label"]),
            kind=str(raw.get("kind", "armed_group")),
            party=bool(raw.get("party", True)),
            names=tuple(_name(where, n) for n in raw["names"]),
            member_of=tuple(
                Membership(str(m["actor"]), _day(where, m.get("from")), _day(where, m.get("until")))
                for m in raw.get("member_of") or ()
            ),
            attributes=dict(raw.get("attributes") or {}),
        ))
    return ActorRegistry(actors, source=str(path))


def _name(where: str, raw: Any) -> ActorName:
    if isinstance(raw, str):
        return ActorName(raw)
    if isinstance(raw, dict) and isinstance(raw.get("name"), str):
        return ActorName(raw["name"], _day(where, raw.get("from")), _day(where, raw.get("until")))
    raise ProfileError(f"{where}: a name is text or {{name, from, until}}, not {raw!r}")


def _day(where: str, raw: Any) -> date | None:
    if raw is None or isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ProfileError(f"{where}: {raw!r} is not a date (YYYY-MM-DD)") from exc


@cache
def shipped_actors() -> ActorRegistry:
    """The conflict profile's actors, read once per process."""
    return load_actors(ACTORS_PATH)
