"""Exactness where brute force cannot reach: 30 issues x 4 options x 5 parties (10^18
packages). The five solutions are checked against each other and against a large random
sample of the zone: each must be at least as good, on its own criterion, as every package
the others and the sample found."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.analysis import compile_space, utilities
from accord.analysis.bargaining import nash_weights
from accord.analysis.brute import acceptable
from accord.cli import app
from accord.io import save_scenario
from accord.model.synthetic import random_scenario

pytestmark = pytest.mark.slow


def criteria(space, packages):
    """Each solution's objective for every package (rows), as the docs define them."""
    u = utilities(space, packages)
    g = u - space.reservation
    w = nash_weights(space.capability)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_nash = np.where((g > 0).all(axis=1), np.log(np.clip(g, 1e-300, None)).sum(axis=1), -np.inf)
        log_anash = np.where((g[:, w > 0] > 0).all(axis=1),
                             np.log(np.clip(g[:, w > 0], 1e-300, None)) @ w[w > 0], -np.inf)
    return {"utilitarian": u.sum(axis=1), "nash": log_nash, "asymmetric-nash": log_anash,
            "egalitarian": g.min(axis=1)}


@pytest.mark.parametrize("seed", [0, 1])
def test_analyze_json_at_30x4x5_is_optimal_against_every_witness(tmp_path, seed):
    scenario = random_scenario(30, 4, 5, seed=seed, reservation=(0.5, 0.65), red_line_rate=0.15)
    path = tmp_path / "big.yaml"
    save_scenario(scenario, path)
    result = CliRunner().invoke(app, ["analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"]["packages"] == str(4 ** 30)
    assert data["zone"]["exists"] is True
    assert set(data["solutions"]) == {"utilitarian", "nash", "asymmetric-nash",
                                      "kalai-smorodinsky", "egalitarian"}
    space = compile_space(scenario)
    found = {name: space.package_from_ids(s["package"]) for name, s in data["solutions"].items()}
    rng = np.random.default_rng(seed)
    sample = rng.integers(0, 4, size=(200_000, 30))
    moves = []  # local moves around each solution: change one issue at a time
    for package in found.values():
        for i in range(30):
            for o in range(4):
                moved = package.copy()
                moved[i] = o
                moves.append(moved)
    pool = np.vstack([sample, np.array(moves)] + list(found.values()))
    pool = pool[acceptable(space, pool)]
    assert len(pool) > 30
    scores = criteria(space, pool)
    for name, score in scores.items():
        own = criteria(space, found[name][None, :])[name][0]
        assert own >= score.max() - 1e-9, name
    values = {name: s["value"] for name, s in data["solutions"].items()}
    assert math.log(values["nash"]) == pytest.approx(criteria(space, found["nash"][None, :])["nash"][0],
                                                     abs=1e-6)
