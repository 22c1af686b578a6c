"""The Stokman-Van Oosten exchange model: actors trade voting positions between issues.

Stokman & Van Oosten (1994) "The exchange of voting positions: an object-oriented model
of policy networks", in Bueno de Mesquita & Stokman (eds) *European Community Decision
Making*, Yale UP, pp. 105-127; the equal-gain rule of Dijkstra, Van Assen & Stokman (2008)
"Outcomes of collective decisions with externalities predicted", J. Conflict Resolution
52(5): 669-690 (implemented in the Decide exchange model, foarsitter/decide-exchange-model).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

from accord.forecast.base import ForecastModel, register
from accord.forecast.compromise import compromise_model
from accord.forecast.problem import SpatialProblem

TOLERANCE = 1e-9
"""Gains, shifts and salience differences below this count as zero."""


def exchange_model(positions: np.ndarray, saliences: np.ndarray, capabilities: np.ndarray,
                   *, rounds: int = 1) -> np.ndarray:
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
    """Carry out one round of exchanges in place; returns how many were made.

    Offers are taken by decreasing gain (rounded to 9 decimals, so that sums taken in
    another order do not reorder equal gains); ties go by the issues, then by the two
    actors' data (positions, saliences, weights), so that the order in which actors are
    listed never matters, and last by index (only between identical actors).
    """
    heap = [_key(gain, p, q, i, j, x, s, w) for gain, p, q, i, j in _offers(x, s, w)]
    heapq.heapify(heap)
    book = _Book(x, s, w)
    made = 0
    while heap:
        key = heapq.heappop(heap)
        p, q, i, j = key[1], key[2], key[-2], key[-1]
        gain, dx_j, dx_i = book.exchange(p, q, i, j)
        if gain <= TOLERANCE:
            continue
        if heap and round(gain, 9) < -heap[0][0]:
            heapq.heappush(heap, (-round(gain, 9),) + key[1:])
            continue
        book.move(p, j, dx_j)
        book.move(q, i, dx_i)
        made += 1
    x[:] = book.x
    return made


def _key(gain: float, p: int, q: int, i: int, j: int, x: np.ndarray, s: np.ndarray,
         w: np.ndarray) -> tuple:
    return (-round(gain, 9), p, q, x[p, i], x[p, j], x[q, i], x[q, j], s[p, i], s[p, j],
            s[q, i], s[q, j], w[p, j], w[q, i], i, j)


def _offers(x: np.ndarray, s: np.ndarray, w: np.ndarray) -> list[tuple[float, int, int, int, int]]:
    """Every exchange possible at the round's start, as (gain, p, q, i, j): i demands p
    and j demands q. All ordered issue pairs are evaluated in one array operation."""
    pairs = np.array([(p, q) for p in range(len(x)) for q in range(len(x)) if p != q])
    p, q = pairs[:, 0], pairs[:, 1]
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        outcome = (w * np.where(np.isnan(x), 0.0, x)).sum(axis=1) / total

    def mine(a: np.ndarray) -> np.ndarray:  # actor i along axis 1
        return a[:, :, None]

    def theirs(a: np.ndarray) -> np.ndarray:  # actor j along axis 2
        return a[:, None, :]

    def each(a: np.ndarray) -> np.ndarray:
        return a[:, None, None]

    gain, _, _ = _exchange_terms(
        mine(x[p]), theirs(x[p]), mine(x[q]), theirs(x[q]), mine(s[p]), theirs(s[p]),
        mine(s[q]), theirs(s[q]), theirs(w[p]), mine(w[q]), each(outcome[p]),
        each(outcome[q]), each(total[p]), each(total[q]))
    k, i, j = np.nonzero(gain > TOLERANCE)
    return list(zip(gain[k, i, j].tolist(), p[k].tolist(), q[k].tolist(), i.tolist(),
                    j.tolist()))


class _Book:
    """Current votes and outcome sums as Python floats, for the one-by-one exchanges."""

    def __init__(self, x: np.ndarray, s: np.ndarray, w: np.ndarray) -> None:
        self.x, self.s, self.w = x.tolist(), s.tolist(), w.tolist()
        self.total = w.sum(axis=1).tolist()
        self.pull = (w * np.where(np.isnan(x), 0.0, x)).sum(axis=1).tolist()

    def move(self, k: int, a: int, dx: float) -> None:
        self.x[k][a] += dx
        self.pull[k] += self.w[k][a] * dx

    def exchange(self, p: int, q: int, i: int, j: int) -> tuple[float, float, float]:
        """Steps 1-3 for one exchange from the current votes: (gain, j's shift on p, i's
        shift on q); gain 0 when the exchange no longer holds."""
        x, s, w = self.x, self.s, self.w
        xip, xjp, xiq, xjq = x[p][i], x[p][j], x[q][i], x[q][j]
        wjp, wiq = w[p][j], w[q][i]
        if wjp <= 0 or wiq <= 0:
            return 0.0, 0.0, 0.0
        op, oq = self.pull[p] / self.total[p], self.pull[q] / self.total[q]
        sip, sjp, siq, sjq = s[p][i], s[p][j], s[q][i], s[q][j]
        if not ((xip - op) * (xjp - op) < 0 and (xiq - oq) * (xjq - oq) < 0
                and sip * sjq - siq * sjp > TOLERANCE):
            return 0.0, 0.0, 0.0
        ratio = (sip + sjp) / (siq + sjq)
        dp = min(wjp * abs(xip - xjp) / self.total[p], abs(xip - op),
                 wiq * abs(xjq - xiq) / self.total[q] / ratio, abs(xjq - oq) / ratio)
        dq = dp * ratio
        gain = sip * dp - siq * dq
        dx_j = math.copysign(dp * self.total[p] / wjp, xip - xjp)
        dx_i = math.copysign(dq * self.total[q] / wiq, xjq - xiq)
        return gain, dx_j, dx_i


def _exchange_terms(xip, xjp, xiq, xjq, sip, sjp, siq, sjq, wjp, wiq, op, oq, wp, wq):  # type: ignore[no-untyped-def]
    """Steps 1-3 for scalars or broadcast arrays: (gain, shift of j on p, shift of i on q)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        opposite = ((xip - op) * (xjp - op) < 0) & ((xiq - oq) * (xjq - oq) < 0)
        oriented = sip * sjq - siq * sjp > TOLERANCE
        ratio = (sip + sjp) / (siq + sjq)
        dp = np.minimum(np.minimum(wjp * np.abs(xip - xjp) / wp, np.abs(xip - op)),
                        np.minimum(wiq * np.abs(xjq - xiq) / wq, np.abs(xjq - oq)) / ratio)
        usable = opposite & oriented & (wjp > 0) & (wiq > 0) & (dp > TOLERANCE)
        dq = dp * ratio
        gain = np.where(usable, sip * dp - siq * dq, 0.0)
        dx_j = np.where(usable, np.sign(xip - xjp) * dp * wp / wjp, 0.0)
        dx_i = np.where(usable, np.sign(xjq - xiq) * dq * wq / wiq, 0.0)
    return gain, dx_j, dx_i


@register
@dataclass(frozen=True)
class ExchangeModel(ForecastModel):
    """Stokman-Van Oosten exchange model (equal gain), within each dossier."""

    name = "exchange"
    citation = ("Stokman & Van Oosten (1994) in European Community Decision Making, Yale UP; "
                "Dijkstra, Van Assen & Stokman (2008) J. Conflict Resolution 52(5)")
    rounds: int = 1
    """Rounds of exchanges: 1 is the model of Stokman & Van Oosten (1994); later rounds
    start from the voting positions of the previous one."""

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
