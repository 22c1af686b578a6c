"""Input files of the Decide exchange model (foarsitter/decide-exchange-model), as scenarios.

One record per line, fields separated by tabs or semicolons and optionally quoted with
`'`: `#A actor name [comment]` declares an actor, `#P issue name [description]` an
issue, `#M issue value [description]` a point of the issue's scale (the lowest and highest
`#M` values are its ends; default 0-100), `#D actor issue position salience power`
(salience and power in [0, 1]); `#/` and `#0` lines are comments.

A party's capability is its power. Decide gives power per record; when an actor's power
differs between issues, its capability is its largest power and its salience on each
issue is multiplied by power / largest power, which keeps capability x salience (what
every model but the expected-utility one depends on) as the file gives it.
"""

from __future__ import annotations

import re
from pathlib import Path

from accord.errors import Problem, ScenarioError
from accord.io._names import readable, safe_id, unique_ids
from accord.io._spatial import (
    SpatialActor,
    SpatialIssue,
    parse_number,
    read_text,
    spatial_scenario,
    to_line,
)
from accord.model import Scenario

RECORDS = ("#A", "#P", "#M", "#D")
COMMENTS = ("#/", "#0")


def is_decide(text: str) -> bool:
    """Whether a text looks like a Decide input file (its first record is `#A`-`#D`,
    `#/` or `#0`)."""
    for line in text.splitlines():
        fields = _fields(line)
        if fields and fields[0]:
            return fields[0] in RECORDS + COMMENTS
    return False


def load_decide(path: str | Path) -> Scenario:
    """A Decide input file as a scenario: one spatial issue per `#P`, one party per `#A`,
    positions rescaled from the `#M` scale to 0-100 (the scale is kept). Errors name the
    file, line and record field."""
    source = str(path)
    actors: dict[str, str] = {}
    issues: dict[str, str] = {}
    marks: dict[str, list[float]] = {}
    data: list[tuple[int, str, str, float, float, float]] = []
    problems: list[Problem] = []
    for line, text in enumerate(read_text(path).splitlines(), start=1):
        fields = _fields(text)
        if not fields or not fields[0] or fields[0] in COMMENTS:
            continue
        kind = fields[0]
        if kind not in RECORDS:
            problems.append(Problem((), f"unknown record {kind!r}; expected #A, #P, #M, #D "
                                    "(or #/ and #0 comments)", line, source))
        elif len(fields) < {"#A": 2, "#P": 2, "#M": 3, "#D": 6}[kind]:
            problems.append(Problem((kind,), "too few fields; expected "
                                    + _LAYOUT[kind], line, source))
        elif kind == "#A":
            actors.setdefault(fields[1], fields[2] if len(fields) > 2 and fields[2] else fields[1])
        elif kind == "#P":
            issues.setdefault(fields[1], fields[2] if len(fields) > 2 and fields[2] else fields[1])
        elif kind == "#M":
            value = parse_number(fields[2], ("#M", "value"), line, source, problems)
            if value is not None:
                marks.setdefault(fields[1], []).append(value)
        else:
            _record(fields, line, source, problems, data)
    for line, actor, issue, *_ in data:
        if actor not in actors:
            problems.append(Problem(("#D", "actor"), f"actor {actor!r} has no #A record",
                                    line, source))
        if issue not in issues:
            problems.append(Problem(("#D", "issue"), f"issue {issue!r} has no #P record",
                                    line, source))
    if not data and not problems:
        problems.append(Problem((), "no #D records: nothing to forecast", None, source))
    if problems:
        raise ScenarioError(problems)
    return _scenario(path, actors, issues, marks, data)


_LAYOUT = {"#A": "#A actor name", "#P": "#P issue name", "#M": "#M issue value",
           "#D": "#D actor issue position salience power"}


def _fields(line: str) -> list[str]:
    separator = "\t" if "\t" in line else ";"
    return [field.strip().strip("'\"").strip() for field in re.split(separator, line.strip())]


def _record(fields: list[str], line: int, source: str, problems: list[Problem],
            data: list[tuple[int, str, str, float, float, float]]) -> None:
    position = parse_number(fields[3], ("#D", "position"), line, source, problems)
    salience = parse_number(fields[4], ("#D", "salience"), line, source, problems, low=0.0,
                            high=1.0)
    power = parse_number(fields[5], ("#D", "power"), line, source, problems, low=0.0)
    if position is not None and salience is not None and power is not None:
        data.append((line, fields[1], fields[2], position, salience, power))


def _scenario(path: str | Path, actors: dict[str, str], issues: dict[str, str],
              marks: dict[str, list[float]],
              data: list[tuple[int, str, str, float, float, float]]) -> Scenario:
    issue_ids = dict(zip(issues, unique_ids(issues, "issue-")))
    actor_ids = dict(zip(actors, unique_ids(actors, "actor-")))
    scales = {}
    for issue in issues:
        values = marks.get(issue, []) + [d[3] for d in data if d[2] == issue]
        low, high = (min(values + [0.0]), max(values + [100.0])) if not marks.get(issue) \
            else (min(values), max(values))
        scales[issue] = (low, high if high > low else low + 1.0)
    power = {a: max([d[5] for d in data if d[1] == a], default=0.0) for a in actors}
    parties = {a: SpatialActor(actor_ids[a], name, capability=power[a]) for a, name in
               actors.items()}
    for _, actor, issue, x, s, c in data:
        low, high = scales[issue]
        parties[actor].positions[issue_ids[issue]] = to_line(x, low, high)
        parties[actor].saliences[issue_ids[issue]] = s * (c / power[actor] if power[actor] else 1)
    spatial_issues = [SpatialIssue(issue_ids[i], name or i,
                                   scale=None if scales[i] == (0.0, 100.0) else scales[i])
                      for i, name in issues.items()]
    stem = Path(path).stem
    return spatial_scenario(
        safe_id(stem, "decide"), readable(stem),
        f"Decide exchange-model input file {Path(path).name}: {len(actors)} actors, "
        f"{len(issues)} issues, {len(data)} positions.",
        spatial_issues, list(parties.values()), str(path))
