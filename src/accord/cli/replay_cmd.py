"""`accord replay`: a negotiation room's history replayed as a simulation, seat by seat."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from accord.analysis import compile_space
from accord.cli.app import app, reports_errors
from accord.cli.options import comma_list, finite, seed_option
from accord.cli.progress import notice
from accord.cli.simulate_cmd import print_transcript, transcript_rows
from accord.errors import UsageError
from accord.io import resolve
from accord.io.room_export import read_room_export


@app.command()
@reports_errors
def replay(
    export: Annotated[Path, typer.Argument(help="The room's export (JSON, from the "
                                           "mediator's Export link).", show_default=False)],
    scenario: Annotated[str | None, typer.Option(help="A scenario with the room's issues, "
                                                 "options and parties: needed to seat "
                                                 "agents and to score the outcome.")] = None,
    seat: Annotated[list[str] | None, typer.Option(help="PARTY=AGENT: an agent answers for "
                                                   "that delegation (repeatable).")] = None,
    seed: Annotated[int, seed_option("moves of the seated agents")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the transcript (and result) "
                                          "as JSON.")] = False,
) -> None:
    """Replay a room's drafts and answers; let agents take seats to see what changes."""
    from accord.negotiation.replay import OPEN, RoomRecord
    from accord.negotiation.replay import replay as replay_room

    record = RoomRecord.from_export(read_room_export(export), str(export))
    seats = {}
    for entry in comma_list(",".join(seat or [])):
        party, _, agent = entry.partition("=")
        if not party or not agent:
            raise UsageError(f"--seat {entry!r}: expected PARTY=AGENT")
        seats[party] = agent
    space = None if scenario is None else compile_space(resolve(scenario))
    parties = record.agenda.party_ids
    if space is not None and set(parties) < set(space.party_ids):
        notice(f"the room seated {', '.join(parties)} of the scenario's "
               f"{len(space.party_ids)} parties: replayed, and scored, with those seats only",
               quiet=as_json)
    transcript, result = replay_room(record, space, seats, seed)
    open_points = {d: record.open_points(k) for k, d in enumerate(record.draft_ids)
                   if record.open_points(k)}
    unanswered = {p: n for p, n in record.unanswered.items() if n and p not in seats}
    if as_json:
        data = {"export": str(export), "drafts": list(record.draft_ids),
                "agents": list(transcript.agents), "rounds": transcript.rounds,
                "agreement": transcript.agreement is not None,
                "unanswered": unanswered, "open_points": {d: list(p) for d, p in
                                                          open_points.items()},
                "transcript": transcript_rows(transcript, record.agenda)}
        if result is not None:
            data.update(utilities=dict(zip(parties, result.utilities)),
                        nash_share=finite(result.nash_share))
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    console = Console(highlight=False)
    print_transcript(console, transcript, record.agenda, list(record.draft_ids))
    for party, count in unanswered.items():
        console.print(f"{count} point(s) unanswered by {escape(party)}: read as can live with, "
                      "and the draft as not signed")
    for draft, points in open_points.items():
        console.print(f"{draft} leaves {len(points)} point(s) open ({escape(', '.join(points))};"
                      f" {OPEN} in the package): nobody signs a text with open points")
    last = record.draft_ids[-1]
    why = " (points left open)" if last in open_points else ""
    if record.agenda.rule is None or record.agenda.rule.unanimous:
        console.print(f"{last} signed by all: {'yes' if transcript.agreement else 'no'}{why}")
    elif transcript.agreement is None or transcript.coalition is None:
        console.print(f"{last} agreed under the rule: no{why}")
    else:  # carried by a winning coalition under the scenario's rule
        carried = ", ".join(escape(parties[p]) for p in transcript.coalition)
        console.print(f"{last} agreed under the rule: yes, carried by {carried}")
    if result is not None:
        console.print("utilities: " + ", ".join(f"{escape(p)} {u:.3f}" for p, u in
                                                 zip(parties, result.utilities))
                      + f"; share of the Nash product {result.nash_share:.3f}")
