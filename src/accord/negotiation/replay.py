"""Replay a negotiation room's history as a simulation, seat by seat.

The room (`accord serve`) exports, for its mediator, the issues, the drafts it published
and the log of every delegation's point-by-point answers (`room.services.export`).
`RoomRecord.from_export` reads that export (a dict; reading the file is the caller's job),
`Recorded` is a seat that gives one delegation's recorded answers and `RecordedMediator`
tables the published drafts in order, so the single-text protocol replays the room and
yields the same transcript as a simulation. Any seat may be taken by an agent instead
(`replay(record, space, seats={"ukraine": "boulware"})`): what would a Boulware
delegation have answered to these drafts, and would the last one have been signed?

How the room's record is read:

- a delegation's last answer to a point of a draft counts (the room keeps the latest);
- a point it never answered is read as *can live with* — and counted in
  `RoomRecord.unanswered`, so that no silence passes unnoticed;
- the room has no separate signature: a delegation is taken to sign a draft when it
  answered every point and rejected none;
- answers in the room never say why a point is rejected, so no red line is recorded.

Drafts may leave points open (the room offers "leave open" on every point); an open point
is `OPEN` (-1) in the replayed packages. Nothing is agreed until everything is agreed: no
seat signs a text with open points, so a replay whose last draft leaves points open ends
without agreement. An agent judges such a text on its drafted points only: as if every
open point went its way (`best_completion`: its best option there that crosses none of
its red lines), so that no drafted point is held against it because others are still
open; it answers an open point *can live with*, as the record reads an unanswered one.

A room opened on some of a scenario's parties replays with those seats only: the scenario
is cut down to the room's delegations (`restrict`), and the outcome scored among them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from accord.analysis.rule import WinningRule, compile_rule
from accord.analysis.space import Space
from accord.errors import ScenarioError, UsageError
from accord.model import Scenario
from accord.negotiation.agent import Delegation, make_agent
from accord.negotiation.mediator import Draft, Feedback, Mediator
from accord.negotiation.moves import Answers, Consult, Request, Stance
from accord.negotiation.protocols import make_protocol
from accord.negotiation.session import negotiate
from accord.negotiation.transcript import Result, Transcript
from accord.negotiation.view import Agenda, Package, PrivateView, agenda_of

OPEN = -1
"""A point a draft leaves open, in a replayed package."""
VERDICTS = {"accept": Stance.ACCEPT, "can-live-with": Stance.CAN_LIVE_WITH,
            "reject": Stance.REJECT}
"""The room's verdicts (`room.services.VERDICTS`) as stances."""


@dataclass(frozen=True)
class RoomRecord:
    """What a room's export says: the agenda, the drafts in order and, per draft, every
    delegation's stances (party index -> one stance per point, None where unanswered)."""

    agenda: Agenda
    draft_ids: tuple[str, ...]
    drafts: tuple[Package, ...]
    stances: tuple[dict[int, tuple[Stance | None, ...]], ...]

    @property
    def unanswered(self) -> dict[str, int]:
        """Per party: points of published drafts it never answered (read as can live
        with)."""
        counts = dict.fromkeys(self.agenda.party_ids, 0)
        for answers in self.stances:
            for party, party_id in enumerate(self.agenda.party_ids):
                counts[party_id] += sum(s is None for s in answers.get(
                    party, (None,) * self.agenda.n_issues))
        return counts

    @classmethod
    def from_export(cls, data: Any, source: str = "export") -> RoomRecord:
        """Read a room's export (the JSON its mediator downloads); errors name the field."""
        scenario = _field(data, "scenario", dict, source)
        where = f"{source}: scenario"
        issues = _field(scenario, "issues", list, where)
        if not issues:
            raise UsageError(f"{where}.issues: the room has no issues to replay")
        issue_ids, option_ids = [], []
        for k, issue in enumerate(issues):
            at = f"{where}.issues[{k}]"
            issue_ids.append(str(_field(issue, "id", str, at)))
            options = _field(issue, "options", list, at)
            if not options:
                raise UsageError(f"{at}.options: an issue needs at least one option")
            option_ids.append(tuple(str(_field(o, "id", str, f"{at}.options[{j}]"))
                                    for j, o in enumerate(options)))
        parties = _field(scenario, "parties", list, where)
        if not parties:
            raise UsageError(f"{where}.parties: the room has no delegations")
        party_ids = tuple(str(_field(p, "id", str, f"{where}.parties[{k}]"))
                          for k, p in enumerate(parties))
        by_name = {str(p.get("name", p["id"])): k for k, p in enumerate(parties)}
        offsets = np.concatenate([[0], np.cumsum([len(o) for o in option_ids])])
        agenda = Agenda(tuple(issue_ids), tuple(option_ids), party_ids, offsets,
                        rule=_export_rule(scenario, issue_ids, option_ids, party_ids, where))

        draft_ids, packages, numbers = [], [], {}
        for k, entry in enumerate(_field(scenario, "drafts", list, where)):
            at = f"{where}.drafts[{k}]"
            draft_id = str(_field(entry, "id", str, at))
            chosen = _field(entry, "options", dict, at)
            package = []
            for i, issue in enumerate(issue_ids):
                option = chosen.get(issue)
                if option is None:  # left open
                    package.append(OPEN)
                    continue
                if option not in option_ids[i]:
                    raise UsageError(f"{at}.options.{issue}: {option!r} is not an option "
                                     f"of {issue} (expected one of "
                                     f"{', '.join(option_ids[i])})")
                package.append(option_ids[i].index(option))
            numbers[_draft_number(draft_id)] = len(packages)
            draft_ids.append(draft_id)
            packages.append(tuple(package))
        if not packages:
            raise UsageError(f"{where}.drafts: no draft was published; nothing to replay")

        answers: list[dict[int, list[Stance | None]]] = [{} for _ in packages]
        for k, event in enumerate(_field(data, "history", list, source)):
            if not isinstance(event, dict) or event.get("kind") != "answered":
                continue
            at = f"{source}: history[{k}]"
            name = str(event.get("by", ""))
            if name not in by_name:
                raise UsageError(f"{at}.by: {name!r} is not a delegation of this room")
            detail = _field(event, "detail", dict, at)
            number = detail.get("draft")
            if number not in numbers:
                raise UsageError(f"{at}.detail.draft: no published draft numbered {number!r}")
            stances = answers[numbers[number]].setdefault(by_name[name],
                                                          [None] * len(issue_ids))
            for issue, answer in _field(detail, "answers", dict, f"{at}.detail").items():
                verdict = answer[0] if isinstance(answer, list | tuple) and answer else answer
                if issue not in issue_ids:
                    raise UsageError(f"{at}.detail.answers.{issue}: not an issue of the room")
                if verdict not in VERDICTS:
                    raise UsageError(f"{at}.detail.answers.{issue}: {verdict!r}; expected "
                                     f"one of {', '.join(VERDICTS)}")
                stances[issue_ids.index(issue)] = VERDICTS[verdict]
        return cls(agenda, tuple(draft_ids), tuple(packages),
                   tuple({p: tuple(s) for p, s in a.items()} for a in answers))

    def open_points(self, draft: int) -> tuple[str, ...]:
        """The issues the draft-th published draft leaves open."""
        return tuple(issue for issue, o in zip(self.agenda.issue_ids, self.drafts[draft])
                     if o == OPEN)

    def answers(self, draft: int, party: int) -> Answers:
        """The party's recorded answers to the draft-th published draft (never signed
        while points are open)."""
        stances = self.stances[draft].get(party, (None,) * self.agenda.n_issues)
        signed = OPEN not in self.drafts[draft] and \
            all(s is not None and s != Stance.REJECT for s in stances)
        return Answers(tuple(Stance.CAN_LIVE_WITH if s is None else s for s in stances),
                       signed, (False,) * self.agenda.n_issues)


class Recorded:
    """A seat that gives one delegation's recorded answers (a `Delegation`)."""

    def __init__(self, record: RoomRecord, party: int) -> None:
        self.record, self.party = record, party
        self.name = f"recorded:{record.agenda.party_ids[party]}"

    def start(self, view: PrivateView | None, rng: np.random.Generator) -> None:
        """Nothing to prepare: the answers are on record."""

    def decide(self, request: Request) -> Answers:
        if not isinstance(request, Consult):
            raise UsageError(f"{self.name} has answers to the room's drafts only; it "
                             "cannot take part in an offer protocol")
        if request.round >= len(self.record.drafts) or \
                self.record.drafts[request.round] != request.draft:
            raise UsageError(f"{self.name}: the room never saw this text, so there is no "
                             "recorded answer to it (replay with the room's own drafts)")
        return self.record.answers(request.round, self.party)


class OpenPoints:
    """An agent's seat in a replay, for drafts that leave points open (see the module
    doc): the agent answers the text completed its own way, open points are answered
    *can live with*, and a text with open points is not signed."""

    def __init__(self, agent: Delegation) -> None:
        self.agent = agent
        self.name = getattr(agent, "name", type(agent).__name__)
        self.view: PrivateView | None = None

    def start(self, view: PrivateView | None, rng: np.random.Generator) -> None:
        self.view = view
        self.agent.start(view, rng)

    def decide(self, request: Request) -> Any:
        if not isinstance(request, Consult) or OPEN not in request.draft or self.view is None:
            return self.agent.decide(request)
        open_ = {i for i, o in enumerate(request.draft) if o == OPEN}
        reply = self.agent.decide(replace(request, draft=best_completion(self.view,
                                                                         request.draft)))
        return Answers(tuple(Stance.CAN_LIVE_WITH if i in open_ else s
                             for i, s in enumerate(reply.stances)), False,
                       tuple(False if i in open_ else bool(r)
                             for i, r in enumerate(reply.red_lines)),
                       tuple(i for i in reply.priorities if i not in open_), reply.versus)


def best_completion(view: PrivateView, draft: Package) -> Package:
    """The draft with each open point at the party's best option there (by its own
    weights) that crosses none of its red lines (its best option, when all do)."""
    offsets = view.agenda.offsets
    completed = []
    for i, option in enumerate(draft):
        if option != OPEN:
            completed.append(int(option))
            continue
        weights = view.weights[offsets[i]:offsets[i + 1]]
        allowed = np.flatnonzero(~view.veto[offsets[i]:offsets[i + 1]])
        completed.append(int(allowed[np.argmax(weights[allowed])]) if len(allowed)
                         else int(np.argmax(weights)))
    return tuple(completed)


def restrict(space: Space, party_ids: tuple[str, ...]) -> Space:
    """The scenario cut down to some of its parties, in the order given (their own
    preferences, red lines and interaction terms; the issues and constraints as they
    are). A decision rule counts the scenario's parties, so a cut-down table has none:
    every seated delegation must sign, as the room reads its record."""
    missing = [p for p in party_ids if p not in space.party_ids]
    if missing:
        raise UsageError(f"the scenario has no party {', '.join(missing)}; its parties: "
                         f"{', '.join(space.party_ids)}")
    keep = [space.party_ids.index(p) for p in party_ids]
    new = {old: k for k, old in enumerate(keep)}
    return replace(
        space, party_ids=tuple(party_ids), weights=space.weights[keep],
        veto=space.veto[keep], reservation=space.reservation[keep],
        capability=space.capability[keep],
        terms=tuple(t.restricted(new[t.party]) for t in space.terms if t.party in new),
        rule=space.rule if tuple(party_ids) == space.party_ids else None)


class RecordedMediator(Mediator):
    """Tables the room's published drafts in order; the last one is final."""

    name = "recorded"
    metadata = {"learns": False, "stochastic": False}

    def __init__(self, drafts: tuple[Package, ...]) -> None:
        super().__init__()
        self.drafts = drafts

    def decide(self, feedback: Feedback | None) -> Draft:
        round_ = 0 if feedback is None else feedback.round + 1
        return Draft(self.drafts[round_], final=round_ == len(self.drafts) - 1)


def replay(record: RoomRecord, space: Space | None = None,
           seats: dict[str, str] | None = None, seed: int = 0
           ) -> tuple[Transcript, Result | None]:
    """Replay the room: its drafts in order, every delegation answering as on record,
    except the parties in `seats` (party id -> agent name), whose agents answer from
    their own preferences in `space` (which must have the room's issues, options and
    parties). With a space the outcome is scored (`Result`); without, only the
    transcript is returned."""
    agenda = record.agenda
    seats = seats or {}
    unknown = sorted(set(seats) - set(agenda.party_ids))
    if unknown:
        raise UsageError(f"no delegation {', '.join(unknown)} in the room; its delegations: "
                         f"{', '.join(agenda.party_ids)}")
    if seats and space is None:
        raise UsageError("an agent needs preferences: give a scenario with the room's "
                         "issues and parties to seat agents")
    delegations: list[Delegation] = [
        OpenPoints(make_agent(seats[p])) if p in seats else Recorded(record, k)
        for k, p in enumerate(agenda.party_ids)]
    protocol = make_protocol("single-text", len(record.drafts))
    mediator = RecordedMediator(record.drafts)
    if space is None:
        transcript = Transcript(protocol.name, agenda.party_ids,
                                tuple(d.name for d in delegations), seed)
        mediator.start(agenda, np.random.default_rng(seed), protocol.deadline)
        for delegation in delegations:
            delegation.start(None, np.random.default_rng(seed))
        protocol.run(agenda, delegations, transcript, mediator)
        return transcript, None
    if agenda.party_ids != space.party_ids and set(agenda.party_ids) <= set(space.party_ids):
        space = restrict(space, agenda.party_ids)  # the room seated some of the parties
    _check_same_agenda(agenda, agenda_of(space))
    return negotiate(space, protocol, delegations, seed=seed, mediator=mediator)


def _check_same_agenda(room: Agenda, scenario: Agenda) -> None:
    if room.party_ids != scenario.party_ids:
        raise UsageError(f"the scenario's parties ({', '.join(scenario.party_ids)}) are not "
                         f"the room's delegations ({', '.join(room.party_ids)}); a room may "
                         "seat some of the scenario's parties, not others")
    if room.issue_ids != scenario.issue_ids or room.option_ids != scenario.option_ids:
        for i, issue in enumerate(room.issue_ids):
            if i >= scenario.n_issues or scenario.issue_ids[i] != issue:
                raise UsageError(f"the scenario's issue {i + 1} is not the room's {issue!r}")
            if scenario.option_ids[i] != room.option_ids[i]:
                raise UsageError(f"the scenario's options of {issue!r} are not the room's "
                                 f"({', '.join(room.option_ids[i])})")
        raise UsageError("the scenario has more issues than the room")


def _field(data: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(data, dict):
        raise UsageError(f"{where}: expected an object with {key!r}")
    if key not in data:
        raise UsageError(f"{where}: missing {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise UsageError(f"{where}.{key}: expected {kind.__name__}, got "
                         f"{type(value).__name__}")
    return value


def _draft_number(draft_id: str) -> int | str:
    """`draft-3` -> 3 (the room's numbering); other ids stay as they are."""
    head, _, tail = draft_id.rpartition("-")
    return int(tail) if head == "draft" and tail.isdigit() else draft_id


def _export_rule(scenario: dict, issue_ids: list[str], option_ids: list[tuple[str, ...]],
                 party_ids: tuple[str, ...], where: str) -> WinningRule | None:
    """The decision rule the room was opened with (None: every delegation must sign),
    validated by the scenario format's own rules over the exported seats."""
    if scenario.get("rule") is None:
        return None
    outline = {"id": "replay", "title": "replay",
               "issues": [{"id": i, "title": i, "options": [{"id": o, "label": o} for o in opts]}
                          for i, opts in zip(issue_ids, option_ids)],
               "parties": [{"id": p, "name": p} for p in party_ids], "rule": scenario["rule"]}
    try:
        return compile_rule(Scenario.build(outline))
    except ScenarioError as error:
        raise UsageError(f"{where}.rule: {error}") from None
