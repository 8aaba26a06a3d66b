"""Reviewing what was read in a narrative: the spans highlighted, each proposal accepted,
corrected or rejected by someone who may read the report, audited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from joinedup.access import create_account
from joinedup.access.policy import RolePolicy
from joinedup.errors import AccessDenied
from joinedup.ingest.importer import submit_report
from joinedup.store import Store
from joinedup.store.gate import Actor
from joinedup.web.app import create_app
from tests.web.conftest import token

GOOD = "correct horse battery"
ORG = "brookside-house"
TEXT = "Leah returned at 02:10. A man known as 'Tiger' drove her to Kelbridge Road in KX57 ABC."


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    url = f"sqlite:///{tmp_path_factory.mktemp('review') / 'store.db'}"
    store = Store.open(url)
    for name, role, agency in (("carer", "reporter", ORG), ("carer2", "reporter", ORG),
                               ("lead", "agency_lead", ORG), ("ana", "analyst", None),
                               ("root", "admin", None)):
        create_account(store, name, role, GOOD, agency=agency)
    carer = Store(store.engine, Actor("carer", "default", "reporter", ORG))
    result = submit_report(carer, {"id": "MFC-1", "source": {"agency": "care_home", "org": ORG},
                                   "reported_at": "2009-03-02", "narrative": TEXT}, "web form")
    (pk,) = result.reports
    spans = [("person", "Leah", "Leah", ""),
             ("alias", "Tiger", "Tiger", "person_of_concern"),
             ("place", "Kelbridge Road", "Kelbridge Road", ""),
             ("vehicle", "KX57 ABC", "KX57ABC", ""), ("link", "drove her to", "transported", "")]
    store.add_proposals([
        {"report": pk, "type": kind, "start": TEXT.index(words), "end": TEXT.index(words)
         + len(words), "text": words, "value": value, "role": role or None,
         "confidence": 0.8, "rule": "test", "attrs": {}}
        for kind, words, value, role in spans])
    store.engine.dispose()
    web = create_app(url)
    yield web
    web.state.ctx.engine.dispose()


def _signed_in(app: Any, name: str) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    r = client.post("/login", data={"csrf": token(client), "name": name, "password": GOOD},
                    follow_redirects=False)
    assert r.status_code == 303
    return client


PAGE = f"/submissions/{ORG}/MFC-1/proposals"


def test_the_narrative_shows_each_proposal_highlighted(app: Any) -> None:
    page = _signed_in(app, "carer").get(PAGE)
    assert page.status_code == 200
    assert '<mark class="prop prop-alias status-proposed"' in page.text
    assert ">KX57 ABC</a></mark>" in page.text and "5 to review" in page.text
    assert page.text.count("What the accepted proposals make") == 1
    title = page.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and f"{ORG}/MFC-1" in title


def test_the_submitter_accepts_corrects_and_rejects(app: Any) -> None:
    client = _signed_in(app, "carer")
    rows = client.get(f"/api{PAGE}").json()["proposals"]
    by_type = {r["type"]: r["id"] for r in rows}
    accepted = client.post(f"{PAGE}/{by_type['alias']}",
                           data={"csrf": token(client), "status": "accepted"},
                           follow_redirects=False)
    assert accepted.status_code == 303
    fixed = client.post(f"/api{PAGE}/{by_type['place']}",
                        json={"status": "edited", "value": "Kelbridge Road, Rochford"})
    assert fixed.status_code == 200 and fixed.json()["edited_value"] == \
        "Kelbridge Road, Rochford"
    empty = client.post(f"/api{PAGE}/{by_type['vehicle']}", json={"status": "edited"})
    assert empty.status_code == 422
    assert client.post(f"/api{PAGE}/{by_type['link']}",
                       json={"status": "rejected"}).status_code == 200
    after = {r["type"]: r for r in client.get(f"/api{PAGE}").json()["proposals"]}
    assert after["alias"]["status"] == "accepted" and after["alias"]["reviewed_by"] == "carer"
    assert after["link"]["status"] == "rejected" and after["vehicle"]["status"] == "proposed"
    assert client.post(f"/api{PAGE}/999999", json={"status": "accepted"}).status_code == 404


def test_who_may_review(app: Any) -> None:
    assert _signed_in(app, "ana").get(PAGE).status_code == 200  # analysts read all
    for name in ("carer2", "root"):  # another reporter of the agency; the admin
        client = _signed_in(app, name)
        assert client.get(PAGE).status_code == 403
        r = client.post(f"/api{PAGE}/1", json={"status": "rejected"})
        assert r.status_code == 403 and "Tiger" not in r.text


def test_applying_the_review_adds_a_structured_version(app: Any) -> None:
    client = _signed_in(app, "carer")
    rows = {r["type"]: r for r in client.get(f"/api{PAGE}").json()["proposals"]}
    for kind in ("alias", "vehicle"):
        client.post(f"/api{PAGE}/{rows[kind]['id']}", json={"status": "accepted"})
    preview = client.get(f"/api{PAGE}").json()["preview"]
    assert preview["people"] == [{"ref": "p1", "role": "person_of_concern",
                                  "aliases": ["Tiger"], "vehicles": [{"reg": "KX57ABC"}]}]
    assert "Add these to the report" in client.get(PAGE).text
    plain = client.post(f"/api/submissions/{ORG}/MFC-1/apply")  # a form from another site
    assert plain.status_code == 422 and "application/json" in plain.json()["message"]
    done = client.post(f"/api/submissions/{ORG}/MFC-1/apply", json={})
    assert done.status_code == 201, done.text
    report = client.get(f"/api/submissions/{ORG}/MFC-1").json()
    assert report["version"] == 2 and report["narrative"] == TEXT
    assert [p["aliases"] for p in report["people"]] == [["Tiger"]]
    assert report["vehicles"] == ["KX57ABC"]
    again = client.post(f"/api/submissions/{ORG}/MFC-1/apply", json={})
    assert again.status_code == 422 and "nothing accepted" in again.json()["message"]


def test_a_person_is_added_only_with_a_role_the_reviewer_gives(app: Any) -> None:
    client = _signed_in(app, "carer")
    leah = next(r for r in client.get(f"/api{PAGE}").json()["proposals"]
                if r["type"] == "person")
    assert leah["role"] == ""
    assert client.post(f"/api{PAGE}/{leah['id']}", json={"status": "accepted"}).status_code \
        == 200
    preview = client.get(f"/api{PAGE}").json()["preview"]
    assert "Leah" not in str(preview["people"])  # nobody is given a role by default
    assert any("'Leah': no role" in why for why in preview["left_out"])
    bad = client.post(f"/api{PAGE}/{leah['id']}", json={"status": "accepted",
                                                        "role": "suspect"})
    assert bad.status_code == 422 and "no role 'suspect'" in bad.json()["message"]
    assert client.post(f"/api{PAGE}/{leah['id']}", json={"status": "accepted",
                                                         "role": "child"}).status_code == 200
    people = client.get(f"/api{PAGE}").json()["preview"]["people"]
    assert {"ref": "p1", "role": "child", "name": "Leah"} in people
    assert '<select id="r-' in client.get(PAGE).text


def test_the_preview_says_who_gave_the_account(app: Any) -> None:
    """The informant the reader marked is shown before the review is applied: independence
    is counted by who told, so the reviewer sees whom it will be counted by."""
    text = "Amy (14) was out late. Her mother, Joan Hale, reported that a man called her."
    carer = Store(app.state.ctx.engine, Actor("carer", "default", "reporter", ORG))
    (pk,) = submit_report(carer, {"id": "MFC-2", "source": {"agency": "care_home", "org": ORG},
                                  "reported_at": "2009-03-02", "narrative": text},
                          "web form").reports
    Store(app.state.ctx.engine, Actor("root", "default", "admin", None)).add_proposals([
        {"report": pk, "type": "person", "start": text.index(w), "end": text.index(w) + len(w),
         "text": w, "value": w, "role": role, "confidence": 0.8, "rule": "test", "attrs": attrs}
        for w, role, attrs in (("Amy", "child", {"age": "14"}),
                               ("Joan Hale", "parent", {"informant": True}))])
    client = _signed_in(app, "carer")
    page = f"/submissions/{ORG}/MFC-2/proposals"
    for row in client.get(f"/api{page}").json()["proposals"]:
        client.post(f"/api{page}/{row['id']}", json={"status": "accepted"})
    assert client.get(f"/api{page}").json()["preview"]["informant"] == "p2"
    assert "Account given by</dt><dd>Joan Hale" in client.get(page).text


def test_a_learned_sign_says_what_it_was_read_like(app: Any) -> None:
    """A sign the learned model proposed shows the training sentence it reads most like, as
    text (escaped), so that the reviewer sees why it was read."""
    text = "She is picked up at the gates by a man in a grey car."
    carer = Store(app.state.ctx.engine, Actor("carer", "default", "reporter", ORG))
    (pk,) = submit_report(carer, {"id": "MFC-3", "source": {"agency": "care_home", "org": ORG},
                                  "reported_at": "2009-03-02", "narrative": text},
                          "web form").reports
    like = "Staff have seen <Sam> dropped off by men in cars."
    Store(app.state.ctx.engine, Actor("root", "default", "admin", None)).add_proposals([
        {"report": pk, "type": "indicator", "start": 0, "end": len(text), "text": text,
         "value": "transported_by_unknown_adults", "role": None, "confidence": 0.55,
         "rule": "sign_model.transported_by_unknown_adults",
         "attrs": {"probability": 0.97, "like": like}}])
    page = _signed_in(app, "carer").get(f"/submissions/{ORG}/MFC-3/proposals").text
    assert "read like “Staff have seen &lt;Sam&gt; dropped off by men in cars.”" in page
    assert "rule: sign_model.transported_by_unknown_adults" in page


def test_a_reporter_may_not_replace_a_colleagues_report(app: Any) -> None:
    """A new version replaces a report in everything that counts: were a reporter to send one
    of a colleague's report, the concern would stop counting and, as its submitter, they
    would read what was read in the colleague's narrative. It is quarantined instead."""
    engine, rules = app.state.ctx.engine, RolePolicy()
    carer = Store(engine, Actor("carer", "default", "reporter", ORG), rules)
    colleague = Store(engine, Actor("carer2", "default", "reporter", ORG), rules)
    lead = Store(engine, Actor("lead", "default", "agency_lead", ORG), rules)
    first = {"id": "MFC-2", "source": {"agency": "care_home", "org": ORG},
             "reported_at": "2009-03-03", "narrative": TEXT}
    assert submit_report(carer, first, "web form").accepted == 1
    over = {**first, "narrative": "Nothing of concern."}
    refused = submit_report(colleague, over, "web form")
    assert (refused.accepted, refused.quarantined) == (0, 1)
    assert refused.errors[0].field == "id" and "another account" in refused.errors[0].reason
    assert carer.submission(ORG, "MFC-2")["body"]["narrative"] == TEXT
    with pytest.raises(AccessDenied):
        colleague.proposals(ORG, "MFC-2")
    admin = Store(engine, Actor("root", "default", "admin"), rules)
    assert any(row["action"] == "denied" and row["target"] == f"report/{ORG}/MFC-2"
               and row["actor"] == "carer2" for row in admin.audit_rows())
    # the same through the API: quarantined, the errors say which field
    client = _signed_in(app, "carer2")
    r = client.post("/api/reports", json=over)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id", r.text
    # the submitter, and the agency's lead, may send a new version
    again = {**first, "narrative": TEXT + " Seen again on 4 March."}
    assert submit_report(carer, again, "web form").accepted == 1
    assert submit_report(lead, over, "web form").accepted == 1
    assert lead.submission(ORG, "MFC-2")["body"]["narrative"] == "Nothing of concern."


def test_an_agency_sees_no_victims_names_in_its_own_conflict_reports(app: Any) -> None:
    """The conflict profile withholds victims' personal data from everyone but the panel
    (exports do); an agency's own list of its reports must not show them either, nor the
    narrative that names them."""
    from joinedup.web.submissions import WITHHELD_NARRATIVE, submission
    from tests.conflict_reports import attack

    engine, rules = app.state.ctx.engine, RolePolicy()
    report = attack("CD-1", org=ORG, agency="local_monitor", narrative="Mahmud Hamwi (6) was "
                    "killed with his brother.", people=[
                        {"ref": "v1", "name": "Mahmud Hamwi", "age": 6, "status": "killed"}])
    lead = Store(engine, Actor("lead", "default", "agency_lead", ORG), rules)
    assert submit_report(lead, report, "test").accepted == 1
    shown = submission(lead, ORG, "CD-1")
    assert shown["people"][0]["name"] == "" and shown["people"][0]["age"] is None
    assert shown["narrative"] == WITHHELD_NARRATIVE
    page = _signed_in(app, "lead").get(f"/api/submissions/{ORG}/CD-1")
    assert page.status_code == 200 and "Hamwi" not in page.text
    panel = Store(engine, Actor("chair", "default", "panel"), rules)
    assert submission(panel, ORG, "CD-1")["people"][0]["name"] == "Mahmud Hamwi"
