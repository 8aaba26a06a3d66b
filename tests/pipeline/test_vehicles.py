"""Vehicles with full and partial plates: which mentions are one vehicle, in a full run and when
the reports arrive one by one (the incremental path must decide as a full run does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.cli.render import alerts_json, entities_json
from joinedup.ingest.importer import import_file
from joinedup.pipeline import process, process_new
from joinedup.store import Store
from tests.factories import adult, child, report, write_jsonl

Groups = set[frozenset[str]]
# drivers who are plainly different men: another nickname, another phone
DRIVERS = [("Tiger", "07700 900101"), ("Smiler", "07700 900202"), ("Bear", "07700 900303"),
           ("Fox", "07700 900404")]  # fmt: skip


def _reports(*vehicles: dict[str, Any], drivers: list[int] | None = None) -> list[dict]:
    """One report a vehicle, each about another child, driven by ``DRIVERS[drivers[i]]`` (by
    default a different man each)."""
    out = []
    for i, v in enumerate(vehicles):
        alias, phone = DRIVERS[drivers[i] if drivers else i]
        out.append(
            report(
                f"r{i}",
                org=f"Agency {i}",
                agency="social_care",
                reported_at=f"2008-0{i + 1}-10",
                people=[
                    child("c", ["Amy", "Beth", "Cara", "Dana"][i], 13 + i),
                    adult("a", alias, phones=[phone], vehicles=[v]),
                ],
                links=[{"from": "a", "to": "c", "type": "transported"}],
            )
        )
    return out


def _groups(store: Store) -> Groups:
    return {
        frozenset(m["report"] for m in e["mentions"]) for e in entities_json(store, "vehicle")
    }


def _full_run(store: Store, tmp_path: Path, reports: list[dict]) -> Groups:
    import_file(store, write_jsonl(tmp_path / "all.jsonl", reports))
    process(store)
    return _groups(store)


def _one_by_one(tmp_path: Path, reports: list[dict]) -> Groups:
    store = Store.open(f"sqlite:///{tmp_path / 'one.db'}")
    import_file(store, write_jsonl(tmp_path / "r0.jsonl", reports[:1]))
    process(store)
    for i, r in enumerate(reports[1:], 1):
        process_new(store, import_file(store, write_jsonl(tmp_path / f"r{i}.jsonl", [r])).reports)
    groups = _groups(store)
    store.engine.dispose()
    return groups


def _both(store: Store, tmp_path: Path, reports: list[dict]) -> tuple[Groups, Groups]:
    return _full_run(store, tmp_path, reports), _one_by_one(tmp_path, reports)


def _g(*groups: str) -> Groups:
    return {frozenset(g.split()) for g in groups}


def test_two_partial_plates_that_fit_one_plate_are_one_vehicle(
    store: Store, tmp_path: Path
) -> None:
    reports = _reports(
        {"reg": "MJ06 PY?", "make": "Toyota Prius", "colour": "grey", "kind": "taxi"},
        {"reg": "MJ06 P??", "make": "Toyota", "kind": "taxi"},
    )
    full, one = _both(store, tmp_path, reports)
    assert full == one == _g("r0 r1")


def test_a_vehicle_seen_only_in_part_by_two_children_raises_the_alert(
    store: Store, tmp_path: Path
) -> None:
    reports = _reports({"reg": "ML06 VG?", "colour": "white"}, {"reg": "ML06 V??"})
    import_file(store, write_jsonl(tmp_path / "all.jsonl", reports))
    process(store)
    alerts = [a for a in alerts_json(store) if a["rule"] == "shared_vehicle_or_phone"]
    assert [(a["subject"]["type"], a["raised_by"]["report"]) for a in alerts] == [("vehicle", "r1")]


def test_a_partial_plate_that_fits_two_known_full_plates_joins_neither(
    store: Store, tmp_path: Path
) -> None:
    reports = _reports(
        {"reg": "MA08 XKE"}, {"reg": "MA08 XKF"}, {"reg": "MA08 X??"}, {"reg": "MA08 X??"}
    )
    full, one = _both(store, tmp_path, reports)
    # not even the same partial plate twice: each may be either car
    assert full == one == _g("r0", "r1", "r2", "r3")


def test_a_partial_plate_that_fits_two_cars_seen_only_in_part_joins_neither(
    store: Store, tmp_path: Path
) -> None:
    reports = _reports({"reg": "MJ06 PY?"}, {"reg": "MJ06 PZ?"}, {"reg": "MJ06 P??"})
    full, one = _both(store, tmp_path, reports)
    assert full == one == _g("r0", "r1", "r2")


def test_a_partial_plate_that_fits_a_full_plate_and_a_car_seen_only_in_part_joins_neither(
    store: Store, tmp_path: Path
) -> None:
    """"YC03 M??" fits the Skoda "YC03 MGF" and the Honda seen as "YC03 M??": it is one of two
    cars, and joins neither."""
    reports = _reports(
        {"reg": "YC03 MGF", "make": "Skoda Octavia"},
        {"reg": "YC03 M??", "make": "Honda Civic"},
        {"reg": "YC03 M??"},
    )
    full, one = _both(store, tmp_path, reports)
    assert full == one == _g("r0", "r1", "r2")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"make": "Toyota Prius"}, {"make": "Ford Mondeo"}),
        ({"colour": "grey"}, {"colour": "red"}),
        ({"kind": "taxi"}, {"kind": "van"}),
    ],
)
def test_partial_plates_of_cars_described_differently_stay_apart(
    store: Store, tmp_path: Path, first: dict[str, str], second: dict[str, str]
) -> None:
    reports = _reports({"reg": "MJ06 PY?", **first}, {"reg": "MJ06 P??", **second})
    full, one = _both(store, tmp_path, reports)
    assert full == one == _g("r0", "r1")


def test_a_partial_plate_that_disagrees_with_its_only_full_plate_stays_apart(
    store: Store, tmp_path: Path
) -> None:
    reports = _reports(
        {"reg": "YC03 MGF", "make": "Skoda Octavia"}, {"reg": "YC03 M??", "make": "Honda Civic"}
    )
    full, one = _both(store, tmp_path, reports)
    assert full == one == _g("r0", "r1")


@pytest.mark.parametrize("reg", ["MJ06", "MF54", "ME56 ???"])
def test_short_partial_plates_alone_join_nothing(
    store: Store, tmp_path: Path, reg: str
) -> None:
    """Four characters name thousands of cars, whatever else agrees ("MF54" was once read as
    the dateless plate MF 54, and two of them joined as one plate)."""
    car = {"reg": reg, "make": "Toyota Prius", "colour": "grey", "kind": "taxi"}
    full, one = _both(store, tmp_path, _reports(car, dict(car)))
    assert full == one == _g("r0", "r1")


def test_short_partial_plates_join_the_one_car_their_driver_drives(
    store: Store, tmp_path: Path
) -> None:
    """Tiger drives "ML04 LES"; "ML04" in two more reports of his is that car, although each of
    the two also fits the other."""
    reports = _reports(
        {"reg": "ML04 LES", "make": "Nissan Primera", "colour": "red"},
        {"reg": "ML04", "colour": "red"},
        {"reg": "ML04", "make": "Nissan Primera"},
        drivers=[0, 0, 0],
    )
    full, one = _both(store, tmp_path, reports)
    assert full == one == _g("r0 r1 r2")


def test_a_drivers_partial_plates_join_his_car_when_the_full_plate_comes_last(
    store: Store, tmp_path: Path
) -> None:
    reports = _reports(
        {"reg": "ML04"}, {"reg": "ML04 L??"}, {"reg": "ML04 LES"}, drivers=[0, 0, 0]
    )
    full, one = _both(store, tmp_path, reports)
    assert full == one == _g("r0 r1 r2")


def test_a_short_partial_plate_that_fits_two_of_its_drivers_cars_joins_neither(
    store: Store, tmp_path: Path
) -> None:
    reports = _reports(
        {"reg": "ML04 LES"}, {"reg": "ML04 ABC"}, {"reg": "ML04"}, drivers=[0, 0, 0]
    )
    full, one = _both(store, tmp_path, reports)
    assert full == one == _g("r0", "r1", "r2")
