"""Tournaments: planning, seeds derived before the work is spread, identical tables with
1 worker, 2 worker processes and on Ray; the CLI."""

from __future__ import annotations

import csv
import json
import math

import pytest
from negotiation_helpers import small_space
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import UsageError
from accord.io import save_scenario
from accord.model.synthetic import random_scenario
from accord.negotiation.runners import run_tournament
from accord.negotiation.tournament import (
    COLUMNS,
    TournamentConfig,
    load_bundles,
    plan,
    summarise,
    write_table,
)

runner = CliRunner()


@pytest.fixture(scope="module")
def scenario_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    paths = []
    for k, parties in enumerate((2, 3)):
        path = folder / f"s{k}.yaml"
        save_scenario(random_scenario(4, 3, parties, seed=k, red_line_rate=0.2,
                                      reservation=(0.1, 0.3)), path)
        paths.append(str(path))
    return paths


def config_for(paths, **extra):
    return TournamentConfig.from_dict({
        "seed": 5, "repetitions": 2, "scenarios": paths,
        "agents": ["boulware", "conceder", "random"],
        "protocols": ["alternating-offers", "stacked-alternating-offers", "single-text"],
        "mediators": ["hill-climber"], "deadline": 20, **extra})


def same(a, b):
    return len(a) == len(b) and all(
        x.keys() == y.keys() and all(x[k] == y[k] or (isinstance(x[k], float) and
                                                   math.isnan(x[k]) and math.isnan(y[k]))
                                     for k in x) for x, y in zip(a, b))


def test_plan_covers_every_combination_with_its_own_seed(scenario_files):
    config = config_for(scenario_files)
    bundles = load_bundles(config)
    tasks = plan(config, bundles)
    # 2 parties: 3 protocols x 3^2 lineups x 2; 3 parties: 2 protocols x 3^3 x 2
    assert len(tasks) == 3 * 9 * 2 + 2 * 27 * 2
    assert [t.index for t in tasks] == list(range(len(tasks)))
    assert len({t.seed for t in tasks}) == len(tasks)
    assert plan(config, bundles) == tasks
    selfplay = plan(config_for(scenario_files, lineups="self"), bundles)
    assert all(len(set(t.agents)) == 1 for t in selfplay)


def test_one_worker_two_workers_and_ray_give_the_same_table(scenario_files):
    ray = pytest.importorskip("ray")
    config = config_for(scenario_files, agents=["boulware", "hard-liner", "random"])
    bundles = load_bundles(config)
    tasks = plan(config, bundles)
    one = run_tournament(tasks, bundles, "local", workers=1)
    two = run_tournament(tasks, bundles, "local", workers=2)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    try:
        on_ray = run_tournament(tasks, bundles, "ray")
    finally:
        ray.shutdown()
    assert len(one) == sum(len(t.agents) for t in tasks)
    assert same(one, two) and same(one, on_ray)
    assert list(one[0]) == list(COLUMNS)
    assert any(r["agreement"] for r in one) and not all(r["agreement"] for r in one)


def test_progress_is_reported(scenario_files):
    config = config_for(scenario_files[:1], protocols=["alternating-offers"], repetitions=1)
    bundles = load_bundles(config)
    tasks = plan(config, bundles)
    seen = []
    run_tournament(tasks, bundles, "local", workers=2, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (len(tasks), len(tasks))


def test_summary_and_csv(scenario_files, tmp_path):
    config = config_for(scenario_files[:1], protocols=["alternating-offers"])
    bundles = load_bundles(config)
    rows = run_tournament(plan(config, bundles), bundles, workers=1)
    summary = summarise(rows)
    assert [s["agent"] for s in summary] == ["boulware", "conceder", "random"]
    assert all(0 <= s["agreement_rate"] <= 1 for s in summary)
    path = tmp_path / "t.csv"
    write_table(rows, path)
    with path.open() as handle:
        read = list(csv.DictReader(handle))
    assert len(read) == len(rows) and list(read[0]) == list(COLUMNS)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        with pytest.raises(UsageError, match="pyarrow"):
            write_table(rows, tmp_path / "t.parquet")


@pytest.mark.parametrize("bad, message", [
    ({"agents": ["nobody"]}, "unknown agent"),
    ({"protocols": ["auction"]}, "unknown protocol"),
    ({"lineups": "some"}, "lineups"),
    ({"colour": "red"}, "unknown tournament setting"),
    ({"repetitions": 0}, "repetitions"),
])
def test_bad_configs_are_user_errors(scenario_files, bad, message):
    with pytest.raises(UsageError, match=message):
        config_for(scenario_files, **bad)


def test_relax_lifts_the_donetsk_red_lines():
    config = TournamentConfig.from_dict({
        "scenarios": ["ukraine-2025"], "agents": ["sincere"], "protocols": ["single-text"],
        "relax": {"ukraine-2025": ["russia/donetsk-remainder", "ukraine/donetsk-remainder"]}})
    bundle = load_bundles(config)["ukraine-2025"]
    assert bundle.refs.nash_package is not None
    with pytest.raises(UsageError, match="names no party"):
        load_bundles(TournamentConfig.from_dict({**{
            "scenarios": ["ukraine-2025"], "agents": ["sincere"]},
            "relax": {"ukraine-2025": ["narnia/donetsk-remainder"]}}))


def test_cli_simulate_prints_the_result_and_json(scenario_files):
    result = runner.invoke(app, ["simulate", scenario_files[0], "--agents", "boulware,conceder",
                                 "--seed", "3", "--transcript"])
    assert result.exit_code == 0, result.output
    assert "agreement" in result.output and "Nash" in result.output
    result = runner.invoke(app, ["simulate", scenario_files[1], "--protocol", "single-text",
                                 "--agents", "sincere", "--mediator", "hill-climber",
                                 "--deadline", "10", "--json", "--transcript"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rounds"] <= 10 and len(data["utilities"]) == 3
    assert data["transcript"][0]["actor"] == "mediator"
    # the hill-climber asks Klein et al.'s vote: later answers compare with the current text
    votes = [e for e in data["transcript"] if e["kind"] == "answers" and e["compared"] is not None]
    assert votes and all(e["compared"] in (-1, 0, 1) and e["versus"] for e in votes)


def test_cli_simulate_errors(scenario_files):
    result = runner.invoke(app, ["simulate", scenario_files[1], "--agents", "linear",
                                 "--protocol", "alternating-offers"])
    assert result.exit_code == 2 and "bilateral" in result.output
    result = runner.invoke(app, ["simulate", scenario_files[0], "--agents", "nobody"])
    assert result.exit_code == 2 and "unknown agent" in result.output


def test_cli_tournament_writes_the_table(scenario_files, tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(f"seed: 1\nscenarios: [{scenario_files[0]}]\n"
                    "agents: [boulware, hard-liner]\nprotocols: [alternating-offers]\n")
    out = tmp_path / "rows.csv"
    result = runner.invoke(app, ["tournament", str(path), "--workers", "1", "-o", str(out),
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["negotiations"] == 4
    assert {s["agent"] for s in data["summary"]} == {"boulware", "hard-liner"}
    assert out.exists()
    result = runner.invoke(app, ["tournament", str(path), "--engine", "spark"])
    assert result.exit_code == 2


def test_small_space_helper_is_deterministic():
    assert (small_space().weights == small_space().weights).all()
