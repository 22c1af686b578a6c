"""Protocols under a decision rule: an offer or text is agreed when the parties that say
yes to it win under the scenario's rule (a quorum that leaves a party out, a veto player
that must be in), nothing passes where no package can, unanimity gives the transcripts it
gave before rules reached the protocols, and the MOPAC-like protocol (every party offers,
every party votes) with its tie-breaks, through the API and the CLI."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from conftest import SHARED
from negotiation_helpers import Scripted, ScriptedMediator, small_space
from typer.testing import CliRunner

from accord.analysis import compile_space, utilities
from accord.analysis.passing import accepting
from accord.cli import app
from accord.io import resolve, save_scenario
from accord.model import Issue, IssuePreference, Option, Party, Rule, Scenario
from accord.negotiation import Accept, Offer, Turn, agenda_of, negotiate, references
from accord.negotiation.protocols import protocols_for
from accord.negotiation.replay import restrict
from accord.negotiation.runners import run_serial
from accord.negotiation.tournament import TournamentConfig, load_bundles, plan
from accord.negotiation.transcript import nash_share

runner = CliRunner()
LLM_BASE = SHARED / "data" / "external" / "llm-deliberation" / "base"
ISSUES = tuple(Issue(id=i, title=f"issue {i}",
                     options=tuple(Option(id=f"{i}{k}", label=f"{i} {k}") for k in range(3)))
               for i in ("x", "y"))


def _party(pid: str, x: tuple, y: tuple, reservation: float, red: tuple = ()) -> Party:
    return Party(id=pid, name=pid, reservation=reservation, preferences={
        issue: IssuePreference(salience=0.5,
                               valuations={f"{issue}{k}": v for k, v in enumerate(values)},
                               red_lines=tuple(r for r in red if r.startswith(issue)))
        for issue, values in (("x", x), ("y", y))})


def quorum() -> Scenario:
    """Two of three must agree; a and b want x0/y0-ish packages, c rejects x0 and y0 and
    needs more than either leaves it: no package all three accept, several a and b do."""
    return Scenario(id="quorum", title="quorum", issues=ISSUES, rule=Rule(at_least=2), parties=(
        _party("a", (1.0, 0.6, 0.0), (1.0, 0.6, 0.0), 0.5),
        _party("b", (0.9, 1.0, 0.0), (0.8, 1.0, 0.0), 0.5),
        _party("c", (0.0, 0.3, 1.0), (0.0, 0.5, 1.0), 0.6, red=("x0", "y0"))))


def veto() -> Scenario:
    """Three of four, d required: a, b and c all accept x0/y0, which crosses d's red line
    (three, but not d: it fails); a, b and d accept x1 with y0 or y1 (it passes)."""
    return Scenario(id="veto", title="veto", issues=ISSUES,
                    rule=Rule(at_least=3, required=("d",)), parties=(
        _party("a", (1.0, 0.8, 0.0), (1.0, 0.8, 0.0), 0.55),
        _party("b", (1.0, 0.8, 0.0), (1.0, 0.8, 0.0), 0.55),
        _party("c", (1.0, 0.0, 0.5), (1.0, 0.5, 0.5), 0.5, red=("x1",)),
        _party("d", (0.0, 1.0, 0.5), (0.5, 1.0, 0.0), 0.5, red=("x0",))))


def deadlock() -> Scenario:
    """Two of three, but each party accepts only its own option of x: nothing passes."""
    parties = tuple(Party(id=p, name=p, reservation=0.5, preferences={
        "x": IssuePreference(salience=1.0, valuations={f"x{k}": float(k == own)
                                                       for k in range(3)})})
        for own, p in enumerate("abc"))
    return Scenario(id="deadlock", title="deadlock", issues=ISSUES[:1], parties=parties,
                    rule=Rule(at_least=2))


def passes(space, package) -> bool:
    return bool(space.winning_rule.is_winning(accepting(space, np.array(package))[0]))


def check_carried(space, transcript, result) -> None:
    """The agreement passes; the coalition that carried it wins and accepts it; the
    parties left out are scored at the agreement, not at their reservation."""
    assert result.agreement and passes(space, result.package)
    coalition = np.zeros(space.n_parties, dtype=bool)
    coalition[list(result.coalition)] = True
    assert transcript.coalition == result.coalition
    assert space.winning_rule.is_winning(coalition)
    assert accepting(space, np.array(result.package))[0][coalition].all()
    assert set(result.left_out) == set(range(space.n_parties)) - set(result.coalition)
    assert result.utilities == pytest.approx(
        tuple(utilities(space, np.array(result.package))[0]))


# ------------------------------------------------------------ the rule reaches the table


def test_the_agenda_carries_the_public_rule():
    space = compile_space(quorum())
    agenda = agenda_of(space)
    assert agenda.rule is space.rule and agenda.winning_rule.min_count == 2
    assert agenda.carried([True, True, False]) == (0, 1)
    assert agenda.carried([False, False, True]) is None
    plain = agenda_of(small_space(parties=3))
    assert plain.rule is None and plain.winning_rule.unanimous
    assert plain.carried([True, True, False]) is None
    assert plain.carried([True, True, True]) == (0, 1, 2)
    # a room replayed with some of the parties: the rule, over all of them, is dropped
    assert restrict(space, ("a", "b", "c")).rule is space.rule
    assert restrict(space, ("b", "a")).rule is None


RUNS = [("stacked-alternating-offers", None, 0), ("single-text", "hill-climber", 0),
        ("shuttle", "hill-climber", 1), ("mopac", None, 0)]


@pytest.mark.parametrize("protocol, mediator, seed", RUNS)
@pytest.mark.parametrize("agents", [["sincere"], ["conceder"], ["boulware"]])
def test_a_quorum_agreement_passes_and_leaves_the_third_party_out(protocol, mediator, seed,
                                                                  agents):
    space = compile_space(quorum())
    transcript, result = negotiate(space, protocol, agents * 3, seed=seed, mediator=mediator,
                                   deadline=30)
    check_carried(space, transcript, result)
    assert len(result.coalition) == 2 and len(result.left_out) == 1
    out = result.left_out[0]  # bound by a package it does not accept: below its reservation
    assert not accepting(space, np.array(result.package))[0][out]
    assert result.utilities[out] < space.reservation[out]


@pytest.mark.parametrize("protocol, mediator, seed", RUNS)
def test_a_veto_player_is_in_every_agreement(protocol, mediator, seed):
    space = compile_space(veto())
    transcript, result = negotiate(space, protocol, ["sincere"] * 4, seed=seed,
                                   mediator=mediator, deadline=30)
    check_carried(space, transcript, result)
    assert 3 in result.coalition and result.package[0] == 1  # d is in; x1, d's best


@pytest.mark.parametrize("protocol, mediator", [(p, m) for p, m, _ in RUNS])
@pytest.mark.parametrize("agents", [["sincere"], ["random"]])
def test_no_agreement_where_nothing_passes(protocol, mediator, agents):
    space = compile_space(deadlock())
    assert not any(passes(space, (k,)) for k in range(3))
    transcript, result = negotiate(space, protocol, agents * 3, seed=0, mediator=mediator,
                                   deadline=10)
    assert not result.agreement and result.coalition is None and result.left_out is None
    assert transcript.agreement is None and transcript.coalition is None
    assert result.utilities == pytest.approx(tuple(space.reservation))


def test_stacked_offers_end_when_the_acceptors_win():
    space = compile_space(quorum())
    a, b = (0, 0), (1, 1)
    transcript, result = negotiate(space, "stacked-alternating-offers",
                                   [Scripted([a]), Scripted([None]), Scripted([b])], deadline=5)
    assert [(e.actor, e.kind) for e in transcript.events] == [(0, "offer"), (1, "accept")]
    assert result.package == a and result.coalition == (0, 1) and result.rounds == 1


def test_stacked_offers_need_the_veto_player():
    space = compile_space(veto())
    p1, p2 = (0, 0), (1, 1)
    seats = [Scripted([p1, None]), Scripted([None]), Scripted([None, None]), Scripted([p2])]
    transcript, result = negotiate(space, "stacked-alternating-offers", seats, deadline=5)
    # a, b and c accept p1: three, but not d; d counters with p2, which a and b accept
    assert [(e.actor, e.kind, e.package) for e in transcript.events] == [
        (0, "offer", p1), (1, "accept", p1), (2, "accept", p1), (3, "offer", p2),
        (0, "accept", p2), (1, "accept", p2)]
    assert result.package == p2 and result.coalition == (0, 1, 3)


def test_a_final_text_is_agreed_when_its_signers_win():
    space = compile_space(veto())
    p1, p2 = (0, 0), (1, 1)
    sign_p1 = ((2, 2), True)
    seats = [Scripted([sign_p1]), Scripted([sign_p1]), Scripted([sign_p1, ((0, 2), False)]),
             Scripted([((0, 2), False), ((2, 2), True)])]
    mediator = ScriptedMediator([p1, p2], final_at=0)
    transcript, result = negotiate(space, "single-text", seats, mediator=mediator, deadline=5)
    # round 1: a, b and c sign p1 (three, without d: refused); round 2: a, b and d sign p2
    assert result.package == p2 and result.rounds == 2 and result.coalition == (0, 1, 3)
    assert result.left_out == (2,)


# ------------------------------------------------------- unanimity: as before the rule


def digest(transcript) -> str:
    return hashlib.sha256(repr(transcript.moves()).encode()).hexdigest()[:16]


def example():
    """The example as it was when these transcripts were recorded: before it gained the
    League's term (a value over three points), which changes every trajectory."""
    scenario = resolve("docs/example-scenario.yaml")
    parties = tuple(party.model_copy(update={"terms": ()}) for party in scenario.parties)
    return compile_space(scenario.model_copy(update={"parties": parties}))


# Recorded from the protocols as they were before they knew of rules (same seeds): the
# agreement, the rounds, the number of moves and a digest of every move.
BEFORE = [
    (example, "stacked-alternating-offers", ["boulware", "conceder", "linear"], 0, None, 20,
     None, 20, 60, "bdb1676e764cfb67"),
    (example, "stacked-alternating-offers", ["tit-for-tat", "random", "sincere"], 5, None, 30,
     (1, 1, 0), 8, 22, "fe0229070786e055"),
    (lambda: small_space(parties=3), "stacked-alternating-offers", ["random"] * 3, 11, None,
     40, (2, 2, 0, 1), 20, 60, "9f5b40a80ef8be08"),
    (lambda: small_space(parties=3), "stacked-alternating-offers",
     ["boulware", "linear", "conceder"], 3, None, 50, (2, 0, 0, 1), 48, 143, "2bd1b8a452d08bb7"),
    (lambda: small_space(parties=4, seed=8), "stacked-alternating-offers",
     ["conceder", "boulware", "tit-for-tat", "linear"], 2, None, 60, None, 60, 240,
     "26c17c6db7415cf3"),
    (lambda: compile_space(resolve("gaza-2025")), "stacked-alternating-offers",
     ["boulware"] * 5, 0, None, None, (2, 0, 2, 1, 1, 2, 1, 1), 98, 490, "248bfb0ff7e9115f"),
    (example, "single-text", ["sincere"] * 3, 0, "engine", 10, (1, 1, 0), 9, 36,
     "28e10e457e5b309d"),
    (example, "single-text", ["boulware", "sincere", "conceder"], 3, "hill-climber", 20, None,
     20, 80, "6e5f9263f3f9bcae"),
    (lambda: small_space(parties=3), "single-text", ["sincere"] * 3, 1, "engine", 8,
     (2, 2, 2, 2), 7, 28, "1807e853a6644194"),
    (lambda: small_space(parties=3), "single-text", ["conceder", "sincere", "linear"], 2,
     "hill-climber", 25, (2, 0, 2, 2), 25, 100, "54c69fdc09e15d9c"),
    (example, "shuttle", ["sincere"] * 3, 2, "hill-climber", 15, None, 15, 32,
     "961f03ff4952492c"),
]


@pytest.mark.parametrize("build, protocol, agents, seed, mediator, deadline, package, rounds, "
                         "moves, moves_digest", BEFORE)
def test_unanimity_gives_the_transcripts_recorded_before_rules(
        build, protocol, agents, seed, mediator, deadline, package, rounds, moves, moves_digest):
    space = build()
    assert space.rule is None
    transcript, result = negotiate(space, protocol, agents, seed=seed, mediator=mediator,
                                   deadline=deadline)
    assert (result.package, result.rounds, len(transcript.events), digest(transcript)) == (
        package, rounds, moves, moves_digest)
    if package is not None:  # under unanimity everyone carries it, nobody is left out
        assert result.coalition == tuple(range(space.n_parties)) and result.left_out == ()


# ---------------------------------------------------------------- the MOPAC-like protocol


class Voter:
    """A seat that offers one package and votes for the packages it likes (from round
    `from_round` on); records what it is asked."""

    name = "voter"

    def __init__(self, offer, likes=(), from_round=0):
        self.offer, self.likes, self.from_round = tuple(offer), set(likes), from_round

    def start(self, view, rng):
        self.asked = []

    def decide(self, request):
        assert isinstance(request, Turn)
        self.asked.append(request)
        if request.offer is not None and request.step >= self.from_round \
                and request.offer in self.likes:
            return Accept()
        return Offer(self.offer)


A, B, C = (0, 0), (1, 1), (2, 2)


def test_mopac_is_registered_for_any_table():
    assert "mopac" in protocols_for(2) and "mopac" in protocols_for(5)


def test_mopac_takes_the_offer_with_the_largest_coalition():
    space = compile_space(quorum())
    seats = [Voter(A, {B}), Voter(B, {A}), Voter(C, {B})]
    transcript, result = negotiate(space, "mopac", seats, deadline=3)
    # A passes with a and b, B with everyone: B, though A was offered first
    assert result.package == B and result.coalition == (0, 1, 2) and result.rounds == 1
    kinds = [(e.actor, e.kind, e.package, e.accept) for e in transcript.events]
    assert kinds[:3] == [(0, "offer", A, None), (1, "offer", B, None), (2, "offer", C, None)]
    # each party votes on the others' offers (its own is its vote), in the round's order
    assert kinds[3:] == [(0, "vote", B, True), (0, "vote", C, False),
                         (1, "vote", A, True), (1, "vote", C, False),
                         (2, "vote", A, False), (2, "vote", B, True)]
    assert [(t.offer, t.offered_by) for t in seats[2].asked] == [(None, None), (A, 0), (B, 1)]


def test_mopac_breaks_ties_by_the_earliest_proposal_and_rotates_the_first_proposer():
    space = compile_space(quorum())
    # from round 2 on (index 1), A and B each pass with two votes
    seats = [Voter(A, {B}, 1), Voter(B, {A}, 1), Voter(C)]
    transcript, result = negotiate(space, "mopac", seats, deadline=3)
    # round 2 opens with party 1: B is the earliest proposal
    assert result.rounds == 2 and result.package == B and result.coalition == (0, 1)
    assert [e.actor for e in transcript.events if e.kind == "offer"] == [0, 1, 2, 1, 2, 0]
    seats = [Voter(A, {B}), Voter(B, {A}), Voter(C)]
    assert negotiate(space, "mopac", seats, deadline=3)[1].package == A  # round 1: party 0


def test_mopac_asks_once_about_a_package_offered_twice():
    space = compile_space(quorum())
    seats = [Voter(A), Voter(A), Voter(C, {A})]
    transcript, result = negotiate(space, "mopac", seats, deadline=2)
    assert result.package == A and result.coalition == (0, 1, 2)
    votes = [(e.actor, e.package) for e in transcript.events if e.kind == "vote"]
    assert votes == [(0, C), (1, C), (2, A)]


def test_mopac_under_unanimity_needs_every_vote():
    a, b, c = A + A, B + B, C + C  # packages of the four issues of small_space
    space = small_space(parties=3)
    two_votes_each = [Voter(a, {c}), Voter(b, {a}), Voter(c, {b})]
    _, result = negotiate(space, "mopac", two_votes_each, deadline=4)
    assert not result.agreement and result.rounds == 4
    _, result = negotiate(space, "mopac", [Voter(a, {b}), Voter(b), Voter(c, {b})],
                          deadline=4)
    assert result.package == b and result.coalition == (0, 1, 2)
    # the same votes under a quorum of two: the first offer passes
    space = compile_space(quorum())
    _, result = negotiate(space, "mopac", [Voter(A, {C}), Voter(B, {A}), Voter(C, {B})],
                          deadline=4)
    assert result.package == A and result.coalition == (0, 1) and result.rounds == 1


def test_mopac_is_deterministic_for_a_seed():
    space = compile_space(veto())
    agents = ["random", "tit-for-tat", "conceder", "random"]
    first = negotiate(space, "mopac", agents, seed=4, deadline=30)[0].moves()
    assert negotiate(space, "mopac", agents, seed=4, deadline=30)[0].moves() == first


def test_the_nash_share_under_a_rule_is_the_rules():
    space = compile_space(quorum())
    refs = references(space)
    assert refs.ideal is not None and refs.nash_package is not None
    nash = tuple(int(o) for o in refs.nash_package)
    assert nash_share(space, nash, refs) == pytest.approx(1.0)
    assert nash_share(space, None, refs) == 0.0
    shares = [nash_share(space, (x, y), refs) for x in range(3) for y in range(3)]
    assert max(shares) == pytest.approx(1.0) and min(shares) == 0.0  # some do not pass


# ------------------------------------------------------------------------------ outputs


@pytest.fixture()
def quorum_file(tmp_path):
    path = tmp_path / "quorum.yaml"
    save_scenario(quorum(), path)
    return str(path)


def test_simulate_mopac_reports_the_coalition_in_json(quorum_file):
    result = runner.invoke(app, ["simulate", quorum_file, "--protocol", "mopac", "--agents",
                                 "conceder", "--json", "--transcript"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["protocol"] == "mopac" and data["agreement"] is True
    assert data["coalition"] == ["a", "b"] and data["left_out"] == ["c"]
    assert data["rule"] == "at least 2 of 3 parties"
    space = compile_space(quorum())
    package = [space.option_ids[i].index(data["package"][issue])
               for i, issue in enumerate(space.issue_ids)]
    assert passes(space, package)
    assert data["utilities"]["c"] == pytest.approx(
        float(utilities(space, np.array(package))[0][2]))
    votes = [row for row in data["transcript"] if row["kind"] == "vote"]
    assert votes and all(isinstance(row["accept"], bool) for row in votes)


def test_simulate_mopac_prints_the_coalition_and_the_votes(quorum_file):
    result = runner.invoke(app, ["simulate", quorum_file, "--protocol", "mopac", "--agents",
                                 "random", "--transcript"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    # a and b offer the same package (b's offer is its vote), c another, which b likes:
    # both pass with two, and the tie goes to the earlier proposal
    assert "round 1: a makes offer 1: x → x1, y → y0" in out
    assert "round 1: b makes offer 1 again" in out and "round 1: c makes offer 2" in out
    assert "  b: votes for offer 2\n" in out and "  c: votes against offer 1\n" in out
    assert "agreement after 1 round(s) — mopac, seed 0\n  x: x1\n  y: y0" in out
    assert ("rule: at least 2 of 3 parties; carried by a, b; left out: c (bound by the "
            "agreement all the same)") in " ".join(out.split())


def test_simulate_keeps_its_keys_and_names_everyone_under_unanimity():
    result = runner.invoke(app, ["simulate", "docs/example-scenario.yaml", "--protocol",
                                 "mopac", "--agents", "conceder", "--deadline", "20", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"agreement", "rounds", "package", "utilities", "nash_share"} <= set(data)
    assert data["rule"] == "unanimity: every party must agree"
    if data["agreement"]:
        assert data["coalition"] == ["north", "south", "league"] and data["left_out"] == []
    else:
        assert data["coalition"] is None and data["left_out"] is None


def test_tournament_rows_say_who_carried_the_agreement(quorum_file):
    config = TournamentConfig.from_dict({
        "seed": 1, "scenarios": [quorum_file], "agents": ["conceder"], "lineups": "self",
        "protocols": ["stacked-alternating-offers", "mopac"], "deadline": 20})
    bundles = load_bundles(config)
    rows = run_serial(plan(config, bundles), bundles)
    assert len(rows) == 6 and all(row["agreement"] for row in rows)
    assert [row["in_coalition"] for row in rows] == [True, True, False] * 2


# ------------------------------------------------------------- an LLM-Deliberation game


@pytest.mark.skipif(not LLM_BASE.is_dir(), reason="needs ../shared/data/external/"
                                                  "llm-deliberation (the game folders)")
def test_an_llm_deliberation_agreement_passes_under_the_n_minus_1_rule():
    space = compile_space(resolve(str(LLM_BASE)))
    n = space.n_parties
    required = {space.party_ids.index("SportCo"), space.party_ids.index("DoT")}
    agreed = 0
    for protocol, agents, mediator in [("stacked-alternating-offers", ["random"], None),
                                       ("shuttle", ["sincere"], "hill-climber"),
                                       ("mopac", ["random"], None),
                                       ("mopac", ["boulware"], None)]:
        transcript, result = negotiate(space, protocol, agents * n, seed=0, mediator=mediator)
        if result.agreement:
            agreed += 1
            check_carried(space, transcript, result)
            assert len(result.coalition) >= n - 1 and required <= set(result.coalition)
    assert agreed >= 2
