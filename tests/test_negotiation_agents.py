"""The contract every agent signs, after Axelrod's TestPlayer: each shipped agent's test
class inherits `AgentContract` and gets these checks for free — same seed, same
transcript; never an offer, acceptance or signature across its own red lines; it sees only
its own preferences; clone = fresh; registered, with metadata, and documented."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from negotiation_helpers import Scripted, small_space, with_others_changed

from accord.analysis.space import Space
from accord.negotiation import (
    REGISTRY,
    SHIPPED,
    Agent,
    Answers,
    Consult,
    Turn,
    make_agent,
    negotiate,
    view_of,
)
from accord.negotiation.view import PrivateView

DOCS = Path(__file__).resolve().parents[1] / "docs" / "negotiation.md"
OPPONENTS = ["boulware", "conceder", "hard-liner", "random", "tit-for-tat"]
PROTOCOLS = ["alternating-offers", "single-text"]


def crosses(space: Space, party: int, package) -> bool:
    return bool(space.veto[party, space.package_vars(np.array(package))].any())


class AgentContract:
    agent: str = ""

    def make(self) -> Agent:
        return make_agent(self.agent)

    def test_registered_with_metadata_and_documented(self):
        cls = REGISTRY[self.agent]
        assert cls in SHIPPED and cls.name == self.agent
        assert {"family", "stochastic", "concedes"} <= set(cls.metadata)
        assert f"`{self.agent}`" in DOCS.read_text(encoding="utf-8")

    @pytest.mark.parametrize("protocol", PROTOCOLS)
    @pytest.mark.parametrize("opponent", OPPONENTS)
    def test_same_seed_same_transcript(self, protocol, opponent):
        space = small_space()
        runs = [negotiate(space, protocol, [self.make(), make_agent(opponent)], seed=11,
                          deadline=20, mediator="hill-climber")[0].moves() for _ in range(2)]
        assert runs[0] == runs[1]

    def test_clone_plays_like_a_fresh_agent(self):
        space = small_space()
        agent = self.make()
        first = negotiate(space, "alternating-offers", [agent, "linear"], seed=5)[0].moves()
        again = negotiate(space, "alternating-offers", [agent.clone(), "linear"], seed=5)[0]
        assert again.moves() == first

    @pytest.mark.parametrize("seed", range(4))
    @pytest.mark.parametrize("protocol", PROTOCOLS + ["stacked-alternating-offers", "shuttle"])
    def test_never_crosses_its_own_red_lines(self, protocol, seed):
        space = small_space(parties=3 if "stacked" in protocol or protocol == "shuttle" else 2,
                            seed=seed, red_line_rate=0.6)
        assert space.veto.any()
        seats = [self.make()] + [make_agent(OPPONENTS[(seed + k) % len(OPPONENTS)])
                                 for k in range(space.n_parties - 1)]
        transcript, result = negotiate(space, protocol, seats, seed=seed, deadline=15,
                                       mediator="hill-climber")
        for event in transcript.events:
            if event.actor != 0:
                continue
            if event.kind in ("offer", "accept"):
                assert not crosses(space, 0, event.package), event
            if event.kind == "answers" and event.accept:
                assert not crosses(space, 0, event.package), event
        if result.agreement:
            assert not crosses(space, 0, result.package)

    def test_answers_point_by_point(self):
        space = small_space()
        agent = self.make()
        agent.start(view_of(space, 0), np.random.default_rng(0))
        reply = agent.decide(Consult(0.5, 3, (0, 0, 0, 0)))
        assert isinstance(reply, Answers) and len(reply.stances) == space.n_issues

    def test_sees_only_its_own_preferences(self):
        space = small_space(parties=2)
        script = Scripted([(0, 1, 2, 0), (1, 1, 1, 1), (2, 0, 1, 2), (0, 2, 2, 1)] * 5)
        moves = []
        for variant in (space, with_others_changed(space, party=0)):
            agent = self.make()
            transcript, _ = negotiate(variant, "alternating-offers", [agent, script], seed=2,
                                      deadline=10)
            moves.append([m for m in transcript.moves() if m[1] == 0])
            assert not _holds(agent, Space), "an agent must never hold the compiled space"
            view = agent.view
            assert isinstance(view, PrivateView) and view.weights.ndim == 1
        assert moves[0] == moves[1]


def _holds(obj, kind, depth=0) -> bool:
    if isinstance(obj, kind):
        return True
    if depth > 3:
        return False
    items = obj.values() if isinstance(obj, dict) else (
        obj if isinstance(obj, (list, tuple)) else getattr(obj, "__dict__", {}).values())
    return any(_holds(item, kind, depth + 1) for item in items
               if not isinstance(item, (str, bytes, np.ndarray, int, float)))


class TestBoulware(AgentContract):
    agent = "boulware"

    def test_concedes_late(self):
        agent = self.make()
        agent.start(view_of(small_space(), 0), np.random.default_rng(0))
        best, floor = agent.best, agent.floor
        assert agent.aspiration(0.5) > floor + 0.8 * (best - floor)
        assert agent.aspiration(1.0) == pytest.approx(floor)


class TestLinear(AgentContract):
    agent = "linear"

    def test_concedes_linearly(self):
        agent = self.make()
        agent.start(view_of(small_space(), 0), np.random.default_rng(0))
        assert agent.aspiration(0.5) == pytest.approx((agent.best + agent.floor) / 2)


class TestConceder(AgentContract):
    agent = "conceder"

    def test_concedes_early(self):
        agent = self.make()
        agent.start(view_of(small_space(), 0), np.random.default_rng(0))
        assert agent.aspiration(0.5) < (agent.best + agent.floor) / 2


class TestTitForTat(AgentContract):
    agent = "tit-for-tat"

    def test_mirrors_the_concession_it_receives(self):
        space = small_space()
        agent = self.make()
        view = view_of(space, 0)
        agent.start(view, np.random.default_rng(0))
        packages, values = view.rungs()
        low, higher = packages[0], packages[len(packages) // 2]
        agent.decide(Turn(0.1, 1, low, 1))
        before = agent.level
        agent.decide(Turn(0.2, 3, higher, 1))
        assert agent.level == pytest.approx(
            max(agent.floor, before - (view.utility(higher) - view.utility(low))))


class TestHardLiner(AgentContract):
    agent = "hard-liner"

    def test_always_offers_its_best(self):
        space = small_space()
        transcript, _ = negotiate(space, "alternating-offers", ["hard-liner", "hard-liner"],
                                  seed=0, deadline=5)
        best = view_of(space, 0).best_package()
        assert {e.package for e in transcript.events if e.actor == 0} == {best}


class TestRandomAgent(AgentContract):
    agent = "random"

    def test_different_seeds_differ(self):
        space = small_space()
        runs = {tuple(negotiate(space, "alternating-offers", ["random", "hard-liner"],
                                seed=s, deadline=10)[0].moves()) for s in range(5)}
        assert len(runs) > 1


class TestSincere(AgentContract):
    agent = "sincere"

    def test_signs_whatever_is_worth_its_reservation(self):
        space = small_space()
        agent = self.make()
        view = view_of(space, 0)
        agent.start(view, np.random.default_rng(0))
        for package in view.rungs()[0]:
            assert agent.decide(Consult(0.0, 0, package)).accept == (
                view.utility(package) >= view.reservation)


def test_every_shipped_agent_has_a_contract_test():
    tested = {cls.agent for cls in AgentContract.__subclasses__()}
    assert tested == {cls.name for cls in SHIPPED}
