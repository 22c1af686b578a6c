"""The engine mediator that learns from answers (`accord.negotiation.EngineMediator`),
driven by a room's record: for negotiations where some delegation shares no numbers.

The room's drafts and the delegations' answers are fed to the mediator in order, as if it
had chaired them: each published draft replaces the text the mediator had suggested
(`Mediator.tabled_instead`), then its answers are its feedback. Its next draft is the room's
proposal. Only answers reach it, never preferences: what it proposes is what a mediator
reading the same answers could propose.

A process keeps each negotiation's mediator between proposals and feeds it only the
rounds that are new (one computation at a time per process: another request meanwhile is
refused with `Busy`); a record that changed under it (a late answer to an old draft, a
restart, another process) is replayed from the first draft, with the same seed (`SEED`),
so every process proposes the same text for the same record.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field

import numpy as np

from accord.negotiation.mediator import Draft, EngineMediator, Feedback
from accord.negotiation.moves import Answers, Comparison, Stance
from accord.negotiation.replay import VERDICTS
from accord.negotiation.session import one_blas_thread
from accord.negotiation.view import Agenda, Package

HORIZON = 10**6
"""The mediator's deadline: never reached, so it asks questions until the room's mediator
asks for the best text so far (`best=True`)."""
COMPARED = {c.label: c for c in Comparison}
_KEPT_MAX = 32
SEED = 0
"""The mediator's random draws start from this seed in every room: the same record of
drafts and answers gives the same proposal, in any process, after any restart."""


@dataclass(frozen=True)
class DelegationAnswers:
    """One delegation's answers to one draft, as the room stores them."""

    verdicts: dict[str, str]
    """issue id -> accept / can-live-with / reject, for every point of the draft."""
    red_lines: frozenset[str] = frozenset()
    sign: bool | None = None
    compared: str | None = None
    priorities: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoomDraft:
    """A published draft: its number, options (issue id -> option id; None: left open),
    the number of the draft it asks to be compared with, and the answers by party id."""

    number: int
    options: dict[str, str | None]
    versus: int | None
    answers: dict[str, DelegationAnswers] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    """The mediator's next text (issue id -> option id), the earlier draft to ask the
    delegations to compare it with, and how many drafts it learnt from; or no text
    (`options` None) while delegations (`waiting_for`, party ids) have still to answer
    every point of the newest draft (`waiting_draft`)."""

    options: dict[str, str] | None
    versus: int | None
    learnt_from: int
    waiting_for: tuple[str, ...] = ()
    waiting_draft: int | None = None


class Busy(Exception):
    """Another request is computing this negotiation's proposal."""


@dataclass
class _Kept:
    mediator: EngineMediator
    fed: list[tuple[Package, Package | None, dict[int, Answers]]]
    next_draft: Draft


_KEPT: dict[tuple, _Kept] = {}
_WORKING = threading.Lock()
"""Held while a mediator is fed or asked, one at a time per process: the one-BLAS-thread
setting is the whole process's, and a second request is refused (`Busy`) rather than
left holding one of the room's two request threads while it waits."""


def agenda_of_room(issues: list[dict], party_ids: tuple[str, ...]) -> Agenda:
    """The public agenda of a room: its issues and options, its delegations."""
    option_ids = tuple(tuple(str(o["id"]) for o in issue["options"]) for issue in issues)
    offsets = np.concatenate([[0], np.cumsum([len(o) for o in option_ids])]).astype(int)
    return Agenda(tuple(str(i["id"]) for i in issues), option_ids, party_ids, offsets)


def suggest(negotiation_id: str, issues: list[dict], party_ids: tuple[str, ...],
            drafts: list[RoomDraft], best: bool = False) -> Suggestion:
    """The next draft the engine mediator would table after the room's `drafts` (oldest
    first); with `best`, the text it rates best so far (the one it would table as final)."""
    agenda = agenda_of_room(issues, party_ids)
    rounds, waiting, newest = _rounds(agenda, drafts)
    if waiting and not best:
        return Suggestion(None, None, len(rounds), waiting, newest)
    key = (negotiation_id, agenda.issue_ids, agenda.option_ids, party_ids)
    if not _WORKING.acquire(blocking=False):
        raise Busy("the engine is still working on a proposal; ask again in a moment")
    try:
        with one_blas_thread():
            kept = _KEPT.get(key)
            if kept is None:
                if len(_KEPT) >= _KEPT_MAX:
                    _KEPT.clear()
                kept = _KEPT[key] = _start(agenda)
            package, versus = _feed(kept, agenda, rounds, best)
    except BaseException:
        _KEPT.pop(key, None)  # a mediator left half-fed is not kept
        raise
    finally:
        _WORKING.release()
    numbers = {tuple(_package(agenda, d.options)): d.number for d in drafts
               if all(d.options.get(i) for i in agenda.issue_ids)}
    return Suggestion(agenda.describe(package),
                      numbers.get(versus) if versus is not None else None, len(rounds))


def _feed(kept: _Kept, agenda: Agenda, rounds: list, best: bool
          ) -> tuple[Package, Package | None]:
    """Bring the kept mediator up to the record (replaying it all if it changed) and give
    its next draft and the draft to compare it with, or (`best`) its best text."""
    if kept.fed != rounds[:len(kept.fed)]:  # the record changed: replay it all
        fresh = _start(agenda)
        kept.mediator, kept.fed, kept.next_draft = fresh.mediator, [], fresh.next_draft
    for package, versus, answers in rounds[len(kept.fed):]:
        kept.mediator.tabled_instead(Draft(package, versus=versus))
        kept.next_draft = kept.mediator.decide(
            Feedback(len(kept.fed), package, answers, versus))
        kept.fed.append((package, versus, answers))
    if best:
        trial = copy.deepcopy(kept.mediator)
        return trial.final_text(trial.possible_worlds()), None
    return kept.next_draft.package, kept.next_draft.versus


def _start(agenda: Agenda) -> _Kept:
    mediator = EngineMediator()
    mediator.start(agenda, np.random.default_rng(SEED), HORIZON)
    return _Kept(mediator, [], mediator.decide(None))


def _package(agenda: Agenda, options: dict[str, str]) -> list[int]:
    return [agenda.option_ids[i].index(options[issue])
            for i, issue in enumerate(agenda.issue_ids)]


def _complete(agenda: Agenda, given: DelegationAnswers | None) -> bool:
    return given is not None and set(given.verdicts) == set(agenda.issue_ids)


def _rounds(agenda: Agenda, drafts: list[RoomDraft]
            ) -> tuple[list[tuple[Package, Package | None, dict[int, Answers]]],
                       tuple[str, ...], int | None]:
    """The room's drafts as the mediator's rounds — (text, text compared with, answers by
    party index) — and, while the newest is not fully answered, who has still to answer
    it and its number. A draft that leaves points open is left out (the mediator's texts
    are whole); a delegation counts on a draft once it answered every point; the newest
    draft counts once every delegation has (until then, the mediator waits for it)."""
    drafts = [d for d in drafts if all(d.options.get(i) for i in agenda.issue_ids)]
    waiting: tuple[str, ...] = ()
    newest = drafts[-1].number if drafts else None
    if drafts:
        waiting = tuple(p for p in agenda.party_ids
                        if not _complete(agenda, drafts[-1].answers.get(p)))
        if waiting:
            drafts = drafts[:-1]
    packages = {d.number: tuple(_package(agenda, d.options)) for d in drafts}
    rounds = []
    for d in drafts:
        versus = packages.get(d.versus) if d.versus is not None else None
        answers = {}
        for party, party_id in enumerate(agenda.party_ids):
            given = d.answers.get(party_id)
            if not _complete(agenda, given):
                continue
            stances = tuple(VERDICTS[given.verdicts[i]] for i in agenda.issue_ids)
            sign = (given.sign if given.sign is not None
                    else all(s != Stance.REJECT for s in stances))
            answers[party] = Answers(
                stances, sign, tuple(i in given.red_lines for i in agenda.issue_ids),
                tuple(agenda.issue_ids.index(i) for i in given.priorities),
                COMPARED.get(given.compared) if versus is not None else None)
        rounds.append((packages[d.number], versus, answers))
    return rounds, waiting, newest
