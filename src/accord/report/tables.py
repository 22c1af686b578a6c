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


EVERYONE = "Everyone is at or above their reservation value."


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
    gains = {p: mark.mid(p) - content.reservation[p] for p in content.parties}
    rows = []
    for p in content.parties:
        low, high = mark.low[p], mark.high[p]
        utility = f"{low:.2f}" if abs(high - low) < 5e-3 else f"{low:.2f}–{high:.2f}"
        rows.append({"party": names[p], "utility": utility, "gain": f"{gains[p]:+.2f}",
                     "sign": "up" if gains[p] >= 0 else "down",
                     "share": f"{100 * mark.share[p]:.0f}%"})
    meta = " · ".join(x for x in (
        detail.get("date"), content.scenario.draft(detail["id"]).status,
        "complete text" if detail["complete"] else
        f"partial: {len(detail['open_issues'])} points left open (ranges over them; the gain "
        "is at the middle of the range)",
        detail["id"]) if x)
    return DraftView(mark.code, mark.name, meta, rows, draft_verdict(content, mark, gains),
                     red_line_texts(content, mark))


def draft_verdict(content: ReportContent, mark: Mark, gains: dict[str, float]) -> str:
    """The card's verdict, read off the card's own numbers: `gains` (the table's gain column,
    the middle of the range for a partial draft), the utility ranges and the red lines the
    draft crosses, so that the text can never contradict the table under it."""
    detail = mark.detail
    reservation = _reservation_sentence(content, mark, gains)
    vetoes = [p for p in content.parties
              if any(item["party"] == p for item in detail.get("red_lines_crossed", []))]
    if vetoes:
        lines = "a red line" if len(vetoes) == 1 else "red lines"
        veto = (f"it crosses {lines} of {_names(content, vetoes)}, who would reject it as it "
                "stands.")
        reservation = (reservation.rstrip(".") + ", but " + veto if reservation == EVERYONE
                       else reservation + " " + veto[0].upper() + veto[1:])
    parts = [f"Favours {content.party_names[detail['favours']]} (the largest share of its own "
             "range).", reservation]
    if detail["efficient"] is True:
        parts.append("Pareto-efficient: no package is better for one party and worse for none.")
    elif detail["efficient"] is False:
        parts.append("Not Pareto-efficient: some package is better for a party and worse for "
                     "none (without crossing new red lines).")
    return " ".join(parts)


def _reservation_sentence(content: ReportContent, mark: Mark, gains: dict[str, float]) -> str:
    below = [p for p in content.parties if gains[p] < 0]
    if not detail_open(mark):
        return f"Below reservation: {_names(content, below)}." if below else EVERYONE
    r = content.reservation
    sure = [p for p in below if mark.high[p] < r[p]]
    middle = [p for p in below if p not in sure]
    risk = [p for p in content.parties if p not in below and mark.low[p] < r[p]]
    pieces = []
    if sure:
        pieces.append(f"Below reservation however the open points are settled: "
                      f"{_names(content, sure)}.")
    if middle:
        pieces.append(f"Below reservation at the middle of the range over the open points: "
                      f"{_names(content, middle)}.")
    if not below:
        pieces.append("At the middle of the ranges over the open points, everyone is at or "
                      "above their reservation value" +
                      (f"; {_names(content, risk)} could fall below it, depending on how they "
                       "are settled." if risk else ", however they are settled."))
    return " ".join(pieces)


def detail_open(mark: Mark) -> bool:
    """Whether the draft leaves points open (its utilities are ranges)."""
    return not mark.detail.get("complete", True)


def _names(content: ReportContent, parties: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    names = [content.party_names[p] for p in parties]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def draft_views(content: ReportContent) -> list[DraftView]:
    return [draft_view(content, mark) for mark in content.drafts]


def sources_summary(content: ReportContent) -> str:
    rows = content.sources
    positions = {(r.party, r.issue) for r in rows}
    cited = sum(1 for r in rows if r.outlet)
    linked = sum(1 for r in rows if r.url)
    return (f"{cited} sources ({linked} with a link) behind {len(positions)} positions "
            "(a party's weights and valuations on one point).")
