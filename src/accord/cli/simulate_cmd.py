"""`accord simulate`: one negotiation between agents, and the transcript printers."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.analysis import compile_space, relax
from accord.cli.app import app, reports_errors
from accord.cli.options import comma_list, finite
from accord.io import resolve


@app.command()
@reports_errors
def simulate(
    scenario: Annotated[str, typer.Argument(help="A scenario: YAML file, GENIUS folder or "
                                            "shipped name.", show_default=False)],
    protocol: Annotated[str, typer.Option(help="alternating-offers, stacked-alternating-"
                                          "offers, single-text or shuttle.")] = "alternating-offers",
    agents: Annotated[str, typer.Option(help="Comma-separated agent names, one per party "
                                        "(one name: every party).")] = "boulware",
    mediator: Annotated[str, typer.Option(help="For single-text and shuttle: engine or "
                                          "hill-climber.")] = "engine",
    deadline: Annotated[int | None, typer.Option(min=1, help="Rounds (default: the "
                                                 "protocol's own).")] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same transcript.")] = 0,
    relax_: Annotated[str, typer.Option("--relax", help="Comma-separated party/issue red "
                                        "lines (or party reservations) to lift first.")] = "",
    transcript: Annotated[bool, typer.Option(help="Print every move.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result (and transcript) "
                                          "as JSON.")] = False,
) -> None:
    """Run one negotiation between agents and print its result."""
    from accord.negotiation import negotiate
    from accord.negotiation.tournament import _demand

    space = compile_space(resolve(scenario))
    demands = [_demand(space, scenario, d) for d in comma_list(relax_)]
    if demands:
        space = relax(space, tuple(demands))
    names = comma_list(agents) or ["boulware"]
    if len(names) == 1:
        names = names * space.n_parties
    record, result = negotiate(space, protocol, names, seed=seed, deadline=deadline,
                               mediator=mediator)
    if as_json:
        data = {"scenario": scenario, "protocol": protocol, "agents": names, "seed": seed,
                "agreement": result.agreement, "rounds": result.rounds,
                "package": None if result.package is None else space.describe_package(
                    list(result.package)),
                "utilities": dict(zip(space.party_ids, result.utilities)),
                "distance_pareto": finite(result.distance_pareto),
                "distance_nash": finite(result.distance_nash),
                "nash_share": finite(result.nash_share)}
        if transcript:
            data["transcript"] = transcript_rows(record, space.party_ids)
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    console = Console(highlight=False)
    if transcript:
        print_transcript(console, record, space.party_ids)
    verdict = "[green]agreement[/]" if result.agreement else "[red]no agreement[/]"
    console.print(f"{verdict} after {result.rounds} round(s) — {protocol}, seed {seed}")
    if result.package is not None:
        for issue, option in space.describe_package(list(result.package)).items():
            console.print(f"  {escape(issue)}: {escape(option)}")
    table = Table("party", "agent", "utility", "reservation")
    for party, name, u, r in zip(space.party_ids, names, result.utilities, space.reservation):
        table.add_row(escape(party), escape(name), f"{u:.3f}", f"{r:.3f}")
    console.print(table)
    console.print(f"distance to the Pareto frontier {result.distance_pareto:.4f}; to the Nash "
                  f"package {result.distance_nash:.4f}; share of the Nash product "
                  f"{result.nash_share:.3f}")


def transcript_rows(record: Any, party_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every move of a transcript as a JSON-ready dict."""
    return [{"step": e.step, "actor": "mediator" if e.actor < 0 else party_ids[e.actor],
             "kind": e.kind, "package": e.package, "stances": e.stances, "accept": e.accept,
             "versus": e.versus, "compared": e.compared} for e in record.events]


def print_transcript(console: Console, record: Any, party_ids: tuple[str, ...],
                     labels: list[str] | None = None) -> None:
    """Every move of a transcript, one line each (`labels`: a name per draft, in order)."""
    drafts = iter(labels or [])
    for e in record.events:
        who = "mediator" if e.actor < 0 else party_ids[e.actor]
        extra = "" if e.stances is None else (
            f" {' '.join(('reject', 'live', 'accept')[s] for s in e.stances)}"
            f" · {'signs' if e.accept else 'does not sign'}")
        if e.compared is not None:
            extra += f" vs {e.versus}: {('worse', 'same', 'better')[e.compared + 1]}"
        elif e.versus is not None:
            extra += f" (compare with {e.versus})"
        name = next(drafts, None) if e.actor < 0 else None
        package = f"{name} {e.package}" if name else f"{e.package}"
        console.print(f"{e.step:>4} {escape(who):>12} {e.kind:<8} {escape(package)}{extra}")
