"""Outlet names as coders type them fold to one outlet, so one origin is never counted twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.errors import ProfileError
from joinedup.ingest.outlets import check_agencies, load_outlets, load_outlets_from
from tests.conflict_contract import AGENCIES


@pytest.mark.parametrize("spelling", [
    "SOHR", "SOHR ", "sohr", "SOH", "Syrian Observatory for Human Rights",
    "The Britain-based Syrian Observatory for Human Rights", "http://www.syriahr.com/en/?p=64904",
])
def test_every_spelling_of_sohr_is_one_outlet(spelling: str) -> None:
    outlet = load_outlets().outlet(spelling)
    assert (outlet.name, outlet.org, outlet.agency) == ("SOHR", "sohr", "local_monitor")


def test_an_unlisted_outlet_keeps_its_name_and_is_not_guessed_to_be_media() -> None:
    outlet = load_outlets().outlet("Radio Fictional  Halab")
    assert (outlet.name, outlet.org, outlet.agency, outlet.known) == (
        "Radio Fictional Halab", "radio-fictional-halab", "other", False)


@pytest.mark.parametrize(("cell", "origins"), [
    ("SOHR, airwars", ["SOHR", "Airwars"]),
    ("SOHR/Waha Report", ["SOHR", "Waha Report"]),
    ("HRW. CENTCOM, SNHR", ["HRW", "Coalition", "SNHR"]),
    ("airwars (and SOHR)", ["Airwars", "SOHR"]),
    ("SOHR Airwars", ["SOHR", "Airwars"]),
    ("Al A’amaq,Sound and Picture, and Deir Ezzor24", ["IS", "Sound and Picture", "Deir Ezzor 24"]),
    ("local sources, Local sources, SOHR", ["Local sources", "SOHR"]),
    ("U.S. intelligence official", ["U.S. intelligence official"]),
    ("", []),
])
def test_a_list_of_origins_is_split_into_canonical_names(cell: str, origins: list[str]) -> None:
    assert load_outlets().origins(cell) == origins


@pytest.mark.parametrize(("office", "org", "cited"), [
    ("The Independent (in SOHR)", "independent", "SOHR"),
    ("RUDAW (on SOHR)", "rudaw", "SOHR"),
    ("daily star/AFP", "daily-star", "AFP"),
    ("Reuters News", "reuters", None),
])
def test_an_office_may_name_the_origin_it_took_the_story_from(
    office: str, org: str, cited: str | None
) -> None:
    outlet, found = load_outlets().office(office)
    assert (outlet.org, found) == (org, cited)


def test_the_shipped_outlets_use_the_contract_agencies() -> None:
    check_agencies(load_outlets(), AGENCIES)
    with pytest.raises(ProfileError, match="unknown source agencies"):
        check_agencies(load_outlets(), AGENCIES - {"media"})


def test_a_spelling_given_to_two_outlets_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "outlets.yaml"
    path.write_text("default_agency: other\noutlets:\n"
                    "  - {name: SOHR, agency: local_monitor, aliases: [SO]}\n"
                    "  - {name: Syria Observer, agency: media, aliases: [so]}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"outlets\[1\] \(Syria Observer\): 'so' is already"):
        load_outlets_from(path)
