"""The Stokman-Van Oosten exchange model: actors trade voting positions between issues.

Stokman & Van Oosten (1994) "The exchange of voting positions: an object-oriented model
of policy networks", in Bueno de Mesquita & Stokman (eds) *European Community Decision
Making*, Yale UP, pp. 105-127; the equal-gain rule of Dijkstra, Van Assen & Stokman (2008)
"Outcomes of collective decisions with externalities predicted", J. Conflict Resolution
52(5): 669-690 (implemented in the Decide exchange model, foarsitter/decide-exchange-model).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from accord.forecast.base import ForecastModel, register
from accord.forecast.compromise import compromise_model
from accord.forecast.problem import SpatialProblem

TOLERANCE = 1e-9
"""Gains, shifts and salience differences below this count as zero."""


@dataclass(order=True)
class _Offer:
    """A candidate exchange: i gets its way on p (j moves), j on q (i moves)."""

    key: tuple[float, int, int, int, int]
    p: int = field(compare=False)
    q: int = field(compare=False)
    i: int = field(compare=False)
    j: int = field(compare=False)


def exchange_model(positions: np.ndarray, saliences: np.ndarray, capabilities: np.ndarray,
                   *, rounds: int = 10) -> np.ndarray:
    """Voting positions after rounds of equal-gain exchanges within one dossier.

    Arrays are `[issue, actor]` (NaN positions take no part). The outcome of an issue is
    the compromise O_k = sum c s x / sum c s of the voting positions; an actor's loss on
    an issue is s * |O - x|. Each round:

    1. Compute every outcome O_k and, for every pair of issues (p, q) and pair of actors
       (i, j) present on both, test for an exchange: i and j lie on opposite sides of the
       outcome on both issues, and i cares relatively more about p (s_ip s_jq > s_iq s_jp).
       Then j shifts its vote on p towards x_ip, and i its vote on q towards x_jq.
    2. Equal gain: a vote shift moves the outcome by dp = c_jp s_jp dx_jp / W_p (W = the
       issue's sum of c s). i gains s_ip dp - s_iq dq, j gains s_jq dq - s_jp dp; they are
       equal when dq = dp (s_ip + s_jp) / (s_iq + s_jq).
    3. dp is as large as allowed: a voter moves at most to the other's position, and an
       outcome moves at most to the position of the actor it moves towards (whichever of
       the four limits binds first).
    4. Exchanges are carried out in order of decreasing gain; each is recomputed from the
       current positions just before (it is dropped if it no longer holds, and put back
       in order if its gain fell), so every exchange is valid when made.
    Rounds repeat until no exchange is left or `rounds` is reached. The forecast is the
    compromise of the final voting positions.
    """
    x = np.array(positions, dtype=float)
    s = np.where(np.isnan(x), 0.0, saliences)
    w = np.where(np.isnan(x), 0.0, capabilities * s)
    if x.shape[0] < 2:
        return x
    for _ in range(rounds):
        if not _exchange_round(x, s, w):
            break
    return x


def _exchange_round(x: np.ndarray, s: np.ndarray, w: np.ndarray) -> int:
    """Carry out one round of exchanges in place; returns how many were made."""
    heap: list[_Offer] = []
    for p, q in combinations(range(x.shape[0]), 2):
        for p_, q_ in ((p, q), (q, p)):
            gains = _gains(x, s, w, p_, q_)
            for i, j in zip(*np.nonzero(gains > TOLERANCE)):
                heapq.heappush(heap, _Offer((-gains[i, j], p_, q_, int(i), int(j)),
                                            p_, q_, int(i), int(j)))
    made = 0
    while heap:
        offer = heapq.heappop(heap)
        gain, dx_j, dx_i = _one_exchange(x, s, w, offer.p, offer.q, offer.i, offer.j)
        if gain <= TOLERANCE:
            continue
        if heap and gain < -heap[0].key[0] - TOLERANCE:
            heapq.heappush(heap, _Offer((-gain,) + offer.key[1:], offer.p, offer.q,
                                        offer.i, offer.j))
            continue
        x[offer.p, offer.j] += dx_j
        x[offer.q, offer.i] += dx_i
        made += 1
    return made


def _gains(x: np.ndarray, s: np.ndarray, w: np.ndarray, p: int, q: int) -> np.ndarray:
    """gain[i, j] of every exchange where i demands p and j demands q (0: none)."""
    gain, _, _ = _exchange_terms(x[p][:, None], x[p][None, :], x[q][:, None], x[q][None, :],
                                 s[p][:, None], s[p][None, :], s[q][:, None], s[q][None, :],
                                 w[p][None, :], w[q][:, None], _outcome(x[p], w[p]),
                                 _outcome(x[q], w[q]), w[p].sum(), w[q].sum())
    return np.nan_to_num(gain)


def _one_exchange(x: np.ndarray, s: np.ndarray, w: np.ndarray, p: int, q: int, i: int,
                  j: int) -> tuple[float, float, float]:
    """Gain and the two vote shifts (j on p, i on q) of one exchange, from current data."""
    gain, dx_j, dx_i = _exchange_terms(
        x[p, i], x[p, j], x[q, i], x[q, j], s[p, i], s[p, j], s[q, i], s[q, j], w[p, j],
        w[q, i], _outcome(x[p], w[p]), _outcome(x[q], w[q]), w[p].sum(), w[q].sum())
    return float(np.nan_to_num(gain)), float(dx_j), float(dx_i)


def _exchange_terms(xip, xjp, xiq, xjq, sip, sjp, siq, sjq, wjp, wiq, op, oq, wp, wq):  # type: ignore[no-untyped-def]
    """Steps 1-3 for scalars or broadcast arrays: (gain, shift of j on p, shift of i on q)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        opposite = ((xip - op) * (xjp - op) < 0) & ((xiq - oq) * (xjq - oq) < 0)
        oriented = sip * sjq - siq * sjp > TOLERANCE
        ratio = (sip + sjp) / (siq + sjq)
        dp = np.minimum.reduce([
            np.broadcast_to(wjp * np.abs(xip - xjp) / wp, np.shape(ratio)),
            np.broadcast_to(np.abs(xip - op), np.shape(ratio)),
            wiq * np.abs(xjq - xiq) / wq / ratio,
            np.abs(xjq - oq) / ratio])
        usable = opposite & oriented & (wjp > 0) & (wiq > 0) & (dp > TOLERANCE)
        dq = dp * ratio
        gain = np.where(usable, sip * dp - siq * dq, 0.0)
        dx_j = np.where(usable, np.sign(xip - xjp) * dp * wp / wjp, 0.0)
        dx_i = np.where(usable, np.sign(xjq - xiq) * dq * wq / wiq, 0.0)
    return gain, dx_j, dx_i


def _outcome(x: np.ndarray, w: np.ndarray) -> float:
    total = w.sum()
    return float((w * np.nan_to_num(x)).sum() / total) if total > 0 else float("nan")


@register
@dataclass(frozen=True)
class ExchangeModel(ForecastModel):
    """Stokman-Van Oosten exchange model (equal gain), within each dossier."""

    name = "exchange"
    citation = ("Stokman & Van Oosten (1994) in European Community Decision Making, Yale UP; "
                "Dijkstra, Van Assen & Stokman (2008) J. Conflict Resolution 52(5)")
    rounds: int = 10

    def __post_init__(self) -> None:
        if self.rounds < 0:
            raise ValueError("rounds must be >= 0")

    def predict(self, problem: SpatialProblem) -> np.ndarray:
        voting = np.array(problem.positions, dtype=float)
        groups: dict[str, list[int]] = {}
        for k, dossier in enumerate(problem.dossier):
            groups.setdefault(dossier, []).append(k)
        for rows in groups.values():
            voting[rows] = exchange_model(problem.positions[rows], problem.saliences[rows],
                                          problem.capabilities[rows], rounds=self.rounds)
        return compromise_model(voting, problem.saliences, problem.capabilities)
