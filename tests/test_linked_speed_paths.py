"""Issue 21's faster formulation of linked spaces (terms over several issues) against
brute force: `monotone` indicators, the rows bounding pairs of issues together, the work
settings, and the Nash solution's incumbent from the ideal and utilitarian packages."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from strategies import scenarios
from test_analysis_brute_force import TOL, near_tie

from accord.analysis import compile_space, nash_bargaining_solution, utilitarian, zone_of_agreement
from accord.analysis._milp import PackageProgram
from accord.analysis.bargaining import nash_weights
from accord.analysis.brute import acceptable, all_packages, brute_max_min_margin, brute_values
from accord.analysis.space import Space
from accord.analysis.utility import satisfies_constraints, utilities

LINKED = scenarios(max_issues=4, max_options=4, max_parties=3)


def _linked(space: Space) -> bool:
    return any(len(term.groups) >= 2 for term in space.terms)


@given(LINKED)
@settings(max_examples=80)
def test_zone_margin_equals_brute_force(scenario):
    space = compile_space(scenario)
    verdict = zone_of_agreement(space)
    best = brute_max_min_margin(space)
    if best is None:
        assert verdict.package is None and not verdict.exists
        return
    assert verdict.margin == pytest.approx(best, abs=TOL)
    assert verdict.exists == (best >= -1e-9) or abs(best) < TOL


@given(LINKED)
@settings(max_examples=80)
def test_nash_and_utilitarian_values_equal_brute_force(scenario):
    space = compile_space(scenario)
    assume(not near_tie(space))
    expected = brute_values(space)
    util = utilitarian(space)
    nash = nash_bargaining_solution(space)  # alone: its own ideal and utilitarian candidates
    asym = nash_bargaining_solution(space, nash_weights(space.capability), name="asymmetric-nash")
    if expected is None:
        assert util is None and nash is None and asym is None
        return
    for name, found in (("utilitarian", util), ("nash", nash), ("asymmetric-nash", asym)):
        assert found is not None, name
        assert found.value == pytest.approx(expected[name], rel=TOL, abs=TOL), name
        assert acceptable(space, found.package[None, :])[0], f"{name} left the zone"


@given(LINKED)
@settings(max_examples=60)
def test_pair_rows_keep_every_package_exact(scenario):
    """Without `monotone`, indicators equal their terms at every integer point: fixing the
    package, each party's utility in the program is its true utility (the rows bounding
    pairs of issues together cut off no package)."""
    space = compile_space(scenario)
    assume(_linked(space))
    packages = all_packages(space)
    packages = packages[satisfies_constraints(space, packages)][:20]
    expected = utilities(space, packages)
    for package, want in zip(packages, expected):
        for p in range(space.n_parties):
            for sign in (1.0, -1.0):  # the utility is pinned from above and from below
                program = PackageProgram(space)
                chosen = set(space.package_vars(package).tolist())
                for v in range(space.n_vars):
                    program.lower[program.x[v]] = program.upper[program.x[v]] = float(v in chosen)
                index, coef = program.utility(p)
                result = program.maximise(index, sign * coef)
                assert result is not None
                assert sign * result.objective == pytest.approx(want[p], abs=1e-7)


def test_pair_rows_bound_the_indicators_of_one_option_together():
    """Interactions of i0/o0 with i1/o0 and with i1/o1 give the row `y_00 + y_01 <= x_a`
    (at most one option of i1 is chosen), and the max-min margin stays exact."""
    from accord.model import Interaction, Issue, IssuePreference, Option, Party, Scenario

    issues = tuple(Issue(id=f"i{i}", title=f"i{i}", options=tuple(
        Option(id=f"o{o}", label=f"o{o}") for o in range(2))) for i in range(2))
    prefs = {issue.id: IssuePreference(salience=0.5, valuations={"o0": 0.2, "o1": 1.0})
             for issue in issues}
    party = Party(id="p", name="p", reservation=0.0, preferences=prefs, interactions=(
        Interaction(a="i0/o0", b="i1/o0", value=0.9), Interaction(a="i0/o0", b="i1/o1", value=0.4)))
    space = compile_space(Scenario(id="s", title="s", issues=issues, parties=(party,)))
    program = PackageProgram(space, monotone=True)
    ys = sorted(program._indicators.values())
    assert len(ys) == 2
    rows = [(set(index.tolist()), coef.tolist()) for index, coef, _, upper in program.rows
            if upper == 0.0 and len(index) == 3]
    assert ({*ys, int(program.x[0])}, [-1.0, 1.0, 1.0]) in [
        (index, sorted(coef)) for index, coef in rows]
    assert zone_of_agreement(space).margin == pytest.approx(brute_max_min_margin(space))
