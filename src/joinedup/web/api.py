"""The JSON API: the same operations as the pages, documented at ``/openapi.json``."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from joinedup.decide import record_decision
from joinedup.errors import InputError
from joinedup.export import export_reports
from joinedup.store import Store
from joinedup.web import incident_views, review, service, submissions, views
from joinedup.web.incident_views import IncidentFilters
from joinedup.web.query import Certainty, inbox_query, incident_query

Json = dict[str, Any]


class ErrorOut(BaseModel):
    """Every error the API answers with: what went wrong and what to do next; some errors add
    keys (a record error: ``field``, ``errors``)."""

    model_config = ConfigDict(extra="allow")
    error: str = Field(description="The kind of error, e.g. NotFound, InputError")
    message: str
    hint: str = ""


router = APIRouter(
    prefix="/api",
    tags=["api"],
    responses={
        400: {"model": ErrorOut, "description": "A body that is not JSON"},
        401: {"model": ErrorOut, "description": "Not signed in (accounts exist)"},
        403: {"model": ErrorOut, "description": "The account's role may not do this"},
        404: {"model": ErrorOut, "description": "No such record"},
        422: {"model": ErrorOut, "description": "Input that cannot be used"},
    },
)


def _store(request: Request) -> Store:
    return request.app.state.ctx.store(request)


def _json_only(request: Request) -> None:
    """Writes take JSON only: a page on another site cannot post JSON without the browser
    asking this server first, and this server never says yes."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "application/json":
        raise InputError("send this as application/json", hint="set Content-Type")


StoreDep = Annotated[Store, Depends(_store)]


class DecisionIn(BaseModel):
    """A panel decision on an alert."""

    action: str = Field(description="An action id of the profile (GET /api/vocabulary)")
    owner: str = Field(max_length=200, description="Who owns the action")
    rationale: str = Field(max_length=10_000, description="Why; required")
    due: date | None = Field(default=None, description="When the action is due (not to close)")


class PairIn(BaseModel):
    """An analyst's judgement on two mentions, each as ORG/REPORT_ID#REF."""

    a: str = Field(max_length=700)
    b: str = Field(max_length=700)
    decision: Literal["confirm", "split"]
    reason: str = Field(min_length=1, max_length=10_000)


@router.get("/alerts", summary="The alerts inbox")
def alerts(store: StoreDep, q: Annotated[Json, Depends(inbox_query)]) -> Json:
    return views.inbox(store, **q)


@router.get("/alerts/{alert_id}", summary="One alert and its evidence chain")
def alert(alert_id: str, store: StoreDep) -> Json:
    return views.alert_detail(store, alert_id)


@router.post(
    "/alerts/{alert_id}/decisions",
    status_code=201,
    summary="Record a decision on an alert",
    dependencies=[Depends(_json_only)],
    responses={422: {"model": ErrorOut,
                     "description": "Invalid, or refused (a child cannot consent)"}},
)
def decide(alert_id: str, body: DecisionIn, store: StoreDep) -> Json:
    row = record_decision(
        store, alert_id, action=body.action, owner=body.owner, rationale=body.rationale,
        due=body.due,
    )
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


@router.get("/entities/{entity_id}", summary="A person, place, vehicle or phone")
def entity(entity_id: str, store: StoreDep) -> Json:
    return views.entity_detail(store, entity_id)


@router.get(
    "/entities/{entity_id}/possible",
    summary="Who may be the same person although the resolver kept them apart",
)
def possible(entity_id: str, store: StoreDep) -> list[Json]:
    """Each with the two mentions compared (give them to `POST /api/pairs` to confirm or
    split), the match weight, its probability and the reasons; best first."""
    return views.possible(store, entity_id)


@router.get("/entities/{entity_id}/network", summary="Its network, as Cytoscape.js elements")
def network(entity_id: str, store: StoreDep) -> Json:
    return views.network(store, entity_id)


@router.get("/entities/{entity_id}/places", summary="Linked places with dates, for the map")
def places(entity_id: str, store: StoreDep) -> Json:
    return views.places(store, entity_id)


@router.post(
    "/pairs",
    status_code=201,
    summary="Confirm or split two mentions; the resolver respects it from now on",
    dependencies=[Depends(_json_only)],
)
def pair(request: Request, body: PairIn, store: StoreDep) -> Json:
    return service.decide_pair(store, body.a, body.b, body.decision, body.reason,
                               request.app.state.ctx.system_for(request))


@router.get("/timeline", summary="When each agency heard what, about an entity or an alert")
def timeline(store: StoreDep, entity: str = "", alert: str = "") -> Json:
    return views.timeline(store, entity=entity, alert=alert)


@router.get("/search", summary="Reports by words in narratives, names and aliases")
def search(
    request: Request, store: StoreDep, q: Annotated[str, Query(max_length=500)] = ""
) -> Json:
    return views.search(store, q, request.app.state.ctx.catch_up)


@router.post(
    "/reports",
    status_code=201,
    summary="Submit one report (input contract v1); it is resolved and alerted at once",
    dependencies=[Depends(_json_only)],
    responses={422: {"model": ErrorOut,
                     "description": "Invalid: quarantined, with every error by field"}},
)
def submit(request: Request, store: StoreDep, report: Annotated[Json, Body()]) -> Any:
    outcome = service.submit(store, report, "api", request.app.state.ctx.system_for(request))
    if outcome["errors"]:
        first = outcome["errors"][0]
        return JSONResponse(
            {"error": "RecordError",
             "message": f"the report is quarantined: {first['field']}: {first['reason']}",
             "hint": "correct every field in `errors` and submit it again", **outcome},
            status_code=422,
        )
    return outcome


@router.get("/submissions", summary="Your agency's submissions and what came of each")
def agency_submissions(
    store: StoreDep, org: Annotated[str, Query(max_length=300)] = ""
) -> Json:
    return submissions.submissions(store, org)


@router.get("/submissions/{org}/{report_id}",
            summary="One of your agency's reports as submitted, and what came of it")
def agency_submission(org: str, report_id: str, store: StoreDep) -> Json:
    return submissions.submission(store, org, report_id)


class ReviewIn(BaseModel):
    """A person's judgement on a proposal read in a narrative."""

    status: Literal["accepted", "edited", "rejected"]
    value: str = Field(default="", max_length=1000,
                       description="The value as the person reads it (for an edit)")
    role: str = Field(default="", max_length=40,
                      description="The role of a person or nickname, as the person reads it")


@router.get("/submissions/{org}/{report_id}/proposals",
            summary="What was read in a report's narrative, with each proposal's span")
def proposals(org: str, report_id: str, store: StoreDep) -> Json:
    return review.proposals_view(store, org, report_id)


@router.post("/submissions/{org}/{report_id}/proposals/{pk}",
             summary="Accept, edit or reject one proposal",
             dependencies=[Depends(_json_only)])
def review_proposal(org: str, report_id: str, pk: int, body: ReviewIn,
                    store: StoreDep) -> Json:
    return review.review(store, org, report_id, pk, body.status, body.value, body.role)


@router.post("/submissions/{org}/{report_id}/apply", status_code=201,
             summary="Add what the accepted proposals make to the report, as a new version "
                     "(send Content-Type: application/json, with an empty object)",
             responses={422: {"model": ErrorOut,
                              "description": "Nothing accepted, or the result is not valid"}},
             dependencies=[Depends(_json_only)])
def apply_review(request: Request, org: str, report_id: str, store: StoreDep) -> Any:
    outcome = review.apply_review(store, request.app.state.ctx.system_for(request), org,
                                  report_id)
    if outcome["errors"]:
        first = outcome["errors"][0]
        return JSONResponse({"error": "RecordError", "message": f"not added: {first['field']}: "
                             f"{first['reason']}", "hint": "correct the proposals", **outcome},
                            status_code=422)
    return outcome


class NDJSONResponse(Response):
    media_type = "application/x-ndjson"


JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
           "description": text}
    for code, text in ((400, "A body that is not JSON"), (401, "Not signed in"),
                       (403, "The role may not"), (404, "No such record"),
                       (422, "Input that cannot be used"))
}


@router.get("/export", response_class=NDJSONResponse, responses=JSON_ERRORS,
            summary="The reports as JSON Lines (input contract v1), narratives and protected "
                    "attributes withheld unless asked for and the role allows")
def export(
    store: StoreDep,
    org: Annotated[str, Query(max_length=300)] = "",
    include: Annotated[
        list[Literal["narratives", "protected_attributes", "victims"]], Query()
    ] = [],  # noqa: B006
) -> NDJSONResponse:
    buffer = io.StringIO()
    result = export_reports(store, buffer, org=org, include=include)
    return NDJSONResponse(buffer.getvalue(), headers={
        "Content-Disposition": 'attachment; filename="joinedup-export.jsonl"',
        "X-Joinedup-Reports": str(result.reports)})


@router.get("/vocabulary", summary="Agencies, roles, link types, indicators and actions")
def vocabulary() -> Json:
    return service.vocabulary()


# -- the conflict profile: incidents and patterns ----------------------------------------------
class Figures(BaseModel):
    """A casualty range over the reports' own figures, never a sum (conflict.md rule 3)."""

    min: int | None = None
    max: int | None = None


class IncidentSummary(BaseModel):
    """One incident of the list."""

    model_config = ConfigDict(extra="allow")
    id: str
    label: str
    date_start: str | None = Field(description="YYYY-MM-DD")
    date_end: str | None
    place: str
    precision: str | None
    lat: float | None
    lon: float | None
    mechanism: str | None
    targets: list[str]
    certainty: str = Field(description="rumour, possible, probable or confirmed (WHO SSA)")
    attribution: str = Field(
        description="confirmed, fair, weak, contested, discounted (Airwars), or "
                    "unattributed (no source names anyone)")
    killed: Figures | None
    injured: Figures | None
    report_count: int = Field(description="How many reports were merged into it")
    source_count: int = Field(description="How many independent sources they come from")


class IncidentListOut(BaseModel):
    """Incidents passing the filters, one page of them, with every match's map point and the
    timeline's bars (incidents per day or week, by certainty)."""

    model_config = ConfigDict(extra="allow")
    filters: Json
    total: int
    page: int
    pages: int
    rows: list[IncidentSummary]
    points: list[Json]
    timeline: Json


class GradingOut(BaseModel):
    certainty: list[Json] = Field(description="[{rule, says, reports}]")
    attribution: list[Json] = Field(description="[{rule, says, reports}]")


class IncidentOut(IncidentSummary):
    """One incident: both grades with the rules behind them, independent sources, casualty
    figures report by report, actors, named victims (to the roles that read them), its
    reports as columns, merge evidence and contenders. Reports are named ``org/id``."""

    reports: list[str] = Field(description="Its reports, as org/id, in arrival order")
    location: Json | None
    mechanisms: list[str]
    grading: GradingOut
    sources: list[Json] = Field(description="[{key, agency, partner, reports}]: one per "
                                "upstream origin; derived reports are in none")
    derived: list[Json]
    casualties: Json
    actors: list[Json]
    victims_shown: bool
    victims: list[Json]
    columns: list[Json]
    edges: list[Json]
    contenders: list[Json]


class StatsOut(BaseModel):
    """As ``joinedup stats --json`` prints it."""

    attacks: list[Json] = Field(description="Per group of targets: incidents per period, the "
                                "mean interval and 'one every N hours'")
    routes: list[Json] = Field(description="Per named route: its status now and over time, "
                               "with the reports behind each change")


@router.get("/incidents", response_model=IncidentListOut,
            summary="Incidents (conflict profile), filtered by grades, target and dates")
def incidents(store: StoreDep,
              filters: Annotated[IncidentFilters, Depends(incident_query)]) -> Json:
    return incident_views.incident_list(store, filters)


@router.get("/incidents/{incident_id:path}", response_model=IncidentOut,
            summary="One incident: its grades and why, sources, casualties and its reports")
def incident(incident_id: str, store: StoreDep) -> Json:
    return incident_views.incident_detail(store, incident_id)


@router.get("/stats", response_model=StatsOut,
            summary="Attacks on protected objects per period, and supply routes over time")
def stats(
    store: StoreDep,
    period: Annotated[Literal["", "day", "week", "month"], Query(
        description="day, week or month (empty: the profile's)")] = "",
    certainty: Annotated[Certainty, Query(
        description="Count incidents graded at least this certain")] = "possible",
) -> Json:
    return incident_views.stats(store, period, certainty)
