"""The exact Pareto frontier, by dynamic programming over issues.

A package's utility vector is a sum over issues, so a partial package (options chosen for
the first k issues) that is dominated on those issues stays dominated whatever the rest
is: the frontier of k + 1 issues is contained in (frontier of k) + (options of issue
k + 1). We keep only non-dominated partial sums after each issue (Kung, Luccio &
Preparata's sweep, `_nondominated`), with a back-pointer per state to rebuild packages.

Interactions and hard constraints couple issues; issues they link are merged into one
block whose "options" are the allowed combinations, so the recursion stays exact.
With `respect_red_lines`, vetoed options are removed first (the frontier of the
packages no party vetoes).

The frontier holds one package per distinct utility vector. When the number of partial
states would pass `max_states`, the recursion stops and `frontier_sample` can give
Pareto-optimal packages instead (see there).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from accord.analysis import _nondominated
from accord.analysis._nondominated import nondominated
from accord.analysis.pareto_pairs import epsilon_frontier
from accord.analysis.space import Space
from accord.analysis.utility import utilities

MAX_BLOCK_COMBINATIONS = 1_000_000
DEFAULT_MAX_STATES = 20_000_000
"""Candidates in one step (partial frontier x options); about 1 GB of working memory."""
DEFAULT_MAX_WORK = 3_000_000_000
"""For five or more parties the sweep compares each candidate with the points kept so
far; a step whose candidates x kept states exceed this (a few seconds) is not started.
For three and four parties the work is every candidate so far times `CANDIDATE_COST`."""
CANDIDATE_COST = {3: 300, 4: 1_200}
"""Work units per candidate of a three- or four-party step, so that a budget means about
the same time as for five or more (measured 2026-12-07 on the 2-core machine: about one
million candidates a second for three parties, a quarter of that for four). Two parties
need no limit beyond `max_states`. Without numba (`accord[fast]`) every number of parties
from three up is counted as five or more are: the vectorised sweep compares each
candidate with the points kept so far."""

Progress = Callable[[int, int], None]
"""Called with (issues done, issues in all) after each step of a long computation."""


@dataclass(frozen=True)
class Frontier:
    """Pareto-optimal packages (one per distinct utility vector) and their utilities.

    `complete` is False when the recursion hit its state budget; then `packages` is empty
    and `states_reached` says how large the last step grew.
    """

    packages: np.ndarray
    utilities: np.ndarray
    complete: bool
    states_reached: int = 0
    reason: str | None = None
    """Why it is not complete, when that is not the state budget (issues linked into
    more joint options than the exact method takes), or what limits its resolution."""
    method: str = "recursion"
    """How it was found: `recursion` (issue by issue), `epsilon-constraint` (two parties
    with issues linked past the recursion: `pareto_pairs`) or `sample` (weighted sums)."""
    red_lines_respected: bool = False
    """Whether it is the frontier of the packages no party vetoes: asked for with
    `respect_red_lines`, or the space has no red lines (then the two frontiers are one).
    Only such a complete frontier holds the bargaining solutions (`frontier_solutions`)."""

    @property
    def size(self) -> int:
        return len(self.utilities)


@dataclass(frozen=True)
class _Block:
    issues: tuple[int, ...]
    combos: np.ndarray  # (n_combos, len(issues)) option indices
    values: np.ndarray  # (n_combos, n_parties) utilities contributed by the block


def pareto_frontier(space: Space, respect_red_lines: bool = False,
                    max_states: int = DEFAULT_MAX_STATES, max_work: int = DEFAULT_MAX_WORK,
                    progress: Progress | None = None, walk: bool = True) -> Frontier:
    """The exact Pareto frontier of the package space (or of packages no party vetoes).

    Stops with `complete=False` rather than start a step beyond `max_states` candidates
    or beyond `max_work` (for three or more parties: see `DEFAULT_MAX_WORK`), or when terms or
    constraints link issues into more than MAX_BLOCK_COMBINATIONS joint options (`reason`
    says so). Two parties are then walked exactly by `pareto_pairs.epsilon_frontier`
    (MILPs: seconds on GENIUS's 40-issue spaces), unless `walk` is False.
    """
    try:
        blocks = _blocks(space, respect_red_lines)
    except _TooLinked as linked:  # not an error: every other answer stands, and a sample
        if space.n_parties == 2 and walk:
            packages, values, complete, reason = epsilon_frontier(space, respect_red_lines)
            return Frontier(packages, values, complete, linked.joint, reason,
                            "epsilon-constraint")
        return Frontier(np.zeros((0, space.n_issues), dtype=np.int64),
                        np.zeros((0, space.n_parties)), False, linked.joint, str(linked))
    respected = respect_red_lines or not space.veto.any()
    if any(len(b.combos) == 0 for b in blocks):
        return Frontier(np.zeros((0, space.n_issues), dtype=np.int64),
                        np.zeros((0, space.n_parties)), True, red_lines_respected=respected)
    states = np.zeros((1, space.n_parties))
    trail: list[tuple[np.ndarray, np.ndarray]] = []
    spent = 0
    for done, block in enumerate(blocks, 1):
        n_combos = len(block.combos)
        n_candidates = len(states) * n_combos
        spent += n_candidates * CANDIDATE_COST.get(space.n_parties, 0)
        pairwise = space.n_parties >= 5 or not _nondominated.COMPILED
        work = n_candidates * len(states) if pairwise else spent
        if n_candidates > max_states or work > max_work:
            return Frontier(np.zeros((0, space.n_issues), dtype=np.int64),
                            np.zeros((0, space.n_parties)), False, n_candidates)
        candidates = (states[:, None, :] + block.values[None, :, :]).reshape(-1, space.n_parties)
        keep = nondominated(candidates)
        trail.append((keep // n_combos, keep % n_combos))
        states = candidates[keep]
        if progress is not None:
            progress(done, len(blocks))
    packages = _rebuild(space, blocks, trail)
    return Frontier(packages, utilities(space, packages), True, red_lines_respected=respected)


def _rebuild(space: Space, blocks: list[_Block],
             trail: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    count = len(trail[-1][0]) if trail else 1
    packages = np.zeros((count, space.n_issues), dtype=np.int64)
    index = np.arange(count)
    for block, (parent, choice) in zip(reversed(blocks), reversed(trail)):
        packages[:, list(block.issues)] = block.combos[choice[index]]
        index = parent[index]
    return packages


class _TooLinked(Exception):
    def __init__(self, message: str, joint: int):
        super().__init__(message)
        self.joint = joint


def _blocks(space: Space, respect_red_lines: bool) -> list[_Block]:
    """Issues grouped by the interactions and constraints that link them, in issue order."""
    allowed = ~space.veto.any(axis=0) if respect_red_lines else np.ones(space.n_vars, bool)
    if not space.terms and not space.constraints:  # nothing links issues: one block each
        return [_single_issue_block(space, i, allowed) for i in range(space.n_issues)]
    groups = _linked_groups(space)
    blocks = []
    for issues in groups:
        choices = [np.flatnonzero(allowed[space.offsets[i]:space.offsets[i + 1]])
                   for i in issues]
        total = int(np.prod([len(c) for c in choices], dtype=object))
        if total > MAX_BLOCK_COMBINATIONS:
            raise _TooLinked(
                f"interactions or constraints link {len(issues)} issues "
                f"({', '.join(space.issue_ids[i] for i in issues[:4])}"
                f"{', …' if len(issues) > 4 else ''}) into {total:,} joint options; the exact "
                f"frontier takes at most {MAX_BLOCK_COMBINATIONS:,} per linked group", total)
        combos = np.array(list(itertools.product(*choices)), dtype=np.int64).reshape(-1, len(issues))
        blocks.append(_Block(tuple(issues), *_block_values(space, issues, combos)))
    return blocks


def _single_issue_block(space: Space, issue: int, allowed: np.ndarray) -> _Block:
    """The block of one issue that no term or constraint touches: its allowed options and
    their utilities (what `_block_values` gives for it, without the general machinery,
    which costs more than the whole frontier of a small GENIUS space)."""
    start = space.offsets[issue]
    choices = np.flatnonzero(allowed[start:space.offsets[issue + 1]])
    values = np.zeros((len(choices), space.n_parties))
    values += space.weights[:, start + choices].T
    return _Block((issue,), choices[:, None].astype(np.int64), values)


def _linked_groups(space: Space) -> list[tuple[int, ...]]:
    parent = list(range(space.n_issues))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    issue_of = space.issue_of
    links = [(c.a, c.b) for c in space.constraints]
    links += [(t.groups[0][0], group[0]) for t in space.terms for group in t.groups[1:]]
    for a, b in links:
        parent[find(int(issue_of[a]))] = find(int(issue_of[b]))
    groups: dict[int, list[int]] = {}
    for i in range(space.n_issues):
        groups.setdefault(find(i), []).append(i)
    return sorted((tuple(g) for g in groups.values()), key=lambda g: g[0])


def _block_values(space: Space, issues: tuple[int, ...],
                  combos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-party utility of each combination (options and the interactions inside it),
    dropping combinations a hard constraint forbids."""
    full = np.zeros((len(combos), space.n_issues), dtype=np.int64)
    full[:, list(issues)] = combos
    inside = set(issues)
    values = np.zeros((len(combos), space.n_parties))
    for k, i in enumerate(issues):
        values += space.weights[:, space.offsets[i] + combos[:, k]].T
    chosen = space.offsets[:-1][list(issues)] + combos
    for term in space.terms:
        if term.issues[0] in inside:
            columns = [issues.index(i) for i in term.issues]
            values[:, term.party] += term.value * term.holds(chosen, columns)
    ok = np.ones(len(combos), dtype=bool)
    for c in space.constraints:
        if int(space.issue_of[c.a]) in inside:
            has_a, has_b = np.any(chosen == c.a, axis=1), np.any(chosen == c.b, axis=1)
            ok &= ~has_a | (has_b if c.kind == "requires" else ~has_b)
    return combos[ok], values[ok]


def frontier_sample(space: Space, count: int = 100, seed: int = 0,
                    respect_red_lines: bool = False) -> Frontier:
    """Pareto-optimal packages found by maximising random positive weightings of the
    parties' utilities (each optimum is Pareto-optimal, so the sample is faithful; it
    reaches the supported part of the frontier, the points on its convex hull).
    Returns distinct utility vectors; `complete` is False."""
    from accord.analysis._milp import PackageProgram  # only needed for the fallback

    rng = np.random.default_rng(seed)
    found: dict[bytes, np.ndarray] = {}
    forbidden = space.veto.any(axis=0) if respect_red_lines else None
    if not space.constraints and not space.terms:
        return _separable_sample(space, rng.dirichlet(np.ones(space.n_parties), size=count),
                                 forbidden)
    for weights in rng.dirichlet(np.ones(space.n_parties), size=count):
        program = PackageProgram(space, forbidden)
        parts = [program.utility(p) for p in range(space.n_parties)]
        result = program.maximise(np.concatenate([i for i, _ in parts]),
                                  np.concatenate([c * w for (_, c), w in zip(parts, weights)]))
        if result is None:
            break
        package = program.package(result)
        found.setdefault(utilities(space, package)[0].round(12).tobytes(), package)
    packages = np.array(list(found.values()), dtype=np.int64).reshape(-1, space.n_issues)
    return Frontier(packages, utilities(space, packages), False)


def _separable_sample(space: Space, weightings: np.ndarray,
                      forbidden: np.ndarray | None) -> Frontier:
    """`frontier_sample` without constraints or interactions: each weighted sum is then
    maximised issue by issue (a best allowed option per issue), with no solver.

    Every maximiser of a strictly positive weighting is Pareto-optimal, whichever of tied
    options it takes; at 1000 issues this takes milliseconds where 50 MILPs took ~20 s.
    """
    width = int(space.sizes.max(initial=0))
    slots = np.full((space.n_issues, width), -1, dtype=np.int64)  # variable of (issue, option)
    for i in range(space.n_issues):
        slots[i, :space.sizes[i]] = np.arange(space.offsets[i], space.offsets[i + 1])
    allowed = slots >= 0
    if forbidden is not None:
        allowed &= ~forbidden[np.maximum(slots, 0)]
    if not allowed.any(axis=1).all():  # an issue with every option vetoed: no package
        return Frontier(np.zeros((0, space.n_issues), dtype=np.int64),
                        np.zeros((0, space.n_parties)), False)
    found: dict[bytes, np.ndarray] = {}
    for weights in weightings:
        score = np.where(allowed, (weights @ space.weights)[np.maximum(slots, 0)], -np.inf)
        package = np.argmax(score, axis=1).astype(np.int64)
        found.setdefault(utilities(space, package)[0].round(12).tobytes(), package)
    packages = np.array(list(found.values()), dtype=np.int64).reshape(-1, space.n_issues)
    return Frontier(packages, utilities(space, packages), False)
