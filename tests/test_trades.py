"""Trades that help two parties: against brute force over all packages within two changes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import scenarios

import accord
from accord.analysis import compile_space, utilities
from accord.analysis.brute import all_packages
from accord.analysis.trades import mutual_gains
from accord.analysis.utility import satisfies_constraints


@given(scenarios(max_parties=3), st.integers(0, 10**6))
@settings(max_examples=60)
def test_trades_are_exactly_the_improving_changes_of_one_or_two_issues(scenario, seed):
    space = compile_space(scenario)
    packages = all_packages(space)
    draft = packages[np.random.default_rng(seed).integers(len(packages))]
    a, b = 0, space.n_parties - 1
    found = mutual_gains(space, draft, a, b, limit=10**6)
    gains = utilities(space, packages) - utilities(space, draft)[0]
    near = (packages != draft).sum(axis=1)
    ok = (near >= 1) & (near <= 2) & satisfies_constraints(space, packages)
    chosen = set(space.package_vars(draft).tolist())
    for v in np.flatnonzero(space.veto.any(axis=0)):
        if v not in chosen:
            ok &= ~(space.package_vars(packages) == v).any(axis=1)
    ok &= (gains[:, a] > 1e-9) & (gains[:, b] > 1e-9)
    assert {tuple(t.package) for t in found} == {tuple(p) for p in packages[ok]}
    smaller = [min(t.gains[a], t.gains[b]) for t in found]
    assert smaller == sorted(smaller, reverse=True)


def test_the_28_point_plan_has_trades_for_ukraine_and_russia():
    scenario = accord.load("ukraine-2025")
    space = compile_space(scenario)
    draft = space.package_from_ids({k: v for k, v in scenario.draft(
        "ukraine-28-point-2025-11").options.items()})
    russia, ukraine = space.party_ids.index("russia"), space.party_ids.index("ukraine")
    trades = mutual_gains(space, draft, russia, ukraine, limit=5)
    for trade in trades:
        assert trade.gains[russia] > 0 and trade.gains[ukraine] > 0
