"""The numeric form of a scenario that the forecasting models work on.

Every collective-decision model of the literature takes, per issue, each actor's position
on a line, its salience and its capability. `SpatialProblem` holds them as arrays
`[issue, actor]`: positions on the issue's 0-100 line (NaN where an actor takes no part),
saliences in [0, 1] and capabilities; plus each issue's reference point (status quo) and
outcome where known, its dossier (the issues negotiated together), its native scale and
the decision rule it is settled by (who must agree; for the procedural model).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from accord.analysis.rule import WinningRule
from accord.forecast.rules import issue_rules
from accord.model import Issue, Party, Scenario


@dataclass(frozen=True)
class SpatialProblem:
    """Positions, saliences and capabilities of every actor on every issue, as arrays.

    `positions[k, a]` is actor a's ideal point on issue k (0-100, NaN when a has none);
    `saliences[k, a]` in [0, 1] (0 where a is absent); `capabilities[k, a]` >= 0;
    `reference[k]` and `outcome[k]` are NaN when unknown; `dossier[k]` groups issues
    negotiated together; `scale[k]` gives the native values at 0 and at 100; `rules[k]`
    is the rule deciding issue k over the actors (`accord.forecast.rules.issue_rule`),
    empty when unknown (then unanimity).
    """

    issue_ids: tuple[str, ...]
    actor_ids: tuple[str, ...]
    positions: np.ndarray
    saliences: np.ndarray
    capabilities: np.ndarray
    reference: np.ndarray
    outcome: np.ndarray
    dossier: tuple[str, ...]
    scale: np.ndarray
    rules: tuple[WinningRule, ...] = ()

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def present(self) -> np.ndarray:
        """`present[k, a]`: actor a has a position on issue k."""
        return ~np.isnan(self.positions)

    def take(self, issues: np.ndarray | list[int]) -> SpatialProblem:
        """The problem restricted to some issues (by index), in the order given."""
        index = np.asarray(issues, dtype=np.int64)
        return replace(
            self, issue_ids=tuple(self.issue_ids[k] for k in index),
            positions=self.positions[index], saliences=self.saliences[index],
            capabilities=self.capabilities[index], reference=self.reference[index],
            outcome=self.outcome[index], dossier=tuple(self.dossier[k] for k in index),
            scale=self.scale[index],
            rules=tuple(self.rules[k] for k in index) if self.rules else ())

    def rule(self, k: int) -> WinningRule:
        """The rule deciding issue k (unanimity of the actors when unknown)."""
        return self.rules[k] if self.rules else WinningRule.unanimity(self.n_actors)

    def with_inputs(self, positions: np.ndarray, saliences: np.ndarray,
                    capabilities: np.ndarray) -> SpatialProblem:
        """The same issues with other positions, saliences and capabilities."""
        return replace(self, positions=positions, saliences=saliences, capabilities=capabilities)

    def to_native(self, values: np.ndarray) -> np.ndarray:
        """Values on the 0-100 lines in each issue's native units (last axis = issues)."""
        low, high = self.scale[:, 0], self.scale[:, 1]
        return low + (high - low) * np.asarray(values, dtype=float) / 100.0


def stack(problems: list[SpatialProblem]) -> SpatialProblem:
    """Several problems over the same actors as one, issue lists end to end.

    Dossiers are renamed per problem (`#n` appended) so that the exchange model never
    trades between copies: this is how Monte Carlo samples are evaluated in one call.
    """
    first = problems[0]
    return replace(
        first,
        issue_ids=tuple(i for p in problems for i in p.issue_ids),
        positions=np.concatenate([p.positions for p in problems]),
        saliences=np.concatenate([p.saliences for p in problems]),
        capabilities=np.concatenate([p.capabilities for p in problems]),
        reference=np.concatenate([p.reference for p in problems]),
        outcome=np.concatenate([p.outcome for p in problems]),
        dossier=tuple(f"{d}#{n}" for n, p in enumerate(problems) for d in p.dossier),
        scale=np.concatenate([p.scale for p in problems]),
        rules=tuple(r for p in problems for r in p.rules) if all(p.rules for p in problems)
        else ())


def spatial_problem(scenario: Scenario) -> SpatialProblem:
    """The spatial form of a scenario.

    Steps:
    1. An actor's position on an issue is its `positions` entry; failing that, when every
       option of the issue has a `position`, the position of the option it values most
       (the mean of the positions it values equally most); otherwise it takes no part.
    2. Its salience is its preference's salience (0 without a preference), divided by the
       largest salience in the scenario, so that saliences lie in [0, 1] with the most
       salient party-issue pair at 1 (the expected-utility model reads a salience as the
       probability of resisting; the other models depend on ratios only).
    3. Its capability is the party's `capability`, the same on every issue.
    4. Reference point, outcome, dossier and scale come from the issue (NaN, one dossier
       and `[0, 100]` when not given); the rule is the scenario's rule joined with the
       issue's own (`accord.forecast.rules.issue_rule`; unanimity without a rule).
    """
    issues, parties = scenario.issues, scenario.parties
    positions = np.array([[_ideal_point(party, issue) for party in parties] for issue in issues],
                         dtype=float)
    saliences = np.array([[_salience(party, issue.id) for party in parties] for issue in issues],
                         dtype=float)
    saliences = np.where(np.isnan(positions), 0.0, saliences)
    top = saliences.max(initial=0.0)
    if top > 0:
        saliences = saliences / top
    capabilities = np.tile(np.array([party.capability for party in parties], dtype=float),
                           (len(issues), 1))
    return SpatialProblem(
        issue_ids=tuple(issue.id for issue in issues),
        actor_ids=tuple(party.id for party in parties),
        positions=positions, saliences=saliences, capabilities=capabilities,
        reference=np.array([_or_nan(issue.reference_point) for issue in issues]),
        outcome=np.array([_or_nan(issue.outcome) for issue in issues]),
        dossier=tuple(issue.dossier or "" for issue in issues),
        scale=np.array([issue.scale or (0.0, 100.0) for issue in issues], dtype=float),
        rules=issue_rules(scenario))


def option_positions(issue: Issue) -> np.ndarray | None:
    """Positions of an issue's options on its 0-100 line; None unless every option has one."""
    if any(option.position is None for option in issue.options):
        return None
    return np.array([option.position for option in issue.options], dtype=float)


def _ideal_point(party: Party, issue: Issue) -> float:
    if issue.id in party.positions:
        return float(party.positions[issue.id])
    preference = party.preferences.get(issue.id)
    places = option_positions(issue)
    if preference is None or places is None:
        return float("nan")
    values = np.array([preference.valuations[option.id] for option in issue.options])
    return float(places[values == values.max()].mean())


def _salience(party: Party, issue_id: str) -> float:
    preference = party.preferences.get(issue_id)
    return float(preference.salience) if preference is not None else 0.0


def _or_nan(value: float | None) -> float:
    return float("nan") if value is None else float(value)
