"""The procedural model and the decision rules it reads: the Council's voting rule of each
DEU III proposal (weights of the period, QMV and unanimity), hand-made cases whose answer
is known, and `accord forecast --model procedural` on a scenario with a rule."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import SHARED
from test_forecast_models import problem
from typer.testing import CliRunner

from accord.analysis.rule import WinningRule
from accord.cli import app
from accord.errors import ScenarioError
from accord.forecast import (
    MODELS,
    FittedProcedural,
    Procedural,
    make_model,
    procedural_forecast,
    spatial_problem,
    winning_positions,
)
from accord.forecast.nash_spatial import FittedNashBargaining, NashBargaining
from accord.forecast.problem import stack
from accord.forecast.rules import issue_rule
from accord.io.deu import ACTORS, load_deu
from accord.io.eu_council import PERIODS, council_weights
from accord.model import Scenario

NAN = math.nan
DEU = SHARED / "data" / "external" / "deu3-blksv" / "deu3.csv"
needs_deu = pytest.mark.skipif(not DEU.is_file(), reason="../shared data absent")
runner = CliRunner()


# ------------------------------------------------------------- the Council's rules in DEU


@pytest.fixture(scope="module")
def deu() -> Scenario | None:
    return load_deu(DEU, "votes") if DEU.is_file() else None


def test_the_weights_of_each_period_add_up_to_the_treaty_totals():
    totals = {"votes-eu15": 87, "votes-eu25-2004": 124, "votes-eu25": 321, "votes-eu27": 345,
              "votes-eu28": 352, "members-eu15": 15, "members-eu25": 25, "members-eu27": 27,
              "members-eu28": 28}
    weights = {actor: council_weights(actor) for actor in ACTORS}
    for name, total in totals.items():
        assert sum(w[name] for w in weights.values()) == total, name
    assert sum(w["population-eu28"] for w in weights.values()) == pytest.approx(100, abs=0.02)
    for institution in ("com", "ep"):  # not voters in the Council
        assert set(weights[institution].values()) == {0.0}
    assert [p.name for p in PERIODS] == ["eu15", "eu25-2004", "eu25", "eu27", "eu28",
                                         "eu28-lisbon"]


@needs_deu
def test_deu_qualified_majority_proposal(deu):
    # d07013: co-decision, QMV, final act 2009 (EU-27 under Nice)
    rule = deu.rule.issues["d07013i1"]
    assert [(t.weight, t.at_least) for t in rule.thresholds] == [("votes-eu27", 255),
                                                                  ("members-eu27", 14)]
    assert rule.required == ("ep",)  # co-decision: the Parliament must approve
    assert sum(p.weights["votes-eu27"] for p in deu.parties) == 345
    # d95341: 62 of 87 votes (EU-15); n99192 `QMV(10)`: also cast by at least 10 members
    assert [(t.weight, t.at_least) for t in deu.rule.issues["d95341i1"].thresholds] == [
        ("votes-eu15", 62)]
    assert [(t.weight, t.at_least) for t in deu.rule.issues["n99192i1"].thresholds] == [
        ("votes-eu15", 62), ("members-eu15", 10)]
    assert deu.rule.issues["n99192i1"].required == ()  # consultation: no Parliament veto
    # d160070: final act 2018, Lisbon double majority over the members and the population
    assert [(t.weight, t.share) for t in deu.rule.issues["d160070i1"].thresholds] == [
        ("members-eu28", 0.55), ("population-eu28", 0.65)]
    # d04218: final act `09-06-07`, proposal `2029-09-04` (29 September 2004): EU-27
    assert deu.rule.issues["d04218i1"].thresholds[0].weight == "votes-eu27"
    # d04209: no final act (`999`): dated by its proposal, 22 September 2004
    assert deu.rule.issues["d04209i1"].thresholds[0].weight == "votes-eu25-2004"


@needs_deu
def test_deu_unanimity_proposal(deu):
    # n08143: consultation, unanimity, final act 2009: every member state of the EU-27
    rule = deu.rule.issues["n08143i1"]
    assert set(rule.required) == {code for code in ACTORS if code not in ("com", "ep")
                                  and code not in ("cr",)}
    assert len(rule.required) == 27 and rule.thresholds == ()
    compiled = issue_rule(deu, "n08143i1")
    assert compiled.unanimous is False  # the Commission and the Parliament are no veto players
    assert compiled.required.sum() == 27


@needs_deu
def test_deu_rules_cover_every_issue_and_validate(deu):
    assert set(deu.rule.issues) == {issue.id for issue in deu.issues}
    assert Scenario.build(deu.model_dump(mode="json", exclude_none=True)).rule == deu.rule
    council_only = load_deu(DEU, parliament=False)
    assert all("ep" not in rule.required for rule in council_only.rule.issues.values())


def test_deu_voting_rule_errors_are_located(tmp_path):
    header = ["prnr", "prname", "isnr", "proc", "counvte", "intro", "finact", "rp", "out"] + [
        f"{p}{a}" for a in ACTORS for p in "ps"]
    rows = [["d1", "x", "d1i1", "COD", "QMV", "14-03-00", "23-07-01", "", "40"],
            ["d2", "y", "d2i1", "CNS", "Majority", "14-03-00", "999", "", "40"],
            ["d3", "z", "d3i1", "CNS", "Unan", "31-02-00", "999", "", "40"]]
    table = tmp_path / "deu.csv"
    table.write_text("\t".join(header) + "\n" + "".join(
        "\t".join(row + ["50"] * (len(header) - len(row))) + "\n" for row in rows))
    with pytest.raises(ScenarioError) as error:
        load_deu(table)
    text = str(error.value)
    assert f"{table}:3: counvte: unknown Council voting rule 'Majority'" in text
    assert f"{table}:4: intro: expected a date dd-mm-yy, got '31-02-00'" in text
    assert ":2:" not in text


# ------------------------------------------------------------------- hand-made issues

VOTES = np.array([[10.0, 10.0, 5.0, 3.0, 2.0]])
QMV = WinningRule(0, np.zeros(5, dtype=bool), VOTES, np.array([21.0]))
"""21 of 30 votes."""
UNANIMITY = WinningRule.unanimity(5)


def test_a_winning_bloc_at_one_position_wins():
    x = np.array([30.0, 30.0, 30.0, 80.0, 80.0])  # 25 of 30 votes at 30
    assert winning_positions(x, QMV).tolist() == [30.0]
    assert procedural_forecast(x[None], [QMV], np.array([55.0]))[0] == 30.0
    data = problem([x.tolist()])
    model = Procedural()
    assert model.predict(_with_rules(data, [QMV]))[0] == 30.0


def test_no_winning_bloc_gives_the_fallback():
    x = [30.0, 30.0, 60.0, 80.0, 80.0]  # 20 votes at 30: short of 21
    data = _with_rules(problem([x]), [QMV])
    nash = NashBargaining(use_reference_point=False).predict(data)
    assert winning_positions(np.array(x), QMV).size == 0
    assert Procedural().predict(data) == pytest.approx(nash)
    assert 30.0 < nash[0] < 80.0


def test_a_dissenting_member_under_unanimity_gives_the_fallback():
    dissent = [40.0, 40.0, 40.0, 40.0, 70.0]
    agreed = [40.0, 40.0, 40.0, 40.0, 40.0]
    abstains = [40.0, 40.0, NAN, 40.0, 40.0]  # no position: abstention blocks nothing
    weight = [[1.0, 1.0, 1.0, 1.0, 5.0]] * 3  # the dissenter weighs enough to move Nash
    data = _with_rules(problem([dissent, agreed, abstains], capabilities=weight),
                       [UNANIMITY] * 3)
    forecast = Procedural().predict(data)
    fallback = NashBargaining(use_reference_point=False).predict(data)
    assert forecast[0] == pytest.approx(fallback[0]) and forecast[0] != 40.0
    assert forecast[1] == 40.0 and forecast[2] == 40.0


def test_band_and_nearest_winner():
    x = np.array([30.0, 34.0, 30.0, 80.0, 80.0])
    assert winning_positions(x, QMV).size == 0
    assert winning_positions(x, QMV, band=5.0).tolist() == [30.0, 34.0]
    # several winners: the one nearest the fallback's forecast
    assert procedural_forecast(x[None], [QMV], np.array([60.0]), band=5.0)[0] == 34.0
    # a rule no present voter takes part in decides nothing (here: any share of votes wins)
    anything = WinningRule(0, np.zeros(5, dtype=bool), np.array([[10.0, 10, 5, 3, 0]]),
                           np.array([0.0]))
    assert winning_positions(np.array([NAN, NAN, NAN, NAN, 50.0]), anything).size == 0
    assert winning_positions(np.array([NAN, NAN, NAN, 20.0, 50.0]), anything).tolist() == [
        20.0]
    with pytest.raises(ValueError):
        Procedural(band=-1.0)


def test_rules_follow_issues_through_take_and_stack():
    data = _with_rules(problem([[30.0] * 3 + [80.0] * 2, [30.0] * 2 + [80.0] * 3]),
                       [QMV, UNANIMITY])
    first = Procedural().predict(data)
    assert first[0] == 30.0 and 30.0 < first[1] < 80.0
    assert Procedural().predict(data.take([1, 0])) == pytest.approx(first[::-1])
    assert Procedural().predict(stack([data, data])) == pytest.approx(np.r_[first, first])
    # without rules (a problem built by hand), every issue is decided by unanimity
    plain = problem([[30.0] * 5, [30.0] * 3 + [80.0] * 2])
    assert Procedural().predict(plain)[0] == 30.0
    assert Procedural().predict(plain)[1] == pytest.approx(
        NashBargaining(use_reference_point=False).predict(plain)[1])


def test_fitted_variant_fits_the_fallback_as_nash_fitted_does():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 100, (12, 5))
    x[:4, :3] = 20.0  # a bloc of 25 votes on the first four issues
    data = problem(x.tolist(), rng.uniform(0.2, 1, (12, 5)).tolist(),
                   np.tile([3.0, 1.0, 1.0, 2.0, 1.0], (12, 1)).tolist(),
                   outcome=rng.uniform(0, 100, 12).tolist())
    data = _with_rules(data, [QMV] * 12)
    fitted = make_model("procedural-fitted").fit(data)
    nash = FittedNashBargaining().fit(data)
    assert isinstance(fitted, FittedProcedural)
    assert (fitted.use_reference_point, fitted.capability_exponent,
            fitted.salience_exponent) == (nash.use_reference_point, nash.capability_exponent,
                                          nash.salience_exponent)
    assert (fitted.predict(data)[:4] == 20.0).all()
    assert fitted.predict(data)[4:] == pytest.approx(nash.predict(data)[4:])


def _with_rules(data, rules):
    from dataclasses import replace

    return replace(data, rules=tuple(rules))


# --------------------------------------------------------------- a scenario and the CLI


def council_scenario() -> dict:
    """Five members with votes; `budget` by 21 of 30 votes, `seat` also by unanimity; `e`
    (the dissenter on `seat`) has capability 5, so that the Nash solution leaves 40."""
    members = [("a", 10, 30, 40), ("b", 10, 30, 40), ("c", 5, 30, 40), ("d", 3, 80, 40),
               ("e", 2, 80, 70)]
    return {
        "id": "council", "title": "A council of five",
        "issues": [{"id": issue, "title": issue.title(),
                    "options": [{"id": "low", "label": "0", "position": 0.0},
                                {"id": "high", "label": "100", "position": 100.0}]}
                   for issue in ("budget", "seat")],
        "parties": [{"id": pid, "name": pid.upper(), "weights": {"votes": votes},
                     "capability": 5.0 if pid == "e" else 1.0,
                     "positions": {"budget": budget, "seat": seat},
                     "preferences": {issue: {"salience": 1.0, "valuations": {
                         "low": 1 - x / 100, "high": x / 100}}
                         for issue, x in (("budget", budget), ("seat", seat))}}
                    for pid, votes, budget, seat in members],
        "rule": {"thresholds": [{"weight": "votes", "at_least": 21}],
                 "issues": {"seat": {"required": ["a", "b", "c", "d", "e"]}}},
    }


def test_scenario_rules_are_joined_per_issue():
    scenario = Scenario.build(council_scenario())
    data = spatial_problem(scenario)
    assert not data.rules[0].required.any() and data.rules[1].required.all()
    assert data.rules[0].thresholds.tolist() == [21.0]
    assert Procedural().predict(data)[0] == 30.0
    assert 40.0 < Procedural().predict(data)[1] < 70.0  # e dissents on `seat`


def test_procedural_is_registered_and_runs_from_the_cli(tmp_path):
    assert {"procedural", "procedural-fitted"} <= set(MODELS)
    path = tmp_path / "council.yaml"
    path.write_text(json.dumps(council_scenario()))
    result = runner.invoke(app, ["forecast", str(path), "--model", "procedural", "--json",
                                 "--samples", "20"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"]["name"] == "procedural"
    assert data["model"]["parameters"]["band"] == 0.0
    issues = data["issues"]
    assert issues["budget"]["forecast"] == 30.0
    assert 40.0 < issues["seat"]["forecast"] < 70.0
    assert issues["budget"]["interval"][0] <= 30.0 <= issues["budget"]["interval"][1]
