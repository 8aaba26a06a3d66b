"""Expected alerts: the five reference rules, run over generated reports with the true identities.

This is the answer key, not the project's alerting: it sees true identities, so it says what a
system that resolved every mention correctly should raise, and when. Definitions are in
docs/generator.md; in short, reports are taken in arrival order (``reported_at``, then org/id),
reports with ``derived_from`` never count, and a report's independence key is its informant's
true identity if it names one, otherwise its ``org|reporter``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

Json = dict[str, Any]

SIGNIFICANT = frozenset(
    {
        "missing_overnight",
        "older_partner",
        "controlling_adult",
        "associates_with_suspects",
        "recruits_peers",
        "sex_exchanged",
        "alcohol_supplied",
        "drugs_supplied",
        "sti_repeat",
        "pregnancy_or_termination",
        "sexual_activity_under_13",
        "physical_injury",
        "groomed_online",
        "transported_by_unknown_adults",
        "seen_in_hotspot",
        "trafficked_between_towns",
        "taken_to_unknown_addresses",
    }
)
GENERAL = frozenset({"neglect_signs", "domestic_abuse_at_home", "bullying"})
# Links that do not tie a child to a place (the safeguarding profile's ``ties_child: false``):
# where a child lives, a care home included, is not where she is exploited.
CONTEXT_ONLY_LINKS = frozenset({"lives_at"})
VULNERABILITY = frozenset(
    {
        "looked_after",
        "prior_abuse_or_family_adversity",
        "unsuitable_accommodation",
        "disability",
        "bereavement_or_isolation",
        "low_self_esteem",
    }
)
MODERATE = frozenset(
    {
        "staying_out_late",
        "missing_repeat",
        "missing_once",
        "returns_under_influence",
        "school_absence",
        "disengaged_from_services",
        "associates_with_unknown_adults",
        "peers_exploited",
        "phone_contact_unknown_adults",
        "gang_association",
        "estranged_from_family",
        "new_older_friends",
        "money_unexplained",
        "new_phone",
        "gifts_unexplained",
        "hotel_keys",
        "substance_misuse",
        "sti",
        "repeat_sexual_health_attendance",
        "sexualised_language",
        "appearance_change",
        "chronic_fatigue",
        "disclosure_withdrawn",
        "self_harm",
        "suicidal",
        "volatile_mood",
        "secretive",
        "offending",
        "placement_breakdown",
        "behaviour_change",
        "phone_use_concerning",
        "online_use_concerning",
        "sexting",
        "hotel_taxi_takeaway_links",
    }
)
INDICATORS = SIGNIFICANT | GENERAL | VULNERABILITY | MODERATE

HIGH_RISK = 16
RECENT_DAYS = 183  # "within 6 months"
YEAR_DAYS = 365  # "within 12 months"
CHILD_ROLES = ("child", "victim", "recruiter")  # a recruiter is a child too (profile roles)
SUBJECT_ROLES = ("person_of_concern",)  # a recruiter has her own rule, possible_recruiter


def weight(indicator: str, age_days: int) -> int:
    """SERAF points for one observation ``age_days`` old at the time of evaluation."""
    if indicator in SIGNIFICANT:
        return 5 if age_days <= RECENT_DAYS else 1 if age_days <= YEAR_DAYS else 0
    return 0 if indicator in GENERAL else 1


def arrival_key(report: Json) -> tuple[str, str]:
    """Sort key for arrival order: ``reported_at`` (a bare date is midnight), then org/id."""
    at = report["reported_at"]
    if len(at) == 10:
        at += "T00:00:00"
    return at, f"{report['source']['org']}/{report['id']}"


class _Pairs:
    """(subject -> children, independence keys) with the report that first satisfied the rule."""

    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.children: dict[str, set[str]] = {}
        self.keys: dict[str, set[str]] = {}
        self.fired: dict[str, str] = {}

    def add(self, subject: str, child: str, key: str, report: str) -> None:
        if subject in self.fired:
            return
        self.children.setdefault(subject, set()).add(child)
        self.keys.setdefault(subject, set()).add(key)
        if len(self.children[subject]) >= 2 and len(self.keys[subject]) >= 2:
            self.fired[subject] = report


class Evaluator:
    """Runs the five rules over one cluster's reports (identities never span clusters)."""

    def __init__(
        self, mentions: Mapping[str, str], vehicles: Mapping[str, str], phones: Mapping[str, str]
    ) -> None:
        self.mentions, self.vehicles, self.phones = mentions, vehicles, phones
        self.linked = _Pairs("linked_children")
        self.shared = _Pairs("shared_vehicle_or_phone")
        self.recruiter = _Pairs("possible_recruiter")
        self.place_seen: dict[str, list[tuple[int, str]]] = {}
        self.place_fired: dict[str, str] = {}
        self.observed: dict[str, dict[str, dict[str, int]]] = {}
        self.risk_fired: dict[str, str] = {}

    def run(self, reports: Iterable[Json]) -> list[Json]:
        """Every alert the reports give, each with its earliest report, in a stable order."""
        for report in sorted(reports, key=arrival_key):
            if not report.get("derived_from"):
                self._take(report)
        out: list[Json] = []
        for rule, fired in (
            ("linked_children", self.linked.fired),
            ("place_hotspot", self.place_fired),
            ("shared_vehicle_or_phone", self.shared.fired),
            ("cross_agency_risk", self.risk_fired),
            ("possible_recruiter", self.recruiter.fired),
        ):
            out.extend(
                {"rule": rule, "subject": subject, "earliest_report": report}
                for subject, report in fired.items()
            )
        return out

    def _take(self, report: Json) -> None:
        rkey = f"{report['source']['org']}/{report['id']}"
        ident = {
            m["ref"]: self.mentions[f"{rkey}#{m['ref']}"]
            for m in report["people"] + report["places"]
        }
        informant = report.get("informant")
        key = (
            f"informant:{ident[informant]}"
            if informant
            else f"{report['source']['org']}|{report['source'].get('reporter', '')}"
        )
        roles = {m["ref"]: m["role"] for m in report["people"]}
        children = [ref for ref, role in roles.items() if role in CHILD_ROLES]
        day = date.fromisoformat(report["reported_at"][:10]).toordinal()
        observed = observation_day(report)
        for child in children:
            for ref, role in roles.items():
                if role in SUBJECT_ROLES:
                    self.linked.add(ident[ref], ident[child], key, rkey)
        self._shared(report, rkey, ident, children, key)
        self._recruiters(report, rkey, ident, roles, key)
        by_child = self._indicators(report, children)
        self._places(report, rkey, ident, roles, by_child, day)
        self._risk(report, rkey, ident, by_child, day, observed)

    def _shared(
        self, report: Json, rkey: str, ident: dict[str, str], children: list[str], key: str
    ) -> None:
        if not children:
            return
        for person in report["people"]:
            if person["role"] not in SUBJECT_ROLES:
                continue
            ref = person["ref"]
            things = [
                self.vehicles[f"{rkey}#{ref}#v{i}"] for i in range(len(person.get("vehicles", ())))
            ]
            things += [
                self.phones[f"{rkey}#{ref}#p{i}"] for i in range(len(person.get("phones", ())))
            ]
            for thing in things:
                for child in children:
                    self.shared.add(thing, ident[child], key, rkey)

    def _recruiters(
        self, report: Json, rkey: str, ident: dict[str, str], roles: dict[str, str], key: str
    ) -> None:
        young = {
            m["ref"]
            for m in report["people"]
            if m["role"] == "recruiter" or (m.get("age") is not None and m["age"] < 18)
        }
        for link in report["links"]:
            if (
                link["type"] == "introduced"
                and link["from"] in young
                and roles.get(link["to"]) in CHILD_ROLES
            ):
                self.recruiter.add(ident[link["from"]], ident[link["to"]], key, rkey)

    @staticmethod
    def _indicators(report: Json, children: list[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {child: set() for child in children}
        # a plain id is about the report's one child or victim (input contract)
        plain = [m["ref"] for m in report["people"] if m["role"] in ("child", "victim")]
        for item in report["indicators"]:
            if isinstance(item, str):
                if len(plain) == 1:
                    out[plain[0]].add(item)
            elif item.get("about") in out:
                out[item["about"]].add(item["id"])
        return out

    def _places(
        self,
        report: Json,
        rkey: str,
        ident: dict[str, str],
        roles: dict[str, str],
        by_child: dict[str, set[str]],
        day: int,
    ) -> None:
        places = {m["ref"] for m in report["places"]}
        for link in report["links"]:
            if link["type"] in CONTEXT_ONLY_LINKS:
                continue
            ends = (link["from"], link["to"])
            child = next((r for r in ends if roles.get(r) in CHILD_ROLES), None)
            place = next((r for r in ends if r in places), None)
            if child is None or place is None or not (by_child[child] - GENERAL):
                continue
            subject = ident[place]
            if subject in self.place_fired:
                continue
            seen = self.place_seen.setdefault(subject, [])
            seen.append((day, ident[child]))
            if len({c for d, c in seen if day - d < YEAR_DAYS}) >= 3:
                self.place_fired[subject] = rkey

    def _risk(
        self,
        report: Json,
        rkey: str,
        ident: dict[str, str],
        by_child: dict[str, set[str]],
        day: int,
        observed: int,
    ) -> None:
        org = report["source"]["agency"]
        for child, found in by_child.items():
            if not found:
                continue
            subject = ident[child]
            orgs = self.observed.setdefault(subject, {})
            seen = orgs.setdefault(org, {})
            for indicator in found:
                seen[indicator] = max(observed, seen.get(indicator, observed))
            if subject in self.risk_fired:
                continue
            latest: dict[str, int] = {}
            for per_org in orgs.values():
                for indicator, when in per_org.items():
                    latest[indicator] = max(when, latest.get(indicator, when))
            if score(latest, day) >= HIGH_RISK and all(
                score(per_org, day) < HIGH_RISK for per_org in orgs.values()
            ):
                self.risk_fired[subject] = rkey


def score(observations: Mapping[str, int], day: int) -> int:
    """Summed SERAF points of distinct indicators, each at its latest observation."""
    return sum(weight(indicator, day - when) for indicator, when in observations.items())


def observation_day(report: Json) -> int:
    """When a report's indicators were observed: the last day of ``occurred_to`` (else
    ``occurred_from``), never after ``reported_at``; else ``reported_at`` itself."""
    reported = date.fromisoformat(report["reported_at"][:10])
    text = report.get("occurred_to") or report.get("occurred_from")
    if not text:
        return reported.toordinal()
    parts = [int(p) for p in str(text)[:10].split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    if len(parts) > 2:
        last = date(year, month, parts[2])
    else:
        first_of_next = date(year + (month == 12), month % 12 + 1, 1)
        last = date.fromordinal(first_of_next.toordinal() - 1)
    return min(last, reported).toordinal()
