"""The decision rule in the scenario format: validation with located errors, compilation,
the power indices against known values, and who is pivotal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.analysis import compile_space
from accord.analysis.rule import pivotal, power_indices
from accord.cli import app
from accord.errors import ScenarioError
from accord.io import loads_scenario
from accord.model import Rule

runner = CliRunner()

SIX = """
id: rome-1958
title: The Council of the six, 1958
issues:
  - id: i
    title: one issue
    options: [{id: a, label: a}, {id: b, label: b}]
parties:
""" + "".join(f"""  - id: {name}
    name: {name}
    weights: {{votes: {votes}}}
    preferences: {{i: {{salience: 1, valuations: {{a: 1, b: 0}}}}}}
""" for name, votes in [("france", 4), ("germany", 4), ("italy", 4), ("belgium", 2),
                        ("netherlands", 2), ("luxembourg", 1)])


def scenario(rule: str):
    return loads_scenario(SIX + rule, "six.yaml")


def test_the_council_of_1958_gives_luxembourg_no_power():
    """Qualified majority in the EEC of 1958 (12 of 17 votes): the textbook case where a
    member with a vote is never pivotal (Felsenthal & Machover 1998)."""
    space = compile_space(scenario("rule:\n  thresholds: [{weight: votes, at_least: 12}]\n"))
    power = power_indices(space.winning_rule)
    assert power.shapley_shubik == pytest.approx([7 / 30] * 3 + [3 / 20] * 2 + [0.0])
    assert power.banzhaf_raw == pytest.approx([10 / 32] * 3 + [6 / 32] * 2 + [0.0])
    assert power.banzhaf_normalised == pytest.approx([5 / 21] * 3 + [3 / 21] * 2 + [0.0])
    assert not power.vetoes.any()


def test_shares_and_double_majorities_compile_to_thresholds():
    space = compile_space(scenario(
        "rule:\n  thresholds:\n    - {weight: members, share: 0.5}\n"
        "    - {weight: votes, share: 0.7}\n  required: [luxembourg]\n"))
    rule = space.winning_rule
    assert rule.thresholds == pytest.approx([3.0, 0.7 * 17])
    coalition = np.array([1, 1, 1, 0, 0, 1], dtype=bool)  # 13 votes of 17, 4 members
    assert rule.is_winning(coalition)
    assert not rule.is_winning(coalition & np.array([1, 1, 1, 1, 1, 0], dtype=bool))
    assert "luxembourg" in rule.describe(space.party_ids)


def test_per_issue_rules_join_the_scenarios_rule():
    space = compile_space(scenario("rule:\n  at_least: 3\n  issues:\n    i:\n"
                                   "      required: [france]\n"))
    rule = space.winning_rule
    assert rule.min_count == 3 and rule.required.tolist() == [1, 0, 0, 0, 0, 0]
    assert [c.tolist() for c in rule.minimal_winning()][:1] == [[1, 1, 1, 0, 0, 0]]


def test_unanimitys_power_in_closed_form_equals_enumeration():
    """Everyone's share when all must agree, without enumerating, equals the count over all
    coalitions of a rule that means the same but is not recognised as unanimity."""
    closed = power_indices(compile_space(scenario("")).winning_rule)
    counted = compile_space(scenario("rule:\n  thresholds: [{weight: members, share: 1.0}]\n"))
    assert not counted.unanimous
    enumerated = power_indices(counted.winning_rule)
    for field in ("shapley_shubik", "banzhaf_raw", "banzhaf_normalised", "vetoes"):
        assert getattr(closed, field) == pytest.approx(getattr(enumerated, field)), field


def test_no_rule_means_unanimity():
    space = compile_space(scenario(""))
    assert space.unanimous and space.rule is None
    assert space.winning_rule.minimal_winning()[0].all()
    assert power_indices(space.winning_rule).vetoes.all()


@pytest.mark.parametrize("rule, path, words", [
    ("rule:\n  at_least: 7\n", "rule.at_least", "no deal could pass"),
    ("rule:\n  required: [spain]\n", "rule.required[0]", "unknown party 'spain'"),
    ("rule:\n  thresholds: [{weight: population, share: 0.6}]\n", "rule.thresholds[0].weight",
     "is not given for"),
    ("rule:\n  thresholds: [{weight: votes, at_least: 18}]\n", "rule.thresholds[0].at_least",
     "more than all parties hold"),
    ("rule:\n  thresholds: [{weight: votes, share: 0.6, at_least: 3}]\n",
     "rule.thresholds[0]", "either share"),
    ("rule:\n  thresholds: [{weight: votes}]\n", "rule.thresholds[0]", "either share"),
    ("rule: {}\n", "rule", "needs at least one"),
    ("rule:\n  at_least: 0\n", "rule.at_least", "greater than or equal to 1"),
    ("rule:\n  at_least: true\n", "rule.at_least", ""),
    ("rule:\n  issues: {nowhere: {at_least: 2}}\n", "rule.issues.nowhere", "unknown issue"),
    ("rule:\n  thresholds: [{weight: votes, share: 1.5}]\n", "rule.thresholds[0].share", ""),
])
def test_a_bad_rule_is_a_located_error(rule, path, words):
    with pytest.raises(ScenarioError) as caught:
        scenario(rule)
    text = str(caught.value)
    assert "six.yaml:" in text and words in text, text
    assert path.split(".")[0] in text


def test_validate_names_the_line_of_a_bad_rule(tmp_path):
    bad = tmp_path / "six.yaml"
    bad.write_text(SIX + "rule:\n  required: [spain]\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    line = (SIX + "rule:\n  required: [spain]\n").splitlines().index("  required: [spain]") + 1
    assert f"six.yaml:{line}" in result.output and "spain" in result.output


def test_pivotal_parties_of_a_draft():
    rule = compile_space(scenario("rule:\n  at_least: 4\n  required: [france]\n")).winning_rule
    passes, pivots = pivotal(rule, np.array([1, 1, 1, 1, 0, 0], dtype=bool))
    assert passes and pivots.tolist() == [True, True, True, True, False, False]
    passes, pivots = pivotal(rule, np.array([0, 1, 1, 1, 1, 1], dtype=bool))
    assert not passes and pivots.tolist() == [True, False, False, False, False, False]


def test_rule_model_refuses_an_empty_rule_in_python_too():
    with pytest.raises(ValueError):
        Rule()


def test_the_report_tells_the_verdict_under_the_rule(tmp_path):
    example = Path(__file__).resolve().parents[1] / "docs" / "examples" / "guarantees.yaml"
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", str(example), "-o", str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Yes, a deal can pass under the rule (at least 5 of 6 parties" in text
    assert "Hungary would be left out" in text
    assert "acceptable to every party" not in text
