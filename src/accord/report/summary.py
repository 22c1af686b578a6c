"""The stable JSON form of an analysis (documented in docs/json-output.md)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from accord.analysis import Analysis, Demand, DraftProfile, Solution, distance
from accord.analysis.drafts import OPEN
from accord.report.describe import Describer

SCHEMA = "accord.analysis/1"


def _num(value: float) -> float:
    return round(float(value), 9)


def _per_party(d: Describer, values: np.ndarray) -> dict[str, float]:
    return {d.party_id(p): _num(v) for p, v in enumerate(values)}


def _package(d: Describer, package: np.ndarray) -> dict[str, str | None]:
    return {d.issue_id(i): (None if o == OPEN else d.option_id(i, int(o)))
            for i, o in enumerate(package)}


def _demand(d: Describer, demand: Demand) -> dict[str, Any]:
    if demand.kind == "reservation":
        return {"party": d.party_id(demand.party), "kind": "reservation",
                "reservation": _num(d.space.reservation[demand.party]),
                "text": d.demand_text(demand)}
    assert demand.issue is not None
    return {"party": d.party_id(demand.party), "kind": "red-line",
            "issue": d.issue_id(demand.issue), "options": d.vetoed_options(demand),
            "text": d.demand_text(demand)}


def _solution(d: Describer, solution: Solution) -> dict[str, Any]:
    return {"package": _package(d, solution.package),
            "utilities": _per_party(d, solution.utilities),
            "gains": _per_party(d, solution.utilities - d.space.reservation),
            "value": _num(solution.value)}


def _profile(d: Describer, profile: DraftProfile, reference: dict[str, Solution]) -> dict[str, Any]:
    draft = d.scenario.draft(profile.draft_id)
    efficiency = profile.efficiency
    return {
        "id": profile.draft_id, "title": draft.title, "date": draft.date,
        "complete": profile.complete,
        "open_issues": [d.issue_id(i) for i in np.flatnonzero(profile.package == OPEN)],
        "package": _package(d, profile.package),
        "utilities": {d.party_id(p): {"low": _num(lo), "high": _num(hi)}
                      for p, (lo, hi) in enumerate(zip(profile.utility_low, profile.utility_high))},
        "red_lines_crossed": [{"party": d.party_id(p), "issue": d.issue_id(i),
                               "option": d.option_id(i, o)} for p, i, o in profile.red_lines_crossed],
        "share_of_range": _per_party(d, profile.share),
        "favours": d.party_id(profile.favours),
        "efficient": None if efficiency is None else efficiency.efficient,
        "dominated_by": None if efficiency is None or efficiency.weakly_better is None
        else _package(d, efficiency.weakly_better),
        "strictly_dominated_by": None if efficiency is None or efficiency.strictly_better is None
        else _package(d, efficiency.strictly_better),
        "versus_solutions": {name: _per_party(d, distance(profile, s))
                             for name, s in reference.items()},
    }


def _frontier(d: Describer, analysis: Analysis, limit: int) -> dict[str, Any] | None:
    frontier = analysis.frontier
    if frontier is None:
        return None
    order = np.argsort(-frontier.utilities.sum(axis=1), kind="stable")[:limit]
    return {
        "scope": "packages crossing no red line" if analysis.frontier_red_lines
        else "all packages meeting the hard constraints",
        "complete": frontier.complete,
        "size": frontier.size if frontier.complete else None,
        "exceeds": None if frontier.complete else frontier.states_reached,
        "sampled": not frontier.complete,
        "listed": len(order), "limit": limit,
        "points": [{"package": _package(d, frontier.packages[k]),
                    "utilities": _per_party(d, frontier.utilities[k])} for k in order],
    }


def analysis_to_dict(analysis: Analysis, frontier_limit: int = 100) -> dict[str, Any]:
    """Plain data for `accord analyze --json`; keys and meanings are a stable contract."""
    d = Describer(analysis.scenario, analysis.space)
    space, zone = analysis.space, analysis.zone
    n_packages = space.n_packages()
    return {
        "schema": SCHEMA,
        "scenario": {"id": analysis.scenario.id, "title": analysis.scenario.title,
                     "issues": space.n_issues, "parties": list(space.party_ids),
                     "packages": str(n_packages), "log10_packages": _num(math.log10(n_packages))},
        "zone": {"exists": zone.exists,
                 "margin": None if zone.margin is None else _num(zone.margin),
                 "package": None if zone.package is None else _package(d, zone.package),
                 "utilities": None if zone.utilities is None else _per_party(d, zone.utilities)},
        "blocking_sets": [{"demands": [_demand(d, x) for x in b.demands],
                           "witness": _package(d, b.package)} for b in analysis.blocking],
        "solutions": {name: _solution(d, s) for name, s in analysis.solutions.items()},
        "relaxations": [{"relaxed": [_demand(d, x) for x in r.blocking.demands],
                         "solutions": {n: _solution(d, s) for n, s in r.solutions.items()}}
                        for r in analysis.relaxations],
        "drafts": [_profile(d, p, analysis.reference_solutions()) for p in analysis.profiles],
        "frontier": _frontier(d, analysis, frontier_limit),
    }
