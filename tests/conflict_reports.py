"""Builders of conflict-contract-v1 reports for tests, so each test states only what matters.

Places are real: Urum al-Kubra (the UN aid convoy, 2016-09-19, UCDP 301214) and Aleppo's
al-Shaar district, with points a few hundred metres apart where a test needs "the same place".
"""

from __future__ import annotations

from typing import Any

Report = dict[str, Any]

URUM_AL_KUBRA = (36.1481, 36.94775)
URUM_NEARBY = (36.1500, 36.9500)  # about 0.3 km away
AL_SHAAR = (36.2120, 37.1750)  # eastern Aleppo
AL_SHAAR_NEARBY = (36.2140, 37.1770)


def attack(
    rid: str,
    *,
    org: str = "OCHA",
    agency: str = "un_agency",
    partner: bool = False,
    day: str | None = "2016-09-19",
    reported_at: str = "2016-09-20",
    at: tuple[float, float] | None = URUM_AL_KUBRA,
    precision: str | None = "exact",
    place: str | None = "Urum al-Kubra",
    admin1: str | None = "Aleppo",
    admin2: str | None = "Atarib",
    facility: str | None = None,
    mechanism: str | None = None,
    targets: list[str] | None = None,
    actors: list[tuple[str, str | None]] | None = None,
    killed: int | tuple[int, int] | None = None,
    **kw: Any,
) -> Report:
    """One report; ``actors`` as (name, role) pairs, ``killed`` a figure or a (min, max)."""
    r: Report = {"profile": "conflict", "id": rid, "source": {"agency": agency, "org": org},
                 "reported_at": reported_at}
    if partner:
        r["source"]["partner"] = True
    if day:
        r["occurred_from"] = day
    location = {"name": place, "admin1": admin1, "admin2": admin2, "precision": precision,
                "facility": facility}
    if at:
        location["lat"], location["lon"] = at
    r["location"] = {k: v for k, v in location.items() if v is not None}
    harm: dict[str, Any] = {}
    if mechanism:
        harm["mechanism"] = mechanism
    if targets:
        harm["targets"] = targets
    if harm:
        r["harm"] = harm
    if actors:
        r["actors"] = [{"ref": f"a{i}", "name": name, **({"role": role} if role else {})}
                       for i, (name, role) in enumerate(actors)]
    if killed is not None:
        r["casualties"] = {"killed": killed if isinstance(killed, int)
                           else {"min": killed[0], "max": killed[1]}}
    r.update(kw)
    return r


def convoy_reports() -> list[Report]:
    """The 2016-09-19 aid convoy at Urum al-Kubra as five sources told it: a UN agency, the
    Syrian Arab Red Crescent (the attacked organisation, a partner), two outlets both quoting
    the Syrian Observatory (one source), and the Russian ministry of defence denying it."""
    return [
        attack("un-1", mechanism="air_strike", targets=["humanitarian_convoy"], killed=20),
        attack("sarc-1", org="SARC", agency="affected_organisation", partner=True,
               at=URUM_NEARBY, targets=["humanitarian_convoy", "aid_worker"], killed=(12, 20),
               reported_at="2016-09-19"),
        attack("r-1", org="Reuters", agency="media", upstream="SOHR", precision="within_25km",
               mechanism="air_strike", targets=["humanitarian_convoy"], killed=21,
               actors=[("Russian warplanes", "alleged_perpetrator"),
                       ("Syrian government", "alleged_perpetrator")]),
        attack("afp-1", org="AFP", agency="media", upstream="SOHR", precision="within_25km",
               mechanism="air_strike", targets=["humanitarian_convoy"], killed=21,
               actors=[("Russia", "alleged_perpetrator")], reported_at="2016-09-21"),
        attack("mod-1", org="Russian Ministry of Defence", agency="belligerent",
               precision="within_25km", targets=["humanitarian_convoy"],
               actors=[("Russian Aerospace Forces", "denied")], reported_at="2016-09-20"),
    ]
