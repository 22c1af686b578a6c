""""What the sources say": the claims read from news articles that a scenario keeps as
evidence on its positions (`accord evidence --update`), as rows for the report's section
of that name (the HTML template and the Markdown writer escape every text).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from accord.model import Evidence, Scenario

TITLE = "What the sources say"

ARTICLE = "article:"
"""The `ref` prefix of evidence read from news articles (`accord evidence --update`)."""


@dataclass(frozen=True)
class ClaimRow:
    """One claim from the news on one party's position, as the report shows it."""

    party: str
    issue: str
    speaker: str
    sentence: str
    outlets: str
    date: str
    certainty: str


def article_rows(scenario: Scenario, party_names: Mapping[str, str] | None = None,
                 ) -> list[ClaimRow]:
    """Every claim read from a news article that the scenario keeps as evidence on a
    position (its `ref` starts with `article:`), in the order of parties and issues, then
    the claims kept as the scenario's own sources (no party's position holds them)."""
    names = party_names or {}
    titles = {issue.id: issue.title for issue in scenario.issues}
    rows = []
    for party in scenario.parties:
        for issue_id in (i.id for i in scenario.issues if i.id in party.preferences):
            for item in party.preferences[issue_id].evidence:
                if (item.ref or "").startswith(ARTICLE):
                    rows.append(_row(names.get(party.id, party.name), titles[issue_id], item))
    rows += [_row("—", "—", item) for item in scenario.sources
             if (item.ref or "").startswith(ARTICLE)]
    return rows


def _row(party: str, issue: str, item: Evidence) -> ClaimRow:
    outlets = ", ".join(dict.fromkeys([item.outlet, *item.corroborated_by]))
    return ClaimRow(party=party, issue=issue, speaker=item.speaker or "—",
                    sentence=" ".join((item.paraphrase or "").split()), outlets=outlets,
                    date="" if item.date is None else str(item.date),
                    certainty=item.certainty.value)
