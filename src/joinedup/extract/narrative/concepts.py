"""Concept rules: a warning sign read from words that occur together, not from one phrase.

The phrase book (``indicator_phrases.yaml``) says a sign in the words its authors met; a
writer who puts it another way ("absent from the home until the following morning" for
"did not come home until the next morning") is missed. A concept rule names the *ideas* that
together make the sign, each a set of words, and proposes the sign where one word of every set
occurs within a few tokens of the others in one clause: ``@away + @overnight``.

The rules are the profile's data, ``indicator_concepts.yaml``::

    words:                      # named word sets, used as @name
      away: "missing absent awol abscond*"
      overnight: "overnight all-night"
    clause_breaks: "but however ; :"   # words a rule does not reach across
    window: 8                   # the most tokens a match may span, unless a rule says
    concepts:
      missing_overnight:
        - "@away + @overnight"
        - "not|n't|never come|came|return* home|back + @morning"
        - {rule: "@away + @night", window: 5}

A rule is *terms* joined by `` + ``, in any order, or by `` > ``, in that order. A term is
one or more tokens in a row; each token is a word set: ``@name``, ``NUM`` (a number), or
words, sets and ``NUM`` separated by ``|``; ``{out of town|miles from home}`` is a choice
of whole phrases (the rule is read once per choice). A word ending in ``*`` is a stem and
matches every word that starts with it (``bruis*``: bruise, bruised, bruising), which stands
in for a lemma. A token written with a trailing ``?`` may be absent (not the first of a
term). A hyphenated compound or a contraction, which the tokenizer splits ("23-year-old",
"wouldn't"), is also read as one word, and an age as ``year-old``.

A match is proposed unless a negation cue (``lexicon.yaml``) comes before it in its clause
(:func:`~joinedup.extract.narrative.negation.negated`) or stands between its terms ("alcohol
was not given"). The span runs from the first word matched to the last, which is the phrase a
reviewer confirms. A file that does not parse is refused with :class:`ProfileError` naming
the file, the id and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import product
from pathlib import Path
from typing import Any

from spacy.attrs import SPACY
from spacy.lang.en.stop_words import STOP_WORDS

from joinedup.errors import ProfileError
from joinedup.extract.narrative.negation import negated
from joinedup.extract.narrative.pipeline import Reading, lexicon
from joinedup.profiles import read_data

__all__ = ["ConceptBook", "Match", "load_concepts"]

WINDOW = 8
"""The most tokens a match may span when neither the file nor the rule says."""


_MEMO_LIMIT = 200_000
"""Distinct words remembered before the memo starts again (a long-running import)."""
_NUMBERS = frozenset(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                      "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty"])


@dataclass(frozen=True)
class WordSet:
    """Words matched exactly (lower case), stems matched as prefixes, and (``NUM``) numbers."""

    words: frozenset[str]
    stems: tuple[str, ...]
    number: bool = False


Term = tuple[tuple[int, bool], ...]
"""Tokens in a row: (word set index, optional)."""


@dataclass(frozen=True)
class Rule:
    indicator: str
    terms: tuple[Term, ...]
    window: int
    ordered: bool
    text: str


@dataclass(frozen=True)
class Match:
    """A rule's match: token range ``[start, end)``."""

    indicator: str
    start: int
    end: int
    rule: str


class ConceptBook:
    """The compiled rules of one concept file, and a memo of which sets each word is in."""

    def __init__(self, sets: list[WordSet], rules: list[Rule], breaks: frozenset[str],
                 unless_named: dict[str, frozenset[str]] | None = None) -> None:
        self.sets = sets
        self.rules = rules
        self.breaks = breaks
        self.unless_named = unless_named or {}
        """Signs about something unknown, by id, and the kinds of proposal that name it: such a
        sign is not proposed where one of them is part of the match or follows it closely
        ("taken to flat above Grill Garden", "seen with a man named Tariq Shah")."""
        self._memo: dict[str, frozenset[int]] = {}
        self._exact: dict[str, set[int]] = {}
        self._stems: dict[str, set[int]] = {}
        for i, word_set in enumerate(sets):
            for word in word_set.words:
                self._exact.setdefault(word, set()).add(i)
            for stem in word_set.stems:
                self._stems.setdefault(stem, set()).add(i)
        self._numbers = frozenset(i for i, word_set in enumerate(sets) if word_set.number)
        # a rule is tried in a sentence or clause only when every set its terms require is
        # there: most rules lack a word, and a rule lacking one cannot match, so trying it is
        # waste. Each rule is filed under the rarest set it requires, so that a common word
        # ("not", "to") wakes few rules to check.
        self._requires = [frozenset(index for t in r.terms for index, optional in t
                                    if not optional) for r in rules]
        self._by_set: dict[int, list[int]] = {}
        for n, requires in enumerate(self._requires):
            # every rule requires a set (checked at load)
            self._by_set.setdefault(min(requires, key=self._commonness), []).append(n)
        self._waking = frozenset(self._by_set)

    def _commonness(self, index: int) -> tuple[bool, int, int]:
        """How often a set's words are likely to turn up, as a sort key: a set holding a
        stop word ("not", "to", "with") first of all, then a number, then more words and
        stems; the index last, so that the choice is the same on every run."""
        word_set = self.sets[index]
        common = any(w in STOP_WORDS for w in word_set.words) or word_set.number \
            or any(len(s) < 4 for s in word_set.stems)
        return (common, len(word_set.words) + 4 * len(word_set.stems), index)

    def sets_of(self, word: str) -> frozenset[int]:
        """The indices of the sets ``word`` (lower case) is in, by its exact form, each of its
        prefixes that is a stem, and whether it is a number; remembered."""
        found = self._memo.get(word)
        if found is None:
            ids = set(self._exact.get(word, ()))
            for n in range(1, len(word) + 1):
                ids.update(self._stems.get(word[:n], ()))
            if word.isdigit() or word in _NUMBERS:
                ids.update(self._numbers)
            found = frozenset(ids)
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            self._memo[word] = found
        return found

    def members(self, lowers: list[str]) -> list[frozenset[int]]:
        """:meth:`sets_of` each word, for a whole narrative at once (the memo is read inline:
        a method call per token cost more than the lookup)."""
        memo = self._memo
        return [memo[w] if w in memo else self.sets_of(w) for w in lowers]

    def matches(self, reading: Reading) -> Iterator[Match]:
        """Every match of every rule that no negation cue reaches, clause by clause, rule by
        rule, the shortest of a rule's matches first.

        A sentence in which no rule has all the sets it requires holds no match (a clause's
        words are some of its sentence's), and is not split into clauses.
        """
        lowers = reading.lowers
        member = self.members(lowers)
        joined = compounds(reading)
        if joined:
            member = self._with_compounds(lowers, member, joined)
        cues = lexicon().words("negation_cues", lower=True)
        for start, end in reading.bounds:
            if not self._candidates(frozenset().union(*member[start:end])):
                continue
            for a, b in self._clauses(lowers, start, end):
                for match in self._matches_in(reading, a, member[a:b], cues):
                    yield _widened(match, joined) if joined else match

    def _with_compounds(self, lowers: list[str], member: list[frozenset[int]],
                        joined: list[tuple[int, int]]) -> list[frozenset[int]]:
        """``member`` with each word of a hyphenated compound ("23-year-old", "self-harm",
        which the tokenizer splits) also in the sets of the whole compound, and an age
        ("23-year-old") also in those of ``year-old``."""
        member = list(member)
        for a, b in joined:
            word = "".join(lowers[a:b])
            found = self.sets_of(word)
            if _AGE.fullmatch(word):
                found |= self.sets_of("year-old")
            for i in range(a, b):
                member[i] = member[i] | found
        return member

    def _candidates(self, present: frozenset[int]) -> list[int]:
        """The rules, in order, woken by the sets ``present`` and all of whose required sets
        are there: the only rules that can match where those sets are the ones present."""
        requires = self._requires
        woken = [n for i in present & self._waking for n in self._by_set[i]
                 if requires[n] <= present]
        return sorted(woken) if len(woken) > 1 else woken

    def _clauses(self, lowers: list[str], a: int, b: int) -> Iterator[tuple[int, int]]:
        start = a
        for i in range(a, b):
            if lowers[i] in self.breaks:
                if i > start:
                    yield start, i
                start = i + 1
        if b > start:
            yield start, b

    def _matches_in(self, reading: Reading, a: int, member: list[frozenset[int]],
                    cues: frozenset[str]) -> Iterator[Match]:
        """The matches in the clause that starts at token ``a``, whose words are in the sets
        ``member``."""
        candidates = self._candidates(frozenset().union(*member))
        if not candidates:
            return
        lowers = reading.lowers
        where: dict[int, list[int]] = {}
        for i, ids in enumerate(member):
            for set_id in ids:
                where.setdefault(set_id, []).append(i)
        for n in candidates:
            rule = self.rules[n]
            for start, end, used in _spans(rule, member, where):
                inside = (lowers[a + i] in cues for i in range(start, end) if i not in used)
                if any(inside) or negated(reading, a + start):
                    continue
                yield Match(rule.indicator, a + start, a + end, rule.text)


_AGE = re.compile(r"[a-z0-9]+-years?-olds?")
_CLITICS = frozenset({"n't", "'s", "'m", "'re", "'ve", "'ll", "'d", "’s", "n’t", "’m"})


def compounds(reading: Reading) -> list[tuple[int, int]]:
    """The token ranges of words the tokenizer splits: hyphenated compounds ("23-year-old"
    is the tokens 23, -, year, -, old) and contractions ("wouldn't" is would, n't)."""
    lowers = reading.lowers
    spaced = reading.doc.to_array(SPACY).tolist()
    out: list[tuple[int, int]] = []

    def join(a: int, b: int) -> None:
        if out and out[-1][1] > a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))

    for i in range(1, len(lowers)):
        word = lowers[i]
        if word in _CLITICS and not spaced[i - 1] and lowers[i - 1].isalpha():
            join(i - 1, i + 1)  # "wouldn't" is would + n't
        elif word == "-" and i + 1 < len(lowers) and not spaced[i - 1] and not spaced[i] \
                and lowers[i - 1].isalnum() and lowers[i + 1].isalnum():
            join(i - 1, i + 2)
    return out


def _widened(match: Match, joined: list[tuple[int, int]]) -> Match:
    """``match`` taking in the whole of a compound it starts or ends inside."""
    start, end = match.start, match.end
    for a, b in joined:
        if a < start < b:
            start = a
        if a < end < b:
            end = b
    if (start, end) == (match.start, match.end):
        return match
    return Match(match.indicator, start, end, match.rule)


def _term_ends(term: Term, member: list[frozenset[int]], at: int) -> list[int]:
    """Where ``term`` ends when it starts at token ``at`` (none if it does not match)."""
    ends = [at]
    for index, optional in term:
        nxt = [e + 1 for e in ends if e < len(member) and index in member[e]]
        ends = nxt + ends if optional else nxt
        if not ends:
            return []
    return [e for e in ends if e > at]


def _spans(rule: Rule, member: list[frozenset[int]], where: dict[int, list[int]]
           ) -> list[tuple[int, int, set[int]]]:
    """Every span in which each term of ``rule`` matches once, within its window, shortest
    first (so that a caller who cannot use the shortest can take the next)."""
    places: list[list[tuple[int, int]]] = []
    for term in rule.terms:
        starts = range(len(member)) if term[0][1] else where.get(term[0][0], ())
        found = [(s, e) for s in starts for e in _term_ends(term, member, s)]
        if not found:
            return []
        places.append(found)
    out: dict[tuple[int, int], set[int]] = {}
    for combo in product(*places):
        start = min(s for s, _ in combo)
        end = max(e for _, e in combo)
        if end - start <= rule.window and (start, end) not in out \
                and not _overlapping(combo) \
                and not (rule.ordered and list(combo) != sorted(combo)):
            out[(start, end)] = {i for s, e in combo for i in range(s, e)}
    return [(s, e, used) for (s, e), used in sorted(out.items(),
                                                    key=lambda x: (x[0][1] - x[0][0], x[0]))]


def _overlapping(combo: tuple[tuple[int, int], ...]) -> bool:
    spans = sorted(combo)
    return any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1))


def _word_set(body: str, names: dict[str, WordSet]) -> WordSet:
    """``a|b*|@name|NUM`` as one set: words, stems, named sets and numbers together."""
    words: set[str] = set()
    stems: list[str] = []
    number = False
    for part in body.split("|"):
        if not part or part == "*":
            raise ValueError(f"empty word in {body!r}")
        if part == "NUM":
            number = True
        elif part.startswith("@"):
            if part[1:] not in names:
                raise ValueError(f"unknown word set {part!r}")
            named = names[part[1:]]
            words |= named.words
            stems.extend(named.stems)
            number = number or named.number
        elif part.endswith("*"):
            stems.append(part[:-1].lower())
        else:
            words.add(part.lower())
    return WordSet(frozenset(words), tuple(sorted(set(stems))), number)


def _compile(text: str, names: dict[str, WordSet], sets: list[WordSet],
             index: dict[WordSet, int]) -> tuple[Term, ...]:
    terms: list[Term] = []
    if " + " in text and " > " in text:
        raise ValueError("join terms with ' + ' (any order) or ' > ' (in order), not both")
    for raw_term in text.replace(" > ", " + ").split(" + "):
        term: list[tuple[int, bool]] = []
        for raw in raw_term.split():
            optional = raw.endswith("?")
            word_set = _word_set(raw.rstrip("?"), names)
            if word_set not in index:
                index[word_set] = len(sets)
                sets.append(word_set)
            term.append((index[word_set], optional))
        if not term or term[0][1]:
            raise ValueError(f"a term starts with a word that must be there: {raw_term!r}")
        terms.append(tuple(term))
    return tuple(terms)


_CHOICE = re.compile(r"\{([^{}]*)\}")


def expand(text: str) -> list[str]:
    """A rule with ``{a b|c}`` choices of whole phrases as one rule per choice.

    Examples:
        >>> expand("sent + {out of town|miles from home}")
        ['sent + out of town', 'sent + miles from home']
    """
    match = _CHOICE.search(text)
    if match is None:
        if "{" in text or "}" in text:
            raise ValueError("a '{' without its '}'")
        return [text]
    choices = [c.strip() for c in match[1].split("|")]
    if not all(choices):
        raise ValueError(f"an empty choice in {match[0]!r}")
    return [rule for choice in choices
            for rule in expand(text[:match.start()] + choice + text[match.end():])]


def _rules(key: str, raw: Any, window: int, compile_: Any) -> list[Rule]:
    if not isinstance(raw, list):
        raise ValueError("expected a list of rules")
    out = []
    for item in raw:
        spec = item if isinstance(item, dict) else {"rule": item}
        text = str(spec.get("rule", ""))
        try:
            for one in expand(text):
                out.append(Rule(key, compile_(one), int(spec.get("window", window)),
                                " > " in one, one))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"rule {text!r}: {exc}") from exc
    return out


@cache
def load_concepts(path: Path, known_ids: frozenset[str] | None) -> ConceptBook:
    """Read and compile a concept file (once per file).

    Raises:
        ProfileError: If the file cannot be read, an id is not in ``known_ids``, or a rule
            does not compile; the message names the file, the id and the rule.
    """
    data = read_data(path, "concept rules")
    if not isinstance(data.get("concepts", {}), dict):
        raise ProfileError(f"{path}: expected words, window and a mapping of concepts")
    sets: list[WordSet] = []
    index: dict[WordSet, int] = {}
    names: dict[str, WordSet] = {}
    try:
        for name, body in (data.get("words") or {}).items():
            names[str(name)] = _word_set("|".join(str(body).split()), names)
    except ValueError as exc:
        raise ProfileError(f"{path}: words: {exc}") from exc
    window = int(data.get("window", WINDOW))
    rules: list[Rule] = []
    for key, raw in (data.get("concepts") or {}).items():
        if known_ids is not None and key not in known_ids:
            raise ProfileError(f"{path}: {key!r} is not an id of the profile")
        try:
            rules.extend(_rules(str(key), raw, window,
                                lambda t: _compile(t, names, sets, index)))
        except (ValueError, KeyError) as exc:
            raise ProfileError(f"{path}: {key}: {exc}") from exc
    breaks = frozenset(str(data.get("clause_breaks", "")).lower().split())
    unless: dict[str, frozenset[str]] = {}
    for key, kinds in (data.get("unless_named") or {}).items():
        if known_ids is not None and key not in known_ids:
            raise ProfileError(f"{path}: unless_named: {key!r} is not an id of the profile")
        unless[str(key)] = frozenset(str(k) for k in (kinds or []))
    return ConceptBook(sets, rules, breaks, unless)
