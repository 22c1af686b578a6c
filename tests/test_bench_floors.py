"""benchmarks/floors.py times the programs the engine solves: its max-min program has the
zone's and Kalai-Smorodinsky's optima, and a start at the optimum changes no optimum.
No timings are asserted: speed is the benchmark's business (docs/benchmarks.md)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import scenarios

from accord.analysis import compile_space, kalai_smorodinsky, zone_of_agreement
from accord.analysis.bargaining import ideal_point

FLOORS = Path(__file__).resolve().parents[1] / "benchmarks" / "floors.py"


def _floors():
    spec = importlib.util.spec_from_file_location("floors", FLOORS)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("floors", module)
    spec.loader.exec_module(module)
    return module


@given(scenarios(max_issues=4, max_options=3))
@settings(max_examples=30)
def test_the_floors_programs_are_the_engines(scenario):
    floors = _floors()
    space = compile_space(scenario)
    if not space.unanimous:
        return
    verdict = zone_of_agreement(space)
    program, t = floors.max_min_program(space, np.ones(space.n_parties))
    found = program.maximise(t, [1.0])
    if verdict.package is None:
        assert found is None
        return
    assert found.objective == pytest.approx(verdict.margin, abs=1e-7)
    program, t = floors.max_min_program(space, np.ones(space.n_parties))
    started = program.maximise(t, [1.0], hint=program.hint_for(verdict.package))
    assert started.objective == pytest.approx(found.objective, abs=1e-7)
    ideal = ideal_point(space)
    if ideal is None:  # no zone: no Kalai-Smorodinsky solution
        return
    solution = kalai_smorodinsky(space, ideal)
    scale = ideal - space.reservation
    if solution is None or not (scale > 1e-9).all():
        return
    program, t = floors.max_min_program(space, scale)
    assert program.maximise(t, [1.0]).objective == pytest.approx(
        solution.value, abs=1e-7)
