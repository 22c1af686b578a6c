"""Actor tables of the expected-utility literature (one issue): Actor, Capability, Position,
Salience columns, as in Bueno de Mesquita (1994) Table 1 and its replications
(dmasad/BDM_DecisionModel_Replication, shared/data/external/bdm-masad-replication).

Column names are matched without regard to case, with the synonyms of the replications:
the actor column may be `Actor`, `Stakeholder` or `Name`; capability may be `Capability`,
`Capabilities`, `Resources`, `Power` or `Clout`. Other columns are ignored. The issue's
line runs from the lowest to the highest position of the table (its native scale, kept
as the issue's `scale`): the range the model's formulas divide by. Saliences and
capabilities are kept as given.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from accord.errors import Problem, ScenarioError
from accord.io._names import number_text, readable, safe_id, unique_ids
from accord.io._spatial import (
    SpatialActor,
    SpatialIssue,
    parse_number,
    read_text,
    spatial_scenario,
    to_line,
)
from accord.model import Scenario

COLUMNS = {
    "name": ("actor", "stakeholder", "name"),
    "capability": ("capability", "capabilities", "resources", "power", "clout"),
    "position": ("position",),
    "salience": ("salience",),
}


def is_actor_table(text: str) -> bool:
    """Whether the first line of a text names the four columns of an actor table."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return _columns(next(csv.reader([first]), [])) is not None


def load_actor_table(path: str | Path) -> Scenario:
    """A one-issue actor table as a scenario; errors name the file, line and column."""
    source = str(path)
    rows = [row for row in csv.reader(io.StringIO("\n".join(read_text(path).splitlines())))]
    columns = _columns(rows[0]) if rows else None
    if columns is None:
        raise ScenarioError([Problem((), "not an actor table: the first line must name the "
                                     "columns Actor, Capability, Position and Salience", 1,
                                     source)])
    header = rows[0]
    problems: list[Problem] = []
    entries: list[tuple[str, float, float, float]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        values = [parse_number(cells[columns[key]], (header[columns[key]].strip(),), line,
                               source, problems, low=0.0 if key != "position" else None)
                  for key in ("capability", "position", "salience")]
        name = cells[columns["name"]].strip()
        if not name:
            problems.append(Problem((header[columns["name"]].strip(),), "empty actor name",
                                    line, source))
        elif None not in values:
            entries.append((name, *values))  # type: ignore[arg-type]
    if not entries and not problems:
        problems.append(Problem((), "no actors in the table", None, source))
    if problems:
        raise ScenarioError(problems)
    return _scenario(path, entries)


def _columns(header: list[str]) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in header]
    found = {}
    for key, synonyms in COLUMNS.items():
        index = next((k for k, n in enumerate(names) if n in synonyms), None)
        if index is None:
            return None
        found[key] = index
    return found


def _scenario(path: str | Path, entries: list[tuple[str, float, float, float]]) -> Scenario:
    stem = Path(path).stem
    issue_id = safe_id(stem, "issue")
    low = min(e[2] for e in entries)
    high = max(e[2] for e in entries)
    if high == low:
        high = low + 1.0
    ids = unique_ids([e[0] for e in entries], "actor-")
    actors = [SpatialActor(ids[k], name, capability=c, positions={issue_id: to_line(x, low, high)},
                           saliences={issue_id: s})
              for k, (name, c, x, s) in enumerate(entries)]
    issue = SpatialIssue(issue_id, readable(stem), scale=(low, high),
                         note=f"positions from {number_text(low)} to {number_text(high)} "
                              "in the table's own units")
    return spatial_scenario(safe_id(stem, "actors"), readable(stem),
                            f"Actor table {Path(path).name}: {len(entries)} actors on one issue.",
                            [issue], actors, str(path))
