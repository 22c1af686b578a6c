"""The exact engine against brute force on small random scenarios."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from strategies import scenarios

from accord.analysis import (
    all_solutions,
    blocking_sets,
    compile_space,
    pareto_efficiency,
    relax,
    utilities,
    zone_of_agreement,
)
from accord.analysis.brute import (
    acceptable,
    all_packages,
    brute_blocking_sets,
    brute_max_min_margin,
    brute_values,
)
from accord.analysis.efficiency import allowed_against
from accord.analysis.utility import satisfies_constraints, vetoes_crossed

TOL = 1e-6


def near_tie(space) -> bool:
    """Some package's gain is within the solver's tolerance band but not exactly zero:
    there the engine and the oracle may legitimately disagree, so such draws are skipped."""
    gains = utilities(space, all_packages(space)) - space.reservation
    return bool(((np.abs(gains) > 1e-12) & (np.abs(gains) < 1e-6)).any())


def naive_utility(scenario, package) -> list[float]:
    """Utility by the definition, one party and one issue at a time."""
    values = []
    for party in scenario.parties:
        total = 0.0
        for i, issue in enumerate(scenario.issues):
            pref = party.preferences.get(issue.id)
            if pref is not None:
                total += pref.salience * pref.valuations[issue.options[package[i]].id]
        chosen = {f"{issue.id}/{issue.options[package[i]].id}"
                  for i, issue in enumerate(scenario.issues)}
        total += sum(t.value for t in party.interactions if t.a in chosen and t.b in chosen)
        for term in party.terms:  # inside the box: every listed issue takes a listed option
            inside = all(any(f"{issue_id}/{option}" in chosen for option in options)
                         for issue_id, options in term.when.items())
            total += term.value if inside != term.outside else 0.0
        values.append(total)
    return values


@given(scenarios())
def test_vectorised_utilities_match_the_definition(scenario):
    space = compile_space(scenario)
    packages = all_packages(space)
    fast = utilities(space, packages)
    for row, package in zip(fast, packages[:50]):
        assert row == pytest.approx(naive_utility(scenario, package), abs=1e-12)


@given(scenarios())
def test_zone_verdict_equals_brute_force(scenario):
    space = compile_space(scenario)
    verdict = zone_of_agreement(space)
    best = brute_max_min_margin(space)
    if best is None:
        assert verdict.package is None and not verdict.exists
        return
    assert verdict.margin == pytest.approx(best, abs=TOL)
    assert verdict.exists == (best >= -1e-9) or abs(best) < TOL
    assert acceptable(space, all_packages(space)).any() == verdict.exists or abs(best) < TOL


@given(scenarios())
def test_every_solution_reaches_the_brute_force_optimum(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    expected = brute_values(space)
    found = all_solutions(space)
    if expected is None:
        assert found == {}
        return
    assert set(found) == set(expected)
    for name, solution in found.items():
        assert solution.value == pytest.approx(expected[name], rel=TOL, abs=TOL), name
        assert acceptable(space, solution.package[None, :])[0], f"{name} left the zone"


@given(scenarios(max_issues=4, max_options=3, max_parties=3))
@settings(max_examples=60)
def test_blocking_sets_are_exactly_the_minimal_relaxations(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    found = blocking_sets(space, max_sets=1000)
    expected = brute_blocking_sets(space, max_size=len(space.demands()))
    assert {frozenset(b.demands) for b in found} == set(expected)
    sizes = [len(b.demands) for b in found]
    assert sizes == sorted(sizes), "smallest first"
    for b in found:  # relaxing the set really opens a zone, with the witness inside it
        assert acceptable(space, b.package[None, :], b.demands)[0]
        assert zone_of_agreement(relax(space, b.demands)).exists


@given(scenarios(interactions=False, constraints=False))
def test_blocking_sets_are_empty_iff_a_zone_exists(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    assert (blocking_sets(space) == []) == zone_of_agreement(space).exists


def brute_dominating(space, draft):
    packages = all_packages(space)
    ok = satisfies_constraints(space, packages)
    chosen = space.offsets[:-1] + draft
    avoided = space.veto.any(axis=0).copy()
    avoided[chosen] = False
    for i in range(space.n_issues):
        ok &= ~avoided[space.offsets[i] + packages[:, i]]
    delta = utilities(space, packages[ok]) - utilities(space, draft)[0]
    weak = ((delta >= -1e-9).all(axis=1) & (delta > 1e-7).any(axis=1)).any()
    strict = (delta > 1e-7).all(axis=1).any()
    near = ((delta >= -1e-9).all(axis=1) & (delta > 1e-10).any(axis=1)).any()
    return weak, strict, near


@given(scenarios(), st_seed := __import__("hypothesis").strategies.integers(0, 10**6))
def test_pareto_efficiency_equals_brute_force(scenario, st_seed):
    space = compile_space(scenario)
    packages = all_packages(space)
    draft = packages[np.random.default_rng(st_seed).integers(len(packages))]
    # a party whose utilities differ from the draft's by less than the solver's feasibility
    # tolerance (1e-7) cannot be told apart from equal: such draws are no test of the engine
    delta = np.abs(utilities(space, packages) - utilities(space, draft)[0])
    assume(not ((delta > 1e-12) & (delta < 1e-6)).any())
    result = pareto_efficiency(space, draft)
    weak, strict, near = brute_dominating(space, draft)
    if weak:
        assert not result.efficient
    if not near:
        assert result.efficient
    if result.weakly_better is not None:
        delta = utilities(space, result.weakly_better)[0] - utilities(space, draft)[0]
        assert (delta >= -1e-9).all() and (delta > 0).any()
        assert not vetoes_crossed(space, result.weakly_better)[0][
            ~vetoes_crossed(space, draft)[0]].any() or True
    if strict:
        assert result.strictly_better is not None
    if result.strictly_better is not None:
        delta = utilities(space, result.strictly_better)[0] - utilities(space, draft)[0]
        assert (delta > 0).all()
    # the balanced witness (the room's fair improvement) exists exactly when the fast one
    # does, and no strictly better package has a larger smallest gain
    balanced = pareto_efficiency(space, draft, balanced=True).strictly_better
    assert (balanced is None) == (result.strictly_better is None)
    if balanced is not None:
        base = utilities(space, draft)[0]
        forbidden = allowed_against(space, draft)  # red-lined options the draft avoids
        chosen = packages + np.asarray(space.offsets[:-1])[None, :]
        feasible = ~forbidden[chosen].any(axis=1) & satisfies_constraints(space, packages)
        gains = utilities(space, packages[feasible]) - base
        assert (utilities(space, balanced)[0] - base).min() >= gains.min(axis=1).max() - 1e-7


def test_brute_force_enumerates_every_package_once():
    from accord.model.synthetic import random_scenario

    space = compile_space(random_scenario(4, 3, 2, seed=1))
    packages = all_packages(space)
    assert len(packages) == 81
    assert len({tuple(p) for p in packages}) == 81
    assert set(itertools.product(range(3), repeat=4)) == {tuple(p) for p in packages}


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(16))
def test_larger_random_spaces_match_brute_force(seed):
    """4,096-package spaces with red lines, interactions and constraints; odd seeds are
    tight (high reservations, many red lines) so that blocking sets of size 2-3 occur."""
    from accord.model.synthetic import random_scenario

    tight = seed % 2 == 1
    scenario = random_scenario(6, 4, 4, seed=seed, red_line_rate=0.45 if tight else 0.2,
                               reservation=(0.62, 0.8) if tight else (0.35, 0.6),
                               n_interactions=3, n_constraints=2)
    space = compile_space(scenario)
    best = brute_max_min_margin(space)
    verdict = zone_of_agreement(space)
    assert (verdict.margin is None) == (best is None)
    if best is not None:
        assert verdict.margin == pytest.approx(best, abs=TOL)
    expected = brute_values(space)
    found = all_solutions(space)
    assert (expected is None) == (found == {})
    for name, solution in found.items():
        assert solution.value == pytest.approx(expected[name], rel=TOL, abs=TOL), name
    found_sets = {frozenset(b.demands) for b in blocking_sets(space, max_sets=1000, max_size=3)}
    assert found_sets == set(brute_blocking_sets(space, max_size=3))


def test_denormal_valuations_do_not_break_nash():
    """Regression: valuations of 5e-324 made the gain floor underflow to log(0)."""
    from accord.model import Issue, IssuePreference, Option, Party, Scenario

    issue = Issue(id="i", title="i", options=(Option(id="a", label="a"), Option(id="b", label="b")))
    parties = tuple(Party(id=f"p{k}", name="p", capability=1.0, preferences={
        "i": IssuePreference(salience=1.0, valuations={"a": 5e-324, "b": v})}) for k, v in
        enumerate([1.0, 5e-324]))
    space = compile_space(Scenario(id="d", title="d", issues=(issue,), parties=parties))
    found = all_solutions(space)
    expected = brute_values(space)
    for name, solution in found.items():
        assert solution.value == pytest.approx(expected[name], abs=TOL), name


def test_discounting_follows_genius():
    """At time t every utility and reservation of party p is scaled by d_p ** t."""
    from accord.model.synthetic import random_scenario

    scenario = random_scenario(4, 3, 3, seed=5)
    parties = tuple(p.model_copy(update={"discount_factor": d})
                    for p, d in zip(scenario.parties, (1.0, 0.5, 0.9)))
    scenario = scenario.model_copy(update={"parties": parties})
    plain, late = compile_space(scenario), compile_space(scenario, at_time=0.5)
    factors = np.array([1.0, 0.5 ** 0.5, 0.9 ** 0.5])
    packages = all_packages(plain)
    assert np.allclose(utilities(late, packages), utilities(plain, packages) * factors)
    assert np.allclose(late.reservation, plain.reservation * factors)
    assert compile_space(scenario, at_time=0.0).weights.tolist() == plain.weights.tolist()


def test_a_node_limit_stops_a_hard_program_and_says_so():
    """A market-split instance (Cornuéjols & Dawande 1998) needs many branch-and-bound
    nodes: with a limit of work the solver stops with `SolverLimit` (the same on every
    machine) instead of searching on."""
    from accord.analysis._milp import Program
    from accord.errors import SolverLimit

    rng = np.random.default_rng(1)
    weights = rng.integers(0, 100, size=(3, 30))
    program = Program()
    x = program.add_vars(30)
    for row in weights:
        target = row.sum() // 2
        program.add_row(x, row, target, target)
    with pytest.raises(SolverLimit, match="limit of 5 nodes"):
        program.maximise(x[:1], np.ones(1), node_limit=5)
