"""What a report shows, as plain data: the marks (drafts and solutions) and each section's rows.

Everything here is taken from `analysis_to_dict` (the stable JSON form) or read straight off
the scenario; nothing is solved again. The figures (`figures.py`), the HTML page (`html.py`)
and the Markdown summary (`markdown.py`) are views of one `ReportContent`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis import Analysis
from accord.analysis.utility import utility_bounds
from accord.model import Scenario
from accord.report.comparison import Comparison, plan_comparison
from accord.report.describe import short_party_name
from accord.report.forecast import ForecastView, forecast_view
from accord.report.pairs import PairFrontier, pair_frontiers
from accord.report.news import ClaimRow, article_rows
from accord.report.sources import SourceRow, position_sources
from accord.report.summary import analysis_to_dict
from accord.report.verdict import verdict_paragraph

SOLUTION_NAMES = {
    "nash": "Nash", "asymmetric-nash": "Nash weighted by capability",
    "kalai-smorodinsky": "Kalai–Smorodinsky", "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
}
SOLUTION_CODES = {"nash": "N", "asymmetric-nash": "wN", "kalai-smorodinsky": "KS",
                  "egalitarian": "E", "utilitarian": "U"}
PARALLEL_LINES = 150
"""Frontier packages drawn in the parallel-coordinates view (a seeded random choice)."""


@dataclass(frozen=True)
class Mark:
    """A package marked on the figures: a draft (`D1`, …) or a bargaining solution (`N`, …)."""

    code: str
    kind: str  # "draft" or "solution"
    name: str
    package: dict[str, str | None]
    low: dict[str, float]
    high: dict[str, float]
    share: dict[str, float]
    detail: dict[str, Any] = field(default_factory=dict)
    """The draft's entry of the JSON summary (empty for solutions)."""

    def mid(self, party: str) -> float:
        return (self.low[party] + self.high[party]) / 2

    @property
    def complete(self) -> bool:
        return all(option is not None for option in self.package.values())


@dataclass(frozen=True)
class ReportContent:
    """Everything the report shows, computed once."""

    scenario: Scenario
    summary: dict[str, Any]
    parties: list[str]
    party_names: dict[str, str]
    """Short names for figures and tables (`short_party_name`)."""
    reservation: dict[str, float]
    worst: dict[str, float]
    best: dict[str, float]
    marks: list[Mark]
    focus: str | None
    verdict: str
    solutions_note: str
    pairs: list[PairFrontier]
    frontier_note: str
    frontier_lines: list[dict[str, float]]
    sources: list[SourceRow]
    news: list[ClaimRow]
    """Claims read from news articles kept as evidence (`accord evidence --update`)."""
    comparison: Comparison | None
    forecast: ForecastView | None = None

    @property
    def drafts(self) -> list[Mark]:
        return [m for m in self.marks if m.kind == "draft"]

    @property
    def solutions(self) -> list[Mark]:
        return [m for m in self.marks if m.kind == "solution"]

    def mark(self, code: str) -> Mark:
        return next(m for m in self.marks if m.code == code)


def build_content(analysis: Analysis, focus: str | None = None) -> ReportContent:
    """The report's content for an analysis; `focus` is the draft the heat map opens on."""
    summary = analysis_to_dict(analysis, frontier_limit=0)
    space, parties = analysis.space, list(analysis.space.party_ids)
    worst, best = (dict(zip(parties, map(float, a))) for a in utility_bounds(space))
    marks = _draft_marks(summary) + _solution_marks(summary, parties, worst, best)
    drafts = [m.code for m in marks if m.kind == "draft"]
    if focus is not None:
        focus = next((m.code for m in marks if m.detail.get("id") == focus), None)
    default_focus = drafts[0] if drafts else (marks[0].code if marks else None)
    reservation = dict(zip(parties, map(float, space.reservation)))
    names = {p.id: short_party_name(p.name, p.id) for p in analysis.scenario.parties}
    return ReportContent(
        scenario=analysis.scenario, summary=summary, parties=parties,
        party_names=names,
        reservation=reservation, worst=worst, best=best,
        marks=marks, focus=focus or default_focus,
        verdict=verdict_paragraph(summary, analysis.scenario, marks, reservation, names),
        solutions_note=_solutions_note(summary),
        pairs=pair_frontiers(analysis), frontier_note=_frontier_note(summary),
        frontier_lines=_frontier_lines(analysis, parties, worst, best),
        sources=position_sources(analysis.scenario),
        news=article_rows(analysis.scenario, names),
        comparison=plan_comparison(analysis, _draft_id(marks, focus or default_focus)),
        forecast=forecast_view(analysis.scenario),
    )


def _draft_id(marks: list[Mark], code: str | None) -> str | None:
    return next((m.detail["id"] for m in marks if m.code == code and m.kind == "draft"), None)


def _draft_marks(summary: dict[str, Any]) -> list[Mark]:
    return [Mark(code=f"D{k}", kind="draft", name=draft["title"] or draft["id"],
                 package=draft["package"],
                 low={p: u["low"] for p, u in draft["utilities"].items()},
                 high={p: u["high"] for p, u in draft["utilities"].items()},
                 share=draft["share_of_range"], detail=draft)
            for k, draft in enumerate(summary["drafts"], 1)]


def reference_solutions(summary: dict[str, Any]) -> dict[str, Any]:
    """The zone's solutions, or the first relaxation's when there is no zone."""
    if summary["solutions"]:
        return summary["solutions"]
    return summary["relaxations"][0]["solutions"] if summary["relaxations"] else {}


def _solution_marks(summary: dict[str, Any], parties: list[str], worst: dict[str, float],
                    best: dict[str, float]) -> list[Mark]:
    marks = []
    for name, solution in reference_solutions(summary).items():
        u = solution["utilities"]
        share = {p: _share(u[p], worst[p], best[p]) for p in parties}
        marks.append(Mark(code=SOLUTION_CODES.get(name, name), kind="solution",
                          name=SOLUTION_NAMES.get(name, name), package=solution["package"],
                          low=u, high=u, share=share, detail={"id": name, **solution}))
    return marks


def _share(value: float, worst: float, best: float) -> float:
    span = best - worst
    return (value - worst) / span if span > 0 else 0.0


def _solutions_note(summary: dict[str, Any]) -> str:
    if summary["solutions"]:
        return "Bargaining solutions over the zone of agreement."
    if summary["relaxations"]:
        relaxed = " and ".join(d["text"] for d in summary["relaxations"][0]["relaxed"])
        return (f"There is no zone of agreement, so the bargaining solutions shown are those "
                f"of the scenario with {relaxed} relaxed (the first blocking set).")
    return "There is no zone of agreement and no relaxation to solve, so no solution is marked."


def _frontier_note(summary: dict[str, Any]) -> str:
    frontier = summary["frontier"]
    if frontier is None:
        return "The Pareto frontier of all the parties together was not computed."
    scope = frontier["scope"]
    if frontier["complete"]:
        return (f"The Pareto frontier of all the parties together ({scope}) is exact: "
                f"{frontier['size']:,} distinct utility vectors.")
    if frontier["method"] == "epsilon-constraint":
        return (f"The Pareto frontier of the two parties ({scope}) was walked exactly from "
                f"both ends but not to the end: {frontier['reason']}.")
    return (f"The Pareto frontier of all the parties together ({scope}) is beyond the exact "
            f"budget (a step would hold {frontier['exceeds']:,} candidates); what is drawn is a "
            "sample of Pareto-optimal packages found by random weighted sums, not the whole "
            "frontier.")


def _frontier_lines(analysis: Analysis, parties: list[str], worst: dict[str, float],
                    best: dict[str, float]) -> list[dict[str, float]]:
    """Shares of range of up to PARALLEL_LINES frontier packages (seeded random choice)."""
    frontier = analysis.frontier
    if frontier is None or len(frontier.utilities) == 0 or len(parties) < 3:
        return []
    rows = np.arange(len(frontier.utilities))
    if len(rows) > PARALLEL_LINES:
        rows = np.sort(np.random.default_rng(0).choice(rows, PARALLEL_LINES, replace=False))
    return [{p: round(_share(float(frontier.utilities[k, j]), worst[p], best[p]), 4)
             for j, p in enumerate(parties)} for k in rows]


def party_pairs(parties: list[str]) -> list[tuple[str, str]]:
    """Every unordered pair of parties, in scenario order."""
    return list(itertools.combinations(parties, 2))
