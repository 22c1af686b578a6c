"""Tournaments: scenarios x protocols x lineups of agents x repetitions, from a YAML config.

Every negotiation is planned before any runs, with its own seed derived from the
tournament seed and its index (`numpy.random.SeedSequence([seed, index])`), so the results
are the same whatever runs them: one process, many, or a Ray cluster (`runners`).

Config (YAML)::

    seed: 7
    repetitions: 2
    scenarios: [ukraine-2025, path/to/genius/folder]
    agents: [boulware, linear, conceder, tit-for-tat, hard-liner]
    protocols: [alternating-offers]        # or stacked-alternating-offers, single-text, shuttle, mopac
    mediators: [engine]                    # for mediated protocols
    deadline: 100                          # rounds (optional; each protocol has a default)
    lineups: all                           # all: every agent in every role; self: self-play
    relax: {ukraine-2025: [russia/donetsk-remainder]}   # optional: red lines to lift

Relative scenario paths are read from the config file's folder (a bare name that is no
file there is a shipped scenario); errors name the config file, line and field.

The results are a tidy table: one row per party per negotiation (`in_coalition`: the party
carried the agreement; under a decision rule a party left out is bound by it all the same).
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
from accord.errors import AccordError, UsageError, format_path
from accord.negotiation.agent import make_agent
from accord.negotiation.mediator import make_mediator
from accord.negotiation.protocols import make_protocol
from accord.negotiation.session import negotiate
from accord.negotiation.transcript import References, references
from accord.negotiation.view import agenda_of, view_of

LINEUPS = ("all", "self")
COLUMNS = ("negotiation", "scenario", "protocol", "mediator", "repetition", "seed", "party",
           "agent", "agreement", "rounds", "utility", "reservation", "gain",
           "distance_pareto", "distance_nash", "nash_share", "in_coalition")


@dataclass(frozen=True)
class Origin:
    """Where a config was read from: the file, and the line of each setting (key path ->
    line), so that errors name them and scenario paths resolve against the file's folder."""

    file: str
    lines: dict[tuple, int] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return Path(self.file).parent

    def at(self, *path: str | int) -> str:
        """`file:line: field` for a setting (the line of its nearest known parent)."""
        line = next((self.lines[path[:k]] for k in range(len(path), 0, -1)
                     if path[:k] in self.lines), None)
        return f"{self.file}{f':{line}' if line else ''}: {format_path(path)}"


def _where(origin: Origin | None, *path: str | int) -> str:
    return origin.at(*path) if origin else format_path(path)


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
    origin: Origin | None = field(default=None, compare=False, repr=False)
    """The file the config came from (None when built in code)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any], origin: Origin | None = None) -> TournamentConfig:
        known = set(cls.__dataclass_fields__) - {"origin"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UsageError(f"{_where(origin, unknown[0])}: unknown tournament setting(s) "
                             f"{', '.join(unknown)}; known: {', '.join(sorted(known))}")
        for key in ("scenarios", "agents"):
            if not data.get(key):
                where = f"{origin.file}: " if origin else ""
                raise UsageError(f"{where}the tournament config needs a non-empty `{key}` "
                                 "list")
        relax = data.get("relax") or {}
        if not isinstance(relax, dict):
            raise UsageError(f"{_where(origin, 'relax')}: expected a mapping of scenario -> "
                             "list of party/issue")
        lists = {k: tuple(str(v) for v in _as_list(data[k]))
                 for k in ("scenarios", "agents", "protocols", "mediators") if k in data}
        config = cls(**{**data, **lists, "origin": origin,
                        "relax": {str(k): tuple(str(x) for x in _as_list(v))
                                  for k, v in relax.items()}})
        config.validate()
        return config

    @classmethod
    def load(cls, path: str | Path) -> TournamentConfig:
        import yaml

        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise UsageError(f"cannot read the tournament config {path}: "
                             f"{error.strerror or error}") from None
        except UnicodeDecodeError as error:
            raise UsageError(f"the tournament config {path} is not UTF-8 text (byte "
                             f"0x{error.object[error.start]:02x} at offset {error.start}); "
                             "expected a YAML file of settings (docs/negotiation.md)") from None
        except yaml.YAMLError as error:
            raise UsageError(f"the tournament config {path} is not valid YAML: {error}") from None
        if not isinstance(data, dict):
            raise UsageError(f"the tournament config {path} must be a mapping of settings")
        return cls.from_dict(data, Origin(str(path), _lines(yaml.compose(
            Path(path).read_text(encoding="utf-8")))))

    def validate(self) -> None:
        """Every setting checked; an error names the field (and, from a file, its line)."""
        at = self.origin
        for key, make in (("agents", make_agent), ("mediators", make_mediator),
                          ("protocols", lambda name: make_protocol(name, self.deadline))):
            for k, name in enumerate(getattr(self, key)):
                try:
                    make(name)
                except AccordError as error:
                    raise UsageError(f"{_where(at, key, k)}: {error.user_message()}") from None
        if self.lineups not in LINEUPS:
            raise UsageError(f"{_where(at, 'lineups')}: must be one of {', '.join(LINEUPS)}, "
                             f"got {self.lineups!r}")
        for key, least in (("repetitions", 1), ("seed", 0), ("deadline", 1)):
            value = getattr(self, key)
            if key == "deadline" and value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < least:
                raise UsageError(f"{_where(at, key)}: {key} must be an integer of at least "
                                 f"{least}, got {value!r}")
        for name in self.relax:
            if name not in self.scenarios:
                raise UsageError(f"{_where(at, 'relax', name)}: {name!r} is not one of the "
                                 f"tournament's scenarios ({', '.join(self.scenarios)})")


def _lines(node: Any, path: tuple = ()) -> dict[tuple, int]:
    """Key path -> line (1-based) of every setting, list item and mapping key in a
    composed YAML document."""
    import yaml

    lines: dict[tuple, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = (*path, str(key.value))
            lines[here] = key.start_mark.line + 1
            lines.update(_lines(value, here))
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            lines[(*path, k)] = item.start_mark.line + 1
            lines.update(_lines(item, (*path, k)))
    return lines


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
    """Compile every scenario of the config (with its red lines relaxed as asked).

    A relative path is read from the config file's folder; a bare name that is no file
    there is a shipped scenario. Errors name the config file, line and field."""
    if resolve is None:
        from accord.io import resolve
    bundles = {}
    for k, name in enumerate(config.scenarios):
        where = _where(config.origin, "scenarios", k)
        try:
            space = compile_space(resolve(scenario_source(name, config.origin)))
        except AccordError as error:
            folder = f" (relative paths are read from {config.origin.folder}/, the config's " \
                     "folder)" if config.origin and not Path(name).is_absolute() else ""
            raise UsageError(f"{where}: {name}{folder}: {error.user_message()}") from None
        demands = []
        for j, text in enumerate(config.relax.get(name, ())):
            try:
                demands.append(parse_demand(space, name, text))
            except UsageError as error:
                raise UsageError(f"{_where(config.origin, 'relax', name, j)}: "
                                 f"{error}") from None
        if demands:
            space = relax(space, tuple(demands))
        bundles[name] = Bundle(space, references(space))
    return bundles


def scenario_source(name: str, origin: Origin | None) -> str | Path:
    """Where a config's scenario entry points: a relative path from the config's folder,
    an absolute path as it is, a bare name not found there as a shipped scenario."""
    path = Path(name).expanduser()
    if origin is None or path.is_absolute():
        return path if path.is_absolute() else name
    beside = origin.folder / path
    if beside.exists() or "/" in name or "\\" in name or path.suffix:
        return beside
    return name


def parse_demand(space: Space, scenario: str, text: str) -> Demand:
    """`party/issue` (a red line) or `party` (a reservation) as a demand to relax."""
    party, _, issue = str(text).partition("/")
    if party not in space.party_ids or (issue and issue not in space.issue_ids):
        raise UsageError(f"relax for {scenario}: {text!r} names no party/issue of the scenario"
                         f" (parties: {', '.join(space.party_ids)})")
    p = space.party_ids.index(party)
    return Demand(p, "red-line", space.issue_ids.index(issue)) if issue else \
        Demand(p, "reservation")


_demand = parse_demand
"""The former private name (kept for callers that still import it)."""


def plan(config: TournamentConfig, bundles: dict[str, Bundle]) -> list[Task]:
    """Every negotiation of the tournament, in a fixed order, each with its seed."""
    tasks: list[Task] = []
    for scenario in config.scenarios:
        n = bundles[scenario].space.n_parties
        for protocol in config.protocols:
            mediators = _mediators(config, protocol, bundles[scenario])
            if mediators is None:
                continue  # e.g. bilateral alternating offers on a 3-party scenario
            for mediator, lineup, rep in itertools.product(
                    mediators, _lineups(config, n), range(config.repetitions)):
                seed = int(np.random.SeedSequence([config.seed, len(tasks)]).generate_state(1)[0])
                tasks.append(Task(len(tasks), scenario, protocol, mediator, lineup, rep, seed,
                                  config.deadline))
    if not tasks:
        raise UsageError("the tournament has no negotiation to run (check that each "
                         "protocol suits the scenarios' number of parties)")
    return tasks


def _mediators(config: TournamentConfig, protocol: str, bundle: Bundle
               ) -> tuple[str | None, ...] | None:
    """The mediators a protocol runs with on a scenario ((None,) when unmediated); None
    when the protocol does not suit the scenario."""
    instance = make_protocol(protocol, config.deadline)
    try:
        instance.check(agenda_of(bundle.space))
    except UsageError:
        return None
    return config.mediators if instance.metadata["mediated"] else (None,)


def describe_plan(config: TournamentConfig, bundles: dict[str, Bundle]) -> list[str]:
    """The plan's size, one line per scenario and protocol: negotiations = mediators x
    line-ups (agents in roles) x repetitions; a protocol that does not suit a scenario is
    named as skipped."""
    lines = []
    for scenario in config.scenarios:
        n = bundles[scenario].space.n_parties
        for protocol in config.protocols:
            mediators = _mediators(config, protocol, bundles[scenario])
            if mediators is None:
                lines.append(f"{scenario} x {protocol}: skipped (the protocol does not "
                             f"seat {n} parties)")
                continue
            lineups = len(_lineups(config, n))
            how = (f"{len(config.agents)} agents in self-play" if config.lineups == "self"
                   else f"{len(config.agents)} agents ^ {n} roles")
            parts = [f"{len(mediators)} mediator(s)"] if mediators != (None,) else []
            parts += [f"{lineups:,} line-ups ({how})", f"{config.repetitions} repetition(s)"]
            total = len(mediators) * lineups * config.repetitions
            lines.append(f"{scenario} ({n} parties) x {protocol}: " + " x ".join(parts)
                         + f" = {total:,}")
    return lines


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
            "in_coalition": result.coalition is not None and p in result.coalition,
        })
    return rows


def summarise(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per agent: the negotiations it took part in (each counted once, however many
    seats it held there), its seats (one row each), the share of its negotiations that
    ended in agreement, its mean utility and gain over its seats, and over its
    negotiations the mean rounds, distances and share of the Nash product."""
    by_agent: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_agent.setdefault(row["agent"], []).append(row)
    summary = []
    for agent, seats in sorted(by_agent.items()):
        negotiations = list({r["negotiation"]: r for r in seats}.values())
        summary.append({
            "agent": agent, "negotiations": len(negotiations), "seats": len(seats),
            "agreement_rate": _mean([float(r["agreement"]) for r in negotiations]),
            **{f"mean_{k}": _mean([float(r[k]) for r in seats]) for k in ("utility", "gain")},
            **{f"mean_{k}": _mean([float(r[k]) for r in negotiations])
               for k in ("rounds", "distance_pareto", "distance_nash", "nash_share")},
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
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else list(COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
    except OSError as error:
        raise UsageError(f"cannot write the table to {path}: {error.strerror}") from None


def task_dict(task: Task) -> dict[str, Any]:
    return asdict(task)
