"""`accord twins`: can a mediator learn the Nash package of a scenario from the answers?"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.analysis import compile_space
from accord.cli.app import app, reports_errors
from accord.io import resolve

GOAL = 0.99


@app.command()
@reports_errors
def twins(
    scenario: Annotated[str, typer.Argument(help="A scenario: YAML file, GENIUS folder or "
                                            "shipped name.", show_default=False)],
    targets: Annotated[int, typer.Option(min=1, help="Rival texts (after the Nash package, "
                                         "by Nash product) to build twins for.")] = 8,
    max_packages: Annotated[int, typer.Option(min=1, help="Refuse larger spaces (the "
                                              "check compares every pair).")] = 5_000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Look for a twin world: other preferences that answer every question a single-text
    mediator could ask exactly as the parties do. Where no text gets 99% of the Nash
    product in both, no mediator learning from the answers can be sure of 99%."""
    from accord.negotiation.twins import find_twin
    from accord.negotiation.view import agenda_of, view_of

    space = compile_space(resolve(scenario))
    agenda = agenda_of(space)
    truth = [view_of(space, k, agenda) for k in range(space.n_parties)]
    twin = find_twin(truth, targets=targets, max_packages=max_packages)
    nash = None if twin is None else twin.nash
    if as_json:
        data: dict = {"scenario": scenario, "twin": twin is not None}
        if twin is not None:
            data.update(nash_package=agenda.describe(nash),
                        target=agenda.describe(twin.target),
                        nash_share_in_twin=twin.nash_share_in_twin,
                        best_for_both=twin.best_for_both,
                        text_for_both=agenda.describe(twin.text_for_both),
                        rules_out_99_percent=twin.best_for_both < GOAL,
                        drafts_checked=twin.drafts_checked, pairs_checked=twin.pairs_checked,
                        gains={p: {"scenario": [_gain(v, nash), _gain(v, twin.target)],
                                   "twin": [_gain(w, nash), _gain(w, twin.target)]}
                               for p, v, w in zip(agenda.party_ids, truth, twin.views)})
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    console = Console(highlight=False)
    if twin is None:
        console.print("No twin found: no zone, or no rival text could gain while every "
                      "answer stays the same.")
        return
    table = Table(title="Gains over the reservation: Nash package / rival text")
    for column in ("party", "in the scenario", "in the twin"):
        table.add_column(column)
    for party, real, other in zip(agenda.party_ids, truth, twin.views):
        table.add_row(escape(party), f"{_gain(real, nash):.4g} / {_gain(real, twin.target):.4g}",
                      f"{_gain(other, nash):.4g} / {_gain(other, twin.target):.4g}")
    console.print(table)
    console.print(f"Nash package: {escape(_describe(agenda, nash))}")
    console.print(f"rival text:   {escape(_describe(agenda, twin.target))}")
    console.print(f"The twin answers all {twin.drafts_checked:,} drafts and "
                  f"{twin.pairs_checked:,} comparisons (over all parties) as the parties do; "
                  f"there the Nash package gets {twin.nash_share_in_twin:.1%} of the Nash "
                  f"product, and no text gets more than {twin.best_for_both:.1%} in both "
                  f"(best: {escape(_describe(agenda, twin.text_for_both))}).")
    if twin.best_for_both < GOAL:
        console.print(f"No mediator that learns only from the answers can be sure of "
                      f"{GOAL:.0%} of the Nash product here.")
    else:
        console.print(f"This twin does not rule out {GOAL:.0%} (another might).")


def _gain(view, package: tuple[int, ...]) -> float:
    return view.utility(package) - view.reservation


def _describe(agenda, package: tuple[int, ...]) -> str:
    return ", ".join(f"{issue}: {option}" for issue, option in agenda.describe(package).items())
