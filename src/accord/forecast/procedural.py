"""A procedural model: a position that a winning coalition holds is the outcome; when
none does, the actors bargain (the Nash solution).

The spatial models of this package weigh every actor by capability x salience and ignore
who must agree. In the EU's Council, a qualified majority that holds one position can
adopt it, and a text under unanimity or co-decision needs every veto player. The model
reads each issue's decision rule (`SpatialProblem.rules`, from the scenario's `rule`; see
`accord.io.eu_council` for the DEU III proposals) and asks, position by position,
whether the actors that hold it win under that rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from accord.analysis.rule import WinningRule
from accord.forecast.base import ForecastModel, register
from accord.forecast.nash_spatial import FittedNashBargaining, NashBargaining
from accord.forecast.problem import SpatialProblem

_TOLERANCE = 1e-9


def winning_positions(positions: np.ndarray, rule: WinningRule,
                      band: float = 0.0) -> np.ndarray:
    """The positions of one issue that the actors holding them carry under its rule.

    Steps:
    1. The candidates are the distinct positions of the actors that have one (NaN: the
       actor takes no part).
    2. The actors holding a candidate are those whose position lies within `band` points
       of it (0: exactly at it).
    3. An actor without a position abstains: it is in no coalition, and its consent is not
       required (abstention does not prevent unanimity: Art. 238(4) TFEU, Art. 205(3) EC;
       under a weighted threshold an abstention counts against, as it does in the Council).
    4. A candidate wins when its holders form a winning coalition (`WinningRule.is_winning`)
       and include at least one party the rule counts (a required party or one with a
       weight in a threshold), so that a rule no present voter takes part in decides nothing.
    """
    x = np.asarray(positions, dtype=float)
    present = ~np.isnan(x)
    if not present.any():
        return np.zeros(0)
    candidates = np.unique(x[present])
    holders = present & (np.abs(np.where(present, x, np.inf)[None, :] - candidates[:, None])
                         <= band + _TOLERANCE)
    abstaining = replace(rule, required=rule.required & present)
    voters = rule.required | (rule.weights > 0).any(axis=0)
    if not voters.any():
        voters = np.ones_like(voters)
    wins = np.asarray(abstaining.is_winning(holders), dtype=bool) & (holders & voters).any(axis=1)
    return candidates[wins]


def procedural_forecast(positions: np.ndarray, rules: list[WinningRule] | tuple[WinningRule, ...],
                        fallback: np.ndarray, band: float = 0.0) -> np.ndarray:
    """Per issue: the winning position (`winning_positions`) nearest the fallback's
    forecast, or the fallback's forecast when no position wins.

    Arrays are `[issue, actor]` and `[issue]`. When two winning positions lie equally near
    the fallback, the lower one (a fixed choice; with a qualified majority above half of
    a weight and `band` 0 at most one position can win).
    """
    forecast = np.array(fallback, dtype=float)
    for k, rule in enumerate(rules):
        won = winning_positions(positions[k], rule, band)
        if len(won) and not np.isnan(forecast[k]):
            forecast[k] = won[np.argmin(np.abs(won - forecast[k]))]
        elif len(won):
            forecast[k] = won[0]
    return forecast


@register
@dataclass(frozen=True)
class Procedural(ForecastModel):
    """A position held by a winning coalition under the issue's rule is the outcome
    (the one nearest the Nash solution if several); otherwise the Nash solution (worst
    outcome as disagreement point by default)."""

    name = "procedural"
    citation = ("decision rule: the scenario's `rule` (EU Council: Treaties, see "
                "accord.io.eu_council); fallback: Nash (1950) Econometrica 18(2), in space "
                "as in Achen (2006) in The European Union Decides")
    band: float = 0.0
    """Actors within this many points of a position count as holding it."""
    use_reference_point: bool = False
    """The fallback's disagreement point: the reference point (True) or the worst outcome."""
    capability_exponent: float = 1.0
    salience_exponent: float = 1.0

    def __post_init__(self) -> None:
        if not 0 <= self.band <= 100:
            raise ValueError("band must be between 0 and 100 points")
        if self.capability_exponent < 0 or self.salience_exponent < 0:
            raise ValueError("exponents must be >= 0")

    def fallback(self) -> NashBargaining:
        """The Nash bargaining model used where no position wins."""
        return NashBargaining(self.use_reference_point, self.capability_exponent,
                              self.salience_exponent)

    def predict(self, problem: SpatialProblem) -> np.ndarray:
        rules = [problem.rule(k) for k in range(problem.n_issues)]
        return procedural_forecast(problem.positions, rules,
                                   self.fallback().predict(problem), self.band)


@register
@dataclass(frozen=True)
class FittedProcedural(Procedural):
    """The procedural model over the fitted Nash solution (`nash-fitted`): the decision rule
    is the treaty's and is not fitted; the fallback's disagreement rule and exponents are."""

    name = "procedural-fitted"
    fitted = ("use_reference_point", "capability_exponent", "salience_exponent")

    def fit(self, problem: SpatialProblem) -> ForecastModel:
        """The fallback fitted as `nash-fitted` fits it (least mean absolute error over the
        issues with outcomes); the band stays as given."""
        nash = FittedNashBargaining().fit(problem)
        assert isinstance(nash, NashBargaining)
        return FittedProcedural(self.band, nash.use_reference_point, nash.capability_exponent,
                                nash.salience_exponent)
