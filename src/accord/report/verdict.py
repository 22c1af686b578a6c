"""The verdict in one paragraph: is there a deal, what blocks it, which package is fair."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from accord.model import Scenario

if TYPE_CHECKING:
    from accord.report.content import Mark


def verdict_paragraph(summary: dict[str, Any], scenario: Scenario, marks: list[Mark],
                      reservation: dict[str, float], names: dict[str, str]) -> str:
    """Three or four sentences, from the JSON summary of an analysis; `names`: party names."""
    sentences = [_deal(summary, names, reservation), _blocks(summary, scenario, names),
                 _fair(summary, names, marks)]
    return " ".join(s for s in sentences if s)


def _deal(summary: dict[str, Any], names: dict[str, str], reservation: dict[str, float]) -> str:
    zone, packages = summary["zone"], f"{int(summary['scenario']['packages']):,}"
    rule = summary.get("rule") or {"unanimity": True}
    if not rule["unanimity"]:
        return _deal_under_rule(zone, packages, rule, names, reservation)
    if zone["exists"]:
        return (f"Yes, there is a deal to be had: of the {packages} possible packages, some cross "
                f"no red line and leave every party at least {zone['margin']:.2f} above its "
                "reservation value (what it gets with no agreement).")
    if zone["package"] is not None:
        gaps = {p: u - reservation[p] for p, u in zone["utilities"].items()}
        worst = min(gaps, key=gaps.__getitem__)
        return (f"No: none of the {packages} possible packages is acceptable to every party; "
                f"even the best compromise that crosses no red line leaves {names[worst]} "
                f"{-zone['margin']:.2f} below its reservation value.")
    if summary["blocking_sets"]:
        return (f"No: none of the {packages} possible packages is acceptable to every party; "
                "red lines alone rule out every package.")
    return "No: the hard constraints admit no package at all."


def _deal_under_rule(zone: dict[str, Any], packages: str, rule: dict[str, Any],
                     names: dict[str, str], reservation: dict[str, float]) -> str:
    """The verdict when not every party must agree: does a package pass, carried by whom."""
    where = f"under the rule ({rule['text']})"
    if zone["exists"]:
        carried = [names[p] for p in zone["coalition"]]
        out = [names[p] for p in names if p not in zone["coalition"]]
        return (f"Yes, a deal can pass {where}: of the {packages} possible packages, some are "
                f"accepted by {', '.join(carried)}, each at least {zone['margin']:.2f} above its "
                "reservation value and crossing none of its red lines"
                + (f"; {', '.join(out)} would be left out." if out else "."))
    if zone["package"] is not None and zone["coalition"]:
        gaps = {p: zone["utilities"][p] - reservation[p] for p in zone["coalition"]}
        worst = min(gaps, key=gaps.__getitem__)
        return (f"No: {where}, none of the {packages} possible packages is accepted by a "
                f"winning coalition; even the best compromise leaves {names[worst]} "
                f"{-zone['margin']:.2f} below its reservation value.")
    return (f"No: {where}, none of the {packages} possible packages can pass: the red lines "
            "of every winning coalition, or the hard constraints, rule them all out.")


def demand_text(demand: dict[str, Any], scenario: Scenario, names: dict[str, str]) -> str:
    """`Russia's red line on “<point>”` or `Ukraine's reservation value` (JSON demand)."""
    if demand["kind"] == "reservation":
        return f"{names[demand['party']]}'s reservation value"
    return f"{names[demand['party']]}'s red line on “{scenario.issue(demand['issue']).title}”"


def _blocks(summary: dict[str, Any], scenario: Scenario, names: dict[str, str]) -> str:
    sets = summary["blocking_sets"]
    if not sets:
        return ""
    texts = [" together with ".join(demand_text(d, scenario, names) for d in s["demands"])
             for s in sets]
    opens = ("let a package pass" if not (summary.get("rule") or {"unanimity": True})["unanimity"]
             else "open a zone of agreement")
    if len(texts) == 1:
        return f"What blocks it is {texts[0]}: relaxing it would {opens}."
    listed = "; ".join(f"({k}) {t}" for k, t in enumerate(texts, 1))
    return (f"It is blocked by {len(texts)} minimal sets of demands, any one of which, "
            f"relaxed, would {opens}: {listed}.")


def _fair(summary: dict[str, Any], names: dict[str, str], marks: list[Mark]) -> str:
    nash = next((m for m in marks if m.kind == "solution" and m.detail.get("id") == "nash"), None)
    if nash is None:
        return ""
    where = "" if summary["solutions"] else " once the first of them is relaxed"
    gains = ", ".join(f"{names[p]} {nash.detail['gains'][p]:+.2f}" for p in nash.low)
    sentence = (f"The fair package{where} is the Nash bargaining solution (the largest product "
                f"of the parties' gains over no agreement: {gains}).")
    closest = _closest_draft(marks, nash)
    if closest is not None:
        crossed = len(closest.detail["red_lines_crossed"])
        sentence += (f" Of the drafts, {closest.code} ({closest.name}) comes closest to it"
                     + (f", but crosses {crossed} red line{'s' if crossed != 1 else ''}."
                        if crossed else ", and crosses no red line."))
    return sentence


def _closest_draft(marks: list[Mark], nash: Mark) -> Mark | None:
    drafts = [m for m in marks if m.kind == "draft"]
    if not drafts:
        return None
    return min(drafts, key=lambda m: math.dist([m.mid(p) for p in nash.low],
                                               [nash.low[p] for p in nash.low]))
