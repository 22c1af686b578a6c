"""Building scenarios of spatial issues (DEU, Decide and actor-table data).

A spatial issue is a 0-100 line. It is written as an issue with two options at its ends
(`low` at 0 and `high` at 100) so that every accord analysis accepts it; each actor's
ideal point goes in `Party.positions`, and its preference values the two ends linearly
(1 - x/100 and x/100), which is how a distance utility values them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.io._names import number_text
from accord.model import Scenario

MAX_TABLE_BYTES = 64 * 1024 * 1024


@dataclass
class SpatialIssue:
    """One issue as read from a table."""

    id: str
    title: str
    scale: tuple[float, float] | None = None
    reference_point: float | None = None
    outcome: float | None = None
    dossier: str | None = None
    note: str | None = None


@dataclass
class SpatialActor:
    """One actor: id, name, capability, and per issue id its position (0-100) and salience."""

    id: str
    name: str
    capability: float = 1.0
    positions: dict[str, float] = field(default_factory=dict)
    saliences: dict[str, float] = field(default_factory=dict)
    capability_rationale: str | None = None
    weights: dict[str, float] = field(default_factory=dict)
    """Named weights a decision rule counts (Council votes, population): `Party.weights`."""


def read_text(path: str | Path) -> str:
    """A table file as text (UTF-8, BOM and classic-Mac line ends tolerated)."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Problem((), "file not found", None, source)]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem((), "is a folder; expected a table file", None,
                                     source)]) from None
    except OSError as error:
        raise ScenarioError([Problem((), f"cannot read: {error.strerror}", None,
                                     source)]) from None
    if len(raw) > MAX_TABLE_BYTES:
        raise ScenarioError([Problem((), f"file is larger than {MAX_TABLE_BYTES >> 20} MiB",
                                     None, source)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ScenarioError([Problem((), f"not UTF-8 text (byte 0x{raw[error.start]:02x}); "
                                     "save the file as UTF-8", line, source)]) from None
    return text.removeprefix("\ufeff")


def parse_number(text: str, where: tuple[str, ...], line: int, source: str,
                 problems: list[Problem], *, low: float | None = None,
                 high: float | None = None) -> float | None:
    """A number from a cell; records a located problem and returns None when it is not one
    or lies outside [low, high]."""
    try:
        value = float(text.strip().strip("'\"").replace(",", ".") if text.count(",") == 1
                      and "." not in text else text.strip().strip("'\""))
    except ValueError:
        problems.append(Problem(where, f"expected a number, got {text.strip()!r}", line, source))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(Problem(where, f"expected a finite number, got {text.strip()!r}", line,
                                source))
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"[{number_text(low or 0)}, {number_text(high)}]" if high is not None else \
            f">= {number_text(low or 0)}"
        problems.append(Problem(where, f"expected a number in {bounds}, got {text.strip()}",
                                line, source))
        return None
    return value


def spatial_scenario(scenario_id: str, title: str, description: str,
                     issues: list[SpatialIssue], actors: list[SpatialActor],
                     source: str, rule: dict[str, Any] | None = None) -> Scenario:
    """Validate the issues and actors as a Scenario; problems name the source file.
    `rule` is the scenario's decision rule as plain data (`accord.model.rule.Rule`)."""
    data: dict[str, Any] = {
        "id": scenario_id, "title": title, "description": description,
        "issues": [_issue_data(issue) for issue in issues],
        "parties": [_party_data(actor) for actor in actors],
    }
    if rule is not None:
        data["rule"] = rule
    try:
        return Scenario.build(data)
    except ScenarioError as error:
        raise ScenarioError([replace(p, file=source) for p in error.problems]) from None


def _issue_data(issue: SpatialIssue) -> dict[str, Any]:
    low, high = issue.scale or (0.0, 100.0)
    data: dict[str, Any] = {
        "id": issue.id, "title": issue.title,
        "options": [{"id": "low", "label": number_text(low), "position": 0.0},
                    {"id": "high", "label": number_text(high), "position": 100.0}],
    }
    for key in ("scale", "reference_point", "outcome", "dossier", "note"):
        value = getattr(issue, key)
        if value is not None:
            data[key] = list(value) if key == "scale" else value
    return data


def _party_data(actor: SpatialActor) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": actor.id, "name": actor.name, "capability": actor.capability,
        "positions": dict(actor.positions),
        "preferences": {issue: {"salience": actor.saliences.get(issue, 0.0),
                                "valuations": {"low": 1.0 - x / 100.0, "high": x / 100.0}}
                        for issue, x in actor.positions.items()},
    }
    if actor.capability_rationale:
        data["capability_rationale"] = actor.capability_rationale
    if actor.weights:
        data["weights"] = dict(actor.weights)
    return data


def to_line(value: float, low: float, high: float) -> float:
    """A native value on the 0-100 line whose ends are `low` and `high`."""
    return min(100.0, max(0.0, 100.0 * (value - low) / (high - low)))
