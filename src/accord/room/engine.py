"""The bridge to `accord.analysis`: answers the mediator's questions from every delegation's
confidential preferences, returning only a verdict, a package, or which demands block a
deal (party, point and option ids), never anyone's numbers.

Every question is asked under the negotiation's decision rule (`build_scenario(rule=…)`,
the scenario format's `rule` over the delegations' party ids; None: unanimity): the engine
answers whether a package *passes* (the delegations that accept it form a winning
coalition), what blocks one from passing, and the Nash package over passing packages. A
rule that only every delegation together meets is unanimity, answered as before."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.analysis import compile_space, nash_bargaining_solution, zone_of_agreement
from accord.analysis import space as analysis_space
from accord.analysis.blocking import blocking_sets, relax
from accord.analysis.efficiency import pareto_efficiency
from accord.analysis.rule import WinningRule, compile_rule
from accord.analysis.space import Space
from accord.analysis.utility import utilities
from accord.analysis.zone import TOLERANCE, max_min_margin
from accord.errors import AnalysisError
from accord.model import Scenario

RULE_LIMITS = (AnalysisError,)
"""What the engine raises when a question under a rule is beyond its limits (too many
minimal winning coalitions, 2^n coalitions to list): answered with a reason, never a 500.
Anything else is a bug of ours and is reported as one."""


@dataclass(frozen=True)
class ZoneAnswer:
    """`verdict`: 'yes', 'no', 'incomplete' (some delegations have no preferences yet) or
    'unavailable' (the stored data cannot run the engine: `reason` says why and whose)."""

    verdict: str
    waiting_for: tuple[str, ...] = ()
    reason: str = ""
    under_rule: bool = False
    """The verdict says whether a package *passes* under a rule that is not unanimity."""
    carried_by: tuple[str, ...] = ()
    """Under a rule, when a package passes: the party ids that accept it (derived from
    confidential preferences: `services.impasse` decides what of it the mediator reads)."""
    left_out: dict[str, tuple[Demand, ...]] = field(default_factory=dict)
    """Under a rule, when a package passes: each other delegation and its demands the
    package does not meet."""


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
                   delegations: list[tuple[str, str, dict]],
                   rule: dict | None = None) -> Scenario:
    """A Scenario from the stored issues, (party id, name, confidential preferences) and
    the decision rule (None: unanimity); ScenarioError, located, when the engine refuses it."""
    parties = [{"id": party_id, "name": name, "reservation": prefs.get("reservation", 0.0),
                "preferences": prefs.get("preferences", {})}
               for party_id, name, prefs in delegations]
    data = {"id": scenario_id(negotiation_id), "title": title,
            "issues": [issue_data(issue) for issue in issues], "parties": parties}
    return Scenario.build(data if rule is None else data | {"rule": rule})


def describe_rule(negotiation_id: str, title: str, issues: list[dict], rule: dict | None,
                  parties: list[tuple[str, str]]) -> tuple[str, bool]:
    """The decision rule in words over these delegations (party id, name), naming the
    required ones, and whether it is unanimity. Public: no preferences are read.
    AccordError when the rule does not fit these delegations."""
    if rule is None:
        return WinningRule.unanimity(len(parties)).describe(()), True
    scenario = build_scenario(negotiation_id, title, issues,
                              [(party_id, name, {}) for party_id, name in parties], rule)
    compiled = compile_rule(scenario)
    return compiled.describe(tuple(name for _, name in parties)), compiled.unanimous


def zone_exists(scenario: Scenario | None, waiting_for: tuple[str, ...],
                reason: str = "") -> ZoneAnswer:
    """Is there a package every delegation prefers to no agreement, crossing no red line?
    Under a rule: does a package pass, carried by whom, leaving out whom (and why)."""
    if reason:
        return ZoneAnswer("unavailable", (), reason)
    if scenario is None or waiting_for:
        return ZoneAnswer("incomplete", waiting_for)
    space = compile_space(scenario)
    try:
        verdict = zone_of_agreement(space)
    except RULE_LIMITS as error:
        if space.unanimous:
            raise
        return ZoneAnswer("unavailable", (), f"the engine cannot answer under the decision "
                          f"rule: {error}", under_rule=True)
    if space.unanimous:
        return ZoneAnswer("yes" if verdict.exists else "no")
    if not verdict.exists:
        return ZoneAnswer("no", under_rule=True)
    carried = np.asarray(verdict.coalition, dtype=bool)
    unmet = _unmet(space, verdict.package)
    return ZoneAnswer("yes", under_rule=True,
                      carried_by=tuple(p for k, p in enumerate(space.party_ids) if carried[k]),
                      left_out={p: unmet.get(p, ()) for k, p in enumerate(space.party_ids)
                                if not carried[k]})


def propose_next_draft(scenario: Scenario | None, waiting_for: tuple[str, ...],
                       reason: str = "") -> Proposal:
    """The Nash bargaining package over the zone of agreement (Nash 1950); under a rule,
    over the packages that pass (carried by a minimal winning coalition, see
    `accord.analysis.passing_bargaining`)."""
    if reason:
        return Proposal(None, reason)
    if scenario is None or waiting_for:
        return Proposal(None, "waiting for preferences from: " + ", ".join(waiting_for))
    space = compile_space(scenario)
    if space.unanimous:
        solution = nash_bargaining_solution(space)
        if solution is None:
            return Proposal(None, "there is no zone of agreement to propose from")
        return Proposal(space.describe_package(solution.package))
    try:
        solution = nash_bargaining_solution(space)
    except RULE_LIMITS as error:
        return Proposal(None, f"the engine cannot answer under the decision rule: {error}")
    if solution is None:
        return Proposal(None, "no package passes under the decision rule: there is nothing "
                        "to propose from")
    return Proposal(space.describe_package(solution.package), source=(
        "The Nash bargaining package over the packages that pass under the decision rule, "
        "on every delegation's confidential preferences"))


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
    within the red lines when any text respects them all; under a rule, over the members
    of some winning coalition, within their red lines) or 'relaxation' (the Nash package
    once the demands in `relaxes` are set aside). `fails` maps each delegation it would
    fail to the demands it crosses."""

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
    (Liffiton & Sakallah's minimal correction sets, see `accord.analysis.blocking`). Under
    a rule: what blocks every package from passing, the text closest to passing (the
    largest smallest margin within some winning coalition), and the Nash package over
    what passes once a blocking set is set aside; None too when the question is beyond
    the engine's limits under the rule (the zone verdict says why)."""
    space = compile_space(scenario)
    try:
        return _impasse(space, max_sets, max_relaxations)
    except RULE_LIMITS:
        if space.unanimous:
            raise
        return None


def _impasse(space: Space, max_sets: int, max_relaxations: int) -> Impasse | None:
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
        try:
            solution = nash_bargaining_solution(relax(space, blocking.demands))
        except RULE_LIMITS:
            if space.unanimous:
                raise
            continue  # beyond the engine's limits under this rule: no such candidate
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
    better = pareto_efficiency(space, space.package_from_ids(agreed),
                               balanced=True).strictly_better
    return space.describe_package(better) if better is not None else None


def issue_data(issue: dict) -> dict:
    data = {"id": issue["id"], "title": issue["title"],
            "options": [{"id": o["id"], "label": o["label"]} for o in issue["options"]]}
    if issue.get("text"):
        data["text"] = issue["text"]
    return data


def scenario_id(negotiation_id: str) -> str:
    return "room-" + negotiation_id.lstrip("-_.") if negotiation_id else "room"
