"""The review flow after a first review: a proposal already added to the report, who the
report belongs to once a reviewer has added a version, what the audit log keeps of each
judgement, who may add a review, and what a failed apply or a child given an adult's role
says. On SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from joinedup.access import create_account
from joinedup.access.policy import RolePolicy
from joinedup.audit import verify
from joinedup.errors import InputError
from joinedup.ingest.importer import submit_report
from joinedup.store import Store
from joinedup.store.gate import Actor
from joinedup.web.app import create_app
from tests.conftest import pg_schema
from tests.web.conftest import token

GOOD = "correct horse battery"
ORG = "brookside-house"
TEXT = ("Leah, aged 13, returned at 02:10. A man known as 'Tiger' drove her to Kelbridge Road "
        "in KX57 ABC.")
SPANS = [("person", "Leah", "Leah", "", {"age": "13"}),
         ("alias", "Tiger", "Tiger", "person_of_concern", {}),
         ("place", "Kelbridge Road", "Kelbridge Road", "", {}),
         ("vehicle", "KX57 ABC", "KX57ABC", "", {}),
         ("indicator", "drove her", "transported_by_unknown_adults", "", {})]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                                marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[Any]:
    if request.param == "sqlite":
        yield from _app(f"sqlite:///{tmp_path_factory.mktemp('flow') / 'store.db'}")
        return
    with pg_schema("jr") as url:
        yield from _app(url)


def _app(url: str) -> Iterator[Any]:
    store = Store.open(url)
    for name, role, agency in (("carer", "reporter", ORG), ("carer2", "reporter", ORG),
                               ("lead", "agency_lead", ORG), ("ana", "analyst", None),
                               ("chair", "panel", None), ("root", "admin", None)):
        create_account(store, name, role, GOOD, agency=agency)
    store.engine.dispose()
    web = create_app(url)
    yield web
    web.state.ctx.engine.dispose()


def _as(app: Any, name: str, role: str, agency: str | None = None) -> Store:
    return Store(app.state.ctx.engine, Actor(name, "default", role, agency), RolePolicy())


def _report(app: Any, rid: str, text: str = TEXT, spans: list[Any] | None = None) -> None:
    """A narrative-only report the carer submitted, with what was read in it."""
    result = submit_report(_as(app, "carer", "reporter", ORG),
                           {"id": rid, "source": {"agency": "care_home", "org": ORG},
                            "reported_at": "2009-03-02", "narrative": text}, "web form")
    (pk,) = result.reports
    _read(app, pk, text, spans or SPANS)


def _read(app: Any, pk: int, text: str, spans: list[Any]) -> None:
    Store(app.state.ctx.engine, Actor("root", "default", "admin")).add_proposals([
        {"report": pk, "type": kind, "start": text.index(words),
         "end": text.index(words) + len(words), "text": words, "value": value,
         "role": role or None, "confidence": 0.8, "rule": "test", "attrs": attrs}
        for kind, words, value, role, attrs in spans])


def _signed_in(app: Any, name: str) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    r = client.post("/login", data={"csrf": token(client), "name": name, "password": GOOD},
                    follow_redirects=False)
    assert r.status_code == 303
    return client


def _page(rid: str) -> str:
    return f"/submissions/{ORG}/{rid}/proposals"


def _ids(client: TestClient, rid: str) -> dict[str, int]:
    return {r["text"]: r["id"] for r in client.get(f"/api{_page(rid)}").json()["proposals"]}


def _audit(app: Any) -> list[dict[str, Any]]:
    return Store(app.state.ctx.engine, Actor("root", "default", "admin"),
                 RolePolicy()).audit_rows()


def test_a_proposal_already_in_the_report_is_not_judged_again_for_nothing(app: Any) -> None:
    """Rejecting "Tiger" after it was added to the report used to answer 200, record the
    rejection and leave the nickname in the report: now it is refused, saying why and what
    would take it out, through the API and the form alike."""
    _report(app, "MFC-1")
    carer = _signed_in(app, "carer")
    tiger = _ids(carer, "MFC-1")["Tiger"]
    assert carer.post(f"/api{_page('MFC-1')}/{tiger}",
                      json={"status": "accepted"}).status_code == 200
    assert carer.post(f"/api/submissions/{ORG}/MFC-1/apply", json={}).status_code == 201
    reviews = sum(1 for e in _audit(app) if e["action"] == "review")
    refused = carer.post(f"/api{_page('MFC-1')}/{tiger}", json={"status": "rejected"})
    assert refused.status_code == 422, refused.text
    assert "“Tiger” is already part of version 2 of the report: rejecting it here would " \
        "change nothing" in refused.json()["message"]
    assert "send a corrected version of the report" in refused.json()["hint"]
    form = carer.post(f"{_page('MFC-1')}/{tiger}", data={
        "csrf": token(carer), "status": "edited", "value": "Tigger"}, follow_redirects=False)
    assert form.status_code == 422
    assert "is already part of version 2 of the report: correcting it here" in form.text
    row = next(r for r in carer.get(f"/api{_page('MFC-1')}").json()["proposals"]
               if r["id"] == tiger)
    assert (row["status"], row["edited_value"]) == ("accepted", None)
    assert sum(1 for e in _audit(app) if e["action"] == "review") == reviews
    report = carer.get(f"/api/submissions/{ORG}/MFC-1").json()
    assert [p["aliases"] for p in report["people"]] == [["Tiger"]]


def test_a_proposal_of_a_replaced_text_is_not_judged_for_nothing(app: Any) -> None:
    """The source sent a corrected text, which was read again: what was read in the text it
    replaced is history, and a judgement of it would change nothing."""
    _report(app, "MFC-2")
    corrected = TEXT.replace("02:10", "02:40")
    result = submit_report(_as(app, "carer", "reporter", ORG),
                           {"id": "MFC-2", "source": {"agency": "care_home", "org": ORG},
                            "reported_at": "2009-03-02", "narrative": corrected}, "web form")
    old = _ids(_signed_in(app, "carer"), "MFC-2")["Tiger"]
    _read(app, result.reports[0], corrected, SPANS)
    carer = _signed_in(app, "carer")
    refused = carer.post(f"/api{_page('MFC-2')}/{old}", json={"status": "rejected"})
    assert refused.status_code == 422
    assert "was read in an earlier text of the report" in refused.json()["message"]
    new = _ids(carer, "MFC-2")["Tiger"]
    assert new != old and carer.post(f"/api{_page('MFC-2')}/{new}",
                                     json={"status": "rejected"}).status_code == 200


def test_the_audit_log_keeps_each_judgement_and_what_it_replaced(app: Any) -> None:
    """Each review's entry holds the new status, value and role, and the previous ones, so a
    second correction does not erase the first and an edit of the table shows. Values are
    held as their SHA-256, as a decision's rationale is: admins read the log, not casework."""
    _report(app, "MFC-3")
    carer = _signed_in(app, "carer")
    ids = _ids(carer, "MFC-3")
    road = ids["Kelbridge Road"]
    for value in ("Kelbridge Road, Rochford", "Kelbridge Rd"):
        assert carer.post(f"/api{_page('MFC-3')}/{road}",
                          json={"status": "edited", "value": value}).status_code == 200
    assert carer.post(f"/api{_page('MFC-3')}/{ids['Tiger']}",
                      json={"status": "accepted", "role": "recruiter"}).status_code == 200
    rows = _audit(app)
    first, second = (e["detail"] for e in rows if e["action"] == "review"
                     and e["target"] == f"report/{ORG}/MFC-3"
                     and e["detail"]["proposal"] == road)

    def sha(text: str) -> str:
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    assert first["status"] == "edited" and first["value"] == sha("Kelbridge Road, Rochford")
    assert first["was"] == {"status": "proposed", "value": None, "role": None}
    assert second["value"] == sha("Kelbridge Rd")
    assert second["was"] == {"status": "edited", "value": sha("Kelbridge Road, Rochford"),
                             "role": None}
    (tiger,) = (e["detail"] for e in rows if e["action"] == "review"
                and e["detail"]["proposal"] == ids["Tiger"])
    assert tiger["role"] == "recruiter" and tiger["was"]["role"] == "person_of_concern"
    assert "Rochford" not in str(rows)  # casework is not written into the log
    assert verify(rows).ok


def test_the_reporter_keeps_their_report_after_the_lead_adds_a_review(app: Any) -> None:
    """The lead's review is a new version submitted by the lead; the report is still the
    reporter's: they open it and its proposals, review, and send a correction. A colleague
    still may not."""
    _report(app, "MFC-4")
    lead = _signed_in(app, "lead")
    tiger = _ids(lead, "MFC-4")["Tiger"]
    assert lead.post(f"/api{_page('MFC-4')}/{tiger}",
                     json={"status": "accepted"}).status_code == 200
    assert lead.post(f"/api/submissions/{ORG}/MFC-4/apply", json={}).status_code == 201
    carer = _signed_in(app, "carer")
    shown = carer.get(f"/api/submissions/{ORG}/MFC-4")
    assert shown.status_code == 200 and shown.json()["submitted_by"] == "lead"
    assert carer.get(_page("MFC-4")).status_code == 200
    plate = _ids(carer, "MFC-4")["KX57 ABC"]
    assert carer.post(f"/api{_page('MFC-4')}/{plate}",
                      json={"status": "accepted"}).status_code == 200
    listed = carer.get(f"/api/submissions?org={ORG}").json()["rows"]
    assert next(r for r in listed if r["report"] == "MFC-4")["can_open"]
    again = submit_report(_as(app, "carer", "reporter", ORG),
                          {"id": "MFC-4", "source": {"agency": "care_home", "org": ORG},
                           "reported_at": "2009-03-02", "narrative": TEXT + " Seen again."},
                          "web form")
    assert (again.accepted, again.quarantined) == (1, 0), again.errors
    colleague = _signed_in(app, "carer2")
    assert colleague.get(_page("MFC-4")).status_code == 403
    assert colleague.get(f"/api/submissions/{ORG}/MFC-4").status_code == 403


def test_an_analyst_reviews_but_is_not_offered_to_add_the_review(app: Any) -> None:
    _report(app, "MFC-5")
    ana = _signed_in(app, "ana")
    tiger = _ids(ana, "MFC-5")["Tiger"]
    assert ana.post(f"/api{_page('MFC-5')}/{tiger}",
                    json={"status": "accepted"}).status_code == 200
    page = ana.get(_page("MFC-5")).text
    assert "Add these to the report" not in page
    assert "may review proposals but not add them to the report" in page
    refused = ana.post(f"/api/submissions/{ORG}/MFC-5/apply", json={})
    assert refused.status_code == 403
    assert refused.json()["message"] == \
        "an analyst may review proposals but not add them to a report"
    assert "the agency lead or the panel" in refused.json()["hint"]
    form = ana.post(f"/submissions/{ORG}/MFC-5/apply", data={"csrf": token(ana)})
    assert form.status_code == 403 and "an analyst may review proposals" in form.text
    assert any(e["action"] == "denied" and e["actor"] == "ana"
               and e["target"] == f"report/{ORG}/MFC-5" for e in _audit(app))
    for name in ("carer", "lead", "chair"):
        assert "Add these to the report" in _signed_in(app, name).get(_page("MFC-5")).text


def test_a_failed_apply_names_the_proposal_to_correct(app: Any) -> None:
    _report(app, "MFC-6")
    carer = _signed_in(app, "carer")
    sign = _ids(carer, "MFC-6")["drove her"]
    assert carer.post(f"/api{_page('MFC-6')}/{sign}",
                      json={"status": "edited", "value": "taxi_again"}).status_code == 200
    failed = carer.post(f"/api/submissions/{ORG}/MFC-6/apply", json={})
    assert failed.status_code == 422
    message = failed.json()["message"]
    assert "from the indicator “drove her”, corrected to 'taxi_again'" in message, message
    assert failed.json()["errors"][0]["proposal"] == sign
    form = carer.post(f"/submissions/{ORG}/MFC-6/apply", data={"csrf": token(carer)})
    assert form.status_code == 422 and "the indicator “drove her”, corrected to" in form.text


def test_a_child_given_an_adults_role_is_flagged_on_the_page(app: Any) -> None:
    """Leah, read as aged 13, given the role of a person of concern: the page says so and
    suggests recruiter; the contract is unchanged (a 17-year-old may be a person of
    concern), so it is a warning, not a refusal."""
    _report(app, "MFC-7")
    carer = _signed_in(app, "carer")
    leah = _ids(carer, "MFC-7")["Leah"]
    assert "Check the role" not in carer.get(_page("MFC-7")).text
    assert carer.post(f"/api{_page('MFC-7')}/{leah}", json={
        "status": "accepted", "role": "person_of_concern"}).status_code == 200
    page = carer.get(_page("MFC-7")).text
    assert "Check the role: read as aged 13, yet given an adult's role (person of concern)" \
        in page.replace("&#39;", "'")
    assert "is a recruiter, safeguarded as a child too" in page
    assert carer.post(f"/api{_page('MFC-7')}/{leah}", json={
        "status": "accepted", "role": "recruiter"}).status_code == 200
    assert "Check the role" not in carer.get(_page("MFC-7")).text


def test_a_judgement_made_meanwhile_refuses_the_later_one(app: Any) -> None:
    """Two people judging one proposal at once: the later is refused rather than recorded
    over the first with a ``was`` that was no longer true. The lead's rejection is made
    between the carer's reading of the proposal and the carer's write."""
    _report(app, "MFC-8")
    carer, lead = _as(app, "carer", "reporter", ORG), _as(app, "lead", "agency_lead", ORG)
    (tiger,) = (p["pk"] for p in carer.proposals(ORG, "MFC-8") if p["text"] == "Tiger")

    def meanwhile(proposal: dict[str, Any], current: dict[str, Any]) -> None:
        lead.review_proposal(ORG, "MFC-8", tiger, "rejected")

    with pytest.raises(InputError, match="judged by someone else just now"):
        carer.review_proposal(ORG, "MFC-8", tiger, "accepted", refuse=meanwhile)
    row = next(p for p in carer.proposals(ORG, "MFC-8") if p["pk"] == tiger)
    assert (row["status"], row["reviewed_by"]) == ("rejected", "lead")
    entries = [e for e in _audit(app) if e["action"] == "review"
               and e["target"] == f"report/{ORG}/MFC-8"]
    assert [(e["actor"], e["detail"]["was"]["status"]) for e in entries] == \
        [("lead", "proposed")]
