"""Rows of the report's tables, shared by the HTML page and the Markdown summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.report.content import Mark, ReportContent


@dataclass(frozen=True)
class DraftView:
    """One draft's profile as the report prints it."""

    code: str
    title: str
    meta: str
    rows: list[dict[str, str]]
    verdict: str
    red_lines: list[str]


def stats(content: ReportContent) -> dict[str, str]:
    scenario = content.summary["scenario"]
    return {"issues": str(scenario["issues"]), "parties": str(len(content.parties)),
            "drafts": str(len(content.drafts)), "packages": f"{int(scenario['packages']):,}"}


def stance_cell(issue: Any, party: Any, option_id: str | None) -> dict[str, Any]:
    """One party's valuation of the option a package takes on one issue, and how to print it.

    `value` is None when the text is open on the issue or the party gives it no weight.
    """
    preference = party.preferences.get(issue.id)
    weighed = preference is not None and preference.salience > 0
    value = preference.valuations[option_id] if option_id is not None and weighed else None
    red = bool(option_id is not None and preference and option_id in preference.red_lines)
    text = "open" if option_id is None else ("—" if value is None else f"{value:.2f}")
    return {"value": value, "text": ("✕ " if red else "") + text, "red": red,
            "option": issue.options[issue.option_index(option_id)].label if option_id else "open",
            "salience": None if preference is None else round(preference.salience, 4)}


def stance_rows(content: ReportContent, mark: Mark) -> list[dict[str, Any]]:
    """The heat map of one package as table rows: point, option, one cell per party."""
    rows = []
    for order, issue in enumerate(content.scenario.issues):
        option_id = mark.package.get(issue.id)
        cells = [stance_cell(issue, party, option_id) for party in content.scenario.parties]
        rows.append({"issue": f"{order + 1}. {issue.title}", "option": cells[0]["option"],
                     "cells": cells})
    return rows


def red_line_texts(content: ReportContent, mark: Mark) -> list[str]:
    """`Ukraine's red line on <point>: <option>` for each red line the draft crosses."""
    texts = []
    for item in mark.detail.get("red_lines_crossed", []):
        issue = content.scenario.issue(item["issue"])
        option = issue.options[issue.option_index(item["option"])].label
        texts.append(f"{content.party_names[item['party']]}'s red line on “{issue.title}”: "
                     f"{option}")
    return texts


def draft_view(content: ReportContent, mark: Mark) -> DraftView:
    detail, names = mark.detail, content.party_names
    rows = []
    for p in content.parties:
        low, high, r = mark.low[p], mark.high[p], content.reservation[p]
        utility = f"{low:.2f}" if abs(high - low) < 5e-3 else f"{low:.2f}–{high:.2f}"
        gain = mark.mid(p) - r
        rows.append({"party": names[p], "utility": utility, "gain": f"{gain:+.2f}",
                     "sign": "up" if gain >= 0 else "down",
                     "share": f"{100 * mark.share[p]:.0f}%"})
    meta = " · ".join(x for x in (
        detail.get("date"), content.scenario.draft(detail["id"]).status,
        "complete text" if detail["complete"] else
        f"partial: {len(detail['open_issues'])} points left open (ranges over them)",
        detail["id"]) if x)
    return DraftView(mark.code, mark.name, meta, rows, _draft_verdict(content, mark),
                     red_line_texts(content, mark))


def _draft_verdict(content: ReportContent, mark: Mark) -> str:
    detail, names = mark.detail, content.party_names
    below = [names[p] for p in content.parties if mark.high[p] < content.reservation[p]]
    parts = [f"Favours {names[detail['favours']]} (the largest share of its own range).",
             "Everyone is at or above their reservation value." if not below
             else f"Below reservation: {', '.join(below)}."]
    if detail["efficient"] is True:
        parts.append("Pareto-efficient: no package is better for one party and worse for none.")
    elif detail["efficient"] is False:
        parts.append("Not Pareto-efficient: some package is better for a party and worse for "
                     "none (without crossing new red lines).")
    return " ".join(parts)


def draft_views(content: ReportContent) -> list[DraftView]:
    return [draft_view(content, mark) for mark in content.drafts]


def sources_summary(content: ReportContent) -> str:
    rows = content.sources
    positions = {(r.party, r.issue) for r in rows}
    cited = sum(1 for r in rows if r.outlet)
    linked = sum(1 for r in rows if r.url)
    return (f"{cited} sources ({linked} with a link) behind {len(positions)} positions "
            "(a party's weights and valuations on one point).")
