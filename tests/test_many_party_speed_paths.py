"""Many parties, faster: the work settings of the max-min programs (`MAX_MIN_WORK`: cuts at
the root only), of the programs that start at their optimum or solve at their root (the
second stage of a max-min, the Nash rounds: `FEW_HEURISTICS`), and `analyze` running the
solutions' programs on its threads, against brute force and against the same programs
run one after another."""

from __future__ import annotations

import sys
from unittest import mock

import numpy as np
import pytest
from hypothesis import assume, given, settings
from strategies import scenarios
from test_analysis_brute_force import TOL, near_tie

from accord.analysis import all_solutions, analyze, compile_space, zone_of_agreement
from accord.analysis._milp import FEW_HEURISTICS, MAX_MIN_WORK, Program
from accord.analysis.bargaining import (
    SOLUTION_NAMES,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining_solution,
    nash_weights,
    solution_tasks,
)
from accord.analysis.brute import acceptable, all_packages, brute_max_min_margin, brute_values
from accord.analysis.utility import utilities
from accord.model.synthetic import random_scenario

UNLINKED = scenarios(max_issues=4, max_options=3, max_parties=8, interactions=False)
"""Up to 81 packages and up to 8 parties, without terms: the spaces that take the new
settings (spaces with terms keep LINKED_WORK)."""
LINKED = scenarios(max_issues=4, max_options=3, max_parties=4)


def _near_ties_at_the_top(score: np.ndarray) -> bool:
    """Some package's score is within the programs' tolerances of the best but not equal
    to it: either may be the answer there."""
    gap = score.max() - score
    return bool(((gap > 1e-12) & (gap < 1e-6)).any())


@given(UNLINKED)
@settings(max_examples=80)
def test_max_min_programs_reach_the_brute_force_optimum(scenario):
    _check_max_min_programs(scenario)


@given(LINKED)
@settings(max_examples=60)
def test_max_min_programs_with_terms_reach_the_brute_force_optimum(scenario):
    """Spaces with terms keep LINKED_WORK; their second stages and Nash rounds also run
    with FEW_HEURISTICS."""
    _check_max_min_programs(scenario)
    space = compile_space(scenario)
    if near_tie(space) or (expected := brute_values(space)) is None:
        return
    for name, weights in (("nash", None), ("asymmetric-nash", nash_weights(space.capability))):
        found = nash_bargaining_solution(space, weights, name=name)
        assert found.value == pytest.approx(expected[name], rel=TOL, abs=TOL), name


def _check_max_min_programs(scenario) -> None:
    space = compile_space(scenario)
    assume(not near_tie(space))
    verdict = zone_of_agreement(space)
    best = brute_max_min_margin(space)
    if best is None:
        assert verdict.package is None
        return
    assert verdict.margin == pytest.approx(best, abs=TOL)
    expected = brute_values(space)
    if expected is None or not verdict.exists:
        return
    packages = all_packages(space)
    inside = packages[acceptable(space, packages)]
    u = utilities(space, inside)
    egal = egalitarian(space, verdict.package)
    ks = kalai_smorodinsky(space)
    assert egal.value == pytest.approx(expected["egalitarian"], abs=TOL)
    assert ks.value == pytest.approx(expected["kalai-smorodinsky"], abs=TOL)
    for found in (egal, ks):
        assert acceptable(space, found.package[None, :])[0]
    gains = (u - space.reservation).min(axis=1)
    if not _near_ties_at_the_top(gains):  # the tie-break: the largest sum among the best
        top = gains >= gains.max() - 1e-9
        assert egal.utilities.sum() == pytest.approx(u[top].sum(axis=1).max(), abs=TOL)


@given(UNLINKED)
@settings(max_examples=60)
def test_nash_rounds_reach_the_brute_force_optimum(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    expected = brute_values(space)
    nash = nash_bargaining_solution(space)
    asym = nash_bargaining_solution(space, nash_weights(space.capability),
                                    name="asymmetric-nash")
    if expected is None:
        assert nash is None and asym is None
        return
    for name, found in (("nash", nash), ("asymmetric-nash", asym)):
        assert found.value == pytest.approx(expected[name], rel=TOL, abs=TOL), name
        assert acceptable(space, found.package[None, :])[0], name


def _programs_only():
    """`analyze` solving the programs even where a small frontier would answer."""
    module = sys.modules["accord.analysis.analyze"]  # the package exports the function
    return mock.patch.object(module, "frontier_solutions", lambda *args: None)


def _same(found: dict, expected: dict) -> None:
    assert list(found) == list(expected)  # the same solutions, in the same order
    for name in expected:
        assert np.array_equal(found[name].package, expected[name].package), name
        assert found[name].value == expected[name].value, name


@given(UNLINKED)
@settings(max_examples=40)
def test_analyze_on_threads_finds_what_the_programs_find_in_sequence(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    with _programs_only():
        analyses = [analyze(scenario, profile_drafts=False, workers=w) for w in (1, 2)]
    zone = zone_of_agreement(space)
    expected = all_solutions(space, zone.package, frontier=False) if zone.exists else {}
    for analysis in analyses:
        _same(analysis.solutions, expected)
    values = brute_values(space)
    if values is None or not zone.exists:
        return
    for name, solution in analyses[0].solutions.items():
        assert solution.value == pytest.approx(values[name], rel=TOL, abs=TOL), name


@pytest.mark.parametrize("seed", [0, 1])
def test_analyze_of_eight_parties_equals_the_sequential_programs(seed):
    """A generated 12 x 3 x 8 scenario (no frontier small enough to read them off): the
    solutions `analyze` runs on its threads are those of `all_solutions`, and every stage
    is reported from its start to its end."""
    scenario = random_scenario(12, 3, 8, seed=seed)
    space = compile_space(scenario)
    events: list = []
    analysis = analyze(scenario, progress=lambda *event: events.append(event))
    zone = zone_of_agreement(space)
    assert zone.exists
    _same(analysis.solutions, all_solutions(space, zone.package, frontier=False))
    assert list(analysis.solutions) == list(SOLUTION_NAMES)
    stages: dict[str, list] = {}
    for name, done, total in events:
        stages.setdefault(name, []).append((done, total))
    assert set(SOLUTION_NAMES) | {"ideal points", "zone of agreement"} <= set(stages)
    for name, reports in stages.items():
        assert reports[0][0] == 0 and reports[-1][0] == reports[-1][1], (name, reports)


def test_solution_tasks_without_a_zone():
    scenario = random_scenario(6, 3, 4, seed=0, reservation=(2.0, 3.0))  # nobody reaches it
    util, tasks = solution_tasks(compile_space(scenario))
    assert util is None and tasks == {}


def test_the_settings_are_work_settings_only():
    """Never a gap, a tolerance or a limit: the optimum proven is the same."""
    for settings_ in (MAX_MIN_WORK, FEW_HEURISTICS):
        for name in settings_:
            assert not any(word in name for word in ("gap", "tolerance", "limit", "time"))
            assert name.startswith("mip_")
    assert Program.solver_options == {}  # the class default is never changed in place
