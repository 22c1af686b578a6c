"""Run one negotiation: seat the delegations, derive their seeds, play, score."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.analysis.space import Space
from accord.errors import UsageError
from accord.negotiation.agent import Delegation, make_agent
from accord.negotiation.mediator import Mediator, make_mediator
from accord.negotiation.protocols import Protocol, make_protocol
from accord.negotiation.transcript import References, Result, Transcript, assess, references
from accord.negotiation.view import agenda_of, view_of


def negotiate(space: Space, protocol: Protocol | str, seats: Sequence[Delegation | str],
              seed: int = 0, mediator: Mediator | str | None = None,
              refs: References | None = None, deadline: int | None = None,
              views: list | None = None) -> tuple[Transcript, Result]:
    """One negotiation from a seed: its transcript and its result.

    `seats` are delegations (or registered agent names), one per party in the space's
    order; `mediator` is needed by mediated protocols (default: the engine mediator).
    `views` may hold prebuilt private views (one per party) to skip building them.
    """
    protocol = make_protocol(protocol, deadline) if isinstance(protocol, str) else protocol
    agenda = agenda_of(space) if views is None else views[0].agenda
    protocol.check(agenda)
    seats = [make_agent(s) if isinstance(s, str) else s for s in seats]
    if protocol.metadata["mediated"] and mediator is None:
        mediator = "engine"
    if isinstance(mediator, str):
        mediator = make_mediator(mediator)
    if len(seats) != space.n_parties:
        raise UsageError(f"{len(seats)} agents for {space.n_parties} parties "
                         f"({', '.join(space.party_ids)})")
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(seats) + 1)]
    for party, (delegation, rng) in enumerate(zip(seats, streams)):
        delegation.start(view_of(space, party, agenda) if views is None else views[party], rng)
    if mediator is not None:
        mediator.start(agenda, streams[-1], protocol.deadline)
    transcript = Transcript(protocol.name, space.party_ids,
                            tuple(getattr(s, "name", type(s).__name__) for s in seats), seed)
    protocol.run(agenda, seats, transcript, mediator)
    return transcript, assess(space, transcript, references(space) if refs is None else refs)
