"""The conflict profile's pages: the incident list with its map and timeline, one incident with
its reports side by side, and the supply routes' status over time.

Reading any of them is casework: the store's gate decides (a panel member and an analyst may; an
agency's roles and the administrator may not: 403), and every read is in the audit log. Each page
works without JavaScript; HTMX only saves a reload when the list's filters change, and the map is
the one part that needs a script.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from joinedup.store import Store
from joinedup.web import incident_views
from joinedup.web.query import incident_query

router = APIRouter(include_in_schema=False)


def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    page: HTMLResponse = request.app.state.ctx.render(name, request=request, **context)
    return page


def _store(request: Request) -> Store:
    store: Store = request.app.state.ctx.store(request)
    return store


Filters = Annotated[incident_views.IncidentFilters, Depends(incident_query)]


@router.get("/incidents", response_class=HTMLResponse)
def incident_list(request: Request, filters: Filters) -> HTMLResponse:
    data = incident_views.incident_list(_store(request), filters)
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "incident-results":
        return _render(request, "incidents_results.html", incidents=data)
    return _render(request, "incidents.html", incidents=data)


@router.post("/incidents/pairs", response_model=None)
async def pair(request: Request) -> RedirectResponse:
    """An analyst's word on two reports from an incident's page: one incident, or two."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    ctx = request.app.state.ctx
    ctx.check_form(request, values.get("csrf", ""))
    now = incident_views.decide_pair(
        _store(request), values.get("a", ""), values.get("b", ""), values.get("decision", ""),
        values.get("reason", ""), ctx.system_for(request))
    target = now or values.get("back", "")
    return RedirectResponse(f"/incidents/{quote(target)}#merges", status_code=303)


@router.get("/incidents/{incident_id:path}", response_class=HTMLResponse)
def incident(request: Request, incident_id: str) -> HTMLResponse:
    return _render(request, "incidents_detail.html",
                   incident=incident_views.incident_detail(_store(request), incident_id))


@router.get("/routes", response_class=HTMLResponse)
def routes(request: Request) -> HTMLResponse:
    return _render(request, "routes.html", routes=incident_views.routes(_store(request)))
