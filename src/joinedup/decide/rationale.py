"""Reading a decision's rationale for wording the profile refuses, however it is spelt.

A child cannot consent to their own exploitation (safeguarding.md R3), so a rationale that frames
it as consent or the child's choice is refused (``decisions.yaml``, ``refused_rationales``). A
reviewer got such rationales past plain regular expressions with a zero-width space or a soft
hyphen inside a word, a Cyrillic ``с`` for a Latin ``c``, full-width letters, or a Unicode
hyphen in "life‐style". So a rationale is first reduced by :func:`normalise` to lower-case
words separated by single spaces, and the profile's patterns are written plainly against that.

What a pattern matches is excused only where the profile's own data says the words deny the
framing rather than make it: right after a negation ("cannot consent", "not a lifestyle
choice"), right before one ("consent is not a defence"), or inside a phrase of the project's own
framing ("consent to share information", "agreed to a safety plan"). Anything else is refused:
when in doubt the principle wins, and the message asks the writer to describe the exploitation
instead of the child's choice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from joinedup.errors import ProfileError

# Cyrillic and Greek letters (after casefolding) that look like Latin ones. Folded only to
# *read* a rationale: what the panel wrote is stored as written.
CONFUSABLES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "с": "c", "ѕ": "s", "т": "t",
    "у": "y", "ԝ": "w", "х": "x", "ԁ": "d", "ь": "b", "ѵ": "v",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ζ": "z",
    # Latin letters outside ASCII that read as ASCII ones
    "ı": "i", "ȷ": "j", "ɡ": "g", "ɑ": "a",
})
# A run of separators holding one of these ends a clause: "No, consent was given" must not read
# as "no consent". Apostrophes and quotation marks do not: "can't consent" is "can t consent".
CLAUSE_CATEGORIES = frozenset({"Po", "Ps", "Pe", "Cc", "Zl", "Zp"})
NOT_CLAUSE = frozenset("'\" ")
BREAK = " . "


def normalise(text: str) -> str:
    """A rationale as the refused patterns read it: lower-case ASCII-looking words separated by
    one space, with ``" . "`` where a clause ends, and a space at each end.

    In order: Unicode NFKC (full-width and compatibility letters become plain ones); format
    characters (category Cf: zero-width spaces and joiners, soft hyphens, bidirectional marks)
    and combining accents are dropped, so they cannot split or disguise a word; casefold; the
    Cyrillic and Greek look-alikes of Latin letters are folded to them (:data:`CONFUSABLES`);
    then every run of characters that are neither letters nor digits (spaces, underscores,
    hyphens and dashes of any kind) becomes one space, or a clause break if it holds a full
    stop, comma, bracket, line break or similar.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text)
        if unicodedata.category(ch) not in ("Cf", "Mn")
    )
    text = unicodedata.normalize("NFC", text).casefold().translate(CONFUSABLES)
    return " " + re.sub(r"[\W_]+", _separator, text).strip() + " "


def _separator(run: re.Match[str]) -> str:
    for ch in run.group():
        if ch not in NOT_CLAUSE and unicodedata.category(ch) in CLAUSE_CATEGORIES:
            return BREAK
    return " "


@dataclass(frozen=True)
class RefusedWording:
    """The profile's refused framing and the wording that excuses a match of it."""

    refused: tuple[re.Pattern[str], ...]
    after: tuple[re.Pattern[str], ...] = ()  # a match right after one of these is excused
    before: tuple[re.Pattern[str], ...] = ()  # ... or right before one of these
    within: tuple[re.Pattern[str], ...] = ()  # ... or inside one of these

    def found(self, rationale: str) -> str | None:
        """The first refused wording in ``rationale`` that nothing excuses, normalised; or None."""
        text = normalise(rationale)
        covers = [m.span() for p in self.within for m in p.finditer(text)]
        for pattern in self.refused:
            for m in pattern.finditer(text):
                start, end = m.span()
                if any(a <= start and end <= b for a, b in covers):
                    continue
                if any(p.search(text, 0, start) for p in self.after):
                    continue
                if any(p.match(text, end) for p in self.before):
                    continue
                return m.group().strip()
        return None


def refused_wording(spec: dict[str, Any], where: str) -> RefusedWording:
    """Compile the ``refused_rationales`` mapping of ``decisions.yaml``.

    ``terms`` names alternations written once and used as ``{name}`` in any pattern (a regular
    expression's own ``{2,3}`` is left alone). A broken pattern is a :class:`ProfileError`
    naming ``where`` and the key.
    """
    terms = {str(k): str(v) for k, v in (spec.get("terms") or {}).items()}

    def expand(pattern: str, key: str) -> str:
        def term(m: re.Match[str]) -> str:
            if m.group(1) not in terms:
                raise ProfileError(f"{where}: {key}: unknown term {{{m.group(1)}}}")
            return f"(?:{terms[m.group(1)]})"

        return re.sub(r"\{([A-Za-z_]+)\}", term, pattern)

    def compile_all(key: str, shape: str) -> tuple[re.Pattern[str], ...]:
        raw: Iterable[Any] = spec.get(key) or ()
        try:
            return tuple(re.compile(shape.format(expand(str(p), key))) for p in raw)
        except re.error as exc:
            raise ProfileError(f"{where}: {key}: {exc}") from exc

    return RefusedWording(
        refused=compile_all("patterns", "{}"),
        after=compile_all("except_after", "(?:{}) $"),
        before=compile_all("except_before", " (?:{})"),
        within=compile_all("except_within", "{}"),
    )
