"""Monte Carlo: seeds, workers, noise; option probabilities and the odds of a zone of
agreement on the shipped ukraine-2025 scenario; the scenario's spatial form."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord.forecast import (
    Noise,
    forecast_scenario,
    forecast_to_dict,
    make_model,
    monte_carlo,
    option_probabilities,
    spatial_problem,
    zone_probability,
)
from accord.model import Issue, IssuePreference, Option, Party, Scenario


@pytest.fixture(scope="module")
def ukraine():
    return accord.load("ukraine-2025")


def test_spatial_form_of_a_discrete_scenario(ukraine):
    problem = spatial_problem(ukraine)
    assert problem.positions.shape == (len(ukraine.issues), len(ukraine.parties))
    # Russia values withdrawal to Russia most on the Donetsk issue (position 0), Ukraine
    # holding the line (100)
    k = problem.issue_ids.index("donetsk-remainder")
    assert problem.positions[k, problem.actor_ids.index("russia")] == 0.0
    assert problem.positions[k, problem.actor_ids.index("ukraine")] == 100.0
    assert problem.saliences.max() == 1.0 and (problem.saliences >= 0).all()
    assert problem.capabilities[0].tolist() == [p.capability for p in ukraine.parties]


def test_stated_positions_and_ties_in_valuations():
    issue = Issue(id="line", title="line", options=(
        Option(id="a", label="a", position=0), Option(id="b", label="b", position=40),
        Option(id="c", label="c", position=100)))
    tie = IssuePreference(salience=2.0, valuations={"a": 1.0, "b": 1.0, "c": 0.0})
    scenario = Scenario(id="s", title="s", issues=(issue,), parties=(
        Party(id="p", name="p", preferences={"line": tie}),
        Party(id="q", name="q", positions={"line": 70.0},
              preferences={"line": IssuePreference(salience=1.0, valuations={
                  "a": 0.0, "b": 0.5, "c": 1.0})})))
    problem = spatial_problem(scenario)
    assert problem.positions.tolist() == [[20.0, 70.0]]  # the mean of the tied best options
    assert problem.saliences.tolist() == [[1.0, 0.5]]


def test_same_seed_same_samples_other_seed_other_samples(ukraine):
    problem = spatial_problem(ukraine)
    model = make_model("compromise")
    first = monte_carlo(problem, model, samples=40, seed=7).samples
    assert np.array_equal(first, monte_carlo(problem, model, samples=40, seed=7).samples)
    assert not np.array_equal(first, monte_carlo(problem, model, samples=40, seed=8).samples)
    # a sample depends on its own seed only: the first 30 of 40 are the 30 of a shorter run
    assert np.array_equal(first[:30], monte_carlo(problem, model, samples=30, seed=7).samples)


@pytest.mark.slow
def test_workers_do_not_change_the_result(ukraine):
    problem = spatial_problem(ukraine)
    for name in ("expected-utility", "exchange"):
        one = monte_carlo(problem, make_model(name), samples=60, seed=3, workers=1)
        two = monte_carlo(problem, make_model(name), samples=60, seed=3, workers=2)
        assert np.array_equal(one.samples, two.samples), name
    odds = [zone_probability(ukraine, samples=60, seed=3, workers=w,
                             noise=Noise(red_lines=0.5)) for w in (1, 2)]
    assert odds[0] == odds[1]


def test_without_noise_every_sample_is_the_point_forecast(ukraine):
    problem = spatial_problem(ukraine)
    quiet = Noise(position=0, salience=0, capability=0)
    dist = monte_carlo(problem, make_model("nash"), samples=30, noise=quiet)
    assert np.allclose(dist.samples, dist.point[None, :])
    low, high = dist.interval()
    assert np.allclose(low, high)


def test_model_error_widens_the_intervals(ukraine):
    problem = spatial_problem(ukraine)
    narrow = monte_carlo(problem, make_model("compromise"), samples=200)
    wide = monte_carlo(problem, make_model("compromise"), samples=200, noise=Noise(model_error=20))
    width = [np.subtract(*d.interval()[::-1]).mean() for d in (narrow, wide)]
    assert width[1] > width[0] + 10
    assert (wide.samples >= 0).all() and (wide.samples <= 100).all()


def test_noise_must_be_sensible():
    with pytest.raises(ValueError):
        Noise(position=-1)
    with pytest.raises(ValueError):
        Noise(red_lines=2)


def test_option_probabilities_sum_to_one():
    places = np.array([0.0, 30.0, 70.0, 100.0])
    probabilities = option_probabilities(np.array([10.0, 20.0, 49.0, 51.0, 99.0]), places)
    assert probabilities.tolist() == [0.2, 0.4, 0.2, 0.2]


def test_ukraine_forecast_distributions_and_zone_odds(ukraine):
    result = forecast_scenario(ukraine, "compromise", samples=100, seed=1)
    data = forecast_to_dict(result)
    assert set(data["issues"]) == {issue.id for issue in ukraine.issues}
    for issue in ukraine.issues:
        entry = data["issues"][issue.id]
        low, high = entry["interval"]
        assert 0 <= low <= entry["median"] <= high <= 100
        assert sum(entry["options"].values()) == pytest.approx(1.0)
        assert entry["most_likely_option"] in issue.option_ids()
        assert sum(entry["distribution"]["counts"]) == 100
    # red lines on the Donetsk remainder leave no package whatever the noise; without red
    # lines the reservation values leave room in nearly every sample
    assert data["zone"]["probability"] == 0.0
    assert data["zone"]["probability_without_red_lines"] >= 0.9
    assert data["errors"] is None


def test_waiving_red_lines_opens_the_zone_sometimes(ukraine):
    never = zone_probability(ukraine, samples=50, seed=2)
    always = zone_probability(ukraine, samples=50, seed=2, noise=Noise(red_lines=1.0))
    sometimes = zone_probability(ukraine, samples=50, seed=2, noise=Noise(red_lines=0.5))
    assert never.probability == 0.0
    assert always.probability == always.without_red_lines
    assert 0.0 < sometimes.probability < always.probability
