"""The picture of a profile whose reports are joined up into incidents (the conflict profile).

An *incident* is one event, merged from the reports that describe it. What the rules need of it
is here: its member reports, what each says was hit, and when each arrived, so that an alert can
say which report first showed an attack on a protected object. Independence is the grading's
(``corroborate/grading.py``): two reports relying on the same upstream origin count once, a
derived report never (conflict.md rule 1).

The store keeps each incident as a row of ``incident`` (``Store.incidents`` reads them, with
``reports``, the pks of its member reports): ``id``, ``label``, ``certainty`` (rumour, possible,
probable, confirmed), ``attribution`` (confirmed, fair, weak, contested, discounted, or
``unattributed`` when no report names anyone), ``date_start``, ``date_end``, ``lat``, ``lon``,
``precision``, ``mechanism`` and ``data``, which is read whole and holds::

    targets, mechanisms      every target and mechanism its reports give
    location                 {name, admin1, admin2, lat, lon, precision, facility}: the finest
    killed, injured          {min, max, reports: ["org/id"...]} over the reports' own figures,
                             never summed (conflict.md rule 3), or null when none gives one
    certainty_rules          [{rule, says, reports}]: why the certainty, rule by rule
    attribution_rules        [{rule, says, reports}]: why the attribution
    sources                  [{key, agency, partner, reports}]: the independent sources, one per
                             upstream origin (conflict.md rule 1); derived reports are in none
    actors                   [{actor, names, roles, reports}]: by canonical actor, the names
                             reports used (dated aliases) and the roles they gave
    victims                  [{name, variants, age, sex, status, statuses: [{report, status}],
                             relatives: [{name, relation}], reports}]: named victims merged
                             across the incident's reports; ``status`` is the most recent
                             report's, ``statuses`` each report's own, oldest first (rows kept
                             before 2026-12-08 have no ``statuses`` until the next run)
    contenders               [{report, score, reasons}]: reports that might belong here and
                             were not merged (a runner-up, a country-level report)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from joinedup.profiles import Profile

Row = dict[str, Any]


@dataclass
class IncidentPicture:
    """Incidents and their reports, built once per run from the store's current state.

    ``entities`` holds each incident as the alert engine shows a subject (``kind``
    ``"incident"``, a ``label`` and its ``data``: grades, casualty ranges, location...);
    ``members`` the report pks merged into each; ``reports`` each report's row, with its
    ``independence`` key (None for a derived report) and its ``targets``.
    """

    profile: Profile
    reports: dict[int, Row]
    entities: dict[str, Row]
    members: dict[str, list[int]] = field(default_factory=dict)

    def key(self, report: int) -> str | None:
        """The independence key of a report (None for a derived report)."""
        key: str | None = self.reports[report]["independence"]
        return key

    def when(self, report: int) -> datetime:
        when: datetime = self.reports[report]["reported_at"]
        return when

    def arrivals(self, incident: str) -> list[int]:
        """The incident's reports in the order they arrived."""
        return sorted(self.members.get(incident, ()), key=lambda r: (self.when(r), r))
