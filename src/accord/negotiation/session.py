"""Run one negotiation: seat the delegations, derive their seeds, play, score.

The negotiation's linear algebra runs on one BLAS thread: its matrices are small (the
mediator's models: tens of variables, up to a thousand constraints), where threads cost
more in hand-overs than they save — on a busy machine a 15-second negotiation took
150 s with OpenBLAS's default threads — and tournaments already run one negotiation per
core. One thread gives the same transcripts (same seed, same moves).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

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
              views: list | None = None,
              progress: Callable[[int, int], None] | None = None) -> tuple[Transcript, Result]:
    """One negotiation from a seed: its transcript and its result.

    `seats` are delegations (or registered agent names), one per party in the space's
    order; `mediator` is needed by mediated protocols (default: the engine mediator).
    `views` may hold prebuilt private views (one per party) to skip building them.
    `progress(rounds done, deadline)` is called after every round (e.g. to draw a bar).
    `seed` is a non-negative integer (numpy's `SeedSequence`).
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise UsageError(f"the seed must be a whole number from 0 up, got {seed!r}")
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
    protocol.progress = progress
    try:
        with one_blas_thread():
            protocol.run(agenda, seats, transcript, mediator)
    finally:
        protocol.progress = None
    return transcript, assess(space, transcript, references(space) if refs is None else refs)


@functools.cache
def _blas() -> ThreadpoolController:
    """The BLAS libraries loaded (looked up once: a lookup takes about a millisecond)."""
    return ThreadpoolController()


def one_blas_thread() -> Any:
    """A context in which linear algebra runs on one BLAS thread (see the module doc): for
    callers that drive a mediator or an agent outside `negotiate`, such as the room."""
    return _blas().limit(limits=1, user_api="blas")
