"""Write a scenario as a NegMAS scenario folder that NegMAS 0.16 loads (`Scenario.load`).

Files: `<id>_domain.yml` (a `DiscreteCartesianOutcomeSpace` of `CategoricalIssue`s, issue
name = title, values = option labels, or the ids when they repeat), one `<party>.yml` per
party and `_info.yml` (accord's ids, titles, labels and names, so reading the folder back
gives them again; NegMAS keeps it as the scenario's `info`).

A party's utility function is a `LinearAdditiveUtilityFunction` (weights = saliences, one
`TableFun` per issue mapping each label to its valuation); with interactions or terms it is a
`WeightedUtilityFunction` adding a `HyperRectangleUtilityFunction` (one rectangle per
interaction or term; a term valued outside its box is its value as the bias minus the value
inside). A discount factor below 1 wraps it in an `ExpDiscountedUFun` over relative time.
NegMAS has no red lines, hard constraints, drafts, decision rule or power weights:
`negmas_losses` names what a scenario would lose.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from accord.io._losses import common_losses, red_line_count
from accord.io._names import distinct_names
from accord.io.negmas import INFO_STEM, load_negmas_folder
from accord.io.yaml_scenario import yaml_text
from accord.model import Party, Scenario


def negmas_losses(scenario: Scenario) -> list[str]:
    """What a NegMAS scenario folder cannot hold of this scenario (dropped by `save_negmas`)."""
    losses = []
    red = red_line_count(scenario)
    if red:
        losses.append(f"{red} red line(s): NegMAS utility functions have no vetoes")
    if scenario.rule is not None:
        losses.append("the decision rule (NegMAS scenarios carry none: every party must agree)")
    if any(party.capability != 1.0 or party.weights for party in scenario.parties):
        losses.append("capabilities and party weights: NegMAS has no power weights")
    return losses + common_losses(scenario)


def negmas_file_names(scenario: Scenario) -> tuple[str, list[str]]:
    """`<id>_domain.yml` and one `<party id>.yml` per party (`-ufun` added on a clash)."""
    domain = f"{scenario.id}_domain.yml"
    return domain, [f"{p.id}-ufun.yml" if f"{p.id}.yml" in (domain, INFO_STEM + ".yml")
                    else f"{p.id}.yml" for p in scenario.parties]


def _values(scenario: Scenario) -> list[list[str]]:
    return [distinct_names([o.label for o in issue.options], issue.option_ids())
            for issue in scenario.issues]


def negmas_domain(scenario: Scenario) -> dict[str, Any]:
    """The domain: every issue a `CategoricalIssue` of text values."""
    names = distinct_names([i.title for i in scenario.issues], [i.id for i in scenario.issues])
    return {"name": scenario.id, "type": "DiscreteCartesianOutcomeSpace",
            "issues": [{"name": name, "type": "CategoricalIssue", "values": values}
                       for name, values in zip(names, _values(scenario))]}


def negmas_ufun(scenario: Scenario, party: Party) -> dict[str, Any]:
    """One party's utility function, equal to accord's utility on every package."""
    values = _values(scenario)
    additive = {"type": "LinearAdditiveUtilityFunction", "name": party.id,
                "reserved_value": float(party.reservation), "weights": [], "values": []}
    for issue, labels in zip(scenario.issues, values):
        pref = party.preferences.get(issue.id)
        additive["weights"].append(float(pref.salience) if pref else 0.0)
        additive["values"].append({"type": "TableFun", "mapping": {
            label: float(pref.valuations[o.id]) if pref else 0.0
            for label, o in zip(labels, issue.options)}})
    ufun = additive
    boxes = _boxes(scenario, party, values)
    if boxes is not None:
        additive["name"] = f"{party.id}-additive"
        ufun = {"type": "WeightedUtilityFunction", "name": party.id,
                "reserved_value": float(party.reservation), "weights": [1.0, 1.0],
                "ufuns": [additive, boxes]}
    if party.discount_factor != 1.0:
        ufun = {"type": "ExpDiscountedUFun", "name": party.id,
                "reserved_value": float(party.reservation),
                "discount": float(party.discount_factor), "factor": "relative_time",
                "dynamic_reservation": True, "ufun": ufun}
    return ufun


def _boxes(scenario: Scenario, party: Party, values: list[list[str]]) -> dict[str, Any] | None:
    """Interactions and terms as one `HyperRectangleUtilityFunction` (None when none)."""
    position = {issue.id: k for k, issue in enumerate(scenario.issues)}
    label = {(issue.id, o.id): values[k][j] for k, issue in enumerate(scenario.issues)
             for j, o in enumerate(issue.options)}
    pairs = _interaction_boxes(scenario, party)
    ranges = [{position[ia]: [label[ia, oa]], position[ib]: [label[ib, ob]]}
              for (ia, oa), (ib, ob), _ in pairs]
    utilities = [value for _, _, value in pairs]
    bias = 0.0
    for term in party.terms:
        value = float(term.value)
        if term.outside:  # outside the box = always - inside
            bias += value
            value = -value
        ranges.append({position[i]: [label[i, o] for o in options]
                       for i, options in sorted(term.when.items(), key=lambda kv: position[kv[0]])})
        utilities.append(value)
    if not ranges and not bias:
        return None
    return {"type": "HyperRectangleUtilityFunction", "name": f"{party.id}-boxes",
            "bias": bias, "outcome_ranges": ranges, "utilities": utilities,
            "weights": [1.0] * len(ranges)}


def _interaction_boxes(scenario: Scenario,
                       party: Party) -> list[tuple[tuple[str, str], tuple[str, str], float]]:
    """The party's interactions (`issue/option` pairs, value); two options of one issue
    never come together and are left out, as the engine does (an option with itself is
    kept: a box of one option)."""
    pairs = []
    for item in party.interactions:
        (ia, oa), (ib, ob) = (tuple(text.split("/", 1)) for text in (item.a, item.b))
        if ia != ib or oa == ob:
            pairs.append(((ia, oa), (ib, ob), float(item.value)))
    return pairs


def negmas_info(scenario: Scenario) -> dict[str, Any]:
    """`_info.yml`: what reading the folder back needs to restore accord's names."""
    info: dict[str, Any] = {"id": scenario.id, "title": scenario.title}
    if scenario.description:
        info["description"] = scenario.description
    info["issues"] = [{"id": issue.id, "title": issue.title,
                       "options": [{"id": o.id, "label": o.label} for o in issue.options]}
                      for issue in scenario.issues]
    info["parties"] = [{"id": p.id, "name": p.name, "ufun": p.id,
                        "interactions": len(_interaction_boxes(scenario, p))}
                       for p in scenario.parties]
    return {"accord": info}


def save_negmas(scenario: Scenario, folder: str | Path) -> list[Path]:
    """Write the scenario as a NegMAS folder (created if needed); returns the files written,
    domain first. What NegMAS cannot hold is left out; `negmas_losses` lists it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    domain_file, party_files = negmas_file_names(scenario)
    written = [folder / domain_file]
    written[0].write_text(yaml_text(negmas_domain(scenario)), encoding="utf-8")
    for party, name in zip(scenario.parties, party_files):
        path = folder / name
        path.write_text(yaml_text(negmas_ufun(scenario, party)), encoding="utf-8")
        written.append(path)
    info = folder / f"{INFO_STEM}.yml"
    info.write_text(yaml_text(negmas_info(scenario)), encoding="utf-8")
    return [*written, info]


def negmas_round_trip(scenario: Scenario) -> Scenario:
    """The scenario as a NegMAS folder gives it back (written and read in a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="accord-negmas-") as folder:
        save_negmas(scenario, folder)
        return load_negmas_folder(folder)
