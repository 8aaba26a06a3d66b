"""The joined-up picture: resolved entities, the reports behind them and how they are tied.

A *tie* says that, in one report, an entity (a person, place, vehicle or phone) is linked to a
child: by an explicit link, by being named in a report about the child, or (vehicles, phones)
through the person who has them in that report. Rules count ties, children and independent
informants; nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from joinedup.profiles import Profile
from joinedup.resolve.comparisons import SURNAME_JW, any_alike, firsts_alike, id_scheme

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Tie:
    """In report ``report``, entity ``entity`` is tied to child ``child`` by ``how``;
    ``mention`` is the child's mention in that report (what the report itself says of her)."""

    entity: str
    child: str
    report: int
    how: str
    mention: int | None = None


@dataclass
class Picture:
    """Everything the rules need, built once per run from the store's current state."""

    profile: Profile
    reports: dict[int, Row]
    entity_of: dict[int, str]
    entities: dict[str, Row]
    children: set[str]
    ties: list[Tie] = field(default_factory=list)
    introduced: list[Tie] = field(default_factory=list)
    observations: dict[str, list[tuple[int, str, Any]]] = field(default_factory=dict)
    # the reports naming each entity (a list: an empty set alone takes 216 bytes, and there is
    # one per entity; :func:`corroboration_rows` takes each report once)
    mentioned_in: dict[str, list[int]] = field(default_factory=dict)
    ages: dict[str, int] = field(default_factory=dict)
    # the features of every mention of a child, by mention, and the mentions of each child:
    # what is known of a child (:meth:`child_profile`) and what one mention says of her
    # (:meth:`told`) are folded from them when a rule asks, which is for few of the children
    child_features: dict[int, Row] = field(default_factory=dict)
    child_mentions: dict[str, list[int]] = field(default_factory=dict)
    _profiles: dict[str, Row | None] = field(default_factory=dict)
    _told: dict[int, Row | None] = field(default_factory=dict)

    def child_profile(self, child: str) -> Row | None:
        """What every mention of ``child`` says of her: names, sexes, identifiers, birth."""
        if child not in self._profiles:
            pks = self.child_mentions.get(child)
            self._profiles[child] = _fold(self.child_features[pk] for pk in pks) if pks else None
        return self._profiles[child]

    def told(self, mention: int) -> Row | None:
        """What one mention of a child says of her, with its date of birth."""
        if mention not in self._told:
            f = self.child_features.get(mention)
            self._told[mention] = None if f is None else {**_fold([f]), "dob": f.get("dob")}
        return self._told[mention]

    def distinct_children(self, children: Iterable[str], ties: Iterable[Tie] = ()) -> int:
        """How many children these clearly are: two entities that could be one child (the
        same first name, ages that agree, nothing that differs) count once, so that a child the
        resolver failed to join up never makes one man "linked to two children".

        With ``ties``, two children also count once when the mentions that tie them name one
        child: first names alike and the same date of birth, identifier or surname, nothing
        that differs. An entity the resolver joined wrongly ("Elena" with "Elena Popescu")
        carries a surname the report tying "Elena" never gave; her own report's date of birth
        still says she is "Elena Gheorghiou" of the other tie. And when every mention tying
        one of them gives only a first name, and the age of a mention tying the other, it
        says a girl of that name, not a second girl.

        Two children one report names are always two."""
        tying: dict[str, set[int]] = {c: set() for c in children}
        for t in ties:
            if t.child in tying and t.mention is not None:
                tying[t.child].add(t.mention)
        groups: list[list[str]] = []
        for child in sorted(tying):
            for group in groups:
                if all(self._could_be_one(child, o, tying) for o in group):
                    group.append(child)
                    break
            else:
                groups.append([child])
        return len(groups)

    def _could_be_one(self, a: str, b: str, tying: dict[str, set[int]]) -> bool:
        if not set(self.mentioned_in.get(a, ())).isdisjoint(self.mentioned_in.get(b, ())):
            return False  # one report names both: two children ("Jada, 15" and "Jada, 16")
        if _could_be_one(self.child_profile(a), self.child_profile(b)):
            return True
        if any(_told_one(self.told(x), self.told(y)) for x in tying[a] for y in tying[b]):
            return True
        return self._only_named(a, b, tying) or self._only_named(b, a, tying)

    def _only_named(self, a: str, b: str, tying: dict[str, set[int]]) -> bool:
        """Whether every mention tying ``a`` gives only a first name, and the age of a mention
        tying ``b``: "Anjali, 14" says a girl of that name, not a second girl, however the
        resolver placed that mention. A 12-year-old and a 14-year-old are two girls."""
        told = [self.told(x) for x in tying[a]]
        other = [self.told(y) for y in tying[b]]
        return bool(told) and all(
            t is not None
            and _first_name_only(t)
            and any(_could_be_one(t, o, slack=0) for o in other)
            for t in told
        )

    def key(self, report: int) -> str | None:
        """The independence key of a report (None for a derived report)."""
        return self.reports[report]["independence"]

    def when(self, report: int) -> datetime:
        return self.reports[report]["reported_at"]


def independence_key(report: Row, informant_entity: str | None) -> str | None:
    """Who a report's account comes from, for counting independent corroboration.

    The informant's resolved identity when the report names one (two agencies hearing the same
    child are one source), else the organisation and reporter. A report that only repeats earlier
    ones (``derived_from``) is never independent.
    """
    if report["derived"]:
        return None
    if informant_entity:
        return f"person:{informant_entity}"
    return f"source:{report['org']}/{report.get('reporter') or ''}"


def build_picture(
    profile: Profile,
    reports: list[Row],
    mentions: list[Row],
    links: list[Row],
    observations: list[Row],
    entity_of: dict[int, str],
    entities: list[Row],
) -> Picture:
    """Assemble ties, observations and independence keys from resolved mentions.

    Each report row gains its ``independence`` key, in place.
    """
    by_pk = {m["pk"]: m for m in mentions}
    informant = {r["pk"]: r["informant_ref"] for r in reports if r.get("informant_ref")}
    informant_pk = {
        m["report"]: m["pk"] for m in mentions if informant.get(m["report"]) == m["ref"]
    }
    rep = {}
    for r in reports:  # given its independence in place: a copy of every report costs memory
        inf = informant_pk.get(r["pk"])
        r["independence"] = independence_key(r, entity_of.get(inf) if inf else None)
        rep[r["pk"]] = r
    child_mentions = {m["pk"] for m in mentions if m["kind"] == "person" and _is_child(profile, m)}
    pic = Picture(
        profile,
        rep,
        entity_of,
        {e["id"]: e for e in entities},
        {entity_of[pk] for pk in child_mentions},
    )
    owner: dict[int, int] = {}
    for lk in links:
        if lk["type"] in ("drives", "uses_phone"):
            owner[lk["dst"]] = lk["src"]
    for m in mentions:
        seen_in = pic.mentioned_in.setdefault(entity_of[m["pk"]], [])
        if not seen_in or seen_in[-1] != m["report"]:  # a report's mentions come together
            seen_in.append(m["report"])
        age = m["features"].get("age")
        if age is not None:
            pic.ages[entity_of[m["pk"]]] = int(age)
    items_of: dict[int, list[int]] = defaultdict(list)
    for item, person in owner.items():
        items_of[person].append(item)
    seen = set()
    for lk in links:
        src, dst = lk["src"], lk["dst"]
        if lk["type"] in ("drives", "uses_phone"):
            continue
        if lk["explicit"] and not profile.ties_child(lk["type"]):
            continue
        for child, other in ((src, dst), (dst, src)):
            if child not in child_mentions or other == child:
                continue
            # phones and vehicles count through a person of concern, not a parent or carer
            concern = _of_concern(profile, by_pk.get(other))
            for pk in [other, *(items_of.get(other, []) if concern else [])]:
                tie = Tie(entity_of[pk], entity_of[child], lk["report"], lk["type"], child)
                if tie.entity != tie.child and tie not in seen:
                    seen.add(tie)
                    pic.ties.append(tie)
        if lk["type"] == "introduced" and dst in child_mentions and src in by_pk:
            pic.introduced.append(
                Tie(entity_of[src], entity_of[dst], lk["report"], "introduced", dst)
            )
    for m in mentions:
        entity = entity_of[m["pk"]]
        if entity in pic.children:
            pic.child_mentions.setdefault(entity, []).append(m["pk"])
            pic.child_features[m["pk"]] = m["features"]
    for o in observations:
        if o["mention"] is None:
            continue
        pic.observations.setdefault(entity_of[o["mention"]], []).append(
            (o["report"], o["indicator"], o["observed_at"])
        )
    return pic


def _of_concern(profile: Profile, m: Row | None) -> bool:
    if m is None or m["kind"] != "person":
        return False
    spec = profile.role_specs.get(m["role"] or "")
    return bool(spec and spec.of_concern)


def _could_be_one(a: Row | None, b: Row | None, slack: int = 1) -> bool:
    """Whether two child entities could be one child the resolver failed to join: names alike
    allowing a typo ("Sana" / "Sna"), and nothing that differs (sex, an identifier, ages:
    birth years ``slack`` apart at most)."""
    if not a or not b or not a["firsts"] or not b["firsts"]:
        return False  # an unnamed child is not assumed to be anyone in particular
    if not firsts_alike(a["firsts"], b["firsts"]):
        return False
    if (
        a["surnames"]
        and b["surnames"]
        and not any_alike(a["surnames"], b["surnames"], SURNAME_JW, letter_more=True)
    ):
        return False
    if a["sexes"] and b["sexes"] and a["sexes"].isdisjoint(b["sexes"]):
        return False
    for scheme, value in a["ids"].items():
        if b["ids"].get(scheme, value) != value:
            return False
    if a["birth"] and b["birth"]:
        return max(a["birth"][0], b["birth"][0]) <= min(a["birth"][1], b["birth"][1]) + slack
    return True


def _told_one(a: Row | None, b: Row | None) -> bool:
    """Whether two child mentions name one child: they could be one, and they share more than a
    first name (a surname, a full date of birth or an identifier)."""
    if not _could_be_one(a, b) or a is None or b is None:
        return False
    return bool(
        (a["surnames"] and b["surnames"])
        or (a["dob"] and a["dob"] == b["dob"])
        or set(a["ids"].values()) & set(b["ids"].values())
    )


def _first_name_only(told: Row) -> bool:
    """A mention naming a child by her first name alone: no surname, date of birth or id."""
    return bool(told["firsts"]) and not (told["surnames"] or told["dob"] or told["ids"])


def _fold(features: Iterable[Row]) -> Row:
    """One profile of the names, sexes, identifiers and birth years of these mentions."""
    p: Row = {"firsts": set(), "surnames": set(), "sexes": set(), "ids": {}, "birth": None}
    for f in features:
        _add_features(p, f)
    return p


def _add_features(p: Row, f: Row) -> Row:
    """Fold one child mention's names, sex, identifiers and birth years into a profile."""
    p["firsts"].update(f.get("first_alts") or ([f["first_key"]] if f.get("first_key") else []))
    if f.get("surname_key"):
        p["surnames"].add(f["surname_key"])
    if f.get("sex"):
        p["sexes"].add(f["sex"])
    for i in sorted(f.get("ids") or ()):  # resolved features hold ids as a set
        p["ids"].setdefault(id_scheme(i), i)
    if f.get("birth"):
        lo, hi = f["birth"]
        p["birth"] = (
            (lo, hi) if p["birth"] is None else (min(p["birth"][0], lo), max(p["birth"][1], hi))
        )
    return p


def _is_child(profile: Profile, m: Row) -> bool:
    spec = profile.role_specs.get(m["role"] or "")
    return bool(spec and spec.counts_as_child)


def corroboration_rows(pic: Picture) -> Iterator[Row]:
    """Per entity: independent informants, agencies, children tied, first/last dates, reports.

    Made one at a time, as the store takes them: an entity's row is written and let go."""
    children: dict[str, set[str]] = defaultdict(set)
    for tie in pic.ties:
        children[tie.entity].add(tie.child)
    for eid, named_in in pic.mentioned_in.items():
        reports = sorted(set(named_in))
        keys = {pic.key(r) for r in reports} - {None}
        times = [pic.when(r) for r in reports]
        yield {
            "entity": eid,
            "informants": len(keys),
            "agencies": sorted({pic.reports[r]["agency"] for r in reports}),
            "children": sorted(children.get(eid, set())),
            "first_at": min(times),
            "last_at": max(times),
            "reports": reports,
        }
