"""Plan files (data/plans/README.md): YAML → `Plan`, with file and line in every error.

A plan is named by a path to its YAML file, by the id of a draft in a scenario, by the id
of a plan in a folder, or by the id of a shipped plan (`accord/data/plans/ID.yaml`).
"""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from accord.errors import Problem, ScenarioError, UsageError
from accord.io._yaml_tree import YamlSyntaxError, parse_yaml
from accord.io.yaml_scenario import _decode
from accord.model import Scenario
from accord.model.plan import AnnotatedPoint, Plan, PlanDocument, PlanSource
from accord.model.scenario import data_path


def load_plan(path: str | Path) -> Plan:
    """Load and validate a plan file; ScenarioError names the file, line and field."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlanError([Problem((), "file not found", None, str(path))]) from None
    except IsADirectoryError:
        raise PlanError([Problem((), "is a folder; expected a plan .yaml file", None,
                                     str(path))]) from None
    except OSError as error:
        raise PlanError([Problem((), f"cannot read: {error.strerror}", None,
                                     str(path))]) from None
    return loads_plan(raw, str(path))


def loads_plan(raw: bytes | str, source: str = "<plan>") -> Plan:
    """Validate a plan given as YAML bytes or text; `source` names it in errors."""
    plan = _plan_if_any(raw, source)
    if plan is None:
        raise PlanError([Problem((), "expected a plan: a mapping with 'id' and a list of "
                                     "'points' (see data/plans/README.md)", 1, source)])
    return plan


def _plan_if_any(raw: bytes | str, source: str) -> Plan | None:
    """The plan in a YAML text; None when the text is valid YAML but not a plan."""
    data, tree = _parse(raw, source)
    if not is_plan_data(data):
        return None
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        problems = [_problem(e, data) for e in error.errors()
                    if not (e["type"] == "too_short" and e.get("input"))]
        raise PlanError([replace(p, line=tree.line_of(p.path), file=source)
                         for p in problems]) from None


class PlanError(ScenarioError):
    """A plan file is malformed; lists every problem with file, line and field."""

    def __str__(self) -> str:
        return super().__str__().replace("invalid scenario", "invalid plan", 1)


def _parse(raw: bytes | str, source: str) -> tuple[Any, Any]:
    try:
        text = _decode(raw, source) if isinstance(raw, bytes) else raw
        data, tree = parse_yaml(text, source)
    except (YamlSyntaxError, ScenarioError) as error:
        raise PlanError(error.problems) from None
    if tree.problems:
        raise PlanError([replace(p, line=p.line or tree.line_of(p.path), file=source)
                             for p in tree.problems])
    return data, tree


def is_plan_data(data: Any) -> bool:
    """Does parsed YAML look like a plan file (a mapping with a list of points)?"""
    return isinstance(data, dict) and isinstance(data.get("points"), list)


_MODELS: dict[str, type[BaseModel]] = {"points": AnnotatedPoint, "sources": PlanSource,
                                       "documents": PlanDocument}


def _problem(error: Any, data: Any) -> Problem:
    """A pydantic error as a Problem: the path into the data and a message for people."""
    path = data_path(error["loc"], data, error["type"] == "missing")
    kind = error["type"]
    if kind == "extra_forbidden":
        model = _MODELS.get(str(path[0])) if len(path) > 1 else Plan
        allowed = ", ".join(model.model_fields) if model else "the documented fields"
        return Problem(path, f"unknown field; expected one of {allowed}")
    if kind == "missing":
        return Problem(path, "required field is missing")
    if kind == "too_short":
        return Problem(path, "is empty; expected at least one point")
    message = error["msg"].removeprefix("Value error, ")
    got = error.get("input")
    if kind not in ("value_error", "too_short") and isinstance(got, (str, int, float)):
        message += f" (got {str(got)[:60]!r})"
    return Problem(path, message)


def load_plan_folder(folder: str | Path) -> list[Plan]:
    """Every plan file (`*.yaml` / `*.yml` with a list of points) in a folder, by id.

    Other YAML files (parties, codebooks, estimates) are skipped; a plan file that does
    not validate is an error.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PlanError([Problem((), "not a folder of plan files", None, str(folder))])
    plans = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            plan = _plan_if_any(path.read_bytes(), str(path))
            if plan is not None:
                plans.append(plan)
    return sorted(plans, key=lambda plan: plan.id)


def builtin_plan_ids() -> list[str]:
    """Ids of the shipped plans."""
    return sorted(plan.id for plan in builtin_plans())


def builtin_plans() -> list[Plan]:
    """The shipped plans (`accord/data/plans`)."""
    folder = resources.files("accord.data") / "plans"
    plans = []
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        if item.name.endswith(".yaml"):
            plan = _plan_if_any(item.read_bytes(), f"accord:plans/{item.name}")
            if plan is not None:
                plans.append(plan)
    return plans


def load_builtin_plan(plan_id: str) -> Plan:
    """A shipped plan by id (e.g. `ukraine-28-point-2025-11`)."""
    for plan in builtin_plans():
        if plan.id == plan_id:
            return plan
    raise UsageError(f"no shipped plan {plan_id!r}; shipped: {', '.join(builtin_plan_ids())}")


def resolve_plan(source: str, scenario: Scenario | None = None,
                 folder: str | Path | None = None) -> Plan:
    """A plan from a file path, a draft id of `scenario`, a plan id in `folder`, or a
    shipped plan id, tried in that order."""
    path = Path(source)
    if path.is_file() or path.is_dir():
        return load_plan(path)
    if scenario is not None and source in {d.id for d in scenario.drafts}:
        return Plan.of_draft(scenario.draft(source))
    if path.suffix.lower() in (".yaml", ".yml") or "/" in source or "\\" in source:
        raise PlanError([Problem((), "file not found", None, source)])
    candidates = load_plan_folder(folder) if folder is not None else builtin_plans()
    for plan in candidates:
        if plan.id == source:
            return plan
    raise UsageError(_unknown_plan(source, [p.id for p in candidates], scenario, folder))


def _unknown_plan(source: str, ids: list[str], scenario: Scenario | None,
                  folder: str | Path | None) -> str:
    where = f"in {folder}" if folder is not None else "among the shipped plans"
    message = (f"no plan file {source!r} and no plan with that id {where} "
               f"({', '.join(ids) or 'it has no plan files'})")
    if scenario is not None:
        message += f", nor a draft in {scenario.id} ({', '.join(d.id for d in scenario.drafts)})"
    return message
