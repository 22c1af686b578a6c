"""YAML round trips, the documented example, and the synthetic generator."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from strategies import scenarios

import accord
from accord.io import dump_scenario, loads_scenario
from accord.model.synthetic import random_scenario

DOCS = Path(__file__).resolve().parents[1] / "docs"


@given(scenarios())
@settings(max_examples=50)
def test_yaml_round_trip_preserves_the_scenario(scenario):
    assert loads_scenario(dump_scenario(scenario)) == scenario


def test_shipped_scenarios_round_trip():
    for name in accord.io.builtin_names():
        scenario = accord.load(name)
        assert loads_scenario(dump_scenario(scenario)) == scenario


def test_the_documented_example_loads_and_analyses():
    text = (DOCS / "example-scenario.yaml").read_text(encoding="utf-8")
    scenario = loads_scenario(text, "docs/example-scenario.yaml")
    result = accord.analyze(scenario)
    assert result.zone.exists in (True, False)
    assert scenario.constraints and any(p.interactions for p in scenario.parties)


def test_same_seed_same_scenario_other_seed_other_scenario():
    assert random_scenario(5, 3, 3, seed=7) == random_scenario(5, 3, 3, seed=7)
    assert random_scenario(5, 3, 3, seed=7) != random_scenario(5, 3, 3, seed=8)


def test_analysis_does_not_depend_on_the_number_of_workers():
    scenario = random_scenario(12, 3, 4, seed=3, reservation=(0.5, 0.7), red_line_rate=0.3)
    one = accord.analyze(scenario, workers=1)
    two = accord.analyze(scenario, workers=2)
    assert one.zone.exists == two.zone.exists
    assert {k: s.value for k, s in one.solutions.items()} == {
        k: s.value for k, s in two.solutions.items()}
    assert [b.demands for b in one.blocking] == [b.demands for b in two.blocking]
