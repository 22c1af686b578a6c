"""The mediator's questions to the engine, answered on everyone's confidential
preferences with a verdict or a package only (see `room.engine`)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.model import Scenario
from accord.room import answers_mediator, engine, validation
from accord.room.db import Member
from accord.room.services.common import (
    DELEGATION,
    MEDIATOR,
    Conflict,
    NotFound,
    log_event,
    require,
)
from accord.room.services.drafts import agreed_draft, answer_record, current_draft
from accord.room.services.members import members, negotiation

T = TypeVar("T")
_REMEMBERED: dict[str, Any] = {}
_REMEMBERED_LOCK = threading.Lock()
_REMEMBERED_MAX = 128

EngineInputs = tuple[Scenario | None, tuple[str, ...], str, list[Member]]
"""What `confidential_scenario` returns; the questions below take it as `known` when the
caller has read it already (one read for the mediator's page, see `desk`)."""


def zone(s: Session, actor: Member, known: EngineInputs | None = None) -> engine.ZoneAnswer:
    """Is there a zone of agreement? A verdict only (mediator)."""
    require(actor, MEDIATOR)
    known = known or confidential_scenario(s, actor)
    return engine.zone_exists(*known[:3])  # never raises on bad data


def propose(s: Session, actor: Member, best: bool = False) -> engine.Proposal:
    """The engine's next draft in one transaction (`prepare_proposal`, then
    `record_proposal`): for callers that need no long computation out of a transaction."""
    proposal = prepare_proposal(s, actor, best)()
    record_proposal(s, actor, proposal, best)
    return proposal


def prepare_proposal(s: Session, actor: Member, best: bool = False
                     ) -> Callable[[], engine.Proposal]:
    """Read what the engine needs for the next draft and return the computation, to run
    outside any transaction (on SQLite a transaction that writes holds every writer):
    the Nash package over everyone's preferences when every delegation has entered them;
    otherwise the next draft of the engine mediator that learns from the delegations'
    answers (`room.answers_mediator`), or with `best` the text it rates best so far. A
    package only. Mediator only."""
    require(actor, MEDIATOR)
    known = confidential_scenario(s, actor)
    _, waiting, reason, delegations = known
    if not (waiting and delegations and not reason):
        return lambda: engine.propose_next_draft(*known[:3])
    opened = negotiation(s, actor.negotiation_id)
    parties = {m.id: m.party_id or f"member-{m.id}" for m in delegations}
    names = {m.party_id or f"member-{m.id}": m.name for m in delegations}
    record = answer_record(s, actor, parties)
    return lambda: _from_answers(opened, parties, names, record, best)


def record_proposal(s: Session, actor: Member, proposal: engine.Proposal,
                    best: bool = False) -> None:
    """Log that the mediator asked the engine for a proposal (and whether one was found)."""
    require(actor, MEDIATOR)
    log_event(s, actor.negotiation_id, actor, "proposal-asked",
              {"found": proposal.package is not None}
              | ({"from": "answers", "best": best} if proposal.basis == "answers" else {}))


def _from_answers(opened: Any, parties: dict[int, str], names: dict[str, str],
                  record: list, best: bool) -> engine.Proposal:
    """The engine mediator's next draft (or best text) from the room's record of answers."""
    try:
        suggestion = answers_mediator.suggest(opened.id, opened.issues,
                                              tuple(parties.values()), record, best)
    except answers_mediator.Busy as busy:
        raise Conflict(str(busy)) from None
    if suggestion.options is None:
        return engine.Proposal(None, basis="answers", reason=(
            f"waiting for every delegation's answers to draft {suggestion.waiting_draft}, "
            "the newest, before the engine can learn from it (still to answer: "
            + ", ".join(names.get(p, p) for p in suggestion.waiting_for)
            + "); publish a draft of your own, or ask for the best text so far"))
    learnt = (f"learnt from the answers to {suggestion.learnt_from} draft"
              f"{'s' if suggestion.learnt_from != 1 else ''}")
    if best:
        return engine.Proposal(suggestion.options, title="Best text so far", basis="answers",
                               source=(
            "The text the engine mediator rates best so far, " + learnt + " (not every "
            "delegation has entered preferences: the engine reads only answers)"))
    return engine.Proposal(suggestion.options, versus=suggestion.versus, basis="answers",
                           source=(
        "The engine mediator's next draft, " + learnt + ": the text whose answers would "
        "tell it most about the fair package (not every delegation has entered "
        "preferences: the engine reads only answers)"))


def confidential_scenario(s: Session, actor: Member) -> EngineInputs:
    """(scenario, who is still missing, why the engine cannot run — naming whose data, the
    delegations taking part): every delegation's confidential preferences, for the engine,
    under the negotiation's decision rule."""
    negotiation_row = negotiation(s, actor.negotiation_id)
    delegations = [m for m in members(s, actor.negotiation_id)
                   if m.role == DELEGATION and m.revoked_at is None]
    waiting = tuple(m.name for m in delegations if m.preferences is None)
    if not delegations:
        return None, ("at least one delegation",), "", delegations
    if waiting:
        return None, waiting, "", delegations
    parties = [(m.party_id, m.name, m.preferences) for m in delegations]
    try:
        scenario = engine.build_scenario(negotiation_row.id, negotiation_row.title,
                                         negotiation_row.issues, parties, negotiation_row.rule)
    except AccordError:  # stored data no longer valid: say whose, without any number
        return None, (), (validation.whose_problem(negotiation_row.id, negotiation_row.title,
                                                   negotiation_row.issues, parties,
                                                   negotiation_row.rule)
                          or "the engine cannot run on the stored data"), delegations
    return scenario, (), "", delegations


def remembered(question: str, delegations: list[Member], extra: Any,
               compute: Callable[[], T]) -> T:
    """The engine's answer to `question`, computed once per process for each state of the
    delegations' preferences (and `extra`): the mediator's page asks again on every load,
    and the answer can take a second on a large space."""
    key = hashlib.sha256(json.dumps(
        [question, [(m.party_id, m.preferences) for m in delegations], extra],
        sort_keys=True, default=str).encode()).hexdigest()
    with _REMEMBERED_LOCK:
        if key in _REMEMBERED:
            return _REMEMBERED[key]
    found = compute()
    with _REMEMBERED_LOCK:
        if len(_REMEMBERED) >= _REMEMBERED_MAX:
            _REMEMBERED.clear()
        _REMEMBERED[key] = found
    return found


def settlement(s: Session, actor: Member, known: EngineInputs | None = None,
               current: Any = None) -> dict[str, Any] | None:
    """The agreed text — the newest draft every delegation taking part accepts or can live
    with on every point, none left open — with the newer draft on the table if any, and a
    text every delegation prefers to it (`improvement`, once every delegation's preferences
    are known; None when the agreed text is Pareto-efficient). None when no draft is agreed.
    Mediator only: it is read from everyone's answers."""
    require(actor, MEDIATOR)
    scenario, _, _, delegations = known or confidential_scenario(s, actor)
    agreed = agreed_draft(s, actor, [m.id for m in delegations])
    if agreed is None:
        return None
    current = current or current_draft(s, actor)  # the caller's, when it has read it
    options = {p["issue"]: p["option"] for p in agreed.points}
    better = (remembered("improvement", delegations, [scenario.id, options],
                         lambda: engine.improvement(scenario, options))
              if scenario is not None else None)
    return {"draft": agreed.number, "title": agreed.title, "improvement": better,
            "known": scenario is not None,
            "newer": current.number if current.number > agreed.number else None}


def propose_improvement(s: Session, actor: Member) -> engine.Proposal:
    """The text every delegation prefers to the agreed one, to fill the draft form."""
    found = settlement(s, actor)
    if not found or not found["improvement"]:
        raise NotFound("no agreed draft to improve on, or no text every delegation prefers")
    log_event(s, actor.negotiation_id, actor, "proposal-asked",
              {"found": True, "improves": found["draft"]})
    return engine.Proposal(found["improvement"], source=(
        f"A text every delegation prefers to the agreed draft {found['draft']} "
        "(a post-settlement settlement: if any delegation rejects it, "
        f"draft {found['draft']} stands)"), title=f"Improvement on draft {found['draft']}")
