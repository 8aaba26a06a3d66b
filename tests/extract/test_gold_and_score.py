"""The evaluation set's markup and the scorer: offsets computed, not counted by hand; a hit
needs the type, an overlapping span and the same value."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.extract.gold import MarkupError, Span, load_set, parse_marked
from joinedup.extract.score import score


def test_marks_become_spans_that_index_the_plain_text() -> None:
    text, spans = parse_marked(
        "{{person/child|Leah|age=15}} met \"{{alias/person_of_concern|Tiger|ref=m1}}\" on "
        "{{date=2009-02-27|Friday}} near {{place|OL11 3AB}}; call {{phone=+447700900123|"
        "07700 900123}}.")
    assert text == 'Leah met "Tiger" on Friday near OL11 3AB; call 07700 900123.'
    assert all(text[s.start:s.end] == s.text for s in spans)
    by_type = {s.type: s for s in spans}
    assert by_type["person"].role == "child" and by_type["person"].attrs == {"age": "15"}
    assert by_type["alias"].value == "Tiger" and by_type["alias"].attrs["ref"] == "m1"
    assert by_type["phone"].value == "+447700900123" and by_type["date"].value == "2009-02-27"


@pytest.mark.parametrize("bad", ["{{phone|07700 900123}}", "{{nonsense|x}}", "a {{person|b",
                                 "{{person|a}} and }} stray"])
def test_a_broken_mark_is_refused_with_where_it_is(bad: str) -> None:
    with pytest.raises(MarkupError):
        parse_marked(bad, "here")


def test_the_shipped_set_parses_and_is_big_enough() -> None:
    test = load_set("test")
    assert len(test) >= 150 and len(load_set("dev")) >= 50
    assert all(n.text[s.start:s.end] == s.text for n in test for s in n.spans)
    assert not {n.id for n in test} & {n.id for n in load_set("dev")}


def test_a_hit_needs_type_overlap_and_value() -> None:
    gold = [Span("alias", 10, 15, "Tiger", "Tiger"), Span("place", 30, 44, "Kelbridge Road",
                                                          "Kelbridge Road")]
    proposed = [Span("alias", 9, 16, "'Tiger'", "tiger"),  # overlap, same value: a hit
                Span("place", 30, 44, "Kelbridge Road", "Kelbridge Rd"),  # another value
                Span("alias", 50, 55, "Tiger", "Tiger"),  # a later mention: not counted
                Span("alias", 60, 66, "Master", "Master")]  # nothing in the gold: wrong
    tallies = score([(gold, proposed)], ["alias", "place"])
    alias, place = tallies["alias"], tallies["place"]
    assert (alias.true_pos, alias.false_pos, alias.false_neg) == (1, 1, 0)
    assert (place.true_pos, place.false_pos, place.false_neg) == (0, 1, 1)
    assert alias.precision == 0.5 and alias.recall == 1.0 and place.f1 == 0.0


def test_load_set_reads_a_directory(tmp_path: Path) -> None:
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "a.yaml").write_text(
        "- id: x-1\n  style: parent_call\n  reported_at: 2009-03-02\n"
        "  text: Mum said {{alias/person_of_concern|Car Zero}} called.\n", encoding="utf-8")
    (n,) = load_set("dev", directory=tmp_path)
    assert n.text == "Mum said Car Zero called." and n.spans[0].value == "Car Zero"


def test_a_later_mention_by_part_of_a_name_is_a_repeat_not_a_false_positive() -> None:
    gold = [Span("person", 0, 14, "Courtney Price", "Courtney Price")]
    proposed = [Span("person", 0, 14, "Courtney Price", "Courtney Price"),
                Span("person", 40, 48, "Courtney", "Courtney"),  # the same girl, later
                Span("person", 60, 68, "Mr Price", "Mr Price"),  # title and surname
                Span("person", 80, 86, "Jordan", "Jordan")]  # someone the gold does not name
    tally = score([(gold, proposed)], ["person"])["person"]
    assert (tally.true_pos, tally.false_pos, tally.false_neg) == (1, 1, 0)
