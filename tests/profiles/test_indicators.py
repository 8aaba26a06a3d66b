"""The shipped vocabulary's labels are whole, and a profile is found by a name only."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from joinedup.profiles import load_profile

SHIPPED = Path(__file__).parents[2] / "src/joinedup/profiles/safeguarding/indicators.yaml"


def test_no_indicator_label_is_cut_at_a_comma() -> None:
    """An unquoted comma inside a YAML flow mapping starts a new key: the label would end there
    and the form would show "Sudden new" for "Sudden new, often older, circle of friends"."""
    for entry in yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["indicators"]:
        assert set(entry) <= {"id", "code", "label", "category", "kind", "weight", "override"}
    labels = {i.id: i.label for i in load_profile("safeguarding").indicator_specs.values()}
    assert labels["new_older_friends"] == "Sudden new, often older, circle of friends"
    assert labels["pregnancy_or_termination"] == "Pregnancy, termination or miscarriage"



def test_a_profile_name_is_a_word_never_a_path() -> None:
    """A report's ``profile`` is hostile input: a path or a name too long for the file system
    is a clear refusal, not an operating-system error."""
    from joinedup.errors import ProfileError

    for name in ("../safeguarding", "x" * 300, "safeguarding/../conflict", "Conflict", ""):
        with pytest.raises(ProfileError, match="no profile named"):
            load_profile(name)
