"""GeniusWeb MOPAC session settings: parties, powers and the rule, read from local files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_genius_formats import EMPLOYEE, EMPLOYER, _geniusweb_utility, _profile
from typer.testing import CliRunner

from accord.analysis import compile_space, utilitarian, zone_of_agreement
from accord.analysis.brute import all_packages, brute_passes, brute_passing_margin
from accord.analysis.utility import utilities
from accord.cli import app
from accord.errors import ScenarioError
from accord.io import resolve
from accord.io.mopac import load_mopac

UNION = _profile(
    "union", {"salary": 0.7, "fte": 0.2, "lease car": 0.1},
    {"salary": {"DiscreteValueSetUtilities": {"valueUtilities": {
        "2000": 0, "2500": 0.6, "3000": 1}}},
     "fte": {"NumberValueSetUtilities": {"lowValue": 0.6, "lowUtility": 1.0,
                                         "highValue": 1.0, "highUtility": 0.1}},
     "lease car": {"DiscreteValueSetUtilities": {"valueUtilities": {"yes": 0.5, "no": 1}}}},
    reservation={"salary": "2500", "fte": 0.8, "lease car": "no"})


def _participant(profile: str, power: int | None = None, team: bool = True) -> dict:
    party = {"party": {"partyref": "http://localhost/party/boulware",
                       "parameters": {} if power is None else {"power": power}},
             "profile": profile}
    return {"TeamInfo": {"parties": [party]}} if team else party


def _session(folder: Path, participants: list[dict], evaluator: str = "LargestAgreement",
             name: str = "session.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps({"MOPACSettings": {
        "participants": participants,
        "deadline": {"DeadlineRounds": {"rounds": 10, "durationms": 10000}},
        "votingevaluator": {evaluator: {}}}}, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def session(tmp_path: Path) -> Path:
    """Three profiles reached three ways: a relative path, a file: URI and a
    profiles-server URI resolved under domainsrepo/."""
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "employer.json").write_text(json.dumps(EMPLOYER))
    (tmp_path / "employee.json").write_text(json.dumps(EMPLOYEE))
    (tmp_path / "domainsrepo" / "jobs").mkdir(parents=True)
    (tmp_path / "domainsrepo" / "jobs" / "union.json").write_text(json.dumps(UNION))
    return _session(tmp_path, [
        _participant("profiles/employer.json", power=2),
        _participant((tmp_path / "employee.json").as_uri()),
        _participant("ws://localhost:8080/profilesserver-1.6.1/websocket/get/jobs/union",
                     power=1, team=False),
    ])


def test_a_session_reads_parties_powers_and_the_two_party_rule(session):
    scenario = resolve(session)
    assert [p.id for p in scenario.parties] == ["employer", "employee", "union"]
    assert [p.weights["power"] for p in scenario.parties] == [2.0, 1.0, 1.0]
    assert scenario.rule.at_least == 2 and not scenario.rule.thresholds
    assert "powers 2, 1, 1" in scenario.description
    # utilities are GeniusWeb's own, as for the profiles read alone
    space = compile_space(scenario)
    profiles = [EMPLOYER, EMPLOYEE, UNION]
    for package in all_packages(space)[::5]:
        bid = {"salary": scenario.issue("salary").options[package[0]].label,
               "fte": scenario.issue("fte").options[package[1]].label,
               "lease car": scenario.issue("lease-car").options[package[2]].label}
        ours = utilities(space, package)[0]
        for p, profile in enumerate(profiles):
            assert ours[p] == pytest.approx(_geniusweb_utility(profile, bid))


def test_the_verdict_under_the_session_rule_equals_enumeration(session):
    for min_power in (None, 3, 4):
        scenario = load_mopac(session, min_power=min_power)
        space = compile_space(scenario)
        verdict = zone_of_agreement(space)
        assert verdict.margin == pytest.approx(brute_passing_margin(space), abs=1e-9)
        assert verdict.exists == bool(brute_passes(space).any())
        if verdict.exists:
            best = utilitarian(space)
            passing = all_packages(space)[brute_passes(space)]
            assert best.value == pytest.approx(utilities(space, passing).sum(axis=1).max())


def test_a_minimum_power_becomes_a_threshold(session):
    scenario = load_mopac(session, min_power=3)
    (threshold,) = scenario.rule.thresholds
    assert threshold.weight == "power" and threshold.at_least == 3
    rule = compile_space(scenario).winning_rule
    # employer (2) with anyone reaches 3; employee (1) and union (1) alone do not
    assert rule.is_winning(np.array([True, True, False]))
    assert not rule.is_winning(np.array([False, True, True]))


def test_a_session_folder_loads_as_its_session(session):
    assert [p.id for p in resolve(session.parent).parties] == ["employer", "employee", "union"]


def test_analyze_a_session_as_json(session):
    result = CliRunner().invoke(app, ["analyze", str(session), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rule"]["at_least"] == 2
    assert data["zone"]["exists"] in (True, False)


@pytest.mark.parametrize("change, words", [
    (lambda p: p[0]["TeamInfo"]["parties"][0]["party"]["parameters"].update(power=0),
     "positive whole number"),
    (lambda p: p[0]["TeamInfo"]["parties"][0]["party"]["parameters"].update(power=1.5),
     "positive whole number"),
    (lambda p: p[1]["TeamInfo"]["parties"][0].update(profile="missing.json"),
     "not found"),
    (lambda p: p[2].update(profile="ws://host/profilesserver/websocket/get/jobs/nobody"),
     "reads no network"),
    (lambda p: p[2].update(profile="ws://host/x/get/jobs/union?partial=4"),
     "whole profiles"),
    (lambda p: p.pop() and p.pop(), "at least two participants"),
])
def test_a_bad_session_is_a_located_error(session, change, words):
    data = json.loads(session.read_text())
    change(data["MOPACSettings"]["participants"])
    session.write_text(json.dumps(data))
    with pytest.raises(ScenarioError) as error:
        resolve(session)
    assert words in str(error.value) and "session.json" in str(error.value)


def test_an_unknown_voting_evaluator_is_named(session):
    data = json.loads(session.read_text())
    data["MOPACSettings"]["votingevaluator"] = {"Plurality": {}}
    session.write_text(json.dumps(data))
    with pytest.raises(ScenarioError, match="LargestAgreement"):
        resolve(session)


def test_two_sessions_in_one_folder_ask_which(session):
    _session(session.parent, json.loads(session.read_text())["MOPACSettings"]["participants"],
             "LargestAgreementsLoop", name="other.json")
    with pytest.raises(ScenarioError, match="give the one meant"):
        resolve(session.parent)
    assert "several groups may each settle" in resolve(session.parent / "other.json").description


def test_validate_names_the_bad_session_without_a_traceback(session):
    session.write_text('{"MOPACSettings": {"participants": 3}}')
    result = CliRunner().invoke(app, ["validate", str(session)])
    assert result.exit_code != 0
    assert "participants" in result.output and "Traceback" not in result.output
