"""What a narrative says of a person besides their name, role and age: sex, date of birth and
identifiers, put into the ``attrs`` of the person's or nickname's proposal they are said of;
and of a place, its coordinates (:func:`place_locations`), the home a street is said to
have (:func:`homes_on_streets`) and the flat above premises said with "above" mistyped
(:func:`flats_above_misspelt`).

Resolution compares these as it compares a structured report's fields, so a nickname or a
first name said in prose joins up as well as its structured twin ("a man known as 'Big Man'"
is a man; "Her date of birth is 23/02/1994" tells two Bridgets apart).

- **sex** from the noun, title or reflexive pronoun that introduces the person ("a man known
  as", "Her father Kofi Adeyemi", "a girl called Amy", "Mrs Joan Whitlock", "who calls herself
  'Sparkle'") or a noun in apposition just after the name ("Leah, a 15-year-old girl,"), else
  from a pronoun that refers back to them: one that opens a sentence ("She
  has also...", "In interview he said", "Her council reference is...") refers to the first
  person named in the last sentence that named anyone, if that sentence named no one else,
  and one just after a name and its verb of saying ("Ayan, 14, said she", "Hodan told a
  project worker that she") to that name; so does any pronoun of a sentence whose named
  people are all of the other sex ("An older man she knows as 'Little Lion' has been giving her
  lifts").
  A pronoun that refers back never goes against the sex the person's own noun, title or
  apposition gives ("a man known as 'Sunny'. His number is ... She mentioned a girl": "She"
  is someone else), and one that opens a sentence with a verb of telling ("She mentioned a
  girl") is never an adult of concern's: it is whoever gave the account. Where the text says
  both otherwise, none is given.
- **dob** (ISO, or a year and month) from "date of birth", "DOB" or "born" followed by a date
  ("DOB 05/05/1993", "She was born 30/12/1994", "Her date of birth is May 1993"): of the last
  person named before it in its sentence ("Amy's date of birth is", "Callum Reid, DOB"), else,
  as for a pronoun, of the one person named in the last sentence that named anyone.
- **ref**, one for a nickname and the name said as its owner's just after it ("a man known
  as 'Danny', whose name is Mohammed Ahmed"), so that the review makes them one person.
- **identifiers** in the same way: a council's reference for a child ("Her council reference
  is RCH-000005") as ``council_child_id``, an NHS number as ``nhs_number``.

A professional is never who a pronoun or a date of birth is about ("PC Ashdown spoke to
Chloe. She said...": Chloe); a name followed by its own verb of knowing takes no sex from the
noun before it ("an older man Farzana knows as 'Red Chef'" says nothing of Farzana).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from dataclasses import replace
from typing import Any

from joinedup.extract.narrative.people import _DOES, _sentence_begins, noun_phrase_back
from joinedup.extract.narrative.pipeline import Reading
from joinedup.extract.narrative.places import HOMES

_SEX = {
    **dict.fromkeys(("man", "men", "male", "lad", "boy", "father", "dad", "son", "brother",
                     "stepfather", "grandfather", "uncle", "husband", "boyfriend", "stepson",
                     "grandson", "nephew", "schoolboy", "himself", "mr"), "male"),
    **dict.fromkeys(("woman", "women", "female", "lady", "girl", "mother", "mum", "mam",
                     "daughter", "sister", "stepmother", "grandmother", "nan", "aunt", "wife",
                     "girlfriend", "stepdaughter", "granddaughter", "niece", "schoolgirl",
                     "herself", "mrs", "ms", "miss"), "female"),
}
# any word of ``_SEX``, as :data:`_WORDS` would find it (a whole run of letters)
_ANY_SEX = re.compile(r"(?<![^\W\d_])(?:" + "|".join(sorted(_SEX, key=len, reverse=True))
                      + r")(?![^\W\d_])")
_PRONOUN = {"she": "female", "her": "female", "herself": "female",
            "he": "male", "him": "male", "his": "male", "himself": "male"}
_PRONOUNS = re.compile(r"\b(she|her|herself|he|him|his|himself)\b", re.IGNORECASE)
_OBJECTS = re.compile(r"\b(her|him)\b", re.IGNORECASE)
_CHILDREN = frozenset({"child", "victim"})  # roles read as a child's
_REACH = 2  # words, other than those passed over, between a mention and the noun before it
_WORDS = re.compile(r"[^\W\d_]+")
_QUOTED = re.compile(r"[\"“‘'][^\"“”‘’'\n]{1,32}[\"”’']")
_AGES = re.compile(r"\bin\s+(?:his|her|their)\s+(?:(?:early|mid|late)[\s-]+)?[a-z]+\b"
                   r"|\baged?\s+(?:between\s+)?\d{1,2}(?:\s*(?:-|–|to|and)\s*\d{1,2})?\b"
                   r"|\(\s*\d{1,2}\s*\)|,\s*\d{1,2}\s*,")
# A pronoun that opens a sentence, past the words a worker leads with
_HEAD = re.compile(r"^\W*(?:(?:in\s+interview|it\s+is\s+(?:also\s+)?noted\s+that|separately|"
                   r"in\s+addition|later|also|since\s+then|staff\s+(?:said|report)\s+that)"
                   r"[,\s]+)?(she|he|her|his)\b", re.IGNORECASE)
# A verb of telling just after a sentence's opening pronoun: "She mentioned a girl" after a
# sentence about a man of concern is the one who gave the account speaking, not the man
_TELLING = re.compile(r"\s+(?:also\s+)?(?:said|says|told|tells|mentioned|named|disclosed|"
                      r"reported|stated|described|explained|added)\b", re.IGNORECASE)
# A pronoun just after a name and its verb of saying ("Ayan, 14, said she", "Ayan (14) said
# she")
_PAST_AGE = r"(?:\s*\(\d{1,2}\)|,[^,.]{0,20},)?"  # "(14)" or ", 14," after the name
_SAID = re.compile(_PAST_AGE + r"\s+(?:said|says|stated|disclosed|told\s+\w+)"
                   r"(?:\s+that)?\s+(she|he)\b", re.IGNORECASE)
# ... and after whom they told, in two or three words ("Hodan told a project worker that she");
# a possessive among those words says the teller's sex too ("told her mum that he gave her"
# says both, so neither is given)
_TOLD = re.compile(_PAST_AGE + r"\s+told\s+([a-z]+(?:\s+[a-z]+){1,2})\s+that\s+(she|he)\b",
                   re.IGNORECASE)
# A noun in apposition just after a name, past an age ("Leah Brennan, a 15-year-old girl,",
# "Leah (15), a girl known to us", "Leah, a girl of 15")
_NOUN_AFTER = re.compile(r"(?:\s*\(\d{1,2}\)|,\s*(?:aged\s+)?\d{1,2})?,\s+an?\s+"
                         r"(?:\d{1,2}-year-old\s+)?(?:young\s+)?(girl|boy|woman|man|lad)\b",
                         re.IGNORECASE)
# Who gave the account (:func:`_teller`): a verb of telling after its subject, past an age or
# an apposition ("Ayan, 14, said", "Hannah Zielinski, her mother, reported")
# with what was told after "that": "she said adults had taken her to flats", a warning sign
# an agency records, is not the account the report gives ("She said that a man...")
_TELLS = re.compile(r"(?:\s*\(\d{1,2}\))?(?:,[^,.]{0,40},)?,?\s+(?:also\s+)?"
                    r"(?:((?:reported|reports)\s+that|rang\s+to\s+say|made\s+this\s+report|"
                    r"gave\s+this\s+account)|(?:said|says|stated|states|disclosed|discloses|"
                    r"(?:told|tells)(?:\s+[a-z]+){1,3}?)\s+that)\b", re.IGNORECASE)
# A possessive and a relation between a name and the next ("Rania's father, Shawn Saleh")
_WHOSE = re.compile(r"['’]s\s+[a-z]+,?\s+", re.IGNORECASE)
# "The report was made by her mother, Chloe."
_MADE_BY = re.compile(r"\W*the\s+report\s+was\s+made\s+by\s+(?:(?:her|his|their)\s+[a-z]+,?\s+)?",
                      re.IGNORECASE)
_SAID_SO, _MADE_REPORT = 1, 2  # how plainly a sentence says who gave the account
_OWN_ACCOUNT = re.compile(r"['’]s\s+own\s+account\b", re.IGNORECASE)
# What a sentence may say before its teller: a lead ("In interview", "This is") and whose
# relation they are ("Her mother,")
_LEAD = re.compile(r"\W*(?:(?:in\s+interview|later|also|separately|in\s+addition|this\s+is)"
                   r"[,\s]+)?(?:(?:her|his|their)\s+[a-z]+,?\s+)?", re.IGNORECASE)
_MONTH = "|".join(m for m in calendar.month_name if m)
_DOB = re.compile(r"\b(?:date\s+of\s+birth|DOB|D\.O\.B\.?|born)(?:\s+(?:is|was|on))?\s*:?\s*"
                  rf"(?:(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{4}})|({_MONTH})\s+(\d{{4}}))\b",
                  re.IGNORECASE)
# (scheme, a word every match holds in lower case, pattern)
_IDENTIFIERS = (
    ("council_child_id", "council",
     re.compile(r"\bcouncil\s+(?:reference|ref\.?|id|number)(?:\s+is)?\s*:?"
                r"\s*([A-Z]{2,5}-?\d{3,})\b", re.IGNORECASE)),
    ("nhs_number", "nhs",
     re.compile(r"\bNHS\s+(?:number|no\.?)(?:\s+is)?\s*:?\s*(\d{3}\s?\d{3}\s?\d{4})\b")),
)


def person_details(reading: Reading) -> None:
    """Add sex, dob and identifiers to the attrs of the person and nickname proposals they are
    said of (see the module docstring). Runs once people, nicknames and roles are read."""
    text = reading.text
    mentions = sorted((i for i, p in enumerate(reading.proposals)
                       if p.type in ("person", "alias")),
                      key=lambda i: reading.proposals[i].start)
    if not mentions:
        return
    found: dict[int, dict[str, Any]] = {i: {} for i in mentions}
    sexes: dict[int, set[str]] = {i: set() for i in mentions}
    for i in mentions:
        p = reading.proposals[i]
        owner = text.startswith(("'s", "’s"), p.end)  # "Liban's boyfriend": not Liban's sex
        said = "" if owner or _DOES.match(text, p.end) else sex_before(
            text[max(0, p.start - 90):p.start], p.text)
        if not said and not owner and (noun := _NOUN_AFTER.match(text, p.end)):
            said = _SEX[noun[1].lower()]
        if said:
            sexes[i].add(said)
    # a pronoun that refers back is weaker than the person's own noun: "a man aged 20 to 29
    # known as 'Sunny' ... His number is ... She mentioned a girl": "She" is not Sunny
    stated = {i: frozenset(sexes[i]) for i in mentions}

    def refers_back(i: int, sex: str) -> None:
        if not stated[i] or sex in stated[i]:
            sexes[i].add(sex)

    centre: int | None = None
    at = 0
    starts = [reading.proposals[i].start for i in mentions]
    folded = reading.folded
    # each pattern is tried only in a narrative that has its cue word (most have none)
    dobs = any(cue in folded for cue in ("birth", "dob", "d.o.b", "born"))
    schemes = [(scheme, pattern) for scheme, cue, pattern in _IDENTIFIERS if cue in folded]
    told_by: tuple[int, int] | None = None  # the informant's mention, and how plainly said
    links = sorted((p for p in reading.proposals if p.type == "link"), key=lambda p: p.start)
    link_starts = [p.start for p in links]
    for start, end in _sentences(reading):
        while at < len(mentions) and starts[at] < start:
            at += 1
        upto = at
        while upto < len(mentions) and starts[upto] < end:
            upto += 1
        inside = mentions[at:upto]
        sentence = text[start:end]
        head = _HEAD.match(sentence)
        first = reading.proposals[inside[0]].start - start if inside else len(sentence)
        if head and centre is not None and head.end() <= first and not (
                reading.proposals[centre].role == "person_of_concern"
                and _TELLING.match(sentence, head.end())):
            refers_back(centre, _PRONOUN[head[1].lower()])
        elif centre is not None and inside and _young(reading.proposals[centre]) and (
                other := _other_sex(sentence, [sexes[i] for i in inside])):
            refers_back(centre, other)
        # "Farzana told the nurse that an adult known as 'Sunny' has given her money": a link's
        # object pronoun is not its adult (who is its subject); it is the one child the
        # sentence names, or the child the sentence before was about
        objects = links[bisect_left(link_starts, start):bisect_left(link_starts, end)]
        if objects and (sex := _object_sex(objects)):
            young = [i for i in inside if _young(reading.proposals[i])]
            target = young[0] if len(young) == 1 else (
                centre if not young and centre is not None else None)
            if target is not None and (
                    reading.proposals[target].role not in _CHILDREN
                    or any(0 <= p.start - reading.proposals[target].end <= 1 for p in objects)):
                target = None  # a man named by his first name alone is "young" to _young, and
                # the link's subject ("Reuben takes her back") is not its object
            if target is not None and not any(
                    sex in sexes[i] for i in inside if not _young(reading.proposals[i])):
                refers_back(target, sex)
        if told_by is None or told_by[1] < _MADE_REPORT:
            found_teller = _teller(reading, sentence, start, inside, head, centre)
            if found_teller is not None and (told_by is None or found_teller[1] > told_by[1]):
                told_by = found_teller
        for match in _DOB.finditer(sentence) if dobs else ():
            who = _owner(reading, inside, start + match.start(), centre)
            dob = _iso(match)
            if who is not None and dob:
                found[who].setdefault("dob", dob)
        for scheme, pattern in schemes:
            for match in pattern.finditer(sentence):
                who = _owner(reading, inside, start + match.start(), centre)
                if who is not None:
                    ids = found[who].setdefault("identifiers", {})
                    ids.setdefault(scheme, match[1].replace(" ", "").upper())
        named = [i for i in inside if reading.proposals[i].role != "professional"]
        if named:
            p = reading.proposals[named[0]]
            if pronoun := _SAID.match(text, p.end, end):
                sexes[named[0]].add(_PRONOUN[pronoun[1].lower()])
            elif told := _TOLD.match(text, p.end, end):
                sexes[named[0]].add(_PRONOUN[told[2].lower()])
                sexes[named[0]].update(_PRONOUN[w] for w in told[1].lower().split()
                                       if w in ("her", "his"))
            # a pronoun in a later sentence is this one's person only if it names no other
            one = {reading.proposals[i].value.split()[0] for i in named}
            centre = named[0] if len(one) == 1 else None
    if told_by is not None:
        found[told_by[0]]["informant"] = True
    for i in mentions:
        if len(sexes[i]) == 1:
            found[i]["sex"] = next(iter(sexes[i]))
        if found[i]:
            p = reading.proposals[i]
            reading.proposals[i] = replace(p, attrs={**p.attrs, **found[i]})


def tie_names(reading: Reading) -> None:
    """A nickname and the name said as its owner's just after it ("a man known as 'Danny',
    whose name is Mohammed Ahmed") are one person: both proposals get one ``ref`` in their
    attrs, which the review keeps together."""
    text = reading.text
    order = sorted(range(len(reading.proposals)), key=lambda i: reading.proposals[i].start)
    people = [i for i in order if reading.proposals[i].type in ("person", "alias")]
    for a, b in zip(people, people[1:], strict=False):
        nick, name = reading.proposals[a], reading.proposals[b]
        if nick.type == "alias" and name.type == "person" \
                and _WHOSE_NAME.fullmatch(text, nick.end, name.start):
            ref = f"n{nick.start}"
            reading.proposals[a] = replace(nick, attrs={**nick.attrs, "ref": ref})
            reading.proposals[b] = replace(name, attrs={**name.attrs, "ref": ref})


_WHOSE_NAME = re.compile(r"[\"”’']?\s*,?\s*whose\s+(?:real\s+|full\s+)?name\s+is\s+",
                         re.IGNORECASE)


def place_locations(reading: Reading) -> None:
    """Coordinates said just after a place ("Tandoori House, 191 King Street, Oldham, OL1 9UW
    (location 53.5443, -2.12205)") go into the attrs of the place proposal before them, as
    ``lat`` and ``lon``; the review gives them to the place whose address that part is."""
    if "location" not in reading.folded:
        return
    ends = {p.end: i for i, p in enumerate(reading.proposals) if p.type == "place"}
    for match in _LOCATION.finditer(reading.text):
        at = match.start()
        i = ends.get(at) if at in ends else ends.get(at - 1)
        lat, lon = float(match[1]), float(match[2])
        if i is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            p = reading.proposals[i]
            reading.proposals[i] = replace(p, attrs={**p.attrs, "lat": lat, "lon": lon})


def homes_on_streets(reading: Reading) -> None:
    """A street read as a place where the text describes a home on it ("taken to a flat on
    Moss Lane") keeps its span and value (the street, as the evaluation set marks it) and
    gets, in its attrs, the home's kind and the description as ``described``: the review
    makes the flat, not the street, which resolution joins to an address on that street."""
    if not any(w in reading.folded for w in HOMES):
        return
    text = reading.text
    for i, p in enumerate(reading.proposals):
        if p.type != "place" or p.attrs.get("kind") != "street" or p.text[:1].isdigit():
            continue
        home = _HOME_ON.search(text, max(0, p.start - 24), p.start)
        if home:
            described = f"{home[1]} {home[2]} {home[3]} {p.text}"
            kind = "house" if home[2].lower() == "house" else "flat"
            reading.proposals[i] = replace(p, attrs={**p.attrs, "kind": kind,
                                                      "described": described})


def flats_above_misspelt(reading: Reading) -> None:
    """Premises read where the text names the flat above them with "flat" or "above" mistyped
    ("taken to flat baove Grill Garden", "flat abov Grill Palace", "a fat above Pizza Point")
    keep their span and value and get, in their attrs, kind ``flat`` and the words as
    ``described``: the review makes the flat, not the takeaway below it (spelt right, the
    places reader reads the flat)."""
    text = reading.text
    for i, p in enumerate(reading.proposals):
        if p.type != "place" or p.attrs.get("kind") in ("flat", "street", "town", "postcode"):
            continue
        flat = _FLAT_WORD.search(text, max(0, p.start - 16), p.start)
        if flat is None:
            continue
        home, where = flat[1].lower(), flat[2].lower()
        if (home, where) not in (("flat", "above"), ("flat", "over")) \
                and (home == "flat" or _one_edit_apart(home, "flat")) \
                and any(where == w or _one_edit_apart(where, w) for w in ("above", "over")):
            described = f"{flat[1]} {flat[2]} {p.text}"
            reading.proposals[i] = replace(p, attrs={**p.attrs, "kind": "flat",
                                                      "described": described})


_FLAT_WORD = re.compile(r"\b(f[a-z]{1,4})\s+([a-z]{3,6})\s+$", re.IGNORECASE)


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with one letter left out, added, changed, or two neighbours
    swapped ("abov", "baove", "abobe")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


_HOME_ON = re.compile(rf"\b(an?|the)\s+({'|'.join(HOMES)})\s+(on|in|off)\s+$",
                      re.IGNORECASE)


_LOCATION = re.compile(r"\s?\((?:location|grid|lat/?long|coordinates):?\s*(-?\d{1,2}\.\d+),\s*"
                       r"(-?\d{1,3}\.\d+)\)", re.IGNORECASE)


def _teller(reading: Reading, sentence: str, start: int, inside: list[int],
            head: re.Match[str] | None, centre: int | None) -> tuple[int, int] | None:
    """Who gave the account, if this sentence says so, and how plainly: the person it opens
    with, past a few lead words ("In interview", "Her mother,"), or the child of the sentence
    before that an opening "she" or "he" refers to, followed by a verb of telling ("Hodan told
    a project worker that", "In interview she said that": :data:`_SAID_SO`) or of making the
    report ("Her mother, Hannah Zielinski, reported that", "This is Hodan's own account":
    :data:`_MADE_REPORT`, which outranks a child's "said" earlier in the report). A
    professional or an adult of concern is not taken for the informant: what they say is a
    record, not an account to count."""
    first = reading.proposals[inside[0]] if inside else None
    if head is not None and head[1].lower() in ("she", "he") and centre is not None \
            and (first is None or head.end() <= first.start - start) \
            and _young(reading.proposals[centre]) \
            and (verb := _TELLS.match(sentence, head.end())) is not None:
        return centre, _how_plainly(verb, reading.proposals[centre])
    if first is None:
        return None
    text = reading.text
    lead = first.start - start
    if len(inside) > 1 and (whose := _WHOSE.match(text, first.end)) \
            and reading.proposals[inside[1]].start == whose.end():
        # "Rania's father, Shawn Saleh, told officers": the father tells, not Rania
        lead, first, inside = 0, reading.proposals[inside[1]], inside[1:]
    if first.type != "person" or first.role in ("professional", "person_of_concern"):
        return None
    if _MADE_BY.fullmatch(sentence, 0, lead):
        return inside[0], _MADE_REPORT
    if lead and not _LEAD.fullmatch(sentence, 0, lead):
        return None
    if _OWN_ACCOUNT.match(text, first.end):
        return inside[0], _MADE_REPORT
    verb = _TELLS.match(text, first.end)
    return (inside[0], _how_plainly(verb, first)) if verb is not None else None


def _how_plainly(verb: re.Match[str], teller: Any) -> int:
    """A parent or a witness who tells an agency is making the report; so is anyone who
    "reported that"; a child who said something may be quoted in someone else's report."""
    return _MADE_REPORT if verb[1] is not None or teller.role in ("parent", "witness") \
        else _SAID_SO


def _object_sex(links: list[Any]) -> str:
    """The sex of the object pronouns ("her", "him") of ``links`` (link proposals), where they
    are all of one sex; or "". The link phrase books put the object right after the verb
    ("given her money", "took him to a flat")."""
    said = {_PRONOUN[w.lower()] for p in links for w in _OBJECTS.findall(p.text)}
    return said.pop() if len(said) == 1 else ""


def _young(p: Any) -> bool:
    """A named person who is not an adult of the report: whom an unnamed pronoun is about
    when the adults named beside it are of the other sex (a nickname is an adult's)."""
    return p.type == "person" and p.role not in ("person_of_concern", "parent", "professional",
                                                 "witness")


def _other_sex(sentence: str, named: list[set[str]]) -> str:
    """The sex of the pronouns of a sentence whose named people are all of the other sex ("An
    older man she knows as 'Little Lion' has been giving her lifts": the man is not "she", so
    "she" is the person the sentence before was about), or "". An age ("in his twenties") is
    the named person's own and says nothing of anyone else."""
    sexes = {sex for s in named for sex in s}
    if len(sexes) != 1 or not all(named):  # checked first: most sentences end here, cheaply
        return ""
    said = {_PRONOUN[w.lower()] for w in _PRONOUNS.findall(_AGES.sub("", sentence))}
    return said.pop() if len(said) == 1 and said.isdisjoint(sexes) else ""


def sex_before(before: str, name: str = "") -> str:
    """The sex the title of ``name`` ("Mrs Joan Whitlock") or the nearest noun or reflexive
    pronoun of its own noun phrase gives it ("a man known as", "her father", "who calls
    herself"), in its own sentence, past ages and quoted nicknames; or ""."""
    title = name.split(" ", 1)[0].rstrip(".").lower()
    if title in ("mr", "mrs", "ms", "miss"):
        return _SEX[title]
    before = before[_sentence_begins(before):].lower()
    if not _ANY_SEX.search(before):
        return ""  # most mentions: no word of the table to find, so none to pass over
    before = _AGES.sub(" ", _QUOTED.sub(" ", before))
    words = _WORDS.findall(before)
    for i, counted in noun_phrase_back(words, _REACH):
        word = words[i]
        if word in _SEX and (counted == 0 or not word.endswith("self")):
            return _SEX[word]  # "who calls herself 'Cookie'", not "herself', who introduced"
    return ""


def _sentences(reading: Reading) -> list[tuple[int, int]]:
    """Each sentence's character range."""
    doc = reading.doc
    out = []
    for a, b in reading.bounds:
        last = doc[b - 1]
        out.append((doc[a].idx, last.idx + len(last.text)))
    return out


def _owner(reading: Reading, inside: list[int], at: int, centre: int | None) -> int | None:
    """Whose date of birth or reference is said at ``at``: the last person named before it in
    its sentence, else the sentence's subject carried over (``centre``)."""
    before = [i for i in inside if reading.proposals[i].end <= at
              and reading.proposals[i].role != "professional"]
    return before[-1] if before else centre


def _iso(match: re.Match[str]) -> str:
    """The date of birth as ISO ("1994-02-23", "1993-05"), or "" if no such day."""
    if match[3]:
        day, month = int(match[1]), int(match[2])
        return f"{match[3]}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 \
            else ""
    month = [m.lower() for m in calendar.month_name].index(match[4].lower())
    return f"{match[5]}-{month:02d}"

