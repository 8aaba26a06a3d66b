"""Incident de-duplication (conflict.md rule 2): which reports are one event, and which not."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from joinedup.errors import InputError, ProfileError
from joinedup.profiles import PROFILES_DIR, read_data
from joinedup.resolve.incidents import (
    Decision,
    Event,
    Resolution,
    deduplicate,
    event_from_report,
    load_dedup_profile,
    shipped_dedup_profile,
)
from joinedup.resolve.incidents.blocking import candidate_pairs
from joinedup.resolve.incidents.comparison import compare
from tests.conflict_reports import (
    AL_SHAAR,
    AL_SHAAR_NEARBY,
    URUM_AL_KUBRA,
    Report,
    attack,
    convoy_reports,
)


def run(reports: Sequence[Report], decisions: Sequence[Decision] = ()) -> Resolution:
    return deduplicate([event_from_report(r) for r in reports], decisions)


def together(res: Resolution, a: str, b: str) -> bool:
    return res.incident_of[a] == res.incident_of[b]


def test_the_convoy_reports_of_five_sources_are_one_incident() -> None:
    res = run(convoy_reports())
    assert len(res.incidents) == 1
    incident = res.incidents[0]
    assert len(incident.members) == 5
    # named after the report that came first: SARC's, on the day
    assert incident.id == "incident:SARC/sarc-1"
    matched = [e for e in incident.edges if e.kind == "match"]
    assert len(matched) == 4 and all(e.score and e.score >= 5.5 and e.reasons for e in matched)


def test_same_place_and_day_but_mechanisms_of_two_kinds_are_two_incidents() -> None:
    res = run([
        attack("a", at=AL_SHAAR, place="al-Shaar", mechanism="air_strike", killed=4),
        attack("b", org="SAMS", agency="medical", at=AL_SHAAR_NEARBY, place="al-Shaar",
               mechanism="abduction", killed=4),
    ])
    assert not together(res, "OCHA/a", "SAMS/b")
    # not even a contender: the rules refuse the pair before any score
    assert res.of("OCHA/a").contenders == ()


def test_mechanisms_of_two_families_of_one_kind_weigh_against_one_event_without_refusing() -> None:
    # an air strike and a shelling are both weapons: one day's fighting is "raids" in one
    # headline and "shelling" in another, so the pair is scored, and the difference counts against
    told_apart = run([
        attack("a", at=AL_SHAAR, place="al-Shaar", mechanism="air_strike"),
        attack("b", org="SAMS", agency="medical", at=AL_SHAAR_NEARBY, place="al-Shaar",
               mechanism="shelling"),
    ])
    assert not together(told_apart, "OCHA/a", "SAMS/b")
    (contender,) = told_apart.of("OCHA/a").contenders
    assert "air_strike and shelling: two families of one kind, weapons" in contender.reasons
    # the same toll as well makes them one
    one = run([
        attack("a", at=AL_SHAAR, place="al-Shaar", mechanism="air_strike", killed=4),
        attack("b", org="SAMS", agency="medical", at=AL_SHAAR_NEARBY, place="al-Shaar",
               mechanism="shelling", killed=4),
    ])
    assert together(one, "OCHA/a", "SAMS/b")


def test_mechanisms_of_one_family_merge_and_say_so() -> None:
    res = run([
        attack("a", at=AL_SHAAR, place="al-Shaar", mechanism="barrel_bomb", killed=4),
        attack("b", org="SAMS", agency="medical", at=AL_SHAAR_NEARBY, place="al-Shaar",
               mechanism="air_strike", killed=(3, 5), targets=["health_facility"]),
    ])
    assert together(res, "OCHA/a", "SAMS/b")
    (edge,) = res.incidents[0].edges
    assert "barrel_bomb and air_strike are both aerial" in edge.reasons


def test_an_unknown_mechanism_does_not_chain_an_air_strike_to_an_abduction() -> None:
    reports = [
        attack("air", at=AL_SHAAR, mechanism="air_strike", killed=4, targets=["market"]),
        attack("taken", org="SAMS", agency="medical", at=AL_SHAAR, mechanism="abduction",
               killed=4, targets=["market"]),
        attack("vague", org="Reuters", agency="media", at=AL_SHAAR_NEARBY, killed=4,
               targets=["market"]),
    ]
    res = run(reports)
    assert not together(res, "OCHA/air", "SAMS/taken")
    # the vague report joins one of them, and the other is a contender, not a member
    vague = res.of("Reuters/vague")
    assert len(vague.members) == 2
    assert any("could not be one event" in c.why for c in vague.contenders)


def test_a_report_that_says_little_does_not_chain_two_events_that_look_unlike() -> None:
    # the vague report scores enough with either strike to join it; the two strikes, with
    # tolls far apart, score 3.5 compared directly: above cohesion_at, but their incident's
    # reports would score 4.25 on average, under cohesion_mean_at
    reports = [
        attack("jet", at=AL_SHAAR, mechanism="air_strike", killed=4, targets=["market"]),
        attack("barrel", org="SAMS", agency="medical", at=AL_SHAAR, mechanism="barrel_bomb",
               killed=12, targets=["market"]),
        attack("vague", org="Reuters", agency="media", at=AL_SHAAR_NEARBY, targets=["market"]),
    ]
    res = run(reports)
    assert not together(res, "OCHA/jet", "SAMS/barrel")
    vague = res.of("Reuters/vague")
    assert len(vague.members) == 2
    assert any("on average" in c.why for c in vague.contenders), vague.contenders


def test_two_reports_of_one_window_of_days_weigh_as_one_day() -> None:
    profile = shipped_dedup_profile()
    week = {"day": "2016-06-03", "occurred_to": "2016-06-05"}
    a = event_from_report(attack("a", at=AL_SHAAR, **week))
    b = event_from_report(attack("b", org="SAMS", agency="medical", at=AL_SHAAR_NEARBY, **week))
    one_day = event_from_report(attack("c", org="AP", agency="media", at=AL_SHAAR_NEARBY,
                                       day="2016-06-04"))
    same = compare(a, b, profile)
    inside = compare(a, one_day, profile)
    assert same is not None and "same dates 2016-06-03..2016-06-05" in same.reasons
    assert inside is not None and "dates overlap" in inside.reasons
    assert same.score - inside.score == 1.0


def test_a_country_level_report_is_never_merged_automatically_but_is_a_contender() -> None:
    country = attack("c", org="Reuters", agency="media", at=None, precision="country",
                     place=None, admin1=None, admin2=None, mechanism="air_strike",
                     targets=["humanitarian_convoy"], killed=20)
    res = run([*convoy_reports()[:2], country])
    assert len(res.of("Reuters/c").members) == 1
    (contender,) = res.of("Reuters/c").contenders
    assert contender.incident == res.incident_of["OCHA/un-1"]
    assert "never merged automatically" in contender.why
    assert "place known only to the country" in " ".join(contender.reasons)


def test_a_split_decision_holds_on_every_later_run() -> None:
    reports = convoy_reports()[:2]
    assert together(run(reports), "OCHA/un-1", "SARC/sarc-1")
    split = [Decision("split", "OCHA/un-1", "SARC/sarc-1", "two convoys")]
    again = run(reports, split)
    assert not together(again, "OCHA/un-1", "SARC/sarc-1")
    # nor are they offered to the analyst again as contenders
    assert again.of("OCHA/un-1").contenders == ()
    # a third report like both joins one of them, never bridging the split
    third = attack("r", org="Reuters", agency="media", mechanism="air_strike",
                   targets=["humanitarian_convoy"], killed=20)
    res = run([*reports, third], split)
    assert not together(res, "OCHA/un-1", "SARC/sarc-1")


def test_a_confirm_decision_merges_what_the_scores_would_not() -> None:
    reports = [attack("a", at=AL_SHAAR, mechanism="air_strike"),
               attack("b", org="SAMS", agency="medical", at=AL_SHAAR_NEARBY,
                      day="2016-09-21", mechanism="air_strike")]
    assert not together(run(reports), "OCHA/a", "SAMS/b")
    res = run(reports, [Decision("confirm", "OCHA/a", "SAMS/b", "same strike, SAMS misdated")])
    assert together(res, "OCHA/a", "SAMS/b")
    (edge,) = res.of("OCHA/a").edges
    assert edge.kind == "confirmed" and "SAMS misdated" in edge.reasons[0]


def test_a_confirm_against_a_split_is_reported_and_the_split_holds() -> None:
    reports = convoy_reports()[:2]
    res = run(reports, [Decision("split", "OCHA/un-1", "SARC/sarc-1"),
                        Decision("confirm", "SARC/sarc-1", "OCHA/un-1")])
    assert not together(res, "OCHA/un-1", "SARC/sarc-1")
    assert len(res.conflicts) == 1 and "split" in res.conflicts[0]


def test_an_anachronistic_jfs_label_merges_with_a_nusra_report() -> None:
    # UCDP labels events of early 2016 "Jabhat Fateh al-Sham", a name adopted on 2016-07-28
    def shelling(rid: str, org: str, group: str) -> Report:
        return attack(rid, org=org, agency="media", day="2016-03-10", at=AL_SHAAR,
                      place="al-Shaar", actors=[(group, "alleged_perpetrator")])

    res = run([shelling("a", "UCDP-like", "Jabhat Fateh al-Sham"),
               shelling("b", "Reuters", "Jabhat al-Nusra")])
    assert together(res, "UCDP-like/a", "Reuters/b")
    (edge,) = res.of("Reuters/b").edges
    assert any("was adopted on 2016-07-28" in r for r in edge.reasons)
    # the same two reports naming an unrelated group: the labels count against one event...
    other = [shelling("a", "UCDP-like", "Jabhat Fateh al-Sham"),
             shelling("b", "Reuters", "Islamic State")]
    assert not together(run(other), "UCDP-like/a", "Reuters/b")
    profile = shipped_dedup_profile()
    verdict = compare(*(event_from_report(r) for r in other), profile)
    assert verdict is not None and verdict.kind == "candidate"  # ...but do not reject the pair
    assert any(r.startswith("no actor in common") for r in verdict.reasons)
    weights = profile.settings.scoring.weights
    assert edge.score is not None
    assert verdict.score == edge.score - weights["same_actors"] + weights["different_actors"]
    # and a strong clue carries it: one hospital hit that day, the attribution contested
    for r in other:
        r["location"]["facility"] = "al-Quds hospital"
        r["harm"] = {"targets": ["health_facility"]}
    assert together(run(other), "UCDP-like/a", "Reuters/b")


def test_two_fights_in_one_town_on_one_day_are_kept_apart_by_their_sides() -> None:
    # UCDP codes the government fighting the insurgents and the government fighting IS in one
    # town on one day as two events; a report naming fewer sides is not another fight
    def clash(rid: str, org: str, *sides: str, day: str = "2016-09-19") -> Report:
        return attack(rid, org=org, agency="media", at=AL_SHAAR, place="al-Shaar", day=day,
                      mechanism="ground_attack", actors=[(s, "alleged_perpetrator") for s in sides])

    rebels = clash("a", "AFP", "Syrian government forces", "rebels")
    islamic_state = clash("b", "Reuters", "Syrian Arab Army", "Islamic State")
    fewer = clash("c", "AP", "regime forces")
    assert not together(run([rebels, islamic_state]), "AFP/a", "Reuters/b")
    assert together(run([rebels, fewer]), "AFP/a", "AP/c")
    profile = shipped_dedup_profile()
    a, b, c = (event_from_report(r) for r in (rebels, islamic_state, fewer))
    ab, ac = compare(a, b, profile), compare(a, c, profile)
    assert ab is not None and any(r.startswith("sides the other does not name")
                                  for r in ab.reasons)
    assert ac is not None and not any(r.startswith("sides") for r in ac.reasons)
    # two groups of the insurgency fighting each other are not the government fighting it
    infighting = event_from_report(clash("d", "SOHR", "Jaysh al-Islam", "Rahman Corps"))
    ad = compare(a, infighting, profile)
    assert ad is not None and any(r.startswith("sides the other does not name")
                                  for r in ad.reasons)
    # nor is a coalition named for its members (in the Syrian National Army from its founding
    # at the end of 2017)
    members = event_from_report(clash("e", "SOHR", "Hamza Division", "Liwa al-Sultan Murad",
                                      "SDF", day="2018-02-23"))
    coalition = event_from_report(clash("f", "AFP", "Syrian National Army", "SDF",
                                        day="2018-02-23"))
    ef = compare(members, coalition, profile)
    assert ef is not None and not any(r.startswith("sides") for r in ef.reasons)


def test_two_belligerents_each_denying_one_strike_are_not_two_fights() -> None:
    def denial(rid: str, org: str, actor: str) -> Report:
        return attack(rid, org=org, agency="belligerent", at=None, precision="governorate",
                      targets=["humanitarian_convoy"], actors=[(actor, "denied")])

    russia, syria = denial("r", "russian-mod", "Russian forces"), denial(
        "s", "syrian-army-command", "Syrian Arab Army")
    profile = shipped_dedup_profile()
    verdict = compare(event_from_report(russia), event_from_report(syria), profile)
    assert verdict is not None and not any("in common" in r for r in verdict.reasons)
    # the same two named as alleged perpetrators do count against one event
    for r in (russia, syria):
        r["actors"][0]["role"] = "alleged_perpetrator"
    alleged = compare(event_from_report(russia), event_from_report(syria), profile)
    assert alleged is not None and any(r.startswith("no actor in common")
                                       for r in alleged.reasons)
    assert alleged.score == verdict.score + profile.settings.scoring.weights["different_actors"]


def test_a_toll_both_give_carries_a_report_a_day_out() -> None:
    # one source dates the strike a day late; the same sides, mechanism and toll make it one,
    # and without the toll it is left for review
    def strike(rid: str, org: str, day: str, killed: int | None) -> Report:
        return attack(rid, org=org, agency="media", day=day, at=AL_SHAAR, place="al-Shaar",
                      mechanism="air_strike", killed=killed,
                      actors=[("Syrian government forces", "alleged_perpetrator")])

    same = run([strike("a", "AFP", "2016-09-19", 7), strike("b", "AP", "2016-09-20", 7)])
    assert together(same, "AFP/a", "AP/b")
    unsaid = run([strike("a", "AFP", "2016-09-19", 7), strike("b", "AP", "2016-09-20", None)])
    assert not together(unsaid, "AFP/a", "AP/b")
    assert [c.incident for c in unsaid.of("AP/b").contenders] == [unsaid.incident_of["AFP/a"]]
    # a toll far apart counts against it
    apart = run([strike("a", "AFP", "2016-09-19", 7), strike("b", "AP", "2016-09-19", 40)])
    assert not together(apart, "AFP/a", "AP/b")


def test_a_large_toll_both_give_says_more_than_a_small_one() -> None:
    # two towns' reports 12 km apart (within reach, no names to compare) on one day: agreeing
    # on 23 dead makes them one event, agreeing on 3 does not (half of all events kill three
    # or more)
    def report(rid: str, org: str, north: float, killed: int) -> Report:
        return attack(rid, org=org, agency="media", at=(AL_SHAAR[0] + north, AL_SHAAR[1]),
                      precision="within_25km", place=None, killed=killed)

    large = run([report("a", "AFP", 0.0, 23), report("b", "AP", 0.11, 23)])
    assert together(large, "AFP/a", "AP/b")
    (edge,) = large.incidents[0].edges
    assert "killed 23-23 and 23-23 overlap, at 10 or more" in edge.reasons
    assert not together(run([report("a", "AFP", 0.0, 3), report("b", "AP", 0.11, 3)]),
                        "AFP/a", "AP/b")


def test_another_town_within_reach_counts_against_one_event() -> None:
    near = (URUM_AL_KUBRA[0] + 0.1, URUM_AL_KUBRA[1])  # 11 km north, "within 25 km" of it
    a = event_from_report(attack("a", precision="within_25km", killed=5, mechanism="shelling"))
    b = event_from_report(attack("b", org="SARC", at=near, precision="within_25km", killed=5,
                                 mechanism="shelling", place="Khan al-Asal"))
    c = event_from_report(attack("c", org="AFP", at=near, precision="within_25km", killed=5,
                                 mechanism="shelling", place="Orem al-Kobra town"))
    profile = shipped_dedup_profile()
    other_town, same_town = compare(a, b, profile), compare(a, c, profile)
    assert other_town is not None and same_town is not None
    w = profile.settings.scoring.weights
    assert same_town.score - other_town.score == w["same_place_name"] - w[
        "different_place_names"]
    assert w["within_radius"] + w["same_place_name"] == w["same_point"]  # one town, either way
    assert w["within_radius"] + w["different_place_names"] < 0  # another town: against


def test_facility_names_must_agree_when_both_give_one() -> None:
    def hospital(rid: str, org: str, name: str) -> Report:
        return attack(rid, org=org, agency="medical", at=AL_SHAAR, place="al-Shaar",
                      day="2016-04-27", mechanism="air_strike", targets=["health_facility"],
                      facility=name)

    res = run([hospital("a", "MSF", "Al-Quds hospital"),
               hospital("b", "SAMS", "al Quds Hospital (MSF-supported)"),
               hospital("c", "Syria Civil Defence", "Al-Sakhour hospital")])
    assert together(res, "MSF/a", "SAMS/b")
    assert not together(res, "MSF/a", "Syria Civil Defence/c")
    edge = next(e for e in res.of("MSF/a").edges if e.kind == "match")
    assert any(r.startswith("facility 'quds'") for r in edge.reasons)


def test_one_dataset_record_matches_at_most_one_record_of_another_dataset() -> None:
    def record(rid: str, org: str, killed: int) -> Report:
        return attack(rid, org=org, agency="dataset", at=AL_SHAAR, place="al-Shaar",
                      mechanism="air_strike", killed=killed,
                      actors=[("Government of Syria", "alleged_perpetrator")])

    res = run([record("u1", "UCDP", 5), record("u2", "UCDP", 6), record("a1", "ACLED", 5)])
    assert not together(res, "UCDP/u1", "UCDP/u2")
    assert together(res, "UCDP/u1", "ACLED/a1")  # the better match: the same toll
    runner_up = res.of("UCDP/u2").contenders
    assert runner_up and "one-to-one" in runner_up[0].why


def bulletin_item(rid: str, document: str, org: str = "SOHR") -> Report:
    """One attack of a monitor's daily bulletin, as an importer splits it out."""
    report = attack(rid, org=org, agency="local_monitor", at=AL_SHAAR, place="al-Shaar",
                    mechanism="air_strike", killed=4,
                    actors=[("Government of Syria", "alleged_perpetrator")])
    report["source"]["document"] = document
    return report


def test_two_reports_a_source_told_apart_in_one_document_are_two_incidents() -> None:
    # alike in every field the rules compare: only the bulletin listing them both tells them
    # apart, as two mentions in one report are two people
    daily = "SOHR, 2016-09-19, Raids on al-Shaar and shells on Bustan al-Qasr"
    a, b = bulletin_item("s1", daily), bulletin_item("s2", daily)
    assert together(run([{**a, "source": {**a["source"], "document": "another"}}, b]),
                    "SOHR/s1", "SOHR/s2")  # the same reports from two documents: one attack
    res = run([a, b])
    assert not together(res, "SOHR/s1", "SOHR/s2")
    (contender,) = res.of("SOHR/s1").contenders  # refused, and kept for review
    assert contender.incident == res.incident_of["SOHR/s2"]
    assert contender.why.startswith("merge refused: one document") and daily in contender.why
    # another outlet's report of the attack joins one of them, never both
    other = bulletin_item("r1", "Reuters, 2016-09-20, Strike on Aleppo", org="Reuters")
    res = run([a, b, other])
    assert not together(res, "SOHR/s1", "SOHR/s2")
    assert together(res, "Reuters/r1", "SOHR/s1") or together(res, "Reuters/r1", "SOHR/s2")


def test_one_document_is_the_same_org_and_document_and_an_analyst_confirm_overrides_it() -> None:
    daily = "SOHR, 2016-09-19, Raids on al-Shaar"
    a, b = bulletin_item("s1", daily), bulletin_item("x1", daily, org="Orient News")
    assert together(run([a, b]), "SOHR/s1", "Orient News/x1")  # two outlets' one headline
    c = bulletin_item("s2", daily)
    res = run([a, c], [Decision("confirm", "SOHR/s1", "SOHR/s2", "one strike listed twice")])
    assert together(res, "SOHR/s1", "SOHR/s2")
    assert {e.kind for e in res.of("SOHR/s1").edges} == {"confirmed"}
    # the confirmed incident still refuses a third report of the same bulletin
    d = bulletin_item("s3", daily)
    res = run([a, c, d], [Decision("confirm", "SOHR/s1", "SOHR/s2")])
    assert not together(res, "SOHR/s1", "SOHR/s3")


def test_an_outlets_update_of_its_own_report_merges_with_it() -> None:
    first = attack("s1", org="SOHR", agency="local_monitor", mechanism="air_strike",
                   targets=["humanitarian_convoy"], killed=12, reported_at="2016-09-19")
    update = attack("s2", org="SOHR", agency="local_monitor", mechanism="air_strike",
                    targets=["humanitarian_convoy"], killed=20, reported_at="2016-09-20")
    assert together(run([first, update]), "SOHR/s1", "SOHR/s2")


def test_a_derived_report_joins_its_source_whatever_it_says() -> None:
    original = convoy_reports()[0]
    repeat = attack("blog-1", org="Blog", agency="social_media", at=None, precision=None,
                    place=None, admin1=None, admin2=None, day=None, reported_at="2016-10-30",
                    derived_from=["OCHA/un-1"])
    res = run([original, repeat])
    assert together(res, "OCHA/un-1", "Blog/blog-1")
    assert res.of("Blog/blog-1").edges[0].kind == "derived"


def test_reports_of_one_upstream_record_are_one_incident() -> None:
    a = attack("1", org="UCDP feed", agency="dataset", extra={"ucdp_id": 301214})
    b = attack("2", org="Mirror", agency="dataset", at=None, precision="country", place=None,
               extra={"ucdp_id": 301214})
    res = run([a, b])
    assert together(res, "UCDP feed/1", "Mirror/2")
    assert res.of("Mirror/2").edges[0].reasons == ("both carry ucdp_id 301214",)


def test_a_strike_during_a_siege_is_linked_to_it_not_merged() -> None:
    siege = attack("siege", org="SAMS", agency="medical", occurred_to="2016-09-30",
                   day="2016-09-01", mechanism="siege_denial", targets=["health_supplies"],
                   at=None, precision="district")
    strike = attack("strike", targets=["health_supplies"])
    res = run([siege, strike])
    assert not together(res, "SAMS/siege", "OCHA/strike")
    (link,) = res.of("OCHA/strike").episodes
    assert link.incident == res.incident_of["SAMS/siege"]
    assert any("spans 30 days" in r for r in link.reasons)


def test_a_date_known_only_to_the_month_is_linked_to_a_day_in_it() -> None:
    month = attack("m", org="HRW", agency="ngo", day="2016-09", mechanism="air_strike",
                   targets=["humanitarian_convoy"])
    res = run([month, convoy_reports()[0]])
    assert not together(res, "HRW/m", "OCHA/un-1")
    assert res.of("HRW/m").episodes


def test_a_report_without_a_date_happened_in_the_days_before_it_was_reported() -> None:
    event = event_from_report(attack("x", day=None, reported_at="2016-09-20"))
    assert str(event.first_day) == "2016-09-17" and event.days == 4 and not event.dated
    res = run([attack("x", day=None, reported_at="2016-09-20", mechanism="air_strike",
                      targets=["humanitarian_convoy"], killed=20),
               convoy_reports()[0]])
    assert together(res, "OCHA/x", "OCHA/un-1")


def test_places_further_apart_than_their_two_radii_are_two_incidents() -> None:
    far = (URUM_AL_KUBRA[0] + 0.06, URUM_AL_KUBRA[1])  # 6.7 km north: beyond 3 + 3 km
    reports = [attack("a", mechanism="air_strike", killed=20),
               attack("b", org="SARC", at=far, mechanism="air_strike", killed=20)]
    assert not together(run(reports), "OCHA/a", "SARC/b")
    # within 25 km at that precision, and named alike: one
    reports[1]["location"]["precision"] = "within_25km"
    assert together(run(reports), "OCHA/a", "SARC/b")


def test_two_exact_points_each_off_the_other_way_are_one_place() -> None:
    # each source geocoded the strike 2 km from where it was, on either side: 4 km apart is
    # beyond one exact radius (3 km) but within the two (6 km)
    south, north = ((URUM_AL_KUBRA[0] - d, URUM_AL_KUBRA[1]) for d in (0.018, -0.018))
    reports = [attack("a", at=south, mechanism="air_strike", killed=20),
               attack("b", org="SARC", at=north, mechanism="air_strike", killed=20)]
    assert together(run(reports), "OCHA/a", "SARC/b")
    (edge,) = run(reports).incidents[0].edges
    assert "4.0 km apart (within 6 km)" in edge.reasons


def test_a_district_spelled_another_way_is_the_same_district() -> None:
    def district(rid: str, org: str, admin2: str, killed: int) -> Report:
        return attack(rid, org=org, at=None, precision="district", admin2=admin2,
                      mechanism="air_strike", targets=["humanitarian_convoy"], killed=killed)

    res = run([convoy_reports()[0], district("d", "SARC", "Atareb", 20),
               district("e", "MSF", "Jebel Saman", 20)])
    assert together(res, "OCHA/un-1", "SARC/d")  # Atarib / Atareb
    assert not together(res, "OCHA/un-1", "MSF/e")  # another district
    places = shipped_dedup_profile().settings.places
    assert places.admin_key("As Suwayda Governnorate") == places.admin_key("as-Suwayda")
    assert places.admin_key("Mintakat Azaz") == places.admin_key("Mintaqat Azaz district")
    assert places.admin_key("Hallab") == places.admin_key("Aleppo Governorate")
    assert places.admin_key("el-Bab") == places.admin_key("Al Bab") == places.admin_key("Bab")


def test_an_area_report_is_compared_by_its_district() -> None:
    district = attack("d", org="SARC", at=None, precision="district", mechanism="air_strike",
                      targets=["humanitarian_convoy"], killed=(18, 21))
    other_district = {**district, "id": "e", "location": {**district["location"],
                                                          "admin2": "Jabal Saman"}}
    res = run([convoy_reports()[0], district, other_district])
    assert together(res, "OCHA/un-1", "SARC/d")
    assert not together(res, "OCHA/un-1", "SARC/e")


def test_two_events_with_one_key_are_refused() -> None:
    event = event_from_report(convoy_reports()[0])
    with pytest.raises(InputError, match="share the key 'OCHA/un-1'"):
        deduplicate([event, event])


def test_the_result_does_not_depend_on_the_order_of_the_reports() -> None:
    reports = [*convoy_reports(),
               attack("a", at=AL_SHAAR, place="al-Shaar", mechanism="air_strike", killed=4),
               attack("b", org="SAMS", agency="medical", at=AL_SHAAR_NEARBY, place="al-Shaar",
                      mechanism="barrel_bomb", killed=4),
               attack("c", org="SAMS", agency="medical", at=AL_SHAAR, place="al-Shaar",
                      mechanism="shelling", killed=4)]
    first = run(reports)
    shuffled = reports[:]
    random.Random(3).shuffle(shuffled)
    again = run(shuffled)
    assert sorted(first.incidents, key=lambda i: i.id) == sorted(again.incidents,
                                                                 key=lambda i: i.id)


def test_changing_an_actors_protected_attributes_changes_nothing(tmp_path: Path) -> None:
    # counterfactual: the actors' nationality (and any other attribute) is stored, never read
    actors = read_data(PROFILES_DIR / "conflict" / "actors.yaml")
    for actor in actors["actors"]:
        actor["attributes"] = {"nationality": "flipped", "religion": "flipped"}
    for name in ("dedup.yaml", "taxonomy.yaml"):
        (tmp_path / name).write_bytes((PROFILES_DIR / "conflict" / name).read_bytes())
    (tmp_path / "actors.yaml").write_text(yaml.safe_dump(actors), encoding="utf-8")
    flipped = load_dedup_profile(tmp_path)
    assert flipped.actors.actor("government_of_russia").attributes["nationality"] == "flipped"
    reports = [*convoy_reports(), attack("j", at=AL_SHAAR, day="2016-03-10",
                                         actors=[("Jabhat Fateh al-Sham", None)], killed=3)]
    shipped = shipped_dedup_profile()
    original = deduplicate([event_from_report(r, shipped) for r in reports], profile=shipped)
    changed = deduplicate([event_from_report(r, flipped) for r in reports], profile=flipped)
    assert original == changed


@pytest.mark.parametrize("seed", range(6))
def test_blocking_never_misses_a_pair_the_rules_accept(seed: int) -> None:
    rnd = random.Random(seed)
    events = [_random_event(rnd, i) for i in range(160)]
    profile = shipped_dedup_profile()
    settings = profile.settings
    blocked = set(candidate_pairs(events, settings.places, settings.dates.slack_days))
    accepted = {(i, j) for i in range(len(events)) for j in range(i + 1, len(events))
                if compare(events[i], events[j], profile) is not None}
    assert accepted, "the random events should give some candidates"
    assert accepted <= blocked
    assert len(blocked) < len(events) * (len(events) - 1) / 2 / 3  # and it does block


def _random_event(rnd: random.Random, i: int) -> Event:
    """A report somewhere within ~60 km of Aleppo in September 2016, at a random precision."""
    precision = rnd.choice(["exact", "neighbourhood", "within_25km", "district", "governorate",
                            "country", None])
    point = (AL_SHAAR[0] + rnd.uniform(-0.5, 0.5), AL_SHAAR[1] + rnd.uniform(-0.5, 0.5))
    start = rnd.randint(1, 28)
    kw: dict[str, Any] = {
        "day": f"2016-09-{start:02d}" if rnd.random() < 0.9 else None,
        "reported_at": "2016-09-30",
        "at": point if rnd.random() < 0.8 else None,
        "precision": precision,
        "place": rnd.choice([None, "al-Shaar", "Bustan al-Qasr", "Urum al-Kubra"]),
        "admin1": rnd.choice([None, "Aleppo", "Idlib"]),
        "admin2": rnd.choice([None, "Jabal Saman", "Atarib"]),
        "mechanism": rnd.choice([None, "air_strike", "shelling", "barrel_bomb"]),
    }
    if rnd.random() < 0.1:
        kw["occurred_to"] = f"2016-09-{min(30, start + rnd.randint(1, 10)):02d}"
    return event_from_report(attack(f"r{i}", **kw))


def test_a_broken_weight_is_refused_naming_the_file_and_key(tmp_path: Path) -> None:
    for name in ("taxonomy.yaml", "actors.yaml"):
        (tmp_path / name).write_bytes((PROFILES_DIR / "conflict" / name).read_bytes())
    data = read_data(PROFILES_DIR / "conflict" / "dedup.yaml")
    data["scoring"]["weights"]["same_dai"] = data["scoring"]["weights"].pop("same_day")
    (tmp_path / "dedup.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ProfileError, match=r"dedup.yaml: scoring.weights: missing \['same_day'\]"
                                           r", unknown \['same_dai'\]"):
        load_dedup_profile(tmp_path)


def test_a_term_in_two_families_is_refused(tmp_path: Path) -> None:
    data = read_data(PROFILES_DIR / "conflict" / "taxonomy.yaml")
    data["mechanisms"]["families"]["indirect_fire"]["members"].append("air_strike")
    for name in ("dedup.yaml", "actors.yaml"):
        (tmp_path / name).write_bytes((PROFILES_DIR / "conflict" / name).read_bytes())
    (tmp_path / "taxonomy.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ProfileError, match="indirect_fire: 'air_strike' is already in 'aerial'"):
        load_dedup_profile(tmp_path)


PROFILE_YAML = PROFILES_DIR / "conflict" / "profile.yaml"


def test_every_mechanism_and_target_of_the_profile_has_a_family_or_is_a_wildcard() -> None:
    vocabularies = read_data(PROFILE_YAML)["vocabularies"]
    taxonomy = shipped_dedup_profile().taxonomy
    assert set(vocabularies["harm_mechanisms"]) == taxonomy.mechanisms.terms
    assert set(vocabularies["targets"]) == taxonomy.targets.terms


def test_a_place_exact_without_coordinates_is_read_at_the_precision_its_data_support() -> None:
    event = event_from_report(attack("x", at=None, precision="exact"))
    assert event.precision == "district"  # it names its district
    bare = event_from_report(attack("y", at=None, precision="exact", admin2=None))
    assert bare.precision == "governorate"
    nothing = event_from_report(attack("z", at=None, precision=None, admin1=None, admin2=None))
    assert nothing.precision == "country"
    # coordinates without a stated precision are a town's centroid, not a point
    assert event_from_report(attack("w", precision=None)).precision == "within_25km"


def test_place_and_facility_names_are_compared_through_transliteration_and_synonyms() -> None:
    a = attack("a", place="Urum al-Kubra, western Aleppo countryside", at=None,
               precision="district", admin2="Jebel Saman", facility="SARC warehouse",
               mechanism="air_strike", targets=["humanitarian_convoy"])
    b = attack("b", org="Gazette", agency="media", place="Orem al-Kobra, west of Aleppo",
               at=None, precision="district", admin2="Jebel Saman",
               facility="Syrian Arab Red Crescent depot", mechanism="air_strike",
               targets=["humanitarian_convoy"])
    verdict = compare(event_from_report(a), event_from_report(b), shipped_dedup_profile())
    assert verdict is not None and verdict.kind == "candidate"
    assert any("places named alike" in r for r in verdict.reasons), verdict.reasons
    assert any(r.startswith("facility 'sarc") for r in verdict.reasons), verdict.reasons
    # a kind of hospital is not a name: "the children's hospital" may be "al-Zuhoor hospital"
    kinds = attack("k", facility="children's hospital", targets=["health_facility"])
    named = attack("n", org="Monitor", facility="Al-Zuhoor hospital",
                   targets=["health_facility"])
    assert compare(event_from_report(kinds), event_from_report(named),
                   shipped_dedup_profile()) is not None
    # two named hospitals are two hospitals
    other = attack("o", org="Monitor", facility="Al-Quds hospital", targets=["health_facility"])
    assert compare(event_from_report(named), event_from_report(other),
                   shipped_dedup_profile()) is None


def test_an_exonym_or_the_reports_own_district_is_not_another_place() -> None:
    # "Halab" and "Hallab" are Aleppo; a district report named after its district, spelled
    # otherwise than its admin2, names no place to compare with a town
    def at_aleppo(rid: str, org: str, place: str, north: float) -> Event:
        at = (AL_SHAAR[0] + north, AL_SHAAR[1])  # not at one point: names are compared
        return event_from_report(attack(rid, org=org, at=at, place=place, admin1="Idlib",
                                        admin2="Atarib", precision="within_25km"))

    profile = shipped_dedup_profile()
    for place in ("Halab", "Hallab town", "Alepo"):
        verdict = compare(at_aleppo("a", "AFP", "Aleppo city", 0.0),
                          at_aleppo("b", "AP", place, 0.05), profile)
        assert verdict is not None
        assert any(r.startswith("places named alike") for r in verdict.reasons), place
    district = event_from_report(attack("d", at=None, precision="district",
                                        place="Jabbal Saman district", admin2="Jabal Saman"))
    assert district.place is None
    town = event_from_report(attack("t", org="AFP", at=None, precision="district",
                                    place="Khan Tuman town", admin2="Jabal Saman"))
    verdict = compare(district, town, profile)
    assert verdict is not None and not any("named" in r for r in verdict.reasons)


def test_a_town_named_after_its_district_keeps_its_name() -> None:
    # Manbij is a town and its district; "Manbij town" names the town, "west of Manbij" no place
    def in_manbij(rid: str, org: str, place: str) -> Event:
        return event_from_report(attack(rid, org=org, place=place, admin1="Aleppo",
                                        admin2="Manbij", precision="within_25km"))

    assert in_manbij("a", "AFP", "Manbij town").place == "manbij"
    assert in_manbij("b", "AP", "al-Manbij").place == "manbij"
    assert in_manbij("c", "AP", "west of Manbij").place is None
    assert in_manbij("d", "AP", "Manbij district").place is None


def test_a_coarse_report_of_a_rarely_hit_target_joins_the_attack_that_day() -> None:
    precise = attack("sarc-1", org="SARC", agency="affected_organisation",
                     mechanism="air_strike", targets=["humanitarian_convoy"])
    denial = attack("mod-1", org="MoD", agency="belligerent", at=None, place="Aleppo province",
                    precision="governorate", admin2=None, targets=["humanitarian_convoy"],
                    actors=[("Russian forces", "denied")])
    market = attack("m-1", org="MoD", agency="belligerent", at=None, place="Aleppo province",
                    precision="governorate", admin2=None, targets=["market"])
    profile = shipped_dedup_profile()
    joined = compare(event_from_report(precise), event_from_report(denial), profile)
    assert joined is not None and joined.score >= profile.settings.scoring.merge_at
    assert any("rarely hit target" in r for r in joined.reasons)
    apart = compare(event_from_report(precise), event_from_report(market), profile)
    assert apart is None or apart.score < profile.settings.scoring.merge_at


def test_a_mechanism_family_of_two_kinds_is_refused(tmp_path: Path) -> None:
    data = read_data(PROFILES_DIR / "conflict" / "taxonomy.yaml")
    data["mechanisms"]["kinds"]["violence"] = ["aerial"]
    for name in ("dedup.yaml", "actors.yaml"):
        (tmp_path / name).write_bytes((PROFILES_DIR / "conflict" / name).read_bytes())
    (tmp_path / "taxonomy.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ProfileError, match="'aerial' is already of kind"):
        load_dedup_profile(tmp_path)
