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


def _stages(events: list[tuple[str, int, int | None]]) -> dict[str, list[tuple[int, int | None]]]:
    """Each stage's reports, in order; checks that every one starts at 0 and ends at its total."""
    by_stage: dict[str, list[tuple[int, int | None]]] = {}
    for name, done, total in events:
        by_stage.setdefault(name, []).append((done, total))
    for name, reports in by_stage.items():
        assert reports[0][0] == 0, name
        done, total = reports[-1]
        assert total is not None and done == total, (name, reports)
        assert sum(1 for d, t in reports if t is not None and d >= t) == 1, (name, reports)
    return by_stage


def test_analyze_reports_every_stage_with_a_zone():
    from accord.analysis import FrontierRequest, analyze
    from accord.io import resolve

    events: list = []
    analysis = analyze(resolve("docs/example-scenario.yaml"), frontier=FrontierRequest(),
                       progress=lambda *event: events.append(event))
    stages = _stages(events)
    assert analysis.zone.exists
    assert set(stages) == {"zone of agreement", "ideal points", "utilitarian", "nash",
                           "asymmetric-nash", "kalai-smorodinsky", "egalitarian", "drafts",
                           "frontier"}
    assert stages["ideal points"][-1] == (3, 3)  # one per party
    assert stages["frontier"][-1][0] >= 1  # one per block of linked issues
    assert stages["drafts"][-1] == (len(analysis.profiles),) * 2


def test_analyze_reports_blocking_sets_and_relaxations_without_a_zone():
    from accord.analysis import analyze
    from accord.io import resolve

    events: list = []
    analysis = analyze(resolve("ukraine-2025"), max_blocking_sets=4, max_relaxations=2,
                       progress=lambda *event: events.append(event))
    stages = _stages(events)
    assert not analysis.zone.exists
    assert {"zone of agreement", "ideal points", "blocking sets", "relaxations",
            "drafts"} <= set(stages)
    assert "frontier" not in stages and "egalitarian" not in stages
    assert stages["blocking sets"][-1] == (4, 4)
    assert stages["relaxations"] == [(0, 2), (1, 2), (2, 2)]


def test_the_engine_never_loads_the_cli_or_rich():
    import subprocess

    code = ("import sys, accord.analysis, accord.model.synthetic; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('rich', 'typer') "
            "or m.startswith('accord.cli')]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_analysis_progress_bar_follows_the_stages_quietly():
    """The CLI's callback takes the engine's events (from threads) without drawing off a
    terminal; `frontier_progress` (used by `accord report`) still works."""
    from accord.cli.app import analysis_progress, frontier_progress

    with analysis_progress() as report:
        for event in [("zone of agreement", 0, 1), ("frontier", 0, None), ("frontier", 2, 5),
                      ("zone of agreement", 1, 1), ("frontier", 5, 5)]:
            report(*event)
    with frontier_progress() as update:
        update(1, 3)


def test_analyze_json_prints_only_json(tmp_path):
    result = CliRunner().invoke(app, ["analyze", "docs/example-scenario.yaml", "--json"])
    assert result.exit_code == 0, result.output
    import json

    assert json.loads(result.stdout)["zone"]["exists"] is True


def test_the_frontier_sample_without_constraints_needs_no_solver(monkeypatch):
    """Separable spaces (no constraints, no interactions): the sample is found issue by
    issue; each point is on the exact frontier."""
    import numpy as np

    from accord.analysis import _milp, compile_space
    from accord.analysis.pareto import frontier_sample, pareto_frontier

    space = compile_space(random_scenario(7, 3, 4, seed=4, red_line_rate=0.3))
    exact = {tuple(np.round(u, 9)) for u in pareto_frontier(space).utilities}
    monkeypatch.setattr(_milp.Program, "maximise", lambda *a, **k: pytest.fail("solver"))
    sample = frontier_sample(space, count=30, seed=2)
    assert sample.size > 0
    assert all(tuple(np.round(u, 9)) in exact for u in sample.utilities)
    vetoed = frontier_sample(space, count=30, seed=2, respect_red_lines=True)
    assert not (space.veto[:, space.offsets[:-1] + vetoed.packages]).any()


def test_generate_streams_the_same_file_as_save_scenario(tmp_path):
    from accord.io import save_scenario

    path, reference = tmp_path / "g.yaml", tmp_path / "ref.yaml"
    result = CliRunner().invoke(app, ["generate", "-o", str(path), "--issues", "12",
                                      "--options", "3", "--parties", "4", "--seed", "9"])
    assert result.exit_code == 0, result.output
    save_scenario(random_scenario(12, 3, 4, seed=9), reference)
    assert path.read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")


def test_generate_shows_progress_party_by_party(tmp_path, monkeypatch):
    import contextlib

    from accord.cli import generate_cmd

    seen: list = []

    @contextlib.contextmanager
    def recording_bar(label, total, **kwargs):
        seen.append(("open", label, total))
        yield lambda done, total=None, label=None: seen.append((done, label))

    monkeypatch.setattr(generate_cmd, "progress_bar", recording_bar)
    result = CliRunner().invoke(app, ["generate", "-o", str(tmp_path / "g.yaml"),
                                      "--issues", "5", "--parties", "3"])
    assert result.exit_code == 0, result.output
    assert seen[0] == ("open", "generating", 3)
    assert [done for done, label in seen[1:] if label is None] == [1, 2, 3]
    labels = [label for _, label in seen[1:] if label]
    assert "writing the issues" in labels and labels[-1] == "writing drafts"


def test_generate_warns_before_writing_a_file_too_large_to_read_back(tmp_path, monkeypatch):
    from accord.cli import generate_cmd

    monkeypatch.setattr(generate_cmd, "NOTICE_BYTES", 0)
    monkeypatch.setattr(generate_cmd, "MAX_FILE_BYTES", 1000)
    result = CliRunner().invoke(app, ["generate", "-o", str(tmp_path / "g.yaml")])
    assert result.exit_code == 0, result.output
    assert "writing about" in result.stderr and "refuse" in result.stderr


def test_generate_estimates_its_file_size():
    from accord.cli.generate_cmd import estimated_bytes

    for size in [(200, 10, 10), (50, 40, 8), (30, 4, 5)]:
        actual = len(dump_scenario(random_scenario(*size)).encode())
        assert abs(estimated_bytes(*size) - actual) < 0.15 * actual, size


def test_an_interrupted_generate_leaves_no_half_file(tmp_path, monkeypatch):
    from accord.cli import generate_cmd

    def interrupted(sections):
        yield "id: x\n"
        raise KeyboardInterrupt

    monkeypatch.setattr(generate_cmd, "scenario_yaml_chunks", interrupted)
    path = tmp_path / "g.yaml"
    result = CliRunner().invoke(app, ["generate", "-o", str(path)])
    assert result.exit_code == 130
    assert not path.exists()
