"""Issue 14, items 14 and 15b: large scenarios validate in linear time, long analyses and
generation report progress.

No timed assertions: linearity is checked by counting the Python calls validation makes
(deterministic), speed itself is a benchmark (benchmarks/bench_validate.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import ScenarioError
from accord.io import _yaml_tree, dump_scenario, loads_scenario
from accord.model.synthetic import random_scenario

SHIPPED = sorted((Path(__file__).parents[1] / "src/accord/data/scenarios").glob("*.yaml"))


def _reference(text: str) -> tuple[object, dict]:
    """Data and lines as PyYAML's composer and YamlTree.build give them (the slow path)."""
    tree = _yaml_tree.YamlTree(text)
    node = yaml.compose(text, Loader=_yaml_tree._Loader)
    return tree.build(node), tree.lines


def _calls(function, *args) -> int:
    """How many Python function calls `function(*args)` makes (deterministic)."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("path", SHIPPED + [Path(__file__).parents[1] / "docs/example-scenario.yaml"],
                         ids=lambda p: p.name)
def test_fast_yaml_build_gives_the_reference_data_and_lines(path):
    text = path.read_text(encoding="utf-8")
    data, tree = _yaml_tree.parse_yaml(text, str(path))
    ref_data, ref_lines = _reference(text)
    assert repr(data) == repr(ref_data)  # repr: 1 and 1.0 must not pass as equal
    assert tree.lines == ref_lines


def test_fast_yaml_build_on_a_generated_scenario_matches_the_reference():
    text = dump_scenario(random_scenario(40, 5, 4, seed=3, n_interactions=2, n_constraints=3))
    data, tree = _yaml_tree.parse_yaml(text, "gen.yaml")
    ref_data, ref_lines = _reference(text)
    assert repr(data) == repr(ref_data)
    assert tree.lines == ref_lines


def test_validation_work_grows_linearly_with_the_scenario():
    """Four times the issues, about four times the calls; and few Python calls per line
    of YAML (PyYAML's pure-Python scanner made ~270, which took 20 s at 1000 x 10 x 10)."""
    small = dump_scenario(random_scenario(50, 6, 4, seed=1))
    large = dump_scenario(random_scenario(200, 6, 4, seed=1))
    calls = _calls(loads_scenario, large)
    assert calls / _calls(loads_scenario, small) < 4.6
    assert calls / len(large.splitlines()) < 20


def test_validation_builds_no_node_graph_for_a_clean_file(monkeypatch):
    """A clean file goes the fast way: PyYAML's composer is never asked."""
    def refuse(*args, **kwargs):
        raise AssertionError("composed the slow way")

    monkeypatch.setattr(_yaml_tree, "_compose", refuse)
    scenario = loads_scenario(dump_scenario(random_scenario(30, 4, 3, seed=2)))
    assert len(scenario.issues) == 30


def test_an_error_deep_in_a_large_file_still_names_its_line():
    text = dump_scenario(random_scenario(300, 4, 3, seed=5))
    lines = text.splitlines()
    target = max(k for k, line in enumerate(lines) if line.strip().startswith("salience:"))
    lines[target] = lines[target].replace("salience:", "salience: -1 #")
    with pytest.raises(ScenarioError) as raised:
        loads_scenario("\n".join(lines) + "\n", "big.yaml")
    problem = raised.value.problems[0]
    assert problem.line == target + 1
    assert "salience" in problem.path


def test_duplicate_keys_and_aliases_still_take_the_reporting_path():
    with pytest.raises(ScenarioError, match="duplicate field 'id'"):
        loads_scenario("id: a\nid: b\n")
    text = dump_scenario(random_scenario(3, 2, 2, seed=0))
    aliased = text.replace("title: Issue 0", "title: &t Issue 0").replace(
        "title: Issue 1", "title: *t")
    assert loads_scenario(aliased).issues[1].title == "Issue 0"


@pytest.mark.slow
def test_validate_a_generated_1000_x_10_x_10_scenario(tmp_path):
    path = tmp_path / "big.yaml"
    runner = CliRunner()
    made = runner.invoke(app, ["generate", "-o", str(path), "--issues", "1000",
                               "--options", "10", "--parties", "10"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid — 1000 issues, 10 parties" in result.stdout
