"""The pages: the alerts inbox, an alert's evidence, an entity with its network and map, the
timeline, search, and the concern form. Each works without JavaScript; HTMX only saves
reloads (filters, adding a row to the form)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from joinedup.decide import DecisionInvalid, record_decision
from joinedup.errors import AccessDenied, DecisionRefused, InputError, JoinedupError
from joinedup.store import Store
from joinedup.web import forms, review, service, submissions, views
from joinedup.web.query import inbox_query

router = APIRouter(include_in_schema=False)


def _ctx(request: Request) -> Any:
    return request.app.state.ctx


def _store(request: Request) -> Store:
    return _ctx(request).store(request)


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return _ctx(request).render(name, status, request=request, **context)


@router.get("/alerts", response_class=HTMLResponse)
def inbox(request: Request, q: Annotated[dict[str, Any], Depends(inbox_query)]) -> HTMLResponse:
    data = views.inbox(_store(request), **q)
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "inbox-rows":
        return _render(request, "_inbox_rows.html", inbox=data)
    return _render(request, "inbox.html", inbox=data)


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
def alert(request: Request, alert_id: str) -> HTMLResponse:
    store = _store(request)
    detail = views.alert_detail(store, alert_id)
    subject = detail["subject"]
    # fragments of the subject the resolver kept apart (a nickname alone): the panel sees them
    possible = views.possible(store, subject["id"]) if subject["type"] == "person" else []
    return _render(request, "alert.html", alert=detail, possible=possible, form={}, errors={})


@router.post("/alerts/{alert_id}/decisions", response_model=None)
async def decide(request: Request, alert_id: str) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    store = _store(request)
    errors: dict[str, list[str]] = {}
    try:
        _ctx(request).check_form(request, values.get("csrf", ""))
        record_decision(
            store, alert_id, action=values.get("action", ""), owner=values.get("owner", ""),
            rationale=values.get("rationale", ""), due=values.get("due", ""),
        )
    except DecisionInvalid as err:
        errors[err.field] = [err.reason]
    except DecisionRefused as err:
        errors["rationale"] = [err.message]
        errors["_refused"] = [err.message]
    except InputError as err:
        errors["_form"] = [err.message + (f" ({err.hint})" if err.hint else "")]
    if errors:  # shown again with what was typed, the reason beside its field
        detail = views.alert_detail(store, alert_id)
        return _render(request, "alert.html", 422, alert=detail, form=values, errors=errors)
    return RedirectResponse(f"/alerts/{alert_id}#decisions", status_code=303)


@router.get("/submissions", response_class=HTMLResponse)
def agency_submissions(
    request: Request, org: Annotated[str, Query(max_length=300)] = ""
) -> HTMLResponse:
    return _render(request, "submissions.html",
                   data=submissions.submissions(_store(request), org))


@router.get("/submissions/{org}/{report_id}", response_class=HTMLResponse)
def agency_submission(request: Request, org: str, report_id: str) -> HTMLResponse:
    return _render(request, "submission.html",
                   report=submissions.submission(_store(request), org, report_id))


@router.get("/submissions/{org}/{report_id}/proposals", response_class=HTMLResponse)
def proposals(request: Request, org: str, report_id: str) -> HTMLResponse:
    return _render(request, "proposals.html",
                   data=review.proposals_view(_store(request), org, report_id), error="")


@router.post("/submissions/{org}/{report_id}/proposals/{pk}", response_model=None)
async def review_proposal(request: Request, org: str, report_id: str, pk: int) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    store = _store(request)
    try:
        _ctx(request).check_form(request, values.get("csrf", ""))
        review.review(store, org, report_id, pk, values.get("status", ""),
                      values.get("value", ""), values.get("role", ""))
    except InputError as err:
        data = review.proposals_view(store, org, report_id)
        return _render(request, "proposals.html", 422, data=data,
                       error=err.message + (f" ({err.hint})" if err.hint else ""))
    return RedirectResponse(f"/submissions/{quote(org)}/{quote(report_id)}/proposals#p-{pk}",
                            status_code=303)


@router.post("/submissions/{org}/{report_id}/apply", response_model=None)
async def apply_review(request: Request, org: str, report_id: str) -> Response:
    form = await request.form()
    store = _store(request)
    try:
        _ctx(request).check_form(request, str(form.get("csrf", "")))
        outcome = review.apply_review(store, _ctx(request).system_for(request), org, report_id)
    except InputError as err:
        data = review.proposals_view(store, org, report_id)
        return _render(request, "proposals.html", 422, data=data,
                       error=err.message + (f" ({err.hint})" if err.hint else ""))
    if outcome["errors"]:
        data = review.proposals_view(store, org, report_id)
        first = outcome["errors"][0]
        return _render(request, "proposals.html", 422, data=data,
                       error=f"not added: {first['field']}: {first['reason']}")
    return _render(request, "concern_done.html", outcome=outcome)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, entity_id: str) -> HTMLResponse:
    store = _store(request)
    detail = views.entity_detail(store, entity_id)
    graph = views.network(store, entity_id)  # also as a list, for keyboards and screen readers
    possible = views.possible(store, entity_id) if detail["type"] == "person" else []
    return _render(request, "entity.html", entity=detail, graph=graph, possible=possible)


@router.post("/pairs", response_model=None)
async def pair(request: Request) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    _ctx(request).check_form(request, values.get("csrf", ""))
    out = service.decide_pair(
        _store(request), values.get("a", ""), values.get("b", ""),
        values.get("decision", ""), values.get("reason", ""), _ctx(request).system_for(request),
    )
    target = out["a"]["entity"] or values.get("back", "")
    return RedirectResponse(f"/entities/{target}#merges", status_code=303)


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, entity: str = "", alert: str = "") -> HTMLResponse:
    data = views.timeline(_store(request), entity=entity, alert=alert)
    return _render(request, "timeline.html", timeline=data, entity=entity, alert=alert)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    found = views.search(_store(request), q, _ctx(request).catch_up)
    return _render(request, "search.html", search=found)


@router.get("/concerns/new", response_class=HTMLResponse)
def concern_form(request: Request) -> HTMLResponse:
    """The empty form; an agency's account finds its organisation filled in (it submits in
    that name only)."""
    agency = _ctx(request).actor(request).agency
    start = {"source-org": agency} if agency else {}
    return _render(request, "concern.html", **_form_context(start, forms.Layout(), {}))


@router.get("/concerns/rows/{kind}", response_class=HTMLResponse)
def concern_row(
    request: Request, kind: str, i: Annotated[int, Query(ge=0, lt=forms.MAX_ROWS)]
) -> HTMLResponse:
    if kind not in ("people", "places", "links"):
        raise InputError(f"no rows of {kind!r}")
    return _render(request, "_concern_row.html", kind=kind, i=i, form={}, errors={},
                   vocab=service.vocabulary(), refs=_refs(forms.Layout()))


@router.post("/concerns", response_model=None)
async def submit_concern(request: Request) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "indicators"}
    indicators = [str(v) for v in form.getlist("indicators")]
    raw, layout = forms.concern_from_form(values, indicators)
    try:
        _ctx(request).check_form(request, values.get("csrf", ""))
    except InputError as err:
        errors = {"_form": [f"{err.message} ({err.hint})"]}
        return _render(request, "concern.html", 422,
                       **_form_context(values, layout, errors, indicators))
    try:
        outcome = service.submit(_store(request), raw, "web form",
                                 _ctx(request).system_for(request))
    except AccessDenied:
        raise  # a role that may not submit: 403, not "the store failed"
    except JoinedupError as err:  # the store failed: the form comes back as typed
        errors = {"_form": [f"The concern could not be saved: {err.message}. Nothing was "
                            "recorded; submit it again when the store is back."]}
        return _render(request, "concern.html", 503,
                       **_form_context(values, layout, errors, indicators))
    if outcome["errors"]:  # quarantined: nothing lost, and the form comes back as typed
        errors = forms.errors_by_field(outcome["errors"], layout)
        return _render(request, "concern.html", 422,
                       **_form_context(values, layout, errors, indicators))
    return _render(request, "concern_done.html", outcome=outcome)


def _refs(layout: forms.Layout) -> list[tuple[str, str]]:
    people = layout.counts.get("people", forms.PEOPLE_ROWS)
    places = layout.counts.get("places", forms.PLACE_ROWS)
    return [(f"p{i + 1}", f"Person {i + 1}") for i in range(people)] + [
        (f"l{i + 1}", f"Place {i + 1}") for i in range(places)
    ]


def _form_context(
    values: dict[str, str], layout: forms.Layout, errors: dict[str, list[str]],
    indicators: list[str] | None = None,
) -> dict[str, Any]:
    counts = {
        "people": layout.counts.get("people", forms.PEOPLE_ROWS),
        "places": layout.counts.get("places", forms.PLACE_ROWS),
        "links": layout.counts.get("links", forms.LINK_ROWS),
    }
    return {
        "form": values,
        "chosen": set(indicators or []),
        "errors": errors,
        "counts": counts,
        "vocab": service.vocabulary(),
        "refs": _refs(layout),
    }
