"""GENIUS non-linear utility spaces (ANAC 2014): sums of hyper-rectangles, read and written.

A non-linear utility space (`<utility_space type="nonlinear">`) holds a `<utility
maxutility="M">` with one or more `<ufun aggregation="sum" weight="w">`, each a list of
`<hyperRectangle utility="v">`. A rectangle bounds some integer issues (`<INCLUDES index="i"
min="a" max="b"/>`): the bid earns `v` when every bounded issue lies in its range. An
`EXCLUDES` rectangle earns `v` when the bid lies outside it (some bounded issue out of its
range). GENIUS's utility of a bid is the weighted sum divided by `maxutility`.

accord reads each rectangle as a `Term` of the party (`when`: the options of each bounded
issue inside the range; `outside` for EXCLUDES), with value `w × weight × v / M` (a rectangle may carry its own `weight`), so utilities are
GENIUS's own. A rectangle with no bounds earns its value on every bid. Nested `<ufun>`s
multiply their weights. What does not map is refused with the file and line: an aggregation
other than a sum, a bound on a discrete (non-integer) issue, a rectangle mixing INCLUDES and
EXCLUDES, and GENIUS's constraint-based spaces (`type="constraint"`).

Writing: a party with terms or interactions is written as a non-linear space when every
issue is a range of whole numbers (GENIUS bounds integer issues only): its additive values
become one-issue rectangles, its interactions two-issue ones, and `maxutility` is 1, so
GENIUS's utilities are accord's.
"""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any, Protocol

from accord.errors import Problem, ScenarioError
from accord.io._names import number_text
from accord.io._xml import XmlDoc
from accord.model import Issue, OptionRef, Party, Scenario


class DomainIssue(Protocol):
    """What the reader needs of a domain issue (`genius._Issue`)."""

    index: str | None
    name: str
    kind: str
    numbers: list[float] | None
    id: str
    option_ids: list[str]


class _Bad(Exception):
    def __init__(self, element: ET.Element, message: str):
        super().__init__(message)
        self.element = element
        self.message = message


def is_nonlinear(doc: XmlDoc) -> bool:
    """Whether a utility space is GENIUS's non-linear kind (type attribute or its elements)."""
    kind = (doc.root.get("type") or "").strip().lower()
    return kind in ("nonlinear", "non-linear") or next(doc.root.iter("hyperRectangle"),
                                                       None) is not None


def read_terms(doc: XmlDoc, issues: Sequence[DomainIssue]) -> list[dict[str, Any]]:
    """The party's terms (model data for `Term`) from a non-linear utility space."""
    if (doc.root.get("type") or "").strip().lower() == "constraint":
        raise ScenarioError([doc.problem(doc.root, "a constraint-based utility space (GENIUS "
                                         "'type=\"constraint\"': rules with conditions and "
                                         "penalties) does not map to accord's utilities")])
    utility = next(doc.root.iter("utility"), None)
    if utility is None:
        raise ScenarioError([doc.problem(doc.root, "non-linear utility space without a "
                                         "<utility> element holding its <ufun>s")])
    problems: list[Problem] = []
    scale = _positive(doc, utility, "maxutility", 1.0, problems)
    by_index = {issue.index: issue for issue in issues if issue.index is not None}
    terms: list[dict[str, Any]] = []
    ufuns = [child for child in utility if child.tag == "ufun"]
    if not ufuns and not problems:
        problems.append(doc.problem(utility, "<utility> holds no <ufun>"))
    for ufun in ufuns:
        _read_ufun(doc, ufun, 1.0 / scale, by_index, issues, terms, problems)
    if problems:
        raise ScenarioError(problems)
    return terms


def _read_ufun(doc: XmlDoc, ufun: ET.Element, factor: float,
               by_index: dict[str | None, DomainIssue], issues: Sequence[DomainIssue],
               terms: list[dict[str, Any]], problems: list[Problem]) -> None:
    aggregation = (ufun.get("aggregation") or "sum").strip().lower()
    if aggregation != "sum":
        problems.append(doc.problem(ufun, f"<ufun aggregation={aggregation!r}>: only a sum "
                                    "of its parts maps to accord's utilities"))
        return
    factor *= _number(doc, ufun, "weight", 1.0, problems)
    for child in ufun:
        if child.tag == "ufun":
            _read_ufun(doc, child, factor, by_index, issues, terms, problems)
        elif child.tag == "hyperRectangle":
            try:
                term = _rectangle(doc, child, factor, by_index, issues)
            except _Bad as bad:
                problems.append(doc.problem(bad.element, bad.message))
                continue
            if term is not None:
                terms.append(term)
        else:
            problems.append(doc.problem(child, f"unexpected <{child.tag}> in a <ufun>; "
                                        "expected <hyperRectangle> or <ufun>"))


def _rectangle(doc: XmlDoc, element: ET.Element, factor: float,
               by_index: dict[str | None, DomainIssue],
               issues: Sequence[DomainIssue]) -> dict[str, Any] | None:
    text = element.get("utility")
    try:
        value = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _Bad(element, f"hyperRectangle utility {text!r} is not a number") from None
    weight_text = element.get("weight", "1")
    try:
        weight = float(weight_text)
    except ValueError:
        weight = math.nan
    if not (math.isfinite(value) and math.isfinite(weight)):
        raise _Bad(element, f"hyperRectangle utility {text!r} × weight {weight_text!r} is not "
                   "a finite number")
    value *= weight
    kinds = {child.tag for child in element}
    unknown = kinds - {"INCLUDES", "EXCLUDES"}
    if unknown:
        raise _Bad(element, f"unexpected <{sorted(unknown)[0]}> in a hyperRectangle; expected "
                   "INCLUDES or EXCLUDES bounds")
    if kinds == {"INCLUDES", "EXCLUDES"}:
        raise _Bad(element, "a hyperRectangle mixing INCLUDES and EXCLUDES bounds has no "
                   "GENIUS meaning (GENIUS reads one kind per rectangle)")
    when: dict[str, list[str]] = {}
    for bound in element:
        issue = by_index.get(index_text(bound.get("index")))
        if issue is None:
            raise _Bad(bound, f"bound on issue index {bound.get('index')!r}, which is not in "
                       "the domain")
        if issue.kind != "integer" or issue.numbers is None:
            raise _Bad(bound, f"bound on {issue.kind} issue {issue.name!r}: GENIUS's "
                       "hyper-rectangles bound integer issues only")
        low, high = _bound(bound, "min"), _bound(bound, "max")
        inside = {oid for oid, n in zip(issue.option_ids, issue.numbers) if low <= n <= high}
        previous = when.get(issue.id)
        when[issue.id] = [oid for oid in issue.option_ids if oid in inside
                          and (previous is None or oid in previous)]
    value *= factor
    outside = kinds == {"EXCLUDES"}
    if not when:  # no bounds: every bid is inside the box
        if outside:
            return None
        first = issues[0]
        return {"value": value, "when": {first.id: list(first.option_ids)}}
    if any(not options for options in when.values()):
        if not outside:
            return None  # an empty range: the box holds no bid
        first = issues[0]  # every bid is outside an empty box
        return {"value": value, "when": {first.id: list(first.option_ids)}}
    return {"value": value, "when": when, **({"outside": True} if outside else {})}


def _bound(element: ET.Element, name: str) -> float:
    text = element.get(name)
    try:
        number = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _Bad(element, f"bound '{name}' {text!r} is not a number") from None
    if math.isnan(number):
        raise _Bad(element, f"bound '{name}' is not a number")
    return number


def index_text(text: str | None) -> str:
    """An index as GENIUS reads it (an integer: `01` is `1`); other text as it is."""
    text = (text or "").strip()
    try:
        return str(int(text))
    except ValueError:
        return text


def _number(doc: XmlDoc, element: ET.Element, name: str, default: float,
            problems: list[Problem]) -> float:
    text = element.get(name)
    if text is None:
        return default
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        problems.append(doc.problem(element, f"{name} {text!r} is not a finite number"))
        return default
    return number


def _positive(doc: XmlDoc, element: ET.Element, name: str, default: float,
              problems: list[Problem]) -> float:
    number = _number(doc, element, name, default, problems)
    if number <= 0:
        problems.append(doc.problem(element, f"{name} {number_text(number)} must be above 0 "
                                    "(GENIUS divides every utility by it)"))
        return default
    return number


# --------------------------------------------------------------------------- writing

A_OPTION_IDS = "accord_option_ids"
"""Attribute of an integer issue accord writes: its options' ids, space-separated, so that
reading the file back gives the very same ids. GENIUS ignores attributes it does not know."""


def integer_values(issue: Issue) -> list[int] | None:
    """The whole numbers an issue's options stand for, when its labels are consecutive
    whole numbers in increasing order (so GENIUS can hold it as an integer issue)."""
    try:
        numbers = [int(option.label) for option in issue.options]
    except ValueError:
        return None
    if any(str(n) != option.label.strip() for n, option in zip(numbers, issue.options)):
        return None
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return None
    return numbers


def nonlinear_writable(scenario: Scenario) -> bool:
    """Whether the scenario's terms and interactions can be written as GENIUS
    hyper-rectangles: every issue must be an integer range (GENIUS bounds integers only)."""
    return all(integer_values(issue) is not None for issue in scenario.issues)


def needs_nonlinear(party: Party) -> bool:
    """Whether a party's utility needs a non-linear space (it has terms or interactions)."""
    return bool(party.terms or party.interactions)


def rectangles(scenario: Scenario, party: Party) -> list[tuple[float, list[tuple[int, int, int]],
                                                              bool]]:
    """The party's whole utility as GENIUS rectangles: (value, bounds, excludes), each bound
    (issue index from 1, min, max). Additive values become one-issue rectangles; a term
    whose options on an issue are not one range becomes a rectangle per combination of
    ranges (they are disjoint, so the values add up to the term's)."""
    position = {issue.id: k for k, issue in enumerate(scenario.issues)}
    numbers = {issue.id: dict(zip(issue.option_ids(), integer_values(issue) or []))
               for issue in scenario.issues}
    found: list[tuple[float, list[tuple[int, int, int]], bool]] = []
    for issue_id, pref in party.preferences.items():
        for option_id, valuation in pref.valuations.items():
            value = pref.salience * valuation
            if value:
                n = numbers[issue_id][option_id]
                found.append((value, [(position[issue_id] + 1, n, n)], False))
    for interaction in party.interactions:
        a, b = OptionRef.parse(interaction.a), OptionRef.parse(interaction.b)
        if a.issue == b.issue and a.option != b.option:
            continue  # two options of one issue never come together
        bounds = {(position[r.issue] + 1, numbers[r.issue][r.option], numbers[r.issue][r.option])
                  for r in (a, b)}
        found.append((interaction.value, sorted(bounds), False))
    for term in party.terms:
        runs = {issue_id: _runs(sorted(numbers[issue_id][o] for o in options))
                for issue_id, options in term.when.items()}
        if term.outside and all(len(r) == 1 for r in runs.values()):
            found.append((term.value, [(position[i] + 1, *r[0]) for i, r in runs.items()], True))
            continue
        value = term.value
        if term.outside:  # value outside = value always - value inside
            found.append((value, [], False))
            value = -value
        for combination in itertools.product(*runs.values()):
            found.append((value, [(position[i] + 1, low, high)
                                  for i, (low, high) in zip(runs, combination)], False))
    return found


def _runs(values: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for value in values:
        if runs and value == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs


def utility_element(parent: ET.Element, scenario: Scenario, party: Party) -> ET.Element:
    """`<utility maxutility="1">` with one summing `<ufun>` of the party's rectangles (utility
    values are accord's own, so GENIUS's division by `maxutility` leaves them unchanged)."""
    utility = ET.SubElement(parent, "utility", {"maxutility": "1"})
    ufun = ET.SubElement(utility, "ufun", {"type": "PlainUfun", "weight": "1",
                                           "aggregation": "sum"})
    for value, bounds, excludes in rectangles(scenario, party):
        rectangle = ET.SubElement(ufun, "hyperRectangle", {"utility": repr(float(value))})
        for index, low, high in bounds:
            ET.SubElement(rectangle, "EXCLUDES" if excludes else "INCLUDES",
                          {"index": str(index), "min": str(low), "max": str(high)})
    return utility
