"""Rich rendering of who must agree: the rule, who carries the packages, power."""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from accord.analysis import Analysis
from accord.cli.layout import Column, fitted_table
from accord.model.draft_ref import short_name
from accord.report import Describer

TABLE = {"show_edge": False, "header_style": "bold"}


def rule_panel(analysis: Analysis, d: Describer, width: int,
               solution_names: dict[str, str]) -> Panel:
    """The decision rule in words, the coalition that carries the witness and each
    solution, each draft's coalition, and the parties' power under the rule."""
    space = analysis.space
    lines: list = [Text.assemble(("Rule: ", "bold"), space.winning_rule.describe(space.party_ids))]
    zone = analysis.zone
    if zone.exists and zone.coalition is not None:
        lines.append(Text(f"A passing package is carried by {_names(d, zone.coalition)}; "
                          f"left out: {_names(d, ~zone.coalition) or 'nobody'}."))
    for name, solution in analysis.solutions.items():
        if solution.coalition is not None:
            lines.append(Text(f"  {solution_names.get(name, name)}: carried by "
                              f"{_names(d, solution.coalition)}", style="dim"))
    if analysis.coalitions:
        rows = [[short_name(c.draft_id), "yes" if c.passes else "no",
                 _names(d, c.accepting) or "nobody", _names(d, c.pivotal) or "nobody"]
                for c in analysis.coalitions]
        table = fitted_table(width, [Column("draft"), Column("passes"), Column("accepted by"),
                                     Column("pivotal")], rows,
                             title="Who carries each draft", title_justify="left", **TABLE)
        lines += [Text(""), table or Group(*[Text(" · ".join(row)) for row in rows])]
        lines.append(Text("Accepted by: parties the draft leaves at or above their reservation "
                          "value whatever its open points become, crossing none of their red "
                          "lines. Pivotal: an acceptor whose leaving would sink a passing draft, "
                          "or a refuser whose joining would carry a failing one.", style="dim"))
    if analysis.power is not None:
        power = analysis.power
        rows = [[d.party_id(p), f"{power.shapley_shubik[p]:.3f}",
                 f"{power.banzhaf_normalised[p]:.3f}", "yes" if power.vetoes[p] else ""]
                for p in np.argsort(-power.shapley_shubik, kind="stable")]
        table = fitted_table(width, [Column("party"), Column("Shapley–Shubik", "number", "right"),
                                     Column("Banzhaf", "number", "right"), Column("veto")],
                             rows, title="Power under the rule", title_justify="left", **TABLE)
        lines += [Text(""), table or Group(*[Text(" · ".join(row)) for row in rows])]
    return Panel(Group(*lines), title="Who must agree?", border_style="blue")


def _names(d: Describer, mask: np.ndarray) -> str:
    return ", ".join(d.party_id(p) for p in np.flatnonzero(mask))
