"""Reading a decision's rationale for wording the profile refuses, however it is spelt.

A child cannot consent to their own exploitation (safeguarding.md R3), so a rationale that frames
it as consent, the child's choice or the child's doing is refused (``decisions.yaml``,
``refused_rationales``). A reviewer got such rationales past plain regular expressions with a
zero-width space or a soft hyphen inside a word, a Cyrillic ``с`` for a Latin ``c``, full-width
letters, or a Unicode hyphen in "life‐style"; a later review with a word spelt out letter by
letter ("l i f e s t y l e", "c.o.n.s.e.n.t"), a word split in two ("cons ensual") and a double
negation ("no evidence it was not consensual"). So a rationale is first reduced by
:func:`normalise` to lower-case words separated by single spaces, a run of single letters is
read as the words it spells and the pieces of a split refused word are joined
(:meth:`RefusedWording.read`), and the profile's patterns are written plainly against that.

What a pattern matches is excused only where the profile's own data says the words deny the
framing rather than make it: right after a negation ("cannot consent", "not a lifestyle
choice"), right before one ("consent is not a defence"), or inside a phrase of the project's own
framing ("consent to share information", "agreed to a safety plan"). A negation is no excuse
when the clause doubts it in turn ("no evidence it was not consensual", "not clear it wasn't her
choice"): two negations assert the framing. Anything else is refused: when in doubt the
principle wins, and the message asks the writer to describe the exploitation instead of the
child's choice.
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
    return _separate(_fold(text))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text)
        if unicodedata.category(ch) not in ("Cf", "Mn")
    )
    return unicodedata.normalize("NFC", text).casefold().translate(CONFUSABLES)


def _separate(text: str) -> str:
    return " " + re.sub(r"[\W_]+", _separator, text).strip() + " "


def _separator(run: re.Match[str]) -> str:
    for ch in run.group():
        if ch not in NOT_CLAUSE and unicodedata.category(ch) in CLAUSE_CATEGORIES:
            return BREAK
    return " "


# A letter standing alone: not the "t" of "isn't" or the "s" of "it's" (an apostrophe after a
# word of two letters or more), nor the "i" and "m" of "I'm". A quotation mark before or after
# a letter does not stop it: "'l i f e s t y l e'" is spelt out all the same.
_APOSTROPHE = "'\u2019\u02bc"
_LONE = (
    rf"(?<!\w)(?<!\w\w[{_APOSTROPHE}])(?<!\bi[{_APOSTROPHE}])[^\W\d_]"
    rf"(?!\w)(?![{_APOSTROPHE}](?:m|d|ll|ve)\b)"
)
# Two or more lone letters, each apart from the next by at most five spaces or punctuation
# marks: "l i f e", "l-i-f-e", "l.i.f.e", "l . i . f . e". Initials ("J. S. M.") are such a run
# too; read as one word ("jsm") they say nothing the patterns look for.
SPELT_OUT = re.compile(rf"{_LONE}(?:[\W_]{{1,5}}{_LONE})+")
LONGEST_SPLIT = 24  # characters: a refused word is joined from pieces no longer than this


@dataclass(frozen=True)
class RefusedWording:
    """The profile's refused framing and the wording that excuses a match of it."""

    refused: tuple[re.Pattern[str], ...]
    after: tuple[re.Pattern[str], ...] = ()  # a match right after one of these is excused
    before: tuple[re.Pattern[str], ...] = ()  # ... or right before one of these
    within: tuple[re.Pattern[str], ...] = ()  # ... or inside one of these
    # The refused words written whole: pieces of the rationale that spell one ("cons ensual",
    # "life sty le") are joined, and a run of lone letters is split around it.
    words: tuple[re.Pattern[str], ...] = ()
    # The other words a run of lone letters is split into ("itwasnotconsensual").
    spelling: tuple[re.Pattern[str], ...] = ()
    # Wording that doubts what follows it in the clause ("no evidence", "not clear", "cannot
    # say"): a negation after it no longer excuses a match, unless doubted twice.
    doubting: tuple[re.Pattern[str], ...] = ()
    not_doubting: tuple[re.Pattern[str], ...] = ()  # ... but not inside one of these
    clause_joins: tuple[re.Pattern[str], ...] = ()  # a clause restarts after one of these
    # Wording that denies the framing by itself ("unwilling", "against her will"): refused when
    # negated or doubted an odd number of times ("not unwilling", "no evidence she was
    # unwilling"). A group named ``neg`` holds the negation right before it, if any.
    self_negating: tuple[re.Pattern[str], ...] = ()

    def found(self, rationale: str) -> str | None:
        """The first refused wording in ``rationale`` that nothing excuses, as read (from the
        doubt, when a doubted negation is why: "no evidence it was not consensual"); or None."""
        text = self.read(rationale)
        covers = [m.span() for p in self.within for m in p.finditer(text)]

        def covered(start: int, end: int) -> bool:
            return any(a <= start and end <= b for a, b in covers)

        for pattern in self.refused:
            for m in pattern.finditer(text):
                # A group named "w" is the wording the excuses are read around; the rest of
                # the match is context ("she said she [wanted to]").
                start, end = m.span("w") if "w" in pattern.groupindex else m.span()
                if covered(start, end):
                    continue
                excused, quote = self._excused_after(text, start)
                if excused or any(p.match(text, end) for p in self.before):
                    continue
                return text[min(quote, m.start()):m.end()].strip()
        for pattern in self.self_negating:
            for m in pattern.finditer(text):
                if covered(*m.span()):
                    continue
                negated = m.group("neg") if "neg" in pattern.groupindex else None
                doubted = self.doubts(text, m.start())
                if (bool(negated) + len(doubted)) % 2:
                    return text[doubted[0][0] if doubted else m.start():m.end()].strip()
        return None

    def read(self, rationale: str) -> str:
        """``rationale`` as the patterns read it: :func:`normalise`, with each run of lone letters
        read as the words it spells and the pieces of a split refused word joined."""
        text = _separate(SPELT_OUT.sub(self._spelt_out, _fold(rationale)))
        tokens = [piece for token in text.split() for piece in self._run_together(token)]
        return " " + " ".join(self._join_pieces(tokens)) + " "

    def _spelt_out(self, run: re.Match[str]) -> str:
        """A run of lone letters as one word, split around each known word it holds: "l i f e s t
        y l e" is "lifestyle", "a l i f e s t y l e" is "a lifestyle", "n o t h e r c h o i c e"
        is "not her choice"."""
        return " ".join(self._split(
            "".join(ch for ch in run.group() if ch.isalpha())
        ))

    def _split(self, letters: str) -> list[str]:
        """``letters`` split before and after the longest known word at each place, from the
        left; what lies between known words is kept as it is."""
        lexicon = self.words + self.spelling
        pieces: list[str] = []
        pos = rest = 0
        while pos < len(letters):
            end = max(
                (m.end() for p in lexicon if (m := p.match(letters, pos)) is not None),
                default=pos,
            )
            if end > pos:  # the longest known word starting here
                pieces += [letters[rest:pos], letters[pos:end]]
                pos = rest = end
            else:
                pos += 1
        pieces.append(letters[rest:])
        return [p for p in pieces if p]

    def _run_together(self, token: str) -> list[str]:
        """A word written together with its neighbours, apart: "itwasconsensual" is "it was
        consensual", "lifestylechoice" "lifestyle choice". Only a word that holds a refused word
        and is made wholly of known words is split, so "willingness" or "unwilling" is not."""
        if len(token) < 6 or not any(p.search(token) for p in self.words):
            return [token]
        pieces = self._split(token)
        lexicon = self.words + self.spelling
        if len(pieces) > 1 and all(any(p.fullmatch(x) for p in lexicon) for x in pieces):
            return pieces
        return [token]

    def _join_pieces(self, tokens: list[str]) -> list[str]:
        """Join adjacent words (across a clause break too) that together spell a refused word:
        "cons ensual", "con. sent", "life sty le". The longest such run from each word wins."""
        out: list[str] = []
        i = 0
        while i < len(tokens):
            best, joined, pieces, j = i, tokens[i], [tokens[i]], i + 1
            while tokens[i] != "." and j < len(tokens) and len(pieces) < 8:
                if tokens[j] != ".":
                    pieces.append(tokens[j])
                    word = "".join(pieces)
                    if len(word) > LONGEST_SPLIT:
                        break
                    if any(p.fullmatch(word) for p in self.words):
                        best, joined = j, word
                j += 1
            out.append(joined)
            i = best + 1
        return out

    def _excused_after(self, text: str, start: int) -> tuple[bool, int]:
        """Whether a match at ``start`` comes right after an excusing negation that the clause
        does not doubt in turn ("not consensual", but not "no evidence it was not consensual"),
        and where the wording to show begins (at the doubt, if one is why not)."""
        quote = start
        for p in self.after:
            m = p.search(text, 0, start)
            if m is None:
                continue
            doubted = self.doubts(text, m.start())
            if len(doubted) % 2 == 0:
                return True, start
            quote = min(quote, doubted[0][0])
        return False, quote

    def doubts(self, text: str, pos: int) -> list[tuple[int, int]]:
        """Where the clause before ``pos`` doubts what follows, in order: "no evidence", "not
        clear", "cannot say", a negation right before ("not non-consensual") count; "no doubt",
        and a person not knowing or seeing something ("he did not know she was under the age of
        consent"), do not. The clause starts at a full stop, comma or the like, or after a
        word that joins a new clause ("and", "because") outside a doubting phrase. An odd
        number of doubts undoes a negation; an even number leaves it standing."""
        begin = text.rfind(BREAK, 0, pos)
        begin = 0 if begin < 0 else begin + len(BREAK) - 1
        neutral = [m.span() for p in self.not_doubting for m in p.finditer(text, begin, pos)]
        spans = sorted(
            m.span() for p in self.doubting for m in p.finditer(text, begin, pos)
            if not any(a < m.end() and m.start() < b for a, b in neutral)
        )
        inside = [*neutral, *spans]
        for p in self.clause_joins:
            for m in p.finditer(text, begin, pos):
                if not any(a <= m.start() and m.end() <= b for a, b in inside):
                    begin = max(begin, m.end())
        counted: list[tuple[int, int]] = []
        reach = -1
        for a, b in spans:
            if a >= begin and a >= reach:  # overlapping doubts are one
                counted.append((a, b))
            reach = max(reach, b)
        return counted


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

    words = compile_all("words", "(?:{})")
    if any(p.fullmatch("") for p in words):
        raise ProfileError(f"{where}: words: a word must not match nothing")
    return RefusedWording(
        refused=compile_all("patterns", "{}"),
        after=compile_all("except_after", "(?:{}) $"),
        before=compile_all("except_before", " (?:{})"),
        within=compile_all("except_within", "{}"),
        words=words,
        spelling=compile_all("spelling", "(?:{})"),
        doubting=compile_all("doubting", "{}"),
        not_doubting=compile_all("not_doubting", "{}"),
        clause_joins=compile_all("clause_joins", r"\b(?:{})\b"),
        self_negating=compile_all("self_negating", "{}"),
    )
