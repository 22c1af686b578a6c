"""Issue 14, items 9, 10, 11 and 15 (twins): tournaments read scenario paths from the
config's folder, name the config's file and line in errors, say their size and an
estimate before they start and count each agent's negotiations (not its seats); a room
export with open points or a subset of the scenario's parties replays; `accord twins`
says what it can do on the shipped scenarios at its defaults."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import UsageError
from accord.io import save_scenario
from accord.model.synthetic import random_scenario
from accord.negotiation.runners import run_tournament
from accord.negotiation.tournament import TournamentConfig, load_bundles, plan, summarise

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture
def two_party_file(tmp_path):
    folder = tmp_path / "configs" / "scenarios"
    folder.mkdir(parents=True)
    save_scenario(random_scenario(3, 3, 2, seed=2, red_line_rate=0.0,
                                  reservation=(0.1, 0.3)), folder / "two.yaml")
    return folder / "two.yaml"


# ------------------------------------------------------------------ item 9: paths, errors


def test_scenario_paths_are_read_from_the_config_folder(two_party_file, tmp_path, monkeypatch):
    config = two_party_file.parent.parent / "t.yaml"
    config.write_text("seed: 1\nscenarios: [scenarios/two.yaml, gaza-2025]\n"
                      "agents: [boulware]\nprotocols: [alternating-offers]\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the working directory has no scenarios/ folder
    settings = TournamentConfig.load(config)
    bundles = load_bundles(settings)  # a relative path and a shipped name
    assert set(bundles) == {"scenarios/two.yaml", "gaza-2025"}
    result = runner.invoke(app, ["tournament", str(config), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "scenarios/two.yaml (2 parties) x alternating-offers" in result.output
    assert "gaza-2025 x alternating-offers: skipped" in result.output


def test_a_missing_scenario_names_the_config_file_line_and_field(two_party_file):
    config = two_party_file.parent.parent / "t.yaml"
    config.write_text("seed: 1\nscenarios:\n  - scenarios/two.yaml\n  - scenarios/gone.yaml\n"
                      "agents: [boulware]\n")
    result = runner.invoke(app, ["tournament", str(config)])
    assert result.exit_code == 2, result.output
    assert f"{config}:4: scenarios[1]: scenarios/gone.yaml" in result.output
    assert "file not found" in result.output and "config's folder" in result.output
    assert "internal error" not in result.output
    config.write_text("scenarios: [scenarios/two.yaml]\nagents: [boulware, nobody]\n")
    with pytest.raises(UsageError, match=re.escape(f"{config}:2: agents[1]: unknown agent")):
        TournamentConfig.load(config)
    config.write_text("scenarios: [scenarios/two.yaml]\nagents: [boulware]\nseed: soon\n")
    with pytest.raises(UsageError, match=re.escape(f"{config}:3: seed: seed must be")):
        TournamentConfig.load(config)
    config.write_text("scenarios: [scenarios/two.yaml]\nagents: [boulware]\n"
                      "relax:\n  scenarios/two.yaml: [narnia]\n")
    with pytest.raises(UsageError, match=re.escape(f"{config}:4: relax.scenarios/two.yaml[0]")):
        load_bundles(TournamentConfig.load(config))


def test_the_tournament_says_its_size_and_an_estimate_first(two_party_file):
    config = two_party_file.parent.parent / "t.yaml"
    config.write_text("seed: 1\nrepetitions: 2\nscenarios: [scenarios/two.yaml]\n"
                      "agents: [boulware, conceder]\nprotocols: [alternating-offers]\n")
    result = runner.invoke(app, ["tournament", str(config), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("8 negotiation(s)")
    assert "2 agents ^ 2 roles" in result.stderr and "2 repetition(s) = 8" in result.stderr
    assert "the first negotiation took" in result.stderr and "an estimate" in result.stderr
    plan_only = runner.invoke(app, ["tournament", str(config), "--dry-run", "--json"])
    assert plan_only.exit_code == 0 and json.loads(plan_only.stdout)["negotiations"] == 8


def test_the_docs_example_config_runs_and_is_small():
    config = ROOT / "docs" / "examples" / "tournament.yaml"
    assert "docs/examples/tournament.yaml" in (ROOT / "docs" / "negotiation.md").read_text()
    result = runner.invoke(app, ["tournament", str(config), "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["negotiations"] == 54
    assert {s["agent"] for s in data["summary"]} == {"sincere", "boulware", "conceder"}


# ------------------------------------------------------------- item 10: negotiations counted


def test_the_summary_counts_negotiations_not_seats(two_party_file):
    # 2 agents, 2 roles, every line-up: aa, ab, ba, bb. Each agent sits in 3 of the 4
    # negotiations and holds 4 seats (2 of them in its self-play).
    settings = TournamentConfig.from_dict({
        "seed": 3, "scenarios": [str(two_party_file)], "agents": ["boulware", "hard-liner"],
        "protocols": ["alternating-offers"], "deadline": 10})
    bundles = load_bundles(settings)
    rows = run_tournament(plan(settings, bundles), bundles, workers=1)
    summary = {s["agent"]: s for s in summarise(rows)}
    assert {a: (s["negotiations"], s["seats"]) for a, s in summary.items()} == {
        "boulware": (3, 4), "hard-liner": (3, 4)}
    # hard-liners never concede: their self-play ends without agreement
    hard = [r for r in rows if r["agent"] == "hard-liner"]
    by_negotiation = {r["negotiation"]: r["agreement"] for r in hard}
    assert summary["hard-liner"]["agreement_rate"] == pytest.approx(
        sum(by_negotiation.values()) / 3)
    config = two_party_file.parent / "t.yaml"
    config.write_text(yaml.safe_dump({"seed": 3, "scenarios": ["two.yaml"],
                                      "agents": ["boulware", "hard-liner"],
                                      "protocols": ["alternating-offers"], "deadline": 10}))
    result = runner.invoke(app, ["tournament", str(config), "--workers", "1"])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.stdout.splitlines()]
    assert ["boulware", "3", "4"] == next(x for x in lines if x and x[0] == "boulware")[:3]
