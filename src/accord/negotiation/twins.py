"""Twin worlds: other preferences that answer every question as the parties' own do.

A mediator of the single negotiating text learns the parties only from their sincere
answers (`moves.sincere_answers`): point-by-point stances, priorities, signatures and
comparisons with earlier texts. A *twin* of a profile of preferences is another profile
that gives the same answers to every question a mediator could ask — every draft, alone
or compared with any other text. No mediator can tell a profile from its twin: with the
same seed it tables the same texts in both and ends with the same final text. So when no
text reaches 99% of the Nash product in both worlds, no mediator that learns only from
these answers can reach 99% in both; on such a scenario a mediator that does reach 99%
owes it to a prior that happens to fit, not to what it learnt.

The search (additive preferences, a space small enough to list every package), for each
party on its own, over its weights w (red lines and reservation kept, the utility of the
true Nash package n kept):

1. the answers to every question are linear conditions on w: the order of all packages by
   utility and where each stands against the reservation (comparisons, signatures); per
   package and point, whether the loss on the point exceeds `REJECT_SHARE` of the
   surplus (stances); the order of all losses (accepts, priorities). Ties stay ties,
   strict inequalities are relaxed to non-strict ones;
2. for a target text t, an LP (HiGHS, through scipy) maximises t's surplus under those
   conditions: the twin in which t gains the most over n;
3. the twin is moved a step back towards the true weights (`BLENDS`, smallest first), so
   that the strict inequalities hold strictly again while t keeps nearly all its lead;
4. the twin's answers are checked against the party's own on every draft
   (`sincere_answers`) and on every pair of packages (comparisons). This check, not the
   LP, is what the result rests on: a twin that fails it is not used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, vstack

from accord.errors import UsageError
from accord.negotiation.moves import REJECT_SHARE, TIE, Answers, sincere_answers
from accord.negotiation.view import Package, PrivateView

MAX_PACKAGES = 12_000
"""Twins are sought only where every package can be listed (the check is quadratic: the
11,664 packages of gaza-2025 take a few minutes)."""
BLENDS = (1e-3, 1e-2, 0.05, 0.2)
"""Steps back from the LP's twin towards the true weights, tried in this order."""
BOUND = 1e3
"""Bound on each weight of a twin, in units of the party's largest weight, reservation or
surplus of the Nash package, whichever is largest."""
PAIR_CHUNK = 512
"""Rows of packages compared at a time when checking every pair."""


@dataclass(frozen=True)
class Twin:
    """A twin world found for a target text, and what it proves."""

    nash: Package
    """The true Nash package."""
    target: Package
    """The text the twin favours over the true Nash package."""
    views: tuple[PrivateView, ...]
    """Each party's preferences in the twin world (same red lines and reservation)."""
    nash_share_in_twin: float
    """The true Nash package's share of the twin's Nash product."""
    best_for_both: float
    """The most any text gets in both worlds: max over texts of the smaller of its two
    shares of the Nash product. Below 0.99, no mediator learning from these answers can
    reach 99% in both worlds."""
    text_for_both: Package
    drafts_checked: int
    pairs_checked: int


def find_twin(views: list[PrivateView], targets: int = 8,
              max_packages: int = MAX_PACKAGES,
              progress: Callable[[int, int], None] | None = None) -> Twin | None:
    """The twin world, over the `targets` texts with the highest Nash products after
    the true Nash package, that leaves the least for a text to get in both worlds; None
    when there is no zone (no package gives every party a gain) or no twin differs.
    `progress(done, total)` is called after each party's answers to every draft and
    after each party's twin for each target (the steps that take the time)."""
    report = progress or (lambda done, total: None)
    packages = _all_packages(views, max_packages)
    products = _nash_products(views, packages)
    if products.max(initial=0.0) <= 0.0:
        return None
    order = np.argsort(-products, kind="stable")
    rivals = [k for k in order[1:1 + targets] if products[k] > 0.0]
    total, done = len(views) * (1 + len(rivals)), 0
    report(done, total)
    nash = tuple(int(o) for o in packages[order[0]])
    own_answers = []
    for view in views:
        own_answers.append(draft_answers(view, packages))
        done += 1
        report(done, total)
    conditions = [_answer_conditions(view, packages) for view in views]
    share_truth = products / products[order[0]]
    best: Twin | None = None
    for index in rivals:
        target = tuple(int(o) for o in packages[index])
        twins = []
        for view, answers, rows in zip(views, own_answers, conditions):
            twins.append(_party_twin(view, packages, nash, target, answers, rows))
            done += 1
            report(done, total)
        found = _compare(views, twins, packages, target, share_truth)
        if found is not None and (best is None or found.best_for_both < best.best_for_both):
            best = found
    return best


def _party_twin(view: PrivateView, packages: np.ndarray, nash: Package, target: Package,
                answers: list[Answers], conditions: tuple) -> tuple[PrivateView, int, int]:
    """The party's twin for `target` (its own `view` when no step back passes the
    check), with the drafts and pairs checked; `answers`: its answers to every draft,
    `conditions`: `_answer_conditions` of the view."""
    weights = _most_favourable(view, conditions, nash, target)
    if weights is not None:
        for blend in BLENDS:
            twin = replace(view, weights=(1 - blend) * weights + blend * view.weights,
                           _cache={})
            checked = same_answers(view, twin, packages, answers)
            if checked is not None:
                return twin, *checked
    return view, 0, 0


def _compare(truth: list[PrivateView], twins: list[tuple[PrivateView, int, int]],
             packages: np.ndarray, target: Package, share_truth: np.ndarray) -> Twin | None:
    views = [twin for twin, _, _ in twins]
    if all(a is b for a, b in zip(truth, views)):
        return None
    share_twin = _nash_products(views, packages)
    share_twin /= share_twin.max()
    nash = int(share_truth.argmax())
    both = np.minimum(share_truth, share_twin)
    pick = int(both.argmax())
    return Twin(tuple(int(o) for o in packages[nash]), target, tuple(views),
                float(share_twin[nash]), float(both[pick]),
                tuple(int(o) for o in packages[pick]),
                sum(d for _, d, _ in twins), sum(p for _, _, p in twins))


def same_answers(a: PrivateView, b: PrivateView, packages: np.ndarray,
                 answers_of_a: list[Answers] | None = None) -> tuple[int, int] | None:
    """(drafts, pairs) checked when the two views answer every draft in `packages` alike
    (stances, red lines, priorities, signature: `sincere_answers`) and compare every pair
    of them alike; None at the first difference. `answers_of_a`: a's answers to the
    drafts, when already known."""
    tuples = [tuple(int(o) for o in p) for p in packages]
    if answers_of_a is None:
        answers_of_a = draft_answers(a, packages)
    for draft, expected in zip(tuples, answers_of_a):
        if sincere_answers(b, draft) != expected:
            return None
    signs = [_comparison_signs(v, packages) for v in (a, b)]
    for start in range(0, len(packages), PAIR_CHUNK):
        if not np.array_equal(signs[0](start), signs[1](start)):
            return None
    return len(tuples), len(tuples) ** 2


def draft_answers(view: PrivateView, packages: np.ndarray) -> list[Answers]:
    """The view's sincere answers to each package tabled as a draft."""
    return [sincere_answers(view, tuple(int(o) for o in p)) for p in packages]


def _comparison_signs(view: PrivateView, packages: np.ndarray):
    """A function of a row offset giving, for PAIR_CHUNK packages against all, the sign
    `sincere_answers` reports when comparing them (-1 worse, 0 same, 1 better)."""
    utilities = view.utilities(packages)
    scale = max(1e-12, float(np.abs(view.weights).max(initial=0.0))) * TIE

    def chunk(start: int) -> np.ndarray:
        difference = utilities[start:start + PAIR_CHUNK, None] - utilities[None, :]
        return np.where(np.abs(difference) <= scale, 0, np.sign(difference)).astype(np.int8)

    return chunk


def _all_packages(views: list[PrivateView], max_packages: int) -> np.ndarray:
    agenda = views[0].agenda
    if any(view.terms for view in views):
        raise UsageError("twin worlds need additive preferences; a party here has "
                         "interaction terms or values over several points")
    if agenda.n_packages() > max_packages:
        raise UsageError(f"twin worlds list every package and compare every pair of them: "
                         f"{agenda.n_packages():,} here, more than the limit of "
                         f"{max_packages:,}")
    return agenda.all_packages()


def _nash_products(views: list[PrivateView], packages: np.ndarray) -> np.ndarray:
    """Product of gains over the reservation of each package (0 where a party gains
    nothing or a red line is crossed)."""
    chosen = views[0].agenda.offsets[:-1] + packages
    product = np.ones(len(packages))
    for view in views:
        gain = view.utilities(packages) - view.reservation
        product *= np.where(view.veto[chosen].any(axis=1) | (gain <= 0), 0.0, gain)
    return product


def _most_favourable(view: PrivateView, conditions: tuple, nash: Package,
                     target: Package) -> np.ndarray | None:
    """Weights that answer every question as `view` does (up to strictness), with the
    view's reservation, and give `target` the largest utility while the Nash package
    keeps its own; None when the LP has no solution."""
    n_vars = int(view.agenda.offsets[-1])
    offsets = view.agenda.offsets[:-1]
    a_ub, a_eq = conditions
    nash_row = np.zeros((1, n_vars + 1))
    nash_row[0, offsets + np.array(nash)] = 1.0
    objective = np.zeros(n_vars + 1)
    objective[offsets + np.array(target)] = -1.0
    a_eq = vstack([a_eq, coo_matrix(nash_row)]).tocsr()
    b_eq = np.zeros(a_eq.shape[0])
    b_eq[-1] = view.utility(nash)
    size = BOUND * max(float(np.abs(view.weights).max(initial=0.0)), abs(view.reservation),
                       view.utility(nash) - view.reservation)
    bounds = [(-size, size)] * n_vars + [(1.0, 1.0)]
    result = linprog(objective, A_ub=a_ub, b_ub=np.zeros(a_ub.shape[0]), A_eq=a_eq,
                     b_eq=b_eq, bounds=bounds, method="highs")
    return result.x[:n_vars] if result.status == 0 else None


def _answer_conditions(view: PrivateView, packages: np.ndarray):
    """Sparse rows (A_ub, A_eq) with A_ub (w, 1) <= 0 and A_eq (w, 1) = 0 for the
    weights w that answer every question as `view` does (strict inequalities relaxed;
    the last column multiplies the constant 1, for the reservation)."""
    agenda = view.agenda
    n_vars = int(agenda.offsets[-1])
    width = n_vars + 1
    one = n_vars
    offsets = agenda.offsets[:-1]
    chosen = offsets + packages
    weights, reservation = view.weights, view.reservation
    tol = max(1e-12, float(np.abs(weights).max(initial=0.0))) * TIE
    # best allowed option per issue (its loss is 0)
    best = np.full(agenda.n_issues, -1)
    for i in range(agenda.n_issues):
        allowed = np.flatnonzero(~view.veto[agenda.offsets[i]:agenda.offsets[i + 1]])
        if len(allowed):
            best[i] = agenda.offsets[i] + allowed[np.argmax(weights[agenda.offsets[i] + allowed])]
    issue_of = np.repeat(np.arange(agenda.n_issues), agenda.sizes)
    # (1) packages and the reservation in order of utility (comparisons, signatures)
    m, k = chosen.shape
    utility_rows = coo_matrix((np.append(np.ones(chosen.size), reservation),
                               (np.append(np.repeat(np.arange(m), k), m),
                                np.append(chosen.ravel(), one))), shape=(m + 1, width)).tocsr()
    utilities = view.utilities(packages)
    ub, eq = _chain(utility_rows, np.append(utilities, reservation), tol)
    # (2) losses of allowed options, in order (accepts, priorities)
    loss_vars = np.flatnonzero(~view.veto & (best[issue_of] >= 0))
    loss_rows = coo_matrix((np.concatenate([np.ones(len(loss_vars)), -np.ones(len(loss_vars))]),
                            (np.tile(np.arange(len(loss_vars)), 2),
                             np.concatenate([best[issue_of[loss_vars]], loss_vars]))),
                           shape=(len(loss_vars), width)).tocsr()
    losses = weights[best[issue_of[loss_vars]]] - weights[loss_vars]
    ub2, eq2 = _chain(loss_rows, losses, tol)
    # (3) stances: loss on a point against REJECT_SHARE of the package's surplus
    loss_of = np.zeros(n_vars)
    loss_of[loss_vars] = losses
    point_loss = loss_of[chosen]  # packages x issues
    counted = ~view.veto[chosen] & (point_loss > tol) & (best[None, :] >= 0)
    p_index, i_index = np.nonzero(counted)
    surplus = utilities - reservation
    reject = point_loss[p_index, i_index] > REJECT_SHARE * surplus[p_index] + tol
    sign = np.where(reject, -1.0, 1.0)  # can live with: loss - s*(U - r) <= 0
    rows = np.arange(len(p_index))
    stance_rows = coo_matrix(
        (np.concatenate([sign, -sign, np.repeat(-REJECT_SHARE * sign, k),
                         REJECT_SHARE * reservation * sign]),
         (np.concatenate([rows, rows, np.repeat(rows, k), rows]),
          np.concatenate([best[i_index], chosen[p_index, i_index], chosen[p_index].ravel(),
                          np.full(len(rows), one)]))),
        shape=(len(rows), width))
    return vstack([ub, ub2, stance_rows]).tocsr(), vstack([eq, eq2]).tocsr()


def _chain(rows, values: np.ndarray, tol: float):
    """Conditions keeping `rows @ w` in the order of `values`: consecutive values closer
    than `tol` stay equal (A_eq rows), the others keep their order (A_ub rows)."""
    order = np.argsort(values, kind="stable")
    low, high = order[:-1], order[1:]
    steps = rows[low] - rows[high]  # low - high <= 0
    tied = np.diff(values[order]) <= tol
    return steps[~tied], steps[tied]
