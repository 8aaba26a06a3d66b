"""Follow-up of the conflict review: a rate needs two attacks, and an average per period needs
the periods in which nothing was hit. Before, one incident gave "one every 24.0 hours",
``per_period`` left out the empty weeks between the first and the last (so an average over it
overstated the rate), and ``joinedup stats`` printed "mean interval None h"."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from joinedup.cli.app import app
from joinedup.patterns import attack_rates, target_groups
from joinedup.profiles import load_profile
from joinedup.store import Store

GROUPS, PERIOD = target_groups(load_profile("conflict").directory)


def incident(i: int, day: date, targets: list[str] | None = None) -> dict[str, Any]:
    return {"id": f"I-{i}", "date_start": day, "date_end": day, "certainty": "probable",
            "targets": targets or ["health_facility"]}


def test_one_attack_has_no_rate() -> None:
    health = attack_rates([incident(1, date(2016, 7, 23))], GROUPS)[0]
    assert health["incidents"] == 1
    assert health["one_every_hours"] is None and health["mean_interval_hours"] is None
    none = attack_rates([], GROUPS)[0]
    assert none["one_every_hours"] is None and none["per_period"] == []


def test_two_attacks_have_one() -> None:
    health = attack_rates([incident(1, date(2016, 7, 23)), incident(2, date(2016, 7, 24))],
                          GROUPS)[0]
    assert health["one_every_hours"] == 24.0 and health["mean_interval_hours"] == 24.0


def test_empty_periods_between_the_first_and_the_last_are_counted_as_zero() -> None:
    found = [incident(1, date(2016, 7, 4)), incident(2, date(2016, 7, 5)),
             incident(3, date(2016, 7, 27)), incident(4, date(2016, 9, 2))]
    weeks = attack_rates(found, GROUPS, "week")[0]["per_period"]
    assert weeks == [{"start": "2016-07-04", "incidents": 2},
                     {"start": "2016-07-11", "incidents": 0},
                     {"start": "2016-07-18", "incidents": 0},
                     {"start": "2016-07-25", "incidents": 1},
                     {"start": "2016-08-01", "incidents": 0},
                     {"start": "2016-08-08", "incidents": 0},
                     {"start": "2016-08-15", "incidents": 0},
                     {"start": "2016-08-22", "incidents": 0},
                     {"start": "2016-08-29", "incidents": 1}]
    months = attack_rates(found, GROUPS, "month")[0]["per_period"]
    assert months == [{"start": "2016-07-01", "incidents": 3},
                      {"start": "2016-08-01", "incidents": 0},
                      {"start": "2016-09-01", "incidents": 1}]
    days = attack_rates(found[:3], GROUPS, "day")[0]["per_period"]
    assert len(days) == 24 and sum(d["incidents"] for d in days) == 3
    # over December into January, months wrap
    winter = [incident(1, date(2016, 12, 5)), incident(2, date(2017, 2, 1))]
    assert [p["start"] for p in attack_rates(winter, GROUPS, "month")[0]["per_period"]] == [
        "2016-12-01", "2017-01-01", "2017-02-01"]


def test_the_stats_text_says_there_is_no_interval_below_two_attacks(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    store = Store.open(f"sqlite:///{db}")
    row = {"id": "I-one", "label": "2016-07-23 air strike on health facility, al-Sakhour",
           "certainty": "probable", "attribution": "unattributed",
           "date_start": date(2016, 7, 23), "date_end": date(2016, 7, 23), "lat": None,
           "lon": None, "precision": "district", "mechanism": "air_strike",
           "targets": "health_facility", "place": "al-Sakhour", "killed_min": None,
           "killed_max": None, "injured_min": None, "injured_max": None, "report_count": 1,
           "source_count": 1, "data": {"targets": ["health_facility"]}}
    store.replace_incidents([row], [], [])
    store.engine.dispose()
    res = CliRunner().invoke(app, ["stats", "--db", db])
    assert res.exit_code == 0, res.output
    [health] = [line for line in res.stdout.splitlines() if line.startswith("health_care")]
    assert "None" not in res.stdout
    assert "fewer than two attacks: no interval" in health
    assert "one every" not in health
