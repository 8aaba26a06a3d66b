"""Under ``unconfirmed_proposals: weak``, a corrected value the contract refuses leaves out its
own proposal, not the whole report: one bad correction used to make everything the report
counted for disappear without a word."""

from __future__ import annotations

from joinedup.extract import unconfirmed
from joinedup.pipeline import process
from joinedup.profiles import Profile
from joinedup.store import Store
from joinedup.web.review import review
from tests.pipeline.test_unconfirmed import CARE_HOME, POLICE, _linked, _note, _submit


def test_a_refused_correction_leaves_out_only_its_own_proposal(
    store: Store, weak: Profile
) -> None:
    _submit(store, POLICE)
    _submit(store, _note())
    assert _linked(store) is not None
    vodka = next(p for p in store.proposals(CARE_HOME, "MFC-1")
                 if p["text"] == "gave her vodka")
    review(store, CARE_HOME, "MFC-1", vodka["pk"], "edited", "gave_her_vodka")  # no link type
    process(store)
    alert = _linked(store)
    assert alert is not None, "the rest of the note still ties Tariq Khan to a second child"
    assert alert["unconfirmed"] == ["MFC-1"]
    (candidate,) = store.unconfirmed_candidates("safeguarding")
    fields = unconfirmed.counted_fields(candidate["body"], candidate["proposals"], weak)
    assert fields is not None
    assert [link["type"] for link in fields["links"]] == ["transported"]
    assert vodka["pk"] not in fields["extra"]["joinedup_read_from_narrative"]
    assert {p.get("name") for p in fields["people"]} >= {"Amy Burns", "Tariq Khan"}
