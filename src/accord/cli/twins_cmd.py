"""`accord twins`: can a mediator learn the Nash package of a scenario from the answers?

Before the search the command says what it can do: with no zone of agreement there is no
Nash package to learn (it names the demands whose lifting opens a zone, for `--relax`);
a space too large to list is refused with the count, the limit and what raising it costs.
The search itself shows a bar (steps: each party's answers to every draft, then each
party's twin for each rival text).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.analysis import compile_space, relax
from accord.cli.app import app, reports_errors
from accord.cli.options import comma_list
from accord.cli.progress import notice, progress_bar
from accord.errors import UsageError
from accord.io import resolve

GOAL = 0.99


@app.command()
@reports_errors
def twins(
    scenario: Annotated[str, typer.Argument(help="A scenario: YAML file, GENIUS folder or "
                                            "shipped name.", show_default=False)],
    targets: Annotated[int, typer.Option(min=1, help="Rival texts (after the Nash package, "
                                         "by Nash product) to build twins for.")] = 8,
    max_packages: Annotated[int | None, typer.Option(
        min=1, show_default=False, help="Refuse larger spaces (the check compares every "
        "pair; time grows with the square of the count). Default: the engine's "
        "accord.negotiation.twins.MAX_PACKAGES, 12,000.")] = None,
    relax_: Annotated[str, typer.Option("--relax", help="Comma-separated party/issue red "
                                        "lines (or party reservations) to lift first.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Look for a twin world: other preferences that answer every question a single-text
    mediator could ask exactly as the parties do. Where no text gets 99% of the Nash
    product in both, no mediator learning from the answers can be sure of 99%."""
    from accord.analysis.blocking import blocking_sets
    from accord.analysis.zone import zone_of_agreement
    from accord.negotiation.tournament import parse_demand
    from accord.negotiation.twins import MAX_PACKAGES, find_twin  # scipy: only when run
    from accord.negotiation.view import agenda_of, view_of

    max_packages = MAX_PACKAGES if max_packages is None else max_packages

    space = compile_space(resolve(scenario))
    demands = [parse_demand(space, scenario, d) for d in comma_list(relax_)]
    if demands:
        space = relax(space, tuple(demands))
    count = space.n_packages()
    if not zone_of_agreement(space).exists:
        _no_zone(scenario, space, blocking_sets(space, max_sets=3), count, max_packages,
                 as_json)
        return
    if count > max_packages:
        raise UsageError(_too_large(scenario, count, max_packages))
    agenda = agenda_of(space)
    truth = [view_of(space, k, agenda) for k in range(space.n_parties)]
    notice(f"{scenario}: {count:,} packages, {space.n_parties} parties; every package is "
           f"a draft to answer and every pair a comparison, for up to {targets} rival "
           "text(s)", quiet=as_json)
    with progress_bar("twin search (party steps)", None, quiet=as_json) as update:
        twin = find_twin(truth, targets=targets, max_packages=max_packages,
                         progress=lambda done, total: update(done, total))
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


def _no_zone(scenario: str, space, blocking, count: int, limit: int, as_json: bool) -> None:
    """Say that there is nothing to learn, and what would open a zone."""
    lifts = [",".join(_demand_text(space, d) for d in b.demands) for b in blocking]
    if as_json:
        sys.stdout.write(json.dumps({"scenario": scenario, "twin": False, "zone": False,
                                     "relax_to_open_a_zone": lifts, "packages": count,
                                     "max_packages": limit}, indent=2) + "\n")
        return
    console = Console(highlight=False)
    console.print(f"No zone of agreement in {escape(scenario)}: no package crosses no red "
                  "line and leaves every party at or above its reservation, so there is no "
                  "Nash package for a mediator to learn and no twin world to look for.")
    if lifts:
        console.print("Lifting any one of these opens a zone: "
                      + "; ".join(escape(x) for x in lifts) + ".")
        if count <= limit:
            console.print(f"Try: accord twins {escape(scenario)} --relax {escape(lifts[0])}")
    if count > limit:
        console.print("Even then: " + escape(_too_large(scenario, count, limit)))


def _too_large(scenario: str, count: int, limit: int) -> str:
    """Why a space is refused, and what raising the limit would cost."""
    text = (f"Twin worlds list every package of {scenario} and compare every pair of them: "
            f"{count:,} here, more than --max-packages {limit:,}.")
    from accord.negotiation.twins import MAX_PACKAGES

    if count <= 50 * MAX_PACKAGES:
        return text + (f" Raise it with --max-packages {count} (time grows with the square "
                       f"of the count: {MAX_PACKAGES:,} packages take a few minutes).")
    return text + (" No limit makes that practical at this size: ask the question of a "
                   "smaller scenario (fewer issues or options).")


def _demand_text(space, demand) -> str:
    party = space.party_ids[demand.party]
    return party if demand.issue is None else f"{party}/{space.issue_ids[demand.issue]}"


def _gain(view, package: tuple[int, ...]) -> float:
    return view.utility(package) - view.reservation


def _describe(agenda, package: tuple[int, ...]) -> str:
    return ", ".join(f"{issue}: {option}" for issue, option in agenda.describe(package).items())
