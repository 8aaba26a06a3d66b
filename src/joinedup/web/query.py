"""Query parameters the pages and the API share, checked once."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import StringConstraints

from joinedup.web.incident_views import ATTRIBUTION, IncidentFilters, parse_day


def inbox_query(
    rule: Annotated[str, Query(max_length=80)] = "",
    level: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20, description="awaiting, actioned, closed, "
                                 "withdrawn; empty: every alert still raised")] = "",
    subject: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=20, description="waiting, raised, informants, level "
                               "or subject")] = "waiting",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> dict[str, Any]:
    """The alerts inbox's filters, sort and page."""
    return {"rule": rule, "level": level, "status": status, "subject": subject, "sort": sort,
            "page": page}


Certainty = Literal["rumour", "possible", "probable", "confirmed"]
DAY = r"^(\d{4}-\d{2}-\d{2})?$"  # empty: no bound (what a form sends for a blank date)
Grade = Annotated[str, StringConstraints(max_length=40, pattern=r"^[a-z_]+$")]  # the profile's


def incident_query(
    certainty: Annotated[Certainty, Query(
        description="The least certain grade to show (WHO SSA: rumour, possible, probable, "
                    "confirmed)")] = "rumour",
    attribution: Annotated[list[Grade], Query(
        description="Attribution grades to show, any number of: " + ", ".join(ATTRIBUTION)
        + "; any when not given")] = [],  # noqa: B006
    target: Annotated[str, Query(max_length=60, pattern=r"^[a-z_]*$",
                                 description="Only incidents that hit this target")] = "",
    date_from: Annotated[str, Query(max_length=10, pattern=DAY,
                                    description="Incidents ending on or after (YYYY-MM-DD)")]
    = "",
    date_to: Annotated[str, Query(max_length=10, pattern=DAY,
                                  description="Incidents starting on or before (YYYY-MM-DD)")]
    = "",
    period: Annotated[Literal["", "day", "week"], Query(
        description="The timeline's bars: a day or a week each (empty: by the span)")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> IncidentFilters:
    """The incident list's filters, checked once for the page and the API."""
    return IncidentFilters(
        certainty=certainty, attribution=tuple(dict.fromkeys(attribution)), target=target,
        date_from=parse_day(date_from, "date_from"), date_to=parse_day(date_to, "date_to"),
        period=period, page=page)
