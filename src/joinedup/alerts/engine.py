"""Evaluate a profile's rules on the joined-up picture and shape alerts that explain themselves."""

from __future__ import annotations

import hashlib
from typing import Any

from joinedup.alerts.rule_library import RECIPES, Finding
from joinedup.corroborate import Picture
from joinedup.corroborate.incidents import IncidentPicture

Row = dict[str, Any]


def alert_id(rule: str, subject: str) -> str:
    """Stable id of the alert of one rule about one entity."""
    return "A-" + hashlib.sha1(f"{rule}|{subject}".encode()).hexdigest()[:10]


def evaluate_rules(pic: Picture | IncidentPicture) -> list[Row]:
    """Every alert the profile's rules raise, with evidence, agencies and ``raised_by``."""
    out = []
    for spec in pic.profile.rules:
        for f in RECIPES[spec.recipe](spec).evaluate(pic):
            out.append(_alert_row(pic, spec.id, spec.level, spec.label, spec.source, f))
    return out


def _alert_row(
    pic: Picture | IncidentPicture, rule: str, level: str, label: str, source: str, f: Finding
) -> Row:
    subject = pic.entities[f.subject]
    keys = {pic.key(r) for r in f.evidence} - {None}
    return {
        "id": alert_id(rule, f.subject),
        "rule": rule,
        "level": level,
        "subject": f.subject,
        "subject_kind": subject["kind"],
        "subject_label": subject["label"],
        "evidence": f.evidence,
        # reports counted from proposals nobody has checked (a profile's weak evidence)
        "unconfirmed": [r for r in f.evidence if pic.reports[r].get("unconfirmed")],
        "agencies": sorted({pic.reports[r]["agency"] for r in f.evidence}),
        "informants": len(keys),
        "raised_by": f.raised_by,
        "raised_at": pic.when(f.raised_by),
        "explanation": {"rule_label": label, "source": source, **_jsonable(f.facts)},
    }


def _jsonable(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, set) else v for k, v in facts.items()}
