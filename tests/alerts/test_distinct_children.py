"""Counting children: two child entities that could be one child the resolver failed to join
count once, so a split child never makes one man "linked to two children"."""

from __future__ import annotations

from typing import Any

from joinedup.corroborate.picture import _could_be_one


def profile(first: str, surname: str | None = None, **kw: Any) -> dict[str, Any]:
    return {"firsts": {first}, "surnames": {surname} if surname else set(),
            "sexes": {kw.get("sex", "female")}, "ids": kw.get("ids", {}),
            "birth": kw.get("birth", (1993, 1994))}


def test_a_typo_in_either_name_could_be_one_child() -> None:
    assert _could_be_one(profile("sana", "mahmud"), profile("sna", "mahmud"))
    assert _could_be_one(profile("rebecca", "whitehead"), profile("rebecca", "whithead"))


def test_different_names_sexes_ids_or_ages_are_two_children() -> None:
    assert not _could_be_one(profile("sara", "mahmud"), profile("sana", "mahmud"))
    assert not _could_be_one(profile("emma"), profile("gemma"))  # a typo keeps the first letter
    assert not _could_be_one(profile("amy", "walsh"), profile("amy", "khan"))
    assert not _could_be_one(profile("amy", sex="female"), profile("amy", sex="male"))
    assert not _could_be_one(profile("amy", ids={"nhs:": "1"}), profile("amy", ids={"nhs:": "2"}))
    assert not _could_be_one(profile("amy", birth=(1990, 1990)), profile("amy", birth=(1995, 1996)))


def test_an_unnamed_child_is_not_assumed_to_be_anyone() -> None:
    unnamed = profile("x") | {"firsts": set()}
    assert not _could_be_one(unnamed, profile("amy"))
