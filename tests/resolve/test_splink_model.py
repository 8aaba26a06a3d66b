"""The Splink person model: same levels as the Python comparisons, and a usable trained model."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from random import Random
from typing import Any

import pytest

from joinedup.resolve.comparisons import PERSON_COMPARISONS, comparison_vector
from joinedup.resolve.scoring import PersonModel
from joinedup.resolve.splink_model import (
    TrainingReport,
    features_frame,
    linker_for,
    main,
    pooled,
    python_level,
    shipped_model,
    splink_settings,
    train,
)

FIRST = ["amy", "amie", "aimee", "beth", "bethany", "courtney", "kourtney", "jay", "jai", "mo",
         "mohammed", "muhammad", "zoe", "zoey", "liam", "lee", "leah", "k", "ab"]
SURNAMES = ["smith", "smyth", "smithe", "jones", "johns", "khan", "kahn", "hussain", "husain",
            "o'neill", "oneil", "walker", "walken", "a", "lee", "amy"]  # first names as surnames
ALIASES = ["tiger", "the tiger", "tigger", "k", "jay", "j", "smiler", "smiley", "car zero",
           "car 0", "mo", "moe", "big man", "bigman", "x"]
IDS = ["nhs:111", "nhs:112", "nhs:222", "nhs:333", "pnc:AB1", "pnc:AB2", "pnc:AC1", "council:C9",
       "council:C8", "nhs:121"]  # some one typo apart (nhs:121 two digits of nhs:112 swapped),
# within a scheme and across issuers
DOBS = ["19900102", "19900201", "19900103", "19901002", "19910505", None, None]
MONTHS = ["199001", "199002", "199105", None, None]  # a date of birth given to the month only
ITEMS = ["T-1", "T-2", "T-3", "V-4", "V-5"]
CONTEXT = ["L-1", "L-2", "L-3", "P-4", "P-5", "P-6"]


def _some(rng: Random, pool: list[str], most: int) -> list[str]:
    return sorted(set(rng.sample(pool, rng.randint(0, most))))


def person_features(n: int = 200, seed: int = 7) -> dict[int, dict[str, Any]]:
    """Hand-made person features covering every level, with None and empty values mixed in."""
    rng = Random(seed)
    feats: dict[int, dict[str, Any]] = {}
    for pk in range(1, n + 1):
        first = rng.choice(FIRST + [None, None, ""])
        lo = rng.randint(1960, 2000)
        birth = rng.choice([None, [lo, lo], [lo, lo + 1], [lo, lo + 2], [lo, lo + 9], []])
        feats[pk] = {
            "first_key": first,
            "first": rng.choice([first, first and first + "y"]) if first else None,
            "dob": rng.choice(DOBS) if birth else None,
            "surname_key": rng.choice(SURNAMES + [None, None, None]) if first else None,
            "aliases": _some(rng, ALIASES, 2),
            "birth": birth,
            "sex": rng.choice(["male", "female", None]),
            "ids": _some(rng, IDS, 2) if rng.random() < 0.4 else [],
            "items": _some(rng, ITEMS, 2),
            "context": _some(rng, CONTEXT, 3),
            "group": "young" if pk % 3 == 0 else "adult",
        }
        # the network holds the context and what it is named with; a lone mention's context is
        # named by no other report
        context = feats[pk]["context"]
        feats[pk]["network"] = sorted(set(context) | set(_some(rng, CONTEXT, 4)))
        feats[pk]["lone"] = bool(context) and rng.random() < 0.3
        feats[pk]["dob_month"] = None if feats[pk]["dob"] else rng.choice(MONTHS)
    return feats


def test_the_features_frame_has_one_row_per_mention_and_nulls_for_empty_lists() -> None:
    frame = features_frame({1: {"first_key": "amy", "aliases": [], "birth": [1990, 1992],
                                "ids": ["nhs:1"], "group": "young"}})
    row = frame.iloc[0]
    assert row["aliases"] is None and row["ids"] == ["nhs:1"] and row["id_schemes"] == ["nhs:"]
    assert row["birth_lo"] == 1990 and row["birth_hi"] == 1992 and row["grp"] == "young"


def test_splink_and_python_pick_the_same_levels() -> None:
    from splink import block_on

    feats = person_features()
    linker = linker_for(feats, splink_settings([block_on("grp")]))
    pairs = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    expected = {(a, b) for a, b in combinations(sorted(feats), 2)
                if feats[a]["group"] == feats[b]["group"]}
    got = {(min(a, b), max(a, b)) for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"],
                                                  strict=True)}
    assert got == expected
    disagree = []
    for row in pairs.itertuples(index=False):
        a, b = feats[row.unique_id_l], feats[row.unique_id_r]
        py = comparison_vector(a, b)
        for comp, level in zip(PERSON_COMPARISONS, py, strict=True):
            sp = python_level(comp, int(getattr(row, f"gamma_{comp.name}")))
            if sp != level:
                disagree.append((comp.name, row.unique_id_l, row.unique_id_r, level, sp))
    for d in disagree:
        print("disagreement (comparison, a, b, python, splink):", d)
    assert not disagree, f"{len(disagree)} of {len(pairs)} pairs disagree"


def test_training_returns_probabilities_for_every_level() -> None:
    model = train(person_features(400, seed=11), seed=3)
    assert 0 < model.prior < 1
    for comp in PERSON_COMPARISONS:
        for table in (model.m, model.u):
            assert len(table[comp.name]) == len(comp.levels)
            assert all(0 < p <= 1 for p in table[comp.name]), (comp.name, table[comp.name])
    assert model.alias_tf and all(0 < v <= 1 for v in model.alias_tf.values())
    assert model.alias_tf_default == pytest.approx(
        1 / sum(1 for f in person_features(400, seed=11).values() if f["aliases"]))


def test_the_command_trains_on_a_generated_scenario_and_writes_a_loadable_model(
        tmp_path: Path) -> None:
    out = tmp_path / "person_model.json"
    assert main(["--out", str(out), "--reports", "150", "--seed", "5", "--rounds", "2"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"_comment", "prior", "m", "u", "alias_tf", "alias_tf_default"}
    model = PersonModel.from_json(data)
    assert all(0 < p <= 1 for table in (model.m, model.u) for ps in table.values() for p in ps)


def test_a_model_pooled_from_several_scenarios_takes_the_mean_of_what_each_observed() -> None:
    """Several draws of the generator train one model: each probability is the mean over the
    scenarios that observed its level (one that left it at the shipped value does not pull
    it), a term frequency one scenario does not list counts at that scenario's default."""
    base = PersonModel.from_json(shipped_model())
    first, second = PERSON_COMPARISONS[0].name, PERSON_COMPARISONS[1].name
    a = replace(base, prior=0.01, m={**base.m, first: [0.2] + base.m[first][1:]},
                alias_tf={"tiger": 0.01}, alias_tf_default=0.002)
    b = replace(base, prior=0.03, m={**base.m, first: [0.4] + base.m[first][1:],
                                     second: [0.9] + base.m[second][1:]},
                alias_tf={"tiger": 0.03, "mo": 0.05}, alias_tf_default=0.004)
    ra, rb = TrainingReport(mentions=100), TrainingReport(mentions=300)
    ra.defaulted.add(("m", second, 0))  # a did not observe the second comparison's first level
    ra.defaulted.add(("u", first, 1))
    rb.defaulted.add(("u", first, 1))  # nor did either observe this one
    model, report = pooled([a, b], [ra, rb])
    assert model.prior == pytest.approx(0.02)
    assert model.m[first][0] == pytest.approx(0.3)
    assert model.m[second][0] == pytest.approx(0.9)
    assert model.u[first][1] == base.u[first][1]
    assert report.defaulted == {("u", first, 1)}
    assert report.mentions == 200
    assert model.alias_tf == pytest.approx({"tiger": 0.02, "mo": 0.026})
    assert model.alias_tf_default == pytest.approx(0.003)


def test_the_command_trains_one_model_on_several_scenarios(tmp_path: Path) -> None:
    out = tmp_path / "person_model.json"
    assert main(["--out", str(out), "--reports", "150", "--seed", "5", "6", "--rounds", "2"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "seed=5 6" in data["_comment"]
    model = PersonModel.from_json(data)
    assert all(0 < p <= 1 for table in (model.m, model.u) for ps in table.values() for p in ps)


def test_make_train_model_gives_back_the_shipped_model(tmp_path: Path) -> None:
    """The shipped file is what `make train-model` makes from it. A change to extraction,
    resolution or training that moves the model fails here: train it again, and measure the
    benchmarks again with it."""
    out = tmp_path / "person_model.json"
    assert main(["--out", str(out), "--seed", "1", "--reports", "1000"]) == 0
    trained = json.loads(out.read_text(encoding="utf-8"))
    shipped = shipped_model()
    assert trained["prior"] == pytest.approx(shipped["prior"], rel=1e-6)
    for table in ("m", "u"):
        assert set(trained[table]) == set(shipped[table])
        for name, values in shipped[table].items():
            assert trained[table][name] == pytest.approx(values, rel=1e-3, abs=1e-6), (table, name)
    for table in ("alias_tf", "first_tf"):
        assert trained[table] == pytest.approx(shipped[table], rel=1e-3), table
