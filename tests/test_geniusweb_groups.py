"""GeniusWeb sum-of-groups profiles read as terms: GeniusWeb's utilities exactly."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.analysis import compile_space, pareto_frontier, utilities
from accord.cli import app
from accord.errors import ScenarioError
from accord.io import resolve

GROUPS = Path(__file__).parent / "data" / "geniusweb" / "groups"


def groups_utility(profile: dict, bid: dict[str, str]) -> float:
    """GeniusWeb's SumOfGroupsUtilitySpace.getUtility, from the JSON: the listed utility of
    each part's combination (0 when not listed), summed."""
    total = 0.0
    for part in profile["partUtilities"].values():
        body = part["partsutils"]
        combination = [bid.get(issue) for issue in body["issues"]]
        total += next((e["util"] for e in body["utilslist"] if e["values"] == combination), 0.0)
    return total


def test_a_sum_of_groups_profile_has_geniusweb_utilities_exactly():
    scenario = resolve(GROUPS)
    buyer = scenario.party("buyer")
    assert len(buyer.terms) == 3 and set(buyer.preferences) == {"colour"}
    profile = json.loads((GROUPS / "buyer.json").read_text())["SumOfGroupsUtilitySpace"]
    space = compile_space(scenario)
    p = scenario.parties.index(buyer)
    for package in itertools.product(*(range(n) for n in space.sizes)):
        bid = {issue.title: issue.options[o].label for issue, o in zip(scenario.issues, package)}
        assert utilities(space, np.array(package))[0, p] == pytest.approx(
            groups_utility(profile, bid), abs=1e-12)
    # the reservation bid leaves the colour out: its part counts 0
    assert buyer.reservation == pytest.approx(0.2)
    assert pareto_frontier(space).complete


def test_accord_validate_and_analyze_read_a_groups_folder():
    runner = CliRunner()
    result = runner.invoke(app, ["validate", str(GROUPS)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["analyze", str(GROUPS), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["frontier"]["complete"]


@pytest.mark.parametrize("change, words", [
    (lambda d: d["partUtilities"]["colour"]["partsutils"]["issues"].append("speakers"),
     "issue 'speakers' is in two parts"),
    (lambda d: d["partUtilities"].pop("colour"), "the parts do not cover the issue(s) 'colour'"),
    (lambda d: d["partUtilities"]["sound"]["partsutils"]["utilslist"][0].update(
        values=["good", "tube"]), "value 'tube' is not a value of issue 'amplifier'"),
    (lambda d: d["partUtilities"]["sound"]["partsutils"]["utilslist"][0].update(util="high"),
     "expected a number, got 'high'"),
    (lambda d: d["partUtilities"]["sound"]["partsutils"]["issues"].__setitem__(0, "bass"),
     "issue 'bass' is not in the domain"),
    (lambda d: d["partUtilities"]["sound"]["partsutils"]["utilslist"].append(
        {"values": ["good", "hifi"], "util": 0.1}), "listed twice"),
])
def test_bad_groups_profiles_are_located(tmp_path, change, words):
    data = json.loads((GROUPS / "buyer.json").read_text())
    change(data["SumOfGroupsUtilitySpace"])
    path = tmp_path / "buyer.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        resolve(path)
    message = str(info.value)
    assert words in message and str(path) in message and "SumOfGroupsUtilitySpace" in message
