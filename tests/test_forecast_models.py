"""The forecasting models: hand-computed cases, properties, and the shared contract every
registered model meets (Axelrod-style: a new model gets these tests for free)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import UsageError
from accord.forecast import (
    MODELS,
    SpatialProblem,
    compromise_model,
    exchange_model,
    expected_utility_model,
    make_model,
    nash_bargaining_in_space,
    weighted_median,
)
from accord.forecast.expected_utility import _win_probability
from accord.forecast.problem import stack

NAN = math.nan


def problem(positions, saliences=None, capabilities=None, reference=None, outcome=None,
            dossier=None) -> SpatialProblem:
    """A SpatialProblem from nested lists `[issue][actor]`."""
    x = np.array(positions, dtype=float)
    s = np.ones_like(x) if saliences is None else np.array(saliences, dtype=float)
    c = np.ones_like(x) if capabilities is None else np.array(capabilities, dtype=float)
    n, m = x.shape
    return SpatialProblem(
        issue_ids=tuple(f"i{k}" for k in range(n)), actor_ids=tuple(f"a{a}" for a in range(m)),
        positions=x, saliences=np.where(np.isnan(x), 0.0, s), capabilities=c,
        reference=np.full(n, NAN) if reference is None else np.array(reference, dtype=float),
        outcome=np.full(n, NAN) if outcome is None else np.array(outcome, dtype=float),
        dossier=tuple(dossier or [""] * n), scale=np.tile([0.0, 100.0], (n, 1)))


# --------------------------------------------------------------------- hand-computed cases


def test_compromise_is_the_capability_salience_weighted_mean():
    assert compromise_model(np.array([0.0, 100.0]), np.array([1.0, 1.0]),
                            np.array([1.0, 3.0])) == pytest.approx(75.0)
    # 0.5 * 1 * 20 + 1 * 2 * 80 over 0.5 + 2 = 68
    assert compromise_model(np.array([20.0, 80.0]), np.array([0.5, 1.0]),
                            np.array([1.0, 2.0])) == pytest.approx(68.0)
    # absent actors take no part; without any weight, the plain mean of the positions
    assert compromise_model(np.array([0.0, NAN, 100.0]), np.ones(3),
                            np.array([1.0, 9.0, 1.0])) == pytest.approx(50.0)
    assert compromise_model(np.array([10.0, 40.0]), np.zeros(2), np.ones(2)) == pytest.approx(25)
    assert np.isnan(compromise_model(np.array([NAN, NAN]), np.ones(2), np.ones(2)))


def test_weighted_median_by_hand():
    assert weighted_median(np.array([0.0, 50.0, 100.0]), np.ones(3)) == 50.0
    assert weighted_median(np.array([0.0, 50.0, 100.0]), np.array([3.0, 1.0, 1.0])) == 0.0
    # exactly half the weight on each side: the midpoint between the two middle positions
    assert weighted_median(np.array([0.0, 100.0]), np.ones(2)) == 50.0
    assert weighted_median(np.array([40.0, 10.0, 30.0, 20.0]), np.ones(4)) == 25.0
    assert weighted_median(np.array([10.0, NAN, 90.0]), np.array([2.0, 5.0, 1.0])) == 10.0


def test_nash_bargaining_in_space_by_hand():
    x = np.array([[0.0, 100.0]])
    no_status_quo = np.array([NAN])
    # worst outcome as disagreement: max log(100 - z) + w log z  =>  z = 100 w / (1 + w)
    assert nash_bargaining_in_space(x, np.array([[1.0, 1.0]]), no_status_quo)[0] == \
        pytest.approx(50.0, abs=1e-9)
    assert nash_bargaining_in_space(x, np.array([[1.0, 3.0]]), no_status_quo)[0] == \
        pytest.approx(75.0, abs=1e-9)
    # a status quo between the two ideal points: nothing both prefer, so the status quo
    assert nash_bargaining_in_space(x, np.array([[1.0, 3.0]]), np.array([20.0]))[0] == \
        pytest.approx(20.0, abs=1e-9)
    # status quo 0, ideals 40 (weight 1) and 60 (weight 2): on [40, 60] maximise
    # log(80 - z) + 2 log z  =>  z = 160 / 3
    assert nash_bargaining_in_space(np.array([[40.0, 60.0]]), np.array([[1.0, 2.0]]),
                                    np.array([0.0]))[0] == pytest.approx(160 / 3, abs=1e-9)


def test_expected_utility_one_round_by_hand():
    """A (x=0, c=2, s=1) and B (x=100, c=1, s=0.5), Q = T = 1.

    P_AB = 200 / (200 + 50) = 0.8. With r = 1: EU_AB = 0.5 (0.8*2 - 0.2*2) + 0.5*2 = 1.6,
    EU_BA = 1 * (0.2*2 - 0.8*2) = -1.2. Vulnerabilities -1.2 (A) and 1.6 (B) give R = -1, 1
    and r_A = 2, r_B = 0.5. Then U_sq(A) = 2 - 4/4 = 1 so EU_AB = 1.6 - 1 = 0.6, and
    U_sq(B) = 2 - 4 sqrt(0.5) so EU_BA = -1.2 - U_sq(B) = 2 sqrt(2) - 3.2 < 0: B compromises,
    moving towards A by |EU_BA| / EU_AB.
    """
    path = expected_utility_model(np.array([[0.0, 100.0]]), np.array([[1.0, 0.5]]),
                                  np.array([[2.0, 1.0]]), rounds=2)
    share = (3.2 - 2 * math.sqrt(2)) / 0.6
    assert path.positions[1, 0, 0] == 0.0
    assert path.positions[1, 0, 1] == pytest.approx(100 * (1 - share))
    assert path.median[1, 0] == 0.0
    assert path.mean[0, 0] == pytest.approx(100 * 0.5 / 2.5)
    assert _win_probability(np.array([[0.0, 100.0]]), np.array([[2.0, 0.5]]))[0, 0, 1] == \
        pytest.approx(0.8)


def test_exchange_by_hand_equal_gain():
    """Two actors, two issues: i (0, 0) cares about p (0.8 vs 0.4), j (100, 100) about q
    (0.6 vs 0.2). Outcomes 20 and 60; dq = dp (0.8 + 0.2) / (0.4 + 0.6) = dp; the outcome
    of p may move 20 (to i's position), so dp = dq = 20 and both gain 8: j moves 100 on p
    (to 0), i moves 50 on q, and the outcomes become 0 and 80."""
    voting = exchange_model(np.array([[0.0, 100.0], [0.0, 100.0]]),
                            np.array([[0.8, 0.2], [0.4, 0.6]]), np.ones((2, 2)))
    assert voting == pytest.approx(np.array([[0.0, 0.0], [50.0, 100.0]]))
    forecast = make_model("exchange").predict(problem([[0.0, 100.0], [0.0, 100.0]],
                                                      [[0.8, 0.2], [0.4, 0.6]]))
    assert forecast == pytest.approx([0.0, 80.0])


def test_exchange_only_within_a_dossier():
    separate = problem([[0.0, 100.0], [0.0, 100.0]], [[0.8, 0.2], [0.4, 0.6]],
                       dossier=["a", "b"])
    assert make_model("exchange").predict(separate) == pytest.approx([20.0, 60.0])


def test_fitted_models_recover_a_known_rule():
    """Outcomes made by the compromise with capability^2: the fit finds exponent 2."""
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 100, (40, 5))
    s = rng.uniform(0.1, 1, (40, 5))
    c = np.tile(rng.uniform(0.5, 3, 5), (40, 1))
    truth = compromise_model(x, s, c ** 2)
    fitted = make_model("compromise-fitted").fit(problem(x, s, c, outcome=truth))
    assert (fitted.capability_exponent, fitted.salience_exponent) == (2.0, 1.0)


def test_make_model_reads_parameters_and_rejects_bad_ones():
    model = make_model("expected-utility", Q="0.5", T="0.25", rounds="3")
    assert (model.Q, model.T, model.rounds) == (0.5, 0.25, 3)
    assert make_model("nash", use_reference_point="false").use_reference_point is False
    with pytest.raises(UsageError, match="no parameter"):
        make_model("compromise", Q="1")
    with pytest.raises(UsageError, match="unknown model"):
        make_model("oracle")
    with pytest.raises(UsageError, match="must lie in"):
        make_model("expected-utility", Q="2")


# ------------------------------------------------------------------------------ properties

POSITION = st.floats(0, 100, allow_nan=False)
WEIGHT = st.floats(0.01, 10, allow_nan=False)


@st.composite
def issues(draw: st.DrawFn, max_actors: int = 6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = draw(st.integers(2, max_actors))
    x = np.array(draw(st.lists(POSITION, min_size=m, max_size=m)))
    s = np.array(draw(st.lists(st.floats(0.05, 1), min_size=m, max_size=m)))
    c = np.array(draw(st.lists(WEIGHT, min_size=m, max_size=m)))
    return x, s, c


@given(issues())
def test_compromise_lies_between_the_positions(data):
    x, s, c = data
    assert x.min() - 1e-9 <= compromise_model(x, s, c) <= x.max() + 1e-9


@given(issues())
def test_weighted_median_is_a_weighted_median(data):
    x, s, c = data
    w = s * c
    median = weighted_median(x, w)
    assert w[x < median - 1e-9].sum() <= w.sum() / 2 + 1e-9
    assert w[x > median + 1e-9].sum() <= w.sum() / 2 + 1e-9
    assert weighted_median(100 - x, w) == pytest.approx(100 - median)


@given(issues())
def test_nash_without_status_quo_lies_between_the_positions(data):
    x, s, c = data
    z = nash_bargaining_in_space(x[None], (s * c)[None], np.array([NAN]))[0]
    assert x.min() - 1e-6 <= z <= x.max() + 1e-6


@given(issues(), st.randoms(use_true_random=False))
@settings(max_examples=40)
def test_every_model_ignores_the_order_of_actors(data, random):
    x, s, c = data
    order = list(range(len(x)))
    random.shuffle(order)
    two = problem([x, x[::-1]], [s, s[::-1]], [c, c[::-1]])
    shuffled = problem([x[order], x[::-1][order]], [s[order], s[::-1][order]],
                       [c[order], c[::-1][order]])
    for name in MODELS:
        assert make_model(name).predict(shuffled) == pytest.approx(
            make_model(name).predict(two), abs=1e-6), name


@given(issues())
@settings(max_examples=40)
def test_expected_utility_moves_stay_between_the_positions(data):
    x, s, c = data
    path = expected_utility_model(x[None], s[None], c[None], rounds=4)
    assert (path.positions >= x.min() - 1e-9).all() and (path.positions <= x.max() + 1e-9).all()


# ----------------------------------------------------------------- the contract of a model


@pytest.mark.parametrize("name", list(MODELS))
def test_model_contract(name):
    """Every registered model: named, cited and documented; one forecast per issue, the same
    twice; stacking problems changes nothing (how Monte Carlo samples are evaluated)."""
    from pathlib import Path

    model = make_model(name)
    assert model.name == name and model.citation
    docs = (Path(__file__).resolve().parents[1] / "docs" / "forecast.md").read_text()
    assert f"`{name}`" in docs
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 100, (4, 6))
    x[1, 2] = NAN
    data = problem(x, rng.uniform(0.1, 1, (4, 6)), np.tile(rng.uniform(1, 3, 6), (4, 1)),
                   reference=[10.0, NAN, 90.0, 50.0], outcome=[20.0, 30.0, 80.0, 55.0],
                   dossier=["a", "a", "b", "b"])
    first = model.predict(data)
    assert first.shape == (4,) and np.isfinite(first).all()
    assert (first >= 0).all() and (first <= 100).all()
    assert model.predict(data) == pytest.approx(first)
    assert model.predict(stack([data, data])) == pytest.approx(np.concatenate([first, first]))
    fitted = model.fit(data)
    assert type(fitted) is type(model)
