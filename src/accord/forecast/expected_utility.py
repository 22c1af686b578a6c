"""Bueno de Mesquita's expected utility model, as reconstructed by Scholz, Calbert & Smith.

Bueno de Mesquita (1994) "Political forecasting: an expected utility method", in Bueno de
Mesquita & Stokman (eds) *European Community Decision Making*, Yale UP, pp. 71-104;
reconstructed by Scholz, Calbert & Smith (2011) "Unravelling Bueno de Mesquita's group
decision model", J. Theoretical Politics 23(4): 510-531 (and ICAART 2011). Bueno de
Mesquita never published the model in full; every choice below that the sources leave
open is marked *choice* and discussed in docs/forecast.md.

Notation (per issue): x_i position, c_i capability, s_i salience in [0, 1], mu the median
voter position, r_i actor i's risk exponent, Delta the length of the issue's line (100 on
the 0-100 line; for an actor table that is the range of its positions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.forecast.base import ForecastModel, register
from accord.forecast.compromise import compromise_model, weighted_median
from accord.forecast.problem import SpatialProblem

TIE = 1e-9
"""Expected utilities and probabilities within this of a threshold count as on it, so that
rounding never decides a challenge."""
BLOCK = 48
"""Issues computed together: the win probabilities need an [issue, i, j, k] array."""


@dataclass(frozen=True)
class Trajectory:
    """Positions and the two summaries of every round (row 0 = the input)."""

    positions: np.ndarray
    """`[round, issue, actor]`."""
    median: np.ndarray
    """`[round, issue]`: median voter position."""
    mean: np.ndarray
    """`[round, issue]`: mean position weighted by capability x salience."""


def expected_utility_model(positions: np.ndarray, saliences: np.ndarray,
                           capabilities: np.ndarray, *, Q: float = 1.0, T: float = 1.0,
                           rounds: int = 10) -> Trajectory:
    """Bueno de Mesquita's expected utility model, rounds of challenges between actors.

    Arrays are `[issue, actor]` on a 0-100 line (NaN positions take no part). Each round,
    following Scholz et al. (2011), section 3:

    1. The median voter position mu: the position that beats every other in pairwise
       votes v_jk = sum_i c_i s_i (|x_i - x_k| - |x_i - x_j|) / Delta. With these linear
       votes that is the weighted median of the positions (weights c_i s_i).
    2. Utilities of i against j, with risk exponent r_i (r_i = 1 at first):
       U_s = 2 - 4 (0.5 - 0.5 |x_i - x_j| / Delta)^r_i (i wins, j moves to x_i),
       U_f = 2 - 4 (0.5 + 0.5 |x_i - x_j| / Delta)^r_i (i loses),
       U_b = 2 - 4 (0.5 - 0.25 (|x_i - mu| + |x_i - x_j|) / Delta)^r_i (things improve),
       U_w = 2 - 4 (0.5 + 0.25 (|x_i - mu| + |x_i - x_j|) / Delta)^r_i (they worsen),
       U_sq = 2 - 4 (0.5)^r_i.
    3. i's probability of beating j: P_ij = sum_k max(v^k_ij, 0) / sum_k |v^k_ij| with
       v^k_ij = c_k s_k (|x_k - x_j| - |x_k - x_i|), over every actor k (i and j included:
       *choice*, as in Scholz et al.'s formula).
    4. i's expected utility of challenging j:
       EU_ij = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s
               - Q U_sq - (1 - Q) (T U_b + (1 - T) U_w);
       the target's salience s_j is the chance that j resists (1 - s_j: j yields).
    5. Risk: i's vulnerability is sum_{j != i} EU_ji (what the others expect from
       challenging i); R_i = (2 vulnerability_i - max - min) / (max - min) over the
       actors, r_i = (1 - R_i/3) / (1 + R_i/3) in [0.5, 2]; steps 2 and 4 are repeated
       with these r_i (mu is not recomputed within the round).
    6. Each pair (i, j) with a = EU_ij and b = EU_ji, both seen as they are (*choice*:
       full information, no perception of the other's risk):
       a > 0 and b > 0 (conflict): the larger expected utility wins and the loser moves
       to the winner's position; a > 0 >= b: if |b| < a j compromises, moving towards
       x_i by the fraction |b| / a, else j capitulates and moves to x_i (and the same
       with the roles exchanged); both <= 0: status quo. Identical positions never
       challenge each other.
    7. Each actor takes, among the proposals addressed to it, the one that moves it the
       least (*choice*; ties: the proposer with the larger expected utility, then the
       first in order); all actors move at once.
    Repeated `rounds` times; the forecast is the median voter position after the last
    round (Bueno de Mesquita 1994 reports it; `Trajectory.mean` is the weighted mean).
    """
    if not (0.0 <= Q <= 1.0 and 0.0 <= T <= 1.0) or rounds < 0:
        raise ValueError("Q and T must lie in [0, 1] and rounds must be >= 0")
    x = np.array(positions, dtype=float)
    weights = np.where(np.isnan(x), 0.0, capabilities * saliences)
    history = [x]
    for _ in range(rounds):
        x = np.concatenate([_round(x[b:b + BLOCK], saliences[b:b + BLOCK],
                                   capabilities[b:b + BLOCK], Q, T)
                            for b in range(0, len(x), BLOCK)]) if len(x) else x
        history.append(x)
    stacked = np.stack(history)
    return Trajectory(positions=stacked,
                      median=weighted_median(stacked, np.broadcast_to(weights, stacked.shape)),
                      mean=compromise_model(stacked, saliences, capabilities))


def _round(x: np.ndarray, s: np.ndarray, c: np.ndarray, Q: float, T: float) -> np.ndarray:
    """One round of challenges (steps 1-7) for a block of issues."""
    present = ~np.isnan(x)
    s = np.where(present, s, 0.0)
    w = np.where(present, c * s, 0.0)
    xz = np.where(present, x, 0.0)
    mu = np.nan_to_num(weighted_median(x, w))
    distance = np.abs(xz[:, :, None] - xz[:, None, :]) / 100.0
    to_mu = np.abs(xz - mu[:, None]) / 100.0
    probability = _win_probability(xz, w)
    pair = present[:, :, None] & present[:, None, :] & (distance > 0)
    risk = np.ones_like(xz)
    eu = _expected_utility(distance, to_mu, probability, s, risk, Q, T)
    risk = _risk_exponents(np.where(pair, eu, 0.0), present)
    eu = np.where(pair, _expected_utility(distance, to_mu, probability, s, risk, Q, T), 0.0)
    return _resolve(x, xz, eu, probability, present)


def _win_probability(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """P[:, i, j]: i's probability of beating j (step 3); 0.5 where x_i = x_j.

    With v^k_ij = w_k (|x_k - x_j| - |x_k - x_i|), sum_k max(v, 0) is half of
    sum_k |v| + sum_k v, and sum_k v = W_j - W_i with W_j = sum_k w_k |x_k - x_j|: only
    the absolute values need the [issue, k, i, j] array.
    """
    to = np.abs(x[:, :, None] - x[:, None, :])  # to[:, k, j] = |x_k - x_j|
    spread = to[:, :, None, :] - to[:, :, :, None]  # [., k, i, j]
    np.abs(spread, out=spread)
    total = np.einsum("bk,bkij->bij", w, spread)
    pull = np.einsum("bk,bkj->bj", w, to)
    support = (total + pull[:, None, :] - pull[:, :, None]) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 1e-12 * np.maximum(pull.max(axis=1), 1.0)[:, None, None],
                        np.clip(support / total, 0.0, 1.0), 0.5)


def _utility(share: np.ndarray, risk: np.ndarray) -> np.ndarray:
    """2 - 4 share^r, the utility shape of Bueno de Mesquita (1994)."""
    return 2.0 - 4.0 * np.power(np.clip(share, 0.0, None), risk)


def _expected_utility(distance: np.ndarray, to_mu: np.ndarray, probability: np.ndarray,
                      s: np.ndarray, risk: np.ndarray, Q: float, T: float) -> np.ndarray:
    """EU[:, i, j]: i's expected utility of challenging j (steps 2 and 4)."""
    r = risk[:, :, None]
    success = _utility(0.5 - 0.5 * distance, r)
    failure = _utility(0.5 + 0.5 * distance, r)
    spread = to_mu[:, :, None] + distance
    better = _utility(0.5 - 0.25 * spread, r)
    worse = _utility(0.5 + 0.25 * spread, r)
    status_quo = _utility(np.full_like(distance, 0.5), r)
    resist = s[:, None, :]
    challenge = resist * (probability * success + (1 - probability) * failure) \
        + (1 - resist) * success
    return challenge - Q * status_quo - (1 - Q) * (T * better + (1 - T) * worse)


def _risk_exponents(eu: np.ndarray, present: np.ndarray) -> np.ndarray:
    """r_i from the actors' vulnerability to challenges (step 5)."""
    vulnerability = eu.sum(axis=1)  # sum over challengers j of EU[j, i]
    high = np.where(present, vulnerability, -np.inf).max(axis=1, keepdims=True)
    low = np.where(present, vulnerability, np.inf).min(axis=1, keepdims=True)
    spread = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(present & (spread > 0), (2 * vulnerability - high - low) / spread, 0.0)
    return (1 - big_r / 3) / (1 + big_r / 3)


def _resolve(x: np.ndarray, xz: np.ndarray, eu: np.ndarray, probability: np.ndarray,
             present: np.ndarray) -> np.ndarray:
    """New positions after every actor takes its least demanding proposal (steps 6-7)."""
    a = eu  # a[:, i, j] = EU_ij
    b = np.swapaxes(eu, 1, 2)  # b[:, i, j] = EU_ji
    gains, loses = a > TIE, b < -TIE
    with np.errstate(invalid="ignore", divide="ignore"):
        yield_share = np.where(loses, np.minimum(-b / a, 1.0), 0.0)
    conflict = gains & (b > TIE)
    fraction = np.where(conflict, np.where(probability > 0.5 + TIE, 1.0, 0.0),
                        np.where(gains & ~conflict, yield_share, 0.0))  # [:, i, j]
    move = fraction * (xz[:, :, None] - xz[:, None, :])  # j's move towards x_i
    proposed = fraction > 0
    size = np.where(proposed, np.abs(move), np.inf)
    smallest = size.min(axis=1, keepdims=True)
    eligible = proposed & (size <= smallest + 1e-12)
    chosen = np.argmax(np.where(eligible, a, -np.inf), axis=1)  # proposer i for each j
    taken = np.take_along_axis(move, chosen[:, None, :], axis=1)[:, 0, :]
    has = np.isfinite(smallest[:, 0, :])
    return np.where(present & has, x + np.where(has, taken, 0.0), x)


@register
@dataclass(frozen=True)
class ExpectedUtility(ForecastModel):
    """Bueno de Mesquita's expected utility model (Scholz, Calbert & Smith 2011)."""

    name = "expected-utility"
    citation = ("Bueno de Mesquita (1994) in European Community Decision Making, Yale UP; "
                "Scholz, Calbert & Smith (2011) J. Theoretical Politics 23(4)")
    Q: float = 1.0
    """Probability that the status quo holds if i does not challenge j."""
    T: float = 1.0
    """Probability that, if it does not hold, things get better for i."""
    rounds: int = 10
    forecast: str = "median"
    """`median` (the median voter position, as Bueno de Mesquita 1994) or `mean`."""

    def __post_init__(self) -> None:
        if not (0.0 <= self.Q <= 1.0 and 0.0 <= self.T <= 1.0):
            raise ValueError("Q and T must lie in [0, 1]")
        if self.rounds < 0:
            raise ValueError("rounds must be >= 0")
        if self.forecast not in ("median", "mean"):
            raise ValueError("forecast must be 'median' or 'mean'")

    def trajectory(self, problem: SpatialProblem) -> Trajectory:
        """Positions, median and mean after every round."""
        return expected_utility_model(problem.positions, problem.saliences,
                                      problem.capabilities, Q=self.Q, T=self.T,
                                      rounds=self.rounds)

    def predict(self, problem: SpatialProblem) -> np.ndarray:
        path = self.trajectory(problem)
        return (path.median if self.forecast == "median" else path.mean)[-1]
