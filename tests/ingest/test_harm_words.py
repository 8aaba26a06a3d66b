"""Headline words read as a mechanism and targets, whole words only, the grave before the vague."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.errors import ProfileError
from joinedup.ingest.harm_words import check_vocabulary, load_harm_words, load_harm_words_from
from tests.conflict_contract import MECHANISMS, TARGETS


@pytest.mark.parametrize(("headline", "mechanism", "targets"), [
    ("Syria: Investigate Attack on UN Aid Convoy", None, ("humanitarian_convoy",)),
    ("Syria: Government Airstrikes Closing Down Hospitals", "air_strike", ("health_facility",)),
    ("14 dead in Khan Tuman incl. paramedics and ambulance drivers after airstrikes", "air_strike",
     ("health_transport", "health_personnel")),
    ("Cases of suffocation in eastern Aleppo after barrel bombs", "chemical", ()),
    ("Renewed clashes in Azaz and shells target Sheikh Maksoud neighborhood and raids",
     "air_strike", ("residential",)),
    ("Warplanes kill eight fighters on the road to Shaer gas field", "air_strike", ()),
    ("The clinically dead truce ends its 40th day", None, ()),
    ("Fierce clashes on the outskirts of Aleppo", "ground_attack", ()),
])
def test_a_headline_names_its_mechanism_and_targets(
    headline: str, mechanism: str | None, targets: tuple[str, ...]
) -> None:
    reading = load_harm_words().read(headline)
    assert (reading.mechanism, reading.targets) == (mechanism, targets)


def test_nothing_read_is_unknown_and_the_words_read_are_kept() -> None:
    assert load_harm_words().read("Syria Daily Report 15/02/2016").harm() == {
        "mechanism": "unknown", "targets": ["unknown"]}
    reading = load_harm_words().read("Shells hit a school in Aleppo")
    assert reading.words == ("Shells", "school")
    assert reading.harm(more_targets=("civilians_general",))["targets"] == [
        "school", "civilians_general"]


def test_the_shipped_keywords_use_the_contract_vocabulary() -> None:
    check_vocabulary(load_harm_words(), MECHANISMS, TARGETS)
    with pytest.raises(ProfileError, match="not in the profile's vocabulary"):
        check_vocabulary(load_harm_words(), MECHANISMS - {"chemical"}, TARGETS)


def test_an_empty_keyword_list_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "harm.yaml"
    path.write_text("mechanisms:\n  - {mechanism: shelling, words: []}\ntargets: {}\n",
                    encoding="utf-8")
    with pytest.raises(ProfileError, match=r"mechanisms\[0\] \(shelling\)"):
        load_harm_words_from(path)
