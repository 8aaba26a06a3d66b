"""One organisation is one witness unless it is a partner channel.

``source.agency`` and ``upstream`` are the report's own word. Before, one organisation outside
the partner channels sent two reports of one attack calling themselves eyewitness accounts and
naming two upstreams: independence counted by upstream, so they were two sources and
``two_eyewitnesses`` graded the attack "confirmed". A first-hand account (an eyewitness, a
victim or their family) from an organisation the profile does not list under ``partners`` is
now its organisation's, whatever upstream it names; a listed witness line still relays
distinct witnesses, and every other kind of report is counted by upstream as before (rule 1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from joinedup.cli.conflict import incidents_json
from joinedup.corroborate.grading import IncidentGrades, belligerent_actions, grade_incident
from joinedup.corroborate.independence import independence_key, independent_sources
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process
from joinedup.profiles import load_profile
from joinedup.resolve.incidents import event_from_report
from joinedup.store import Store
from tests.conflict_contract import contract_problems
from tests.conflict_reports import AL_SHAAR, Report, attack

FIRST_HAND = sorted(load_profile("conflict").own_accounts)  # profile data (own_accounts)
WITNESS_LINE = "nsha-witness-line"  # a partner channel of the shipped profile (the demo's)


def account(rid: str, org: str, upstream: str | None, agency: str = "eyewitness",
            **kw: Any) -> Report:
    """A report of one air strike on a clinic in al-Shaar, as ``org`` sends it."""
    if upstream:
        kw["upstream"] = upstream
    return attack(rid, org=org, agency=agency, at=AL_SHAAR, place="al-Shaar",
                  admin2="Jebel Saman", mechanism="air_strike", targets=["health_facility"],
                  **kw)


def grade(reports: list[Report], **kw: Any) -> IncidentGrades:
    return grade_incident([event_from_report(r) for r in reports], **kw)


def fired(g: IncidentGrades) -> list[str]:
    return [f.rule for f in g.occurrence.fired]


@pytest.mark.parametrize("agency", FIRST_HAND)
def test_one_unlisted_organisation_naming_two_upstreams_is_one_witness(agency: str) -> None:
    # the exploit: valid input (no partner flag), two "first-hand" accounts, two upstreams
    reports = [account("a1", "lone-org", "Witness A", agency),
               account("a2", "lone-org", "Witness B", agency)]
    assert [contract_problems(r) for r in reports] == [[], []]
    g = grade(reports)
    assert [(s.key, s.name, s.reports) for s in g.sources] == [
        ("loneorg", "lone-org", ("lone-org/a1", "lone-org/a2"))]
    assert "two_eyewitnesses" not in fired(g)
    assert g.occurrence.grade == "possible"
    says = g.occurrence.fired[0].detail
    assert "lone-org" in says and "(Witness A, Witness B) are not counted apart" in says


def test_one_unlisted_organisation_is_one_credible_source_for_attribution() -> None:
    # two sources alleging one perpetrator and its own report of action nearby would be "fair"
    alleging = [("Russian warplanes", "alleged_perpetrator")]
    strike = attack("mod-1", org="russian-mod", agency="belligerent", at=AL_SHAAR,
                    actors=[("Russian forces", "claimed_responsibility")])
    g = grade([account(f"a{i}", "lone-org", f"Witness {i}", actors=alleging) for i in (1, 2)],
              actions=belligerent_actions([event_from_report(strike)]))
    assert g.attribution.grade == "weak"
    assert g.attribution.fired[0].detail == (
        "a single independent source names a perpetrator: lone-org; the upstreams lone-org "
        "names for its first-hand accounts (Witness 1, Witness 2) are not counted apart: it is "
        "not a partner channel")


def test_the_alerts_count_the_same_organisation_once() -> None:
    a, b = (event_from_report(account(f"a{i}", "lone-org", f"Witness {i}")) for i in (1, 2))
    assert independence_key(a) == independence_key(b) == "loneorg"


@pytest.mark.parametrize("agency", FIRST_HAND)
def test_a_partner_witness_line_still_relays_two_witnesses(agency: str) -> None:
    assert WITNESS_LINE in load_profile("conflict").partners
    reports = [account("w1", WITNESS_LINE, "Witness A", agency, partner=True),
               account("w2", WITNESS_LINE, "Witness B", agency, partner=True)]
    assert [contract_problems(r) for r in reports] == [[], []]
    g = grade(reports)
    assert [s.name for s in g.sources] == ["Witness A", "Witness B"]
    assert "two_eyewitnesses" in fired(g) and g.occurrence.grade == "confirmed"
    assert all(not f.detail for f in g.occurrence.fired)


def test_the_partnership_list_decides_not_the_report() -> None:
    reports = [account(f"s{i}", "spoof", f"Witness {i}", partner=True) for i in (1, 2)]
    # "partner: true" from an unlisted organisation (stored before ingest refused it)
    assert len(grade(reports, partners=frozenset()).sources) == 1
    assert len(grade(reports, partners=frozenset({"spoof"})).sources) == 2


@pytest.mark.parametrize("agency", FIRST_HAND)
@pytest.mark.parametrize("upstreams", [(None, None), ("Witness A", "Witness B")])
def test_two_unlisted_organisations_are_two_witnesses(
    agency: str, upstreams: tuple[str | None, str | None]
) -> None:
    g = grade([account("a1", "first-org", upstreams[0], agency),
               account("a2", "second-org", upstreams[1], agency)])
    assert [s.name for s in g.sources] == ["first-org", "second-org"]
    assert "two_eyewitnesses" in fired(g) and g.occurrence.grade == "confirmed"


def test_a_media_organisation_quoting_two_upstreams_is_still_two_sources() -> None:
    sources, _ = independent_sources([
        event_from_report(account("m1", "outlet", "al-Shaar local council", "media")),
        event_from_report(account("m2", "outlet", "Aleppo health directorate", "media"))])
    assert [(s.name, s.reports) for s in sources] == [  # in order of origin
        ("Aleppo health directorate", ("outlet/m2",)),
        ("al-Shaar local council", ("outlet/m1",))]
    assert all(not s.unsplit for s in sources)


def test_the_incident_names_the_organisation_and_says_why(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text("".join(json.dumps({**account(f"a{i}", "lone-org", f"Witness {w}"),
                                        "reported_at": f"2016-09-2{i}"}) + "\n"
                            for i, w in ((1, "A"), (2, "B"))), encoding="utf-8")
    assert import_file(store, path).quarantined == 0
    process(store)
    [inc] = incidents_json(store)
    assert inc["certainty"] == "possible"
    assert [s["name"] for s in inc["sources"]] == ["lone-org"]
    says = [r["says"] for r in inc["grading"]["certainty"]]
    assert any("the upstreams lone-org names for its first-hand accounts (Witness A, "
               "Witness B) are not counted apart: it is not a partner channel" in s
               for s in says), says


def test_the_first_hand_kinds_are_the_profiles_data(tmp_path: Path) -> None:
    """Which source types are an organisation's own account is profile data (own_accounts),
    checked against the profile's source types when it is loaded."""
    import shutil

    from joinedup.errors import ProfileError
    from joinedup.profiles import PROFILES_DIR, load_profile_from

    assert FIRST_HAND == ["eyewitness", "victim_or_family"]
    copy = tmp_path / "conflict"
    shutil.copytree(PROFILES_DIR / "conflict", copy)
    text = (copy / "profile.yaml").read_text()
    (copy / "profile.yaml").write_text(
        text.replace("own_accounts: [eyewitness, victim_or_family]",
                     "own_accounts: [eyewitness, bystander]"))
    with pytest.raises(ProfileError, match="own_accounts"):
        load_profile_from(copy)
