"""Twin worlds: every twin answers every question exactly as the truth does (checked
here by brute force with `sincere_answers`, independently of the module's own check), and
on single-issue scenarios a twin shows that no mediator can be sure of 99%."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis import compile_space
from accord.analysis.space import Term
from accord.errors import UsageError
from accord.io import resolve
from accord.model.synthetic import random_scenario
from accord.negotiation import sincere_answers
from accord.negotiation.twins import find_twin, same_answers
from accord.negotiation.view import agenda_of, view_of

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external" / "genius-anac"


def views_of(space):
    agenda = agenda_of(space)
    return [view_of(space, k, agenda) for k in range(space.n_parties)]


def every_question(agenda):
    packages = list(itertools.product(*(range(int(s)) for s in agenda.sizes)))
    packages = [p for p in packages if agenda.satisfies_constraints(np.array(p))[0]]
    return [(draft, versus) for draft in packages for versus in [None, *packages]]


def assert_twin_answers_alike(truth, twin):
    questions = every_question(truth[0].agenda)
    for real, other in zip(truth, twin.views):
        for draft, versus in questions:
            assert sincere_answers(real, draft, versus=versus) == \
                sincere_answers(other, draft, versus=versus), (real.party, draft, versus)


def nash_shares(views, packages):
    products = []
    for p in packages:
        gains = [v.utility(p) - v.reservation for v in views]
        ok = all(g > 0 for g in gains) and not any(v.crosses_red_line(p) for v in views)
        products.append(float(np.prod(gains)) if ok else 0.0)
    products = np.array(products)
    return products / products.max()


def assert_claims_hold(truth, twin):
    packages = sorted({d for d, _ in every_question(truth[0].agenda)})
    real, other = nash_shares(truth, packages), nash_shares(list(twin.views), packages)
    both = np.minimum(real, other)
    assert twin.best_for_both == pytest.approx(both.max(), abs=1e-9)
    assert twin.nash_share_in_twin == pytest.approx(other[int(real.argmax())], abs=1e-9)
    assert min(real[packages.index(twin.text_for_both)],
               other[packages.index(twin.text_for_both)]) == pytest.approx(both.max(), abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), issues=st.integers(1, 3), parties=st.integers(2, 3),
       red=st.sampled_from([0.0, 0.2]))
def test_a_twin_answers_every_question_as_the_truth_does(seed, issues, parties, red):
    space = compile_space(random_scenario(issues, 3, parties, seed=seed, red_line_rate=red,
                                          reservation=(0.1, 0.3)))
    truth = views_of(space)
    twin = find_twin(truth)
    if twin is None:
        return
    assert_twin_answers_alike(truth, twin)
    assert_claims_hold(truth, twin)


def test_one_issue_leaves_the_nash_package_to_chance():
    space = compile_space(random_scenario(1, 9, 2, seed=4, red_line_rate=0.0,
                                          reservation=(0.1, 0.3)))
    truth = views_of(space)
    twin = find_twin(truth)
    assert twin is not None
    assert twin.best_for_both < 0.99
    assert_twin_answers_alike(truth, twin)
    assert_claims_hold(truth, twin)


def test_the_check_catches_a_different_answer():
    space = compile_space(random_scenario(2, 3, 2, seed=1, red_line_rate=0.0))
    truth = views_of(space)
    packages = np.indices((3, 3)).reshape(2, -1).T
    assert same_answers(truth[0], truth[0], packages) == (9, 81)
    flipped = replace(truth[0], weights=-truth[0].weights, _cache={})
    assert same_answers(truth[0], flipped, packages) is None


def test_twins_refuse_what_they_cannot_do():
    space = compile_space(random_scenario(6, 5, 2, seed=1))
    with pytest.raises(UsageError, match="15,625 here"):
        find_twin(views_of(space))
    views = views_of(compile_space(random_scenario(2, 2, 2, seed=1)))
    views[1] = replace(views[1], terms=(Term(1, (0, 1), ((0,), (2,)), 0.1),))
    with pytest.raises(UsageError, match="additive"):
        find_twin(views)


@pytest.mark.slow
@pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/external/genius-anac is not here")
@pytest.mark.parametrize("name", ["anac/y2012/FiftyFiftyB", "other/web_service",
                                  "anac/y2015/group3-bank_robbery", "anac/y2015/group7-movie",
                                  "anac/y2016/parsAgent2", "anac/y2015/group11-car_purchase"])
def test_anac_scenarios_where_no_mediator_can_be_sure_of_99_percent(name):
    truth = views_of(compile_space(resolve(ROOT / name)))
    twin = find_twin(truth)
    assert twin is not None and twin.best_for_both < 0.99
    if truth[0].agenda.n_packages() <= 100:  # every draft against every other: by hand
        assert_twin_answers_alike(truth, twin)
        assert_claims_hold(truth, twin)


def test_cli_twins_as_a_user_runs_it(tmp_path):
    from typer.testing import CliRunner

    from accord.cli import app
    from accord.io import save_scenario

    runner = CliRunner()
    one_issue = tmp_path / "one.yaml"
    save_scenario(random_scenario(1, 9, 2, seed=4, red_line_rate=0.0, reservation=(0.1, 0.3)),
                  one_issue)
    result = runner.invoke(app, ["twins", str(one_issue)])
    assert result.exit_code == 0, result.output
    assert "No mediator that learns only from the answers can be sure of 99%" in result.output
    result = runner.invoke(app, ["twins", str(one_issue), "--json"])
    data = json.loads(result.output)
    assert data["twin"] and data["rules_out_99_percent"] and data["best_for_both"] < 0.99
    assert set(data["gains"]) == {p.id for p in random_scenario(
        1, 9, 2, seed=4, red_line_rate=0.0, reservation=(0.1, 0.3)).parties}
    large = tmp_path / "large.yaml"
    save_scenario(random_scenario(6, 5, 2, seed=1), large)
    result = runner.invoke(app, ["twins", str(large)])
    assert result.exit_code == 2 and "15,625 here" in result.output
    assert "Traceback" not in result.output
