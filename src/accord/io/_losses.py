"""What every exchange format of the community leaves out of an accord scenario.

GENIUS XML, GeniusWeb JSON and NegMAS folders describe utilities; none holds hard
constraints, drafts, sources and evidence, or the forecasting data. Each writer's
`*_losses` adds what its own format lacks (red lines, terms, rules, …) to these.
"""

from __future__ import annotations

from accord.model import Scenario


def common_losses(scenario: Scenario) -> list[str]:
    """The losses every utility format shares, in words."""
    losses = []
    if scenario.constraints:
        losses.append(f"{len(scenario.constraints)} hard constraint(s)")
    if scenario.drafts:
        losses.append(f"{len(scenario.drafts)} draft(s)")
    if scenario.sources or any(pref.evidence for party in scenario.parties
                               for pref in party.preferences.values()):
        losses.append("sources and evidence")
    if any(party.positions for party in scenario.parties) or any(
            i.reference_point is not None or i.outcome is not None or i.scale is not None
            or i.dossier is not None for i in scenario.issues):
        losses.append("forecasting data (positions, reference points, outcomes, scales, "
                      "dossiers)")
    return losses


def red_line_count(scenario: Scenario) -> int:
    """How many red lines the parties hold in all."""
    return sum(len(pref.red_lines) for party in scenario.parties
               for pref in party.preferences.values())
