"""The engine mediator's fast paths (issue 21) give, bit for bit, what the plain numpy
expressions they replace gave: the summed losses of packages (issue by issue, or over the
whole grid), a party's log gain, the strongest rivals; and whole negotiations keep the
transcripts recorded before the change (digests of `transcript.moves()`, same seeds).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from negotiation_helpers import small_space

from accord.analysis import compile_space
from accord.io import resolve
from accord.negotiation import negotiate, references
from accord.negotiation.mediator import (
    EngineMediator,
    _grid_losses,
    _leading,
    _log_gain,
    _losses,
)
from accord.negotiation.view import agenda_of

ANAC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external" / "genius-anac"


def digest(transcript) -> str:
    return hashlib.sha256(repr(transcript.moves()).encode()).hexdigest()[:16]


def example_without_terms():
    """docs/example-scenario.yaml without the League's term (as test_negotiation_rules)."""
    scenario = resolve("docs/example-scenario.yaml")
    parties = tuple(party.model_copy(update={"terms": ()}) for party in scenario.parties)
    return compile_space(scenario.model_copy(update={"parties": parties}))


@st.composite
def losses_and_packages(draw, max_worlds: int = 40):
    """Losses (worlds x variables, magnitudes mixed so that the order of a sum shows in its
    rounding) and packages (option per issue) over random issue sizes."""
    seed = draw(st.integers(0, 2**32 - 1))
    worlds = draw(st.integers(1, max_worlds))
    issues = draw(st.integers(1, 13))
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, size=issues)
    offsets = np.r_[0, np.cumsum(sizes)]
    x = rng.random((worlds, int(offsets[-1]))) * rng.choice([1e-7, 1e-3, 1.0, 3.0, 1e3],
                                                            size=(worlds, int(offsets[-1])))
    count = draw(st.integers(0, 300))
    packages = (rng.random((count, issues)) * sizes).astype(np.int64)
    return x, offsets, sizes, packages


@settings(max_examples=300)
@given(losses_and_packages())
def test_losses_sum_as_numpy_summed_the_gathered_array(data):
    x, offsets, _, packages = data
    chosen = offsets[:-1] + packages
    expected = x[:, chosen].sum(axis=2)
    got = _losses(x, chosen)
    assert got.shape == expected.shape
    assert np.array_equal(got.view(np.int64), expected.view(np.int64))  # same bits


@settings(max_examples=100)
@given(losses_and_packages(max_worlds=12))
def test_grid_losses_are_the_losses_of_every_package_in_order(data):
    x, offsets, sizes, _ = data
    if int(np.prod(sizes)) > 20_000:
        return
    grid = np.indices(tuple(int(s) for s in sizes)).reshape(len(sizes), -1).T
    expected = x[:, offsets[:-1] + grid].sum(axis=2)
    got = _grid_losses(x, offsets)
    if len(x) > 1 or len(sizes) < 8:  # one world: numpy sums 8 and more pairwise
        assert np.array_equal(got.view(np.int64), expected.view(np.int64))
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-12)


@settings(max_examples=200)
@given(st.lists(st.one_of(st.floats(-2.0, 2.0), st.sampled_from([0.0, -0.0, 1e-13, -1e-13,
                                                                    1.0, np.inf])),
                min_size=0, max_size=50))
def test_log_gain_is_the_plain_expression(gains):
    gains = np.array(gains, dtype=float)
    expected = np.log(np.maximum(gains, 1e-12)) + np.where(gains > 0, 0.0, -1e6)
    assert np.array_equal(_log_gain(gains.copy()).view(np.int64), expected.view(np.int64))


@settings(max_examples=300)
@given(st.lists(st.one_of(st.integers(-3, 3).map(float), st.just(float("nan")),
                          st.floats(-1.0, 1.0)), min_size=0, max_size=60),
       st.integers(1, 8))
def test_leading_keys_are_the_head_of_a_stable_argsort(keys, count):
    keys = np.array(keys, dtype=float)
    assert np.array_equal(_leading(keys, count), np.argsort(keys, kind="stable")[:count])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_log_products_match_the_gathered_array(seed):
    """On an enumerable space, every path of `log_products` (the grid, one package at a
    time, a single world) gives the expression it replaces, bit for bit."""
    space = small_space(parties=3)
    mediator = EngineMediator()
    mediator.start(agenda_of(space), np.random.default_rng(seed), 50)
    rng = np.random.default_rng(seed)
    offsets = space.offsets[:-1]
    everything = mediator.packages
    for worlds, packages in [(32, everything), (3, everything[::2]), (1, everything),
                             (32, everything[:5])]:
        samples = [rng.random((worlds, space.n_vars)) * 0.6 for _ in range(space.n_parties)]
        expected = np.zeros((worlds, len(packages)))
        for x in samples:
            gains = 1.0 - x[:, offsets + packages].sum(axis=2)
            expected += np.log(np.maximum(gains, 1e-12)) + np.where(gains > 0, 0.0, -1e6)
        got = mediator.log_products(samples, packages)
        assert np.array_equal(got.view(np.int64), expected.view(np.int64))


# Recorded with the mediator as it was before the fast paths (same seeds, 50 rounds).
PINNED = [
    ("small3", 0, "e4749c024b60bdff"),
    ("small3", 1, "7864da9f1e9c74eb"),
    ("small2", 2, "3cae7d25ed2286d9"),
    ("example", 0, "d9faf8e801d77248"),
    ("example", 3, "453734b90c7db585"),
]
PINNED_ANAC = [
    ("anac/y2012/CameraB", 0, "025f8236b7a722f6"),
    ("anac/y2015/group2-politics", 4, "16d3ad0a28bdda77"),
]


def run(space, seed: int) -> str:
    transcript, _ = negotiate(space, "single-text", ["sincere"] * space.n_parties, seed=seed,
                              mediator="engine", refs=references(space), deadline=50)
    return digest(transcript)


@pytest.mark.parametrize("name, seed, expected", PINNED)
def test_transcripts_are_those_recorded_before(name, seed, expected):
    space = {"small3": lambda: small_space(parties=3), "small2": lambda: small_space(parties=2),
             "example": example_without_terms}[name]()
    assert run(space, seed) == expected


@pytest.mark.skipif(not ANAC.is_dir(), reason="../shared/data/external/genius-anac is not here")
@pytest.mark.parametrize("name, seed, expected", PINNED_ANAC)
def test_anac_transcripts_are_those_recorded_before(name, seed, expected):
    assert run(compile_space(resolve(ANAC / name)), seed) == expected
