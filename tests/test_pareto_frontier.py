"""The exact frontier against brute force: non-dominated and complete (2-5 parties)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import scenarios

from accord.analysis import compile_space, utilities
from accord.analysis import _nondominated
from accord.analysis._nondominated import block_sweep, nondominated
from accord.analysis.brute import all_packages
from accord.analysis.pareto import frontier_sample, pareto_frontier
from accord.analysis.utility import satisfies_constraints, vetoes_crossed


def brute_frontier(points: np.ndarray, digits: int | None = 9) -> set[tuple]:
    """Distinct non-dominated rows by pairwise comparison (the definition); rounded to
    `digits` decimals, or exact with None."""
    result = set()
    for p in points:
        dominated = ((points >= p).all(axis=1) & (points > p).any(axis=1)).any()
        if not dominated:
            result.add(tuple(p) if digits is None else tuple(np.round(p, digits)))
    return result


def feasible(space, packages, respect_red_lines):
    ok = satisfies_constraints(space, packages)
    if respect_red_lines:
        ok &= ~vetoes_crossed(space, packages).any(axis=1)
    return packages[ok]


@st.composite
def point_sets(draw):
    m = draw(st.integers(1, 5))
    n = draw(st.integers(0, 80))
    grid = draw(st.booleans())
    values = st.integers(0, 4).map(float) if grid else st.floats(0, 1, allow_nan=False)
    return np.array(draw(st.lists(st.lists(values, min_size=m, max_size=m),
                                  min_size=n, max_size=n)), dtype=float).reshape(n, m)


@given(point_sets())
def test_nondominated_filter_equals_the_definition(points):
    kept = nondominated(points)
    assert len(set(kept.tolist())) == len(kept)
    got = {tuple(points[i]) for i in kept}  # exact: the filter compares exact floats
    assert got == brute_frontier(points, digits=None)
    assert len(kept) == len(got), "one index per distinct vector"
    for i in kept:  # and that index is the vector's first (the packages kept are stable)
        assert not (points[:i] == points[i]).all(axis=1).any()


@given(scenarios(max_issues=5, max_options=4, max_parties=5), st.booleans())
@settings(max_examples=80)
def test_frontier_is_non_dominated_and_complete(scenario, respect_red_lines):
    space = compile_space(scenario)
    frontier = pareto_frontier(space, respect_red_lines=respect_red_lines)
    assert frontier.complete
    pool = feasible(space, all_packages(space), respect_red_lines)
    expected = brute_frontier(utilities(space, pool)) if len(pool) else set()
    got = {tuple(np.round(u, 9)) for u in frontier.utilities}
    assert got == expected  # complete (up to rounding)
    if len(pool):  # non-dominated, exactly
        points = utilities(space, pool)
        for u in utilities(space, frontier.packages):
            assert not ((points >= u).all(axis=1) & (points > u).any(axis=1)).any()
    if frontier.size:  # every listed package is allowed and has the listed utilities
        assert len(feasible(space, frontier.packages, respect_red_lines)) == frontier.size
        assert np.allclose(utilities(space, frontier.packages), frontier.utilities)


@pytest.mark.parametrize("parties", [2, 3, 4, 5])
def test_frontier_of_generated_spaces_matches_brute_force(parties):
    from accord.model.synthetic import random_scenario

    scenario = random_scenario(7, 3, parties, seed=parties, n_interactions=2, n_constraints=1)
    space = compile_space(scenario)
    frontier = pareto_frontier(space)
    pool = feasible(space, all_packages(space), False)
    assert {tuple(np.round(u, 9)) for u in frontier.utilities} == brute_frontier(
        utilities(space, pool))


def test_budget_stops_cleanly_and_the_sample_is_pareto_optimal():
    from accord.model.synthetic import random_scenario

    space = compile_space(random_scenario(8, 3, 4, seed=2))
    stopped = pareto_frontier(space, max_states=50)
    assert not stopped.complete and stopped.size == 0 and stopped.states_reached > 50
    exact = {tuple(np.round(u, 9)) for u in pareto_frontier(space).utilities}
    sample = frontier_sample(space, count=40, seed=1)
    assert 0 < sample.size <= 40
    for u in sample.utilities:
        assert tuple(np.round(u, 9)) in exact


def test_progress_is_reported_per_issue():
    from accord.model.synthetic import random_scenario

    calls = []
    pareto_frontier(compile_space(random_scenario(6, 3, 3, seed=0)),
                    progress=lambda done, total: calls.append((done, total)))
    assert calls == [(k, 6) for k in range(1, 7)]


@pytest.mark.parametrize("m", [3, 4])
def test_fast_sweeps_agree_with_the_general_sweep_on_large_sets(m):
    """The O(n log n) and O(n log^2 n) sweeps against the plain one, with many ties."""
    pytest.importorskip("numba")  # the `fast` extra
    from accord.analysis import _sweeps

    rng = np.random.default_rng(m)
    for n in (1, 2, 3, 1000, 4097):
        points = np.round(rng.random((n, m)), 2)
        kept = nondominated(points)
        order = np.lexsort(tuple(-points[:, k] for k in range(m - 1, -1, -1)))
        ordered = points[order]
        distinct = np.ones(n, dtype=bool)
        distinct[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
        reference = order[distinct][_sweeps.sweep_general(np.ascontiguousarray(ordered[distinct]))]
        assert sorted(kept.tolist()) == sorted(reference.tolist())


def _ordered_distinct(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    m = points.shape[1]
    order = np.lexsort(tuple(-points[:, k] for k in range(m - 1, -1, -1)))
    ordered = points[order]
    distinct = np.ones(len(points), dtype=bool)
    distinct[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    return order[distinct], ordered[distinct]


@given(point_sets())
def test_block_sweep_equals_the_definition(points):
    """The numpy sweep (no numba, or small inputs) on its own, whatever the input size."""
    if points.shape[1] < 2 or len(points) == 0:
        return
    order, ordered = _ordered_distinct(points)
    got = {tuple(points[i]) for i in order[block_sweep(ordered)]}
    assert got == brute_frontier(points, digits=None)


@pytest.mark.parametrize("m", [3, 4, 5, 6])
def test_block_sweep_agrees_with_the_compiled_sweeps_past_its_blocks(m):
    """Across the growing blocks (32, 64, ... 2048 rows) and with many ties."""
    pytest.importorskip("numba")
    from accord.analysis import _sweeps

    rng = np.random.default_rng(10 + m)
    for n in (31, 33, 100, 2100, 6000):
        for digits in (1, 2, 6):
            points = np.round(rng.random((n, m)), digits)
            order, ordered = _ordered_distinct(points)
            reference = _sweeps.sweep_general(np.ascontiguousarray(ordered))
            assert np.array_equal(block_sweep(ordered), reference)


@pytest.mark.parametrize("parties", [3, 4, 5])
def test_frontier_without_numba_is_the_same_frontier(monkeypatch, parties):
    """`accord[fast]` absent: every step through the numpy sweep, the same packages; the
    budget then counts candidates x kept states for every number of parties."""
    from accord.model.synthetic import random_scenario

    pytest.importorskip("numba")
    space = compile_space(random_scenario(12, 3, parties, seed=parties, n_interactions=2))
    monkeypatch.setattr(_nondominated, "SMALL_INPUT", 0)  # every step compiled
    compiled = pareto_frontier(space)
    monkeypatch.setattr(_nondominated, "COMPILED", False)
    plain = pareto_frontier(space)
    assert compiled.complete and plain.complete
    assert np.array_equal(plain.packages, compiled.packages)
    assert np.array_equal(plain.utilities, compiled.utilities)
    stopped = pareto_frontier(space, max_work=1_000)
    assert not stopped.complete and stopped.states_reached > 0
