"""Mediators of the single negotiating text: one base class, one decision method, a registry.

The single negotiating text (Fisher's procedure, used by Carter's team at Camp David and
described by Raiffa, *The Art and Science of Negotiation*, 1982, ch. 14): the mediator
drafts one whole text, each party criticises it, the mediator revises, until the mediator
puts a final text to the parties. Klein, Faratin, Sayama & Bar-Yam (2003, "Protocols for
negotiating complex contracts", IEEE Intelligent Systems 18(6)) turned it into an
automated protocol: a mediator mutates the text and keeps what the parties' votes favour.

A mediator sees only the public agenda and the parties' answers (`Feedback`), never their
numbers. Two are shipped:

- `HillClimber`: Klein et al.'s hill-climber over the parties' answers;
- `EngineMediator`: learns each party's preferences from its answers (`learning.PartyModel`)
  and drafts the Nash package of what it has learnt with the exact engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np

from accord.analysis import nash_bargaining_solution
from accord.analysis.space import Space
from accord.analysis.zone import max_min_margin
from accord.errors import UsageError
from accord.negotiation.learning import PartyModel
from accord.negotiation.moves import REJECT_SHARE, Answers
from accord.negotiation.view import Agenda, Package

ENUMERATE_LIMIT = 200_000
"""Up to this many packages the engine mediator scores every package with numpy; beyond,
it asks the MILP engine (`nash_bargaining_solution`) for the Nash package of its model."""


@dataclass(frozen=True)
class Draft:
    """A text the mediator tables; `final` asks the parties to sign or refuse it."""

    package: Package
    final: bool = False


@dataclass(frozen=True)
class Feedback:
    """The answers to the last draft, from the parties consulted (all of them in the
    single-text protocol, one in shuttle diplomacy)."""

    round: int
    draft: Package
    answers: dict[int, Answers]


class Mediator:
    """Base class: `start` with the agenda, then `decide(feedback) -> Draft` each round."""

    name: ClassVar[str] = "mediator"
    metadata: ClassVar[dict[str, Any]] = {"learns": False, "stochastic": True}

    def __init__(self, **params: Any) -> None:
        self.params = params

    def start(self, agenda: Agenda, rng: np.random.Generator, deadline: int) -> None:
        self.agenda, self.rng, self.deadline = agenda, rng, deadline
        self.reset()

    def reset(self) -> None:
        """Clear per-negotiation state."""

    def decide(self, feedback: Feedback | None) -> Draft:
        raise NotImplementedError

    def random_package(self) -> Package:
        for _ in range(1000):
            package = tuple(int(self.rng.integers(s)) for s in self.agenda.sizes)
            if self.agenda.satisfies_constraints(np.array(package))[0]:
                return package
        raise UsageError("the mediator found no package meeting the hard constraints")


def _score(answers: dict[int, Answers]) -> tuple[int, int, int]:
    """Parties signing, then points not crossing red lines, then the sum of stances."""
    return (sum(a.accept for a in answers.values()),
            -sum(sum(a.red_lines) for a in answers.values()),
            sum(int(s) for a in answers.values() for s in a.stances))


class HillClimber(Mediator):
    """Klein et al. (2003): keep the best text so far; propose it with one point changed
    (a point some party rejected, when there is one); keep the change when the parties'
    answers are at least as good; table the best text as final at the deadline."""

    name: ClassVar[str] = "hill-climber"
    metadata: ClassVar[dict] = {"learns": False, "stochastic": True}

    def reset(self) -> None:
        self.best: tuple[Package, tuple] | None = None

    def decide(self, feedback: Feedback | None) -> Draft:
        if feedback is None:
            return Draft(self.random_package())
        score = _score(feedback.answers)
        if self.best is None or score >= self.best[1]:
            self.best = (feedback.draft, score)
        text = self.best[0]
        if feedback.round + 2 >= self.deadline:
            return Draft(text, final=True)
        return Draft(_mutate(self.agenda, self.rng, text, feedback))


def _mutate(agenda: Agenda, rng: np.random.Generator, text: Package,
            feedback: Feedback) -> Package:
    """The text with one point changed: mostly a point some party rejected last round."""
    rejected = sorted({i for a in feedback.answers.values()
                       for i, s in enumerate(a.stances) if s == 0})
    for _ in range(100):
        points = rejected if rejected and rng.random() < 0.7 else range(len(text))
        i = int(rng.choice(list(points)))
        package = list(text)
        package[i] = int(rng.integers(agenda.sizes[i]))
        if tuple(package) != text and agenda.satisfies_constraints(np.array(package))[0]:
            return tuple(package)
    return text


class EngineMediator(Mediator):
    """Learns each party's losses from its answers and drafts with the exact engine.

    Each round it re-estimates every party (analytic centre of the constraints its answers
    imply, `learning.PartyModel`) and builds a model space from the estimates (declared red
    lines kept as red lines). After `explore` random texts, the rounds cycle through:

    1. the Nash package of an *optimistic* model (each loss lowered by `optimism` standard
       deviations, so options it knows little about get tried), computed with the exact
       engine (`nash_bargaining_solution`; by enumeration up to 200,000 packages);
    2. the most informative text of a pool — every one-point variation of the model's Nash
       package, two-point variations and random texts: the one whose answers the model is
       least sure of (sum over parties and points of exp(-z^2/2), z the margin of the
       answer's constraint over its standard deviation in the Dikin ellipsoid — the
       question design of polyhedral conjoint analysis, Toubia et al. 2004);
    3. a hill-climbing step (Klein et al. 2003): the best-answered text so far with one
       point changed, mostly a point someone rejected — it finds texts the parties sign
       even while the model is rough.

    From `final_rounds` before the deadline it tables the Nash package of its (plain)
    model as final; in the last round, if that package was refused, the text all parties
    signed that the model rates best.
    """

    name: ClassVar[str] = "engine"
    metadata: ClassVar[dict] = {"learns": True, "stochastic": True}

    def __init__(self, explore: int = 4, final_rounds: int = 3, pool: int = 600,
                 optimism: float = 1.0) -> None:
        super().__init__(explore=explore, final_rounds=final_rounds, pool=pool,
                         optimism=optimism)
        self.explore, self.final_rounds = explore, final_rounds
        self.pool, self.optimism = pool, optimism

    def reset(self) -> None:
        agenda = self.agenda
        self.models = [PartyModel(int(agenda.offsets[-1])) for _ in range(agenda.n_parties)]
        self.signatures: dict[Package, set[int]] = {}
        self.climb: tuple[Package, tuple] | None = None
        self.packages = None
        if agenda.n_packages() <= ENUMERATE_LIMIT:
            grids = np.indices(tuple(int(s) for s in agenda.sizes)).reshape(agenda.n_issues, -1).T
            self.packages = grids[agenda.satisfies_constraints(grids)]

    def decide(self, feedback: Feedback | None) -> Draft:
        if feedback is not None:
            chosen = self.agenda.offsets[:-1] + np.array(feedback.draft)
            for party, answers in feedback.answers.items():
                self.models[party].observe(chosen, answers)
                self.signatures.setdefault(feedback.draft, set()).update(
                    [party] if answers.accept else [])
        round_ = 0 if feedback is None else feedback.round + 1
        if feedback is not None:
            score = _score(feedback.answers)
            if self.climb is None or score >= self.climb[1]:
                self.climb = (feedback.draft, score)
        if round_ < self.explore:
            return Draft(self.random_package())
        estimates = [m.estimate() for m in self.models]
        nash = self.nash_of_model(estimates)
        if round_ == self.deadline - 1:
            return Draft(self.safest(nash, estimates), final=True)
        if round_ >= self.deadline - self.final_rounds:
            return Draft(nash if self.signatures.get(nash) is None else
                         self.safest(nash, estimates), final=True)
        step = (round_ - self.explore) % 3
        if step == 0:  # optimistic: uncertain losses taken low, so they get tried
            return Draft(self.nash_of_model(_optimistic(estimates, self.optimism)))
        if step == 2 and self.climb is not None:
            return Draft(_mutate(self.agenda, self.rng, self.climb[0], feedback))
        return Draft(self.most_informative(estimates, nash))

    def safest(self, nash: Package, estimates: list[tuple[np.ndarray, np.ndarray]]) -> Package:
        """For the last round: the model's Nash package unless a party refused it, else the
        draft every party has signed that the model rates best (when there is one)."""
        everyone = set(range(self.agenda.n_parties))
        signed = [p for p, who in self.signatures.items() if who == everyone]
        if signed and self.signatures.get(nash) != everyone:
            return max(signed, key=lambda p: self.model_value(p, estimates))
        return nash

    def model_value(self, package: Package, estimates: list[tuple[np.ndarray, np.ndarray]]
                    ) -> float:
        chosen = self.agenda.offsets[:-1] + np.array(package)
        gains = np.array([1.0 - x[chosen].sum() for x, _ in estimates])
        return float(np.log(np.maximum(gains, 1e-300)).sum())

    # ---- the model -----------------------------------------------------------

    def model_space(self, estimates: list[tuple[np.ndarray, np.ndarray]]) -> Space:
        agenda = self.agenda
        return Space(agenda.issue_ids, agenda.option_ids, agenda.party_ids,
                     weights=-np.array([x for x, _ in estimates]),
                     veto=np.array([m.red for m in self.models]),
                     reservation=-np.ones(agenda.n_parties),
                     capability=np.ones(agenda.n_parties),
                     constraints=agenda.constraints, offsets=agenda.offsets)

    def nash_of_model(self, estimates: list[tuple[np.ndarray, np.ndarray]]) -> Package:
        """The Nash package of the estimated preferences (gains 1 - sum of losses)."""
        if self.packages is None:
            space = self.model_space(estimates)
            found = nash_bargaining_solution(replace(space, reservation=space.reservation - 1e-6))
            if found is None:  # no package the model deems acceptable: the max-min one
                fallback = max_min_margin(space)
                return self.random_package() if fallback is None else \
                    tuple(int(o) for o in fallback[0])
            return tuple(int(o) for o in found.package)
        chosen = self.agenda.offsets[:-1] + self.packages
        gains = np.stack([1.0 - x[chosen].sum(axis=1) for x, _ in estimates], axis=1)
        red = np.stack([m.red[chosen].any(axis=1) for m in self.models], axis=1).any(axis=1)
        value = np.where(red | (gains <= 0).any(axis=1), -math.inf,
                         np.log(np.maximum(gains, 1e-300)).sum(axis=1))
        if not np.isfinite(value).any():  # no package the model deems acceptable
            value = np.where(red, -math.inf, gains.min(axis=1))
        return tuple(int(o) for o in self.packages[int(np.argmax(value))])

    # ---- question design -------------------------------------------------------

    def candidates(self, nash: Package) -> np.ndarray:
        agenda, rng = self.agenda, self.rng
        sizes = agenda.sizes
        pool = [np.array(nash)]
        for i, size in enumerate(sizes):  # every one-point variation of the Nash package
            for o in range(int(size)):
                package = np.array(nash)
                package[i] = o
                pool.append(package)
        for _ in range(self.pool // 2):
            package = np.array(nash)
            for i in rng.choice(agenda.n_issues, size=min(2, agenda.n_issues), replace=False):
                package[i] = rng.integers(sizes[i])
            pool.append(package)
        pool.extend(rng.integers(0, sizes, size=(self.pool // 2, agenda.n_issues)))
        pool = np.unique(np.array(pool), axis=0)
        return pool[agenda.satisfies_constraints(pool)]

    def most_informative(self, estimates: list[tuple[np.ndarray, np.ndarray]],
                         nash: Package) -> Package:
        pool = self.candidates(nash)
        chosen = self.agenda.offsets[:-1] + pool
        s = REJECT_SHARE
        score = np.zeros(len(pool))
        for (x, cov), model in zip(estimates, self.models):
            block = cov[chosen[:, :, None], chosen[:, None, :]]
            total_var = block.sum(axis=(1, 2))
            row_var = block.sum(axis=2)
            total = x[chosen].sum(axis=1)
            red = model.red[chosen].any(axis=1)
            for i in range(chosen.shape[1]):
                v = chosen[:, i]
                margin = x[v] + s * total - s  # x_v - s * S(d)
                var = cov[v, v] + 2 * s * row_var[:, i] + s * s * total_var
                score += _surprise(margin, var) * ~red
            score += _surprise(total - 1.0, total_var) * ~red
        return tuple(int(o) for o in pool[int(np.argmax(score))])


def _optimistic(estimates: list[tuple[np.ndarray, np.ndarray]], kappa: float
                ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each loss lowered by kappa standard deviations (optimism under uncertainty)."""
    return [(np.maximum(0.0, x - kappa * np.sqrt(np.maximum(np.diag(cov), 0.0))), cov)
            for x, cov in estimates]


def _surprise(margin: np.ndarray, var: np.ndarray) -> np.ndarray:
    """How uncertain the sign of a linear answer is: exp(-z^2 / 2), 0 when known."""
    known = var < 1e-12
    z = margin / np.sqrt(np.where(known, 1.0, var))
    return np.where(known, 0.0, np.exp(-0.5 * z * z))


MEDIATORS: dict[str, type[Mediator]] = {m.name: m for m in (HillClimber, EngineMediator)}


def make_mediator(name: str, **params: Any) -> Mediator:
    if name not in MEDIATORS:
        raise UsageError(f"unknown mediator {name!r}; known: {', '.join(sorted(MEDIATORS))}")
    return MEDIATORS[name](**params)
