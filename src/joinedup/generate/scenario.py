"""The public scenario generator: fictional safeguarding reports and their ground truth.

A scenario is a stream of *clusters*: each planted network with all its reports, then the noise
episodes that keep the requested share of unrelated reports. No identity spans two clusters, so
each cluster's expected alerts are computed on its own and nothing needs the whole scenario in
memory but the truth (a few hundred bytes per report). See docs/generator.md.

Examples:
    >>> s = generate_scenario(seed=7, reports=120)
    >>> len(s.reports), len(s.truth["networks"])
    (120, 2)
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any, TextIO

from joinedup.errors import InputError
from joinedup.generate.alerts import Evaluator, arrival_key
from joinedup.generate.entities import Ids, Person, Place, World
from joinedup.generate.geo import PhoneBook, PlateBook
from joinedup.generate.networks import NetworkWriter, build_network, network_truth
from joinedup.generate.noise import NoiseWriter
from joinedup.generate.render import Rec

Json = dict[str, Any]
GENERATOR_VERSION = 1


@dataclass
class Scenario:
    """Generated reports (in arrival order) and the truth about them."""

    reports: list[dict[str, Any]]
    truth: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """Resolved sizes: children and report budget of each network, and the noise count."""

    networks: list[tuple[int, int]]
    noise: int
    first: int
    last: int


@dataclass
class Cluster:
    """One network or noise episode: its reports and the entities they mention."""

    recs: list[Rec]
    entities: list[Person | Place]
    network: Json | None = None
    network_id: str | None = None
    alerts: list[Json] = field(default_factory=list)


def generate_scenario(
    *,
    seed: int,
    reports: int = 1000,
    children: int | None = None,
    networks: int | None = None,
    noise_ratio: float = 0.5,
    start: date = date(2007, 1, 1),
    months: int = 24,
) -> Scenario:
    """Generate a scenario in memory; reports are returned in arrival order.

    Args:
        seed: the only source of randomness; the same seed gives the same scenario.
        reports: exact number of reports.
        children: exploited children over all planted networks (default: 2-6 per network).
        networks: planted networks (default: about one per 60 reports).
        noise_ratio: share of reports that are unrelated noise.
        start: first day reports may be dated.
        months: length of the period reports are dated in.
    """
    truth = new_truth(seed, reports, children, networks, noise_ratio, start, months)
    out = list(
        iter_scenario_reports(
            seed=seed,
            reports=reports,
            children=children,
            networks=networks,
            noise_ratio=noise_ratio,
            start=start,
            months=months,
            truth=truth,
        )
    )
    out.sort(key=arrival_key)
    return Scenario(out, truth)


def iter_scenario_reports(
    *,
    seed: int,
    reports: int = 1000,
    children: int | None = None,
    networks: int | None = None,
    noise_ratio: float = 0.5,
    start: date = date(2007, 1, 1),
    months: int = 24,
    truth: Json | None = None,
) -> Iterator[Json]:
    """Yield the scenario's reports cluster by cluster (not in arrival order).

    If ``truth`` is given (from :func:`new_truth`), it is filled in as clusters are yielded and
    is complete once the iterator is exhausted.
    """
    for cluster in iter_clusters(seed, reports, children, networks, noise_ratio, start, months):
        if truth is not None:
            add_cluster(truth, cluster)
        for rec in cluster.recs:
            yield rec.report


def write_scenario(s: Scenario, reports_path: Path, truth_path: Path) -> None:
    """Write reports as JSON Lines and the truth as JSON."""
    with open(reports_path, "w", encoding="utf-8") as out:
        for report in s.reports:
            out.write(json.dumps(report, ensure_ascii=False) + "\n")
    write_truth(s.truth, truth_path)


def write_truth(truth: Json, truth_path: Path) -> None:
    """Write the truth as JSON (streamed by the encoder, so a large truth is fine)."""
    with open(truth_path, "w", encoding="utf-8") as out:
        json.dump(truth, out, ensure_ascii=False)


def generate_to_files(
    reports_path: Path,
    truth_path: Path,
    *,
    seed: int,
    reports: int = 1000,
    children: int | None = None,
    networks: int | None = None,
    noise_ratio: float = 0.5,
    start: date = date(2007, 1, 1),
    months: int = 24,
) -> Json:
    """Generate straight to files without holding the reports in memory; returns the truth.

    Reports are spilled into one temporary file per month and each month is sorted on its
    own, so the JSON Lines file is in arrival order like :func:`generate_scenario`'s list
    (and byte-identical to what :func:`write_scenario` writes for the same parameters).
    """
    truth = new_truth(seed, reports, children, networks, noise_ratio, start, months)
    stream = iter_scenario_reports(
        seed=seed,
        reports=reports,
        children=children,
        networks=networks,
        noise_ratio=noise_ratio,
        start=start,
        months=months,
        truth=truth,
    )
    with tempfile.TemporaryDirectory(dir=Path(reports_path).parent) as tmp:
        months_seen = _spill(stream, Path(tmp))
        with open(reports_path, "w", encoding="utf-8") as out:
            for month in sorted(months_seen):
                out.writelines(_sorted_bucket(Path(tmp, month)))
    write_truth(truth, truth_path)
    return truth


def _spill(stream: Iterator[Json], folder: Path) -> set[str]:
    """Write each report to its month's file as ``at<TAB>org/id<TAB>json``."""
    with ExitStack() as stack:
        buckets: dict[str, TextIO] = {}
        for report in stream:
            at, key = arrival_key(report)
            month = at[:7]
            if month not in buckets:
                buckets[month] = stack.enter_context(open(folder / month, "w", encoding="utf-8"))
            line = json.dumps(report, ensure_ascii=False)
            buckets[month].write(f"{at}\t{key}\t{line}\n")
        return set(buckets)


def _sorted_bucket(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        rows = [line.split("\t", 2) for line in handle]
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]


# -- planning -----------------------------------------------------------------------------------


def plan(
    seed_rng: Random,
    reports: int,
    children: int | None,
    networks: int | None,
    noise_ratio: float,
    start: date,
    months: int,
) -> Plan:
    """Resolve the sizes; raise :class:`InputError` when they cannot be met."""
    if reports < 0 or months < 1 or not 0.0 <= noise_ratio <= 1.0:
        raise InputError("reports must be >= 0, months >= 1 and noise_ratio in [0, 1]")
    noise = round(reports * noise_ratio)
    planted = reports - noise
    count = networks if networks is not None else min(max(1, round(reports / 60)), planted // 2)
    if count < 0 or planted < 2 * count:
        raise InputError(
            f"{planted} planted reports cannot cover {count} networks",
            hint="each network needs at least 2 reports; lower networks or noise_ratio",
        )
    if count == 0:
        noise = reports
    sizes = _children(seed_rng, count, children)
    first = start.toordinal()
    return Plan(
        list(zip(sizes, _budgets(planted if count else 0, sizes), strict=True)),
        noise,
        first,
        _add_months(start, months).toordinal() - 1,
    )


def _children(rng: Random, count: int, children: int | None) -> list[int]:
    if children is None:
        return [rng.randint(2, 6) for _ in range(count)]
    if children < 2 * count:
        raise InputError(
            f"{children} children cannot fill {count} networks",
            hint="each network exploits at least 2 children",
        )
    sizes = [2] * count
    for _ in range(children - 2 * count):
        sizes[rng.randrange(count)] += 1
    return sizes


def _budgets(planted: int, sizes: list[int]) -> list[int]:
    if not sizes:
        return []
    spare = planted - 2 * len(sizes)
    total = sum(sizes)
    budgets = [2 + spare * size // total for size in sizes]
    for i in range(planted - sum(budgets)):
        budgets[i % len(budgets)] += 1
    return budgets


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1) + timedelta(days=day.day - 1)


# -- clusters ---------------------------------------------------------------------------------


def iter_clusters(
    seed: int,
    reports: int,
    children: int | None,
    networks: int | None,
    noise_ratio: float,
    start: date,
    months: int,
) -> Iterator[Cluster]:
    """Networks interleaved with enough noise episodes to keep the noise share steady."""
    master = Random(seed)
    p = plan(master, reports, children, networks, noise_ratio, start, months)
    phones = PhoneBook(Random(master.getrandbits(64)), len(p.networks) * 2.1, p.noise * 0.15)
    world = World(seed, Ids(), PlateBook(), phones)
    done = 0
    for i, (n_children, budget) in enumerate(p.networks):
        yield _network_cluster(world, Random(master.getrandbits(64)), p, n_children, budget)
        target = p.noise * (i + 1) // len(p.networks)
        while done < target:
            cluster = _noise_cluster(world, Random(master.getrandbits(64)), p, target - done)
            done += len(cluster.recs)
            yield cluster
    while done < p.noise:
        cluster = _noise_cluster(world, Random(master.getrandbits(64)), p, p.noise - done)
        done += len(cluster.recs)
        yield cluster


def _network_cluster(world: World, rng: Random, p: Plan, n_children: int, budget: int) -> Cluster:
    span = p.last - p.first
    length = min(span, rng.randint(150, 330))
    first = p.first + rng.randint(0, span - length)
    net = build_network(world, rng, world.ids.next("network"), first, first + length, n_children)
    recs = NetworkWriter(world, rng, net, p.last).write(budget)
    entities: list[Person | Place] = [*net.offenders, *net.children, *net.places, *net.care_homes]
    entities += [c.parent for c in net.children if c.parent]
    entities += [c.home for c in net.children if c.home and c.home.kind == "house"]
    if net.recruiter:
        entities.append(net.recruiter)
    return Cluster(recs, entities, network_truth(net), net.id)


def _noise_cluster(world: World, rng: Random, p: Plan, budget: int) -> Cluster:
    writer = NoiseWriter(world, rng, p.first, p.last)
    recs = writer.write(budget)
    return Cluster(recs, writer.entities)


# -- truth ------------------------------------------------------------------------------------


def new_truth(
    seed: int,
    reports: int,
    children: int | None,
    networks: int | None,
    noise_ratio: float,
    start: date,
    months: int,
) -> Json:
    """An empty truth document for the parameters."""
    return {
        "seed": seed,
        "params": {
            "reports": reports,
            "children": children,
            "networks": networks,
            "noise_ratio": noise_ratio,
            "start": start.isoformat(),
            "months": months,
            "generator_version": GENERATOR_VERSION,
        },
        "mentions": {},
        "vehicles": {},
        "phones": {},
        "identities": {},
        "networks": [],
        "noise_reports": [],
        "noise_expected_alerts": [],
    }


def add_cluster(truth: Json, cluster: Cluster) -> None:
    """Fold one cluster into the truth, computing its expected alerts."""
    mentions, vehicles, phones = truth["mentions"], truth["vehicles"], truth["phones"]
    for rec in cluster.recs:
        key = rec.key
        for ref, identity in rec.mentions:
            mentions[f"{key}#{ref}"] = identity
        for suffix, identity in rec.vehicles:
            vehicles[f"{key}#{suffix}"] = identity
        for suffix, identity in rec.phones:
            phones[f"{key}#{suffix}"] = identity
    identities = truth["identities"]
    for entity in cluster.entities:
        _add_identity(identities, entity, cluster.network_id)
    alerts = Evaluator(mentions, vehicles, phones).run(r.report for r in cluster.recs)
    if cluster.network is not None:
        truth["networks"].append({**cluster.network, "expected_alerts": alerts})
    else:
        truth["noise_reports"].extend(rec.key for rec in cluster.recs)
        truth["noise_expected_alerts"].extend(alerts)


def _add_identity(identities: Json, entity: Person | Place, network: str | None) -> None:
    if isinstance(entity, Place):
        identities[entity.id] = {
            "type": "place",
            "role": entity.kind,
            "origin": None,
            "network": network,
            "name": entity.name,
            "town": entity.town.name,
            "postcode": entity.postcode,
        }
        return
    identities[entity.id] = {
        "type": "person",
        "role": entity.role,
        "origin": entity.origin,
        "network": network,
        "name": f"{entity.given} {entity.surname}",
        "nicknames": entity.nicknames,
        "sex": entity.sex,
        "born": entity.born.isoformat(),
        "town": entity.town.name,
    }
    for vehicle in entity.vehicles:
        identities[vehicle.id] = {
            "type": "vehicle",
            "role": vehicle.kind or "car",
            "origin": None,
            "network": network,
            "reg": vehicle.reg,
            "owner": entity.id,
        }
    for phone in entity.phones:
        identities[phone.id] = {
            "type": "phone",
            "role": "mobile",
            "origin": None,
            "network": network,
            "number": phone.digits,
            "owner": entity.id,
        }
