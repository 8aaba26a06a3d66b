"""Reading a decision's rationale for wording the profile refuses, however it is spelt.

A child cannot consent to their own exploitation (safeguarding.md R3), so a rationale that frames
it as consent, the child's choice or the child's doing is refused (``decisions.yaml``,
``refused_rationales``). Reviewers got such rationales past plain regular expressions with a
zero-width space or a soft hyphen inside a word, a Cyrillic ``с`` for a Latin ``c``, full-width
letters or a Unicode hyphen in "life‐style"; with a word spelt out letter by letter ("l i f e s t
y l e", "c.o.n.s.e.n.t"), split in two ("cons ensual") or a double negation ("no evidence it was
not consensual"); and with a digit or symbol drawn like a letter ("c0nsensual", "l1festyle",
"$he", a capital I for an l in "consensuaI"). So a rationale is first folded by :func:`normalise`
to lower-case words separated by single spaces, the look-alikes of other scripts read as the
Latin letters they are drawn like (Unicode's confusables data, :func:`latin_lookalike`); then a
run of single letters is read as the words it spells, a digit or symbol inside a word is read as
the letter that makes a known word of it, and the pieces of a split refused word are joined
(:meth:`RefusedWording.read`). The profile's patterns are written plainly against that.

What a pattern matches is excused only where the profile's own data says the words deny the
framing rather than make it: right after a negation ("cannot consent", "not a lifestyle
choice"), right before one ("consent is not a defence"), or inside a phrase of the project's own
framing ("consent to share information", "agreed to a safety plan"). A negation is no excuse
when the clause doubts it in turn ("no evidence it was not consensual", "not clear it wasn't her
choice"): two negations assert the framing. A doubt reaches the clause after it, not one run on
after that without punctuation ("no concerns at school she went missing it was not consensual").
Anything else is refused: when in doubt the principle wins, and the message asks the writer to
describe the exploitation instead of the child's choice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import product
from math import prod
from typing import Any

from confusable_homoglyphs.confusables import confusables_data

from joinedup.errors import ProfileError

# Small letters that Unicode's confusables data pairs with no Latin letter although they are
# drawn like one: their capitals look like other letters (Greek Η, Μ, Ω), so reading them as
# their capitals would be wrong. Everything else comes from the data (latin_lookalike).
SMALL_LOOKALIKES = {"η": "n", "μ": "u", "ω": "w", "ȷ": "j"}
# Hangul fillers are letters (category Lo) that draw nothing: dropped like zero-width spaces.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# A run of separators holding one of these ends a clause: "No, consent was given" must not read
# as "no consent". Apostrophes and quotation marks do not: "can't consent" is "can t consent".
CLAUSE_CATEGORIES = frozenset({"Po", "Ps", "Pe", "Cc", "Zl", "Zp"})
NOT_CLAUSE = frozenset("'\" ")
BREAK = " . "


def normalise(text: str) -> str:
    """A rationale as the refused patterns read it: lower-case ASCII-looking words separated by
    one space, with ``" . "`` where a clause ends, and a space at each end.

    In order: Unicode NFKC (full-width and compatibility letters become plain ones); format
    characters (category Cf: zero-width spaces and joiners, soft hyphens, bidirectional marks),
    blank letters and combining marks are dropped, so they cannot split or disguise a word; the
    look-alikes of Latin letters in other scripts become those letters (:func:`latin_lookalike`);
    casefold; then every run of characters that are neither letters nor digits (spaces,
    underscores, hyphens and dashes of any kind) becomes one space, or a clause break if it
    holds a full stop, comma, bracket, line break or similar. A digit or symbol drawn like a
    letter is left to :meth:`RefusedWording.read`, which knows the words it could make.
    """
    return _separate(_fold(text).casefold())


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text)
        if unicodedata.category(ch) not in ("Cf", "Mn", "Me") and ch not in BLANK_LETTERS
    )
    return "".join(latin_lookalike(ch) for ch in unicodedata.normalize("NFC", text))


@lru_cache(maxsize=8192)
def latin_lookalike(ch: str) -> str:
    """The Latin letter (or digit) a character outside ASCII is drawn like, else the character.

    From Unicode's confusables data (UTS #39, by way of ``confusable_homoglyphs``): Cyrillic
    "с" is "c", Armenian "օ" "o", Greek "Κ" "K", "ł" "l". A small letter with no Latin look-alike
    of its own is read as its capital is (Cyrillic "т" as "Т", so "t"), but for the few in
    :data:`SMALL_LOOKALIKES`. A capital drawn like "l" (Cyrillic "І", Greek "Ι") is read as a
    capital I, which :meth:`RefusedWording.read` takes for either. Only to *read* a rationale:
    what the panel wrote is stored as written.

    Examples:
        >>> latin_lookalike("с"), latin_lookalike("т"), latin_lookalike("І"), latin_lookalike("c")
        ('c', 't', 'I', 'c')
    """
    if ch.isascii():
        return ch
    found = _prototype(ch) or SMALL_LOOKALIKES.get(ch)
    if found is None and ch.upper() != ch:
        capital = _prototype(ch.upper())
        found = capital.lower() if capital else None
    if found == "l" and ch.isupper():
        return "I"
    return found or ch


def _prototype(ch: str, depth: int = 3) -> str | None:
    """The ASCII letters or digits Unicode's data gives as ``ch``'s look-alike, through up to
    ``depth`` steps (``ʜ`` for "н", then "H"); marks drawn through it ("l̸" for "ł") dropped."""
    for entry in confusables_data.get(ch, ()):
        glyph = "".join(c for c in unicodedata.normalize("NFD", entry["c"])
                        if not unicodedata.combining(c))
        if glyph.isascii() and glyph.isalnum():
            return glyph
        if depth and len(glyph) == 1 and glyph != ch:
            found = _prototype(glyph, depth - 1)
            if found:
                return found
    return None


def _separate(text: str) -> str:
    return " " + re.sub(r"[\W_]+", _separator, text).strip() + " "


def _separator(run: re.Match[str]) -> str:
    for ch in run.group():
        if ch not in NOT_CLAUSE and unicodedata.category(ch) in CLAUSE_CATEGORIES:
            return BREAK
    return " "


# ASCII digits and symbols drawn like letters, with the letters each may stand for, and a
# capital I, which may be a small l ("consensuaI"). Read so only inside a word that has other
# letters too ("c0nsensual", "$he", "l1festyle"), and only where that makes more of the word
# known words (RefusedWording._unmask): "16", "15-year-old", "2 men" and "OL11" are left alone.
LOOKALIKES = {
    "0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "6": "bg", "7": "t", "8": "b", "9": "g",
    "$": "s", "@": "a", "|": "li", "!": "il", "€": "e", "I": "l",
}
# A word as written, with any symbols drawn like letters inside it or before it ("$he", "w!ll"),
# not after it ("consent!").
MASKED_WORD = re.compile(r"[$@|!€]?[^\W_]+(?:[$@|!€]+[^\W_]+)*")
MOST_READINGS = 512  # readings of one word tried; a word with more is left as written


def _readings(word: str, at: list[int]) -> list[str]:
    """What the look-alike at each of ``at`` in ``word`` (all one character) may be read as:
    itself first, then its letters, then nothing if it is a digit between two letters
    ("c1o1n1s1e1n1t"; not the "86" of "86a")."""
    ch = word[at[0]]
    between = all(0 < i < len(word) - 1 and word[i - 1].isalpha() and word[i + 1].isalpha()
                  for i in at)
    return [ch, *LOOKALIKES[ch], *([""] if ch.isdigit() and between else [])]


# A letter standing alone: not the "t" of "isn't" or the "s" of "it's" (an apostrophe after a
# word of two letters or more), nor the "i" and "m" of "I'm". A quotation mark before or after
# a letter does not stop it: "'l i f e s t y l e'" is spelt out all the same.
_APOSTROPHE = "'\u2019\u02bc"
_LONE = (
    rf"(?<!\w)(?<!\w\w[{_APOSTROPHE}])(?<!\bi[{_APOSTROPHE}])[^\W\d_]"
    rf"(?!\w)(?![{_APOSTROPHE}](?:m|d|ll|ve)\b)"
)
# Two or more lone letters, each apart from the next by any number of spaces or punctuation
# marks, or by a digit standing alone as well: "l i f e", "l-i-f-e", "c - o - n", "l . i . f .
# e", "c 0 n s e n t". Initials ("J. S. M.") are such a run too; read as one word ("jsm") they
# say nothing the patterns look for.
SPELT_OUT = re.compile(rf"{_LONE}(?:[\W_]+(?:\d[\W_]+)*{_LONE})+", re.IGNORECASE)
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
    # Where a clause of its own begins, a subject and its verb ("she went", "it was"): a doubt
    # reaches the first after it, and one after that only through ``embedding``.
    clauses: tuple[re.Pattern[str], ...] = ()
    # Wording right before a clause that makes it part of the one before ("she said [it was]",
    # "sure [it was]", "that [it was]"): "no evidence she said it was not consensual" is doubted
    # throughout, "no concerns at school she went missing it was not consensual" is not.
    embedding: tuple[re.Pattern[str], ...] = ()
    # Every word the patterns are written in: a digit or symbol inside a word is read as the
    # letter that makes more of the word into these, the refused words or the spelling.
    vocabulary: frozenset[str] = frozenset()

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
        read as the words it spells, digits and symbols inside a word read as the letters they
        are drawn like, and the pieces of a split refused word joined."""
        text = SPELT_OUT.sub(self._spelt_out, _fold(rationale))
        text = _separate(MASKED_WORD.sub(lambda m: self._unmask(m.group()), text).casefold())
        tokens = [piece for token in text.split() for piece in self._run_together(token)]
        return " " + " ".join(self._join_pieces(tokens)) + " "

    def _spelt_out(self, run: re.Match[str]) -> str:
        """A run of lone letters as one word, split around each known word it holds: "l i f e s t
        y l e" is "lifestyle", "a l i f e s t y l e" is "a lifestyle", "n o t h e r c h o i c e"
        is "not her choice", "c 0 n s e n t" is "consent"."""
        return " ".join(self._split(
            self._unmask("".join(ch for ch in run.group() if ch.isalnum()))
        ))

    def _unmask(self, word: str) -> str:
        """``word`` in lower case, with each digit or symbol drawn like a letter (and a capital
        I, which may be an l) read as the letter that makes the most of it known words; as
        written where no reading makes more: "c0nsensual" is "consensual", "l1festyle"
        "lifestyle", "$he" "she", "consensuaI" and "LIFESTYIE" "consensual" and "lifestyle",
        "c1o1n1s1e1n1t" "consent" (a digit between letters may stand for nothing);
        "she!consented", "86a" and "ol11" stay as they are. Each look-alike is read on its own
        where the readings are few, else each character the same way throughout the word; a
        word with too many is left alone."""
        at = [i for i, ch in enumerate(word) if ch in LOOKALIKES]
        if not at or not any(ch.isalpha() and ch not in LOOKALIKES for ch in word):
            return word.casefold()
        groups = [[i] for i in at]  # each look-alike on its own
        if prod(len(_readings(word, g)) for g in groups) > MOST_READINGS:
            groups = [[i for i in at if word[i] == ch] for ch in sorted({word[i] for i in at})]
            if prod(len(_readings(word, g)) for g in groups) > MOST_READINGS:
                return word.casefold()
        best, most = word, self._known_letters(word)
        for letters in product(*(_readings(word, g) for g in groups)):
            chars = list(word)
            for group, letter in zip(groups, letters, strict=True):
                for i in group:
                    chars[i] = letter
            reading = "".join(chars)
            known = self._known_letters(reading)
            if known > most:  # the first reading is the word as written, so ties keep it
                best, most = reading, known
        return best.casefold()

    def _known_letters(self, text: str) -> int:
        """How many letters of ``text`` are in words the patterns know (see :meth:`_unmask`)."""
        lexicon = self.words + self.spelling
        return sum(
            len(piece) for piece in re.split(r"[\W_]+", text.casefold())
            if piece and (
                (len(piece) > 2 and piece in self.vocabulary)
                or any(p.fullmatch(piece) for p in lexicon)
                or len(self._run_together(piece)) > 1
            )
        )

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
            if a >= begin and a >= reach and not self._runs_on(text, b, pos):
                counted.append((a, b))  # overlapping doubts are one
            reach = max(reach, b)
        return counted

    def _runs_on(self, text: str, start: int, pos: int) -> bool:
        """Whether a clause of its own begins between ``start`` (a doubt's end) and ``pos``
        without punctuation: the second clause after the doubt, or any later one, that nothing
        right before it makes part of the clause before ("she went missing [.] it was not
        consensual", but not "she said it was not consensual")."""
        begins = sorted({m.start() for p in self.clauses for m in p.finditer(text, start, pos)})
        return any(
            not any(e.search(text, start, at) for e in self.embedding) for at in begins[1:]
        )


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
    wording = RefusedWording(
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
        clauses=compile_all("clauses", "{}"),
        embedding=compile_all("embedding", r"\b(?:{}) $"),
    )
    patterns = [p for value in vars(wording).values() if isinstance(value, tuple) for p in value]
    return replace(wording, vocabulary=literal_words(patterns))


def literal_words(patterns: Iterable[re.Pattern[str]]) -> frozenset[str]:
    """The words of three letters or more written literally in ``patterns``: their escapes
    (``\\b``, ``\\w``), group names and character classes taken out first.

    Examples:
        >>> sorted(literal_words([re.compile(r"\\bup for (?P<w>it|them)"), re.compile("l[i1]fe")]))
        ['for', 'them']
    """
    words: set[str] = set()
    for pattern in patterns:
        text = re.sub(r"\\.|\(\?P<\w+>|\(\?P=\w+\)|\[[^\]]*\]", " ", pattern.pattern)
        words.update(w for w in re.findall(r"[a-z]+", text) if len(w) > 2)
    return frozenset(words)
