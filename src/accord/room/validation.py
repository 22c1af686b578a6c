"""Validation at the door: every write is checked against the rules the engine itself uses
(`accord.model`'s pydantic models and `Scenario` validation, via `engine.build_scenario`),
and every text and number against what the databases can store.

Nothing here re-implements a rule of the model: a write is accepted only if the scenario
the engine would build from it validates. When stored data cannot run the engine anyway
(written before these checks existed), `whose_problem` says whose data it is, without any
confidential number.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import Body, Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from accord.errors import AccordError, Problem, ScenarioError, format_path
from accord.model import IssuePreference, Scenario
from accord.model._base import Finite
from accord.room import engine

MAX_DEPTH = 32
"""Deepest nesting of lists and mappings accepted in a JSON body."""
DB_INT_MAX = 2**31 - 1
"""Largest id or draft number both databases store (PostgreSQL INTEGER)."""
PLACEHOLDER_PARTY = ("placeholder", "Placeholder", {})

DbInt = Annotated[int, Path(ge=0, le=DB_INT_MAX)]
"""A member id or draft number in a path: out of range is a 422, not a database error."""


def text_problem(value: str) -> str | None:
    """Why a text cannot be stored (NUL bytes, lone surrogates), or None."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (a lone surrogate)"
    return None


def _clean(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(f"text {problem}")
    return value


CleanStr = Annotated[str, AfterValidator(_clean)]
ShortStr = Annotated[CleanStr, Field(max_length=500)]
LongStr = Annotated[CleanStr, Field(max_length=20_000)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        """No NUL or lone surrogate anywhere, not even in a field that is not kept."""
        problem = structure_problem(data)
        if problem:
            raise ValueError(problem)
        return data


class PreferencesBody(_Body):
    """`POST api/preferences`: the delegation's confidential preferences (the model's types)."""

    reservation: Finite = 0.0
    preferences: dict[ShortStr, IssuePreference] = {}


MAX_PRIORITIES = 200
"""The most points a delegation may list as wanting changed (a room's issues: at most
`services.MAX_ISSUES`)."""
MAX_DUE_HOURS = 24 * 366
"""The furthest deadline a draft may set: a year."""


class MemberBody(_Body):
    role: ShortStr
    name: ShortStr


class DraftBody(_Body):
    title: ShortStr = ""
    options: dict[ShortStr, ShortStr | None] = {}
    texts: dict[ShortStr, LongStr] = {}
    due_in_hours: float | None = Field(None, gt=0, le=MAX_DUE_HOURS, strict=True)
    """Answers due this many hours after publishing (no deadline when absent)."""
    versus: int | None = Field(None, ge=1, le=DB_INT_MAX, strict=True)
    """An earlier draft the delegations are asked to compare this one with (optional)."""


class AnswerBody(_Body):
    verdict: ShortStr
    comment: LongStr = ""
    red_line: bool = Field(False, strict=True)
    """With a rejection: the point crosses the delegation's red line."""


class WholeBody(_Body):
    """`POST api/drafts/{number}/whole`: the delegation's answer on the draft as a whole."""

    sign: bool | None = Field(None, strict=True)
    """Could the delegation sign the draft as it stands (None: not saying)."""
    compared: Literal["better", "same", "worse"] | None = None
    """The draft against the earlier one the mediator named, for the delegation."""
    priorities: list[ShortStr] = Field([], max_length=MAX_PRIORITIES)
    """The points the delegation wants changed, most important first."""


AnswersBody = Annotated[dict[ShortStr, AnswerBody], Body()]
"""`POST api/drafts/{number}/answers`: issue id -> {verdict, comment}."""


def structure_problem(data: Any) -> str | None:
    """Why parsed JSON cannot be taken (too deep, unstorable text anywhere), or None.
    Iterative, so no depth makes it recurse."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return f"a text {problem}"
        elif isinstance(item, dict):
            stack.extend((k, depth + 1) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > 2**63:
            return "a number is too large"
    return None


def scenario_problems(negotiation_id: str, title: str, issues: list[dict],
                      parties: Sequence[tuple[str, str, dict]],
                      rule: Any = None) -> list[Problem]:
    """The engine's own verdict on this data: [] when it can build a scenario from it."""
    return _built(negotiation_id, title, issues, parties, rule)[1]


def _built(negotiation_id: str, title: str, issues: list[dict],
           parties: Sequence[tuple[str, str, dict]],
           rule: Any = None) -> tuple[Scenario | None, list[Problem]]:
    """The scenario the engine builds from this data, or the problems it finds."""
    try:
        return engine.build_scenario(negotiation_id, title, issues,
                                     list(parties) or [PLACEHOLDER_PARTY], rule), []
    except ScenarioError as error:
        return None, list(error.problems) or [Problem((), "invalid scenario")]
    except AccordError as error:
        return None, [Problem((), error.user_message())]
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        return None, [Problem((), f"invalid data ({type(error).__name__})")]


MAX_RULE = 20_000
"""The longest decision rule the room stores, as JSON (a text's limit)."""


def check_rule(title: str, issues: list[dict], parties: Sequence[tuple[str, str]],
               raw: Any, source: str = "the decision rule") -> tuple[dict | None, str | None]:
    """(the rule as the engine validated and normalised it, None) or (None, why it is
    refused, naming the field): the scenario format's `rule` over the delegations' party
    ids (`parties`: (party id, name)), checked by building the scenario the engine would
    run (`accord.model.Rule` and the scenario's cross-checks: known parties, `at_least`
    no more than the delegations). The room adds refusals of its own: a rule when there
    are no delegations yet, one longer than `MAX_RULE` as JSON, true/false (the model reads
    `at_least: true` as 1) and weighted thresholds (the room does not carry the parties'
    weights). `raw` None: unanimity, (None, None)."""
    if raw is None:
        return None, None
    if not parties:
        return None, (f"{source}: a decision rule names and counts the delegations, and "
                      "there are none yet; open the negotiation from a scenario (its parties "
                      "are the delegations), or leave the rule out (unanimity)")
    problem = _room_rule_problem(raw)
    if problem:
        return None, f"{source}: {problem}"  # the problem names the field
    scenario, problems = _built("new", title, issues,
                                [(party_id, name, {}) for party_id, name in parties], raw)
    if scenario is None or scenario.rule is None:
        return None, f"{source}: " + _listing(problems or [Problem(("rule",), "invalid")],
                                              lambda p: p.located())
    return scenario.rule.model_dump(mode="json", exclude_defaults=True), None


def _room_rule_problem(raw: Any) -> str | None:
    """What the room refuses in a rule that the model would take: one longer than a text
    may be (checked first: the engine's work grows with it), true/false anywhere
    (`at_least: true` would count as 1), and weighted thresholds."""
    try:
        size = len(json.dumps(raw))
    except (TypeError, ValueError, RecursionError):
        return "rule: not JSON data"
    if size > MAX_RULE:
        return f"rule: longer than {MAX_RULE} characters"
    stack: list[tuple[Any, tuple]] = [(raw, ("rule",))]
    while stack:
        item, path = stack.pop()
        if isinstance(item, bool):
            return (f"{format_path(path)}: true/false is not a value of a rule (at_least is "
                    "a whole number of delegations, required a list of party ids)")
        if isinstance(item, dict):
            if item.get("thresholds") and path[-2:-1] in ((), ("issues",)):
                return (f"{format_path(path + ('thresholds',))}: weighted thresholds are not "
                        "supported in the room (it does not carry the parties' weights); "
                        "count the delegations with at_least and name those that must agree "
                        "with required")
            stack.extend((v, path + (str(k),)) for k, v in item.items())
        elif isinstance(item, list | tuple):
            stack.extend((v, path + (k,)) for k, v in enumerate(item))
    return None


def issues_problem(negotiation_id: str, title: str, issues: list[dict]) -> str | None:
    """Why the engine could not use these issues (for the mediator, who wrote them)."""
    problems = scenario_problems(negotiation_id, title, issues, [])
    return _listing(problems, lambda p: p.located()) if problems else None


def party_problem(negotiation_id: str, title: str, issues: list[dict], party_id: str,
                  name: str, preferences: dict) -> str | None:
    """Why the engine could not use this delegation's preferences (for that delegation:
    the message may quote its own values), naming the field as it was sent."""
    problems = scenario_problems(negotiation_id, title, issues, [(party_id, name, preferences)])
    if not problems:
        return None

    def own(problem: Problem) -> str:
        path = problem.path[2:] if problem.path[:1] == ("parties",) else problem.path
        return f"{format_path(path)}: {problem.message}" if path else problem.message

    return _listing(problems, own)


def whose_problem(negotiation_id: str, title: str, issues: list[dict],
                  parties: Sequence[tuple[str, str, dict]], rule: Any = None) -> str | None:
    """Why the engine cannot run on the stored data and whose data it is, for the mediator:
    field names only, never a delegation's values."""
    problems = scenario_problems(negotiation_id, title, issues, parties, rule)
    if not problems:
        return None

    def located(problem: Problem) -> str:
        path = problem.path
        if path[:1] == ("parties",) and len(path) > 1 and isinstance(path[1], int) \
                and path[1] < len(parties):
            field = format_path(path[2:]) or "preferences"
            return (f"delegation {parties[path[1]][1]} ({parties[path[1]][0]}): its {field} "
                    "is not valid; it must state its preferences again")
        if path[:1] == ("issues",):
            return f"the issues set by the mediator: {problem.located()}"
        if path[:1] == ("rule",):
            return ("the decision rule set at opening does not fit the delegations taking "
                    f"part (one it names or counts on was revoked): {problem.located()}")
        return "the stored negotiation: " + (format_path(path) or "invalid data")

    return "the engine cannot run: " + _listing(problems, located)


def _listing(problems: list[Problem], show) -> str:
    """The first three distinct problems, and how many more (linear: a body may bring
    hundreds of thousands)."""
    seen = list(dict.fromkeys(show(problem) for problem in problems))
    more = f" (and {len(seen) - 3} more)" if len(seen) > 3 else ""
    return "; ".join(seen[:3]) + more


def form_body(*fields: str) -> dict:
    """The OpenAPI request body of a form a route reads itself (`openapi_extra`), so the
    schema, and schemathesis fuzzing it, know the fields."""
    schema = {"type": "object", "properties": {f: {"type": "string"} for f in ("csrf", *fields)},
              "additionalProperties": {"type": "string"}}
    return {"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": schema}}}}


def json_body(schema: dict) -> dict:
    """The OpenAPI request body of JSON a route reads itself (`openapi_extra`)."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


MEMBER_JSON = json_body({"type": "object", "required": ["role", "name"],
                         "properties": {"role": {"type": "string"}, "name": {"type": "string"}}})
SHARING_JSON = json_body({"type": "array", "items": {"type": "string"}})
DISCLOSURE_JSON = json_body({"type": "object", "required": ["disclosure"],
                             "properties": {"disclosure": {"type": "string"}}})
