"""Transliteration skeletons: one key for the Latin spellings of one Arabic name.

An Arabic name reaches a report through an English, French or German ear: دقنيش is "Daqneesh",
"Dakneesh", "Daqnish"; عمران is "Omran" and "Imran"; شيخ is "Sheikh", "Cheikh", "Shaykh". Arabic
short vowels are not written, so spellings disagree mostly on vowels and on the letters chosen
for sounds English lacks (q or k, kh, gh, dh, ou or u). The skeleton keeps what spellings agree
on: the consonants, each sound one letter, with any vowel that opens the name written "'".

A skeleton is a blocking and comparison aid, never a merge on its own: many names share one
("Amran" and "Omran"), so callers use it beside the project's variant table and a string
similarity (see :mod:`joinedup.resolve.victims`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from jellyfish import levenshtein_distance

from joinedup.resolve.normalise.names import fold_words

__all__ = ["skeleton", "skeleton_distance"]

# sounds written with two letters, or with different letters by different traditions;
# longest first, so "kh" is read before "h"
_SOUNDS = (("sch", "$"), ("tch", "$"), ("kh", "x"), ("gh", "g"), ("sh", "$"), ("ch", "$"),
           ("th", "t"), ("dh", "d"), ("ph", "f"), ("dj", "j"), ("ck", "k"), ("q", "k"),
           ("c", "k"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "i"), ("ie", "i"))
_VOWELS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=1 << 14)
def skeleton(name: str) -> str:
    """The consonant skeleton of a name (each word, joined by spaces).

    Examples:
        >>> skeleton("Daqneesh"), skeleton("Dakneesh"), skeleton("Daqnish")
        ('dkn$', 'dkn$', 'dkn$')
        >>> skeleton("Omran"), skeleton("Imran"), skeleton("Sheikh"), skeleton("Cheikh")
        ("'mrn", "'mrn", '$x', '$x')
    """
    return " ".join(_word(w) for w in fold_words(name).split())


def _word(word: str) -> str:
    for written, sound in _SOUNDS:
        word = word.replace(written, sound)
    opening = "'" if word[:1] in "aeiouy" else ""
    body = _VOWELS.sub("", word)
    body = re.sub(r"h$", "", body) if len(body) > 1 else body  # Hamzah / Hamza
    return opening + re.sub(r"(.)\1+", r"\1", body)


def skeleton_distance(a: str, b: str) -> int:
    """Letters to change to turn one name's skeleton into the other's (Levenshtein).

    Examples:
        >>> skeleton_distance("Daqneesh", "Daqmeesh")
        1
    """
    return int(levenshtein_distance(skeleton(a), skeleton(b)))
