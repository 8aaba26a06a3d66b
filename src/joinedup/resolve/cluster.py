"""Clustering scored pairs into entities, checking each merge against the whole cluster.

Connected components over pairwise links chain strangers through one bad link. Here pairs are
taken strongest first and a merge is refused when the two clusters together would be incoherent:
two mentions from one report (a report names different people), two different values of one
identifier scheme, disjoint precise ages, an exact age that rules out a date of birth, age
estimates decades apart, different surnames, different sexes, or an analyst's split
(cannot-link).
An analyst's confirm (must-link) is applied first and is never refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from joinedup.resolve.comparisons import FIRST_JW, SURNAME_JW, any_alike, id_scheme, one_typo
from joinedup.resolve.normalise import day_of

Features = dict[str, Any]
PRECISE_YEARS = 2
ESTIMATE_SLACK = 10  # years two clusters' age estimates may lie apart
# days an exact age may be out: a report gives a child's age on the day of the events it
# tells of, some weeks before it was written
AGE_DAYS_SLACK = 61


NOTHING: frozenset[Any] = frozenset()


@dataclass(slots=True)
class _Cluster:
    """One cluster's members and what binds it. A cluster of one mention (most of them) holds
    shared empty sets until it grows: a set of its own for every mention of a million-report
    store would cost gigabytes."""

    members: list[int]
    reports: set[int] | frozenset[int]
    ids: dict[str, str]
    birth: tuple[int, int] | None
    sex: str | None
    forbidden: set[int] | frozenset[int] = NOTHING
    surnames: set[str] | frozenset[str] = NOTHING
    ages: _Ages | None = None  # what every age, precise or estimated, bounds
    firsts: set[str] | frozenset[str] = NOTHING  # a surname written as a first name is a swap
    alts: set[str] | frozenset[str] = NOTHING  # first names and their variants, for siblings
    born: tuple[int, int] | None = None  # the days every exact age puts the birthday between
    dobs: frozenset[int] = frozenset()  # full dates of birth, as ordinals


def _joined(
    mine: set[Any] | frozenset[Any], theirs: set[Any] | frozenset[Any]
) -> set[Any] | frozenset[Any]:
    """``mine`` grown by ``theirs``, in place once it is a set of its own."""
    if not theirs:
        return mine
    if isinstance(mine, frozenset):
        return set(mine) | theirs
    mine |= theirs
    return mine


def _siblings(ca: _Cluster, cb: _Cluster) -> str | None:
    """Two children of one family (twins: one surname, birthday and address) agree on
    several identifying things; different first names *and* an identifier of one scheme more
    than a typo apart say they are two. Either alone is record-keeping noise (FEBRL)."""
    for scheme, value in ca.ids.items():
        other = cb.ids.get(scheme)
        if (
            other is not None
            and other != value
            and not one_typo(value, other)
            and ca.alts
            and cb.alts
            and not any_alike(ca.alts, cb.alts, FIRST_JW)
        ):
            return f"different first names and {scheme.rstrip(':')}"
    return None


@dataclass(slots=True, frozen=True)
class _Ages:
    """The bounds a cluster's ages put on its birth year, each from one mention: the latest
    earliest-year and the earliest latest-year, over every age (``lo``, ``hi``) and over the
    witnesses' estimates alone (``est_lo``, ``est_hi``; None when it has none). Two clusters
    are far apart in age when one mention's estimate and another's age, one from each, lie
    more than :data:`ESTIMATE_SLACK` years apart; a hull of the estimates (earliest to latest)
    grows with every mention until nothing is ever far from it."""

    lo: int
    hi: int
    est_lo: int | None
    est_hi: int | None

    @staticmethod
    def of(born: tuple[int, int], precise: bool) -> _Ages:
        if precise:
            return _Ages(born[0], born[1], None, None)
        return _Ages(born[0], born[1], born[0], born[1])

    def __or__(self, other: _Ages) -> _Ages:
        return _Ages(max(self.lo, other.lo), min(self.hi, other.hi),
                     _pick(max, self.est_lo, other.est_lo), _pick(min, self.est_hi, other.est_hi))

    def apart(self, other: _Ages) -> int:
        """The most years between an estimate of one and an age of the other."""
        gaps = [0]
        if self.est_lo is not None and self.est_hi is not None:
            gaps += [self.est_lo - other.hi, other.lo - self.est_hi]
        if other.est_lo is not None and other.est_hi is not None:
            gaps += [other.est_lo - self.hi, self.lo - other.est_hi]
        return max(gaps)


def _pick(how: Any, a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else how(a, b)


NO_IDS: dict[str, str] = {}  # never changed: a cluster gets a dict of its own when it has ids


def _conflicts(ca: _Cluster, cb: _Cluster) -> Iterator[str]:
    """What says two clusters are two people: identifiers, precise ages, age estimates far
    apart, surnames (a surname written as a first name is a swap, not a conflict)."""
    for scheme, value in ca.ids.items():
        other = cb.ids.get(scheme)
        if other is not None and other != value:
            # one character off may be a typo, but only a corroborated pair (``lenient``)
            # says so: councils number children in sequence, so two children's ids are
            # often one character apart
            yield f"different {scheme.rstrip(':')}"
    if (
        ca.birth
        and cb.birth
        and max(ca.birth[0], cb.birth[0]) > min(ca.birth[1], cb.birth[1]) + 1
    ):
        yield "ages do not agree"
    if _days_disagree(ca, cb):
        yield "age and date of birth do not agree"  # "Niall, 15" is not Niall born in May 1991
    if ca.ages and cb.ages and ca.ages.apart(cb.ages) > ESTIMATE_SLACK:
        yield "ages far apart"  # a witness misjudges an age by years, not decades
    if (
        ca.surnames
        and cb.surnames
        and not any_alike(ca.surnames, cb.surnames, SURNAME_JW)
        and not any_alike(ca.surnames, cb.firsts, SURNAME_JW)
        and not any_alike(ca.firsts, cb.surnames, SURNAME_JW)
    ):
        yield "different surnames"


def _window(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """The days both windows allow (up to :data:`AGE_DAYS_SLACK` apart); their hull when they
    lie further apart (a corroborated pair's typo was excused, and the merged cluster's ages
    say less than before)."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi + AGE_DAYS_SLACK else (min(a[0], b[0]), max(a[1], b[1]))


def _days_disagree(ca: _Cluster, cb: _Cluster) -> bool:
    """Whether an exact age of one cluster, on its report's date, rules out an age or a date
    of birth of the other. Two dates of birth are the identifying comparison's to weigh (a
    record's typo), not this check's."""
    slack = AGE_DAYS_SLACK
    if ca.born and cb.born and max(ca.born[0], cb.born[0]) - min(ca.born[1], cb.born[1]) > slack:
        return True
    return any(
        born and any(not born[0] - slack <= d <= born[1] + slack for d in dobs)
        for born, dobs in ((ca.born, cb.dobs), (cb.born, ca.dobs))
    )


def _conflict(ca: _Cluster, cb: _Cluster) -> str | None:
    return next(_conflicts(ca, cb), None)


def _absorb(ca: _Cluster, cb: _Cluster) -> None:
    """Grow ``ca`` by ``cb``: its members, and what they bind together."""
    ca.members.extend(cb.members)
    ca.reports = _joined(ca.reports, cb.reports)
    if any(k not in ca.ids for k in cb.ids):
        ca.ids = {**ca.ids, **{k: v for k, v in cb.ids.items() if k not in ca.ids}}
    if cb.birth:
        ca.birth = (
            cb.birth
            if not ca.birth
            else (max(ca.birth[0], cb.birth[0]), min(ca.birth[1], cb.birth[1]))
        )
        if ca.birth[0] > ca.birth[1]:
            ca.birth = (ca.birth[1], ca.birth[0])
    ca.sex = ca.sex or cb.sex
    ca.forbidden = _joined(ca.forbidden, cb.forbidden)
    ca.surnames = _joined(ca.surnames, cb.surnames)
    if cb.ages:
        ca.ages = cb.ages if not ca.ages else ca.ages | cb.ages
    if cb.born:
        ca.born = cb.born if not ca.born else _window(ca.born, cb.born)
    if cb.dobs:
        ca.dobs = ca.dobs | cb.dobs
    ca.firsts = _joined(ca.firsts, cb.firsts)
    ca.alts = _joined(ca.alts, cb.alts)


class Clusters:
    """Union-find over mention pks with cluster-level coherence checks.

    A mention's cluster data is built the first time a merge asks about it: most mentions are
    in no pair strong enough to be considered, and a cluster (with its sets) for every mention
    of a million-report store cost gigabytes. A mention never asked about is a cluster of one.
    """

    def __init__(
        self,
        feats: dict[int, Features],
        report_of: dict[int, int],
        cannot: Iterable[tuple[int, int]] = (),
    ) -> None:
        self._feats = feats
        self._report_of = report_of
        self.parent: dict[int, int] = {}  # only mentions merged into another's cluster
        self.data: dict[int, _Cluster] = {}  # the roots asked about so far
        self._cannot: dict[int, set[int]] = defaultdict(set)  # an analyst's splits, by mention
        for a, b in cannot:
            if a in feats and b in feats:
                self._cannot[a].add(b)
                self._cannot[b].add(a)

    def _cluster(self, root: int) -> _Cluster:
        """The data of the cluster whose root is ``root``, built from its features if new."""
        c = self.data.get(root)
        if c is None:
            c = self.data[root] = self._single(root)
        return c

    def _single(self, pk: int) -> _Cluster:
        f = self._feats[pk]
        ids = {id_scheme(i): i for i in sorted(f.get("ids") or ())} or NO_IDS
        # only a precise age (a date of birth, an exact age) binds the cluster; a witness's
        # "in his thirties" is evidence for the pairwise score, not a constraint
        born = f.get("birth")
        precise = born and born[1] - born[0] <= PRECISE_YEARS
        return _Cluster(
            [pk],
            frozenset((self._report_of[pk],)),
            ids,
            (born[0], born[1]) if born and precise else None,
            f.get("sex"),
            ages=_Ages.of(born, bool(precise)) if born else None,
            surnames=frozenset((f["surname_key"],)) if f.get("surname_key") else NOTHING,
            firsts=frozenset((f["first"],)) if f.get("first") else NOTHING,
            alts=frozenset(f.get("first_alts") or ()) or NOTHING,
            born=(aged[0], aged[1]) if (aged := f.get("age_born")) else None,
            dobs=frozenset((d,)) if f.get("dob") and (d := day_of(f["dob"])) else NOTHING,
            forbidden=frozenset(self._cannot.get(pk, NOTHING)) or NOTHING,
        )

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while (up := parent.get(root, root)) != root:
            root = up
        while x != root:
            parent[x], x = root, parent[x]
        return root

    def why_not(self, a: int, b: int, lenient: bool = False) -> str | None:
        """The reason two clusters may not merge, or None when they may.

        ``lenient``: the pair agrees on several identifying things, so where the pair's *own*
        two mentions differ in surname, identifier or exact age, that is taken for a typo (as
        in FEBRL's noisy records). Two mentions of one report, an analyst's split and different
        sexes still refuse, and so does a conflict the pair does not hold itself: a "Lauren"
        whose date of birth matches "Lauren Hall" says nothing about the "Lauren Taylor" her
        own cluster already holds.
        """
        ca, cb = self._cluster(self.find(a)), self._cluster(self.find(b))
        if ca.reports & cb.reports:
            return "both named in one report"
        if ca.forbidden & set(cb.members):
            return "an analyst split them"
        if ca.sex and cb.sex and ca.sex != cb.sex:
            return "different sex"
        if not lenient:
            return _conflict(ca, cb)
        siblings = _siblings(ca, cb)
        if siblings is not None:
            return siblings
        if len(ca.members) + len(cb.members) == 2:
            return None  # the two clusters are the pair: every conflict is its own
        own: set[str] | None = None
        for why in _conflicts(ca, cb):
            # excused only where the pair's own two mentions hold the conflict
            if own is None:
                own = set(_conflicts(self._single(a), self._single(b)))
            if why not in own:
                return why
        return None

    def union(self, a: int, b: int, force: bool = False, lenient: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if not force and self.why_not(a, b, lenient) is not None:
            return False
        if len(self._cluster(ra).members) < len(self._cluster(rb).members):
            ra, rb = rb, ra
        self.parent[rb] = ra
        _absorb(self.data[ra], self.data.pop(rb))
        return True

    def detach(self, x: int) -> int | None:
        """Take ``x`` out of its cluster, whose other members stay together; return the root
        they keep, or None when ``x`` was alone. A cluster's data is built again from its
        members, so what ``x`` brought to it (a surname, an age) binds it no more.

        Only the closing pass does this, to a mention held in its cluster by a single merge
        (a leaf of the merges that built it: the rest stay joined without it)."""
        root = self.find(x)
        rest = [m for m in self.root_members(root) if m != x]
        if not rest:
            return None
        del self.data[root]
        for m in (x, *rest):
            self.parent.pop(m, None)
        keep, c = rest[0], self._single(rest[0])
        for m in rest[1:]:
            self.parent[m] = keep
            _absorb(c, self._single(m))
        self.data[keep] = c
        return keep

    def root_members(self, root: int) -> list[int]:
        """The mentions of the cluster whose root is ``root`` (from :meth:`find`), first to join
        first; not to be changed."""
        c = self.data.get(root)
        return c.members if c is not None else [root]

    def size(self, x: int) -> int:
        return len(self.root_members(self.find(x)))

    def sample(self, x: int, k: int) -> list[int]:
        """Up to ``k`` mentions of the cluster holding ``x`` (the first to join it)."""
        return self.root_members(self.find(x))[:k]

    def members(self, x: int) -> list[int]:
        """The mentions of the cluster holding ``x``, earliest first."""
        return sorted(self.root_members(self.find(x)))

    def groups(self) -> list[list[int]]:
        """Every cluster; a mention never asked about is one of its own."""
        grown = [sorted(c.members) for c in self.data.values()]
        alone = [[pk] for pk in self._feats if pk not in self.data and pk not in self.parent]
        return grown + alone
