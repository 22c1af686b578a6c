"""What the engine mediator learns from answers: sound constraints, samples inside them,
comparisons only of texts a party has seen."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from negotiation_helpers import Scripted, ScriptedMediator, small_space

from accord.analysis import compile_space
from accord.errors import UsageError
from accord.model.synthetic import random_scenario
from accord.negotiation import (
    Answers,
    Comparison,
    Consult,
    Stance,
    negotiate,
    sincere_answers,
    view_of,
)
from accord.negotiation.learning import SPAN, PartyModel
from accord.negotiation.view import agenda_of


def true_losses(view) -> np.ndarray:
    """The party's loss on every variable against its best allowed option, in units of its
    stake (best allowed package minus reservation): what `PartyModel` estimates. (A
    red-lined option may be worth more than the best allowed one: its loss is negative.)"""
    offsets, weights, veto = view.agenda.offsets, view.weights, view.veto
    losses, best_total = np.zeros(len(weights)), 0.0
    for i in range(len(offsets) - 1):
        block = slice(offsets[i], offsets[i + 1])
        allowed = np.where(veto[block], -np.inf, weights[block])
        best_total += allowed.max()
        losses[block] = allowed.max() - weights[block]
    return losses / (best_total - view.reservation)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), rounds=st.integers(1, 12))
def test_the_truth_meets_every_constraint_the_answers_imply(seed, rounds):
    """Soundness: whatever drafts are tabled, the party's real losses satisfy every
    constraint its sincere answers (with comparisons) add to the model."""
    space = compile_space(random_scenario(4, 3, 2, seed=seed, red_line_rate=0.2,
                                          reservation=(0.0, 0.4)))
    agenda = agenda_of(space)
    view = view_of(space, 0, agenda)
    x = true_losses(view)
    model = PartyModel(agenda.offsets)
    rng = np.random.default_rng(seed)
    previous = None
    for _ in range(rounds):
        draft = tuple(int(rng.integers(s)) for s in agenda.sizes)
        answers = sincere_answers(view, draft, versus=previous)
        chosen = agenda.offsets[:-1] + np.array(draft)
        model.observe(chosen, answers,
                      None if previous is None else agenda.offsets[:-1] + np.array(previous))
        previous = draft
    rows, bounds = np.array(model.rows).reshape(-1, len(x)), np.array(model.bounds)
    assert (rows @ x <= bounds + 1e-9).all()
    assert (x[model.zero] <= 1e-9).all()
    assert (np.abs(np.array(model.ties).reshape(-1, len(x)) @ x) <= 1e-9).all()


def polytope_holds(model, points: np.ndarray) -> np.ndarray:
    """Which rows of `points` (losses) meet every constraint of the model's polytope
    (ties included), with each issue's largest loss as the prior's auxiliary."""
    free, basis, a, b = model._polytope
    offsets = model.offsets
    largest = np.column_stack([points[:, offsets[i]:offsets[i + 1]].max(axis=1)
                               for i in range(len(offsets) - 1)])
    y = np.hstack([points[:, free], largest])
    z = y @ basis
    on_ties = np.abs(z @ basis.T - y).max(axis=1) <= 1e-7
    return on_ties & (z @ a.T <= b + 1e-7).all(axis=1) & (points[:, model.zero] == 0).all(axis=1)


def test_samples_lie_in_the_polytope_and_spread_over_it():
    space = small_space(parties=2, seed=5, red_line_rate=0.0)
    agenda = agenda_of(space)
    view = view_of(space, 1, agenda)
    model = PartyModel(agenda.offsets)
    rng = np.random.default_rng(0)
    previous = None
    for _ in range(6):
        draft = tuple(int(rng.integers(s)) for s in agenda.sizes)
        model.observe(agenda.offsets[:-1] + np.array(draft),
                      sincere_answers(view, draft, versus=previous),
                      None if previous is None else agenda.offsets[:-1] + np.array(previous))
        previous = draft
    points = model.sample(64, rng)
    free, basis, a, b = model._polytope
    columns = np.r_[free, model.n_vars + np.arange(len(agenda.offsets) - 1)]
    assert (model._chains[:, columns] @ basis @ a.T <= b + 1e-9).all()
    assert (points[:, model.zero] == 0).all()
    assert points[:, free].std(axis=0).min() > 0  # a cloud, not one point
    assert (np.abs(np.array(model.ties).reshape(-1, model.n_vars) @ points.T) <= 1e-9).all()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), rounds=st.integers(2, 10))
@example(seed=164, rounds=4)  # `against` unacceptable in every allowed world: was the centre
def test_the_most_favourable_world_beats_every_sampled_one(seed, rounds):
    """The worst case the mediator guards against (an LP after Charnes-Cooper) is a point
    of the polytope, and no drawn point favours one text over another by more; where no
    allowed world keeps `against` above the floor, none beats it by a larger difference."""
    space = compile_space(random_scenario(4, 3, 2, seed=seed, red_line_rate=0.0,
                                          reservation=(0.0, 0.4)))
    agenda = agenda_of(space)
    view = view_of(space, 0, agenda)
    model = PartyModel(agenda.offsets)
    rng = np.random.default_rng(seed)
    previous = None
    for _ in range(rounds):
        draft = tuple(int(rng.integers(s)) for s in agenda.sizes)
        model.observe(agenda.offsets[:-1] + np.array(draft),
                      sincere_answers(view, draft, versus=previous),
                      None if previous is None else agenda.offsets[:-1] + np.array(previous))
        previous = draft
    towards, against = (agenda.offsets[:-1] + np.array([int(rng.integers(s)) for s in
                                                        agenda.sizes]) for _ in range(2))
    worst = model.most_favourable(towards, against)
    assert polytope_holds(model, worst[None, :]).all()
    points = model.sample(200, rng)
    floor = 1e-3

    def ratio(x):
        return (1.0 - x[..., towards].sum(axis=-1)) / (1.0 - x[..., against].sum(axis=-1))

    def difference(x):
        return x[..., against].sum(axis=-1) - x[..., towards].sum(axis=-1)

    usable = 1.0 - points[:, against].sum(axis=1) >= floor
    if 1.0 - worst[against].sum() >= floor - 1e-7:
        if usable.any():
            assert ratio(worst) >= ratio(points[usable]).max() - 1e-6
    else:  # then no drawn point may keep `against` above the floor either
        assert not usable.any()
        assert difference(worst) >= difference(points).max() - 1e-6


def test_sincere_comparison_follows_utilities():
    space = small_space(parties=2, seed=7, red_line_rate=0.0)
    view = view_of(space, 0)
    packages = [(0, 0, 0, 0), (1, 2, 0, 1), (2, 1, 1, 0)]
    for a in packages:
        for b in packages:
            got = sincere_answers(view, a, versus=b).versus
            difference = view.utility(a) - view.utility(b)
            want = (Comparison.SAME if abs(difference) < 1e-12 else
                    Comparison.BETTER if difference > 0 else Comparison.WORSE)
            assert got == want
    assert sincere_answers(view, packages[0]).versus is None


@pytest.mark.parametrize("protocol", ["single-text", "shuttle"])
def test_parties_compare_only_with_texts_they_were_shown(protocol):
    """The mediator asks every round to compare with the first draft; in shuttle
    diplomacy party 1 never saw it, so it is never asked."""
    space = small_space(parties=2)
    first, other = (0, 0, 0, 0), (1, 1, 1, 1)

    class Comparing(ScriptedMediator):
        def decide(self, feedback):
            draft = super().decide(feedback)
            return type(draft)(draft.package, draft.final,
                               versus=first if feedback is not None else None)

    seats = [Scripted([((1, 1, 1, 1), False)]), Scripted([((1, 1, 1, 1), False)])]
    transcript, _ = negotiate(space, protocol, seats, seed=0,
                              mediator=Comparing([first, other, other, other]), deadline=4)
    asked = {(e.step, e.actor): e.versus for e in transcript.events if e.kind == "answers"}
    consults = [r for r in seats[1].seen if isinstance(r, Consult)]
    if protocol == "single-text":
        assert all(v == first for (step, _), v in asked.items() if step > 0)
    else:  # party 1 is consulted in round 1 only (and at the final round): never shown `first`
        assert all(c.versus is None for c in consults)
        assert asked[(2, 0)] == first


def test_an_unasked_comparison_is_dropped():
    space = small_space(parties=2)

    class Eager(Scripted):
        def decide(self, request):
            answers = super().decide(request)
            return type(answers)(answers.stances, answers.accept, answers.red_lines,
                                 versus=Comparison.BETTER)

    seats = [Eager([((1, 1, 1, 1), False)]), Eager([((1, 1, 1, 1), False)])]
    mediator = ScriptedMediator([(0, 0, 0, 0), (1, 1, 1, 1)])
    transcript, _ = negotiate(space, "single-text", seats, seed=0, mediator=mediator,
                              deadline=2)
    assert all(e.compared is None for e in transcript.events if e.kind == "answers")
    assert all(a.versus is None for f in mediator.feedback[1:] for a in f.answers.values())


def test_a_comparison_outside_better_same_worse_is_a_clear_error():
    space = small_space(parties=2)

    class Confused(Scripted):
        def decide(self, request):
            answers = super().decide(request)
            return type(answers)(answers.stances, answers.accept, answers.red_lines,
                                 versus="much better")

    seats = [Confused([((1, 1, 1, 1), False)]), Scripted([((1, 1, 1, 1), False)])]
    with pytest.raises(UsageError, match="expected better, same or worse"):
        negotiate(space, "single-text", seats, seed=0,
                  mediator=ScriptedMediator([(0, 0, 0, 0)]), deadline=2)


def test_ties_are_kept_exactly_and_do_not_widen_the_prior():
    """A 'same' comparison is an equality: the model works in the subspace it leaves, so
    every sample ties the two texts exactly, and the prior's span stays as it is."""
    space = small_space(parties=2, red_line_rate=0.0)
    agenda = agenda_of(space)
    model = PartyModel(agenda.offsets)
    offsets = agenda.offsets[:-1]
    live = Answers((Stance.CAN_LIVE_WITH,) * 4, True)
    model.observe(offsets + np.array((0, 0, 0, 0)), live)
    model.observe(offsets + np.array((1, 0, 0, 0)), replace(live, versus=Comparison.SAME),
                  offsets + np.array((0, 0, 0, 0)))
    points = model.sample(32, np.random.default_rng(0))
    _, _, _, bounds = model._polytope
    assert bounds[-1] == SPAN
    tie = offsets + np.array((1, 0, 0, 0)), offsets + np.array((0, 0, 0, 0))
    assert np.abs(points[:, tie[0]].sum(axis=1) - points[:, tie[1]].sum(axis=1)).max() < 1e-9
    assert points[:, offsets[0] + 1].std() > 0  # the tied losses still move together



@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_predicted_answers_tell_questions_apart_as_the_real_ones_do(seed):
    """The engine mediator predicts a party's answers in a world from its losses there.
    In the real world (the party's own losses) two questions get the same prediction
    exactly when the party's sincere answers to them are the same: stances, signature
    and comparison (a text compared with itself: no comparison; priorities are not
    predicted)."""
    from accord.negotiation.mediator import EngineMediator

    space = compile_space(random_scenario(4, 3, 2, seed=seed, red_line_rate=0.0,
                                          reservation=(0.0, 0.4)))
    agenda = agenda_of(space)
    view = view_of(space, 0, agenda)
    mediator = EngineMediator()
    mediator.start(agenda, np.random.default_rng(seed), 10)
    rng = np.random.default_rng(seed)
    pool = np.unique(rng.integers(0, agenda.sizes, size=(12, agenda.n_issues)), axis=0)
    tabled = pool[:4]
    codes = mediator.answer_codes([true_losses(view)[None, :]], pool, tabled)[0]
    answers = {}
    for i, text in enumerate(pool):
        for j in range(len(tabled) + 1):
            versus = None if j == len(tabled) else tuple(int(o) for o in tabled[j])
            text = tuple(int(o) for o in text)
            answers[i, j] = sincere_answers(view, text, versus=None if versus == text else versus)
    for (i, j), mine in answers.items():
        for (k, m), other in answers.items():
            same = (mine.stances, mine.accept, mine.versus) == \
                (other.stances, other.accept, other.versus)
            assert (codes[i, j] == codes[k, m]) == same
