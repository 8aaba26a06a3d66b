"""An organisation's home town, which a person it names without an address is taken to be of
(the person model's ``locality``): a school or a council reports from its own town, a
regional force or a line families call from anywhere does not."""

from __future__ import annotations

from collections import Counter

from joinedup.resolve.resolver import home_towns, with_locality


def test_a_home_town_is_where_half_the_located_reports_are_and_more_than_elsewhere() -> None:
    homes = home_towns({
        "school": Counter({"heywood": 2, "rochdale": 1}),
        "council": Counter({"keighley": 9, "bradford": 7, "shipley": 2}),
        "force": Counter({"oldham": 13, "middleton": 12, "manchester": 9}),
        "family line": Counter({"heywood": 1, "salford": 1}),
        "two towns' council": Counter({"keighley": 4, "shipley": 4}),
    })
    assert homes == {"school": {"heywood"}, "council": {"keighley"}, "force": set(),
                     "family line": set(), "two towns' council": set()}


def test_a_child_a_family_line_names_is_of_no_town_when_its_reports_name_two() -> None:
    """Before, a line with one located report in Heywood and one in Salford had both as home
    towns, and a girl its caller named with her full name and age was "of different towns"
    from herself in Todmorden's police reports (-3.2 bits): she stayed two people and her
    cross-agency alert was missed (narratives bench seed 333)."""
    line = {"report": 3, "features": {"towns": []}}
    homes = home_towns({"family line": Counter({"heywood": 1, "salford": 1})})
    (person,) = with_locality([line], {3: "family line"}, homes)
    assert person["features"]["locality"] == []
