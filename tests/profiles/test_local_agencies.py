"""``local_agencies``: which agencies' reports are taken to speak of their own town, when
resolution decides whether a place name is common to several towns (docs/resolution.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from joinedup.errors import ProfileError
from joinedup.profiles import PROFILES_DIR, load_profile, load_profile_from


def test_the_shipped_profiles_say_which_agencies_are_local() -> None:
    safeguarding = load_profile("safeguarding")
    assert safeguarding.local_agencies == safeguarding.agencies - {"care_home"}
    assert load_profile("conflict").local_agencies == frozenset()  # the default


def _refused(tmp_path: Path, old: str, new: str) -> str:
    """The error a copy of the safeguarding profile gives with ``old`` written as ``new``."""
    copy = tmp_path / "safeguarding"
    shutil.copytree(PROFILES_DIR / "safeguarding", copy)
    path = copy / "profile.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        load_profile_from(copy)
    return str(err.value)


def test_an_agency_the_profile_does_not_know_is_refused(tmp_path: Path) -> None:
    error = _refused(tmp_path, "local_agencies: [police,", "local_agencies: [school, police,")
    assert "local_agencies" in error and "school" in error


def test_the_shipped_profile_says_a_care_home_names_its_own_premises() -> None:
    assert load_profile("safeguarding").own_premises == {"care_home": frozenset({"care_home"})}
    assert load_profile("conflict").own_premises == {}


def test_own_premises_of_an_unknown_agency_is_refused(tmp_path: Path) -> None:
    error = _refused(tmp_path, "  care_home: [care_home]", "  hostel: [care_home]")
    assert "own_premises" in error and "hostel" in error
