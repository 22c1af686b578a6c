"""The sources behind every position: one row per (party, issue, source)."""

from __future__ import annotations

from dataclasses import dataclass

from accord.model import Evidence, Scenario
from accord.report.describe import short_party_name


@dataclass(frozen=True)
class SourceRow:
    """One source for one party's position on one issue (or the absence of any)."""

    party: str
    issue: str
    position_certainty: str
    outlet: str | None
    url: str | None
    date: str | None
    certainty: str | None
    paraphrase: str | None


def safe_url(url: str | None) -> str | None:
    """The URL if it is an http(s) link, else None (never a `javascript:` or file link)."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None


def position_sources(scenario: Scenario) -> list[SourceRow]:
    """Every party's position on every issue it weighs, with each source it cites."""
    titles = {issue.id: issue.title for issue in scenario.issues}
    order = {issue.id: k for k, issue in enumerate(scenario.issues)}
    rows = []
    for party in scenario.parties:
        for issue_id in sorted(party.preferences, key=order.__getitem__):
            preference = party.preferences[issue_id]
            certainty = preference.certainty.value
            evidence = preference.evidence or (None,)
            name = short_party_name(party.name, party.id)
            rows += [_row(name, titles[issue_id], certainty, item) for item in evidence]
    return rows


def _row(party: str, issue: str, certainty: str, item: Evidence | None) -> SourceRow:
    if item is None:
        return SourceRow(party, issue, certainty, None, None, None, None, None)
    return SourceRow(party, issue, certainty, item.outlet, safe_url(item.url),
                     None if item.date is None else str(item.date), item.certainty.value,
                     item.paraphrase)
