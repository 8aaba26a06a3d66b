"""What the panel's pages and the JSON API show, assembled from the store.

No HTML here: each function returns plain data that a template renders and the API returns as
JSON, so the pages and the API can never disagree. Every read goes through the store, and so
through its gate and audit log.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from joinedup.decide import decision_rules, decision_state, waited_text
from joinedup.decide.timescales import timescales
from joinedup.errors import NotFound
from joinedup.export import withholds_victims
from joinedup.profiles import Profile, load_profile
from joinedup.resolve.possible import described
from joinedup.store import Store

Row = dict[str, Any]
LEVELS = {"high": 0, "medium": 1, "low": 2}
SORTS = ("waiting", "raised", "informants", "level", "subject")
STATUSES = ("awaiting", "overdue", "actioned", "closed", "withdrawn")
PER_PAGE = 50
NETWORK_NODES = 150
_WORD = re.compile(r"\w+", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The plain words of what a user typed (search boxes): nothing else reaches the store."""
    return _WORD.findall(text or "")[:12]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _report_name(r: Row) -> str:
    return f"{r['org']}/{r['report_id']}"


# -- the alerts inbox ------------------------------------------------------------------------
def inbox(
    store: Store,
    *,
    rule: str = "",
    level: str = "",
    status: str = "",
    subject: str = "",
    sort: str = "waiting",
    page: int = 1,
    now: datetime | None = None,
) -> Row:
    """Alerts with their decision status, filtered, sorted and cut into pages by the store.

    ``status`` is a decision status (awaiting, actioned, closed) or ``withdrawn`` (alerts the
    engine no longer raises); by default every alert the engine still raises. The default
    sort puts the alerts that have waited longest for a decision first (R1: every concern gets
    a decision within a working day)."""
    now = now or datetime.now(UTC)
    profile = load_profile("safeguarding")
    labels = {r.id: r.label for r in profile.rules}
    if sort not in SORTS:
        sort = "waiting"
    if status not in STATUSES:
        status = ""
    clock = timescales("safeguarding")
    today = clock.calendar.local_date(now)
    found, total = store.alert_page(
        status=status, rule=rule, level=level, subject=subject.strip()[:200], sort=sort,
        offset=(max(1, page) - 1) * PER_PAGE, limit=PER_PAGE,
        overdue=(clock.overdue_before(now), today),
    )
    pages = max(1, -(-total // PER_PAGE))
    late = [a["id"] for a in found if _is_overdue(a, clock, now, today)]
    escalated = store.escalations(late) if late else {}
    lead = store.panel_lead() if late else None
    if found == [] and total and page > pages:  # past the last page: show the last
        return inbox(store, rule=rule, level=level, status=status, subject=subject, sort=sort,
                     page=pages, now=now)
    rows = []
    for a in found:
        created = _aware(a["created_at"])
        awaiting = a["decision_action"] is None
        waited = max(0.0, (now - created).total_seconds() / 3600) if awaiting else None
        deadline = clock.decision_deadline(created) if awaiting else None
        overdue = _is_overdue(a, clock, now, today)
        rows.append(
            {
                "id": a["id"],
                "rule": a["rule"],
                "rule_label": labels.get(a["rule"], a["rule"]),
                "level": a["level"],
                "subject": {
                    "id": a["subject"],
                    "type": a["subject_kind"],
                    "label": a["subject_label"],
                },
                "informants": a["informants"],
                "agencies": a["agencies"],
                "evidence_count": a["evidence_count"],
                "unconfirmed": len(a["unconfirmed"] or []),
                "raised_at": a["raised_at"].isoformat(),
                "created_at": created.isoformat(),
                "age_days": (now - created).days,
                "status": a["status"],
                "decision": "awaiting"
                if awaiting
                else "closed"
                if a["decision_closes"]
                else "actioned",
                "waited_hours": waited,
                "waited": waited_text(waited) if waited is not None else "",
                "latest_action": a["decision_action"],
                "latest_owner": a["decision_owner"],
                "latest_due": a["decision_due"].isoformat() if a["decision_due"] else None,
                "decision_deadline": deadline.isoformat() if deadline else None,
                "overdue": overdue,
                "escalate_to": clock.escalate_to if overdue else "",
                "panel_lead": lead if overdue else None,
                "escalated": _escalated(escalated.get(a["id"]), deadline, a["decision_due"])
                if overdue else None,
            }
        )
    return {
        "rows": rows,
        "total": total,
        "page": min(max(1, page), pages),
        "pages": pages,
        "filters": {"rule": rule, "level": level, "status": status, "subject": subject,
                    "sort": sort},
        "rules": [{"id": r.id, "label": r.label} for r in profile.rules],
        "levels": sorted({r.level for r in profile.rules}, key=lambda x: LEVELS.get(x, 9)),
        "statuses": list(STATUSES),
        "sorts": list(SORTS),
    }


def _is_overdue(a: Row, clock: Any, now: datetime, today: date) -> bool:
    if a["decision_action"] is None:
        return now >= clock.decision_deadline(_aware(a["created_at"]))
    return not a["decision_closes"] and a["decision_due"] is not None \
        and a["decision_due"] < today


def _escalated(esc: Row | None, deadline: datetime | None, due: date | None) -> Row | None:
    """The escalation of the deadline now missed, if it was escalated (an older one, of a
    deadline since met, does not count)."""
    if esc is None:
        return None
    missed = deadline.isoformat() if deadline is not None else str(due)
    if esc["due"] != missed:
        return None
    return {"lead": esc["lead"], "at": _aware(esc["escalated_at"]).isoformat(),
            "by": esc["escalated_by"]}


# -- one alert and its evidence chain --------------------------------------------------------
def alert_detail(store: Store, alert_id: str, now: datetime | None = None) -> Row:
    """The alert, the rule that fired, its reports in arrival order with agency, informant and
    the words that matched highlighted, and the panel's decisions."""
    a = store.alert(alert_id)
    reports = store.reports_by_pk([*a["evidence"], a["raised_by"]])
    # the alert's own profile: a conflict alert's rule, actions and indicators are its own
    profile = load_profile(str(reports[a["raised_by"]].get("profile") or "safeguarding"))
    spec = next((r for r in profile.rules if r.id == a["rule"]), None)
    subject_words = _subject_words(store, a["subject"], set(a["evidence"]))
    unconfirmed = set(a["unconfirmed"] or ())
    evidence = []
    for pk in sorted(a["evidence"], key=lambda p: (reports[p]["reported_at"], p)):
        r = reports[pk]
        body = r["body"]
        refs = subject_words["refs"].get(pk, set())
        words = set(subject_words["words"])
        for person in body.get("people") or []:
            if person.get("ref") in refs:
                words |= _given_names(person)
        informant = _person(body, r["informant_ref"])
        evidence.append(
            {
                "report": r["report_id"],
                "org": r["org"],
                "name": _report_name(r),
                "agency": r["agency"],
                "reporter": r["reporter"],
                "reported_at": r["reported_at"].isoformat(),
                "informant": _informant_label(informant, r["informant_ref"]),
                "derived": r["derived"],
                "unconfirmed": pk in unconfirmed,
                "raised_by": pk == a["raised_by"],
                "indicators": _indicator_labels(body, profile),
                "narrative": r.get("narrative") or "",
                "narrative_html": highlight(r.get("narrative") or "", words),
                "subject_as_given": sorted(words - set(subject_words["words"]))
                or subject_words["words"],
            }
        )
    decisions = store.decisions([alert_id])
    state = decision_state(a, decisions, now)
    raised = reports[a["raised_by"]]
    rules = decision_rules(profile.name)
    return {
        "id": a["id"],
        "rule": a["rule"],
        "rule_label": spec.label if spec else a["rule"],
        "rule_source": spec.source if spec else "",
        "rule_params": spec.params if spec else {},
        "level": a["level"],
        "status": a["status"],
        "subject": {"id": a["subject"], "type": a["subject_kind"], "label": a["subject_label"]},
        "informants": a["informants"],
        "agencies": a["agencies"],
        "raised_by": {
            "report": raised["report_id"],
            "org": raised["org"],
            "reported_at": a["raised_at"].isoformat(),
        },
        "facts": _facts(store, a["explanation"] or {}),
        "evidence": evidence,
        # evidence counted from proposals nobody has checked (the profile's weak evidence)
        "unconfirmed": [_report_name(reports[p]) for p in a["unconfirmed"] or []],
        "decision": {
            "status": state["status"],
            "waited": waited_text(state["waited_hours"])
            if state["waited_hours"] is not None
            else "",
            "history": [_decision_json(d, rules.actions) | {
                "earlier": int(d["pk"]) <= (a.get("reraised_after") or 0)}
                for d in state["history"]],
            # raised again after a withdrawal over a decision: what came before is history
            "reraised_at": _aware(a["reraised_at"]).isoformat()
            if a.get("reraised_at") else None,
        },
        "actions": [
            {"id": x.id, "label": x.label, "closes": x.closes} for x in rules.actions.values()
        ],
    }


def _facts(store: Store, explanation: Row) -> Row:
    """The rule's own facts, entity ids among them as ``{"id", "label"}`` to link to (the
    label, informants and source are shown elsewhere)."""
    facts = {k: v for k, v in explanation.items()
             if k not in ("rule_label", "source", "informants")}
    ids = {x for v in facts.values() if isinstance(v, list) for x in v if isinstance(x, str)}
    known = {e["id"]: e["label"] for e in store.entities_by_id(ids)} if ids else {}
    for k, v in facts.items():
        if isinstance(v, list) and v and all(isinstance(x, str) and x in known for x in v):
            facts[k] = [{"id": x, "label": known[x]} for x in v]
    return facts


def _decision_json(d: Row, actions: dict[str, Any]) -> Row:
    spec = actions.get(d["action"])
    return {
        "action": d["action"],
        "action_label": spec.label if spec else d["action"],
        "closes": d["closes"],
        "owner": d["owner"],
        "due": d["due"].isoformat() if d["due"] else None,
        "rationale": d["rationale"],
        "decided_by": d["decided_by"],
        "decided_at": _aware(d["decided_at"]).isoformat(),
    }


def _subject_words(store: Store, entity: str, reports: set[int]) -> Row:
    """The subject's label and aliases, and which ref names it in each report."""
    found = store.entities_by_id([entity])
    words: set[str] = set()
    if found:
        e = found[0]
        words.add(e["label"].strip("'\""))
        words |= {str(x) for x in e["data"].get("aliases", [])}
    refs: dict[int, set[str]] = defaultdict(set)
    pks = store.members_of([entity]).get(entity, [])
    for _, _, row in store.resolved_of(pks).values():
        if row["report"] in reports:
            refs[row["report"]].add(row["ref"])
    return {"words": sorted(w for w in words if w), "refs": refs}


def _given_names(person: Row) -> set[str]:
    out = {str(person["name"])} if person.get("name") else set()
    out |= {str(a) for a in person.get("aliases") or []}
    for v in person.get("vehicles") or []:
        if v.get("reg"):
            out.add(str(v["reg"]))
    return out


def _person(body: Row, ref: str | None) -> Row | None:
    if not ref:
        return None
    return next((p for p in body.get("people") or [] if p.get("ref") == ref), None)


def _informant_label(person: Row | None, ref: str | None) -> str:
    if not ref:
        return ""
    if person is None:
        return ref
    name = person.get("name") or ", ".join(person.get("aliases") or []) or ref
    return f"{name} ({person.get('role', '')})"


def _indicator_labels(body: Row, profile: Profile) -> list[str]:
    out = []
    for item in body.get("indicators") or []:
        iid = item if isinstance(item, str) else item.get("id")
        spec = profile.indicator_specs.get(str(iid))
        out.append(spec.label if spec else str(iid))
    return out


def highlight(text: str, words: Iterable[str], *, prefix: bool = False) -> str:
    """``text`` escaped for HTML with each of ``words`` (whole words, any case; with
    ``prefix``, words that start so) in <mark>."""
    wanted = sorted({w for w in words if w and len(w) > 1}, key=len, reverse=True)
    if not wanted:
        return html.escape(text)
    pattern = re.compile(
        r"(?<!\w)((?:" + "|".join(re.escape(w) for w in wanted) + r")" + (r"\w*" if prefix else "")
        + r")(?!\w)",
        re.IGNORECASE,
    )
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last : m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


# -- one entity ------------------------------------------------------------------------------
def possible(store: Store, entity_id: str) -> list[Row]:
    """Who may be the same person as an entity although the resolver kept them apart
    (:mod:`joinedup.resolve.possible`), for the analyst to confirm or split."""
    return described(store, entity_id)


def entity_detail(store: Store, entity_id: str) -> Row:
    """An entity: aliases, the reports that mention it, why its mentions were merged, its
    corroboration and the alerts about it."""
    e = store.entity(entity_id)
    pks = store.members_of([entity_id]).get(entity_id, [])
    resolved = store.resolved_of(pks)
    reports = store.reports_by_pk({row["report"] for _, _, row in resolved.values()})
    names = {}
    mentions = []
    for pk, (_, _, row) in sorted(
        resolved.items(), key=lambda x: (reports[x[1][2]["report"]]["reported_at"], x[0])
    ):
        r = reports[row["report"]]
        names[pk] = f"{_report_name(r)}#{row['ref']}"
        mentions.append(
            {
                "mention": names[pk],
                "report": r["report_id"],
                "org": r["org"],
                "agency": r["agency"],
                "reported_at": r["reported_at"].isoformat(),
                "ref": row["ref"],
                "role": row["role"],
                "as_given": row["label"],
                "current": r["current"],
            }
        )
    edges = sorted(store.merge_edges(entity_id), key=lambda x: -x["weight"])
    merges = [
        {
            "a": names.get(x["a"], str(x["a"])),
            "b": names.get(x["b"], str(x["b"])),
            "weight": round(float(x["weight"]), 2),
            "reasons": [
                {"comparison": r.get("comparison"), "level": r.get("level"),
                 "weight": r.get("bayes_factor_log2")}
                for r in x["reasons"]
            ],
        }
        for x in edges
    ]
    corr = store.corroboration_of([entity_id]).get(entity_id)
    alerts = [
        {"id": a["id"], "rule": a["rule"], "level": a["level"], "status": a["status"]}
        for a in store.alerts_about([entity_id])
    ]
    return {
        "id": e["id"],
        "type": e["kind"],
        "label": e["label"],
        "aliases": e["data"].get("aliases", []),
        "roles": e["data"].get("roles", []),
        "mentions": mentions,
        "merges": merges,
        "corroboration": {
            "informants": corr["informants"],
            "agencies": corr["agencies"],
            "children": len(corr["children"]),
            "first_at": corr["first_at"].isoformat() if corr["first_at"] else None,
            "last_at": corr["last_at"].isoformat() if corr["last_at"] else None,
        }
        if corr
        else None,
        "alerts": alerts,
    }


def _node_class(e: Row) -> str:
    if e["kind"] != "person":
        return str(e["kind"])
    roles = set(e["data"].get("roles", []))
    if roles & {"child", "victim", "recruiter"}:
        return "child"
    if "person_of_concern" in roles:
        return "person_of_concern"
    return "person"


def network(store: Store, entity_id: str) -> Row:
    """The entity and what the reports that mention it link it to, as Cytoscape.js elements:
    people (children, people of concern), places, vehicles and phones; edges typed by link,
    with how many reports give each. At most ``NETWORK_NODES`` nodes, the closest kept."""
    store.entity(entity_id)
    sl = store.slice_of(store.reports_mentioning([entity_id]))
    entity_of = {m["pk"]: m["entity"] for m in sl["mentions"] if m["entity"]}
    counts: Counter[tuple[str, str]] = Counter()
    types: dict[tuple[str, str], set[str]] = defaultdict(set)
    for link in sl["links"]:
        a, b = entity_of.get(link["src"]), entity_of.get(link["dst"])
        if a and b and a != b:
            pair = (a, b) if a < b else (b, a)  # one edge per pair, its link types listed
            counts[pair] += 1
            types[pair].add(link["type"])
    degree: Counter[str] = Counter()
    for (a, b), n in counts.items():
        if entity_id in (a, b):
            degree[b if a == entity_id else a] += 100 * n
        degree[a] += n
        degree[b] += n
    keep = {entity_id} | {x for x, _ in degree.most_common(NETWORK_NODES - 1)}
    entities = {e["id"]: e for e in store.entities_by_id(keep)}
    nodes = [
        {
            "data": {
                "id": x,
                "label": entities[x]["label"],
                "kind": _node_class(entities[x]),
                "centre": x == entity_id,
                "href": f"/entities/{x}",
            }
        }
        for x in sorted(keep)
        if x in entities
    ]
    links = [
        {"data": {"id": f"{a}|{b}", "source": a, "target": b,
                  "types": sorted(types[(a, b)]), "reports": n}}
        for (a, b), n in sorted(counts.items())
        if a in entities and b in entities
    ]
    return {"nodes": nodes, "edges": links}


def places(store: Store, entity_id: str) -> Row:
    """Places linked to the entity (and the entity, if a place) with their coordinates and the
    dates of the reports that put them together, for the map and its date slider."""
    store.entity(entity_id)
    sl = store.slice_of(store.reports_mentioning([entity_id]))
    when = {r["pk"]: r["reported_at"] for r in sl["reports"]}
    found: dict[str, Row] = {}
    for m in sl["mentions"]:
        if m["kind"] != "place" or not m["entity"]:
            continue
        f = m["features"] or {}
        p = found.setdefault(
            m["entity"], {"id": m["entity"], "label": m["label"], "coords": [], "dates": set()}
        )
        if f.get("lat") is not None and f.get("lon") is not None:
            p["coords"].append((float(f["lat"]), float(f["lon"])))
        p["dates"].add(when[m["report"]].date().isoformat())
    out = []
    labels = {e["id"]: e["label"] for e in store.entities_by_id(found)}
    for p in found.values():
        if not p["coords"]:
            continue
        lat = sum(c[0] for c in p["coords"]) / len(p["coords"])
        lon = sum(c[1] for c in p["coords"]) / len(p["coords"])
        out.append(
            {
                "id": p["id"],
                "label": labels.get(p["id"], p["label"]),
                "lat": round(lat, 5),
                "lon": round(lon, 5),
                "dates": sorted(p["dates"]),
                "href": f"/entities/{p['id']}",
            }
        )
    all_dates = sorted({d for p in out for d in p["dates"]})
    return {
        "places": sorted(out, key=lambda p: p["label"]),
        "first": all_dates[0] if all_dates else None,
        "last": all_dates[-1] if all_dates else None,
        "without_coordinates": sum(1 for p in found.values() if not p["coords"]),
    }


# -- when each agency heard what -------------------------------------------------------------
def timeline(store: Store, *, entity: str = "", alert: str = "") -> Row:
    """Reports about an entity (or an alert's evidence) as one lane per agency over time, with
    the moment an alert was raised: fragments spread over agencies and months, at a glance."""
    marks: list[Row] = []
    if alert:
        a = store.alert(alert)
        pks = set(a["evidence"])
        title = f"{a['subject_label']}: evidence of alert {a['id']}"
        marks.append({"at": a["raised_at"].date().isoformat(), "label": f"alert {a['id']}"})
    elif entity:
        pks = store.reports_mentioning([entity])
        title = f"{store.entity(entity)['label']}: every report that mentions it"
        for a in store.alerts_about([entity]):
            marks.append({"at": a["raised_at"].date().isoformat(), "label": f"alert {a['id']}"})
    else:
        raise NotFound("name an entity or an alert", hint="open the timeline from one of them")
    reports = store.reports_by_pk(pks)
    lanes: dict[str, list[Row]] = defaultdict(list)
    for r in sorted(reports.values(), key=lambda r: (r["reported_at"], r["pk"])):
        lanes[r["agency"]].append(
            {
                "report": r["report_id"],
                "org": r["org"],
                "at": r["reported_at"].date().isoformat(),
                "derived": r["derived"],
                "indicators": len(r["body"].get("indicators") or []),
                "summary": (r.get("narrative") or "")[:160],
            }
        )
    days = [date.fromisoformat(x["at"]) for lane in lanes.values() for x in lane]
    days += [date.fromisoformat(m["at"]) for m in marks]
    ticks: list[Row] = []
    if days:
        first, last = min(days), max(days)
        span = max(1, (last - first).days)

        def x_of(day: str) -> float:
            return round((date.fromisoformat(day) - first).days / span, 4)

        for lane in lanes.values():
            for item in lane:
                item["x"] = x_of(item["at"])
        for m in marks:
            m["x"] = x_of(m["at"])
        step = 1 if span <= 400 else 3 if span <= 1200 else 12
        month = date(first.year, first.month, 1)
        while month <= last:
            if month >= first:
                ticks.append({"x": x_of(month.isoformat()), "label": f"{month:%b %Y}"})
            total = month.month - 1 + step
            month = date(month.year + total // 12, total % 12 + 1, 1)
    return {
        "title": title,
        "lanes": [{"agency": k, "reports": v} for k, v in sorted(lanes.items())],
        "first": min(days).isoformat() if days else None,
        "last": max(days).isoformat() if days else None,
        "marks": marks,
        "ticks": ticks,
    }


# -- search ----------------------------------------------------------------------------------
def search(
    store: Store, q: str, catch_up: Callable[[Store, int], int] | None = None
) -> Row:
    """Reports whose narrative, names or aliases hold every word of ``q``, with a snippet and
    the entities each mentions, and how many reports are not searchable yet.

    A report whose victims and narrative the role may not read (:func:`_withheld`) is no hit:
    the index holds a report as one text, so a word found in it may be a victim's name, and a
    snippet would show it, or show that the report names the person searched for.

    ``catch_up(store, backlog)`` brings the index up to date as far as it can without making
    the search slow, and returns how many reports are still to come (the web app indexes a few
    at once and many in the background); without it, everything is indexed first."""
    backlog = store.search_backlog()
    if backlog:
        if catch_up is None:
            store.catch_up_search()
            backlog = 0
        else:
            backlog = catch_up(store, backlog)
    words = words_of(q)
    # a report whose victims the role may not read is no hit, and is not read (audited)
    hits = store.search(words, keep=lambda profile: not _withheld(store, profile)) \
        if words else []
    named: dict[int, list[str]] = defaultdict(list)  # report -> the entities it mentions
    for m in store.slice_of(h["pk"] for h in hits)["mentions"] if hits else []:
        if m["entity"] and m["entity"] not in named[m["report"]]:
            named[m["report"]].append(m["entity"])
    entities = {e["id"]: e for e in store.entities_by_id(x for v in named.values() for x in v)}
    out = []
    for h in hits:
        out.append(
            {
                "report": h["report_id"],
                "org": h["org"],
                "agency": h["agency"],
                "reported_at": h["reported_at"].isoformat(),
                "snippet_html": highlight(_snippet(h["body"], words), words, prefix=True),
                "mentions": [
                    {"id": x, "label": entities[x]["label"], "type": entities[x]["kind"]}
                    for x in named.get(h["pk"], [])
                    if x in entities
                ],
            }
        )
    return {"q": q, "words": words, "results": out, "not_yet_indexed": backlog}


def _withheld(store: Store, profile: str) -> bool:
    """Whether the role may not read the victims a report of ``profile`` names, nor its
    narrative: as the submission page (the profile's ``export_unredacted``,
    :func:`~joinedup.export.withholds_victims`) and the incident pages (the gate's ``read
    victims``) decide for a profile that names victims."""
    shown = load_profile(profile)
    return withholds_victims(shown, store.actor.role) or (
        "victims" in shown.export_roles
        and not store.gate.policy.allows(store.actor, "read", "victims"))


def _snippet(text: str, words: list[str], width: int = 220) -> str:
    low = text.casefold()
    at = min((i for w in words if (i := low.find(w.casefold())) >= 0), default=0)
    start = max(0, at - width // 3)
    cut = text[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")
