"""The bridge to `accord.analysis`: answers the mediator's questions from every delegation's
confidential preferences, returning only a verdict, a package, or which demands block a
deal (party, point and option ids), never anyone's numbers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis import compile_space, nash_bargaining_solution, zone_of_agreement
from accord.analysis import space as analysis_space
from accord.analysis.blocking import blocking_sets, relax
from accord.analysis.efficiency import pareto_efficiency
from accord.analysis.space import Space
from accord.analysis.utility import utilities
from accord.analysis.zone import TOLERANCE, max_min_margin
from accord.model import Scenario


@dataclass(frozen=True)
class ZoneAnswer:
    """`verdict`: 'yes', 'no', 'incomplete' (some delegations have no preferences yet) or
    'unavailable' (the stored data cannot run the engine: `reason` says why and whose)."""

    verdict: str
    waiting_for: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Proposal:
    """The next draft the engine suggests: issue id -> option id, or None with a reason."""

    package: dict[str, str] | None
    reason: str = ""
    source: str = "The Nash bargaining package over every delegation's confidential preferences"
    title: str = ""
    """A title for the draft, when the proposal suggests one."""
    versus: int | None = None
    """An earlier draft to ask the delegations to compare this one with, when suggested."""
    basis: str = "preferences"
    """What the engine read: 'preferences' (everyone's), or 'answers' (answers alone)."""


def build_scenario(negotiation_id: str, title: str, issues: list[dict],
                   delegations: list[tuple[str, str, dict]]) -> Scenario:
    """A Scenario from the stored issues and (party id, name, confidential preferences)."""
    parties = [{"id": party_id, "name": name, "reservation": prefs.get("reservation", 0.0),
                "preferences": prefs.get("preferences", {})}
               for party_id, name, prefs in delegations]
    return Scenario.build({"id": scenario_id(negotiation_id), "title": title,
                           "issues": [issue_data(issue) for issue in issues],
                           "parties": parties})


def zone_exists(scenario: Scenario | None, waiting_for: tuple[str, ...],
                reason: str = "") -> ZoneAnswer:
    """Is there a package every delegation prefers to no agreement, crossing no red line?"""
    if reason:
        return ZoneAnswer("unavailable", (), reason)
    if scenario is None or waiting_for:
        return ZoneAnswer("incomplete", waiting_for)
    verdict = zone_of_agreement(compile_space(scenario))
    return ZoneAnswer("yes" if verdict.exists else "no")


def propose_next_draft(scenario: Scenario | None, waiting_for: tuple[str, ...],
                       reason: str = "") -> Proposal:
    """The Nash bargaining package over the zone of agreement (Nash 1950)."""
    if reason:
        return Proposal(None, reason)
    if scenario is None or waiting_for:
        return Proposal(None, "waiting for preferences from: " + ", ".join(waiting_for))
    space = compile_space(scenario)
    solution = nash_bargaining_solution(space)
    if solution is None:
        return Proposal(None, "there is no zone of agreement to propose from")
    return Proposal(space.describe_package(solution.package))


@dataclass(frozen=True)
class Demand:
    """A delegation's demand that stands in the way of a deal: its red lines on one point
    (`issue`, and the `options` they rule out) or its reservation (`issue` None)."""

    party: str
    kind: str
    issue: str | None = None
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A text the mediator might table next, and whose demands it would not meet.

    `kind` is 'closest' (the largest smallest margin over every delegation's reservation,
    within the red lines when any text respects them all) or 'relaxation' (the Nash
    package once the demands in `relaxes` are set aside). `fails` maps each delegation it
    would fail to the demands it crosses."""

    kind: str
    package: dict[str, str]
    fails: dict[str, tuple[Demand, ...]]
    relaxes: tuple[Demand, ...] = ()


@dataclass(frozen=True)
class Impasse:
    """Why there is no deal: the minimal sets of demands whose relaxation opens a zone
    (smallest first), and candidate next texts. Party ids and option ids only, never a
    number: what of it may be shown to whom is the room's disclosure policy."""

    blocking: tuple[tuple[Demand, ...], ...]
    candidates: tuple[Candidate, ...]


def impasse(scenario: Scenario, max_sets: int = 5, max_relaxations: int = 3) -> Impasse | None:
    """What blocks the deal and the closest texts, or None when there is a zone
    (Liffiton & Sakallah's minimal correction sets, see `accord.analysis.blocking`)."""
    space = compile_space(scenario)
    zone = zone_of_agreement(space)
    if zone.exists:
        return None
    found = blocking_sets(space, max_sets=max_sets)
    candidates = []
    closest = zone.package
    if closest is None:  # red lines alone leave no text: cross them only where they must be
        found_closest = (max_min_margin(space, forbidden=_avoidable_red_lines(space))
                         or max_min_margin(space, respect_red_lines=False))
        closest = found_closest[0] if found_closest else None
    if closest is not None:
        candidates.append(Candidate("closest", space.describe_package(closest),
                                    _unmet(space, closest)))
    for blocking in found[:max_relaxations]:
        solution = nash_bargaining_solution(relax(space, blocking.demands))
        if solution is not None:
            candidates.append(Candidate(
                "relaxation", space.describe_package(solution.package),
                _unmet(space, solution.package),
                tuple(_demand(space, d) for d in blocking.demands)))
    return Impasse(tuple(tuple(_demand(space, d) for d in b.demands) for b in found),
                   tuple(candidates))


def _avoidable_red_lines(space: Space) -> np.ndarray:
    """Every option some delegation rules out, except on the points where every option is
    ruled out by someone: there a text must cross a red line whatever it says."""
    forbidden = space.veto.any(axis=0)
    for issue in range(space.n_issues):
        options = slice(space.offsets[issue], space.offsets[issue + 1])
        if forbidden[options].all():
            forbidden[options] = False
    return forbidden


def _demand(space: Space, demand: analysis_space.Demand) -> Demand:
    party = space.party_ids[demand.party]
    if demand.kind != "red-line":
        return Demand(party, "reservation")
    first = space.offsets[demand.issue]
    vetoed = np.flatnonzero(space.veto[demand.party, first:space.offsets[demand.issue + 1]])
    return Demand(party, "red-line", space.issue_ids[demand.issue],
                  tuple(space.option_ids[demand.issue][k] for k in vetoed))


def _unmet(space: Space, package: np.ndarray) -> dict[str, tuple[Demand, ...]]:
    """Each delegation's demands `package` does not meet: red lines it crosses, and its
    reservation when the package is worth less to it."""
    worth = utilities(space, package)[0]
    chosen = space.offsets[:-1] + np.asarray(package, dtype=np.int64)
    unmet = {}
    for p, party in enumerate(space.party_ids):
        crossed = [analysis_space.Demand(p, "red-line", int(i))
                   for i in range(space.n_issues) if space.veto[p, chosen[i]]]
        if worth[p] < space.reservation[p] - TOLERANCE:
            crossed.append(analysis_space.Demand(p, "reservation"))
        if crossed:
            unmet[party] = tuple(_demand(space, d) for d in crossed)
    return unmet


def improvement(scenario: Scenario, agreed: dict[str, str]) -> dict[str, str] | None:
    """A text every delegation strictly prefers to the agreed one (a post-settlement
    settlement, Raiffa 1985): of those crossing no red line the agreed text avoids, the one
    whose smallest gain is largest; None when the agreed text is Pareto-efficient.
    `agreed` names an option for every point."""
    space = compile_space(scenario)
    better = pareto_efficiency(space, space.package_from_ids(agreed)).strictly_better
    return space.describe_package(better) if better is not None else None


def issue_data(issue: dict) -> dict:
    data = {"id": issue["id"], "title": issue["title"],
            "options": [{"id": o["id"], "label": o["label"]} for o in issue["options"]]}
    if issue.get("text"):
        data["text"] = issue["text"]
    return data


def scenario_id(negotiation_id: str) -> str:
    return "room-" + negotiation_id.lstrip("-_.") if negotiation_id else "room"
