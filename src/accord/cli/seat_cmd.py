"""`accord seat`: an agent takes a delegation's seat in a room, through its invitation
link, and answers each draft the mediator publishes (see `room.seat`)."""

from __future__ import annotations

from typing import Annotated

import httpx
import numpy as np
import typer

from accord.analysis import compile_space, relax
from accord.cli.app import app, reports_errors
from accord.cli.options import comma_list, seed_option
from accord.cli.progress import notice
from accord.errors import UsageError
from accord.io import resolve


@app.command()
@reports_errors
def seat(
    link: Annotated[str, typer.Argument(help="The invitation link the mediator gave the "
                                        "delegation (http://host/join/ and its token).",
                                        show_default=False)],
    scenario: Annotated[str, typer.Option(help="The scenario whose party the agent plays "
                                          "(YAML file or shipped name): its own "
                                          "preferences, never sent to the room.",
                                          show_default=False)],
    party: Annotated[str, typer.Option(help="The party of the scenario the agent plays.",
                                       show_default=False)],
    agent: Annotated[str, typer.Option(help="The agent (sincere, boulware, conceder or another "
                                       "of accord simulate's agents).")
                     ] = "sincere",
    relax_: Annotated[str, typer.Option("--relax", help="Comma-separated party/issue red "
                                        "lines (or party reservations) to lift first.")] = "",
    drafts: Annotated[int | None, typer.Option(min=1, help="Stop after answering this many "
                                               "drafts (default: keep answering).")] = None,
    patience: Annotated[float | None, typer.Option(min=0, help="Stop when no new draft "
                                                   "came for this many seconds.")] = None,
    poll: Annotated[float, typer.Option(min=0.05, help="Seconds between looks at the "
                                        "room.")] = 1.0,
    deadline: Annotated[int, typer.Option(min=1, help="Drafts the agent expects (time-"
                                          "dependent agents concede by it).")] = 50,
    seed: Annotated[int, seed_option("answers")] = 0,
) -> None:
    """Seat an agent in a room: join with the link and answer each new draft."""
    from accord.negotiation import make_agent
    from accord.negotiation.tournament import parse_demand
    from accord.negotiation.view import agenda_of, view_of
    from accord.room.seat import RoomSeat

    space = compile_space(resolve(scenario))
    demands = [parse_demand(space, scenario, d) for d in comma_list(relax_)]
    if demands:
        space = relax(space, tuple(demands))
    if party not in space.party_ids:
        raise UsageError(f"--party: {scenario} has no party {party!r}; its parties: "
                         f"{', '.join(space.party_ids)}")
    view = view_of(space, space.party_ids.index(party), agenda_of(space))
    try:
        taken = RoomSeat.join(link, make_agent(agent), view, np.random.default_rng(seed),
                              deadline=deadline)
        notice(f"{agent} sits as {party} in room {taken.negotiation}; answering each new "
               "draft", quiet=False)
        count = taken.sit(drafts, poll, patience, said=lambda line: notice(line, quiet=False))
    except httpx.HTTPError as error:
        raise UsageError(f"cannot reach the room at {link}: {error}") from None
    notice(f"answered {count} draft(s)", quiet=False)
