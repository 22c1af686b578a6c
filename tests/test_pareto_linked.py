"""Issues linked past the exact frontier's limit never fail an analysis (issue 21)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.analysis import FrontierRequest, analyze, compile_space
from accord.analysis.pareto import MAX_BLOCK_COMBINATIONS, pareto_frontier
from accord.cli import app
from accord.io import save_scenario
from accord.model.synthetic import random_scenario


def test_a_linked_group_too_large_gives_a_sampled_frontier_and_every_other_answer(tmp_path):
    scenario = random_scenario(20, 4, 3, seed=0, n_interactions=5)
    exact = pareto_frontier(compile_space(scenario))
    assert not exact.complete and exact.states_reached > MAX_BLOCK_COMBINATIONS
    assert "joint options" in exact.reason
    result = analyze(scenario, frontier=FrontierRequest())
    assert result.frontier is not None and not result.frontier.complete
    assert result.frontier.size > 0 and result.frontier.reason == exact.reason
    assert result.zone is not None and result.solutions  # every other answer is given
    path = tmp_path / "linked.yaml"
    save_scenario(scenario, path)
    ran = CliRunner().invoke(app, ["analyze", str(path), "--json"])
    assert ran.exit_code == 0, ran.output
    frontier = json.loads(ran.output)["frontier"]
    assert frontier["sampled"] and "joint options" in frontier["reason"]
    shown = CliRunner().invoke(app, ["analyze", str(path)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "joint options" in shown.output


def test_three_and_four_party_frontiers_honour_the_work_budget():
    """Three- and four-party frontiers had no work limit (80 x 6 x 3: 135 s, 2.4 GB); the
    work is now every candidate so far times `CANDIDATE_COST`, as for five or more."""
    from accord.analysis.pareto import CANDIDATE_COST

    for parties in (3, 4):
        space = compile_space(random_scenario(12, 3, parties, seed=1))
        exact = pareto_frontier(space)
        assert exact.complete
        cut = pareto_frontier(space, max_work=CANDIDATE_COST[parties] * 50)
        assert not cut.complete and cut.reason is None and cut.states_reached > 0
        sampled = analyze(random_scenario(12, 3, parties, seed=1),
                          frontier=FrontierRequest(max_work=CANDIDATE_COST[parties] * 50))
        assert not sampled.frontier.complete and sampled.frontier.size > 0
