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

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np

from accord.analysis import nash_bargaining_solution
from accord.analysis.space import Space
from accord.analysis.zone import max_min_margin
from accord.errors import SolverLimit, UsageError
from accord.negotiation.learning import PartyModel
from accord.negotiation.moves import REJECT_SHARE, Answers, Comparison
from accord.negotiation.view import Agenda, Package

QUESTION_MEMORY = 24
"""The engine mediator asks to compare a draft with one of this many latest texts."""
ENUMERATE_LIMIT = 200_000
"""Up to this many packages the engine mediator scores every package with numpy; beyond,
it asks the MILP engine (`nash_bargaining_solution`) for the Nash package of its model."""
NODE_LIMIT = 2_000
"""Branch-and-bound nodes the MILP engine may spend on the Nash package of the model."""
SAME_LOSS = 1e-9
"""Losses (in stakes) closer than this are predicted "same": the model keeps a party's
'same' answers as exact equalities, so in every world a repeated comparison ties."""


@dataclass(frozen=True)
class Draft:
    """A text the mediator tables; `final` asks the parties to sign or refuse it."""

    package: Package
    final: bool = False
    versus: Package | None = None
    """An earlier draft to ask the parties to compare this one with (optional)."""


@dataclass(frozen=True)
class Feedback:
    """The answers to the last draft, from the parties consulted (all of them in the
    single-text protocol, one in shuttle diplomacy)."""

    round: int
    draft: Package
    answers: dict[int, Answers]
    versus: Package | None = None
    """The earlier text the draft was compared with (each party's `Answers.versus`
    says how; None from a party that was not asked)."""


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

    def tabled_instead(self, draft: Draft) -> None:
        """The text tabled in place of the mediator's last draft (a person chairing a
        room may publish another text): mediators that remember what they asked record
        this one instead. Called before the feedback on it is passed to `decide`."""

    def random_package(self) -> Package:
        for _ in range(1000):
            package = tuple(int(self.rng.integers(s)) for s in self.agenda.sizes)
            if self.agenda.satisfies_constraints(np.array(package))[0]:
                return package
        raise UsageError("the mediator found no package meeting the hard constraints")


def _score(agenda: Agenda, answers: dict[int, Answers]) -> tuple[bool, int, int, int]:
    """Whether the signers carry the text under the agenda's rule, then parties signing,
    then points not crossing red lines, then the sum of stances. (Under unanimity the
    first key only repeats the second: every party signs.)"""
    signed = [p in answers and answers[p].accept for p in range(agenda.n_parties)]
    return (agenda.carried(signed) is not None, sum(signed),
            -sum(sum(a.red_lines) for a in answers.values()),
            sum(int(s) for a in answers.values() for s in a.stances))


class HillClimber(Mediator):
    """Klein et al. (2003): keep the current text; propose it with one point changed (a
    point some party rejected, when there is one) and ask each party whether the change
    is better for it than the current text; adopt the change when it wins signatures or
    clears red lines, or keeps them and no party finds it worse; table the current text
    as final at the deadline. Under a decision rule, a text whose signers win comes
    first."""

    name: ClassVar[str] = "hill-climber"
    metadata: ClassVar[dict] = {"learns": False, "stochastic": True}

    def reset(self) -> None:
        self.best: tuple[Package, tuple] | None = None

    def decide(self, feedback: Feedback | None) -> Draft:
        if feedback is None:
            return Draft(self.random_package())
        score = _score(self.agenda, feedback.answers)
        votes = [a.versus for a in feedback.answers.values() if a.versus is not None]
        if not votes:  # nobody compared (the first change): the answers alone decide
            adopt = self.best is None or score >= self.best[1]
        else:
            adopt = score[:3] > self.best[1][:3] or (
                score[:3] == self.best[1][:3] and min(votes) >= Comparison.SAME)
        if adopt:
            self.best = (feedback.draft, score)
        text = self.best[0]
        if feedback.round + 2 >= self.deadline:
            return Draft(text, final=True, versus=text if text != feedback.draft else None)
        return Draft(_mutate(self.agenda, self.rng, text, feedback), versus=text)


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

    Each round it updates, for every party, the polytope of losses its answers allow
    (`learning.PartyModel`: its analytic centre and points drawn from it by hit-and-run)
    and asks the question that best tells apart the texts that may be the Nash package:

    1. every drawn point (one per party) is a possible world; in each world the Nash
       package and its runners-up are computed exactly over every package (by
       enumeration up to 200,000 packages; beyond, by coordinate ascent from the
       centre's Nash package, which the MILP engine `nash_bargaining_solution` computes);
    2. to the drawn worlds it adds worst cases: for the favourite text's strongest
       `rivals`, the world where the rival beats it by the most (one LP per party,
       `PartyModel.most_favourable`), so that a corner of the polytope where another
       text wins is not missed when the drawn worlds all agree;
    3. it tables the text, and the earlier text to compare it with, whose predicted
       answers (stances, signatures, comparisons) tell apart the most pairs of worlds
       that disagree on the Nash package by more than 1% of its product — a
       version-space (query-by-committee) criterion; a question asked before is never
       asked again.

    The first rounds (as many as the largest issue has options, at most `cover`) show
    every option once. From `final_rounds` before the deadline it tables as final the
    short-listed text with the highest expected share of the Nash product over
    `final_worlds` drawn worlds; in the last round, if that text was refused, the text
    all parties signed that the centre model rates best.
    """

    name: ClassVar[str] = "engine"
    metadata: ClassVar[dict] = {"learns": True, "stochastic": True}

    def __init__(self, cover: int = 12, final_rounds: int = 2, worlds: int = 32,
                 runners_up: int = 3, pool: int = 600, rivals: int = 3,
                 final_worlds: int = 512) -> None:
        super().__init__(cover=cover, final_rounds=final_rounds, worlds=worlds,
                         runners_up=runners_up, pool=pool, rivals=rivals,
                         final_worlds=final_worlds)
        self.cover, self.final_rounds = cover, final_rounds
        self.worlds, self.runners_up, self.pool = worlds, runners_up, pool
        self.rivals, self.final_worlds = rivals, final_worlds

    def reset(self) -> None:
        agenda = self.agenda
        self.models = [PartyModel(agenda.offsets) for _ in range(agenda.n_parties)]
        self.signatures: dict[Package, set[int]] = {}
        self.tabled: list[Package] = []
        self.asked: set[tuple[Package, Package | None]] = set()
        self.last_question: tuple[Package, Package | None] | None = None
        self.packages = None
        if agenda.n_packages() <= ENUMERATE_LIMIT:
            self.packages = agenda.all_packages()

    def decide(self, feedback: Feedback | None) -> Draft:
        offsets = self.agenda.offsets[:-1]
        if feedback is not None:
            chosen = offsets + np.array(feedback.draft)
            versus = None if feedback.versus is None else offsets + np.array(feedback.versus)
            for party, answers in feedback.answers.items():
                self.models[party].observe(chosen, answers, versus)
                self.signatures.setdefault(feedback.draft, set()).update(
                    [party] if answers.accept else [])
        round_ = 0 if feedback is None else feedback.round + 1
        previous = self.tabled[-1] if self.tabled else None
        if round_ < min(self.cover, int(self.agenda.sizes.max())):
            return self.table(Draft(self.covering_package(round_), versus=previous))
        worlds = self.possible_worlds()
        if round_ >= self.deadline - self.final_rounds:
            best = self.final_text(worlds)
            if round_ == self.deadline - 1:
                best = self.safest(best)
            return self.table(Draft(best, final=True, versus=previous))
        return self.table(self.question(worlds, previous))

    def final_text(self, worlds: Worlds) -> Package:
        """The short-listed text with the highest expected share of the Nash product
        over `final_worlds` drawn worlds (the walk goes on from this round's): where
        the answers leave the parties' numbers open, the choice rests on the prior, and
        a few dozen worlds would make it a toss-up."""
        texts = worlds.texts
        value = [worlds.value[:worlds.drawn]]
        for _ in range(max(0, self.final_worlds // self.worlds - 1)):
            samples = [m.sample(self.worlds, self.rng) for m in self.models]
            value.append(self.log_products(samples, texts))
        return tuple(int(o) for o in texts[int(_expected_share(np.vstack(value)).argmax())])

    def covering_package(self, round_: int) -> Package:
        """Opening texts that show every option once in the first rounds (on issue i,
        round r drafts option perm_i[r mod size_i]), so no option stays unasked."""
        if round_ == 0:
            self.orders = [self.rng.permutation(int(s)) for s in self.agenda.sizes]
        package = tuple(int(order[round_ % len(order)]) for order in self.orders)
        if self.agenda.satisfies_constraints(np.array(package))[0]:
            return package
        return self.random_package()

    def table(self, draft: Draft) -> Draft:
        question = (draft.package, draft.versus)
        self.last_question = question if question not in self.asked else None
        self.tabled.append(draft.package)
        self.asked.add(question)
        return draft

    def tabled_instead(self, draft: Draft) -> None:
        if self.tabled:
            self.tabled.pop()
            if self.last_question is not None:  # never asked: forget it
                self.asked.discard(self.last_question)
        self.table(draft)

    def possible_worlds(self) -> Worlds:
        """Drawn worlds (one point of each party's polytope each) and, in each, the best
        texts: the Nash package and its runners-up."""
        samples = [m.sample(self.worlds, self.rng) for m in self.models]
        if self.packages is not None:
            candidates = self.packages
        else:
            centre = self.nash_of_model([m.estimate() for m in self.models])
            candidates = np.unique(np.vstack([self.variations(centre, self.pool),
                                              self.local_optima(samples, centre)]), axis=0)
        candidates = candidates[self.allowed(candidates)]
        if not len(candidates):  # every text crosses a known red line: try anything
            candidates = np.array([self.random_package()])
        value = self.log_products(samples, candidates)
        drawn = len(value)
        samples, value = self.adversaries(samples, candidates, value)
        keep = min(self.runners_up, len(candidates))
        top = np.argpartition(-value, keep - 1, axis=1)[:, :keep]
        shortlist = np.unique(np.concatenate([top.ravel(), [int(value.mean(axis=0).argmax())]]))
        return Worlds(candidates[shortlist], samples, value[:, shortlist], value.max(axis=1),
                      drawn)

    def adversaries(self, samples: list[np.ndarray], candidates: np.ndarray,
                    value: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Add the worst cases of the drawn worlds' favourite text: for each of its
        `rivals` strongest rivals, the world (every party's most favourable losses, an
        LP each) in which the rival beats it by the most. Random worlds can all agree
        while the answers still allow a corner where another text wins; these worlds
        make the mediator ask about it."""
        if self.rivals == 0 or len(candidates) < 2:
            return samples, value
        order = _leading(-_expected_share(value), 1 + self.rivals)
        offsets = self.agenda.offsets[:-1]
        favourite = offsets + candidates[order[0]]
        extra = [[m.most_favourable(offsets + candidates[r], favourite) for m in self.models]
                 for r in order[1:1 + self.rivals]]
        samples = [np.vstack([x, [world[k] for world in extra]]) for k, x in enumerate(samples)]
        added = [x[len(value):] for x in samples]
        return samples, np.vstack([value, self.log_products(added, candidates)])

    def red_lines(self) -> np.ndarray:
        """Per variable: does it cross a red line some party has declared?"""
        return np.any([model.red for model in self.models], axis=0)

    def allowed(self, packages: np.ndarray) -> np.ndarray:
        """Packages crossing no red line the parties have declared."""
        return ~self.red_lines()[self.agenda.offsets[:-1] + packages].any(axis=1)

    def log_products(self, samples: list[np.ndarray], packages: np.ndarray) -> np.ndarray:
        """Log Nash product of each package in each world (worlds x packages); a package
        leaving a party no gain scores -1e6 per such party. Each party's losses are summed
        issue by issue (`_losses`, or over the whole grid of packages when nearly every
        package is asked for, `_grid_losses`), never as a worlds x packages x issues
        array, with the rounding of `x[:, chosen].sum(axis=2)`."""
        agenda = self.agenda
        worlds = len(samples[0])
        if self.packages is not None and worlds > 1 and agenda.n_issues > 1 and (
                len(packages) * agenda.n_issues >= agenda.n_packages()):
            # every package of the grid, then the ones asked for: the sum over parties
            # and the logs are elementwise, so picking before or after is the same
            value = np.zeros((worlds, agenda.n_packages()))
            for x in samples:
                loss = _grid_losses(x, agenda.offsets)
                value += _log_gain(np.subtract(1.0, loss, out=loss))
            sizes = tuple(int(s) for s in agenda.sizes)
            return value[:, np.ravel_multi_index(tuple(packages.T), sizes)]
        chosen = agenda.offsets[:-1] + packages
        value = np.zeros((worlds, len(packages)))
        for x in samples:
            value += _log_gain(1.0 - _losses(x, chosen))
        return value

    def local_optima(self, samples: list[np.ndarray], start: Package) -> np.ndarray:
        """Beyond enumeration: in each world, the Nash package found by coordinate ascent
        from `start` (each issue in turn set to its best option given the others, until
        no issue changes), all worlds at once."""
        agenda = self.agenda
        offsets = agenda.offsets[:-1]
        packages = np.repeat(np.array(start)[None, :], len(samples[0]), axis=0)
        worlds = np.arange(len(packages))
        red = self.red_lines()
        for _ in range(20):
            changed = False
            for i, size in enumerate(agenda.sizes):
                chosen = offsets + packages
                value = np.zeros((len(packages), int(size)))
                for x in samples:
                    rest = x[worlds[:, None], chosen].sum(axis=1) - x[worlds, chosen[:, i]]
                    value += _log_gain(1.0 - rest[:, None] - x[:, offsets[i]:offsets[i] + size])
                value[:, red[offsets[i]:offsets[i] + size]] = -np.inf
                if agenda.constraints:
                    for o in range(int(size)):
                        trial = packages.copy()
                        trial[:, i] = o
                        value[~agenda.satisfies_constraints(trial), o] = -np.inf
                best = value.argmax(axis=1)
                keep = value[worlds, best] <= value[worlds, packages[:, i]] + 1e-12
                best = np.where(keep, packages[:, i], best)
                changed |= bool((best != packages[:, i]).any())
                packages[:, i] = best
            if not changed:
                break
        return np.unique(packages, axis=0)

    def variations(self, centre: Package, count: int) -> np.ndarray:
        """`centre`, every one-point variation of it, two-point variations and random
        texts (`count` of the last two), meeting the hard constraints."""
        agenda, rng, sizes = self.agenda, self.rng, self.agenda.sizes
        pool = [np.array(centre)]
        for i, size in enumerate(sizes):
            for o in range(int(size)):
                package = np.array(centre)
                package[i] = o
                pool.append(package)
        for _ in range(count // 2):
            package = np.array(centre)
            for i in rng.choice(agenda.n_issues, size=min(2, agenda.n_issues), replace=False):
                package[i] = rng.integers(sizes[i])
            pool.append(package)
        pool.extend(rng.integers(0, sizes, size=(count - count // 2, agenda.n_issues)))
        pool = np.unique(np.array(pool), axis=0)
        return pool[agenda.satisfies_constraints(pool)]

    def question(self, worlds: Worlds, previous: Package | None) -> Draft:
        """The text to table, and the earlier text to compare it with, whose expected
        answers tell apart the most pairs of worlds that disagree on the Nash package
        (by more than 1% of its product) — a version-space criterion."""
        best = worlds.best()
        texts = [worlds.texts]
        for centre in worlds.texts[np.argsort(-worlds.nash_odds())[:3]]:
            texts.append(self.variations(tuple(int(o) for o in centre), self.pool // 4))
        tabled = np.array(list(dict.fromkeys(self.tabled))[-QUESTION_MEMORY:], dtype=int
                          ).reshape(-1, self.agenda.n_issues)
        pool = np.unique(np.vstack(texts + [tabled]), axis=0)
        pool = pool[self.allowed(pool)]
        disagree = worlds.disagreement()
        if not len(pool) or not disagree.any():  # the worlds agree: table the best text
            return Draft(best, versus=previous if previous != best else None)
        codes = self.answer_codes(worlds.samples, pool, tabled)  # worlds x pool x (tabled+1)
        differs = codes[:, None] != codes[None, :]
        score = np.einsum("vw,vwij->ij", disagree.astype(float), differs)
        score[self.repeats(pool, tabled)] = -1.0  # sincere answers to a question repeat
        i, j = np.unravel_index(int(np.argmax(score)), score.shape)
        versus = None if j == len(tabled) else tuple(int(o) for o in tabled[j])
        text = tuple(int(o) for o in pool[i])
        return Draft(text, versus=versus if versus != text else None)

    def repeats(self, pool: np.ndarray, tabled: np.ndarray) -> tuple[list[int], list[int]]:
        """Indices (text in pool, text compared with; last: none) of questions asked
        before."""
        row = {tuple(int(o) for o in p): i for i, p in enumerate(pool)}
        column = {tuple(int(o) for o in t): j for j, t in enumerate(tabled)}
        pairs = [(row[text], len(tabled) if versus is None else column[versus])
                 for text, versus in self.asked
                 if text in row and (versus is None or versus in column)]
        pairs += [(row[text], column[text]) for text, versus in self.asked  # vs. itself
                  if versus is None and text in row and text in column]
        return [i for i, _ in pairs], [j for _, j in pairs]

    def answer_codes(self, samples: list[np.ndarray], pool: np.ndarray, tabled: np.ndarray
                     ) -> np.ndarray:
        """What the parties (`samples[k]`: party k's losses, one row per world) would
        answer in each world, hashed to one integer: on each text of the pool (stances
        and signature) compared with each tabled text (last column: compared with
        nothing). `test_negotiation_learning` checks them against `sincere_answers`.
        The order of priorities is left out: with it nearly every world answers every
        question differently, and counting the pairs a question splits stops telling
        questions apart (the mediator reached 99% on 6 fewer ANAC scenarios)."""
        offsets = self.agenda.offsets[:-1]
        chosen = offsets + pool
        earlier = offsets + tabled
        n = len(offsets)
        keys = np.random.default_rng(7).integers(1, 2**40, size=(len(samples), 2 + 2 * n))
        itself = (pool[:, None, :] == tabled[None, :, :]).all(axis=2)  # no comparison
        codes = np.zeros((len(samples[0]), len(pool), len(tabled) + 1), dtype=np.int64)
        for x, key in zip(samples, keys):
            loss = _losses(x, chosen)  # worlds x pool
            limit = REJECT_SHARE * (1.0 - loss) + SAME_LOSS
            text = (loss <= 1.0) * key[0]
            for i in range(n):  # integer keys: the sum is exact in any order
                point = x[:, chosen[:, i]]
                text += np.where(point > limit, key[2 + i], 0)
                text += np.where(point <= SAME_LOSS, key[2 + n + i], 0)
            old = _losses(x, earlier)  # worlds x tabled
            difference = old[:, None, :] - loss[:, :, None]
            compared = np.where(np.abs(difference) <= SAME_LOSS, 0, np.sign(difference)
                                ).astype(np.int64)
            codes[:, :, :-1] += np.where(itself, 0, (compared + 2) * key[1])
            codes += text[:, :, None]
        return codes

    def safest(self, best: Package) -> Package:
        """For the last round: `best` unless a party refused it, else the draft every
        party has signed that the centre model rates best (when there is one)."""
        everyone = set(range(self.agenda.n_parties))
        signed = [p for p, who in self.signatures.items() if who == everyone]
        if signed and self.signatures.get(best, everyone) != everyone:
            return max(signed, key=lambda p: self.model_value(p, [m.estimate()
                                                                  for m in self.models]))
        return best

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
        """The Nash package of the estimated preferences (gains 1 - sum of losses), by
        the MILP engine, started from the package coordinate ascent finds from the last
        draft. The engine gets a limit of work (`NODE_LIMIT` branch-and-bound nodes, the
        same on every machine): on a rare hard model it would take minutes, and then the
        coordinate-ascent package serves."""
        space = self.model_space(estimates)
        start = self.tabled[-1] if self.tabled else self.random_package()
        ascent = self.local_optima([x[None, :] for x, _ in estimates], start)[0]
        try:
            found = nash_bargaining_solution(
                replace(space, reservation=space.reservation - 1e-6), candidates=[ascent],
                node_limit=NODE_LIMIT)
        except SolverLimit:
            return tuple(int(o) for o in ascent)
        if found is None:  # no package the model deems acceptable: the max-min one
            fallback = max_min_margin(space)
            return self.random_package() if fallback is None else \
                tuple(int(o) for o in fallback[0])
        return tuple(int(o) for o in found.package)


@dataclass(frozen=True)
class Worlds:
    """Possible worlds and their best texts: `samples[k][w]` is party k's losses in world
    w, `value[w, t]` short-listed text t's log Nash product there and `top[w]` the world's
    best log product over every candidate."""

    texts: np.ndarray
    samples: list[np.ndarray]
    value: np.ndarray
    top: np.ndarray
    drawn: int | None = None
    """The first `drawn` worlds are drawn at random (the rest: worst cases); None: all."""

    def disagreement(self, within: float = 0.99) -> np.ndarray:
        """Pairs of worlds (v, w) where the Nash package of one gets less than `within`
        of the Nash product in the other."""
        share = np.exp(np.minimum(self.value - self.top[:, None], 0.0))  # world x text
        winners = self.value.argmax(axis=1)
        short = share[:, winners] < within  # [v, w]: w's winner falls short in v
        return short | short.T

    def nash_odds(self) -> np.ndarray:
        """Share of the worlds in which each text is the Nash package."""
        winners = self.value.argmax(axis=1)
        return np.bincount(winners, minlength=len(self.texts)) / len(winners)

    def best(self) -> Package:
        """The text with the highest expected share of the Nash product over the drawn
        worlds."""
        share = _expected_share(self.value[:self.drawn])
        return tuple(int(o) for o in self.texts[int(share.argmax())])


def _expected_share(value: np.ndarray) -> np.ndarray:
    """Per text, its mean over the worlds of its share of the world's best Nash product
    (`value`: worlds x texts, log Nash products; each world's best among the texts)."""
    return np.exp(np.minimum(value - value.max(axis=1)[:, None], 0.0)).mean(axis=0)


def _leading(keys: np.ndarray, count: int) -> np.ndarray:
    """`np.argsort(keys, kind="stable")[:count]` without sorting everything: the keys up
    to the count-th smallest (ties with it included, in index order), sorted stably."""
    if len(keys) <= count:
        return np.argsort(keys, kind="stable")
    bound = np.partition(keys, count - 1)[count - 1]
    if np.isnan(bound):  # NaNs sort last: fewer than `count` numbers
        return np.argsort(keys, kind="stable")[:count]
    near = np.flatnonzero(keys <= bound)
    return near[np.argsort(keys[near], kind="stable")][:count]


def _losses(x: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """`x[:, chosen].sum(axis=2)` (worlds x packages: each package's summed losses, x:
    worlds x variables, chosen: packages x issues, variable indices), bit for bit, without
    the worlds x packages x issues array: numpy sums that short last axis left to right,
    ((a0 + a1) + a2) + ..., as this loop does. With a single world numpy takes another
    path (pairwise from 8 issues on), so then the array is built as before."""
    if len(x) < 2 or chosen.shape[1] < 2:
        return x[:, chosen].sum(axis=2)
    total = x[:, chosen[:, 0]]
    for i in range(1, chosen.shape[1]):
        total += x[:, chosen[:, i]]
    return total


def _grid_losses(x: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Summed losses of every package of the grid (worlds x packages, packages in
    lexicographic order, the last issue fastest), each summed left to right over the
    issues as `_losses` does: partial sums over the first issues are shared, so the work
    is about one addition per package and world."""
    total = x[:, offsets[0]:offsets[1]]
    for start, stop in zip(offsets[1:-1], offsets[2:]):
        total = (total[:, :, None] + x[:, None, start:stop]).reshape(len(x), -1)
    return total


def _log_gain(gains: np.ndarray) -> np.ndarray:
    """A party's term of the log Nash product: log of its gain, -1e6 without a gain (so
    texts leaving fewer parties without a gain still rank above the others)."""
    value = np.log(np.maximum(gains, 1e-12))
    # as `+ np.where(gains > 0, 0.0, -1e6)`: adding 0.0 changes no bit of a log (never -0.0)
    return np.subtract(value, 1e6, out=value, where=~(gains > 0))


MEDIATORS: dict[str, type[Mediator]] = {m.name: m for m in (HillClimber, EngineMediator)}


def make_mediator(name: str, **params: Any) -> Mediator:
    if name not in MEDIATORS:
        raise UsageError(f"unknown mediator {name!r}; known: {', '.join(sorted(MEDIATORS))}")
    return MEDIATORS[name](**params)
