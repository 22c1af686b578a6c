"""`accord practise`: take a delegation's seat yourself, against agents, at the terminal.

The person is one more `Delegation` (`start` + `decide`), the same interface as the
agents and the room's delegations: the protocol asks them what it asks an agent and
shows them only what an agent would see — their own preferences and the offers or drafts
on the table.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from accord.analysis import compile_space
from accord.cli.app import app, reports_errors
from accord.cli.options import comma_list, seed_option
from accord.cli.progress import notice
from accord.cli.simulate_cmd import NO_ZONE, PROTOCOL_HELP, choose_protocol, coalition_line
from accord.errors import UsageError
from accord.io import resolve
from accord.model import Scenario

STANCE_KEYS = {"a": 2, "l": 1, "r": 0}
"""accept, can live with, reject (`moves.Stance` values)."""


class TerminalDelegation:
    """A person at the keyboard in one seat: prompts for every move."""

    name = "you"

    def __init__(self, console: Console, scenario: Scenario) -> None:
        self.console = console
        self.titles = {issue.id: issue.title for issue in scenario.issues}
        self.labels = {(issue.id, option.id): option.label for issue in scenario.issues
                       for option in issue.options}

    def start(self, view, rng) -> None:
        self.view = view
        best = view.best_package()
        self.console.print(
            f"You are [bold]{escape(view.party_id)}[/]. Your reservation (no agreement) is "
            f"worth {view.reservation:.3f}; your best package, {view.utility(best):.3f}:")
        self._show(best)

    def decide(self, request):
        from accord.negotiation.moves import Consult

        if isinstance(request, Consult):
            return self._consult(request)
        return self._turn(request)

    def _point(self, issue: str, option: str) -> str:
        """'Title: Label [issue=option]': what people read, and the ids to type."""
        return (f"{self.titles.get(issue, issue)}: {self.labels.get((issue, option), option)} "
                f"[{issue}={option}]")

    def _show(self, package) -> None:
        agenda = self.view.agenda
        for i, (issue, option) in enumerate(agenda.describe(package).items()):
            red = " [red](your red line)[/]" if self.view.veto[agenda.offsets[i] + package[i]] \
                else ""
            self.console.print(f"  {i + 1}. {escape(self._point(issue, option))}{red}")

    def _worth(self, package) -> str:
        value = self.view.utility(package)
        return f"worth {value:.3f} to you (reservation {self.view.reservation:.3f})"

    def _turn(self, turn):
        from accord.negotiation.moves import Accept, Offer

        if turn.offer is not None:
            who = self.view.agenda.party_ids[turn.offered_by] if turn.offered_by is not None \
                else "?"
            self.console.print(f"\nMove {turn.step + 1}: {escape(who)} offers, "
                               f"{self._worth(turn.offer)}:")
            self._show(turn.offer)
        else:
            self.console.print(f"\nMove {turn.step + 1}: you open.")
        while True:
            reply = typer.prompt("accept (a), your best package (best), or an offer as "
                                 "issue=option,... (points left out stay as offered)")
            reply = reply.strip()
            if reply == "a":
                if turn.offer is None:
                    self.console.print("there is no offer to accept yet")
                    continue
                return Accept()
            if reply == "best":
                return Offer(self.view.best_package())
            try:
                package = self._parse(reply, turn.offer or self.view.best_package())
            except UsageError as error:
                self.console.print(f"[red]{escape(str(error))}[/]")
                continue
            return Offer(package)

    def _parse(self, text: str, base) -> tuple[int, ...]:
        agenda = self.view.agenda
        package = list(base)
        for part in comma_list(text):
            issue, _, option = part.partition("=")
            issue, option = issue.strip(), option.strip()
            if issue not in agenda.issue_ids:
                raise UsageError(f"{issue!r} is not an issue; issues: "
                                 f"{', '.join(agenda.issue_ids)}")
            i = agenda.issue_ids.index(issue)
            if option not in agenda.option_ids[i]:
                raise UsageError(f"{option!r} is not an option of {issue}; options: "
                                 f"{', '.join(agenda.option_ids[i])}")
            package[i] = agenda.option_ids[i].index(option)
        return tuple(package)

    def _choose(self, question: str, keys) -> str:
        """Ask until the answer is one of `keys`."""
        while True:
            answer = typer.prompt(question).strip().lower()
            if answer in keys:
                return answer
            self.console.print(f"please answer {', '.join(keys)}")

    def _consult(self, consult):
        from accord.negotiation.moves import Answers, Comparison, Stance

        kind = "final text (sign or refuse)" if consult.final else "draft"
        self.console.print(f"\nRound {consult.round + 1}: the mediator's {kind}, "
                           f"{self._worth(consult.draft)}:")
        self._show(consult.draft)
        agenda = self.view.agenda
        stances = []
        for issue, option in agenda.describe(consult.draft).items():
            key = self._choose(f"{self._point(issue, option)}: accept (a), can live with "
                               "(l), reject (r)", STANCE_KEYS)
            stances.append(Stance(STANCE_KEYS[key]))
        red = tuple(bool(self.view.veto[agenda.offsets[i] + o])
                    for i, o in enumerate(consult.draft))
        sign = typer.confirm("Would you sign this text as a whole?")
        versus = None
        if consult.versus is not None:
            self.console.print("Compared with this earlier text:")
            self._show(consult.versus)
            key = self._choose("this draft is better (b), the same (s) or worse (w) for you",
                               ("b", "s", "w"))
            versus = {"b": Comparison.BETTER, "s": Comparison.SAME, "w": Comparison.WORSE}[key]
        return Answers(tuple(stances), sign and not any(red), red, (), versus)


@app.command()
@reports_errors
def practise(
    scenario: Annotated[str, typer.Argument(help="A scenario: YAML file, GENIUS folder or "
                                            "shipped name.", show_default=False)],
    as_: Annotated[str, typer.Option("--as", help="The party whose seat you take.",
                                     show_default=False)],
    protocol: Annotated[str | None, typer.Option(help=PROTOCOL_HELP,
                                                 show_default=False)] = None,
    agents: Annotated[str, typer.Option(help="Agents in the other seats, comma-separated in "
                                        "party order (one name: all of them).")] = "boulware",
    mediator: Annotated[str, typer.Option(help="For single-text and shuttle.")] = "engine",
    deadline: Annotated[int | None, typer.Option(min=1, help="Rounds.")] = None,
    seed: Annotated[int, seed_option("moves of the agents")] = 0,
) -> None:
    """Negotiate yourself, in one party's seat, against agents."""
    from accord.negotiation import make_protocol, negotiate, references

    loaded = resolve(scenario)
    space = compile_space(loaded)
    if as_ not in space.party_ids:
        raise UsageError(f"no party {as_!r} in {scenario}; parties: "
                         f"{', '.join(space.party_ids)}")
    others = comma_list(agents) or ["boulware"]
    if len(others) == 1:
        others = others * (space.n_parties - 1)
    if len(others) != space.n_parties - 1:
        raise UsageError(f"{len(others)} agents for the {space.n_parties - 1} other seats")
    table = make_protocol(choose_protocol(protocol, space.n_parties), deadline)
    from accord.negotiation.view import agenda_of

    table.check(agenda_of(space))  # a bilateral protocol on more parties: say so first
    refs = references(space)
    if refs.nash_package is None:
        notice(NO_ZONE.format(scenario=scenario))
    console = Console(highlight=False)
    seat = space.party_ids.index(as_)
    seats = others[:seat] + [TerminalDelegation(console, loaded)] + others[seat:]
    _, result = negotiate(space, table, seats, seed=seed, mediator=mediator, refs=refs)
    if result.agreement:
        console.print(f"\n[green]agreement[/] after {result.rounds} round(s), worth "
                      f"{result.utilities[seat]:.3f} to you:")
        for issue, option in space.describe_package(list(result.package)).items():
            console.print(f"  {escape(seats[seat]._point(issue, option))}")
        if not space.unanimous:
            console.print(coalition_line(space, result), markup=False)
    else:
        console.print(f"\n[red]no agreement[/] after {result.rounds} round(s): you keep "
                      f"your reservation, {space.reservation[seat]:.3f}")
    if refs.nash_package is None:
        console.print("no Nash package: there is no zone of agreement")
    elif result.nash_share == result.nash_share:  # not nan: the Nash product is positive
        console.print(f"share of the Nash product: {result.nash_share:.3f}")
