"""`accord simulate`: one negotiation between agents, and the transcript printers."""

from __future__ import annotations

import json
import math
import sys
import textwrap
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.analysis import compile_space, relax
from accord.analysis.space import Space
from accord.cli.app import app, reports_errors
from accord.cli.options import comma_list, finite, seed_option
from accord.cli.progress import notice, progress_bar
from accord.io import resolve

if TYPE_CHECKING:  # the negotiation package loads scipy: only when a command needs it
    from accord.negotiation.view import Agenda

PROTOCOL_HELP = ("alternating-offers (two parties), stacked-alternating-offers, single-text, "
                 "shuttle or mopac (default: alternating-offers for two parties, "
                 "stacked-alternating-offers for more).")
STANCES = ("rejects", "can live with", "accepts")
VERDICTS = {-1: "worse", 0: "the same", 1: "better"}
NBSP = "\u00a0"
NO_ZONE = ("{scenario} has no zone of agreement: no package keeps every red line and gives "
           "every party its reservation, so expect no agreement, and there is no Nash package "
           "to measure against (`accord analyze` shows what blocks it; --relax lifts a red "
           "line)")


def choose_protocol(protocol: str | None, n_parties: int, *, quiet: bool = False) -> str:
    """The protocol asked for, else the default for this many parties (said in a notice
    when the table has more than two parties, where the bilateral default cannot seat)."""
    from accord.negotiation.protocols import default_protocol, protocols_for

    if protocol is not None:
        return protocol
    chosen = default_protocol(n_parties)
    if n_parties > 2:
        others = [p for p in protocols_for(n_parties) if p != chosen]
        notice(f"{n_parties} parties: using the {chosen} protocol; --protocol to choose "
               f"({', '.join(others)})", quiet=quiet)
    return chosen


@app.command()
@reports_errors
def simulate(
    scenario: Annotated[str, typer.Argument(help="A scenario: YAML file, GENIUS folder or "
                                            "shipped name.", show_default=False)],
    protocol: Annotated[str | None, typer.Option(help=PROTOCOL_HELP,
                                                 show_default=False)] = None,
    agents: Annotated[str, typer.Option(help="Comma-separated agent names, one per party "
                                        "(one name: every party).")] = "boulware",
    mediator: Annotated[str, typer.Option(help="For single-text and shuttle: engine or "
                                          "hill-climber.")] = "engine",
    deadline: Annotated[int | None, typer.Option(min=1, help="Rounds (default: the "
                                                 "protocol's own).")] = None,
    seed: Annotated[int, seed_option("transcript")] = 0,
    relax_: Annotated[str, typer.Option("--relax", help="Comma-separated party/issue red "
                                        "lines (or party reservations) to lift first.")] = "",
    transcript: Annotated[bool, typer.Option(help="Print every move.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result (and transcript) "
                                          "as JSON.")] = False,
) -> None:
    """Run one negotiation between agents and print its result."""
    from accord.negotiation import make_protocol, negotiate, references
    from accord.negotiation.tournament import _demand

    space = compile_space(resolve(scenario))
    demands = [_demand(space, scenario, d) for d in comma_list(relax_)]
    if demands:
        space = relax(space, tuple(demands))
    names = comma_list(agents) or ["boulware"]
    if len(names) == 1:
        names = names * space.n_parties
    table = make_protocol(choose_protocol(protocol, space.n_parties, quiet=as_json), deadline)
    from accord.negotiation.view import agenda_of

    table.check(agenda_of(space))  # a bilateral protocol on more parties: say so first
    with progress_bar("measuring the scenario", None, quiet=as_json):
        refs = references(space)
    zone = refs.nash_package is not None
    if not zone:
        notice(NO_ZONE.format(scenario=scenario), quiet=as_json)
    with progress_bar(f"{table.name}, seed {seed}", table.deadline, quiet=as_json,
                      unit="rounds") as update:
        record, result = negotiate(space, table, names, seed=seed, mediator=mediator,
                                   refs=refs, progress=update)
    if as_json:
        data = {"scenario": scenario, "protocol": table.name, "agents": names, "seed": seed,
                "agreement": result.agreement, "rounds": result.rounds, "zone": zone,
                "package": None if result.package is None else space.describe_package(
                    list(result.package)),
                "utilities": dict(zip(space.party_ids, result.utilities)),
                "distance_pareto": finite(result.distance_pareto),
                "distance_nash": finite(result.distance_nash),
                "nash_share": finite(result.nash_share),
                **coalition_fields(space, result)}
        if transcript:
            data["transcript"] = transcript_rows(record, space)
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    console = Console(highlight=False)
    if transcript:
        print_transcript(console, record, space)
    verdict = "[green]agreement[/]" if result.agreement else "[red]no agreement[/]"
    console.print(f"{verdict} after {result.rounds} round(s) — {table.name}, seed {seed}")
    if result.package is not None:
        for issue, option in space.describe_package(list(result.package)).items():
            console.print(f"  {escape(issue)}: {escape(option)}")
    if not space.unanimous:
        console.print(coalition_line(space, result), markup=False)
    scores = Table("party", "agent", "utility", "reservation")
    for party, name, u, r in zip(space.party_ids, names, result.utilities, space.reservation):
        scores.add_row(escape(party), escape(name), f"{u:.3f}", f"{r:.3f}")
    console.print(scores)
    for line in measures(result, zone):
        console.print(line, markup=False)


def coalition_fields(space: Space, result: Any) -> dict[str, Any]:
    """The JSON of who decides: the rule in words, the parties that carried the agreement
    and those left out (both None without an agreement)."""
    ids = space.party_ids
    return {"rule": space.winning_rule.describe(ids),
            "coalition": None if result.coalition is None else [ids[p] for p in result.coalition],
            "left_out": None if result.left_out is None else [ids[p] for p in result.left_out]}


def coalition_line(space: Space, result: Any) -> str:
    """Under a rule: the rule, and who carried the agreement and who was left out."""
    rule = f"rule: {space.winning_rule.describe(space.party_ids)}"
    if result.coalition is None:
        return rule
    names = [space.party_ids[p] for p in result.coalition]
    out = [space.party_ids[p] for p in result.left_out]
    line = f"{rule}; carried by {', '.join(names)}"
    if out:
        line += f"; left out: {', '.join(out)} (bound by the agreement all the same)"
    return line


def measures(result: Any, zone: bool) -> list[str]:
    """The outcome against the frontier and the Nash package, in words where a number is
    missing (never `nan`)."""
    lines = [f"distance to the Pareto frontier: {result.distance_pareto:.4f}"
             if not math.isnan(result.distance_pareto) else
             "no Pareto frontier: every package crosses some party's red line"]
    if not zone:
        lines.append("no Nash package: there is no zone of agreement")
    elif math.isnan(result.nash_share):
        lines.append(f"distance to the Nash package: {result.distance_nash:.4f}; no share of "
                     "the Nash product: it is 0 (every package in the zone leaves some "
                     "party no gain)")
    else:
        lines.append(f"distance to the Nash package: {result.distance_nash:.4f}; share of "
                     f"the Nash product: {result.nash_share:.3f}")
    return lines


def transcript_rows(record: Any, agenda: Any) -> list[dict[str, Any]]:
    """Every move of a transcript as a JSON-ready dict: packages as option indices
    (`package`, `versus`) and as issue -> option (`options`, `versus_options`; a point a
    replayed draft left open, -1 among the indices, is None).
    `agenda`: the `Space` or `Agenda` the transcript's packages belong to."""
    agenda = _agenda(agenda)
    rows = []
    for e in record.events:
        row = {"step": e.step, "actor": "mediator" if e.actor < 0 else agenda.party_ids[e.actor],
               "kind": e.kind, "package": e.package,
               "options": None if e.package is None else _describe(agenda, e.package),
               "stances": e.stances, "accept": e.accept, "versus": e.versus,
               "compared": e.compared}
        if e.versus is not None:
            row["versus_options"] = _describe(agenda, e.versus)
        rows.append(row)
    return rows


def print_transcript(console: Console, record: Any, agenda: Any,
                     labels: list[str] | None = None) -> None:
    """Every move of a transcript, packages as issue → option, wrapped to the console.

    `agenda`: the `Space` or `Agenda` of the transcript; `labels`: a name per draft, in
    order (default: draft 1, draft 2, …). A text that differs on few points from the
    text before it (or from the same party's last offer) is shown as that text with the
    changes; a text tabled before, by its name.
    """
    from accord.negotiation.protocols import MultipleOffersPartialConsensus

    agenda = _agenda(agenda)
    width = max(40, min(console.width, 100))
    names = iter(labels or [])
    texts = _Texts(agenda)
    # MOPAC: every party offers, then votes, each round; its steps are rounds
    by_round = record.protocol == MultipleOffersPartialConsensus.name
    votes: list[Any] = []
    for k, e in enumerate(record.events):
        who = "the mediator" if e.actor < 0 else agenda.party_ids[e.actor]
        if e.kind == "vote":  # one line per voter and round
            votes.append(e)
            following = record.events[k + 1] if k + 1 < len(record.events) else None
            if following is None or following.kind != "vote" or (
                    following.actor, following.step) != (e.actor, e.step):
                _say(console, width, f"  {who}", _votes(texts, votes), indent=4)
                votes = []
            continue
        if e.kind in ("draft", "final"):
            name, body = texts.show(e.package, who, next(names, None))
            head = f"round {e.step + 1}: {who} tables {name}" + (
                " again" if body is None else "") + (" as final" if e.kind == "final" else "")
            if e.versus is not None:
                body = (body + "; " if body else "") + f"compare with {texts.name(e.versus)}"
            _say(console, width, head, body)
        elif e.kind == "offer":
            name, body = texts.show(e.package, who)
            when = f"round {e.step + 1}" if by_round else f"move {e.step + 1}"
            _say(console, width, f"{when}: {who} makes {name}"
                 + (" again" if body is None else ""), body)
        elif e.kind == "accept":
            _say(console, width, f"move {e.step + 1}: {who} accepts {texts.name(e.package)}")
        else:  # answers to a draft
            words = ["signs" if e.accept else "does not sign"]
            if e.stances:
                words.append(_stances(agenda, e.stances))
            if e.compared is not None:
                words.append(f"finds it {VERDICTS[e.compared]}"
                             f"{' as' if e.compared == 0 else ' than'} {texts.name(e.versus)}")
            _say(console, width, f"  {who}", " · ".join(words), indent=4)


class _Texts:
    """The texts tabled so far: names them (draft 1, offer 1, … or the labels given),
    and describes a new one by its changes from the last text on the table or its
    author's last one, when few points changed."""

    def __init__(self, agenda: Agenda) -> None:
        self.agenda = agenda
        self.names: dict[tuple[int, ...], str] = {}
        self.last: dict[str, tuple[int, ...]] = {}
        self.drafts = self.offers = 0

    def name(self, package: tuple[int, ...] | None) -> str:
        """A text's name when it was tabled, else its points."""
        if package is None:
            return "no text"
        return self.names.get(tuple(package)) or "(" + _options(self.agenda, package) + ")"

    def show(self, package: tuple[int, ...], author: str, label: str | None = None
             ) -> tuple[str, str | None]:
        """(name, description) of a text as `author` tables it; the description is None
        for a text tabled before under the same name."""
        package = tuple(int(o) for o in package)
        bases = [p for p in (self.last.get(""), self.last.get(author)) if p is not None]
        self.last[""] = self.last[author] = package
        known = self.names.get(package)
        if known is not None and label in (None, known):
            return known, None
        if label is None:
            if author == "the mediator":
                self.drafts += 1
                label = f"draft {self.drafts}"
            else:
                self.offers += 1
                label = f"offer {self.offers}"
        if known is not None:
            return label, f"the same as {known}"
        self.names[package] = label
        base = min(bases, key=lambda p: sum(a != b for a, b in zip(p, package)), default=None)
        if base is not None:
            changed = [i for i, (a, b) in enumerate(zip(base, package)) if a != b]
            if len(changed) <= len(package) // 2:
                return label, f"{self.names[base]} with " + _options(self.agenda, package,
                                                                      changed)
        return label, _options(self.agenda, package)


def _agenda(agenda: Any) -> Agenda:
    """The public agenda of a `Space` (an `Agenda` as it is)."""
    from accord.negotiation.view import agenda_of

    return agenda_of(agenda) if isinstance(agenda, Space) else agenda


def _describe(agenda: Agenda, package: tuple[int, ...]) -> dict[str, str | None]:
    """Issue id -> option id (None for a point left open: a negative index)."""
    return {issue: None if o < 0 else options[o]
            for issue, options, o in zip(agenda.issue_ids, agenda.option_ids, package)}


def _options(agenda: Agenda, package: tuple[int, ...], issues: list[int] | None = None) -> str:
    """`issue → option, …` for the given issues (default: all); each pair is kept on one
    line when wrapped (joined by no-break spaces, which `_say` turns back)."""
    described = list(_describe(agenda, package).items())
    chosen = range(len(described)) if issues is None else issues
    return ", ".join(f"{described[i][0]}{NBSP}→{NBSP}{described[i][1] or '(open)'}"
                     for i in chosen)


def _votes(texts: _Texts, votes: list[Any]) -> str:
    """One voter's votes of a round: 'votes for offer 3, offer 4; against offer 5'."""
    ayes = [texts.name(e.package) for e in votes if e.accept]
    noes = [texts.name(e.package) for e in votes if not e.accept]
    parts = ([f"votes for {', '.join(ayes)}"] if ayes else []) + (
        [("against " if ayes else "votes against ") + ", ".join(noes)] if noes else [])
    return "; ".join(parts)


def _stances(agenda: Agenda, stances: tuple[int, ...]) -> str:
    """Point-by-point answers grouped: 'rejects a, b; can live with c; accepts the rest'."""
    parts = []
    for s in (0, 1, 2):
        issues = [agenda.issue_ids[i] for i, v in enumerate(stances) if v == s]
        if len(issues) == len(stances):
            parts.append(f"{STANCES[s]} every point")
        elif s == 2 and issues and parts:
            parts.append("accepts the rest")
        elif issues:
            parts.append(f"{STANCES[s]} {', '.join(issues)}")
    return "; ".join(parts)


def _say(console: Console, width: int, head: str, body: str | None = None,
         indent: int = 2) -> None:
    """`head: body`, wrapped to `width` with the continuation lines indented."""
    text = head if body is None else f"{head}: {body}"
    for line in textwrap.wrap(text, width, subsequent_indent=" " * (indent + 2),
                              break_on_hyphens=False, break_long_words=False):
        console.print(line.replace(NBSP, " "), markup=False, highlight=False)
