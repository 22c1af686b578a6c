"""NegMAS scenario folders: read a folder of NegMAS YAML files into a Scenario.

NegMAS (`negmas.inout.Scenario.dumpas(folder, type="yml")`, and `Scenario.load(folder)`)
keeps a scenario as one YAML file per object, each a mapping whose `type` names the NegMAS
class (short, `CategoricalIssue`, or dotted, `negmas.….CategoricalIssue`):

- the **domain**, whose type contains `OutcomeSpace`: `issues`, each `{name, type, values}`;
- one **utility function** per party, whose type contains `Fun`: a
  `LinearAdditiveUtilityFunction` (`weights` and one value function per issue, `bias`), a
  `HyperRectangleUtilityFunction` (`outcome_ranges`, `utilities`, `weights`, `bias`), a
  `WeightedUtilityFunction` summing others, or an `ExpDiscountedUFun` wrapping one
  (`discount`); each with a `reserved_value`;
- optionally `_info.yml` (free data; accord keeps its ids and labels there) and
  `_stats.yaml` (ignored).

A party's utility is the NegMAS utility of the package exactly: per-issue parts become
salience and valuations, boxes of options (hyper-rectangles) become `terms` (or
`interactions` when a box fixes two single options), and constants (biases, negative
values) one term over the whole space. Integer and real issues are discretised as the
GENIUS reader does. The writer is `accord.io.negmas_write`; see docs/formats.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.io._discretise import integer_points, real_points
from accord.io._names import number_text, safe_id, unique_ids
from accord.io._yaml_tree import YamlSyntaxError, YamlTree, parse_yaml
from accord.io.genius import DEFAULT_INTEGER_LIMIT, DEFAULT_POINTS
from accord.io.negmas_ufun import (
    Bad,
    NegmasIssue,
    Parts,
    is_number,
    is_scalar,
    kind_of,
    reserved_value,
    ufun_parts,
    value_text,
)
from accord.model import Scenario

SUFFIXES = (".yml", ".yaml")
INFO_STEM = "_info"
MAX_FILE_BYTES = 64 * 1024 * 1024
_DOMAIN_MARK = re.compile(r"^(type|__python_class__):\s*['\"]?[\w.]*OutcomeSpace", re.M)
@dataclass
class _Doc:
    """One parsed YAML file with the line of every field."""

    path: Path
    data: Any
    tree: YamlTree

    def problem(self, path: tuple, message: str) -> Problem:
        return Problem(path, message, self.tree.line_of(path), str(self.path))


def is_negmas_folder(folder: str | Path) -> bool:
    """Whether a folder holds a NegMAS domain YAML (`type: …OutcomeSpace` at the top)."""
    for path in _yaml_files(Path(folder)):
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                head = handle.read(1 << 20)
        except OSError:
            continue
        if _DOMAIN_MARK.search(head):
            return True
    return False


def _yaml_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_file()
                      and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
    except OSError:
        return []


def read_yaml(path: Path) -> _Doc:
    """A YAML file with its lines; ScenarioError naming the file and line when malformed."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError([Problem((), f"cannot read: {error.strerror}", None,
                                     str(path))]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError([Problem((), f"file is larger than {MAX_FILE_BYTES >> 20} MiB",
                                     None, str(path))])
    try:
        text = raw.decode("utf-8-sig")
        data, tree = parse_yaml(text, str(path))
    except UnicodeDecodeError as error:
        raise ScenarioError([Problem((), f"not UTF-8 text (byte offset {error.start})",
                                     None, str(path))]) from None
    except YamlSyntaxError as error:
        raise ScenarioError(error.problems) from None
    if tree.problems:
        raise ScenarioError([Problem(p.path, p.message, p.line or tree.line_of(p.path),
                                     str(path)) for p in tree.problems])
    return _Doc(path, data, tree)


def load_negmas_folder(folder: str | Path, *, points: int = DEFAULT_POINTS,
                       integer_limit: int = DEFAULT_INTEGER_LIMIT) -> Scenario:
    """Read a NegMAS scenario folder (domain YAML, one utility-function YAML per party).

    `points` and `integer_limit` discretise integer and real issues as for GENIUS.
    ScenarioError names the file, line and field of every problem.
    """
    if points < 2:
        raise ValueError("points must be at least 2")
    folder = Path(folder)
    docs, problems, info = [], [], None
    for path in _yaml_files(folder):
        if path.stem.startswith("_stats"):
            continue
        try:
            doc = read_yaml(path)
        except ScenarioError as error:
            problems += error.problems
            continue
        if path.stem == INFO_STEM:
            info = doc.data.get("accord") if isinstance(doc.data, dict) else None
        else:
            docs.append(doc)
    domains = [d for d in docs if "OutcomeSpace" in kind_of(d.data)]
    ufuns = [d for d in docs if "fun" in kind_of(d.data).lower()
             and "OutcomeSpace" not in kind_of(d.data)]
    if problems:
        raise ScenarioError(problems)
    where = Problem((), "", None, str(folder))
    if len(domains) != 1:
        found = ", ".join(d.path.name for d in domains)
        raise ScenarioError([Problem((), "no NegMAS domain (a YAML file with `type: "
                                     "DiscreteCartesianOutcomeSpace`) in this folder" if not
                                     domains else f"more than one NegMAS domain ({found})",
                                     None, where.file)])
    if not ufuns:
        raise ScenarioError([domains[0].problem((), "no utility-function YAML (a file with "
                                                "`type: LinearAdditiveUtilityFunction` or "
                                                "another …Fun) beside this domain; a scenario "
                                                "needs at least one party")])
    issues = _domain_issues(domains[0], points, integer_limit)
    meta, ufuns = _info(info, issues, ufuns)
    parties = []
    for k, doc in enumerate(ufuns):
        try:
            parties.append(_party(doc, issues, meta, k))
        except Bad as bad:
            problems.append(doc.problem(bad.path, bad.message))
    if problems:
        raise ScenarioError(problems)
    data = _scenario_data(folder, domains[0], issues, parties, meta)
    try:
        return Scenario.build(data)
    except ScenarioError as error:
        raise ScenarioError([_locate(p, domains[0], ufuns) for p in error.problems]) from None


def _locate(problem: Problem, domain: _Doc, ufuns: list[_Doc]) -> Problem:
    doc = domain
    if len(problem.path) > 1 and problem.path[0] == "parties" and isinstance(problem.path[1], int):
        doc = ufuns[problem.path[1]] if problem.path[1] < len(ufuns) else domain
    return Problem(problem.path, problem.message, problem.line, problem.file or str(doc.path))


# --------------------------------------------------------------------------- the domain


def _domain_issues(doc: _Doc, points: int, integer_limit: int) -> list[NegmasIssue]:
    raw = doc.data.get("issues")
    if not isinstance(raw, list) or not raw:
        raise ScenarioError([doc.problem(("issues",), "expected a non-empty list of issues")])
    issues, problems = [], []
    for k, item in enumerate(raw):
        try:
            issues.append(_issue(item, k, points, integer_limit))
        except Bad as bad:
            problems.append(doc.problem(bad.path, bad.message))
    names = [issue.name for issue in issues]
    for k, name in enumerate(names):
        if names.index(name) != k:
            problems.append(doc.problem(("issues", k, "name"), f"issue name {name!r} is used "
                                        "twice"))
    if problems:
        raise ScenarioError(problems)
    return issues


def _issue(item: Any, k: int, points: int, integer_limit: int) -> NegmasIssue:
    at = ("issues", k)
    if not isinstance(item, dict):
        raise Bad(at, "expected a mapping with `name`, `type` and `values`")
    name, kind, values = item.get("name"), kind_of(item), item.get("values")
    if not isinstance(name, (str, int, float)) or isinstance(name, bool) or str(name) == "":
        raise Bad(at + ("name",), "an issue needs a `name`")
    name = str(name)
    if kind in ("CategoricalIssue", "DiscreteOrdinalIssue", "DiscreteCardinalIssue",
                "DiscreteIssue"):
        if not isinstance(values, list) or not values:
            raise Bad(at + ("values",), f"issue {name!r}: expected a non-empty list of values")
        for j, value in enumerate(values):
            if not is_scalar(value):
                raise Bad(at + ("values", j), f"issue {name!r}: a value must be text or a "
                           "number")
            if values.index(value) != j:
                raise Bad(at + ("values", j), f"issue {name!r}: value {value!r} is listed twice")
        return NegmasIssue(name, list(values), [value_text(v) for v in values])
    if kind in ("ContiguousIssue", "ContinuousIssue"):
        return _range_issue(item, at, name, kind == "ContiguousIssue", points, integer_limit)
    raise Bad(at + ("type",), f"issue {name!r} has unsupported type {kind or None!r}; expected "
               "CategoricalIssue, DiscreteOrdinalIssue, DiscreteCardinalIssue, ContiguousIssue "
               "or ContinuousIssue")


def _range_issue(item: dict, at: tuple, name: str, integer: bool, points: int,
                 integer_limit: int) -> NegmasIssue:
    values, step = item.get("values"), item.get("step", 1)
    if integer and is_number(values) and values == int(values) and values > 0:
        values = [0, int(values) - 1]  # ContiguousIssue(n): 0 .. n-1
    if integer and isinstance(values, list) and len(values) == 3:
        values, step = values[:2], values[2]
    if not (isinstance(values, list) and len(values) == 2 and all(map(is_number, values))
            and values[0] <= values[1] and all(map(math.isfinite, values))):
        raise Bad(at + ("values",), f"issue {name!r}: expected `[lowest, highest]` numbers")
    low, high = (float(v) for v in values)
    if integer:
        if low != int(low) or high != int(high) or not is_number(step) or step < 1 \
                or step != int(step):
            raise Bad(at + ("values",), f"integer issue {name!r}: bounds and step must be "
                       "whole numbers (step ≥ 1)")
        numbers, count = integer_points(low, high, points, integer_limit, int(step))
        note = None
        if count > integer_limit:
            note = (f"integer issue {name!r} ({number_text(low)}..{number_text(high)}, "
                    f"{count:,} values, more than {integer_limit:,}) is discretised into "
                    f"{len(numbers)} evenly spaced integers")
        return NegmasIssue(name, list(numbers), [number_text(v) for v in numbers], low, high, note)
    reals = real_points(low, high, points)
    note = (f"real issue {name!r} ({number_text(low)}..{number_text(high)}) is discretised "
            f"into {len(reals)} evenly spaced values")
    return NegmasIssue(name, reals, [number_text(v) for v in reals], low, high, note)


def _info(info: Any, issues: list[NegmasIssue],
          ufuns: list[_Doc]) -> tuple[dict[str, Any], list[_Doc]]:
    """accord's ids and labels from `_info.yml` when they fit this domain, and the utility
    functions in the order of its parties when it names each one (by `name`); else no
    names and the files in name order (as NegMAS takes them)."""
    if not isinstance(info, dict):
        return {}, ufuns
    meta_issues, meta_parties = info.get("issues"), info.get("parties")
    if not (isinstance(meta_issues, list) and len(meta_issues) == len(issues)
            and all(isinstance(m, dict) and isinstance(m.get("options"), list)
                    and len(m["options"]) == len(issue.values)
                    for m, issue in zip(meta_issues, issues))):
        return {}, ufuns
    by_name = {str(doc.data.get("name")): doc for doc in ufuns}
    wanted = [str(p.get("ufun")) if isinstance(p, dict) else "" for p in meta_parties or []]
    if len(by_name) == len(ufuns) and sorted(wanted) == sorted(by_name):
        return info, [by_name[name] for name in wanted]
    return {key: value for key, value in info.items() if key != "parties"}, ufuns


# --------------------------------------------------------------------------- utilities


def _party(doc: _Doc, issues: list[NegmasIssue], meta: dict, k: int) -> dict[str, Any]:
    data = doc.data
    name = data.get("name")
    name = str(name) if is_scalar(name) and str(name) else doc.path.stem
    discount, inner, at = 1.0, data, ()
    if kind_of(data) == "ExpDiscountedUFun":
        discount = data.get("discount", 1.0)
        discount = 1.0 if discount is None else discount
        if not is_number(discount) or not 0.0 <= discount <= 1.0:
            raise Bad(("discount",), "expected a discount factor in [0, 1] (accord "
                       "discounts over normalised time: u × d^t)")
        inner, at = data.get("ufun"), ("ufun",)
        if not isinstance(inner, dict):
            raise Bad(at, "expected the discounted utility function (a mapping)")
    parts = ufun_parts(inner, at, issues)
    reservation = reserved_value(data, ())
    if reservation is None and inner is not data:
        reservation = reserved_value(inner, at)
    given = (meta.get("parties") or [{}] * (k + 1))[k]
    given = given if isinstance(given, dict) else {}
    pairs = given.get("interactions", 0)
    party = _as_party(parts, issues, meta, pairs if isinstance(pairs, int) else 0)
    low = party.pop("_lowest")
    party.update(id=str(given.get("id") or safe_id(name, f"party-{k + 1}")),
                 name=str(given.get("name") or name),
                 reservation=low if reservation is None else reservation,
                 discount_factor=float(discount))
    return party


# --------------------------------------------------------------------------- into accord


def _as_party(parts: Parts, issues: list[NegmasIssue], meta: dict,
              n_interactions: int = 0) -> dict[str, Any]:
    """Preferences, interactions and terms holding the NegMAS utility exactly (the first
    `n_interactions` boxes of two single options are interactions, the others terms)."""
    ids = _ids(issues, meta)
    preferences, constant, lowest = {}, parts.constant, 0.0
    for (issue_id, option_ids), part in zip(ids, parts.issues):
        if part is None:
            continue
        weight, values = part
        if weight >= 0.0 and min(values) >= 0.0 and max(values) <= 1.0:
            salience, valuations = weight, values  # as accord writes them: kept exactly
        else:
            scaled = [weight * v for v in values]
            low, high = min(0.0, *scaled), max(scaled)
            salience = high - low
            valuations = [(v - low) / salience if salience else 0.0 for v in scaled]
            constant += low
        if salience > 0.0:
            preferences[issue_id] = {"salience": salience,
                                     "valuations": dict(zip(option_ids, valuations))}
            lowest += salience * min(valuations)
    interactions, terms = [], []
    for k, (box, value) in enumerate(parts.boxes):
        if value == 0.0 or any(not options for options in box.values()):
            continue  # never holds, or adds nothing
        when = {ids[i][0]: [ids[i][1][j] for j in options] for i, options in box.items()}
        if not when:
            constant += value
        elif k < n_interactions and len(when) == 2 \
                and all(len(o) == 1 for o in when.values()):  # accord wrote it (_info.yml)
            a, b = ([f"{issue}/{options[0]}" for issue, options in when.items()])
            interactions.append({"a": a, "b": b, "value": value})
        else:
            terms.append({"value": value, "when": when})
        lowest += min(value, 0.0)
    if constant:
        terms.append({"value": constant, "when": {ids[0][0]: list(ids[0][1])},
                      "note": "constant part of the NegMAS utility (biases, negative values)"})
    party: dict[str, Any] = {"preferences": preferences, "_lowest": lowest + constant}
    if interactions:
        party["interactions"] = interactions
    if terms:
        party["terms"] = terms
    return party


def _ids(issues: list[NegmasIssue], meta: dict) -> list[tuple[str, list[str]]]:
    given = meta.get("issues") or [{} for _ in issues]
    issue_ids = unique_ids([i.name for i in issues], "issue-", [g.get("id") for g in given])
    return [(issue_id, unique_ids(issue.labels, "v", [o.get("id") if isinstance(o, dict) else
                                                     None for o in g.get("options", [])]))
            for issue_id, issue, g in zip(issue_ids, issues, given)]


def _scenario_data(folder: Path, domain: _Doc, issues: list[NegmasIssue], parties: list[dict],
                   meta: dict) -> dict[str, Any]:
    given = meta.get("issues") or [{} for _ in issues]
    name = domain.data.get("name")  # NegMAS names a scenario after its folder
    name = folder.resolve().name or (str(name) if is_scalar(name) and str(name)
                                     else domain.path.stem)
    notes = [issue.note for issue in issues if issue.note]
    description = meta.get("description") or (
        f"Imported from the NegMAS scenario folder {folder.name or name} ({len(parties)} "
        "utility function(s)): each party's utility is the NegMAS utility of the package "
        "exactly (per-issue values as saliences and valuations, rectangles as terms, "
        "constants as one term)." + (" Discretised: " + "; ".join(notes) + "." if notes else ""))
    return {
        "id": str(meta.get("id") or safe_id(name.lower(), "negmas")),
        "title": str(meta.get("title") or name),
        "description": description,
        "issues": [{"id": issue_id, "title": str(g.get("title") or issue.name),
                    "options": [{"id": oid, "label": str(o.get("label") or label)
                                 if isinstance(o, dict) else label}
                                for oid, label, o in zip(option_ids, issue.labels,
                                                         g.get("options") or issue.labels)]}
                   for (issue_id, option_ids), issue, g in zip(_ids(issues, meta), issues, given)],
        "parties": parties,
    }
