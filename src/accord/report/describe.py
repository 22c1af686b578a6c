"""Human names for the engine's indices: issues, options, parties and demands."""

from __future__ import annotations

from accord.analysis import Demand, Space
from accord.model import Scenario


def short_party_name(name: str, party_id: str, limit: int = 16) -> str:
    """The party's name, or its id (capitalised) when the name is longer than `limit`."""
    return name if len(name) <= limit else party_id[:1].upper() + party_id[1:]


class Describer:
    """Turns indices of a compiled space back into ids, titles and labels."""

    def __init__(self, scenario: Scenario, space: Space) -> None:
        self.scenario = scenario
        self.space = space

    def party_id(self, p: int) -> str:
        return self.space.party_ids[p]

    def party_name(self, p: int) -> str:
        return self.scenario.parties[p].name

    def issue_id(self, i: int) -> str:
        return self.space.issue_ids[i]

    def issue_title(self, i: int) -> str:
        return self.scenario.issues[i].title

    def option_id(self, i: int, o: int) -> str:
        return self.space.option_ids[i][o]

    def option_label(self, i: int, o: int) -> str:
        return self.scenario.issues[i].options[o].label

    def vetoed_options(self, demand: Demand) -> list[str]:
        """Option ids a red-line demand vetoes."""
        assert demand.issue is not None
        start = self.space.offsets[demand.issue]
        return [self.option_id(demand.issue, int(v - start))
                for v in range(start, self.space.offsets[demand.issue + 1])
                if self.space.veto[demand.party, v]]

    def demand_text(self, demand: Demand) -> str:
        """`Russia's red line on <issue> (vetoes: …)` or `Ukraine's reservation value (0.45)`."""
        name = self.party_name(demand.party)
        if demand.kind == "reservation":
            return f"{name}'s reservation value ({self.space.reservation[demand.party]:.2f})"
        assert demand.issue is not None
        labels = [self.scenario.issues[demand.issue].options[
            self.space.option_ids[demand.issue].index(o)].label for o in self.vetoed_options(demand)]
        return (f"{name}'s red line on “{self.issue_title(demand.issue)}” "
                f"(vetoes: {'; '.join(labels)})")
