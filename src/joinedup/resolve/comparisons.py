"""Named comparisons between two person mentions, each a short list of levels.

Each comparison turns a pair of feature maps into a level index (or ``None`` when one side has
nothing to compare). The match weight of a pair is the prior plus, for every comparison, log2 of
m/u of the level it hit: Fellegi-Sunter, as Splink computes it. :mod:`joinedup.resolve.splink_model`
builds the same comparisons as Splink SQL so that Splink can train m and u on a store's data; a test
checks that both give the same levels.

Protected attributes never appear here: features come from :mod:`joinedup.extract.structured`,
which does not read them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

Features = dict[str, Any]


@dataclass(frozen=True)
class Comparison:
    """A named comparison: its level labels and the function that picks one for a pair."""

    name: str
    levels: tuple[str, ...]
    pick: Callable[[Features, Features], int | None]
    tf_level: int | None = None  # the level whose u is replaced by the term's frequency
    tf_feature: str | None = None  # the feature whose values' frequencies those are
    tf_fuzzy_level: int | None = None  # a "similar values" level that frequencies also weaken
    # more exact levels whose u is a term's frequency, each with its feature (see feature_value)
    tf_extra: tuple[tuple[int, str], ...] = ()
    # levels that agree on one of the store's own entities (a linked person or place, a phone or
    # vehicle): the more of them a store holds, the rarer a chance agreement between two
    # different people, so their u falls with the store's size (PersonModel.for_size)
    store_levels: tuple[int, ...] = ()
    # the features ``pick`` reads: two pairs of mentions that hold the same values of these get
    # the same level, so a run picks each distinct pair of values once (parallel.ReadCodes)
    reads: tuple[str, ...] = ()

    def exact_tf_feature(self, level: int) -> str | None:
        """The feature whose frequency is the u of an exact ``level`` ("in common"), if any."""
        if self.tf_feature and level == self.tf_level:
            return self.tf_feature
        return dict(self.tf_extra).get(level)


def feature_value(f: Features, feature: str) -> Any:
    """A feature of a mention, or one derived from its features: ``full_name`` is the first
    name's and the surname's keys together, whose frequency weighs a full name in common."""
    if feature == "full_name":
        first, surname = f.get("first_key"), f.get("surname_key")
        return f"{first} {surname}" if first and surname else None
    return f.get(feature)


def _s(values: Any) -> frozenset[Any]:
    """A set view of a list feature (the resolver hands over sets already)."""
    return values if isinstance(values, frozenset) else frozenset(values)


SURNAME_JW = 0.88  # Jaro-Winkler at which two surnames count as one with a typo
FIRST_JW = 0.9  # and two first names


def jaro_winkler(a: str, b: str) -> float:
    return float(JaroWinkler.normalized_similarity(a, b))


def _name(a: Features, b: Features) -> int | None:
    fa, fb = a.get("first_key"), b.get("first_key")
    if not fa or not fb:
        return None
    sa, sb = a.get("surname_key") or "", b.get("surname_key") or ""
    both = bool(sa and sb)
    similar_surname = both and (sa == sb or jaro_winkler(sa, sb) >= SURNAME_JW)
    if fa == fb:
        if not both:
            return 3
        if sa == sb:
            return 0
        return 1 if similar_surname else 6
    if _similar_first(a, b):
        if not both:
            return 5
        if sa == sb:
            return 2
        if similar_surname:
            return 4
    if both and a.get("first") == sb and b.get("first") == sa:
        return 4  # first name and surname written the other way round
    return 7


def _similar_first(a: Features, b: Features) -> bool:
    """Typos of the key or of the name as written, or a diminutive both could stand for
    ("Sammy" and "Samantha", "Becky" and "Rebecca").

    A letter dropped or added ("Sna" / "Sana", "Sara" / "Sarah") is a typo even where
    Jaro-Winkler judges short names harshly; a letter changed is not ("Sara" / "Sana" are two
    names). A typo keeps the first letter (:func:`typo_alike`): "Emma" / "Gemma" and
    "Aisha" / "Tanisha" are two names."""
    if typo_alike(a["first_key"], b["first_key"], FIRST_JW, letter_more=True):
        return True
    ra, rb = a.get("first"), b.get("first")
    if ra and rb and typo_alike(ra, rb, FIRST_JW):
        return True
    return not _s(a.get("first_alts") or ()).isdisjoint(b.get("first_alts") or ())


def one_letter_more(x: str, y: str) -> bool:
    """Whether one name is the other with one letter added, both of three letters or more."""
    return (
        min(len(x), len(y)) >= 3
        and abs(len(x) - len(y)) == 1
        and Levenshtein.distance(x, y) == 1
    )


def typo_alike(x: str, y: str, threshold: float, *, letter_more: bool = False) -> bool:
    """Whether two given names may be one name with a typo: the same first letter, and
    Jaro-Winkler at ``threshold`` or, with ``letter_more``, a letter dropped or added.

    Writers rarely slip on a name's first letter (the reason Jaro-Winkler weighs the prefix),
    while a different first letter often makes another name of a similar shape ("Emma" /
    "Gemma", "Ella" / "Bella", "Anna" / "Hanna"). Spellings that differ in their first letter
    ("Christopher" / "Kristopher", "Maxamed" / "Mohamed") are one name only through the
    project's variant table."""
    if x == y:
        return True
    if x[:1] != y[:1]:
        return False
    return jaro_winkler(x, y) >= threshold or (letter_more and one_letter_more(x, y))


def any_alike(
    xs: Iterable[str], ys: Iterable[str], threshold: float, *, letter_more: bool = False
) -> bool:
    """Whether two sets of name keys share one, allowing a typo: Jaro-Winkler at ``threshold``,
    and with ``letter_more`` a letter dropped or added (:func:`one_letter_more`)."""
    ys = list(ys)
    return any(
        x == y or jaro_winkler(x, y) >= threshold or (letter_more and one_letter_more(x, y))
        for x in xs
        for y in ys
    )


def firsts_alike(xs: Iterable[str], ys: Iterable[str]) -> bool:
    """Whether two sets of given-name keys share one, allowing a typo (:func:`typo_alike`)."""
    ys = list(ys)
    return any(typo_alike(x, y, FIRST_JW, letter_more=True) for x in xs for y in ys)


def _alias(a: Features, b: Features) -> int | None:
    xa, xb = a.get("aliases") or [], b.get("aliases") or []
    if not xa or not xb:
        return None
    if not _s(xa).isdisjoint(xb):
        return 0
    if any(_alike_nicknames(x, y) for x in xa for y in xb):
        return 1
    return 2


def _alike_nicknames(x: str, y: str) -> bool:
    """Jaro-Winkler 0.9, or one letter apart in a short nickname ("Raz" / "Ras"), where
    Jaro-Winkler judges too harshly; but not the first letter, as for names: "Kaz", "Raz" and
    "Taz" are three men's nicknames. Also the ways English shortens and respells a nickname,
    which Jaro-Winkler scores below 0.9 where the two differ in length: cut short, with or
    without an "s" ("Bubs" for "Bubbles", "Prof" for "Professor"), and "-ie" written "-y"
    ("Cooky" for "Cookie")."""
    if jaro_winkler(x, y) >= 0.9:
        return True
    if min(len(x), len(y)) >= 3 and x[0] == y[0] and Levenshtein.distance(x, y) == 1:
        return True
    return _clipped(x, y) or _ie_as_y(x) == _ie_as_y(y)


def _ie_as_y(nickname: str) -> str:
    return nickname[:-2] + "y" if nickname.endswith("ie") else nickname


CLIPPED_LENGTH = 3  # "Bub" of "Bubbles"; two letters ("Bo", "Ma") begin too many nicknames


def _clipped(x: str, y: str) -> bool:
    """Whether the shorter of two nicknames is the longer cut short, or cut short with an "s"
    ("Bubs", "Babs", "Mags"): a stem of at least :data:`CLIPPED_LENGTH` letters that begins
    the longer."""
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    stem = short[:-1] if short.endswith("s") and len(short) > CLIPPED_LENGTH else short
    return len(stem) >= CLIPPED_LENGTH and len(short) < len(long_) and long_.startswith(stem)


def _birth(a: Features, b: Features) -> int | None:
    """Birth years; when both give a date of birth, :func:`_dob` compares them instead (the
    two would count one fact twice)."""
    ra, rb = a.get("birth"), b.get("birth")
    if not ra or not rb or (a.get("dob") and b.get("dob")):
        return None
    lo, hi = max(ra[0], rb[0]), min(ra[1], rb[1])
    if lo <= hi:
        narrow = (ra[1] - ra[0]) <= 2 and (rb[1] - rb[0]) <= 2
        return 0 if narrow else 1
    return 2 if lo - hi <= 2 else 3


def one_typo(x: str, y: str) -> bool:
    """Whether two strings are one typo apart: a character changed, dropped or added, or two
    neighbouring characters the other way round ("8871067" / "8870167", "19900120" /
    "19901020"): the commonest slips in keying a number (optimal string alignment distance 1)."""
    return OSA.distance(x, y) == 1


def _dob(a: Features, b: Features) -> int | None:
    """Full dates of birth compared as they are; where one side gives only the month and year
    ("1994-11"), the month and year: a month in common says much more than a birth year."""
    da, db = a.get("dob"), b.get("dob")
    if da and db:
        if da == db:
            return 0
        swapped = da[:4] + da[6:] + da[4:6] == db  # day and month the other way round
        return 1 if swapped or one_typo(da, db) else 3
    ma = da[:6] if da else a.get("dob_month")
    mb = db[:6] if db else b.get("dob_month")
    if not ma or not mb:
        return None
    return 2 if ma == mb else 3


def _address(a: Features, b: Features) -> int | None:
    xa, xb = a.get("addresses") or (), b.get("addresses") or ()
    if not xa or not xb:
        return None
    best = max(_address_similarity(x, y) for x in xa for y in xb)
    return 0 if best >= 0.95 else 1 if best >= 0.85 else 2


@lru_cache(maxsize=1 << 16)
def _in_word_order(address: str) -> str:
    """An address's words sorted, so that its lines compare alike in any order."""
    return " ".join(sorted(address.split()))


def _address_similarity(x: str, y: str) -> float:
    """Jaro-Winkler of two addresses as written or with their words sorted, whichever is
    higher: one record puts the building before the street ("Mill House, 4 Bank Street"),
    another after it, and as written the two look nothing alike."""
    same_order = jaro_winkler(x, y)
    if same_order >= 0.95:
        return same_order
    return max(same_order, jaro_winkler(_in_word_order(x), _in_word_order(y)))


def _sex(a: Features, b: Features) -> int | None:
    if not a.get("sex") or not b.get("sex"):
        return None
    return 0 if a["sex"] == b["sex"] else 1


def id_scheme(identifier: str) -> str:
    """The scheme and issuer of a ``scheme:VALUE`` identifier.

    Two councils' child ids are different schemes ("council_child_id:MAN" and
    "council_child_id:OLD"): a child placed out of area carries both, and they never conflict.

    Examples:
        >>> id_scheme("council_child_id:MAN-000002")
        'council_child_id:MAN'
    """
    scheme, _, value = identifier.partition(":")
    issuer = re.match(r"[A-Z]*", value)
    return f"{scheme}:{issuer.group(0) if issuer else ''}"


def _ids(a: Features, b: Features) -> int | None:
    ia, ib = a.get("ids") or [], b.get("ids") or []
    if not ia or not ib:
        return None
    if not _s(ia).isdisjoint(ib):
        return 0
    pairs = [(x, y) for x in ia for y in ib if id_scheme(x) == id_scheme(y)]
    if not pairs:
        return None
    return 1 if any(one_typo(x, y) for x, y in pairs) else 2


def _context(a: Features, b: Features) -> int | None:
    """People and places named in the same report, in common. Nothing in common here when
    nothing is in common within two steps either is left to the network comparison: the one
    fact is not counted twice."""
    xa, xb = a.get("context") or [], b.get("context") or []
    if not xa or not xb:
        return None
    shared = len(_s(xa) & _s(xb))
    if shared >= 2:
        return 0
    if shared == 1:
        return 1
    if _s(a.get("network") or ()).isdisjoint(b.get("network") or ()):
        return None
    return 2


def _network(a: Features, b: Features) -> int | None:
    """Overlap of what each mention is named with, within two steps.

    Two mentions of one man share most of the smaller of their two networks; two men of two
    networks in one town share a few entities of many, often through a wrong merge of the
    round before (a child or a nickname of each network taken for one). So two or more in
    common is split by the overlap coefficient: at least half of the smaller network, or
    less. Nothing in common says little when one of them is ``lone``; see below."""
    na, nb = a.get("network"), b.get("network")
    if not na or not nb:
        return None
    shared = len(_s(na) & _s(nb))
    if shared >= 2:
        return 0 if 2 * shared >= min(len(na), len(nb)) else 1
    if shared == 1:
        return 2
    # a mention named only with people and places no other report names (``lone``) has a
    # network that could not have overlapped anything yet: little is said by its not overlapping
    return 3 if a.get("lone") or b.get("lone") else 4


def _locality(a: Features, b: Features) -> int | None:
    """Towns (from addresses, or the organisation's home) or postcode areas in common."""
    ta, tb = _s(a.get("locality") or ()), _s(b.get("locality") or ())
    pa, pb = _s(a.get("areas") or ()), _s(b.get("areas") or ())
    if not ta.isdisjoint(tb) or not pa.isdisjoint(pb):
        return 0
    if (ta and tb) or (pa and pb):
        return 1
    return None


def _items(a: Features, b: Features) -> int | None:
    xa, xb = a.get("items") or [], b.get("items") or []
    if not xa or not xb:
        return None
    return 0 if not _s(xa).isdisjoint(xb) else 1


PERSON_COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        (
            "same first name and surname",
            "same first name, similar surname",
            "similar first name, same surname",
            "same first name, one surname unknown",
            "similar first name and surname, or the two swapped",
            "similar first name, one surname unknown",
            "same first name, different surname",
            "different names",
        ),
        _name,
        reads=("first_key", "surname_key", "first", "first_alts"),
        tf_level=3,
        tf_feature="first_key",
        tf_extra=((0, "full_name"),),
    ),
    Comparison(
        "alias",
        ("a nickname in common", "similar nicknames", "different nicknames"),
        _alias,
        reads=("aliases",),
        tf_level=0,
        tf_fuzzy_level=1,
        tf_feature="aliases",
    ),
    Comparison("birth", ("same narrow age", "ages overlap", "ages close", "ages apart"), _birth,
               reads=("birth", "dob")),
    Comparison(
        "dob",
        (
            "same date of birth",
            "dates of birth one typo apart",
            "same month and year of birth",
            "different dates of birth",
        ),
        _dob,
        reads=("dob", "dob_month"),
    ),
    Comparison("address", ("same address", "similar address", "different addresses"), _address,
               reads=("addresses",)),
    Comparison("sex", ("same sex", "different sex"), _sex, reads=("sex",)),
    Comparison(
        "ids",
        (
            "an identifier in common",
            "identifiers of one scheme one typo apart",
            "different identifiers of one scheme",
        ),
        _ids,
        reads=("ids",),
        tf_level=0,
        tf_feature="ids",
    ),
    Comparison(
        "items",
        ("a phone or vehicle in common", "different phones or vehicles"),
        _items,
        reads=("items",),
        store_levels=(0,),
    ),
    Comparison(
        "context",
        (
            "two or more linked people or places in common",
            "a linked person or place in common",
            "nothing linked in common",
        ),
        _context,
        reads=("context", "network"),
        store_levels=(0, 1),
    ),
    Comparison("locality", ("a town in common", "different towns"), _locality,
               reads=("locality", "areas")),
    Comparison(
        "network",
        (
            "two or more people or places in common within two steps, half of the smaller"
            " network or more",
            "two or more people or places in common within two steps, less than half of the"
            " smaller network",
            "one person or place in common within two steps",
            "nothing in common within two steps, one of them named only with people and places"
            " no other report names",
            "nothing in common within two steps",
        ),
        _network,
        reads=("network", "lone"),
        store_levels=(0, 1, 2),
    ),
)


def comparison_vector(a: Features, b: Features) -> tuple[int | None, ...]:
    """The level each person comparison picks for a pair."""
    return tuple(c.pick(a, b) for c in PERSON_COMPARISONS)
