"""Review 5: hostile or vague figures do not merge reports, and never add up."""

from __future__ import annotations

from joinedup.corroborate.grading import grade_incident
from joinedup.resolve.incidents import deduplicate, event_from_report, shipped_dedup_profile
from joinedup.resolve.incidents.comparison import compare
from tests.conflict_reports import AL_SHAAR, AL_SHAAR_NEARBY, Report, attack


def _toll(rid: str, killed: int | tuple[int, int] | None, org: str) -> Report:
    return attack(rid, org=org, agency="media", at=AL_SHAAR if rid == "a" else AL_SHAAR_NEARBY,
                  place="al-Shaar", killed=killed)


def test_a_range_that_says_nothing_does_not_merge_two_reports() -> None:
    # a report giving only the day, the place and "0 to 10,000,000 killed" scored 7.0 with any
    # event there that day with ten dead or more (above the merge score, 5.0), as much as an
    # exact matching toll
    known = _toll("a", 12, "A")
    vague = _toll("b", (0, 10_000_000), "B")
    events = [event_from_report(known), event_from_report(vague)]
    verdict = compare(*events, shipped_dedup_profile())
    assert verdict is not None and verdict.score == 4.0  # the day and the point, no more
    assert any("too wide a range" in r for r in verdict.reasons)
    assert len(deduplicate(events).incidents) == 2
    # a toll that does agree still merges, and one far apart still counts against
    agree = [event_from_report(known), event_from_report(_toll("b", 12, "B"))]
    assert len(deduplicate(agree).incidents) == 1
    far = compare(event_from_report(known), event_from_report(_toll("b", (100, 5000), "B")),
                  shipped_dedup_profile())
    assert far is not None and far.score == 2.0 and "far apart" in far.reasons[-1]


def test_overlapping_and_revised_tolls_are_a_range_never_a_sum() -> None:
    reports = [_toll("a", 12, "A"), _toll("b", (15, 20), "B"), _toll("c", 20, "C")]
    g = grade_incident([event_from_report(r) for r in reports])
    assert g.killed is not None
    assert (g.killed.min, g.killed.max) == (12, 20)
    assert g.killed.min_from == ("A/a",) and g.killed.max_from == ("B/b", "C/c")
