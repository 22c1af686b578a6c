"""The EC emission-standards case (Bueno de Mesquita 1994, Table 1): the expected-utility
trajectory recorded in docs/forecast.md is recomputed here, so the page cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED

from accord.forecast import ExpectedUtility, make_model, spatial_problem
from accord.io.actor_table import load_actor_table

EC = SHARED / "data" / "external" / "bdm-masad-replication" / "ExampleActors.csv"
DOC = Path(__file__).resolve().parents[1] / "docs" / "forecast.md"
OUTCOME = 8.833
pytestmark = pytest.mark.skipif(not EC.is_file(), reason="../shared data absent")


@pytest.fixture(scope="module")
def problem():
    return spatial_problem(load_actor_table(EC))


def documented_rows() -> dict[int, list[float]]:
    """Round -> [median, mean, ten positions] from the trajectory table of the docs."""
    section = DOC.read_text().split("## The EC emission-standards case")[1].split("\n## ")[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 13 and re.fullmatch(r"\d+", cells[0]):
            rows[int(cells[0])] = [float(c) for c in cells[1:]]
    return rows


def test_the_documented_trajectory_is_what_the_model_computes(problem):
    path = ExpectedUtility(Q=1.0, T=1.0, rounds=10).trajectory(problem)
    rows = documented_rows()
    assert set(rows) >= {0, 1, 2, 3, 10}
    for r, values in rows.items():
        computed = [problem.to_native(path.median[r])[0], problem.to_native(path.mean[r])[0],
                    *(4 + 6 * path.positions[r, 0] / 100)]
        assert np.round(computed, 2).tolist() == values, r


def test_the_forecast_and_its_error(problem):
    forecast = problem.to_native(make_model("expected-utility").predict(problem))[0]
    assert forecast == pytest.approx(7.0)
    assert abs(forecast - OUTCOME) == pytest.approx(1.833)
    assert problem.to_native(make_model("compromise").predict(problem))[0] == \
        pytest.approx(7.39, abs=0.005)


def test_q_and_t_are_exposed_and_change_the_path(problem):
    mean = [ExpectedUtility(Q=q, T=t, rounds=10).trajectory(problem).mean[-1, 0]
            for q, t in ((1.0, 1.0), (0.5, 0.5), (0.5, 1.0))]
    assert len({round(m, 6) for m in mean}) == 3
