"""People named in a narrative, with their role and age where the text gives them.

A run of capitalised words is a person's name when it has a title ("DC Helen Marsh",
"Mrs Joan Whitlock"), starts with a known given name (see :func:`pipeline.given_names`), is
introduced as a person ("a man called Sami", "Officer: PC 2281 Ashdown", "Dear Nadia") or
is two or more name-like words that are nothing else (no street, premises, town, month or
agency word). A single word that was part of a name already found ("Kayleigh" after
"Kayleigh Dunne") is that person again. The value is the surface text, title included.

Names are read in the letters of any alphabet ("Anna Kamiński", "Şule Doğan", "İrem").

Roles: ``professional`` for a police rank or "Dr"; else ``child`` when the stated age (or a date
of birth, on the report's day) is under 18; else what is said just after the name ("Jenny
Hollis (duty social worker)", "Angela Reid, mother.", "father of Abbie", "rang about her
daughter"); else the nearest role word before it in its own sentence and noun phrase
(``role_words`` of ``lexicon.yaml``: "her mother", "a man", "Appropriate adult:", "Child:"),
past ages, quoted nicknames and the words that introduce a name, and stopping at a word that
starts another clause ("the nurse who saw Chantelle"). A name said as an owner ("Jakub's
carers") is a child if what it owns is a child's, and takes no role from before. Once the
signs are read, a person with no role who is the subject of one ("Ciara Kelly has missed a lot
of school") is a child, so is the person a narrative opens with, unintroduced, when nobody
else is young and an adult's deed follows, and every other mention of a child's name is the
child (:func:`children_of_signs`). A young person said to have introduced the child to the men
("her friend Amy (16), who introduced her to them") is a ``recruiter``. Ages ("Leon Carter,
16", "Lucy (14)", "aged 13", "who is 17", "aged 20 to 29", "in his forties", "DOB 14/06/1997")
go into ``attrs["age"]``.

Confidence by rule: a title 0.9; a given name 0.85; a single name with an age after it ("Tia
(14)") 0.85; an introduced name 0.8; a name said again 0.8; a run of name-like words 0.6; a
single unknown name that starts a sentence before a verb ("Ruby said") 0.6.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import cache, lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from joinedup.extract.narrative.pipeline import (
    AGE_BETWEEN_COMMAS,
    AGE_IN_BRACKETS,
    LOWER_LETTERS,
    UPPER_LETTERS,
    Reading,
    given_names,
    lexicon,
    slips,
)
from joinedup.extract.narrative.places import institution, towns
from joinedup.resolve.normalise.dates import parse_age_range

# A name word in the letters of any alphabet ("Kamiński", "Şahin", "Émilie"), with its
# prefixes ("McDonald", "O'Brien", "D'Souza", and the Irish O written without its
# apostrophe: "OSullivan", "O Sullivan") and double names ("Amber-Rose").
_UP, _LOW = f"[{UPPER_LETTERS}]", f"[{LOWER_LETTERS}]"
_NAME_WORD = rf"(?:Mc|Mac|[A-Z][’']|O[ ]?)?{_UP}{_LOW}+(?:[-’']{_UP}{_LOW}+)*"
_RUN = re.compile(rf"(?<![\w'’-])(?:{_NAME_WORD}|{_UP}\.)(?: (?:{_NAME_WORD}))*(?![\w-])")
_WORD = re.compile(rf"(?<![\w'’-]){_NAME_WORD}(?![\w-])")
# A date of birth just after a name ("Callum Reid, DOB 14/06/1997", "Amira (DOB 14.07.93,")
_BORN_AFTER = re.compile(r"^,?\s*\(?(?:dob|d\.o\.b\.?|born(?:\s+on)?|date\s+of\s+birth)\s*:?\s*"
                         r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b", re.IGNORECASE)
# An age range a witness gives ("Stephen Green, aged between 30 and 39", "aged 20 to 29")
_RANGE_AFTER = re.compile(r"^,?\s*(?:\()?(?:aged?\s+)(?:between\s+)?(\d{1,2})\s*(?:-|–|to|and)\s*"
                          r"(\d{1,2})\b")
_AGE_AFTER = re.compile(
    r"^(?:\s*\((\d{1,2})\)|,\s*(\d{1,2})\s*(?:,|\.|;|\n|$|\s(?:years?|yrs))|,?\s*aged\s+(\d{1,2})"
    r"|,\s*who\s+is\s+(\d{1,2})|,?\s*\((?:aged?\s*)?(\d{1,2})\s*(?:yrs?|years?)?\)"
    r"|[.,;]?\s*age:?\s*(\d{1,2})\b"
    # an apposition: "Leah Brennan, a 15-year-old girl,", "Leah, a girl of 15,"
    r"|,\s*an?\s+(\d{1,2})-year-old\b"
    r"|,\s*an?\s+(?:girl|boy|young\s+(?:man|woman)|man|woman)\s+(?:of|aged)\s+(\d{1,2})\b)",
    re.IGNORECASE)
# An age someone believes or has been told ("Kane, who she thinks is about 19", "Dwayne, who
# staff understand is 24", "Master, who she thinks is in his forties"): what follows "is"
_WHO_IS = re.compile(r"^,\s*who\s+(?:[a-z]+\s+)?"  # "who she thinks", "who staff understand"
                     r"(?:thinks|think|believes|believe|understand|understands|says|said|"
                     r"reckons|guesses|estimates|estimated)\s+is\s+"
                     r"(?:about\s+|around\s+|roughly\s+|approximately\s+|nearly\s+)?",
                     re.IGNORECASE)
# An age before a name, said by the noun phrase that introduces it ("a 27-year-old man, Ricky
# Vance", "her 19-year-old boyfriend, Marlon Tait", "a 23-year-old called Jamie"): the name
# must follow the noun phrase at once, or an adult's age would be a child's named after him
_AGE_JUST_BEFORE = re.compile(r"\b(?:an?|her|his|their|the)\s+(\d{1,2})-year-old"
                              r"(?:\s+[a-z]+)?\s*(?:,\s*|\s+(?:called|named)\s+)$",
                              re.IGNORECASE)
_INTRO = re.compile(
    r"(?:\b(?:called|named|name\s+is|name:|known\s+as|knows\s+as|knows\s+him\s+as|dear|"
    r"regards,?|thanks,?|wishes,?|sincerely,?|officer:?|oic|worker|manager:?|nurse|"
    r"mother,?|father,?|mum,?|dad,?|carer,?|friend,?|boyfriend,?|adult:?|person:|"
    r"driver|told|saw|and|with|PC\s+\d+|YP:|son|daughter|brother|sister|driven\s+by|"
    r"named\s+one\s+as|one\s+lad,|of\s+them,|of\s+the\s+boys,|of\s+the\s+girls,)\s*)$",
    re.IGNORECASE)
# A single capitalised word is a person when an age follows, in brackets ("Tia (14)") or between
# commas, as a report introduces a child ("Aayn, 16, has gifts": a name no list holds, a
# misspelling, included; a town so written is a town, "Rochdale, 16, ..."): AGE_IN_BRACKETS and
# AGE_BETWEEN_COMMAS of pipeline.py; or, at the start of a sentence, a verb of saying or doing
# ("Ruby said", "Jodie went").
_SPEAKS = re.compile(r" (?:said|says|told|tells|seemed|seems|went|came|left|returned|"
                     r"stated|states|asked|agreed|was|is|has|had|goes|got|gets)\b")
_STRONG_INTRO = re.compile(r"\b(?:called|named|name\s+is|known\s+as|dear)\s*$", re.IGNORECASE)
_PLACE_CUE = re.compile(r"\b(?:in|from|to|near|at|towards|into|on)\s$")
# A decade said of the person just named ("Stephen Green, in his mid thirties", "Mrs Joan
# Whitlock, a neighbour in her seventies"), not one said of someone later in the sentence
# ("Shannon was seen with a man in his fifties")
_DECADE = re.compile(r"(?:,?\s*\(?|,\s*(?:an?\s+|the\s+)?[a-z]+\s+)in\s+(?:his|her|their)\s+"
                     r"((?:early|mid|late)[\s-])?"
                     r"(teens|twenties|thirties|forties|fifties|sixties|seventies)\b")
_LOWER_WORD = re.compile(r"[^\W\d_]+")
_TITLE_STOPS = frozenset({"Mr", "Mrs", "Ms", "Dr", "St"})


def _sentence_begins(before: str) -> int:
    """Where the sentence a mention is in starts, within the text ``before`` it: after a full
    stop, question or exclamation mark followed by a space (not one after a title, "Mrs.
    Dunne"), or after a line break unless the line ends with a label or a sign-off
    ("Workers:", "Kind regards,"). Found from the end with ``rfind`` (a pattern tried at every
    character cost more than the rest of the role's search)."""
    i = len(before)
    while i > 0:
        at = max(before.rfind(".", 0, i), before.rfind("!", 0, i), before.rfind("?", 0, i),
                 before.rfind("\n", 0, i))
        if at < 0:
            return 0
        i = at
        if before[at] == "\n":
            if before[:at].rstrip(" \t")[-1:] in (",", ":"):
                continue
            return at + 1
        if at + 1 >= len(before) or not before[at + 1].isspace():
            continue
        word = before[:at].rsplit(None, 1)[-1] if before[:at].strip() else ""
        if word in _TITLE_STOPS:
            continue
        return at + 1
    return 0
_QUOTE_CHARS = re.compile(r"[\"“”‘’']")
_DIGIT = re.compile(r"\d")
_QUOTED_WORDS = re.compile(r"(?:(?<=[\s(,:;])|^)[\"“‘'][^\"“”‘’'\n]{1,32}[\"”’']")
# Ages between a noun and the name or nickname it introduces ("a man in his early fifties
# known as", "a man aged between 20 and 29 who calls himself", "a 16-year-old girl")
_AGE_WORDS = re.compile(
    r"\bin\s+(?:his|her|their)\s+(?:(?:early|mid|late)[\s-]+)?(?:teens|[a-z]+ties)\b"
    r"|\baged?\s+(?:between\s+|about\s+|around\s+|approximately\s+)?\d{1,2}"
    r"(?:\s*(?:-|–|to|and)\s*\d{1,2})?\b|\b\d{1,2}(?:-|\s)years?(?:-|\s)old\b"
    r"|\(\s*\d{1,2}\s*\)|,\s*\d{1,2}\s*,")
# What is said of a person just after the name, up to the next comma, bracket or line end
# ("Jennifer, the victim,", "Jenny Hollis (duty social worker)", "Angela Reid, mother.",
# "Mr Graham Lees, manager of Fernbank", "Joanne Whitfield\nClinical Nurse Specialist")
_APPOSITION = re.compile(r"^(?:,[ \t]*|[ \t]*\(|[ \t]*\n[ \t]*)([^,;()\n.]{1,40})(?:[,;().\n]|$)")
# Words after which a role word still ends the apposition ("manager of", "a neighbour in")
_ROLE_TAIL = frozenset({"of", "at", "for", "from", "to", "in", "with", "and"})
_ROLE_REACH = 90  # characters before a name in which its role is looked for
# A name followed by its own verb of knowing or naming is that clause's subject, not the
# person the noun before it introduces ("an older man Kayleigh knows as 'Tiger'")
_DOES = re.compile(r"\s+(?:knows|knew|know|calls|called|call|refers\s+to|described)\s+"
                   r"(?:him\s+|her\s+|them\s+)?(?:only\s+)?(?:as\b|[\"“‘'])")
# A name said as an owner ("Jakub's carers"), and what is owned
_POSSESSIVE = re.compile(r"[’']s\s+(?:(?:own|new|foster|social|key|form|class|school)\s+)?([a-z]+)")
# A parent is who rings about their child ("Mrs Yasmin Akhtar rang to report that her
# daughter", "Mr Winston Clarke rang about his son")
_RANG_ABOUT = re.compile(r"^\s+(?:rang|phoned|called|rings|phones|telephoned)\b[^.\n]{0,40}?"
                         r"\b(?:her|his|their)\s+(?:daughter|son|child|children|grandson|"
                         r"granddaughter|stepdaughter|stepson)\b")


def _age_on(born: re.Match[str], at: date) -> int | None:
    """The age on ``at`` of someone born on the day ``born`` writes (day, month, year)."""
    day, month, year = int(born[1]), int(born[2]), int(born[3])
    if year < 100:
        year += 2000 if 2000 + year <= at.year else 1900
    try:
        birth = date(year, month, day)
    except ValueError:
        return None
    age = at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))
    return age if 0 <= age < 120 else None


def _decade(text: str) -> re.Match[str] | None:
    """``_DECADE.match(text)``, skipped where neither "ties" nor "teens" is (every decade
    word ends with one), as for nearly every name."""
    return _DECADE.match(text) if "ties" in text or "teens" in text else None


@cache
def _titles() -> str:
    return "|".join(sorted(lexicon().words("titles"), key=len, reverse=True))


@cache
def _titled() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_titles()})\.?\s(?:\d+\s)?$")


@cache
def _not_name_words() -> frozenset[str]:
    """Words that are not a person's name: ``not_names``, streets, premises and makes, as one
    set (looked up for the first and last word of every capitalised run)."""
    lex = lexicon()
    return (lex.words("not_names") | lex.words("streets") | lex.words("premises")
            | lex.words("makes"))


def propose_people(reading: Reading) -> None:
    """Names first by their evidence, then single words already seen in a name."""
    text = reading.text
    seen: set[str] = set()
    not_name, titles, titled = _not_name_words(), lexicon().words("titles"), _titled()
    surnames = lexicon().words("street_surnames")  # "Sophie Green": left by places.py
    for match in _RUN.finditer(text):
        start, words = match.start(), match[0].split(" ")
        # "Devon Clarke, 16" and "Devon, aged 16": a given name, whatever else it names
        aged_name = _given(words[0]) and (
            _aged(text, match.end())
            # "Devon Naser gets calls": a given name and a surname the subject of a sentence
            or len(words) == 2 and words[1] not in not_name and _sentence_start(
                text[max(0, start - 30):start]) and _NAMED_SUBJECT_VERB.match(text, match.end())
        ) and not _PLACE_BEFORE.search(text, max(0, start - 8), start)  # "moved to Devon, 12"
        while words and words[0] in not_name and words[0] not in titles and not aged_name:
            start += len(words[0]) + 1
            words = words[1:]
        while words and words[-1] in not_name and not (len(words) == 1 and aged_name) and not (
                words[-1] in surnames and len(words) == 2 and (_given(words[0]) or _aged(
                    text, start + len(words[0]) + 1 + len(words[1])))):
            words = words[:-1]  # "Daniella Green (17)": an age says a name, whatever the name
        if not words:
            continue
        end = start + len(" ".join(words))
        before = text[max(0, start - 30):start]
        title = titled.search(before)
        rule, confidence = _evidence(words, before, title is not None, text[end:end + 12])
        if rule is None or before.endswith("St ") or institution(text[start:end + 40]):
            continue
        if title is not None and not any(ch.isdigit() for ch in title[0]):
            start -= len(title[0])
        if not reading.free(start, end):
            continue
        _add_person(reading, start, end, rule, confidence, before)
        seen.update(w for w in words if len(w) > 2 and w not in towns())
    # A word matches only where the one before it is not part of a word, and every character
    # of a match is, so no match starts inside another: the matches tried at the places a
    # seen word starts (Reading.scan) are all those that can be a seen word.
    for match in reading.scan(_WORD, seen):
        if match[0] in seen and reading.free(match.start(), match.end()):
            _add_person(reading, match.start(), match.end(), "person.again", 0.8,
                        text[max(0, match.start() - 30):match.start()])


_PLACE_BEFORE = re.compile(r"\b(?:to|in|from|at|near|into|around|across|through)\s+$",
                           re.IGNORECASE)


def _aged(text: str, end: int) -> bool:
    """Whether an age follows right after ``end``."""
    return AGE_IN_BRACKETS.match(text, end) is not None \
        or AGE_BETWEEN_COMMAS.match(text, end) is not None


def _evidence(words: list[str], before: str, titled: bool, after: str
              ) -> tuple[str | None, float]:
    if titled or words[0] in lexicon().words("titles"):
        return "person.title", 0.9
    if ":" in before and _label_before(before):
        return None, 0.0  # "Ethnicity: White Irish", "Religion: Muslim"
    if AGE_IN_BRACKETS.match(after):
        return "person.aged", 0.85
    if len(words) == 1 and words[0] in towns() and not _STRONG_INTRO.search(before):
        return None, 0.0
    if AGE_BETWEEN_COMMAS.match(after):
        return "person.aged", 0.85
    if words[0].lower() not in given_names() and _PLACE_CUE.search(before):
        return None, 0.0
    if _given(words[0]):
        return "person.given_name", 0.85
    if _INTRO.search(before):
        return "person.introduced", 0.8
    if len(words) >= 2:
        return "person.name_words", 0.6
    if (_sentence_start(before) and _SUBJECT_VERB.match(after)
            and words[0].lower() not in STOP_WORDS and words[0] not in towns()
            and misspelt_given(words[0])):
        return "person.misspelt", 0.6  # "Samanhta spends time with adults nobody knows"
    if (_sentence_start(before) and _SPEAKS.match(after)
            and words[0].lower() not in STOP_WORDS and words[0] not in towns()):
        return "person.speaks", 0.6
    return None, 0.0


def _label_before(before: str) -> bool:
    """Whether ``before`` ends with a label whose value is never a person ("Recorded
    ethnicity:", ``not_person_labels``)."""
    label = before.rstrip()
    if not label.endswith(":"):
        return False
    words = _LOWER_WORD.findall(label.lower())
    return bool(words) and words[-1] in lexicon().words("not_person_labels")


def _given(word: str) -> bool:
    """A known given name, or a double one whose first part is ("Ellie-May")."""
    lower = word.lower()
    return lower in given_names() or lower.split("-")[0] in given_names()


_PERSON_VERBS = "spends|hangs|keeps|goes|went|told|tells|said|says|stays|attends"
"""Verbs whose subject is a person, as the subject of a sentence."""
# what a person named in full does as the subject of a sentence ("Devon Naser gets calls")
_NAMED_SUBJECT_VERB = re.compile(rf"\s+(?:also\s+|often\s+)?(?:gets|has|is|was|{_PERSON_VERBS})\b")
# what only a person does, right after her name as the subject of a sentence ("is", "has"
# and "was" follow a common noun as often: "Care is arranged", "Advice was given")
_SUBJECT_VERB = re.compile(rf"\s+(?:also\s+|often\s+)?(?:{_PERSON_VERBS}|stayed|disclosed|ran|"
                           r"runs)\b")


@lru_cache(maxsize=4096)
def misspelt_given(word: str) -> bool:
    """Whether ``word`` is no given name but a slip of the keyboard for one: a letter
    dropped, added or changed, or two swapped ("Samanhta" for Samantha, "Shaia" for Shazia),
    the first letter kept (a slip there makes another name: "Emma", "Gemma") and the name
    five letters or more (shorter ones are a letter away from too many words).

    Examples:
        >>> misspelt_given("Samanhta"), misspelt_given("Shaia"), misspelt_given("Samantha")
        (True, True, False)
    """
    lower = word.lower()
    names = given_names()
    if len(lower) < 4 or not lower.isalpha() or lower in names:
        return False
    head = lower[0]
    return any(len(e) >= 4 and head + e in names for e in slips(lower[1:]))


def _sentence_start(before: str) -> bool:
    return not before.strip() or before.rstrip()[-1] in ".!?:\n"


def _add_person(reading: Reading, start: int, end: int, rule: str, confidence: float,
                before: str) -> None:
    after = reading.text[end:end + 60]
    age = age_after(after, reading.reported_at) or _age_just_before(
        reading.text[max(0, start - 60):start])
    attrs = {"age": age} if age else {}
    # the role's words may lie further back than the evidence's ("a man known as 'Black
    # Cat', whose name is Thomas Thomson"): role_before counts only the words that matter
    role = _role(reading.text[start:end], reading.text[max(0, start - _ROLE_REACH):start],
                 attrs, after)
    reading.propose("person", start, end, reading.text[start:end], confidence, rule,
                    role=role, attrs=attrs)


def age_after(after: str, at: date | None = None) -> str:
    """The age said just after a name: from a date of birth (on the report's day), a range
    ("aged 20 to 29"), an age ("(14)", ", 16,", "aged 13") or a decade ("in his forties")."""
    if at is not None and (born := _BORN_AFTER.match(after)):
        age = _age_on(born, at)
        if age is not None:
            return str(age)
    if ranged := _RANGE_AFTER.match(after):
        return f"{ranged[1]}-{ranged[2]}"
    if match := _AGE_AFTER.match(after):
        return next(g for g in match.groups() if g)
    if decade := _decade(after):
        ages = parse_age_range(decade[0])
        if ages:
            return f"{ages[0]}-{ages[1]}"
    if believed := _WHO_IS.match(after):
        rest = after[believed.end():]
        if (number := re.match(r"(\d{1,2})\b", rest)) is not None:
            return number[1]
        if (decade := _decade(rest)) is not None:
            ages = parse_age_range(decade[0])
            return f"{ages[0]}-{ages[1]}" if ages else ""
    return ""


def _age_just_before(before: str) -> str:
    """The age of the noun phrase just before a name ("a 27-year-old man, Ricky Vance")."""
    if "year-old" not in before:
        return ""
    said = _AGE_JUST_BEFORE.search(before)
    return said[1] if said else ""


# An age said of the adult a noun introduces, before their name or nickname ("a man in his
# early fifties known as", "a man aged between 20 and 29 who calls himself", "a 45-year-old man")
_AGE_OF_NOUN = re.compile(
    r"\b(?:(\d{1,2})-year-old\s+)?(?:man|woman|adult|male|female|lad|person|boy|girl)\s+"
    r"(?:in\s+(?:his|her|their)\s+((?:(?:early|mid|late)[\s-]+)?(?:teens|[a-z]+ties))\b"
    r"|aged\s+(?:between\s+)?(\d{1,2}(?:\s*(?:-|–|to|and)\s*\d{1,2})?)\b)?", re.IGNORECASE)


def age_before(before: str) -> str:
    """The age the last noun of ``before`` that introduces a person gives them, in its own
    sentence ("a man in his early fifties known as" gives 50-54), or ""."""
    found = list(_AGE_OF_NOUN.finditer(before, _sentence_begins(before)))
    if not found:
        return ""
    noun = found[-1]
    said = noun[1] or noun[2] or noun[3]
    if not said:
        return ""
    if noun[1]:
        return noun[1]
    ages = parse_age_range(said.replace("between", "").replace(" and ", " to "))
    return f"{ages[0]}-{ages[1]}" if ages else ""


def role_before(before: str, reach: int = 3, roles: tuple[str, ...] = ()) -> str:
    """The role that the nearest of the last ``reach`` words before a mention gives it ("her
    mother", "a man", "Appropriate adult:"), among ``roles`` if given, or "".

    Only the mention's own sentence is read, and only its own noun phrase: a word that starts
    another clause ("the nurse who saw Chantelle", "her mother and Leah") ends the search.
    What a writer puts between the noun and the name is passed over and not counted: ages
    ("a man in his early fifties known as", "a 16-year-old girl"), a nickname already quoted
    ("a man known as 'K', whose name is Leroy Grant") and the words that introduce a name or
    a nickname ("who calls himself", "she knows as", "named").
    """
    before = before[_sentence_begins(before):].lower()
    words = _LOWER_WORD.findall(before)
    if _role_words().isdisjoint(words):
        return ""  # most mentions: no role word before them in their sentence (cheap test)
    by_word, phrases = _role_of_word(), _role_phrases()
    changed = False
    if _QUOTE_CHARS.search(before):
        before, changed = _QUOTED_WORDS.sub(" ", before), True
    if "ties" in before or "teens" in before or _DIGIT.search(before):
        before, changed = _AGE_WORDS.sub(" ", before), True
    if changed:
        words = _LOWER_WORD.findall(before)
    for i, _ in noun_phrase_back(words, reach):
        word = words[i]
        role = phrases.get((words[i - 1], word), "") if i else ""
        role = role or by_word.get(word, "")
        if role and (not roles or role in roles):
            return role
    return ""


def noun_phrase_back(words: list[str], reach: int) -> Iterator[tuple[int, int]]:
    """The indexes of ``words`` from the last one back while they may still belong to the
    noun phrase a name ends, each with how many words were counted before it: a word that
    starts another clause (``role_breaks``) is the last, what a writer puts between a noun and
    a name (``role_passes``) is not counted, and ``reach`` counted words end the phrase."""
    passed, breaks = lexicon().words("role_passes"), lexicon().words("role_breaks")
    counted = 0
    for i in range(len(words) - 1, -1, -1):
        yield i, counted
        if words[i] in breaks:
            return
        if words[i] not in passed:
            counted += 1
            if counted >= reach:
                return


# A young person said to have introduced the child to the men ("her friend Amy (16), who
# calls herself 'Sparkle', who introduced her to them", "an older girl, Funmilayo (16), known
# as 'Candy', who took her along and introduced her to them")
_INTRODUCER = re.compile(
    r"(?:\s*\((?:aged?\s*)?\d{1,2}\))?(?:,\s*(?:aged\s+)?\d{1,2})?"
    r"(?:,?\s*(?:who\s+calls\s+(?:her|him)self|known\s+as)\s+[\"“‘'][^\"“”‘’'\n]{1,32}[\"”’'])?"
    r",\s*who\s+(?:took\s+\w+\s+along\s+and\s+)?introduced\b", re.IGNORECASE)
_RECRUITER_AGE = 20  # the oldest a young person read as a recruiter is said to be


def _role(name: str, before: str, attrs: dict[str, str], after: str = "") -> str:
    lex = lexicon()
    first = name.split()[0]
    if first in lex.words("professional_titles"):
        return "professional"
    oldest = attrs.get("age", "").rpartition("-")[2]
    if _INTRODUCER.match(after) and (not oldest.isdigit() or int(oldest) < _RECRUITER_AGE) \
            and role_before(before) not in ("person_of_concern", "parent", "professional"):
        return "recruiter"
    if oldest.isdigit() and int(oldest) < 18:  # "14", or a range under 18 ("15-16")
        return "child"
    if owned := _POSSESSIVE.match(after):  # "Jakub's carers": whose, not who
        return "child" if owned[1].lower() in lex.words("child_possessions") else ""
    if _DOES.match(after):
        return _role_after(after)  # "a man Kayleigh knows as": the man is not Kayleigh
    return _role_after(after) or role_before(before)


def _role_after(after: str) -> str:
    """The role what is said just after a name gives it (see ``_APPOSITION``): a role word
    that ends the words said, or comes before "of", "at"... ("manager of"); or a parent who
    rings about their child."""
    if _RANG_ABOUT.match(after):
        return "parent"
    said = _APPOSITION.match(after)
    if said is None or said[1].lstrip().startswith(("who ", "which ", "whose ", "that ")):
        return ""  # a clause about them ("Megan, who introduced her to the men")
    words = _LOWER_WORD.findall(said[1].lower())
    if len(words) > 6:
        return ""
    by_word, phrases = _role_of_word(), _role_phrases()
    breaks = lexicon().words("role_breaks")
    for i, word in enumerate(words):
        role = phrases.get((word, words[i + 1]), "") if i + 1 < len(words) else ""
        if role and (i + 2 == len(words) or words[i + 2] in _ROLE_TAIL):
            return role
        role = by_word.get(word, "")
        if role and (i + 1 == len(words) or words[i + 1] in _ROLE_TAIL):
            return role
        if word in breaks:
            return ""  # a clause, not what the person is ("Gemma Haddad, told a parent that")
    return ""


@cache
def _role_of_word() -> dict[str, str]:
    raw = lexicon().raw.get("role_words") or {}
    return {str(w): str(role) for role, words in raw.items() for w in words if " " not in w}


@cache
def _role_words() -> frozenset[str]:
    """Every word that can end a role word or phrase: one of them must be before a mention
    for it to have a role from the words before it."""
    return frozenset(_role_of_word()) | frozenset(last for _, last in _role_phrases())


@cache
def _role_phrases() -> dict[tuple[str, str], str]:
    """Two-word role words ("appropriate adult", "young person"), by their two words."""
    raw = lexicon().raw.get("role_words") or {}
    found: dict[tuple[str, str], str] = {}
    for role, words in raw.items():
        for w in words:
            parts = str(w).split()
            if len(parts) == 2:
                found[(parts[0], parts[1])] = str(role)
    return found


# A clause's subject: what may stand before a name that starts one ("It is also noted that",
# "Separately,", "She said that")
_CLAUSE_LEAD = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|\bthat\s+|^\s*(?:also|separately|in\s+addition|"
                          r"however|since\s+then|today|yesterday|recently),?\s+)$", re.IGNORECASE)
_GAP_LIMIT = 45  # characters between a name and the warning sign said of it
_OBJECT_PRONOUN = re.compile(r"\b(?:her|him|them|herself|himself)\b", re.IGNORECASE)
_GAP_STOP = re.compile(r"[.!?;\n]|:(?!\d)|,\s+(?:and|but|who|which)\b")


def children_of_signs(reading: Reading) -> None:
    """Children read once the signs are: the subject of a sign (:func:`_subjects_of_signs`),
    and every other mention of a child's name (:func:`_same_young`)."""
    _subjects_of_signs(reading)
    _subject_of_report(reading)
    _same_young(reading)


def _subjects_of_signs(reading: Reading) -> None:
    """Give the role ``child`` to a person named with no role, no title and no adult's age
    who is the subject of a warning sign ("Bridget Doyle appears to be under the control of
    an adult", "Ciara Kelly has missed a lot of school", "It is noted that Amal has been
    self-harming"): the profile's signs are said of children. Runs after the signs are read.

    The sign must follow the name in the same clause, within a few words, with no link and no
    other person between ("Tariq gave her vodka" says nothing of Tariq's age).
    """
    people = [(at, p) for at, p in enumerate(reading.proposals)
              if p.type == "person" and not p.role]
    if not people:
        return
    signs = sorted(p.start for p in reading.proposals if p.type == "indicator")
    if not signs:
        return
    # what stands between a name and a sign, but a link said of the named person ("Yasmin
    # has been seen getting into cars with adults"): one whose words give its other end as
    # a pronoun ("Tariq gave her vodka") makes the named person the other party
    others = sorted(p.start for p in reading.proposals
                    if p.type in ("person", "alias", "place", "vehicle")
                    or (p.type == "link" and _OBJECT_PRONOUN.search(p.text)))
    text, titles = reading.text, lexicon().words("titles")
    for at, person in people:
        age = person.attrs.get("age", "").rpartition("-")[2]
        if (age.isdigit() and int(age) >= 18) or person.text.split()[0].rstrip(".") in titles:
            continue
        next_sign = bisect_left(signs, person.end)
        if next_sign == len(signs) or signs[next_sign] - person.end > _GAP_LIMIT:
            continue
        sign = signs[next_sign]
        gap = text[person.end:sign]
        if _GAP_STOP.search(_AGE_AFTER.sub("", gap, count=1) if "(" in gap or "," in gap
                            else gap):
            continue
        between = bisect_left(others, person.end)
        if between < len(others) and others[between] < sign:
            continue  # a link or another name between the person and the sign
        start = text.rfind(".", 0, person.start)
        if not _CLAUSE_LEAD.search(text[max(0, start - 1, person.start - 60):person.start]):
            continue
        reading.proposals[at] = replace(person, role="child")


def _subject_of_report(reading: Reading) -> None:
    """Give the role ``child`` to the person a narrative opens with ("Shazia came to the
    attention of officers. ... A man known as 'Mad Dog' gave her vodka.") when nobody in it
    is read as young, that person has no role, no adult's age and no title, and an adult's
    deed is told after them: a report of harm is about a child, and the first person it
    names, unintroduced, is who it is about. The deed must be told of someone named as of
    concern after them ("Tariq gave her vodka" says nothing of Tariq's age)."""
    proposals = reading.proposals
    if any(p.type in ("person", "alias") and p.role in ("child", "victim", "recruiter")
           for p in proposals):
        return
    people = sorted((p.start, at) for at, p in enumerate(proposals)
                    if p.type in ("person", "alias"))
    if not people:
        return
    first = proposals[people[0][1]]
    age = first.attrs.get("age", "").rpartition("-")[2]
    if first.type != "person" or first.role or (age.isdigit() and int(age) >= 18) \
            or first.text.split()[0].rstrip(".") in lexicon().words("titles") \
            or not _sentence_start(reading.text[max(0, first.start - 30):first.start]):
        return
    adults = [p.end for p in proposals if p.type in ("person", "alias")
              and p.role == "person_of_concern" and p.start > first.end]
    if adults and any(p.type == "link" and p.start >= min(adults) for p in proposals):
        proposals[people[0][1]] = replace(first, role="child")


def _same_young(reading: Reading) -> None:
    """Give a child's or a victim's role to every other mention of that name with no role, or
    with an adult's role read from the words around it and no age ("Jakub has been seen
    getting into cars ... Jakub's carers"; "a man known as 'Doc' texts Joseph"): one name is
    one person in a report, and the review then makes the child where the text first names
    them, so that the signs said before the role was read are about them."""
    young: dict[str, str] = {}
    for p in reading.proposals:
        if p.type == "person" and p.role in ("child", "victim"):
            young.setdefault(p.value, p.role)
            young.setdefault(p.value.split()[0], p.role)
    if not young:
        return
    for at, p in enumerate(reading.proposals):
        if p.type != "person" or p.value not in young or p.role in ("child", "victim"):
            continue
        if not p.role or (p.rule == "person.again" and "age" not in p.attrs):
            reading.proposals[at] = replace(p, role=young[p.value])
