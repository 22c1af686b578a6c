"""The solutions read off the exact frontier against the programs and brute force."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from strategies import ruled_scenarios, scenarios
from test_analysis_brute_force import TOL, near_tie

from accord.analysis import all_solutions, analyze, compile_space, utilities
from accord.analysis import frontier_solutions as fs
from accord.analysis.bargaining import GAIN_TOLERANCE, nash_weights
from accord.analysis.brute import acceptable, all_packages, brute_values
from accord.model import Issue, IssuePreference, Option, Party, Scenario

PIE = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external"
       / "genius-anac" / "other" / "pie")
TIE = 1e-12
"""Scores this close are one score (floating-point sums of the same values)."""
NEAR = 1e-6
"""Scores closer than this but not tied are near ties: the programs' tolerances may pick
either side, so no package is expected there."""


def _brute_scores(space) -> tuple[np.ndarray, np.ndarray, dict] | None:
    """Acceptable packages, their utilities and each solution's (score, tie-break by sum)."""
    packages = all_packages(space)
    packages = packages[acceptable(space, packages)]
    if not len(packages):
        return None
    u = utilities(space, packages)
    g = u - space.reservation
    span = u.max(axis=0) - space.reservation
    active = span > GAIN_TOLERANCE
    ks = (g[:, active] / span[active]).min(axis=1) if active.any() else np.zeros(len(g))

    def nash(w: np.ndarray) -> np.ndarray:
        weighted = g[:, w > 0]
        positive = (weighted > GAIN_TOLERANCE).all(axis=1)
        if not positive.any():  # the max-min over the weighted parties, then the sum
            return weighted.min(axis=1), True
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(positive[:, None], np.log(np.where(weighted > 0, weighted, 1.0)), 0)
        return np.where(positive, logs @ w[w > 0], -np.inf), False

    return packages, u, {
        "utilitarian": (u.sum(axis=1), False),
        "egalitarian": (g.min(axis=1), True),
        "kalai-smorodinsky": (ks, True),
        "nash": nash(np.ones(space.n_parties)),
        "asymmetric-nash": nash(nash_weights(space.capability)),
    }


def _optimal(score: np.ndarray, sums: np.ndarray, by_sum: bool) -> np.ndarray | None:
    """Mask of the optimal packages (ties within TIE; by the largest sum next when
    `by_sum`), or None when a near tie makes the optimum a matter of tolerance."""
    best = score.max()
    gap = best - score
    if ((gap > TIE * (1 + abs(best))) & (gap < NEAR)).any():
        return None
    tied = gap <= TIE * (1 + abs(best))
    if not by_sum:
        return tied
    top = sums[tied].max()
    short = top - sums
    if (tied & (short > TIE * (1 + abs(top))) & (short < NEAR)).any():
        return None
    return tied & (short <= TIE * (1 + abs(top)))


@given(scenarios())
@settings(max_examples=150)
def test_frontier_solutions_equal_the_programs_and_brute_force(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    frontier = fs.zone_frontier(space)
    assert frontier is not None, "small spaces are within the budget"
    fast = fs.solutions_from_frontier(space, frontier)
    slow = all_solutions(space, frontier=False)
    expected = brute_values(space)
    if expected is None:
        assert fast == {} and slow == {}
        return
    assert set(fast) == set(slow) == set(expected)
    packages, u, scores = _brute_scores(space)
    sums = u.sum(axis=1)
    for name, solution in fast.items():
        other = slow[name]
        assert solution.value == pytest.approx(expected[name], rel=TOL, abs=TOL), name
        assert other.value == pytest.approx(expected[name], rel=TOL, abs=TOL), name
        assert acceptable(space, solution.package[None, :])[0], f"{name} left the zone"
        assert np.array_equal(solution.utilities, utilities(space, solution.package)[0])
        score, by_sum = scores[name]
        # the frontier breaks every tie by the largest sum (the programs: only max-min's)
        optimal = _optimal(score, sums, True)
        if optimal is not None:
            chosen = np.flatnonzero((packages == solution.package).all(axis=1))
            assert optimal[chosen].all(), f"{name}: the frontier's package is not optimal"
        optimal = _optimal(score, sums, by_sum)
        if optimal is None:
            continue
        vectors = u[optimal]
        if np.abs(vectors - vectors[0]).max() <= 1e-9:  # one optimal utility vector
            assert np.abs(solution.utilities - vectors[0]).max() <= 1e-9, name
            assert np.abs(other.utilities - vectors[0]).max() <= 1e-9, name
            if optimal.sum() == 1:
                assert np.array_equal(solution.package, other.package), name


@given(scenarios(max_issues=4, max_options=3))
@settings(max_examples=40)
def test_all_solutions_and_analyze_take_the_frontier_and_agree(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    fast, slow = all_solutions(space), all_solutions(space, frontier=False)
    assert set(fast) == set(slow)
    for name in fast:
        assert fast[name].value == pytest.approx(slow[name].value, rel=TOL, abs=TOL), name
    found = analyze(scenario, profile_drafts=False)
    assert set(found.solutions) == (set(fast) if found.zone.exists else set(fast) - {
        "egalitarian"})
    for name, solution in found.solutions.items():
        assert np.array_equal(solution.package, fast[name].package), name


@given(scenarios(max_issues=4, max_options=3))
@settings(max_examples=60)
def test_a_callers_frontier_gives_the_same_solutions(scenario):
    """`all_solutions(space, frontier=pareto_frontier(space))` reads the caller's frontier
    only when it is that of the packages no party vetoes (red lines respected, or none in
    the space), and the answers are those of its own zone frontier either way."""
    from accord.analysis import pareto_frontier

    space = compile_space(scenario)
    expected = all_solutions(space)
    for respect in (False, True):
        given_frontier = pareto_frontier(space, respect)
        assert given_frontier.red_lines_respected == (respect or not space.veto.any())
        assert fs.usable(space, given_frontier) == given_frontier.red_lines_respected
        found = all_solutions(space, frontier=given_frontier)
        assert set(found) == set(expected)
        for name, solution in found.items():
            assert np.array_equal(solution.package, expected[name].package), name
            assert solution.value == expected[name].value, name
    unused = fs.frontier_solutions(space, known=pareto_frontier(space, False))
    own = fs.frontier_solutions(space)
    assert {n: s.package.tolist() for n, s in unused.items()} == {
        n: s.package.tolist() for n, s in own.items()}


def test_a_frontier_with_vetoed_packages_is_not_read():
    """On a space with red lines, the caller's frontier of every package holds vetoed
    packages: the solutions come from the zone frontier instead, never from it."""
    from accord.analysis import pareto_frontier
    from accord.io import resolve

    space = compile_space(resolve("ukraine-2025"))
    assert space.veto.any()
    everything = pareto_frontier(space, False)
    assert everything.complete and not everything.red_lines_respected
    assert not fs.usable(space, everything)
    found = all_solutions(space, frontier=everything)
    expected = all_solutions(space)
    assert {n: s.package.tolist() for n, s in found.items()} == {
        n: s.package.tolist() for n, s in expected.items()}


@given(ruled_scenarios())
@settings(max_examples=10)
def test_no_frontier_under_a_rule(scenario):
    space = compile_space(scenario)
    assume(not space.unanimous)  # a rule every coalition of all must meet: unanimity
    assert fs.zone_frontier(space) is None


def test_past_the_budget_the_programs_answer(monkeypatch):
    from accord.model.synthetic import random_scenario

    space = compile_space(random_scenario(5, 3, 3, seed=2))
    assert fs.zone_frontier(space, max_states=5) is None
    monkeypatch.setattr(fs, "MAX_STATES", 5)
    assert fs.frontier_solutions(space) is None
    fast = all_solutions(space)  # programs, through the fall-back
    expected = brute_values(space)
    assert set(fast) == set(expected)
    for name, solution in fast.items():
        assert solution.value == pytest.approx(expected[name], rel=TOL, abs=TOL), name


def _pie(size: int = 1001) -> Scenario:
    """GENIUS's `pie`: one issue of `size` splits, each party's share linear in it."""
    options = tuple(Option(id=f"s{k}", label=f"{k}") for k in range(size))
    issue = Issue(id="split", title="split", options=options)
    top = size - 1
    parties = tuple(Party(id=f"p{p}", name=f"p{p}", capability=1.0, preferences={
        "split": IssuePreference(salience=1.0, valuations={
            f"s{k}": (k if p == 0 else top - k) / top for k in range(size)})})
        for p in range(2))
    return Scenario(id="pie", title="pie", issues=(issue,), parties=parties)


@pytest.mark.parametrize("source", ["built", "shared"])
def test_pie_solutions_agree_between_frontier_and_programs(source):
    """One issue of 1,001 options: the programs took ~21 s here (issue 21); the frontier
    answers at once, and both give the even split (every package has sum 1: the
    utilitarian package is any)."""
    if source == "shared":
        if not PIE.is_dir():
            pytest.skip("../shared/data/external/genius-anac is not here")
        from accord.io import resolve

        scenario = resolve(str(PIE))
    else:
        scenario = _pie()
    space = compile_space(scenario)
    fast, slow = all_solutions(space), all_solutions(space, frontier=False)
    assert list(fast) == list(slow)
    for name in fast:
        assert fast[name].value == pytest.approx(slow[name].value, rel=1e-9, abs=1e-9), name
        assert np.allclose(fast[name].utilities, slow[name].utilities, atol=1e-9) or (
            name == "utilitarian"), name
        if name != "utilitarian":
            assert np.array_equal(fast[name].package, slow[name].package), name
            assert np.allclose(fast[name].utilities, [0.5, 0.5], atol=1e-12), name
    assert fast["nash"].value == pytest.approx(0.25, abs=1e-12)
