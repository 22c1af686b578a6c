"""Analysis under a decision rule against brute force over every package and coalition."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import ruled_scenarios
from test_analysis_brute_force import near_tie

from accord.analysis import (
    all_solutions,
    blocking_sets,
    compile_space,
    egalitarian,
    relax,
    zone_of_agreement,
)
from accord.analysis.brute import (
    brute_passes,
    brute_passing_blocking_sets,
    brute_passing_margin,
    brute_passing_values,
    brute_values,
)
from accord.analysis.passing import accepting
from accord.model import Scenario

TOL = 1e-6


@given(ruled_scenarios())
def test_the_verdict_under_a_rule_equals_brute_force(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    verdict = zone_of_agreement(space)
    best = brute_passing_margin(space)
    if best is None:
        assert verdict.package is None and not verdict.exists
        return
    assert verdict.margin == pytest.approx(best, abs=TOL)
    assert verdict.exists == bool(brute_passes(space).any())
    if verdict.exists:  # the witness passes, carried by everyone who accepts it
        carried = accepting(space, verdict.package)[0]
        assert space.winning_rule.is_winning(carried)
        assert (verdict.coalition is None if space.unanimous
                else np.array_equal(verdict.coalition, carried))


@given(ruled_scenarios())
def test_every_solution_under_a_rule_reaches_its_definition(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    # under a rule that amounts to unanimity the classic values are reported (the Nash
    # product not divided by the ideal gains)
    expected = brute_values(space) if space.unanimous else brute_passing_values(space)
    found = all_solutions(space)
    if expected is None:
        assert found == {}
        return
    assert set(found) == set(expected)
    for name, solution in found.items():
        assert solution.value == pytest.approx(expected[name], rel=TOL, abs=TOL), name
        carried = accepting(space, solution.package)[0]
        assert space.winning_rule.is_winning(carried), f"{name} does not pass"
        assert (solution.coalition is None if space.unanimous
                else np.array_equal(solution.coalition, carried))
    alone = egalitarian(space)  # asked alone, as `analyze` asks it: the same optimum
    assert alone.value == pytest.approx(expected["egalitarian"], rel=TOL, abs=TOL)


@given(ruled_scenarios(max_issues=3, max_options=3, max_parties=3))
@settings(max_examples=60)
def test_blocking_sets_under_a_rule_are_exactly_the_minimal_relaxations(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    found = blocking_sets(space, max_sets=1000)
    expected = brute_passing_blocking_sets(space, max_size=len(space.demands()))
    assert {frozenset(b.demands) for b in found} == set(expected)
    for b in found:
        assert zone_of_agreement(relax(space, b.demands)).exists


@given(ruled_scenarios(), st.lists(st.floats(-3.0, 3.0), min_size=8, max_size=8))
def test_the_bottleneck_bound_is_the_best_winning_coalitions_smallest_value(scenario, draws):
    """`WinningRule.bottleneck` (the bound that keeps every max-min program's big-M tight)
    equals the max over winning coalitions of their smallest member's value."""
    rule = compile_space(scenario).winning_rule
    values = np.array(draws[:rule.n_parties])
    members, wins = rule.all_coalitions()
    expected = max((float(values[m].min()) for m, w in zip(members, wins) if w and m.any()),
                   default=-np.inf)
    assert rule.bottleneck(values) == expected


@given(ruled_scenarios(), st.lists(st.sampled_from([1e-3, 0.02, 1.0, 3.0]), min_size=4,
                                   max_size=4))
def test_asymmetric_nash_with_very_uneven_weights_reaches_its_definition(scenario, caps):
    """Capabilities far apart make a member's floor in the Nash search tiny (below
    `passing_bargaining.MIN_RATIO`): the search runs with tangents clamped there and falls
    back to the coalitions one by one when it cannot prove its answer."""
    parties = tuple(p.model_copy(update={"capability": c})
                    for p, c in zip(scenario.parties, caps))
    space = compile_space(scenario.model_copy(update={"parties": parties}))
    assume(not space.unanimous and not near_tie(space))
    expected = brute_passing_values(space)
    found = all_solutions(space)
    if expected is None:
        assert found == {}
        return
    assert found["asymmetric-nash"].value == pytest.approx(expected["asymmetric-nash"],
                                                           rel=TOL, abs=TOL)


def test_a_solver_start_never_stands_in_for_the_optimum():
    """HiGHS 1.16 can return the optimum's objective with the MIP start's values when its
    presolve solves the model outright; here the Nash search then kept a package worth 0.5
    (the utilitarian one it started from) where 1.0 is reachable. `Program.maximise`
    checks that values and objective agree and solves again without the start."""
    scenario = Scenario.build({
        "id": "start", "title": "start",
        "issues": [{"id": "a", "title": "a", "options": [{"id": f"o{k}", "label": f"o{k}"}
                                                          for k in range(3)]},
                   {"id": "b", "title": "b", "options": [{"id": "o0", "label": "o0"},
                                                         {"id": "o1", "label": "o1"}]}],
        "parties": [
            {"id": "p0", "name": "p0", "preferences": {
                "a": {"salience": 0.1, "valuations": {"o0": 0, "o1": 0, "o2": 0.1}},
                "b": {"salience": 0.1, "valuations": {"o0": 0.1, "o1": 0}}}},
            {"id": "p1", "name": "p1", "preferences": {
                "a": {"salience": 0.1, "valuations": {"o0": 0, "o1": 0.3, "o2": 0.25}},
                "b": {"salience": 0.1, "valuations": {"o0": 0, "o1": 0.25},
                      "red_lines": ["o1"]}}},
            {"id": "p2", "name": "p2", "reservation": -0.01, "preferences": {}}],
        "rule": {"at_least": 1, "required": ["p0"]}})
    space = compile_space(scenario)
    expected = brute_passing_values(space)
    found = all_solutions(space)
    for name in ("nash", "asymmetric-nash", "utilitarian", "egalitarian"):
        assert found[name].value == pytest.approx(expected[name], rel=TOL, abs=TOL), name
