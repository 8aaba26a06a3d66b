"""The conflict report contract v1 as the importers' tests check it: the profile's own model.

:func:`contract_problems` lists every departure of a report from the contract (the pydantic model
of ``ingest/conflict_report.py`` with the conflict profile's vocabularies), as ``field: reason``.
"""

from __future__ import annotations

from typing import Any

from joinedup.ingest import ValidationFailed, parse_report
from joinedup.profiles import load_profile

_PROFILE = load_profile("conflict")
AGENCIES = _PROFILE.agencies
PRECISIONS = _PROFILE.terms("location_precision")
MECHANISMS = _PROFILE.terms("harm_mechanisms")
TARGETS = _PROFILE.terms("targets")
ROLES = _PROFILE.terms("actor_roles")


def contract_problems(report: Any) -> list[str]:
    """Every way ``report`` breaks the contract (empty when it holds to it)."""
    try:
        parse_report(report, vocabulary=_PROFILE, file="report", line=1)
    except ValidationFailed as err:
        return [f"{e['field']}: {e['reason']}" for e in err.all_errors]
    return []
