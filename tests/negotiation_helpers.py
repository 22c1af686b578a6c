"""Shared pieces of the negotiation tests: small scenarios and scripted seats."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from accord.analysis import compile_space
from accord.model.synthetic import random_scenario
from accord.negotiation import Accept, Answers, Consult, Offer, Stance
from accord.negotiation.mediator import Draft, Mediator


def small_space(parties: int = 2, seed: int = 3, red_line_rate: float = 0.3):
    """A few issues, with red lines, small enough to enumerate."""
    return compile_space(random_scenario(4, 3, parties, seed=seed, red_line_rate=red_line_rate,
                                         reservation=(0.1, 0.3)))


def with_others_changed(space, party: int, seed: int = 99):
    """The same space with every other party's weights, red lines and reservation redrawn."""
    rng = np.random.default_rng(seed)
    weights, veto, reservation = space.weights.copy(), space.veto.copy(), space.reservation.copy()
    for p in range(space.n_parties):
        if p != party:
            weights[p] = rng.random(space.n_vars)
            veto[p] = rng.random(space.n_vars) < 0.2
            for i in range(space.n_issues):  # never veto a whole issue
                veto[p, space.offsets[i]] = False
            reservation[p] = rng.random() * 0.5
    return replace(space, weights=weights, veto=veto, reservation=reservation)


class Scripted:
    """A seat that replays a script: offers, accepts (None) or answers, in order; then
    repeats its last move. Mirrors Axelrod's MockPlayer."""

    name = "scripted"

    def __init__(self, moves):
        self.moves = list(moves)

    def start(self, view, rng):
        self.k = 0
        self.seen = []

    def decide(self, request):
        self.seen.append(request)
        move = self.moves[min(self.k, len(self.moves) - 1)]
        self.k += 1
        if isinstance(request, Consult):
            stances, accept = move
            return Answers(tuple(Stance(s) for s in stances), accept,
                           (False,) * len(request.draft))
        return Accept() if move is None else Offer(tuple(move))


class ScriptedMediator(Mediator):
    """Tables the given drafts in order (the last one final)."""

    name = "scripted"

    def __init__(self, drafts, final_at=None):
        super().__init__()
        self.drafts, self.final_at = list(drafts), final_at

    def reset(self):
        self.k, self.feedback = 0, []

    def decide(self, feedback):
        self.feedback.append(feedback)
        k = min(self.k, len(self.drafts) - 1)
        self.k += 1
        return Draft(tuple(self.drafts[k]), final=self.final_at is not None and k >= self.final_at)
