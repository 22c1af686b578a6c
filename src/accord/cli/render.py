"""Rich rendering of an analysis for people at a terminal."""

from __future__ import annotations

import itertools

import numpy as np
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from accord.analysis import Analysis, DraftProfile, Solution, distance
from accord.analysis.trades import mutual_gains
from accord.cli.layout import Column, fitted_table
from accord.cli.render_rule import rule_panel
from accord.model.draft_ref import match_name, short_name
from accord.report import Describer

SOLUTION_NAMES = {
    "nash": "Nash", "asymmetric-nash": "Nash (weighted by capability)",
    "kalai-smorodinsky": "Kalai–Smorodinsky", "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
}
TABLE = {"show_edge": False, "header_style": "bold"}
PANEL_FRAME = 4
"""Cells a panel takes from the console's width: its border and padding on both sides."""


def render_analysis(console: Console, analysis: Analysis, focus: str | None = None) -> None:
    """The mediator's questions, answered in order."""
    d = Describer(analysis.scenario, analysis.space)
    width = console.width - PANEL_FRAME
    console.print(_header(analysis))
    console.print(_deal_panel(analysis, d))
    if not analysis.space.unanimous:
        console.print(rule_panel(analysis, d, width, SOLUTION_NAMES))
    if analysis.solutions:
        console.print(_solutions_panel("What would a fair package look like?", None,
                                       analysis.solutions, d, _focus(analysis, focus), width))
    for relaxation in analysis.relaxations:
        intro = ("If " + " and ".join(d.demand_text(x) for x in relaxation.blocking.demands)
                 + " were dropped, a zone would open. Its fair packages:")
        if relaxation.solutions:
            console.print(_solutions_panel("What would a fair package look like?", intro,
                                           relaxation.solutions, d, _focus(analysis, focus),
                                           width))
    if analysis.profiles:
        console.print(_drafts_panel(analysis, d, width))
        focused = _focus(analysis, focus)
        if focused is not None:
            console.print(_focus_panel(analysis, d, focused))


def _focus(analysis: Analysis, focus: str | None) -> DraftProfile | None:
    """The profile of the draft `focus` names (id, short name, D<k> or unique prefix)."""
    found = match_name(focus or "", [p.draft_id for p in analysis.profiles])
    return next(p for p in analysis.profiles if p.draft_id == found[0]) if len(found) == 1 \
        else None


def _header(analysis: Analysis) -> Panel:
    scenario, space = analysis.scenario, analysis.space
    parties = ", ".join(f"{p.name} ({p.id})" for p in scenario.parties)
    body = Text.assemble(
        (scenario.title, "bold"), "\n",
        f"{space.n_issues} issues · {space.n_parties} parties · {len(scenario.drafts)} drafts · "
        f"{space.n_packages():.3g} possible packages"
        + (f" · as of {scenario.as_of}" if scenario.as_of else ""), "\n",
        ("Parties: ", "dim"), parties,
    )
    return Panel(body, title=f"accord · {scenario.id}", border_style="blue")


def _deal_panel(analysis: Analysis, d: Describer) -> Panel:
    zone, lines = analysis.zone, []
    ruled = not analysis.space.unanimous
    if zone.exists and ruled:
        lines.append(Text("Yes: a package passes under the rule.", style="bold green"))
        lines.append(Text(f"Some package is accepted by a winning coalition whose every member "
                          f"is at least {zone.margin:.3f} above its reservation value, crossing "
                          "none of their red lines."))
    elif zone.exists:
        lines.append(Text("Yes: a zone of agreement exists.", style="bold green"))
        lines.append(Text(f"Some package crosses no red line and leaves every party at least "
                          f"{zone.margin:.3f} above its reservation value."))
    elif ruled:
        lines.append(Text("No: no package is accepted by a winning coalition.", style="bold red"))
    else:
        lines.append(Text("No: no package is acceptable to every party.", style="bold red"))
        if not analysis.feasible:
            lines.append(Text("The hard constraints admit no package at all."))
        elif zone.package is None:
            lines.append(Text("Red lines alone rule out every package."))
        else:
            gaps = zone.utilities - d.space.reservation
            if zone.coalition is not None:  # under a rule: the tightest coalition member
                gaps = np.where(zone.coalition, gaps, np.inf)
            worst = int(np.argmin(gaps))
            lines.append(Text(f"At best, {d.party_name(worst)} stays {-zone.margin:.3f} below "
                              "its reservation value."))
    lines.append(_frontier_line(analysis))
    if analysis.blocking:
        lines.append(Text("\nWhat blocks it — the smallest sets of demands whose relaxation "
                          + ("would let a package pass:" if ruled else "would open a zone:"),
                          style="bold"))
        for k, blocking in enumerate(analysis.blocking, 1):
            lines.append(Text(f"  {k}. " + "  +  ".join(d.demand_text(x) for x in blocking.demands)))
    return Panel(Group(*lines), title="Is there a deal?", border_style="red" if not zone.exists
                 else "green")


def _frontier_line(analysis: Analysis) -> Text:
    frontier = analysis.frontier
    scope = "packages no party vetoes" if analysis.frontier_red_lines else "all packages"
    if frontier is None:
        return Text("")
    if frontier.complete and frontier.method == "epsilon-constraint":
        return Text(f"Pareto frontier of {scope}: {frontier.size:,} packages (exact; linked "
                    "points walked by the ε-constraint method"
                    + (f"; {frontier.reason}" if frontier.reason else "") + ").", style="dim")
    if frontier.complete:
        return Text(f"Pareto frontier of {scope}: {frontier.size:,} packages (exact).", style="dim")
    if frontier.method == "epsilon-constraint":
        return Text(f"Pareto frontier of {scope}: {frontier.reason}; {frontier.size} exact "
                    "Pareto-optimal packages found.", style="dim")
    if frontier.reason:
        return Text(f"Pareto frontier of {scope}: {frontier.reason}; {frontier.size} "
                    "Pareto-optimal packages sampled instead.", style="dim")
    return Text(f"Pareto frontier of {scope}: too large for the exact budget (stopped before a step of "
                f"{frontier.states_reached:,} candidates; raise --frontier-budget); "
                f"{frontier.size} Pareto-optimal packages sampled instead.", style="dim")


def _solutions_panel(title: str, intro: str | None, solutions: dict[str, Solution],
                     d: Describer, focus_draft: DraftProfile | None, width: int) -> Panel:
    nash = solutions.get("nash") or next(iter(solutions.values()))
    caption = Text("Utilities, on each party's own scale; in brackets the gain over its "
                   "reservation value.",
                   style="dim")
    parts: list = ([Text(intro)] if intro else []) + [_solutions_table(solutions, d, width),
                                                       caption, Text("")]
    if focus_draft is None:
        parts.append(Text("The Nash package:", style="bold"))
        parts += [Text(f"  • {d.issue_title(i)}: {d.option_label(i, int(o))}")
                  for i, o in enumerate(nash.package)]
    else:
        changed = [i for i, o in enumerate(nash.package) if focus_draft.package[i] != o]
        parts.append(Text(f"The Nash package differs from {short_name(focus_draft.draft_id)} on "
                          f"{len(changed)} of {d.space.n_issues} issues:", style="bold"))
        parts += [Text(f"  • {d.issue_title(i)}: {d.option_label(i, int(nash.package[i]))}")
                  for i in changed]
    return Panel(Group(*parts), title=title, border_style="cyan")


def _solutions_table(solutions: dict[str, Solution], d: Describer,
                     width: int) -> RenderableType:
    """Each solution's utility and gain per party: a table (a column per party, or, for
    many parties, a row per party), gains under the utilities when narrow, or a list when
    none of these fits in `width`."""
    names = [SOLUTION_NAMES.get(name, name) for name in solutions]
    parties = [d.party_id(p) for p in range(d.space.n_parties)]
    for separator in (" ", "\n"):
        cells = [[_gain_cell(s.utilities[p], d.space.reservation[p], separator)
                  for p in range(d.space.n_parties)] for s in solutions.values()]
        for heads, rows in (
                (["solution", *parties], [[n, *row] for n, row in zip(names, cells)]),
                (["party", *names], [[party, *column] for party, column in
                                     zip(parties, zip(*cells))])):
            table = fitted_table(width, [Column(heads[0])] + [Column(h, "number", "right")
                                                              for h in heads[1:]],
                                 rows, **TABLE)
            if table is not None:
                return table
    return _listed({SOLUTION_NAMES.get(name, name): [
        (d.party_id(p), _gain_cell(s.utilities[p], d.space.reservation[p]))
        for p in range(d.space.n_parties)] for name, s in solutions.items()})


def _listed(entries: dict[str, list[tuple[str, Text]]]) -> Group:
    """The list layout of a table too wide for the console: a name, then one indented
    line per party with its figure."""
    lines: list[Text] = []
    for name, values in entries.items():
        lines.append(Text(name, style="bold"))
        pad = max(len(party) for party, _ in values)
        lines += [Text.assemble(f"  {party:<{pad}}  ", value) for party, value in values]
    return Group(*lines)


def _gain_cell(utility: float, reservation: float, separator: str = " ") -> Text:
    gain = utility - reservation
    return Text(f"{utility:.2f}{separator}({gain:+.2f})", style="green" if gain >= 0 else "red")


def _range_cell(profile: DraftProfile, p: int, reservation: float) -> Text:
    low, high = profile.utility_low[p], profile.utility_high[p]
    text = f"{low:.2f}" if abs(high - low) < 5e-3 else f"{low:.2f}–{high:.2f}"
    style = "green" if low >= reservation else ("red" if high < reservation else "yellow")
    return Text(text, style=style)


def _drafts_panel(analysis: Analysis, d: Describer, width: int) -> Panel:
    names = [short_name(p.draft_id) + ("*" if not p.complete else "") for p in analysis.profiles]
    parties = range(d.space.n_parties)
    ranges = [[_range_cell(profile, p, d.space.reservation[p]) for p in parties]
              for profile in analysis.profiles]
    utilities = fitted_table(
        width, [Column("draft")] + [Column(d.party_id(p), "number", "right") for p in parties],
        [[name, *cells] for name, cells in zip(names, ranges)], title="Utility for each party",
        title_justify="left", **TABLE) or Group(
        Text("Utility for each party", style="italic"),
        _listed({name: [(d.party_id(p), cells[p]) for p in parties]
                 for name, cells in zip(names, ranges)}))
    facts = [(_crossed_text(profile, d), d.party_id(profile.favours),
              "—" if profile.efficiency is None
              else ("yes" if profile.efficiency.efficient else "no"))
             for profile in analysis.profiles]
    heads = ("red lines crossed", "favours", "Pareto-efficient")
    verdicts = fitted_table(
        width, [Column("draft")] + [Column(head) for head in heads],
        [[name, *row] for name, row in zip(names, facts)],
        title="Red lines, favours, efficiency", title_justify="left", **TABLE) or Group(
        Text("Red lines, favours, efficiency", style="italic"),
        *[Text.assemble((name, "bold"), " — " + "; ".join(
            f"{head}: {value}" for head, value in zip(heads, row)))
          for name, row in zip(names, facts)])
    note = Text("Green: at or above the party's reservation value; red: below; yellow: depends "
                "on the issues the text leaves open (*: a range over them). Favours: the party "
                "that gets the largest share of its own possible range. Pareto-efficiency is "
                "judged for complete texts only.", style="dim")
    return Panel(Group(utilities, Text(""), verdicts, note), title="How the drafts compare",
                 border_style="magenta")


def _crossed_text(profile: DraftProfile, d: Describer) -> str:
    counts: dict[str, int] = {}
    for p, _, _ in profile.red_lines_crossed:
        counts[d.party_id(p)] = counts.get(d.party_id(p), 0) + 1
    return ", ".join(f"{party} {n}" for party, n in counts.items()) or "none"


def _focus_panel(analysis: Analysis, d: Describer, profile: DraftProfile) -> Panel:
    lines: list[Text] = []
    below = [d.party_name(p) for p in range(d.space.n_parties)
             if profile.utility_high[p] < d.space.reservation[p]]
    lines.append(Text(f"Below reservation: {', '.join(below) or 'nobody'}."))
    for p, i, o in profile.red_lines_crossed:
        lines.append(Text(f"  ✗ crosses {d.party_name(p)}'s red line: {d.issue_title(i)} → "
                          f"{d.option_label(i, o)}", style="red"))
    if profile.efficiency is not None:
        if profile.efficiency.efficient:
            lines.append(Text("Pareto-efficient: no package is better for some party and worse "
                              "for none (without crossing new red lines)."))
        else:
            lines.append(Text("Not Pareto-efficient: a package exists that no party likes less and "
                              "some like more.", style="yellow"))
    reference = analysis.reference_solutions()
    if "nash" in reference:
        delta = distance(profile, reference["nash"])
        ahead = [f"{d.party_id(p)} {delta[p]:+.2f}" for p in np.argsort(-delta)]
        lines.append(Text("Against the Nash package: " + ", ".join(ahead)
                          + (" (Nash of the first relaxation above)" if not analysis.solutions
                             else "")))
    if profile.complete:
        lines += _trade_lines(d, profile)
    return Panel(Group(*lines), title=f"The draft {short_name(profile.draft_id)}",
                 border_style="yellow")


def _trade_lines(d: Describer, profile: DraftProfile) -> list[Text]:
    """The best trade of one or two issues for each pair of parties, if any."""
    lines = [Text("Trades that would help two parties at once (best per pair; other "
                  "parties' change in brackets):", style="bold")]
    for a, b in itertools.combinations(range(d.space.n_parties), 2):
        found = mutual_gains(d.space, profile.package, a, b, limit=1)
        if not found:
            continue
        trade = found[0]
        moves = "; ".join(f"{d.issue_title(i)} → {d.option_label(i, o)}" for i, o in trade.changes)
        others = ", ".join(f"{d.party_id(p)} {trade.gains[p]:+.3f}"
                           for p in range(d.space.n_parties) if p not in (a, b))
        lines.append(Text(f"  • {d.party_id(a)} {trade.gains[a]:+.3f} and {d.party_id(b)} "
                          f"{trade.gains[b]:+.3f}: {moves}" + (f" ({others})" if others else "")))
    return lines if len(lines) > 1 else []
