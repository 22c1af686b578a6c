"""The exact frontier of every ANAC/GENIUS scenario small enough to enumerate equals brute
force (data read from ../shared, never shipped)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.analysis import compile_space, pareto_frontier, utilities
from accord.analysis.brute import all_packages
from accord.errors import ScenarioError
from accord.io import resolve

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external" / "genius-anac"
FOLDERS = sorted(p for p in list(ROOT.glob("anac/y20*/*")) + list(ROOT.glob("other/*"))
                 if p.is_dir()) if ROOT.is_dir() else []
TWO_PARTY_LIMIT = 2_000_000  # a sort-based oracle handles these quickly
PAIRWISE_LIMIT = 5_000  # the pairwise definition, any number of parties


def oracle_two(points: np.ndarray) -> set[tuple]:
    """2 parties: a point is Pareto-optimal iff no point has a larger first utility and an
    at-least-as-large second one, and no point with the same first has a larger second."""
    first, second = points[:, 0], points[:, 1]
    values, group = np.unique(first, return_inverse=True)
    best_second = np.full(len(values), -np.inf)
    np.maximum.at(best_second, group, second)
    better_first = np.concatenate([np.maximum.accumulate(best_second[::-1])[::-1][1:], [-np.inf]])
    keep = (second >= best_second[group]) & (second > better_first[group])
    return {tuple(np.round(p, 9)) for p in points[keep]}


def oracle_pairwise(points: np.ndarray) -> set[tuple]:
    result = set()
    for p in points:
        if not ((points >= p).all(axis=1) & (points > p).any(axis=1)).any():
            result.add(tuple(np.round(p, 9)))
    return result


@pytest.mark.skipif(not FOLDERS, reason="../shared/data/external/genius-anac is not here")
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_anac_frontier_equals_brute_force(folder):
    try:
        scenario = resolve(folder)
    except ScenarioError:
        pytest.skip("not a linear additive scenario (see test_genius_formats)")
    space = compile_space(scenario)
    n, m = space.n_packages(), space.n_parties
    if not ((m == 2 and n <= TWO_PARTY_LIMIT) or n <= PAIRWISE_LIMIT):
        pytest.skip(f"{n:,} packages x {m} parties: too many to enumerate here")
    points = utilities(space, all_packages(space))
    expected = oracle_two(points) if m == 2 else oracle_pairwise(points)
    frontier = pareto_frontier(space)
    assert frontier.complete
    assert {tuple(np.round(u, 9)) for u in frontier.utilities} == expected
    assert np.allclose(utilities(space, frontier.packages), frontier.utilities)


def test_most_anac_scenarios_are_checked():
    if not FOLDERS:
        pytest.skip("no shared data")
    checked = 0
    for folder in FOLDERS:
        try:
            space = compile_space(resolve(folder))
        except ScenarioError:
            continue
        n, m = space.n_packages(), space.n_parties
        checked += (m == 2 and n <= TWO_PARTY_LIMIT) or n <= PAIRWISE_LIMIT
    assert checked >= 120
