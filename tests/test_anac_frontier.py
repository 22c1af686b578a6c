"""The exact frontier of every ANAC/GENIUS scenario small enough to enumerate equals brute
force; on the non-linear ones (up to 10^40 packages) it weakly dominates every point GENIUS
recorded, and the points GENIUS missed are checked with an independent evaluator (data read
from ../shared, never shipped)."""

from __future__ import annotations

from pathlib import Path

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from genius_reference import nonlinear_utility

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
        pytest.skip("not a scenario folder (see test_genius_formats)")
    space = compile_space(scenario)
    n, m = space.n_packages(), space.n_parties
    if space.terms and n > TWO_PARTY_LIMIT:
        pytest.skip("non-linear and past enumeration: see test_nonlinear_frontier_*")
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


NONLINEAR = [f for f in FOLDERS if (f / "pareto.xml").is_file()
             and any(ET.parse(x).getroot().get("type") == "nonlinear"
                     for x in f.glob("profile-*.xml"))]
BEYOND: dict[str, int] = {}


@pytest.mark.skipif(not NONLINEAR, reason="../shared/data/external/genius-anac is not here")
@pytest.mark.parametrize("folder", NONLINEAR, ids=lambda p: str(p.relative_to(ROOT)))
def test_nonlinear_frontier_dominates_what_genius_recorded(folder):
    """GENIUS's `pareto.xml` lists (u1, u2) pairs, divided by each party's `maxutility` as
    accord's utilities are, rounded to 8 digits. The exact frontier weakly dominates each;
    every frontier point beyond them is re-evaluated from the XML by an evaluator that
    shares no code with accord."""
    scenario = resolve(folder)
    space = compile_space(scenario)
    frontier = pareto_frontier(space)
    assert frontier.complete and frontier.method == "epsilon-constraint"
    recorded = np.array([[float(x) for x in line.split(",")]
                         for line in (folder / "pareto.xml").read_text().splitlines()
                         if line.strip()])
    ours = frontier.utilities
    for point in recorded:
        assert (ours >= point - 1e-6).all(axis=1).any(), (point, folder.name)
    # frontier points GENIUS did not reach (no recorded point is as good in both)
    beyond = [k for k, u in enumerate(ours) if not (recorded >= u - 1e-6).all(axis=1).any()]
    BEYOND[str(folder.relative_to(ROOT))] = len(beyond)
    domain = next(folder.glob("*domain.xml"))
    indices = [issue.get("index") for issue in ET.parse(domain).getroot().iter("issue")]
    profiles = sorted(folder.glob("profile-*.xml"))
    roots = [ET.parse(p).getroot() for p in profiles]
    for k in beyond:
        package = frontier.packages[k]
        bid = {indices[i]: scenario.issues[i].options[o].label for i, o in enumerate(package)}
        for p, root in enumerate(roots):
            assert nonlinear_utility(root, bid, cap=False) == pytest.approx(ours[k, p],
                                                                             abs=1e-12)
    assert len(ours) >= len(np.unique(recorded.round(6), axis=0))  # never fewer points
