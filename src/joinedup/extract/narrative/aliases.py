"""Nicknames: quoted ("known as 'Tiger'"), introduced ("a man they call Master") and said
again later ("Later Tiger and a second man...").

A nickname's value is its surface without quotes ("the Ugly One" keeps its "the", as it is
said). After a naming cue ("known as", "calls himself", "goes by", "she calls him") what is
quoted is a nickname whatever its case or look ("sam", "car zero", "K", "Little Dog"); after a
weak cue ("called", "name of", "saved as") or none, a quoted name that looks like a person's
name ("A. Rahman", "Leah Brennan") is left to :mod:`people`; so is an introduced one that is a
known given name ("a man called Sami"). The role and the age said of the person a nickname
names are read from the words around it ("a man in his forties known as" is of concern, aged
40-49).

Confidence by rule: quoted after a cue ("known as", "called") 0.9; quoted without a cue 0.7;
introduced without quotes 0.8; the same nickname said again 0.75.
"""

from __future__ import annotations

import re
from functools import cache

from joinedup.extract.narrative.people import age_after, age_before, role_before
from joinedup.extract.narrative.pipeline import (
    LOWER_LETTERS,
    UPPER_LETTERS,
    Reading,
    given_names,
    lexicon,
)

_QUOTED = re.compile(r"(?:(?<=[\s(\[,:;])|^)[\"“‘']([^\"“”‘’'\n]{1,32})[\"”’'](?![A-Za-z])")
_QUOTES = ('"', "“", "‘", "'")
_OPENING, _CLOSING = "\"“‘'", "\"”’'"
"""The marks one of which begins every match of ``_QUOTED``."""
_UP, _LOW = f"[{UPPER_LETTERS}]", f"[{LOWER_LETTERS}]"
_NICKNAME = re.compile(rf"(?:the\s+)?{_UP}[\w'-]*(?:\s+{_UP}[\w'-]*){{0,2}}|{_UP}{{2,4}}")
_PERSONLIKE = re.compile(rf"{_UP}\.?\s+{_UP}{_LOW}+|{_UP}{_LOW}+\s+{_UP}{_LOW}+")
# Cues that give a nickname rather than a name even without quotes ("a man they call Master")
_NICKNAMING = re.compile(r"\b(?:they\s+call|call(?:s|ed|ing)\s+(?:him|her)self|nicknamed|goes\s+by|"
                         r"call\s+him|call\s+her)\b", re.IGNORECASE)
# A nickname after a naming cue, as written: up to three words of any case ("sam", "car zero",
# "Little Dog"), the first with or without a full stop ("K", "K.", "Mr. Nice": a title in
# quotes after the cue is part of the nickname, not a man's surname)
_ANY_NICKNAME = re.compile(r"[^\W\d_][\w'’-]*\.?(?:\s+[\w'’-]+){0,2}")
_WORD_RUN = re.compile(rf"(?:the\s+)?{_UP}[\w'-]*(?:\s+{_UP}[\w'-]*){{0,2}}")


@cache
def _cues() -> str:
    cues = sorted((" ".join(c) for c in lexicon().raw["alias_cues"]), key=len, reverse=True)
    return rf"\b(?:{'|'.join(map(re.escape, cues))})"


@cache
def _weak_cues() -> frozenset[str]:
    """The cues after which a quotation may be a name or a label rather than a nickname
    ("called", "booked in the name of", "saved as"), as written in lower case."""
    return frozenset(" ".join(c).lower() for c in lexicon().raw.get("alias_cues_weak") or [])


def _naming(cue: str) -> bool:
    """Whether a cue (as matched, with what follows it) gives a nickname, not a name."""
    return " ".join(cue.lower().replace(",", " ").split()) not in _weak_cues()


@cache
def _cue() -> re.Pattern[str]:
    """A cue ending just before a quotation."""
    return re.compile(_cues() + r"\s*,?\s*$", re.IGNORECASE)


@cache
def _cue_anywhere() -> re.Pattern[str]:
    return re.compile(_cues(), re.IGNORECASE)


@cache
def _cue_starts() -> tuple[str, ...]:
    """The first word of each cue, in lower case: every match of :func:`_cue_anywhere` begins
    with one (for :meth:`Reading.scan`)."""
    cues = (" ".join(c) for c in lexicon().raw["alias_cues"])
    return tuple(sorted({cue.split(" ")[0].lower() for cue in cues}))


def _is_nickname(content: str) -> bool:
    if not _NICKNAME.fullmatch(content) or len(content) < 2:
        return False
    first = content.split()[0].rstrip(".").lower()
    return not (_PERSONLIKE.fullmatch(content) and (len(first) == 1 or first in given_names()))


def propose_aliases(reading: Reading) -> None:
    """Quoted and introduced nicknames, then every later mention of each."""
    text = reading.text
    found: dict[str, int] = {}  # each nickname, and where it is first introduced
    blocked = lexicon().words("not_names")
    for match in reading.scan(_QUOTED, _QUOTES):
        content = match[1].strip()
        cue = _cue().search(text[max(0, match.start() - 30):match.start()])
        cued = cue is not None
        if cue is not None and _naming(cue[0]):
            # "known as 'sam'", "calls himself 'K'", "goes by 'Little Dog'": whatever its
            # case, length or look, what such a cue quotes is a nickname
            if not _ANY_NICKNAME.fullmatch(content):
                continue
        elif not _is_nickname(content) or content in blocked:
            continue
        if len(content) <= 2 and not cued:
            continue
        if not cued and content.lower() in given_names():
            continue  # 'she thinks he is "Aftab"': a name, for people.py
        if reading.free(match.start(1), match.end(1)):
            reading.propose("alias", match.start(1), match.end(1), content,
                            0.9 if cued else 0.7, "alias.quoted" + (".cued" if cued else ""),
                            role=_role(text, match.start()),
                            attrs=_age(text, match.start(), match.end()))
            found.setdefault(content, match.end(1))
    for cue in reading.scan(_cue_anywhere(), _cue_starts(), any_case=True):
        rest = text[cue.end():]
        run = re.match(r"\s+(" + _WORD_RUN.pattern + ")", rest)
        if run is None:
            continue
        words = [w for w in run[1].split() if w not in blocked or w == "the"]
        content = " ".join(words)
        if not content or content.lower() == "the":
            continue
        if not _NICKNAMING.search(cue[0]) and not content.startswith("the "):
            continue  # "a man called Sami", "known as Sami": a name, for people.py
        start = cue.end() + run.start(1)
        end = start + len(content)
        if reading.text[start:end] == content and reading.free(start, end):
            reading.propose("alias", start, end, content, 0.8, "alias.introduced",
                            role=_role(text, start), attrs=_age(text, start, end))
            found[content] = min(found.get(content, end), end)
    _repeats(reading, found)


def _age(text: str, start: int, end: int) -> dict[str, str]:
    """The age of the person a nickname names, as the words around it say ("a man in his
    forties known as 'Tiger'", "'Tiger', aged 20 to 29,"), as ``attrs``. A quotation closed
    twice ("known as \"Mo'\", aged 40 to 49", a stray mark kept by the writer) ends at the
    last mark."""
    after = text[end:end + 60]
    age = age_after(after.lstrip(_CLOSING)) or age_before(text[max(0, start - 90):start])
    return {"age": age} if age else {}


def _role(text: str, start: int) -> str:
    """The role of the person a nickname names, from the words before it: "a man she knows
    as" is a person of concern, "a girl known as" a child; staff and professionals are never
    given nicknames here."""
    return role_before(text[max(0, start - 90):start], reach=6,
                       roles=("person_of_concern", "recruiter", "child", "victim"))


def _repeats(reading: Reading, found: dict[str, int]) -> None:
    """Every other mention of each nickname, as a whole word; of a nickname in lower case or
    of one letter ("scar", "K"), only in quotation marks, as such a word is often just a word
    ("a scar on his cheek"); of a nickname that is also a given name, only after it is first
    introduced (``found[alias]``, where that introduction ends): "Sam, aged 15, is looked
    after ... a man known as 'Sam'" names a girl before it names the man, where "BJ gives
    the girls vodka ... known as BJ" names the man both times."""
    text = reading.text
    blocked = lexicon().words("not_names")
    roles = {p.value: p.role for p in reading.proposals if p.type == "alias" and p.role}
    for alias in sorted(found, key=len, reverse=True):
        quoted = alias.islower() or len(alias.rstrip(".")) == 1
        start = text.find(alias, found[alias] if alias.lower() in given_names() else 0)
        while start >= 0:
            end = start + len(alias)
            whole = (start == 0 or not _wordlike(text[start - 1])) and (
                end == len(text) or not _wordlike(text[end]))
            if quoted:
                whole = whole and start > 0 and text[start - 1] in _OPENING \
                    and text[end:end + 1] in _CLOSING
            elif whole and _in_a_name(text, start, end, blocked):
                whole = False  # "Priya Ali (12)": the child's surname, not the man "Ali"
            if whole and reading.free(start, end):
                reading.propose("alias", start, end, alias, 0.75, "alias.repeated",
                                role=roles.get(alias, ""))
            start = text.find(alias, end)


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]*) $")
_WORD_AFTER = re.compile(r" ([^\W\d_][\w'’-]*)")


def _in_a_name(text: str, start: int, end: int, blocked: frozenset[str]) -> bool:
    """Whether ``[start, end)`` has a capitalised word that is not a common word right before
    or after it, one space away: part of a longer name ("Priya Ali", "Ali Hassan")."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER.match(text, end)
    return any(m is not None and m[1][0].isupper() and m[1] not in blocked
               for m in (before, after))


def _wordlike(ch: str) -> bool:
    return ch.isalnum() or ch in "-_"
