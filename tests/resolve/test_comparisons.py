"""Person comparisons: which level a pair hits, and what the shipped model makes of it."""

from __future__ import annotations

from typing import Any

from joinedup.profiles import load_profile
from joinedup.resolve.comparisons import PERSON_COMPARISONS, comparison_vector
from joinedup.resolve.parallel import SHIFT
from joinedup.resolve.resolver import BLOCK_CAP, Blocking, own_keys, person_keys
from joinedup.resolve.scoring import PersonModel, TermFrequencies

Features = dict[str, Any]


def level(name: str, a: Features, b: Features) -> str | None:
    comps = {c.name: (i, c) for i, c in enumerate(PERSON_COMPARISONS)}
    i, comp = comps[name]
    picked = comparison_vector(a, b)[i]
    return None if picked is None else comp.levels[picked]


def person(first: str, surname: str | None = None, **kw: Any) -> Features:
    return {"first": first, "first_key": first, "first_alts": [first], "surname_key": surname,
            "group": "adult", **kw}


def model() -> PersonModel:
    return PersonModel.load(load_profile("safeguarding").directory / "person_model.json")


def test_a_name_written_surname_first_is_recognised_as_a_swap() -> None:
    got = level("name", person("nguyen", "sophie"), person("sophie", "nguyen"))
    assert got == "similar first name and surname, or the two swapped"
    assert level("name", person("nguyen", "smith"), person("sophie", "nguyen")) == \
        "different names"


def test_a_changed_surname_is_its_own_level_and_weighs_less_than_a_similar_one() -> None:
    changed = level("name", person("lydia", "doosey"), person("lydia", "mccarthy"))
    typo = level("name", person("lydia", "mccarthy"), person("lydia", "mccarty"))
    assert changed == "same first name, different surname"
    assert typo == "same first name, similar surname"
    m = model()
    w_changed = m.weight(person("lydia", "doosey"), person("lydia", "mccarthy"))
    w_typo = m.weight(person("lydia", "mccarthy"), person("lydia", "mccarty"))
    w_other = m.weight(person("lydia", "doosey"), person("amber", "mccarthy"))
    assert w_other < w_changed < w_typo


def test_a_similar_first_name_with_the_same_surname_beats_one_with_no_surname() -> None:
    same = level("name", person("rajesh", "chowdhury"), person("rajeesh", "chowdhury"))
    unknown = level("name", person("rajesh", "chowdhury"), person("rajeesh"))
    assert (same, unknown) == ("similar first name, same surname",
                               "similar first name, one surname unknown")
    m = model()
    assert m.weight(person("rajesh", "chowdhury"), person("rajeesh", "chowdhury")) > m.weight(
        person("rajesh", "chowdhury"), person("rajeesh"))


def test_dates_of_birth_with_two_neighbouring_digits_swapped_are_one_typo_apart() -> None:
    a = person("neneh", dob="19900120")
    assert level("dob", a, person("neneh", dob="19901020")) == "dates of birth one typo apart"
    assert level("dob", a, person("neneh", dob="19900210")) == "dates of birth one typo apart"
    assert level("dob", a, person("neneh", dob="19920101")) == "different dates of birth"


def test_birth_years_are_not_counted_again_when_both_give_a_date_of_birth() -> None:
    a = person("amy", birth=[1990, 1990], dob="19900102")
    b = person("amy", birth=[1990, 1990], dob="19900102")
    assert level("birth", a, b) is None and level("dob", a, b) == "same date of birth"
    assert level("birth", a, person("amy", birth=[1990, 1991])) == "same narrow age"


def test_identifiers_one_typo_apart_within_a_scheme() -> None:
    a = person("dylan", ids=["soc_sec_id:4892623"])
    assert level("ids", a, person("dylan", ids=["soc_sec_id:4892613"])) == \
        "identifiers of one scheme one typo apart"
    # two neighbouring digits the other way round is one slip, not two
    assert level("ids", a, person("dylan", ids=["soc_sec_id:4896223"])) == \
        "identifiers of one scheme one typo apart"
    assert level("ids", a, person("dylan", ids=["soc_sec_id:4896232"])) == \
        "different identifiers of one scheme"
    assert level("ids", a, person("dylan", ids=["soc_sec_id:1111111"])) == \
        "different identifiers of one scheme"
    assert level("ids", a, person("dylan", ids=["nhs:4892623"])) is None  # other schemes


def test_a_rare_shared_identifier_weighs_more_than_a_common_one() -> None:
    a = person("amy", ids=["nhs:1"])
    tf = TermFrequencies({"ids": {"nhs:1": 0.0002, "nhs:2": 0.05}}, {"ids": 0.001})
    rare = model().weight(a, person("amy", ids=["nhs:1"]), tf)
    common = model().weight(person("amy", ids=["nhs:2"]), person("amy", ids=["nhs:2"]), tf)
    assert rare > common + 5


def test_blocking_finds_a_renamed_or_retyped_person_by_date_of_birth() -> None:
    renamed = set(person_keys(person("lydia", "doosey", dob="19751220", birth=[1975, 1975])))
    original = set(person_keys(person("lydia", "mccarthy", dob="19751220", birth=[1975, 1975])))
    assert "adult|d|19751220" in renamed & original
    retyped = set(person_keys(person("dyan", "zilm", dob="19671229", birth=[1967, 1967])))
    assert retyped & set(person_keys(person("dylan", "zilm", dob="19671229", birth=[1967, 1967])))


def test_a_letter_dropped_from_a_short_first_name_is_a_typo_a_letter_changed_is_not() -> None:
    assert level("name", person("sna", "mahmud"), person("sana", "mahmud")) == \
        "similar first name, same surname"
    assert level("name", person("sara", "mahmud"), person("sana", "mahmud")) == "different names"


def test_a_typo_keeps_the_first_letter_so_emma_and_gemma_are_two_names() -> None:
    # "Gemma" is "Emma" with a letter added, and Jaro-Winkler puts them at 0.93; but writers
    # rarely slip on a first letter, and names of one shape with another first letter are
    # different names (two girls of one network, merged before this rule)
    assert level("name", person("emma"), person("gemma")) == "different names"
    assert level("name", person("aisha"), person("tanisha")) == "different names"
    assert level("name", person("emma"), person("emmma")) == \
        "similar first name, one surname unknown"
    assert level("name", person("sarah"), person("sara")) == \
        "similar first name, one surname unknown"


def test_clusters_with_different_identifiers_merge_only_on_a_corroborated_pair() -> None:
    from joinedup.resolve.cluster import Clusters

    feats = {1: person("katherine", ids=["council_child_id:SAL-000004"]), 2: person("kasia"),
             3: person("katherine", ids=["council_child_id:SAL-000005"])}
    clusters = Clusters(feats, {1: 10, 2: 20, 3: 30})
    assert clusters.union(1, 2)
    # one character apart, as councils' sequential ids of two children are
    assert clusters.why_not(2, 3) == "different council_child_id:SAL"
    assert not clusters.union(2, 3)
    # a corroborated pair excuses only a conflict it holds itself: "kasia" has no id, so her
    # agreeing with the second katherine says nothing about the first one's id
    assert not clusters.union(2, 3, lenient=True)
    assert clusters.union(1, 3, lenient=True)  # two identifying comparisons agree: a typo


def test_a_corroborated_pair_does_not_excuse_a_surname_its_cluster_holds() -> None:
    from joinedup.resolve.cluster import Clusters

    # "Lauren" matches "Lauren Hall" on first name and month of birth; her cluster already
    # holds "Lauren Taylor": two girls, whatever one first-name-only mention agrees with
    feats = {1: person("lauren", "hall"), 2: person("lauren"), 3: person("lauren", "taylor"),
             4: person("lauren", "holt")}
    clusters = Clusters(feats, {1: 10, 2: 20, 3: 30, 4: 40})
    assert clusters.union(2, 3)
    assert clusters.why_not(1, 2, lenient=True) == "different surnames"
    assert not clusters.union(1, 2, lenient=True)
    # the pair's own surnames differ: a corroborated pair takes that for a typo
    assert clusters.why_not(1, 4) == "different surnames"
    assert clusters.union(1, 4, lenient=True)


def test_two_clusters_are_far_apart_in_age_when_any_two_estimates_are() -> None:
    from joinedup.resolve.cluster import Clusters

    # birth years as a witness's estimate gives them ("thirties", "late teens", "twenties"):
    # one man's estimates drift over reports, so the hull of a cluster's estimates grows until
    # nothing is far from it; a "Taz" in his thirties and a "Taz" in his late teens are two men
    feats = {1: person("x", birth=[1968, 1977]), 2: person("x", birth=[1978, 1987]),
             3: person("x", birth=[1988, 1990]), 4: person("x", birth=[1989, 1990])}
    clusters = Clusters(feats, {1: 10, 2: 20, 3: 30, 4: 40})
    assert clusters.union(1, 2)  # thirties and twenties: one man's estimates may be
    assert clusters.union(3, 4)  # late teens and teens
    # hulls 1968-1987 and 1988-1990 touch; the thirties and the late teens are 11 years apart
    assert clusters.why_not(2, 3) == "ages far apart"
    assert not clusters.union(2, 3)
    # a date of birth is not an estimate: its typos are the identifying comparisons' (FEBRL)
    exact = {1: person("x", birth=[1909, 1909]), 2: person("x", birth=[1990, 1990]),
             3: person("x", birth=[1990, 1990])}
    clusters = Clusters(exact, {1: 10, 2: 20, 3: 30})
    assert clusters.union(1, 2, lenient=True) and clusters.union(2, 3)


def test_an_exact_age_rules_out_a_date_of_birth_it_cannot_be() -> None:
    from datetime import date

    from joinedup.resolve.cluster import AGE_DAYS_SLACK, Clusters
    from joinedup.resolve.normalise import born_between

    # "Niall, 15" told of on 27 November 2007 and Niall Byrne born 6 May 1991 (16 that day)
    # share a birth year, so the year-level check let them be one boy
    niall_15 = list(born_between(15, date(2007, 11, 27)))
    feats = {1: person("niall", "byrne", dob="19910506"), 2: person("niall", age_born=niall_15),
             3: person("niall", age_born=list(born_between(16, date(2007, 11, 27)))),
             5: person("niall", age_born=list(born_between(13, date(2007, 11, 27))))}
    clusters = Clusters(feats, {1: 10, 2: 20, 3: 30, 5: 50})
    assert clusters.why_not(1, 2) == "age and date of birth do not agree"
    assert clusters.why_not(2, 5) == "age and date of birth do not agree"  # 15 and 13
    assert clusters.union(1, 3)  # 16 on that day: he may be
    # an age given on the day of the events, weeks before the report, is not a conflict
    weeks = [d - 30 for d in born_between(16, date(2007, 5, 1))]
    feats[4] = person("niall", age_born=weeks)  # his 16th birthday fell 5 days after
    assert Clusters(feats, {1: 10, 2: 20, 3: 30, 4: 40}).why_not(1, 4) is None
    assert AGE_DAYS_SLACK >= 30
    # two dates of birth are the dob comparison's to weigh (a record's typo), not this check's
    other = {1: person("niall", dob="19910506"), 2: person("niall", dob="19910605")}
    assert Clusters(other, {1: 10, 2: 20}).why_not(1, 2) is None


def test_a_nickname_and_its_one_letter_typos_share_a_blocking_key() -> None:
    def keys(alias: str) -> set[str]:
        return {k for k in person_keys(person("x") | {"first_key": None, "aliases": [alias]})
                if "|ad|" in k}

    assert keys("pepsi") & keys("peepsi")  # a letter doubled
    assert keys("pepsi") & keys("pespi")  # two letters swapped
    assert keys("kazz") & keys("kaz")  # a letter dropped from a short nickname
    assert not keys("kazz") & keys("razz")  # the first letter is kept
    assert not keys("jay") & keys("kay")  # short nicknames a letter apart are two nicknames
    assert not keys("pepsi") & keys("magic")


def test_most_of_a_network_in_common_is_told_from_a_few_of_many() -> None:
    one_man = person("x", network=["P-1", "P-2", "L-3"])
    assert level("network", one_man, person("x", network=["P-1", "P-2", "P-4"])) == \
        "two or more people or places in common within two steps, half of the smaller network" \
        " or more"
    # two men of two networks in one town, bridged by two entities of many
    many = ["P-1", "P-2", *(f"P-{i}" for i in range(10, 20))]
    other = ["P-1", "P-2", *(f"P-{i}" for i in range(30, 40))]
    assert level("network", person("x", network=many), person("x", network=other)) == \
        "two or more people or places in common within two steps, less than half of the" \
        " smaller network"
    assert level("network", one_man, person("x", network=["P-9"])) == \
        "nothing in common within two steps"
    m = model()
    assert m.weight(one_man, person("x", network=["P-1", "P-2", "P-4"])) > \
        m.weight(person("x", network=many), person("x", network=other))


def test_nothing_in_common_is_counted_once_by_the_network_comparison() -> None:
    # context is part of the network: nothing in common within two steps implies nothing in
    # common in the reports, and counting both penalised one fact twice
    a = person("x", context=["P-1"], network=["P-1", "P-2"])
    apart = person("x", context=["P-7"], network=["P-7", "P-8"])
    assert level("context", a, apart) is None
    assert level("network", a, apart) == "nothing in common within two steps"
    near = person("x", context=["P-2"], network=["P-2", "P-9"])
    assert level("context", a, near) == "nothing linked in common"
    assert level("context", a, person("x", context=["P-1"], network=["P-1"])) == \
        "a linked person or place in common"


def test_nicknames_one_letter_apart_are_similar_only_with_the_same_first_letter() -> None:
    assert level("alias", person("x", aliases=["raz"]), person("x", aliases=["ras"])) == \
        "similar nicknames"
    assert level("alias", person("x", aliases=["raz"]), person("x", aliases=["kaz"])) == \
        "different nicknames"


def test_a_sound_shared_by_too_many_is_compared_within_a_town_or_a_context() -> None:
    """The closing pass's pairs of a sound (``Blocking.sound_pairs``): a block too big to
    compare whole is split as the rounds split one, by town and by what each is named with."""
    n = BLOCK_CAP + 20
    feats = {pk: {"aliases": ["moe" if pk % 7 == 0 else "mo"], "group": "adult",
                  "locality": ["rochdale" if pk % 2 else "bradford"], "context": []}
             for pk in range(1, n + 1)}
    feats[n + 1] = {"aliases": ["moe"], "group": "adult", "locality": [], "context": ["P-9"]}
    feats[n + 2] = {"aliases": ["mo"], "group": "adult", "locality": [], "context": ["P-9"]}
    blocking = Blocking(feats, {pk: pk for pk in feats})
    pairs = {(int(k) >> SHIFT, int(k) & ((1 << SHIFT) - 1))
             for k in blocking.sound_pairs(feats)}
    assert (7, 21) not in pairs  # two "Moe"s share their own key: made by the rounds
    assert (7, 9) in pairs and (14, 16) in pairs  # "Moe" and "Mo" of one town
    assert (7, 8) not in pairs  # two towns
    assert (9, 11) not in pairs  # "Mo" and "Mo": one spelling, the rounds' own key
    assert (n + 1, n + 2) in pairs  # one context


def test_a_nickname_cut_short_or_respelt_with_a_y_is_similar() -> None:
    def alias(x: str, y: str) -> str:
        return level("alias", person("x", aliases=[x]), person("x", aliases=[y]))

    # Jaro-Winkler scores these below 0.9: the two differ in length
    assert alias("bubs", "bubbles") == "similar nicknames"  # cut short, with an "s"
    assert alias("prof", "professor") == "similar nicknames"  # cut short
    assert alias("cooky", "cookie") == "similar nicknames"  # "-ie" written "-y"
    assert alias("cookie", "cooky") == "similar nicknames"
    # a stem of two letters begins too many nicknames; a longer one must begin the other
    assert alias("bos", "bubbles") == "different nicknames"
    assert alias("bubs", "rubbles") == "different nicknames"
    assert alias("sweets", "sugar") == "different nicknames"


def test_nothing_in_common_says_less_when_one_side_is_named_only_with_strangers() -> None:
    # a mention named only with people no other report names (its context unresolved) has a
    # network that could not have overlapped anything yet
    known = person("emma", "wood", context=["P-1"], network=["P-1", "P-2", "L-3"])
    lone = person("emma", "wood", context=["P-9"], network=["P-9"], lone=True)
    placed = person("emma", "wood", context=["P-7"], network=["P-7", "P-8"])
    assert level("network", known, lone) == (
        "nothing in common within two steps, one of them named only with people and places no"
        " other report names"
    )
    assert level("network", known, placed) == "nothing in common within two steps"
    assert level("network", known, person("x", context=["P-1"], network=["P-1"], lone=True)) \
        == "one person or place in common within two steps"
    assert model().weight(known, lone) > model().weight(known, placed)


def test_a_rare_full_name_weighs_more_than_a_common_one() -> None:
    tf = TermFrequencies({"full_name": {"anna nowak": 0.01}}, {"full_name": 0.0001})
    common = model().weight(person("anna", "nowak"), person("anna", "nowak"), tf)
    rare = model().weight(person("anna", "zabek"), person("anna", "zabek"), tf)
    assert rare - common > 6  # log2(0.01 / 0.0001) = 6.6
    reasons = dict((c, w) for c, _, w in model().score(
        person("anna", "zabek"), person("anna", "zabek"), tf).reasons)
    assert reasons["name"] > 10  # the frequency is part of the evidence shown, not a hidden term


def test_the_prior_falls_as_the_store_grows_and_never_rises_above_the_trained_one() -> None:
    shipped = model()
    assert shipped.mentions  # the shipped model says how many mentions it was trained on
    ten_times = shipped.for_size(10 * shipped.mentions)
    assert ten_times.prior_weight < shipped.prior_weight - 3.2  # log2(10) = 3.3 bits less
    a, b = person("anna", "nowak", birth=[1995, 1996]), person("anna", "nowak", birth=[1995, 1996])
    assert ten_times.weight(a, b) < shipped.weight(a, b) - 3.2
    assert shipped.for_size(10) is shipped  # a small store keeps the trained prior
    assert PersonModel.from_json(ten_times.to_json()).prior == ten_times.prior


def test_a_nickname_is_blocked_on_once() -> None:
    tiger = list(person_keys(person("x") | {"first_key": None, "aliases": ["tiger"]}))
    assert "adult|ad|tiger" in tiger and "adult|a|tiger" not in tiger  # the same block twice
    short = list(person_keys(person("x") | {"first_key": None, "aliases": ["k"]}))
    # too short for typo keys: blocked on as written, and (closing pass) on its sound
    assert short == ["adult|a|k", "adult|as|K"]


def test_short_nicknames_that_sound_alike_share_a_blocking_key() -> None:
    def keys(alias: str) -> set[str]:
        return set(person_keys(person("x") | {"first_key": None, "aliases": [alias]}))

    # no typo key is shared by these (too short), and the comparison calls them similar
    assert not set(own_keys(person("x") | {"first_key": None, "aliases": ["mo"]})) & set(
        own_keys(person("x") | {"first_key": None, "aliases": ["moe"]}))
    assert keys("mo") & keys("moe")
    assert keys("kas") & keys("kaz")
    assert keys("jay") & keys("jai")
    assert level("alias", person("x", aliases=["mo"]), person("x", aliases=["moe"])) == \
        "similar nicknames"
    # a letter apart but not alike in sound: two men's nicknames, never blocked together
    assert not keys("kay") & keys("kaz")
    assert not keys("jay") & keys("kay")
    # a longer nickname's sound is not a key: its typo keys find its spellings
    assert not any("|as|" in k for k in keys("tiger"))


def test_an_address_with_its_lines_in_another_order_is_the_same_address() -> None:
    street_first = person("isabella", addresses=["8 fawkner street emerald college pottsville"])
    building_first = person("isabella", addresses=["8 emerald college fawkner street pottsville"])
    elsewhere = person("isabella", addresses=["41 northbourne avenue geelong"])
    assert level("address", street_first, building_first) == "same address"
    assert level("address", street_first, elsewhere) == "different addresses"


def test_a_month_and_year_of_birth_agreeing_with_a_full_date_is_a_level_of_its_own() -> None:
    full = person("amy", "smith", dob="19941121")
    month = person("amy", dob_month="199411")
    assert level("dob", month, full) == "same month and year of birth"
    assert level("dob", month, person("amy", dob_month="199411")) == \
        "same month and year of birth"
    assert level("dob", month, person("amy", dob_month="199403")) == "different dates of birth"
    # two full dates in one month are two birthdays, not a month in common
    assert level("dob", full, person("amy", dob="19941105")) == "different dates of birth"
    assert level("dob", month, person("amy")) is None
    weights = model()
    assert weights.m["dob"][2] / weights.u["dob"][2] > 8  # several bits: far rarer than a year
