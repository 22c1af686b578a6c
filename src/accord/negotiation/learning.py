"""What a mediator can infer about one party from its point-by-point answers.

The party's preferences are unknown; its answers are sincere (`moves.sincere_answers`).
Write `x[v] >= 0` for the party's loss on variable v (issue-option pair) against its best
option on that issue, in units of its stake (its best package's utility minus its
reservation), so the surplus of a draft d is `S(d) = 1 - sum_j x[d_j]`. Each answer is then
a linear constraint on x (additive preferences assumed):

- accept on point i:          x[d_i] = 0;
- can live with on point i:   x[d_i] <= s * S(d)  (s = moves.REJECT_SHARE);
- reject (no red line):       x[d_i] >= s * S(d);
- priorities a before b:      x[d_a] >= x[d_b];
- whole draft signed:         S(d) >= 0; refused (no red line crossed): S(d) <= 0;
- compared with a text e:     better: S(d) >= S(e); worse: S(d) <= S(e); same: S(d) = S(e).
- a point that crosses a red line is remembered as a red line (the mediator never
  proposes it again as part of a model package) and its stance says nothing else; the
  draft's other points still count. A
  party that holds out for more than its reservation thus looks to the mediator as if its
  walk-away were higher — which the mediator then respects; when answers contradict each
  other, the centre below tolerates it.

A prior closes the polytope: each loss is at most its issue's largest loss m_i, and
the m_i sum to at most `SPAN` stakes (widened when the answers need more).

Equalities (accept: x[v] = 0; same: S(d) = S(e)) are kept exact: the model works in
the subspace they leave (an orthonormal basis of their null space), where the polytope
has an interior. Kept as two inequalities they would make it flat, and the samples
would never quite tie: the mediator would keep asking a question already answered.

The estimate is the analytic centre of that polytope (Sonnevend 1986), as in polyhedral
adaptive conjoint analysis (Toubia, Hauser & Simester 2004): the point farthest, in the
log-barrier sense, from every constraint, with the barrier's Hessian giving the
Dikin ellipsoid — the shape of what is still unknown, used to choose informative drafts.
When the answers contradict each other (non-additive preferences, strategic answers), all
constraints are loosened by the smallest common slack that makes them feasible.

`sample` draws points of the same polytope by hit-and-run (Smith 1984) along directions
shaped by the Dikin ellipsoid, chains carried over from round to round: what the
mediator may still believe of the party, for choosing questions and the final text.
`most_favourable` finds the polytope's worst case for a pair of texts exactly (an LP).
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy.linalg import null_space
from scipy.optimize import linprog

from accord.analysis._milp import SOLVER_OPTIONS, _new_solver
from accord.negotiation.moves import REJECT_SHARE, Answers, Comparison, Stance

SPAN = 3.0
"""Prior bound on the sum over issues of each issue's largest loss, in units of the
stake: (best - worst) / (best - reservation), 3 for a walk-away two thirds of the way
from the party's worst package to its best. Doubled (up to 24) when the answers need
more. (Chosen on the ANAC scenarios: 2 and 4 did worse.)"""
BOX = 10.0
"""Bound on every coordinate in the search for an interior point."""
FEASIBLE = 1e-9
"""A Chebyshev radius above minus this means the answers fit the prior's span."""
SLACK = 1e-3
"""Constraints are loosened by this much (times their norm) when the polytope has no
interior: answers that tie two losses make it flat, and the centre needs room."""


class PartyModel:
    """Constraints on one party's losses, learnt from its answers."""

    def __init__(self, offsets: np.ndarray) -> None:
        self.offsets = np.asarray(offsets)
        self.n_vars = n_vars = int(self.offsets[-1])
        self.rows: list[np.ndarray] = []
        self.bounds: list[float] = []
        self.zero = np.zeros(n_vars, dtype=bool)
        self.ties: list[np.ndarray] = []
        """Rows r with r . x = 0 ('same' comparisons)."""
        self.red = np.zeros(n_vars, dtype=bool)
        self._estimate: tuple[np.ndarray, np.ndarray] | None = None
        self._polytope: tuple[np.ndarray, ...] | None = None
        """(free variables, basis of the ties' null space, a, b): a z <= b, y = basis z."""
        self._chains: np.ndarray | None = None

    def observe(self, chosen: np.ndarray, answers: Answers,
                versus: np.ndarray | None = None) -> None:
        """Add the constraints that one set of answers on a draft implies (`versus`: the
        variables of the text the draft was compared with, when it was)."""
        self._estimate = None
        red = answers.red_lines or (False,) * len(chosen)
        self.red[chosen[np.array(red, dtype=bool)]] = True
        total = np.zeros(self.n_vars)
        np.add.at(total, chosen, 1.0)
        s = REJECT_SHARE
        for v, stance, crossed in zip(chosen, answers.stances, red):
            if crossed:  # rejected for the red line: says nothing of the loss
                continue
            if stance == Stance.ACCEPT:
                self.zero[v] = True
                continue
            row = s * total
            row[v] += 1.0  # x_v - s * S(d)
            if stance == Stance.CAN_LIVE_WITH:
                self._add(row, s)
            else:
                self._add(-row, -s)
        for a, b in zip(answers.priorities, answers.priorities[1:]):
            row = np.zeros(self.n_vars)
            row[chosen[b]] += 1.0
            row[chosen[a]] -= 1.0  # x[d_b] <= x[d_a]
            if chosen[a] != chosen[b]:
                self._add(row, 0.0)
        if answers.accept:
            self._add(total, 1.0)
        elif not any(red):
            self._add(-total, -1.0)
        if versus is not None and answers.versus is not None:
            row = total.copy()
            np.add.at(row, versus, -1.0)  # loss of the draft minus loss of the other text
            if np.abs(row).sum() > 0:
                if answers.versus == Comparison.SAME:
                    self._estimate = None
                    self.ties.append(row)
                else:
                    self._add(row if answers.versus == Comparison.BETTER else -row, 0.0)

    def _add(self, row: np.ndarray, bound: float) -> None:
        self._estimate = None
        self.rows.append(row)
        self.bounds.append(bound)

    def sample(self, count: int, rng: np.random.Generator, steps: int = 12) -> np.ndarray:
        """`count` points of the polytope (rows: losses of every variable), by hit-and-run
        from last round's points (those the new answers ruled out restart at the centre)."""
        x, _ = self.estimate()
        free, basis, a, b = self._polytope
        points = np.repeat(x[None, :], count, axis=0)
        if basis.shape[1] == 0:
            return points
        columns = np.r_[free, self.n_vars + np.arange(len(self.offsets) - 1)]
        z = np.repeat(self._centre_point[None, :], count, axis=0)
        steps = 3 * steps
        if self._chains is not None and len(self._chains) == count:
            previous = self._chains[:, columns]
            on_ties = np.abs(previous - previous @ basis @ basis.T).max(axis=1) <= 1e-9
            previous = previous @ basis
            inside = on_ties & (previous @ a.T <= b).all(axis=1)
            z[inside] = previous[inside]
            steps = steps // 3 if inside.any() else steps
        shape = _factor(self._centre_cov)
        room = b - z @ a.T  # slack of every constraint, kept up to date along the walk
        for _ in range(steps):
            direction = rng.standard_normal(z.shape) @ shape.T
            moving = direction @ a.T
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.maximum(room, 0.0) / moving
            ahead = np.where(moving > 1e-15, ratio, np.inf).min(axis=1)
            behind = np.where(moving < -1e-15, ratio, -np.inf).max(axis=1)
            span = np.isfinite(ahead) & np.isfinite(behind)
            t = np.where(span, behind + rng.random(len(z)) * (ahead - behind), 0.0)
            z = z + t[:, None] * direction
            room = room - t[:, None] * moving
        y = z @ basis.T
        chains = np.zeros((count, self.n_vars + len(self.offsets) - 1))
        chains[:, columns] = y
        self._chains = chains
        points[:, free] = y[:, :len(free)]
        return points

    def most_favourable(self, towards: np.ndarray, against: np.ndarray,
                        floor: float = 1e-3) -> np.ndarray:
        """The losses, among those the answers allow, that most favour text `towards`
        over text `against` (variables of each): the largest ratio of surpluses
        S(towards) / S(against), keeping S(against) >= `floor`; where no allowed world
        keeps `against` that acceptable, the largest difference S(towards) - S(against)
        instead (a plain LP), never the centre, which is no worst case. A linear-fractional
        program, solved as an LP by the Charnes-Cooper transformation: the party as the
        mediator's worst case (regret-based elicitation, Boutilier et al. 2006)."""
        x, _ = self.estimate()
        free, basis, a, b = self._polytope
        n, k = len(free), basis.shape[1]
        if k == 0:
            return x
        counts = np.zeros((2, self.n_vars))
        np.add.at(counts[0], towards, 1.0)
        np.add.at(counts[1], against, 1.0)
        l_towards, l_against = counts[:, free] @ basis[:n]  # losses as linear forms in z
        # variables (w, t), w = t z: max t - l_towards w  s.t. t - l_against w = 1,
        # a w - b t <= 0, 0 <= t <= 1 / floor
        found = linprog(np.r_[l_towards, -1.0],
                        A_ub=np.hstack([a, -b[:, None]]), b_ub=np.zeros(len(b)),
                        A_eq=np.r_[-l_against, 1.0][None, :], b_eq=[1.0],
                        bounds=[(None, None)] * k + [(0.0, 1.0 / floor)], method="highs")
        if found.status == 0 and found.x[-1] > 0:
            z = found.x[:k] / found.x[-1]
        else:  # no world keeps S(against) >= floor: the ratio is meaningless, so take the
            # world where `towards` beats `against` by the largest surplus difference
            found = linprog(l_towards - l_against, A_ub=a, b_ub=b,
                            bounds=[(None, None)] * k, method="highs")
            if found.status != 0:
                return x
            z = found.x
        point = x.copy()
        point[free] = np.maximum((basis @ z)[:n], 0.0)
        return point

    def estimate(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, covariance): the analytic centre and the inverse barrier Hessian."""
        if self._estimate is None:
            self._estimate = self._centre()
        return self._estimate

    def _centre(self) -> tuple[np.ndarray, np.ndarray]:
        free = np.flatnonzero(~self.zero)
        x, cov = np.zeros(self.n_vars), np.zeros((self.n_vars, self.n_vars))
        n, issues = len(free), len(self.offsets) - 1
        if n == 0:
            self._polytope = (free, np.zeros((issues, 0)), np.zeros((0, 0)), np.zeros(0))
            return x, cov
        a = np.array(self.rows)[:, free] if self.rows else np.zeros((0, n))
        b = np.array(self.bounds)
        if len(b):  # the same draft answered the same way twice adds nothing
            _, keep = np.unique(np.column_stack([a, b]), axis=0, return_index=True)
            a, b = a[np.sort(keep)], b[np.sort(keep)]
            a, b = a[np.abs(a).sum(axis=1) > 0], b[np.abs(a).sum(axis=1) > 0]
        # columns: the free losses, then each issue's largest loss m_i (the prior's
        # auxiliaries): x_v <= m_i on v's issue, sum_i m_i <= span
        issue_of = np.searchsorted(self.offsets, free, side="right") - 1
        below = np.zeros((n, issues))
        below[np.arange(n), issue_of] = -1.0
        a = np.vstack([np.hstack([a, np.zeros((len(a), issues))]),
                       np.hstack([np.eye(n), below]),
                       np.hstack([-np.eye(n), np.zeros((n, issues))]),
                       np.hstack([np.zeros((issues, n)), -np.eye(issues)]),
                       np.r_[np.zeros(n), np.ones(issues)][None, :]])
        b = np.concatenate([b, np.zeros(2 * n + issues), [SPAN]])
        # the ties: work in the subspace they leave, y = basis z (orthonormal columns)
        basis = np.eye(n + issues)
        if self.ties:
            kernel = null_space(np.array(self.ties)[:, free], rcond=1e-10)
            basis = np.zeros((n + issues, kernel.shape[1] + issues))
            basis[:n, :kernel.shape[1]] = kernel
            basis[n:, kernel.shape[1]:] = np.eye(issues)
        a = a @ basis
        flat = np.abs(a).max(axis=1) <= 1e-12  # constraints the ties decide alone
        a, b = a[~flat], b[~flat]
        z, radius = _chebyshev_centre(a, b)
        for _ in range(3):  # answers beyond the prior's span: widen it before anything else
            if radius >= -FEASIBLE:  # feasible (perhaps flat: answers that pin a loss)
                break
            b = b.copy()
            b[-1] *= 2.0
            z, radius = _chebyshev_centre(a, b)
        if radius < SLACK:  # infeasible, or flat: loosen every bound to give the centre room
            b = b + np.linalg.norm(a, axis=1) * (SLACK - radius)
        z, hessian = _newton_centre(a, b, z)
        self._polytope = (free, basis, a, b)
        self._centre_point, self._centre_cov = z, np.linalg.inv(hessian)
        y = basis @ z
        x[free] = y[:n]
        full_cov = basis @ self._centre_cov @ basis.T
        cov[np.ix_(free, free)] = full_cov[:n, :n]
        return x, cov


def _chebyshev_centre(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    """The centre and radius of the largest ball inside a x <= b (the Chebyshev LP: max r
    with a x + r |a| <= b); the radius is negative when there is no such point, about 0
    when the polytope is flat."""
    m, n = a.shape
    norms = np.linalg.norm(a, axis=1)
    matrix = np.hstack([a, norms[:, None]])
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + 1, m
    lp.col_cost_ = np.r_[np.zeros(n), 1.0]
    lp.col_lower_ = np.full(n + 1, -BOX)
    lp.col_upper_ = np.r_[np.full(n, BOX), 1.0]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.row_lower_, lp.row_upper_ = np.full(m, -highspy.kHighsInf), b
    nz = matrix != 0
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.r_[0, np.cumsum(nz.sum(axis=1))]
    lp.a_matrix_.index_ = np.nonzero(nz)[1]
    lp.a_matrix_.value_ = matrix[nz]
    solver = _new_solver()
    for key in ("output_flag", "threads"):
        solver.setOptionValue(key, SOLVER_OPTIONS[key])
    solver.passModel(lp)
    solver.run()
    solution = np.array(solver.getSolution().col_value)
    return solution[:n], float(solution[n])


def _newton_centre(a: np.ndarray, b: np.ndarray, y: np.ndarray,
                   iterations: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Minimise -sum log(b - a y) by damped Newton steps from an interior point."""
    eye = 1e-10 * np.eye(a.shape[1])
    for _ in range(iterations):
        d = 1.0 / (b - a @ y)
        gradient = a.T @ d
        hessian = (a.T * (d * d)) @ a + eye
        step = -np.linalg.solve(hessian, gradient)
        decrement = float(-gradient @ step)
        length = 1.0 if decrement < 0.25 else 1.0 / (1.0 + np.sqrt(decrement))
        moving = a @ step
        out = moving > 0
        if out.any():
            length = min(length, 0.99 * float(np.min((b - a @ y)[out] / moving[out])))
        y = y + length * step
        if decrement < 1e-8:
            break
    d = 1.0 / (b - a @ y)
    return y, (a.T * (d * d)) @ a + eye


def _factor(cov: np.ndarray) -> np.ndarray:
    """A square root of a covariance (eigen-decomposition: it may be nearly singular)."""
    values, vectors = np.linalg.eigh((cov + cov.T) / 2)
    return vectors * np.sqrt(np.maximum(values, 0.0))
