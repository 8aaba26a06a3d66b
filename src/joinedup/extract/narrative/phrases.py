"""Phrase patterns written as data, compiled into spaCy token patterns.

Link and indicator phrases live in the profile's ``link_phrases.yaml`` and
``indicator_phrases.yaml``: each id maps to a list of patterns, one token after another,
separated by spaces. A token is written as:

* ``word`` or ``drove|drives|driving``: the lower-cased token is one of these words;
* ``@obj``: a macro from the file's ``macros`` (itself such a token); an alternative of a
  macro may be several tokens (``pos: "her|his|their|NAME 's"``, "Sajid's age" as well as
  "his age"), and a pattern that uses such a macro on its own becomes one pattern for the
  one-word alternatives and one for each longer one;
* ``NAME``: a name, one capitalised word or two joined by a hyphen or a space ("Leah",
  "Chiamaka-Grace", "Priya Ali"); ``NUM``: a number; ``QUOTE``: a quotation mark;
* ``_``: any one token;
* a suffix ``?`` (optional) or ``{0,3}`` (between 0 and 3 of them), as in ``_{0,3}``.

Example (``link_phrases.yaml``)::

    macros: {obj: "her|him|them|me"}
    transported: ["drove|drives|driving @obj to|home|around"]

A file that does not parse is refused at load time with :class:`ProfileError` naming the file,
the id and the pattern.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from joinedup.errors import ProfileError
from joinedup.profiles import read_data

__all__ = ["PhraseBook", "compile_pattern", "load_phrase_book", "variants"]

_QUANTIFIER = re.compile(r"(.*?)(\?|\{\d*,\d*\}|\+|\*)?$")
_SPECIAL: dict[str, dict[str, Any]] = {
    "_": {},
    "NAME": {"IS_TITLE": True},
    "NUM": {"LIKE_NUM": True},
    "QUOTE": {"IS_QUOTE": True},
}

# A name as a phrase says it: a capitalised word, or two joined by a hyphen or a space
_NAME: list[dict[str, Any]] = [{"IS_TITLE": True}, {"ORTH": "-", "OP": "?"},
                               {"IS_TITLE": True, "OP": "?"}]

PhraseBook = dict[str, list[list[dict[str, Any]]]]
"""An id (a link type, an indicator) and its compiled token patterns."""


def compile_pattern(text: str, macros: dict[str, str]) -> list[dict[str, Any]]:
    """One pattern string as a spaCy Matcher pattern.

    Examples:
        >>> compile_pattern("drove @obj to?", {"obj": "her|him"})
        [{'LOWER': 'drove'}, {'LOWER': {'IN': ['her', 'him']}}, {'LOWER': 'to', 'OP': '?'}]
    """
    tokens: list[dict[str, Any]] = []
    for raw in text.split():
        match = _QUANTIFIER.fullmatch(raw)
        assert match is not None  # the expression matches any string
        body, op = match[1], match[2]
        body = "|".join(_expand(part, macros) for part in body.split("|"))
        if "|" in body and any(part in _SPECIAL for part in body.split("|")):
            raise ValueError(f"{raw!r}: NAME, NUM, QUOTE and _ stand alone, not in a list")
        if not body:
            raise ValueError(f"empty token in {text!r}")
        if body == "NAME" and not op:
            tokens += _NAME  # "Leah", "Chiamaka-Grace", "Priya Ali"
            continue
        spec = dict(_SPECIAL[body]) if body in _SPECIAL else _words(body)
        if op:
            spec["OP"] = op
        tokens.append(spec)
    if not tokens:
        raise ValueError("empty pattern")
    return tokens


def variants(text: str, macros: dict[str, str]) -> list[str]:
    """``text`` once for each way its macros of several-token alternatives can be said.

    A writer refers to a child whose sex the report does not give by name ("worrying for
    Sajid's age"), so ``@pos`` is "her", "his", "their" or a name's possessive, which is two
    tokens where the others are one. A Matcher pattern is one run of tokens, so the pattern is
    written out once with the one-word alternatives (keeping the token's quantifier) and once
    with each longer alternative in its place.

    Examples:
        >>> variants("worrying for @pos age", {"pos": "her|his|NAME 's"})
        ['worrying for her|his age', "worrying for NAME 's age"]
    """
    out = [""]
    for raw in text.split():
        match = _QUANTIFIER.fullmatch(raw)
        assert match is not None  # the expression matches any string
        body, op = match[1], match[2] or ""
        alternatives = macros.get(body[1:], "").split("|") if body.startswith("@") else []
        longer = [a for a in alternatives if " " in a.strip()]
        if not longer:
            out = [f"{o} {raw}" for o in out]
            continue
        if op and op != "?":
            raise ValueError(f"{raw!r}: a macro of several words takes no quantifier but ?")
        short = "|".join(a for a in alternatives if " " not in a.strip())
        said = ([f"{short}{op}"] if short else []) + [a.strip() for a in longer]
        out = [f"{o} {s}" for o in out for s in said]
    return [o.strip() for o in out]


def _expand(part: str, macros: dict[str, str]) -> str:
    if not part.startswith("@"):
        return part
    if part[1:] not in macros:
        raise ValueError(f"unknown macro {part!r}")
    if " " in macros[part[1:]]:
        raise ValueError(f"{part!r} has an alternative of several words: use it on its own")
    return macros[part[1:]]


def _words(body: str) -> dict[str, Any]:
    words = [w.lower() for w in body.split("|")]
    return {"LOWER": words[0]} if len(words) == 1 else {"LOWER": {"IN": words}}


def load_phrase_book(path: Path, known_ids: frozenset[str] | None = None) -> PhraseBook:
    """Read a phrase file: ``macros`` plus id -> list of pattern strings.

    Raises:
        ProfileError: If the file cannot be read, an id is not in ``known_ids``, or a pattern
            does not compile; the message names the file, the id and the pattern.
    """
    data = read_data(path, "phrases")
    macros = {str(k): str(v) for k, v in (data.pop("macros", None) or {}).items()}
    book: PhraseBook = {}
    for key, patterns in data.items():
        if known_ids is not None and key not in known_ids:
            raise ProfileError(f"{path}: {key!r} is not an id of the profile")
        if not isinstance(patterns, list):
            raise ProfileError(f"{path}: {key}: expected a list of patterns")
        compiled = []
        for pattern in patterns:
            try:
                compiled += [compile_pattern(v, macros) for v in variants(str(pattern), macros)]
            except (ValueError, KeyError) as exc:
                raise ProfileError(f"{path}: {key}: pattern {pattern!r}: {exc}") from exc
        book[str(key)] = compiled
    return book
