"""Indicators: the phrase that evidences a warning sign of the profile's vocabulary.

Two kinds of rule, both the profile's data and checked against its indicator ids:

* phrases (``indicator_phrases.yaml``, :mod:`.phrases`): the words of a sign as written,
  "did not return home until the next morning";
* concept rules (``indicator_concepts.yaml``, :mod:`.concepts`): the ideas that together make
  a sign, each a set of words, close together in one clause (``@away + @morning``), so that a
  sign said in words no phrase has is still read.

A negated or doubted sign ("no sign she was given alcohol") is not proposed, nor a concept
rule's match inside a name ("Golden Bull" is not bullying), nor a sign its context says is
not the child's now (:mod:`.sign_context`: "no sign of gifts, money or a new phone", "report
any further missing episode", "charged with supplying alcohol"). Where a concept
rule's match overlaps an indicator a phrase found, or an earlier concept match, it is left out.

Confidence: 0.7 for a phrase, 0.6 for a concept rule (looser, so a little less sure).
"""

from __future__ import annotations

from pathlib import Path

from joinedup.extract.narrative.concepts import load_concepts
from joinedup.extract.narrative.matching import phrase_index, propose_phrases
from joinedup.extract.narrative.pipeline import Reading
from joinedup.extract.narrative.sign_context import load_context

CONFIDENCE = 0.7
CONCEPT_CONFIDENCE = 0.6
CONCEPTS_FILE = "indicator_concepts.yaml"
_NAMES = frozenset({"person", "alias", "place", "vehicle"})


def _in_a_name(reading: Reading, start: int, end: int, names: list[tuple[int, int]],
               nicknames: list[tuple[int, int]]) -> bool:
    """Whether a concept match (tokens ``[start, end)``) is read from a name: all its words
    are capitalised inside a sentence ("at the Bull"), or its first or last word is a
    capitalised word of a name proposed before ("Golden Bull"; "calls himself 'Big Man'" is
    not a phone call from a man), or any word of a nickname (``nicknames``), which is written
    in lower case as often as not ("calls himself 'big man'"). A kind word in lower case
    outside a nickname is read ("spends time at Golden Bull takeaway" is about a takeaway)."""
    doc, ends = reading.doc, reading.sentence_ends

    def capital(i: int) -> bool:
        word = doc[i].text
        return word[:1].isupper() and i > 0 and (i - 1) not in ends

    for i in {start, end - 1}:
        at = doc[i].idx
        if capital(i) and any(a <= at < b for a, b in names) \
                or any(a <= at < b for a, b in nicknames):
            return True
    return all(capital(i) and doc[i].text[1:].islower() for i in range(start, end)
               if doc[i].is_alpha)


NAMED_WITHIN = 3
"""Tokens after a concept match in which a name makes its sign's unknown known ("seen with a
man named Tariq")."""


def _named(reading: Reading, end: int, start: int, kinds: frozenset[str]) -> bool:
    """Whether a proposal of ``kinds`` overlaps the match (from character ``start``, to token
    ``end``) or starts within :data:`NAMED_WITHIN` tokens after it, in its sentence."""
    doc = reading.doc
    last = min(len(doc), end + NAMED_WITHIN)
    for i in range(end, last):
        if i in reading.sentence_ends:
            last = i
            break
    limit = doc[last - 1].idx + len(doc[last - 1]) if last > end else doc[end - 1].idx + 1
    return any(p.type in kinds and p.start < limit and p.end > start for p in reading.proposals)


def propose_indicators(reading: Reading, directory: Path,
                       indicator_ids: frozenset[str] | None) -> None:
    matcher = phrase_index(directory / "indicator_phrases.yaml", indicator_ids)
    propose_phrases(reading, matcher, "indicator", CONFIDENCE, "indicator")
    path = directory / CONCEPTS_FILE
    if path.exists():
        propose_concepts(reading, path, indicator_ids)
        signs = [p for p in reading.proposals if p.type == "indicator"]
        kept = load_context(path, indicator_ids).keep(reading, signs)
        reading.proposals[:] = [p for p in reading.proposals if p.type != "indicator"] + kept


def propose_concepts(reading: Reading, path: Path, indicator_ids: frozenset[str] | None
                     ) -> None:
    """One proposal per concept match that overlaps no indicator proposed before it."""
    taken = [(p.start, p.end) for p in reading.proposals if p.type == "indicator"]
    names = [(p.start, p.end) for p in reading.proposals if p.type in _NAMES]
    nicknames = [(p.start, p.end) for p in reading.proposals if p.type == "alias"]
    book = load_concepts(path, indicator_ids)
    doc = reading.doc
    for match in book.matches(reading):
        start, end = doc[match.start].idx, doc[match.end - 1].idx + len(doc[match.end - 1])
        if any(a < end and start < b for a, b in taken):
            continue
        if _in_a_name(reading, match.start, match.end, names, nicknames):
            continue  # "Golden Bull", "the Bull": a name, not bullying
        kinds = book.unless_named.get(match.indicator)
        if kinds and _named(reading, match.end, start, kinds):
            continue  # "taken to flat above Grill Garden": a place named, not unknown
        taken.append((start, end))
        reading.propose("indicator", start, end, match.indicator, CONCEPT_CONFIDENCE,
                        f"indicator_concept.{match.indicator}", claim=False)
