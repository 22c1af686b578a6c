"""The stable JSON form of an analysis (documented in docs/json-output.md)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from accord.analysis import Analysis, Demand, DraftProfile, Solution, distance
from accord.analysis.drafts import OPEN
from accord.analysis.passing import DraftCoalition
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
            "value": _num(solution.value),
            "coalition": _members(d, solution.coalition)}


def _members(d: Describer, mask: np.ndarray | None) -> list[str]:
    """Party ids of a coalition; None (unanimity) means every party."""
    if mask is None:
        return list(d.space.party_ids)
    return [d.party_id(p) for p in np.flatnonzero(mask)]


def _rule(d: Describer, analysis: Analysis) -> dict[str, Any]:
    rule, power = analysis.space.winning_rule, analysis.power
    return {
        "text": rule.describe(analysis.space.party_ids),
        "unanimity": analysis.space.unanimous,
        "at_least": rule.min_count,
        "required": _members(d, rule.required),
        "thresholds": [{"weight": name, "at_least": _num(amount),
                        "share": _num(amount / row.sum()) if row.sum() > 0 else None}
                       for name, amount, row in zip(rule.names, rule.thresholds, rule.weights)],
        "power": None if power is None else {
            d.party_id(p): {"shapley_shubik": _num(power.shapley_shubik[p]),
                            "banzhaf": _num(power.banzhaf_raw[p]),
                            "banzhaf_normalised": _num(power.banzhaf_normalised[p]),
                            "veto": bool(power.vetoes[p])}
            for p in range(analysis.space.n_parties)},
    }


def _profile(d: Describer, profile: DraftProfile, reference: dict[str, Solution],
             coalition: DraftCoalition | None = None) -> dict[str, Any]:
    draft = d.scenario.draft(profile.draft_id)
    efficiency = profile.efficiency
    carried = {} if coalition is None else {
        "accepted_by": _members(d, coalition.accepting), "passes": coalition.passes,
        "left_out": _members(d, ~coalition.accepting),
        "pivotal": _members(d, coalition.pivotal)}
    return carried | {
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


def _coalitions(analysis: Analysis) -> list[DraftCoalition | None]:
    """Each profile's coalition (None for analyses built without them)."""
    found = {c.draft_id: c for c in analysis.coalitions}
    return [found.get(p.draft_id) for p in analysis.profiles]


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
        "sampled": frontier.method == "sample",
        "method": frontier.method,
        "reason": frontier.reason,
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
                 "utilities": None if zone.utilities is None else _per_party(d, zone.utilities),
                 "coalition": (None if zone.package is None or (zone.coalition is None
                                                               and not zone.exists)
                               else _members(d, zone.coalition))},
        "rule": _rule(d, analysis),
        "blocking_sets": [{"demands": [_demand(d, x) for x in b.demands],
                           "witness": _package(d, b.package)} for b in analysis.blocking],
        "solutions": {name: _solution(d, s) for name, s in analysis.solutions.items()},
        "relaxations": [{"relaxed": [_demand(d, x) for x in r.blocking.demands],
                         "solutions": {n: _solution(d, s) for n, s in r.solutions.items()}}
                        for r in analysis.relaxations],
        "drafts": [_profile(d, p, analysis.reference_solutions(), c)
                   for p, c in zip(analysis.profiles, _coalitions(analysis))],
        "frontier": _frontier(d, analysis, frontier_limit),
    }
