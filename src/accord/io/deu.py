"""The DEU III table (Decision-making in the European Union), as a scenario.

Arregui & Perarnaud (2022) "A new dataset on legislative decision-making in the European
Union: the DEU III dataset", J. European Public Policy 29(1); machine-readable copy of
blksv/predictioneers_game (`deu3.csv`, see shared/data/external/deu3-blksv/SOURCE.md).
The data may be read, never shipped: accord reads the file where it lies.

The file is tab-separated with a header row; blksv added a row of GDP values (trillion
USD) under the position columns. Each further row is one controversial issue of a
legislative proposal: `p<actor>` the actor's position (0-100, blank: not coded or not a
member), `s<actor>` its salience (0-100), `rp` the reference point, `out` the outcome.

Choices (docs/forecast.md):
- A position whose salience is blank (54 cells) or 0 (365 cells) gets salience 50, the
  middle of the scale; this reproduces the reference figures of the issue (compromise
  mean absolute error 23.44 with equal capabilities, 23.03 with GDP).
- Capabilities, which DEU does not code: `equal`; `gdp` (the GDP row; the Commission and
  the Parliament have Germany's value there); `votes`, the Council votes of the Treaty of
  Nice as in force for the EU-28 from 1 July 2013 (Council Decision / Accession Treaty
  weights: DE, FR, IT, UK 29; ES, PL 27; RO 14; NL 13; BE, CZ, EL, HU, PT 12; BG, AT,
  SE 10; DK, IE, LT, SK, FI, HR 7; CY, EE, LV, LU, SI 4; MT 3), the same for every issue
  although DEU III spans 1996-2019 (the EU-15 weights of Amsterdam were about
  proportional to these); the Commission and the Parliament get the largest member's
  weight, 29, as the GDP row gives them the largest member's GDP (a convention, not a
  treaty rule).
- The decision rule (`Scenario.rule`, one rule per issue in `rule.issues`): the Council's
  rule in force on the date of the final act (`finact`; the proposal's date `intro` when
  it is missing), by `counvte` (`accord.io.eu_council`): a qualified majority of the
  period's votes (or, from November 2014, of the members and the population), or every
  member state of the period required. Every party carries every period's weights
  (`Party.weights`: `votes-eu27`, `members-eu27`, `population-eu28`, ...; 0 for the
  Commission, the Parliament and non-members). The Commission and the Parliament do
  not vote in the Council; the Parliament is a required party of co-decision proposals
  (`proc` COD; `parliament=False` leaves it out). Dates: `dd-mm-yy` or `dd-mm-yyyy`; the
  copy's spreadsheet turned some `dd-mm-yy` into `19dd-mm-yy` or `20dd-mm-yy`, read back
  as day dd (e.g. `2029-09-04` is 29 September 2004); `999` is missing. A table without
  a `counvte` column, or without both date columns, gets no rule (unanimity).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Literal

from accord.errors import Problem, ScenarioError, UsageError
from accord.io._spatial import (
    SpatialActor,
    SpatialIssue,
    parse_number,
    read_text,
    spatial_scenario,
)
from accord.io.eu_council import council_rule, council_weights, period_of
from accord.model import Scenario

Capability = Literal["equal", "gdp", "votes"]
CAPABILITIES: tuple[str, ...] = ("equal", "gdp", "votes")

ACTORS: dict[str, str] = {
    "com": "European Commission", "ep": "European Parliament", "at": "Austria",
    "be": "Belgium", "bu": "Bulgaria", "cr": "Croatia", "cy": "Cyprus",
    "cz": "Czech Republic", "dk": "Denmark", "ee": "Estonia", "fi": "Finland",
    "fr": "France", "de": "Germany", "el": "Greece", "hu": "Hungary", "ie": "Ireland",
    "it": "Italy", "lv": "Latvia", "lt": "Lithuania", "lu": "Luxembourg", "mt": "Malta",
    "nl": "Netherlands", "pl": "Poland", "pt": "Portugal", "ro": "Romania",
    "si": "Slovenia", "sk": "Slovakia", "es": "Spain", "se": "Sweden", "uk": "United Kingdom",
}
"""DEU III actor codes (as in the column names) and names."""

COUNCIL_VOTES: dict[str, float] = {
    "de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27, "ro": 14, "nl": 13,
    "be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12, "bu": 10, "at": 10, "se": 10,
    "dk": 7, "ie": 7, "lt": 7, "sk": 7, "fi": 7, "cr": 7, "cy": 4, "ee": 4, "lv": 4,
    "lu": 4, "si": 4, "mt": 3, "com": 29, "ep": 29,
}
"""Council votes under the Treaty of Nice (EU-28); Commission and Parliament: see above."""

IMPUTED_SALIENCE = 50.0
REQUIRED = ("prnr", "prname", "isnr", "rp", "out")


def load_deu(path: str | Path, capability: Capability = "equal",
             parliament: bool = True) -> Scenario:
    """The DEU III table as a scenario: one spatial issue per row (dossier = proposal),
    one party per actor with its positions and saliences; reference point and outcome
    kept; each issue's Council voting rule (with the Parliament required under
    co-decision when `parliament`). Errors name the file, line and column."""
    if capability not in CAPABILITIES:
        raise UsageError(f"unknown capability proxy {capability!r}; expected one of "
                         f"{', '.join(CAPABILITIES)}")
    source = str(path)
    rows = list(csv.reader(io.StringIO(read_text(path), newline=""), delimiter="\t"))
    if not rows:
        raise ScenarioError([Problem((), "empty file; expected the DEU III table", 1, source)])
    header = [cell.strip() for cell in rows[0]]
    column = {name: k for k, name in enumerate(header)}
    missing = [c for c in REQUIRED + tuple(p + a for a in ACTORS for p in "ps")
               if c not in column]
    if missing:
        raise ScenarioError([Problem((), "not a DEU III table: missing column(s) "
                                     f"{', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}",
                                     1, source)])
    problems: list[Problem] = []
    gdp: dict[str, float] = {}
    issues: list[SpatialIssue] = []
    rules: dict[str, dict] = {}
    actors = {code: SpatialActor(code, name, weights=council_weights(code))
              for code, name in ACTORS.items()}
    with_rules = "counvte" in column and ("finact" in column or "intro" in column)
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        if not cells[column["isnr"]].strip():
            gdp = _gdp_row(cells, column, line, source, problems)
            continue
        issues.append(_issue(cells, column, line, source, problems, actors))
        if with_rules:
            rule = _rule(cells, column, line, source, problems, parliament)
            if rule is not None:
                rules[issues[-1].id] = rule
    if capability == "gdp" and not gdp:
        problems.append(Problem((), "no GDP row (a row without an issue id holding GDP under "
                                "the position columns); use --capability equal or votes",
                                None, source))
    if problems:
        raise ScenarioError(problems)
    for code, actor in actors.items():
        actor.capability, actor.capability_rationale = _capability(code, capability, gdp)
    who = " (and the Parliament under co-decision)" if parliament else ""
    return spatial_scenario(
        "deu3", "DEU III: controversial issues of EU legislative proposals, 1996-2019",
        "Decision-making in the European Union III (Arregui & Perarnaud 2022), read from "
        f"{Path(path).name}. Positions, saliences, reference points and outcomes as coded "
        f"by the DEU experts; blank or zero saliences of coded positions set to "
        f"{IMPUTED_SALIENCE:g}; capabilities: {capability}; decision rule: the Council's "
        f"voting rule of each proposal{who} (see docs/forecast.md).",
        issues, list(actors.values()), source, {"issues": rules} if rules else None)


def _gdp_row(cells: list[str], column: dict[str, int], line: int, source: str,
             problems: list[Problem]) -> dict[str, float]:
    values = {}
    for code in ACTORS:
        text = cells[column["p" + code]]
        if text.strip():
            value = parse_number(text, ("p" + code,), line, source, problems, low=0.0)
            if value is not None:
                values[code] = value
    return values


def _issue(cells: list[str], column: dict[str, int], line: int, source: str,
           problems: list[Problem], actors: dict[str, SpatialActor]) -> SpatialIssue:
    def cell(name: str) -> str:
        return cells[column[name]].strip() if name in column else ""

    issue_id = cell("isnr")
    number = {name: parse_number(cell(name), (name,), line, source, problems, low=0.0,
                                 high=100.0) if cell(name) else None for name in ("rp", "out")}
    for code, actor in actors.items():
        if not cell("p" + code):
            continue
        x = parse_number(cell("p" + code), ("p" + code,), line, source, problems, low=0.0,
                         high=100.0)
        s = parse_number(cell("s" + code), ("s" + code,), line, source, problems, low=0.0,
                         high=100.0) if cell("s" + code) else None
        if x is not None:
            actor.positions[issue_id] = x
            actor.saliences[issue_id] = (s if s else IMPUTED_SALIENCE) / 100.0
    details = ", ".join(v for v in (cell("type"), cell("proc"), cell("counvte")) if v)
    council = f"; Council: {cell('council')}" if cell("council") else ""
    return SpatialIssue(
        id=issue_id, title=f"{cell('prname') or cell('prnr')}: issue {issue_id}",
        reference_point=number["rp"], outcome=number["out"], dossier=cell("prnr") or None,
        note=f"{details}{council}" if details or council else None)


def _rule(cells: list[str], column: dict[str, int], line: int, source: str,
          problems: list[Problem], parliament: bool) -> dict | None:
    """The Council's rule for the issue's proposal (`accord.io.eu_council.council_rule`)."""
    def cell(name: str) -> str:
        return cells[column[name]].strip() if name in column else ""

    day = None
    for name in ("finact", "intro"):
        day = _date(cell(name), name, line, source, problems)
        if day is not None:
            break
    voting = cell("counvte")
    if day is None or not voting:
        problems.append(Problem(("counvte" if day else "finact",),
                                "no voting rule or no date (finact, intro) to date it by",
                                line, source))
        return None
    period = period_of(day)
    if period is None:
        problems.append(Problem(("finact",), f"{day.isoformat()}: no Council voting rule "
                                "known for this date (1995 to January 2020)", line, source))
        return None
    try:
        return council_rule(period, voting, cell("proc") == "COD", "ep" if parliament else None)
    except ValueError as error:
        problems.append(Problem(("counvte",), str(error), line, source))
        return None


def _date(text: str, name: str, line: int, source: str,
          problems: list[Problem]) -> dt.date | None:
    """A DEU date (`dd-mm-yy`, `dd-mm-yyyy`, or the spreadsheet's `19dd-mm-yy`/`20dd-mm-yy`);
    None when blank or `999` (missing)."""
    text = text.strip().strip("'\"")
    if text in ("", "999"):
        return None
    parts = text.split("-")
    try:
        day, month, year = (int(parts[0][2:]) if len(parts[0]) == 4 else int(parts[0]),
                            int(parts[1]), int(parts[2]))
        if year < 100:
            year += 2000 if year < 50 else 1900
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        problems.append(Problem((name,), f"expected a date dd-mm-yy, got {text!r}", line,
                                source))
        return None


def _capability(code: str, proxy: str, gdp: dict[str, float]) -> tuple[float, str]:
    if proxy == "gdp":
        return gdp.get(code, 0.0), "GDP (trillion USD) from the DEU III copy's GDP row"
    if proxy == "votes":
        note = ("largest member's weight (convention)" if code in ("com", "ep")
                else "Council votes, Treaty of Nice (EU-28)")
        return COUNCIL_VOTES[code], note
    return 1.0, "equal capabilities"
