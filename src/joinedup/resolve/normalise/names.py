"""Name keys: one key for the many ways one name is written, and no key for two names.

A girl is "Kasia" to a teacher and "Katarzyna" to the police; a man is "Mohd" on a form and
"Muhammad" in a statement. Record linkage needs them to agree, so given names and surnames
are reduced to keys. The opposite error is worse here: a key that fuses different names
joins strangers' records. Keys therefore come only from the project's reviewed table
(`profiles/name_variants.yaml`) and from English diminutives under a strict rule (see
`first_name_key`); everything else folds only its accents, case and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from nicknames import NickNamer
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from joinedup.errors import ProfileError

__all__ = [
    "NAME_VARIANTS_PATH",
    "NameVariants",
    "first_name_key",
    "fold_words",
    "load_name_variants",
    "name_variants_table",
    "normalise_alias",
    "split_name",
    "surname_key",
]

NAME_VARIANTS_PATH = Path(__file__).resolve().parents[2] / "profiles" / "name_variants.yaml"
"""The project's name-variant table."""

_QUOTES = dict.fromkeys(map(ord, "'\"‘’‚‛“”„‟`´«»‹›"))
# Words that belong to the surname after them when written apart: Irish and Scottish
# O' / Mac / Mc, the Arabic article and "son of", Dutch, German, French, Italian and
# Portuguese prepositions and articles.
SURNAME_PARTICLES = frozenset(
    {"o", "mc", "mac", "al", "el", "bin", "ibn", "abu", "van", "von", "der", "den", "de", "da",
     "di", "du", "del", "della", "dos", "das", "la", "le", "st"}
)
# Letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "đ": "d", "ø": "o", "ı": "i", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)


@dataclass(frozen=True)
class NameVariants:
    """The loaded table: folded variant -> key, per section, and names never folded."""

    given: dict[str, str]
    surnames: dict[str, str]
    own_names: frozenset[str]


# Names repeat across thousands of reports: each spelling is normalised once (the functions
# below read only their argument and the fixed tables)
NAMES_CACHED = 1 << 16


@lru_cache(maxsize=NAMES_CACHED)
def normalise_alias(raw: str) -> str:
    """Return the comparison key of a nickname ("street name").

    Case, accents, quotes and punctuation are dropped and a leading "the" is removed (also
    when mistyped, "te", "thee", or said twice), because "The Ugly One", "'ugly one'" and "UGLY-ONE"
    are the same alias written down by different people.

    A number written as a digit is spelt out ("Car 9" and "Car Nine" are one nickname), as is
    a one-letter nickname ("K" and "Kay"); a title's abbreviation is written in full ("Doc",
    "the Doctor"); an irregular plural is read in the singular ("Gold Teeth", "Gold Tooth");
    and the street spelling "-sta(h)" is read as "-ster" ("Masta", "Master").

    Examples:
        >>> normalise_alias("the Ugly One"), normalise_alias("'Tiger'"), normalise_alias("Car-Zero")
        ('ugly one', 'tiger', 'car zero')
        >>> normalise_alias("Car 9"), normalise_alias("Quiet 1")
        ('car nine', 'quiet one')
        >>> normalise_alias("K."), normalise_alias("Doc"), normalise_alias("Mastah")
        ('kay', 'doctor', 'master')
        >>> normalise_alias("Gold Teeth")
        'gold tooth'
    """
    text = re.sub(r"[\W_]+", " ", _fold(raw).translate(_QUOTES)).strip()
    words = [_NUMBER_WORDS.get(w, w) for w in text.split()]
    if len(words) == 1:
        words = [_LETTER_NAMES.get(words[0], words[0])]
    words = [_TITLES.get(w, w) for w in words]
    words = [_SINGULAR.get(w, w) for w in words]
    words = [_STREET_ER.sub("er", w) for w in words]
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]  # "the The Prof", and "te Prof" typed for "the Prof"
    return " ".join(words)


@lru_cache(maxsize=NAMES_CACHED)
def fold_words(raw: str) -> str:
    """Return ``raw`` as lowercase ASCII words and digits, one space apart.

    The spelling-blind form of a place, facility or organisation name: case, accents, quotes
    and punctuation are what differs between two people typing one name ("Ma'arrat al-Nu'man",
    "Maarrat al Numan"); nothing else is changed.

    Examples:
        >>> fold_words("Ma’arrat  al-Nu'man"), fold_words("Dayr az-Zawr (Deir ez-Zor)")
        ('maarrat al numan', 'dayr az zawr deir ez zor')
    """
    return re.sub(r"[\W_]+", " ", _fold(raw).translate(_QUOTES)).strip()


# A nickname that is one letter is also written as the letter's name ("K" and "Kay", "J" and
# "Jay"): both are keyed by the name, the form a spoken nickname is most often written in.
_LETTER_NAMES: dict[str, str] = {
    "b": "bee", "c": "cee", "d": "dee", "g": "gee", "j": "jay", "k": "kay", "t": "tee",
    "v": "vee", "z": "zed",
}
# Titles used as nicknames, and their usual abbreviations ("Doc" / "the Doctor")
_TITLES: dict[str, str] = {
    "doc": "doctor", "docs": "doctor", "dr": "doctor", "prof": "professor", "capt": "captain",
    "cap": "captain",
    "mister": "mr", "sarge": "sergeant", "rev": "reverend",
}
# A leading "the", also mistyped, is no part of a nickname (said twice: "the The Prof")
# "the" and its commonest slips in typing (a letter dropped, doubled or swapped), and "tha" as
# it is written in street spelling
_ARTICLES = frozenset({"the", "teh", "te", "hte", "th", "thee", "tha"})
# Irregular plurals, read in the singular: one man is "Gold Teeth" to one child and "Gold
# Tooth" to another. (Regular plurals are not touched: "Boss" and "Sweets" are not plurals of
# anything a nickname would be.)
_SINGULAR: dict[str, str] = {
    "teeth": "tooth", "feet": "foot", "men": "man", "women": "woman", "mice": "mouse",
    "geese": "goose",
}
# The street spelling of a final unstressed -ster: "Masta", "Mastah" (Master), "Gangsta",
# "Monsta". Only after "st": "Papa" is not "Paper", nor "Sarah" "Sarer".
_STREET_ER = re.compile(r"(?<=[a-z]st)ah?$")


_NUMBER_WORDS: dict[str, str] = {
    str(i): word
    for i, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}


def split_name(full: str) -> tuple[str | None, str | None]:
    """Return the first and last token of a full name, casefolded and accent-folded.

    Middle names are dropped: reports give them so inconsistently that they would only
    separate mentions of one person. "Surname, Given" (a comma) is read in that order.

    Examples:
        >>> split_name("Mohammed Ali Khan")
        ('mohammed', 'khan')
        >>> split_name("Zoë")
        ('zoe', None)
        >>> split_name("Sean O Sullivan"), split_name("Layla Al Sayed")
        (('sean', 'o-sullivan'), ('layla', 'al-sayed'))
    """
    text = _fold(full).translate(_QUOTES)
    if "," in text:
        last, _, given = text.partition(",")
        text = f"{given} {last}"
    tokens = [t.strip("-") for t in re.sub(r"[^\w\-]+", " ", text).split()]
    tokens = [t for t in tokens if t]
    if not tokens:
        return None, None
    if len(tokens) == 1:
        return tokens[0], None
    # a surname particle written as a word of its own stays with the surname: "O Sullivan",
    # "Al Sayed", "van der Berg" are one surname (never the given name, the first token)
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1] in SURNAME_PARTICLES:
        start -= 1
    return tokens[0], "-".join(tokens[start:])


@lru_cache(maxsize=NAMES_CACHED)
def first_name_key(name: str) -> str:
    """Return the key shared by the spellings, transliterations and diminutives of a given name.

    The rule, in order:
        1. A name in the project table takes that group's key (Mohd -> muhammad,
           Kasia -> catherine).
        2. A name listed in the table as a name in its own right keeps itself (Amy, Evan).
        3. Otherwise an English diminutive from the `nicknames` package folds to its full
           name, but only if all the names it is listed under share one key, and that
           name is longer and starts with the same letter (a diminutive shortens; this
           drops the package's reversed and far-fetched entries such as Leah -> Ashley):
           Jim -> james; Al (Alan, Albert, Alfred...) keeps "al". The result is folded
           again, so a key is stable: first_name_key(key) == key.
        4. Anything else is its own key.

    Keys are lowercase ASCII letters; a name with none (e.g. in Arabic script) gives "".

    Args:
        name: One given name, possibly written as two words ("Abdi Rahman").

    Examples:
        >>> first_name_key("Mohd"), first_name_key("Billy"), first_name_key("Yusuf")
        ('muhammad', 'william', 'yusuf')
    """
    folded = _key_form(name)
    variants = _variants()
    if folded in variants.given:
        return variants.given[folded]
    if folded in variants.own_names or not folded:
        return folded
    full = _diminutive_of(folded)
    return folded if full == folded else first_name_key(full)


TYPO_SIMILARITY = 0.93  # Jaro-Winkler to a table name above which a spelling is its typo
MIN_TYPO_LENGTH = 5  # shorter names are too close to each other to guess a typo


@cache
def first_name_alternatives(name: str) -> list[str]:
    """Every key a given name could stand for: its own; for an English diminutive, the keys of
    all the full names the `nicknames` package lists it under; and for a misspelling of a
    name in the project's table ("Katarzina"), the key of the name it is closest to, unless
    the table lists the name as one in its own right ("Hodan" is a Somali name, not a
    misspelling of Arabic "Hoda").

    Ambiguous diminutives ("Sam": Samuel or Samantha) get no single key from
    :func:`first_name_key`; comparing alternatives still lets "Sammy" meet "Samantha". A name
    the project table lists has only its table key: the table's groups are what the project
    reviewed, and the package's other readings of them are the ones it turned down.

    Examples:
        >>> first_name_alternatives("Becky")
        ['becky', 'rebecca']
        >>> first_name_alternatives("Katarzina")
        ['catherine', 'katarzina']
    """
    folded = _key_form(name)
    if not folded:
        return []
    keys = {first_name_key(folded)}
    given = _variants().given
    # a name in its own right is never a misspelling of a table name ("Hodan" is not "Hoda")
    if folded not in given and folded not in _variants().own_names and len(
        folded
    ) >= MIN_TYPO_LENGTH:
        match = process.extractOne(folded, list(given), scorer=JaroWinkler.normalized_similarity,
                                   score_cutoff=TYPO_SIMILARITY)
        if match is not None:
            keys.add(given[match[0]])
    if folded in given:
        # the table decides what a name it lists stands for: the package's other readings
        # ("Anna" under Hannah, "Ali" under Alison, "Peter" under Patrick) are what it rejected
        return sorted(keys)
    for full in _nicknamer().canonicals_of(folded):
        full_key = _key_form(full)
        if len(full_key) > len(folded):
            keys.add(first_name_key(full_key))
    return sorted(keys)


@lru_cache(maxsize=NAMES_CACHED)
def surname_key(name: str) -> str:
    """Return the key shared by the spelling variants of a surname.

    Accents, case, spaces and punctuation are folded ("O'Brien" -> "obrien"); the table
    joins spellings (Chaudhry -> chowdhury) and the sexed forms of Polish surnames
    (Kowalska -> kowalski). Unknown surnames fold to themselves.

    Three rules fold what the table need not list, before and after looking it up:
        - the Arabic article is dropped when written apart ("Al-Sayed", "El Sayed" and "Sayed"
          are one family name: records keep or drop the article at will);
        - a leading "Mac" is written "Mc" (McCarthy / MacCarthy, McKay / Mackay: UK indexes
          file them as one name);
        - the sexed and anglicised endings of Slavic adjectival surnames fold to the
          masculine Polish form: -ska, -sky, -skiy, -skaya -> -ski and -cka, -cky -> -cki
          (Kowalska, Kowalsky -> kowalski; Zielinska -> zielinski), and in such a surname
          v is written w, as Polish spells the sound (Kovalski -> kowalski).

    Examples:
        >>> surname_key("Choudhury"), surname_key("O'Brien"), surname_key("Smith-Jones")
        ('chowdhury', 'obrien', 'smithjones')
        >>> surname_key("Al-Sayed"), surname_key("MacCarthy"), surname_key("Lewandowska")
        ('saeed', 'mccarthy', 'lewandowski')
    """
    text = _fold(name).translate(_QUOTES).strip()
    article = re.match(r"(?:al|el)[\s\-]+(?=[a-z])", text)
    if article and len(_key_form(text[article.end():])) >= 3:
        text = text[article.end():]
    folded = _key_form(text)
    surnames = _variants().surnames
    if folded in surnames:
        return surnames[folded]
    folded = _surname_rules(folded)
    return surnames.get(folded, folded)


# Slavic adjectival surnames: the feminine and the anglicised (Russian-style) endings
_SLAVIC_ENDING = re.compile(r"(?<=[a-z]{3})(s|c|dz)k(?:a|y|iy|ii|aya)$")
_MAC = re.compile(r"^mac(?=[^aeiouy][a-z]{2})")


def _surname_rules(folded: str) -> str:
    """The generic spelling rules of :func:`surname_key` on a folded surname."""
    folded = _SLAVIC_ENDING.sub(r"\1ki", _MAC.sub("mc", folded))
    if folded.endswith(("ski", "cki")):
        # Polish w is said v, and English-style (and Russian) spellings write it so:
        # Kovalski / Kowalski, Levandowski / Lewandowski
        folded = folded.replace("v", "w")
    return folded


def name_variants_table() -> dict[str, str]:
    """Return the project table as folded variant -> key, given names and surnames together.

    The file is read once per process. A variant has one key across both sections (the
    loader checks it), so the two merge without loss.
    """
    variants = _variants()
    return {**variants.given, **variants.surnames}


def load_name_variants(path: Path) -> NameVariants:
    """Load and check a name-variant table.

    Raises:
        ProfileError: If the file cannot be read, a group is malformed, a variant appears in
            two groups of a section or under two keys, or a name in its own right is also
            a variant. The message names the file and the entry.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path}: cannot read the name-variant table: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: expected a mapping with given_names and surnames")
    given = _load_section(path, data, "given_names")
    surnames = _load_section(path, data, "surnames")
    for variant in sorted(given.keys() & surnames.keys()):
        if given[variant] != surnames[variant]:
            raise ProfileError(
                f"{path}: {variant!r} has key {given[variant]!r} in given_names but "
                f"{surnames[variant]!r} in surnames",
                hint="a variant must have one key across the whole table",
            )
    own_names = frozenset(_key_form(str(n)) for n in data.get("names_in_their_own_right") or [])
    for name in sorted(own_names & given.keys()):
        raise ProfileError(
            f"{path}: names_in_their_own_right: {name!r} is also a given-name variant"
        )
    return NameVariants(given=given, surnames=surnames, own_names=own_names)


def _load_section(path: Path, data: dict[str, Any], section: str) -> dict[str, str]:
    groups = data.get(section)
    if not isinstance(groups, list):
        raise ProfileError(f"{path}: {section}: expected a list of groups")
    table: dict[str, str] = {}
    owner: dict[str, int] = {}
    for index, group in enumerate(groups):
        where = f"{path}: {section}[{index}]"
        if not (isinstance(group, dict) and isinstance(group.get("variants"), list)):
            raise ProfileError(f"{where}: each group needs a key and a list of variants")
        key = group.get("key")
        if not isinstance(key, str) or not key or _key_form(key) != key:
            raise ProfileError(f"{where}: key {key!r} must be lowercase ASCII letters")
        for variant in dict.fromkeys([key, *map(str, group["variants"])]):
            folded = _key_form(variant)
            if not folded:
                raise ProfileError(f"{where} ({key}): variant {variant!r} has no letters")
            if owner.setdefault(folded, index) != index:
                raise ProfileError(
                    f"{where} ({key}): variant {variant!r} is already in group {table[folded]!r}",
                    hint="a variant may belong to one group only; merge or split the groups",
                )
            table[folded] = key
    return table


@cache
def _variants() -> NameVariants:
    return load_name_variants(NAME_VARIANTS_PATH)


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def _diminutive_of(name: str) -> str:
    given = _variants().given
    keys = {given.get(full, full) for full in map(_key_form, _nicknamer().canonicals_of(name))}
    if len(keys) != 1:
        return name
    full = keys.pop()
    return full if len(full) > len(name) and full[:1] == name[:1] else name


@lru_cache(maxsize=NAMES_CACHED)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=NAMES_CACHED)
def _key_form(text: str) -> str:
    return re.sub(r"[^a-z]", "", _fold(text))
