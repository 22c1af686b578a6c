"""Values over several points at once (terms): the exact two-party frontier by ε-constraint
walks and the merged-options quotient, against brute force on small spaces."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import scenarios

from accord.analysis import compile_space, pareto_frontier, utilities
from accord.analysis.brute import all_packages
from accord.analysis.pareto_pairs import epsilon_frontier, utility_unit
from accord.analysis.quotient import merge_equivalent_options
from accord.analysis.utility import satisfies_constraints, vetoes_crossed
from accord.io import load_scenario, loads_scenario


def brute_frontier(space, respect_red_lines: bool) -> set[tuple]:
    """Distinct Pareto-optimal utility vectors by the definition, over every package."""
    packages = all_packages(space)
    ok = satisfies_constraints(space, packages)
    if respect_red_lines:
        ok &= ~vetoes_crossed(space, packages).any(axis=1)
    points = np.unique(utilities(space, packages[ok]).round(9), axis=0)
    keep = [p for p in points
            if not ((points >= p).all(axis=1) & (points > p).any(axis=1)).any()]
    return {tuple(p) for p in keep}


def two_party(scenario) -> bool:
    return len(scenario.parties) == 2


def well_separated(space, points: set[tuple]) -> bool:
    """No two distinct frontier utilities of a party closer than the walk's resolution
    (without a common unit the walk steps by 1e-6 of the range: closer points may merge)."""
    for party in range(2):
        if utility_unit(space, party) is not None:
            continue
        values = np.unique([p[party] for p in points])
        if len(values) > 1 and np.diff(values).min() < 1e-4:
            return False
    return True


@given(scenarios(max_issues=4, max_options=3, max_parties=2).filter(two_party), st.booleans())
def test_epsilon_frontier_equals_brute_force(scenario, respect_red_lines):
    space = compile_space(scenario)
    expected = brute_frontier(space, respect_red_lines)
    assume(well_separated(space, expected))
    packages, values, complete, _ = epsilon_frontier(space, respect_red_lines)
    assert complete
    assert {tuple(v) for v in values.round(9)} == expected
    assert np.allclose(utilities(space, packages), values)
    assert len(values) == len(expected)  # one package per distinct utility vector


@given(scenarios(max_issues=4, max_options=4, max_parties=3))
def test_merging_equivalent_options_keeps_every_utility_vector(scenario):
    space = compile_space(scenario)
    quotient = merge_equivalent_options(space)
    assert quotient.space.n_vars <= space.n_vars
    merged = quotient.lift(all_packages(quotient.space))
    kept = {tuple(u) for u in utilities(space, merged).round(9)}
    every = {tuple(u) for u in utilities(space, all_packages(space)).round(9)}
    assert kept == every  # the merged space reaches every utility vector, and no other
    assert np.allclose(utilities(quotient.space, all_packages(quotient.space)),
                       utilities(space, merged))
    assert (satisfies_constraints(quotient.space, all_packages(quotient.space))
            == satisfies_constraints(space, merged)).all()


SANCTIONS = """
id: sanctions
title: Sanctions relief only with a ceasefire and monitoring
issues:
  - {id: ceasefire, title: Ceasefire, options: [{id: none, label: None}, {id: full, label: Full}]}
  - {id: monitoring, title: Monitoring, options: [{id: none, label: None},
     {id: un, label: UN}, {id: osce, label: OSCE}]}
  - {id: sanctions, title: Sanctions, options: [{id: kept, label: Kept},
     {id: eased, label: Eased}, {id: lifted, label: Lifted}]}
parties:
  - id: east
    name: East
    preferences:
      ceasefire: {salience: 0.2, valuations: {none: 1.0, full: 0.0}}
      sanctions: {salience: 0.3, valuations: {kept: 0.0, eased: 0.6, lifted: 1.0}}
    terms:
      - {value: 0.5, when: {sanctions: [eased, lifted], ceasefire: [full], monitoring: [un, osce]},
         note: relief is worth it only with a ceasefire under monitors}
  - id: west
    name: West
    preferences:
      ceasefire: {salience: 0.6, valuations: {none: 0.0, full: 1.0}}
      monitoring: {salience: 0.2, valuations: {none: 0.0, un: 0.8, osce: 1.0}}
    terms:
      - {value: 0.3, when: {sanctions: [kept]}, outside: true,
         note: a cost whenever sanctions move}
"""


def test_a_term_is_worth_its_value_exactly_inside_its_box():
    scenario = loads_scenario(SANCTIONS.encode(), "sanctions.yaml")
    space = compile_space(scenario)
    packages = all_packages(space)
    u = utilities(space, packages)
    names = [space.describe_package(p) for p in packages]
    for row, chosen in zip(u, names):
        inside = (chosen["sanctions"] in ("eased", "lifted") and chosen["ceasefire"] == "full"
                  and chosen["monitoring"] in ("un", "osce"))
        east = (0.2 * (chosen["ceasefire"] == "none")
                + 0.3 * {"kept": 0.0, "eased": 0.6, "lifted": 1.0}[chosen["sanctions"]]
                + 0.5 * inside)
        west = (0.6 * (chosen["ceasefire"] == "full")
                + 0.2 * {"none": 0.0, "un": 0.8, "osce": 1.0}[chosen["monitoring"]]
                + 0.3 * (chosen["sanctions"] != "kept"))
        assert row == pytest.approx([east, west], abs=1e-12)
    # the recursion (one linked group of 18) and the ε walk find the same frontier
    recursion = pareto_frontier(space)
    packages, values, complete, _ = epsilon_frontier(space)
    assert recursion.method == "recursion" and complete
    assert ({tuple(v) for v in recursion.utilities.round(9)}
            == {tuple(v) for v in values.round(9)})


def test_bad_terms_are_located(tmp_path):
    text = SANCTIONS.replace("monitoring: [un, osce]}", "monitoring: [un, nato]}").replace(
        "when: {sanctions: [kept]}", "when: {sanction: [kept]}")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    from accord.errors import ScenarioError
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert "parties[0].terms[0].when.monitoring[1]: unknown option 'nato'" in message
    assert "parties[1].terms[0].when.sanction: unknown issue 'sanction'" in message
    assert f"{path}:" in message
