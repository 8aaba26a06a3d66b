"""Query parameters the pages and the API share, checked once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query


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
