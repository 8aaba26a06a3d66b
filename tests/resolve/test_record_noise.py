"""m of the record-keeping noise levels, learned from FEBRL1 and FEBRL2 (never FEBRL3/4)."""

from __future__ import annotations

import pytest

from joinedup.profiles import load_profile
from joinedup.resolve.record_noise import (
    MOVED_HOME,
    NOISE_LEVELS,
    febrl_features,
    febrl_report,
    noise_m,
    with_moves,
    with_noise_m,
)
from joinedup.resolve.scoring import PersonModel


def person(first: str, surname: str, dob: str, ssid: str) -> dict:
    return {"first": first, "first_key": first, "first_alts": [first], "surname_key": surname,
            "dob": dob, "ids": [f"soc_sec_id:{ssid}"], "addresses": [], "group": "adult"}


def test_noise_m_is_the_share_of_true_pairs_at_each_noise_level() -> None:
    records = [
        ("1", person("amy", "jones", "19900102", "1234567")),
        ("1", person("amy", "jones", "19900102", "1234576")),  # id: two digits swapped
        ("2", person("ben", "hill", "19800101", "7654321")),
        ("2", person("sam", "hill", "19800101", "1111111")),  # first name and id replaced
        ("3", person("cat", "ward", "19700101", "5555555")),  # no pair
    ]
    m, compared = noise_m(records)
    assert compared == {"name": 2, "dob": 2, "ids": 2, "address": 0}
    assert m["name"] == {7: 0.5}
    assert m["ids"] == {1: 0.5, 2: 0.5}
    assert m["dob"] == {1: 0.0, 3: 0.0}
    assert "address" not in m  # never compared: the model keeps what it had


def test_noise_levels_replace_m_and_the_other_levels_keep_their_proportions() -> None:
    m = {"ids": [1.0, 0.02, 0.0056], "sex": [1.0, 0.0001]}
    out = with_noise_m(m, {"ids": {1: 0.07, 2: 0.05}})
    assert out["ids"] == pytest.approx([0.88, 0.07, 0.05])
    assert out["sex"] == m["sex"]
    assert m["ids"] == [1.0, 0.02, 0.0056]  # not changed in place


def test_the_benchmark_sets_are_never_training_sets() -> None:
    with pytest.raises(ValueError, match="benchmark"):
        febrl_features(["febrl3"])
    with pytest.raises(ValueError, match="benchmark"):
        febrl_features(["febrl4"])


def test_the_shipped_model_carries_febrl1_and_febrl2_noise_levels() -> None:
    """`make train-model` put the FEBRL1/FEBRL2 shares into the shipped model's m (so that
    "different names" is about -2 bits, not the -9 generated data alone gave), addresses
    differing also for people who moved."""
    shipped = PersonModel.load(load_profile("safeguarding").directory / "person_model.json")
    m = with_moves(noise_m(febrl_features())[0])
    for name, levels in NOISE_LEVELS.items():
        for level in levels:
            assert shipped.m[name][level] == pytest.approx(m[name][level], rel=1e-4), (name, level)
    assert 0.15 < shipped.m["name"][7] < 0.3


def test_people_who_moved_make_different_addresses_commoner_and_the_rest_keep_their_shares(
) -> None:
    noise = {"address": {0: 0.6, 1: 0.3, 2: 0.1}, "ids": {1: 0.07, 2: 0.05}}
    out = with_moves(noise)
    stayed = 1 - MOVED_HOME
    assert out["address"] == pytest.approx({0: 0.6 * stayed, 1: 0.3 * stayed,
                                            2: 1 - 0.9 * stayed})
    assert sum(out["address"].values()) == pytest.approx(1.0)
    assert out["ids"] == noise["ids"]
    assert noise["address"][2] == 0.1  # not changed in place


def test_a_febrl_record_keeps_both_lines_of_its_address() -> None:
    row = {"given_name": "isabella", "surname": "rundle", "street_number": "8",
           "address_1": "fawkner street", "address_2": "emerald agricultural college",
           "suburb": "pottsville", "postcode": "6154", "state": "nsw"}
    person = febrl_report("rec-1534-org", row)["people"][0]
    assert person["addresses"] == ["8 fawkner street emerald agricultural college pottsville "
                                   "6154 nsw"]
