"""The two-level harm taxonomy: which mechanisms and targets two reports may share.

Sources name one strike in different words, so incident de-duplication compares a *family*
("aerial": air strike, drone strike, barrel bomb) rather than the exact term, and treats a
wildcard ("unknown") as compatible with anything (conflict.md rule 2). The families and their
compatibilities are data (``profiles/conflict/taxonomy.yaml``); this module only reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joinedup.errors import ProfileError
from joinedup.profiles import read_data

__all__ = ["Families", "Taxonomy", "load_taxonomy"]


@dataclass(frozen=True)
class Families:
    """One vocabulary (mechanisms or targets) grouped into families.

    ``family_of`` maps each term to its family; wildcards map to nothing. ``compatible`` holds
    every compatible pair of families, both ways round and each family with itself. ``kind_of``
    maps a family to its kind, the level above (mechanisms only: explosive weapons, armed
    violence): two families of one kind that are not compatible may still describe one event,
    as evidence against it (:meth:`same_kind`), not as a rejection.
    """

    family_of: Mapping[str, str]
    wildcards: frozenset[str]
    compatible: frozenset[tuple[str, str]]
    kind_of: Mapping[str, str] = field(default_factory=dict)

    def family(self, term: str | None) -> str | None:
        """The family of ``term``; None for a wildcard or no term at all."""
        return None if term is None else self.family_of.get(term)

    def families_compatible(self, a: str | None, b: str | None) -> bool:
        """Whether two families (None: a wildcard) may describe one event: compatible, or of
        one kind."""
        return a is None or b is None or (a, b) in self.compatible or self.same_kind(a, b)

    def same_kind(self, a: str | None, b: str | None) -> bool:
        """Whether two families that are not compatible are of one kind (a shelling and an air
        strike: both explosive weapons), which weighs against one event without refusing it."""
        return (a is not None and b is not None and (a, b) not in self.compatible
                and a in self.kind_of and self.kind_of[a] == self.kind_of.get(b))

    def any_compatible(self, a: Iterable[str], b: Iterable[str]) -> bool:
        """Whether two sets of families (an empty one says nothing) have a compatible pair."""
        sa, sb = set(a), set(b)
        if not sa or not sb:
            return True
        return any((x, y) in self.compatible for x in sa for y in sb)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(self.family_of) | self.wildcards


@dataclass(frozen=True)
class Taxonomy:
    """Mechanism and target families, as loaded from ``taxonomy.yaml``."""

    mechanisms: Families
    targets: Families


def load_taxonomy(path: Path) -> Taxonomy:
    """Load and check a taxonomy file.

    Raises:
        ProfileError: naming the file and the key, when a section is missing, a term is in two
            families (or is both a member and a wildcard), or a family lists an unknown family
            as compatible.
    """
    data = read_data(path, "the harm taxonomy")
    return Taxonomy(
        mechanisms=_families(path, data, "mechanisms"),
        targets=_families(path, data, "targets"),
    )


def _families(path: Path, data: Mapping[str, Any], section: str) -> Families:
    raw = data.get(section)
    if not isinstance(raw, dict) or not isinstance(raw.get("families"), dict):
        raise ProfileError(f"{path}: {section}: expected a mapping with `families`")
    wildcards = frozenset(str(w) for w in raw.get("wildcards") or ())
    family_of: dict[str, str] = {}
    links: set[tuple[str, str]] = set()
    for name, spec in raw["families"].items():
        where = f"{path}: {section}.families.{name}"
        if not isinstance(spec, dict) or not isinstance(spec.get("members"), list):
            raise ProfileError(f"{where}: expected a mapping with a list of `members`")
        for term in map(str, spec["members"]):
            if term in family_of or term in wildcards:
                owner = family_of.get(term, "wildcards")
                raise ProfileError(f"{where}: {term!r} is already in {owner!r}",
                                   hint="a term belongs to one family only")
            family_of[term] = str(name)
        links.add((str(name), str(name)))
        for other in map(str, spec.get("compatible_with") or ()):
            links |= {(str(name), other), (other, str(name))}
    families = set(family_of.values())
    for a, _ in sorted(links):
        if a not in families:
            raise ProfileError(f"{path}: {section}: compatible_with names an unknown family {a!r}",
                               hint=f"families: {', '.join(sorted(families))}")
    return Families(family_of=family_of, wildcards=wildcards, compatible=frozenset(links),
                    kind_of=_kinds(path, section, raw.get("kinds") or {}, families))


def _kinds(path: Path, section: str, raw: Any, families: set[str]) -> dict[str, str]:
    """``kinds``: the level above the families, each kind a list of families, none in two."""
    if not isinstance(raw, dict):
        raise ProfileError(f"{path}: {section}.kinds: expected a mapping of kind to families")
    kind_of: dict[str, str] = {}
    for kind, members in raw.items():
        where = f"{path}: {section}.kinds.{kind}"
        if not isinstance(members, list):
            raise ProfileError(f"{where}: expected a list of families")
        for family in map(str, members):
            if family not in families:
                raise ProfileError(f"{where}: unknown family {family!r}",
                                   hint=f"families: {', '.join(sorted(families))}")
            if family in kind_of:
                raise ProfileError(f"{where}: {family!r} is already of kind {kind_of[family]!r}",
                                   hint="a family is of one kind only")
            kind_of[family] = str(kind)
    return kind_of
