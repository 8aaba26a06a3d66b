"""Follow-up of the conflict review: an organisation is one origin with its own spellings, as an
upstream is. Before, ``source.org`` was compared as written, so the Observatory's own report
(org "syrian-observatory-for-human-rights") and an outlet quoting it (upstream "SOHR") counted
as two independent sources. The organisation is now read through the same outlets table as an
upstream, which can only join origins: two reports that were one origin stay one."""

from __future__ import annotations

from itertools import combinations

import pytest

from joinedup.corroborate.grading import belligerent_actions, grade_incident
from joinedup.corroborate.independence import independence_key, independent_sources
from joinedup.resolve.incidents import event_from_report
from joinedup.resolve.incidents.events import origin_key
from tests.conflict_reports import AL_SHAAR, Report, attack

ORGS = ["syrian-observatory-for-human-rights", "SOHR", "sohr", "syriahr.com",
        "The Syrian Observatory for Human Rights", "Syrian Observatory"]
ALLEGING = [("Russian warplanes", "alleged_perpetrator")]


def own(rid: str, org: str, **kw: object) -> Report:
    """The Observatory's own report, under one of its names as ``source.org``."""
    return attack(rid, org=org, agency="local_monitor", at=AL_SHAAR, place="al-Shaar", **kw)


def quoting(rid: str, **kw: object) -> Report:
    return attack(rid, org=f"outlet-{rid}", agency="media", upstream="SOHR", at=AL_SHAAR,
                  place="al-Shaar", **kw)


@pytest.mark.parametrize("org", ORGS)
def test_the_observatory_and_an_outlet_quoting_it_are_one_source(org: str) -> None:
    sources, _ = independent_sources([event_from_report(own("o1", org)),
                                      event_from_report(quoting("q1"))])
    assert len(sources) == 1, [s.key for s in sources]
    assert sources[0].key == "sohr"


def test_one_source_alleging_is_weak_not_fair() -> None:
    strike = attack("mod-1", org="russian-mod", agency="belligerent", at=AL_SHAAR,
                    actors=[("Russian forces", "claimed_responsibility")])
    g = grade_incident(
        [event_from_report(own("o1", "syrian-observatory-for-human-rights", actors=ALLEGING)),
         event_from_report(quoting("q1", actors=ALLEGING))],
        actions=belligerent_actions([event_from_report(strike)]))
    assert len(g.sources) == 1
    assert g.attribution.grade == "weak"


def test_mapping_only_joins_origins_never_splits_them() -> None:
    """Any two reports one origin before (same folded organisation or upstream) are one after;
    organisations the table does not list keep their own origin."""
    names = [*ORGS, "outlet-a", "Outlet A", "OUTLET-A", "local-committee", "Local Committee",
             "Airwars", "airwars.com", "OCHA", "un", "United Nations"]
    events = [event_from_report(attack(f"r{i}", org=n.replace("/", "-"), agency="media"))
              for i, n in enumerate(names)]
    for a, b in combinations(events, 2):
        if origin_key(a.org) == origin_key(b.org):  # one origin as the organisation was read
            assert independence_key(a) == independence_key(b), (a.org, b.org)
    assert independence_key(events[names.index("local-committee")]) == "localcommittee"
    assert independence_key(events[names.index("outlet-a")]) == "outleta"
