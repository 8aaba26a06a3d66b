"""Grading incidents (conflict.md rules 1, 3, 4): independence first, then certainty (WHO SSA),
attribution (Airwars) and casualty ranges, each with the rules that fired."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from joinedup.corroborate.grading import (
    Discount,
    IncidentGrades,
    belligerent_actions,
    grade_incident,
    grade_resolution,
    load_grading,
)
from joinedup.corroborate.independence import independence_key
from joinedup.errors import ProfileError
from joinedup.profiles import PROFILES_DIR, read_data
from joinedup.resolve.incidents import (
    deduplicate,
    event_from_report,
    load_dedup_profile,
    shipped_dedup_profile,
)
from tests.conflict_reports import AL_SHAAR, Report, attack, convoy_reports


def grade(reports: list[Report], **kw: Any) -> IncidentGrades:
    """Grade the reports as one incident (de-duplication is tested on its own)."""
    return grade_incident([event_from_report(r) for r in reports], **kw)


def fired(g: IncidentGrades) -> list[str]:
    return [f.rule for f in g.occurrence.fired]


def media(rid: str, org: str, upstream: str | None = "SOHR", **kw: Any) -> Report:
    return attack(rid, org=org, agency="media", upstream=upstream, **kw)


def eyewitness(rid: str, partner: bool = False, **kw: Any) -> Report:
    return attack(rid, org=f"witness-{rid}", agency="eyewitness", partner=partner, **kw)


def test_the_convoy_is_confirmed_by_the_partner_and_contested_by_the_denial() -> None:
    g = grade(convoy_reports())
    # two outlets quoting the Syrian Observatory are one source
    assert sorted(s.name for s in g.sources) == ["OCHA", "Russian Ministry of Defence", "SARC",
                                                 "SOHR"]
    assert g.occurrence.grade == "confirmed"
    assert fired(g)[0] == "attacked_organisation_is_a_partner"
    assert g.occurrence.sources == ("SARC", "SOHR")  # the partner; the international media
    assert g.attribution.grade == "contested"
    (why,) = g.attribution.fired
    assert why.rule == "denial" and "Government of Russia denies it" in why.detail
    assert why.sources == ("Russian Ministry of Defence", "SOHR")
    assert g.perpetrators == ("government_of_russia", "government_of_syria")


def test_casualties_are_a_range_over_the_reports_never_a_sum() -> None:
    g = grade(convoy_reports())
    assert g.killed is not None
    assert (g.killed.min, g.killed.max) == (12, 21)
    assert g.killed.min_from == ("SARC/sarc-1",)
    assert g.killed.max_from == ("AFP/afp-1", "Reuters/r-1")
    assert g.killed.figures["OCHA/un-1"] == (20, 20)
    assert g.injured is None


def test_two_outlets_quoting_one_monitor_are_one_source_and_only_possible() -> None:
    g = grade([media("r", "Reuters Arabic"), media("a", "Al-Araby")])
    assert [s.name for s in g.sources] == ["SOHR"]
    assert g.occurrence.grade == "possible"


def test_more_of_the_same_kind_of_evidence_does_not_raise_certainty() -> None:
    outlets = [media(f"m{i}", f"Outlet {i}", upstream=None) for i in range(5)]
    g = grade(outlets)
    assert len(g.sources) == 5
    assert g.occurrence.grade == "possible"


def test_two_eyewitnesses_confirm_it() -> None:
    g = grade([eyewitness("w1"), eyewitness("w2")])
    assert g.occurrence.grade == "confirmed"
    assert "two_eyewitnesses" in fired(g)
    assert g.occurrence.sources == ("witness-w1", "witness-w2")


def test_one_eyewitness_is_possible_and_probable_when_told_to_a_partner() -> None:
    assert grade([eyewitness("w1")]).occurrence.grade == "possible"
    told = grade([eyewitness("w1", partner=True)])
    assert told.occurrence.grade == "probable"
    assert fired(told) == ["eyewitness_to_a_partner"]


def test_probable_with_a_photo_is_confirmed() -> None:
    photo = [{"kind": "photo", "sha256": "ab" * 32}]
    g = grade([eyewitness("w1", partner=True, evidence=photo)])
    assert g.occurrence.grade == "confirmed"
    assert fired(g) == ["eyewitness_to_a_partner", "probable_with_evidence"]
    # a photo alone, without a probable account, confirms nothing
    assert grade([eyewitness("w1", evidence=photo)]).occurrence.grade == "possible"


def test_two_second_hand_accounts_given_to_partners_are_probable() -> None:
    relayed = [attack("p1", org="Partner NGO", agency="ngo", partner=True, upstream="a nurse"),
               attack("p2", org="Partner clinic", agency="medical", partner=True,
                      upstream="a driver")]
    g = grade(relayed)
    assert g.occurrence.grade == "probable"
    assert fired(g) == ["two_second_hand_accounts_to_partners"]
    # a partner organisation's own first-hand report is a partner-member eyewitness
    own = grade([attack("p3", org="Partner clinic", agency="medical", partner=True)])
    assert own.occurrence.grade == "confirmed"
    assert fired(own) == ["partner_member_eyewitness"]


def test_a_derived_report_never_counts() -> None:
    first = eyewitness("w1")
    copy = eyewitness("w2", derived_from=["witness-w1/w1"])
    g = grade([first, copy])
    assert g.not_counted == ("witness-w2/w2",)
    assert g.occurrence.grade == "possible"  # one eyewitness, not two


def test_social_media_alone_is_a_rumour() -> None:
    g = grade([attack("s", org="a channel", agency="social_media")])
    assert g.occurrence.grade == "rumour" and g.occurrence.fired == ()


def claim(rid: str, org: str, agency: str, actor: str, role: str = "alleged_perpetrator",
          **kw: Any) -> Report:
    kw = {"at": AL_SHAAR, "place": "al-Shaar", **kw}
    return attack(rid, org=org, agency=agency, actors=[(actor, role)], **kw)


def test_a_belligerent_accepting_responsibility_confirms_the_attribution() -> None:
    g = grade([claim("c", "CJTF-OIR", "belligerent", "US-led coalition",
                     "claimed_responsibility"),
               claim("m", "Airwars", "ngo", "Russian warplanes")])
    assert g.attribution.grade == "confirmed"
    assert g.attribution.fired[0].detail == "claimed by US-led coalition"


def test_claims_of_responsibility_from_a_non_belligerent_do_not_confirm() -> None:
    g = grade([claim("c", "Reuters", "media", "US-led coalition", "claimed_responsibility")])
    assert g.attribution.grade == "weak"


def test_independent_sources_naming_different_perpetrators_are_contested() -> None:
    g = grade([claim("a", "SOHR", "local_monitor", "Russian warplanes"),
               claim("b", "OCHA", "un_agency", "Syrian Arab Army")])
    assert g.attribution.grade == "contested"
    assert g.attribution.fired[0].rule == "competing_claims"
    assert "Government of Russia" in g.attribution.fired[0].detail


@pytest.mark.parametrize(("first", "second"), [
    ("Jabhat Fateh al-Sham", "Jabhat al-Nusra"),   # one actor under two names
    ("Jaish al-Fateh", "Jabhat al-Nusra"),         # a coalition and its member, in 2016
])
def test_names_of_one_actor_or_its_coalition_do_not_compete(first: str, second: str) -> None:
    g = grade([claim("a", "SOHR", "local_monitor", first, day="2016-05-02"),
               claim("b", "OCHA", "un_agency", second, day="2016-05-02")])
    assert g.attribution.grade == "weak"


def test_two_credible_sources_and_the_belligerents_own_strike_nearby_are_fair() -> None:
    incident = [claim("a", "SOHR", "local_monitor", "US warplanes"),  # a coalition member
                claim("b", "Airwars", "ngo", "International Coalition")]
    strike = claim("s", "CJTF-OIR", "belligerent", "Coalition forces", "claimed_responsibility",
                   at=(AL_SHAAR[0] + 0.02, AL_SHAAR[1]), place="a fighting position")
    events = [event_from_report(r) for r in [*incident, strike]]
    actions = belligerent_actions(events)
    assert [a.report for a in actions] == ["CJTF-OIR/s"]
    g = grade_incident(events[:2], actions=actions)
    assert g.attribution.grade == "fair"
    assert "its own report of action nearby: CJTF-OIR/s" in g.attribution.fired[0].detail
    # without the strike report, or with it far away, the same two sources are weak
    assert grade_incident(events[:2]).attribution.grade == "weak"
    far = claim("s", "CJTF-OIR", "belligerent", "Coalition forces", "claimed_responsibility",
                at=(AL_SHAAR[0] + 0.5, AL_SHAAR[1]))
    far_actions = belligerent_actions([event_from_report(far)])
    assert grade_incident(events[:2], actions=far_actions).attribution.grade == "weak"


def test_an_analysts_discount_is_the_grade_whatever_else_holds() -> None:
    reports = [claim("c", "CJTF-OIR", "belligerent", "US-led coalition",
                     "claimed_responsibility")]
    finding = Discount("CJTF-OIR/c", "victims_combatants", "all were fighters, per the list")
    g = grade(reports, discounts=[finding])
    assert g.attribution.grade == "discounted"
    assert g.attribution.fired[0].reports == ("CJTF-OIR/c",)
    # a finding on a report of another incident does not apply
    assert grade(reports, discounts=[Discount("X/1", "victims_combatants")]).attribution.grade \
        == "confirmed"


def test_grading_a_resolution_grades_each_incident_with_strikes_from_all_reports() -> None:
    incident = [claim("a", "SOHR", "local_monitor", "US-led coalition", mechanism="air_strike",
                      killed=4),
                claim("b", "Airwars", "ngo", "International Coalition", mechanism="air_strike",
                      killed=4)]
    strike = claim("s", "CJTF-OIR", "belligerent", "Coalition forces", "claimed_responsibility",
                   at=(AL_SHAAR[0] + 0.02, AL_SHAAR[1]), place="a fighting position",
                   mechanism="air_strike", targets=["military_objective"])
    events = [event_from_report(r) for r in [*incident, strike]]
    res = deduplicate(events)
    graded = grade_resolution(res, events)
    assert set(graded) == {inc.id for inc in res.incidents}
    assert graded[res.incident_of["SOHR/a"]].attribution.grade == "fair"


def test_changing_an_actors_nationality_changes_no_grade(tmp_path: Path) -> None:
    actors = read_data(PROFILES_DIR / "conflict" / "actors.yaml")
    for actor in actors["actors"]:
        actor["attributes"] = {"nationality": "flipped"}
    for name in ("dedup.yaml", "taxonomy.yaml"):
        (tmp_path / name).write_bytes((PROFILES_DIR / "conflict" / name).read_bytes())
    (tmp_path / "actors.yaml").write_text(yaml.safe_dump(actors), encoding="utf-8")
    flipped = load_dedup_profile(tmp_path)
    reports = convoy_reports()
    shipped = shipped_dedup_profile()
    original = grade_incident([event_from_report(r, shipped) for r in reports],
                              actors=shipped.actors)
    changed = grade_incident([event_from_report(r, flipped) for r in reports],
                             actors=flipped.actors)
    assert changed == original


def test_an_unknown_recipe_is_refused_naming_the_rule(tmp_path: Path) -> None:
    data = read_data(PROFILES_DIR / "conflict" / "grading.yaml")
    data["attribution"]["rules"][1]["recipe"] = "TrustTheBelligerent"
    path = tmp_path / "grading.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ProfileError, match=r"rules\[1\] \(belligerent_accepted\): unknown recipe"):
        load_grading(path)


def test_an_unknown_condition_key_is_refused(tmp_path: Path) -> None:
    data = read_data(PROFILES_DIR / "conflict" / "grading.yaml")
    data["occurrence"]["rules"][0]["any_of"][0]["agency"] = ["media"]
    path = tmp_path / "grading.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ProfileError, match=r"unknown condition key\(s\) \['agency'\]"):
        load_grading(path)


def test_the_independence_key_is_the_origin_and_none_for_a_derived_report() -> None:
    quoted = event_from_report(media("r", "Reuters"))
    own = event_from_report(attack("s", org="SOHR", agency="local_monitor"))
    copy = event_from_report(media("c", "Blog", derived_from=["Reuters/r"]))
    assert independence_key(quoted) == independence_key(own) == "sohr"
    assert independence_key(copy) is None


def test_nobody_named_is_unattributed_not_weak() -> None:
    g = grade([attack("un-1", mechanism="air_strike", targets=["humanitarian_convoy"])])
    assert g.attribution.grade == "unattributed"
    one = grade([attack("un-1", actors=[("Russian forces", "alleged_perpetrator")])])
    assert one.attribution.grade == "weak"
