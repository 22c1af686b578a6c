"""GENIUS XML written from a Scenario: a domain file and one utility space per party.

Every issue is a discrete GENIUS issue, and each party's weights and evaluations are scaled
so that GENIUS's utility equals accord's; a scenario whose parties have terms or
interactions is written as non-linear spaces (hyper-rectangles over integer issues) when
every issue is a range of whole numbers (`genius_nonlinear`). Attributes GENIUS ignores
(`accord_id`, …) make reading the files back give the very same scenario. What GENIUS
cannot hold is listed by `genius_losses`. See docs/formats.md.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from accord.io.genius import (
    A_DESCRIPTION,
    A_ID,
    A_LABEL,
    A_NAME,
    A_TITLE,
    DOMAIN_ROOT,
    PROFILE_ROOT,
)
from accord.io.genius_nonlinear import (
    A_OPTION_IDS,
    integer_values,
    needs_nonlinear,
    nonlinear_writable,
    utility_element,
)
from accord.io._losses import common_losses, red_line_count
from accord.io._names import distinct_names
from accord.model import Issue, Party, Scenario


def genius_losses(scenario: Scenario) -> list[str]:
    """What GENIUS XML cannot hold of this scenario (dropped by `save_genius`)."""
    losses = []
    red = red_line_count(scenario)
    if red:
        losses.append(f"{red} red line(s): GENIUS has no vetoes")
    interactions = sum(len(party.interactions) for party in scenario.parties)
    terms = sum(len(party.terms) for party in scenario.parties)
    if (interactions or terms) and not nonlinear_writable(scenario):
        losses.append(f"{interactions + terms} interaction(s) and term(s): GENIUS's "
                      "hyper-rectangles need every issue to be a range of whole numbers")
    if any(party.capability != 1.0 for party in scenario.parties):
        losses.append("capabilities: GENIUS has no power weights")
    if any(party.discount_factor == 0 for party in scenario.parties):
        losses.append("discount factor 0: GENIUS reads it as 1 (no discounting)")
    return losses + common_losses(scenario)


def _number_attr(value: float) -> str:
    return repr(float(value))


def _objective(parent: ET.Element, scenario: Scenario) -> ET.Element:
    return ET.SubElement(parent, "objective", {"index": "0", "etype": "objective",
                                               "type": "objective", "description": "",
                                               "name": scenario.title})


def genius_file_names(scenario: Scenario) -> tuple[str, list[str]]:
    """File names `save_genius` uses: `<id>_domain.xml` and `<id>_<party>.xml`."""
    return (f"{scenario.id}_domain.xml",
            [f"{scenario.id}_{party.id}.xml" for party in scenario.parties])


def genius_domain_xml(scenario: Scenario) -> str:
    """The domain file: every issue as a discrete GENIUS issue."""
    _, profile_files = genius_file_names(scenario)
    root = ET.Element(DOMAIN_ROOT, {"number_of_sessions": "1", A_ID: scenario.id,
                                    A_TITLE: scenario.title})
    if scenario.description:
        root.set(A_DESCRIPTION, scenario.description)
    for party, file in zip(scenario.parties, profile_files):
        ET.SubElement(root, "agent", {"name": party.name, "class": "", "utility_space": file})
    space = ET.SubElement(root, PROFILE_ROOT, {"number_of_issues": str(len(scenario.issues))})
    objective = _objective(space, scenario)
    names = distinct_names([i.title for i in scenario.issues], [i.id for i in scenario.issues])
    for k, (issue, name) in enumerate(zip(scenario.issues, names), start=1):
        if _nonlinear_mode(scenario):
            element = _integer_issue(objective, k, issue, name)
            element.set(A_ID, issue.id)
            if name != issue.title:
                element.set(A_TITLE, issue.title)
            continue
        element = ET.SubElement(objective, "issue", {
            "index": str(k), "etype": "discrete", "type": "discrete", "vtype": "discrete",
            "name": name, A_ID: issue.id})
        if name != issue.title:
            element.set(A_TITLE, issue.title)
        values = distinct_names([o.label for o in issue.options], issue.option_ids())
        for j, (option, value) in enumerate(zip(issue.options, values), start=1):
            item = ET.SubElement(element, "item", {"index": str(j), "value": value,
                                                   A_ID: option.id})
            if value != option.label:
                item.set(A_LABEL, option.label)
    return _text(root)


def genius_profile_xml(scenario: Scenario, party_id: str) -> str:
    """One party's utility space. Weights and evaluations are scaled so that GENIUS's
    utilities (evaluation / best evaluation) equal accord's: weight = salience × best
    valuation, evaluation = valuation / best valuation."""
    party = scenario.party(party_id)
    if _nonlinear_mode(scenario):
        return _nonlinear_profile_xml(scenario, party)
    root = ET.Element(PROFILE_ROOT, {"number_of_issues": str(len(scenario.issues)),
                                     A_ID: party.id, A_NAME: party.name})
    ET.SubElement(root, "reservation", {"value": _number_attr(party.reservation)})
    ET.SubElement(root, "discount_factor", {"value": _number_attr(party.discount_factor)})
    objective = _objective(root, scenario)
    names = distinct_names([i.title for i in scenario.issues], [i.id for i in scenario.issues])
    weights: list[float] = []
    for k, (issue, name) in enumerate(zip(scenario.issues, names), start=1):
        element = ET.SubElement(objective, "issue", {
            "index": str(k), "etype": "discrete", "type": "discrete", "vtype": "discrete",
            "name": name})
        pref = party.preferences.get(issue.id)
        valuations = [pref.valuations[o.id] if pref else 0.0 for o in issue.options]
        best = max(valuations)
        if pref is None or pref.salience == 0:
            weight, evaluations = 0.0, [0.0] * len(valuations)
        elif best > 0:
            weight, evaluations = pref.salience * best, [v / best for v in valuations]
        else:
            weight, evaluations = pref.salience, valuations
        weights.append(weight)
        values = distinct_names([o.label for o in issue.options], issue.option_ids())
        for j, (value, evaluation) in enumerate(zip(values, evaluations), start=1):
            ET.SubElement(element, "item", {"index": str(j), "value": value,
                                            "evaluation": _number_attr(evaluation)})
    for k, weight in enumerate(weights, start=1):
        ET.SubElement(objective, "weight", {"index": str(k), "value": _number_attr(weight)})
    return _text(root)


def _nonlinear_mode(scenario: Scenario) -> bool:
    """Whether the scenario is written as GENIUS non-linear spaces (some party has terms or
    interactions, and every issue is a range of whole numbers, as rectangles need)."""
    return (any(needs_nonlinear(party) for party in scenario.parties)
            and nonlinear_writable(scenario))


def _integer_issue(parent: ET.Element, index: int, issue: Issue, name: str) -> ET.Element:
    numbers = integer_values(issue) or []
    return ET.SubElement(parent, "issue", {
        "index": str(index), "etype": "integer", "type": "integer", "vtype": "integer",
        "name": name, "lowerbound": str(numbers[0]), "upperbound": str(numbers[-1]),
        A_OPTION_IDS: " ".join(issue.option_ids())})


def _nonlinear_profile_xml(scenario: Scenario, party: Party) -> str:
    """A party as a GENIUS non-linear space (`genius_nonlinear.rectangles`). The objective
    comes first: GENIUS looks for the <utility> in the root's first child."""
    root = ET.Element(PROFILE_ROOT, {"type": "nonlinear", A_ID: party.id, A_NAME: party.name})
    objective = _objective(root, scenario)
    names = distinct_names([i.title for i in scenario.issues], [i.id for i in scenario.issues])
    for k, (issue, name) in enumerate(zip(scenario.issues, names), start=1):
        _integer_issue(objective, k, issue, name)
    utility_element(objective, scenario, party)
    ET.SubElement(root, "reservation", {"value": _number_attr(party.reservation)})
    ET.SubElement(root, "discount_factor", {"value": _number_attr(party.discount_factor)})
    return _text(root)


def _text(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode") + "\n"


def save_genius(scenario: Scenario, folder: str | Path) -> list[Path]:
    """Write the scenario as GENIUS XML into `folder` (created if needed): one domain file
    and one utility space per party. Returns the files written, domain first.

    What GENIUS cannot hold is left out; `genius_losses` lists it.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    domain_file, profile_files = genius_file_names(scenario)
    written = [folder / domain_file]
    written[0].write_text(genius_domain_xml(scenario), encoding="utf-8")
    for party, file in zip(scenario.parties, profile_files):
        path = folder / file
        path.write_text(genius_profile_xml(scenario, party.id), encoding="utf-8")
        written.append(path)
    return written
