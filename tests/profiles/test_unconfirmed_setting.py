"""``unconfirmed_proposals``: what a narrative's proposals count for before a person applies
them is the profile's to say, as data, and a wrong setting is refused at load time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from joinedup.errors import ProfileError
from joinedup.profiles import PROFILES_DIR, load_profile, load_profile_from


def _copy_with(tmp_path: Path, line: str) -> Path:
    copy = tmp_path / "safeguarding"
    shutil.copytree(PROFILES_DIR / "safeguarding", copy)
    path = copy / "profile.yaml"
    text = path.read_text(encoding="utf-8")
    assert "unconfirmed_proposals: ignore\n" in text
    path.write_text(text.replace("unconfirmed_proposals: ignore\n", line), encoding="utf-8")
    return copy


def test_the_shipped_safeguarding_profile_ignores_unconfirmed_proposals() -> None:
    assert load_profile("safeguarding").unconfirmed_proposals == "ignore"
    assert load_profile("conflict").unconfirmed_proposals == "ignore"  # the default


@pytest.mark.parametrize(("line", "expected"), [
    ("unconfirmed_proposals: weak\n", "weak"),
    ("unconfirmed_proposals: ignore\n", "ignore"),
    ("", "ignore"),  # left out: nothing counts until a person applies it
])
def test_a_profile_may_count_unconfirmed_proposals_as_weak_evidence(
    tmp_path: Path, line: str, expected: str
) -> None:
    assert load_profile_from(_copy_with(tmp_path, line)).unconfirmed_proposals == expected


@pytest.mark.parametrize("value", ["strong", "yes", "true", "[weak]", "''"])
def test_an_unknown_setting_is_refused_naming_the_file_and_the_key(
    tmp_path: Path, value: str
) -> None:
    copy = _copy_with(tmp_path, f"unconfirmed_proposals: {value}\n")
    with pytest.raises(ProfileError) as err:
        load_profile_from(copy)
    assert str(copy / "profile.yaml") in str(err.value)
    assert "unconfirmed_proposals" in str(err.value)
    assert "ignore, weak" in err.value.hint
