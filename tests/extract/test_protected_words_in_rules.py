"""The rules that read warning signs never read a word that names a protected characteristic
(``protected_words.yaml``: ethnic groups, nationalities, faiths, languages): "black" in the
injury words made "a car with a black male who had his hand on her shoulder" a physical
injury, where the same sentence with "white" was not. Only a fixed phrase whose meaning is not
a person may hold one ("black eye")."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import yaml

from joinedup.extract.narrative import extract_narrative
from joinedup.profiles import load_profile

DIRECTORY = load_profile("safeguarding").directory
IDIOMS = {"black eye"}  # phrases that hold a protected word and name no one


def _protected() -> set[str]:
    groups = yaml.safe_load((DIRECTORY / "protected_words.yaml").read_text(encoding="utf-8"))
    return {w.lower() for words in groups.values() for w in words if " " not in w}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("name", ["indicator_concepts.yaml", "indicator_phrases.yaml",
                                  "link_phrases.yaml"])
def test_no_rule_reads_a_protected_word(name: str) -> None:
    protected = _protected()
    data = yaml.safe_load((DIRECTORY / name).read_text(encoding="utf-8"))
    found = []
    for text in _strings(data):
        for phrase in text.split("|"):  # a rule's alternatives, a phrase book's entries
            cleaned = phrase.lower()
            for idiom in IDIOMS:
                cleaned = cleaned.replace(idiom, " ")
            words = {w.rstrip("*") for w in re.findall(r"[a-z'\-*]+", cleaned)}
            found += [f"{w} in {phrase!r}" for w in words & protected]
    assert found == []


AT = date(2011, 5, 9)
FRAME = "She was seen getting into a car with a {} male who had his hand on her shoulder."


@pytest.mark.parametrize("word", ["black", "white", "asian", "polish", "muslim", "gay",
                                  "transgender", "working class"])
def test_a_protected_word_changes_no_sign(word: str) -> None:
    def signs(text: str) -> list[str]:
        return sorted(p.value for p in extract_narrative(text, AT) if p.type == "indicator")

    assert signs(FRAME.format(word)) == signs(FRAME.format("tall"))
    assert signs("He came back with a black eye.") == ["physical_injury"]
