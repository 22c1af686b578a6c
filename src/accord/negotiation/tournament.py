"""Tournaments: scenarios x protocols x lineups of agents x repetitions, from a YAML config.

Every negotiation is planned before any runs, with its own seed derived from the
tournament seed and its index (`numpy.random.SeedSequence([seed, index])`), so the results
are the same whatever runs them: one process, many, or a Ray cluster (`runners`).

Config (YAML)::

    seed: 7
    repetitions: 2
    scenarios: [ukraine-2025, path/to/genius/folder]
    agents: [boulware, linear, conceder, tit-for-tat, hard-liner]
    protocols: [alternating-offers]        # or stacked-alternating-offers, single-text, shuttle
    mediators: [engine]                    # for mediated protocols
    deadline: 100                          # rounds (optional; each protocol has a default)
    lineups: all                           # all: every agent in every role; self: self-play
    relax: {ukraine-2025: [russia/donetsk-remainder]}   # optional: red lines to lift

The results are a tidy table: one row per party per negotiation.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis import compile_space, relax
from accord.analysis.space import Demand, Space
from accord.errors import UsageError
from accord.negotiation.agent import make_agent
from accord.negotiation.mediator import make_mediator
from accord.negotiation.protocols import make_protocol
from accord.negotiation.session import negotiate
from accord.negotiation.transcript import References, references
from accord.negotiation.view import agenda_of, view_of

LINEUPS = ("all", "self")
COLUMNS = ("negotiation", "scenario", "protocol", "mediator", "repetition", "seed", "party",
           "agent", "agreement", "rounds", "utility", "reservation", "gain",
           "distance_pareto", "distance_nash", "nash_share")


@dataclass(frozen=True)
class TournamentConfig:
    scenarios: tuple[str, ...]
    agents: tuple[str, ...]
    protocols: tuple[str, ...] = ("alternating-offers",)
    mediators: tuple[str, ...] = ("engine",)
    repetitions: int = 1
    seed: int = 0
    deadline: int | None = None
    lineups: str = "all"
    relax: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TournamentConfig:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise UsageError(f"unknown tournament setting(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(known))}")
        for key in ("scenarios", "agents"):
            if not data.get(key):
                raise UsageError(f"the tournament config needs a non-empty `{key}` list")
        lists = {k: tuple(str(v) for v in _as_list(data[k]))
                 for k in ("scenarios", "agents", "protocols", "mediators") if k in data}
        config = cls(**{**data, **lists,
                        "relax": {str(k): tuple(_as_list(v)) for k, v in
                                  (data.get("relax") or {}).items()}})
        config.validate()
        return config

    @classmethod
    def load(cls, path: str | Path) -> TournamentConfig:
        import yaml

        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise UsageError(f"cannot read the tournament config {path}: {error}") from None
        except yaml.YAMLError as error:
            raise UsageError(f"the tournament config {path} is not valid YAML: {error}") from None
        if not isinstance(data, dict):
            raise UsageError(f"the tournament config {path} must be a mapping of settings")
        return cls.from_dict(data)

    def validate(self) -> None:
        for name in self.agents:
            make_agent(name)
        for name in self.protocols:
            make_protocol(name, self.deadline)
        for name in self.mediators:
            make_mediator(name)
        if self.lineups not in LINEUPS:
            raise UsageError(f"lineups must be one of {', '.join(LINEUPS)}, got {self.lineups!r}")
        if not isinstance(self.repetitions, int) or self.repetitions < 1:
            raise UsageError("repetitions must be a positive integer")


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


@dataclass(frozen=True)
class Task:
    """One planned negotiation: everything needed to run it, and its own seed."""

    index: int
    scenario: str
    protocol: str
    mediator: str | None
    agents: tuple[str, ...]
    repetition: int
    seed: int
    deadline: int | None


@dataclass
class Bundle:
    """A scenario compiled once, with its references; shipped to workers."""

    space: Space
    refs: References
    views: list | None = None

    def prepared(self) -> Bundle:
        if self.views is None:
            agenda = agenda_of(self.space)
            self.views = [view_of(self.space, p, agenda) for p in range(self.space.n_parties)]
        return self


def load_bundles(config: TournamentConfig, resolve: Callable[[str], Any] | None = None
                 ) -> dict[str, Bundle]:
    """Compile every scenario of the config (with its red lines relaxed as asked)."""
    if resolve is None:
        from accord.io import resolve
    bundles = {}
    for name in config.scenarios:
        space = compile_space(resolve(name))
        demands = [_demand(space, name, text) for text in config.relax.get(name, ())]
        if demands:
            space = relax(space, tuple(demands))
        bundles[name] = Bundle(space, references(space))
    return bundles


def _demand(space: Space, scenario: str, text: str) -> Demand:
    """`party/issue` (a red line) or `party` (a reservation) as a demand to relax."""
    party, _, issue = str(text).partition("/")
    if party not in space.party_ids or (issue and issue not in space.issue_ids):
        raise UsageError(f"relax for {scenario}: {text!r} names no party/issue of the scenario")
    p = space.party_ids.index(party)
    return Demand(p, "red-line", space.issue_ids.index(issue)) if issue else \
        Demand(p, "reservation")


def plan(config: TournamentConfig, bundles: dict[str, Bundle]) -> list[Task]:
    """Every negotiation of the tournament, in a fixed order, each with its seed."""
    tasks: list[Task] = []
    for scenario in config.scenarios:
        n = bundles[scenario].space.n_parties
        for protocol in config.protocols:
            instance = make_protocol(protocol, config.deadline)
            try:
                instance.check(agenda_of(bundles[scenario].space))
            except UsageError:
                continue  # e.g. bilateral alternating offers on a 3-party scenario
            mediators = config.mediators if instance.metadata["mediated"] else (None,)
            for mediator, lineup, rep in itertools.product(
                    mediators, _lineups(config, n), range(config.repetitions)):
                seed = int(np.random.SeedSequence([config.seed, len(tasks)]).generate_state(1)[0])
                tasks.append(Task(len(tasks), scenario, protocol, mediator, lineup, rep, seed,
                                  config.deadline))
    if not tasks:
        raise UsageError("the tournament has no negotiation to run (check that each "
                         "protocol suits the scenarios' number of parties)")
    return tasks


def _lineups(config: TournamentConfig, n: int) -> list[tuple[str, ...]]:
    if config.lineups == "self":
        return [(a,) * n for a in config.agents]
    return list(itertools.product(config.agents, repeat=n))


def execute(task: Task, bundle: Bundle) -> list[dict[str, Any]]:
    """Run one planned negotiation; its rows of the tidy table."""
    bundle = bundle.prepared()
    space = bundle.space
    _, result = negotiate(space, make_protocol(task.protocol, task.deadline),
                          [make_agent(a) for a in task.agents], seed=task.seed,
                          mediator=make_mediator(task.mediator) if task.mediator else None,
                          refs=bundle.refs, views=bundle.views)
    rows = []
    for p, agent in enumerate(task.agents):
        utility = result.utilities[p]
        rows.append({
            "negotiation": task.index, "scenario": task.scenario, "protocol": task.protocol,
            "mediator": task.mediator or "", "repetition": task.repetition, "seed": task.seed,
            "party": space.party_ids[p], "agent": agent, "agreement": result.agreement,
            "rounds": result.rounds, "utility": utility,
            "reservation": float(space.reservation[p]),
            "gain": utility - float(space.reservation[p]),
            "distance_pareto": result.distance_pareto, "distance_nash": result.distance_nash,
            "nash_share": result.nash_share,
        })
    return rows


def summarise(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per agent (over every role it played): negotiations, agreement rate, mean utility,
    mean gain, mean rounds, mean distances and mean share of the Nash product."""
    by_agent: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_agent.setdefault(row["agent"], []).append(row)
    summary = []
    for agent, group in sorted(by_agent.items()):
        summary.append({
            "agent": agent, "negotiations": len(group),
            "agreement_rate": _mean([float(r["agreement"]) for r in group]),
            **{f"mean_{k}": _mean([float(r[k]) for r in group])
               for k in ("utility", "gain", "rounds", "distance_pareto", "distance_nash",
                         "nash_share")},
        })
    return summary


def _mean(values: list[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return sum(finite) / len(finite) if finite else math.nan


def write_table(rows: Sequence[dict[str, Any]], path: str | Path) -> None:
    """Write the tidy table as CSV (or Parquet when the name ends in .parquet and pyarrow
    is installed)."""
    path = Path(path)
    if path.suffix == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise UsageError("writing Parquet needs pyarrow (pip install pyarrow); "
                             "or give a .csv file") from None
        pq.write_table(pa.Table.from_pylist(list(rows)), path)
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)


def task_dict(task: Task) -> dict[str, Any]:
    return asdict(task)
