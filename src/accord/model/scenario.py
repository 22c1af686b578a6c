"""The scenario: an issue space, parties, hard constraints and drafts."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from accord.errors import Problem, ScenarioError
from accord.model._base import DATE_PATTERN, ID_PATTERN, Identifier, PartialDate, Record
from accord.model.constraint import Constraint
from accord.model.evidence import Evidence
from accord.model.issue import Issue
from accord.model.party import OptionRef, Party
from accord.model.plan import Draft
from accord.model.rule import CAPABILITY, MEMBERS, IssueRule, Rule


class Scenario(Record):
    """Everything accord knows about one negotiation."""

    accord: Literal[1] = 1
    """Format version."""
    id: Identifier
    title: str = Field(min_length=1)
    description: str | None = None
    as_of: PartialDate | None = None
    sources: tuple[Evidence, ...] = ()
    issues: tuple[Issue, ...] = Field(min_length=1)
    parties: tuple[Party, ...] = Field(min_length=1)
    constraints: tuple[Constraint, ...] = ()
    drafts: tuple[Draft, ...] = ()
    rule: Rule | None = None
    """Who must agree (docs/scenario-format.md); None: every party (unanimity)."""

    @classmethod
    def build(cls, data: Any) -> Scenario:
        """Validate plain data into a Scenario; ScenarioError lists every problem."""
        try:
            scenario = cls.model_validate(data)
        except ValidationError as error:
            raise ScenarioError([_problem_from_pydantic(e, data) for e in error.errors()
                                 if not _items_failed(e)]) from None
        problems = list(reference_problems(scenario))
        if problems:
            raise ScenarioError(problems)
        return scenario

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id (KeyError when absent)."""
        return self._issue_map()[issue_id]

    def party(self, party_id: str) -> Party:
        """The party with this id (KeyError when absent)."""
        for party in self.parties:
            if party.id == party_id:
                return party
        raise KeyError(party_id)

    def draft(self, draft_id: str) -> Draft:
        """The draft with this id (KeyError when absent)."""
        for draft in self.drafts:
            if draft.id == draft_id:
                return draft
        raise KeyError(draft_id)

    def _issue_map(self) -> dict[str, Issue]:
        return {issue.id: issue for issue in self.issues}


_EXPECTED = {
    "dict_type": "expected a mapping ('key: value' lines)",
    "model_type": "expected a mapping ('field: value' lines)",
    "tuple_type": "expected a list ('- item' lines)",
    "list_type": "expected a list ('- item' lines)",
}
_PATTERNS = {
    ID_PATTERN: "expected an id: letters, digits, '-', '_' and '.', starting with a letter or "
                "digit (no spaces, no '/')",
    DATE_PATTERN: "expected a date as YYYY, YYYY-MM or YYYY-MM-DD",
}


def _items_failed(error: Any) -> bool:
    """A 'too short' error on a list whose items were given but failed (already reported)."""
    return error["type"] == "too_short" and bool(error.get("input"))


def _problem_from_pydantic(error: Any, data: Any = None) -> Problem:
    path = data_path(error["loc"], data, error["type"] == "missing")
    message = _EXPECTED.get(error["type"], error["msg"])
    if error["type"] == "string_pattern_mismatch":
        message = _PATTERNS.get(error.get("ctx", {}).get("pattern"), message)
    if error["type"] == "extra_forbidden":
        message = _unknown_field(path)
    elif error["type"] == "missing":
        message = "required field is missing"
    elif error["type"] == "too_short" and not error.get("input"):
        message = f"is empty; expected at least {error['ctx']['min_length']} entry"
    elif error["type"] == "value_error":
        message = message.removeprefix("Value error, ")
    got = _short(error.get("input"))
    if error["type"] not in ("missing", "extra_forbidden", "too_short", "value_error") and got:
        message += f" (got {got})"
    return Problem(path, message)


def data_path(loc: tuple, data: Any, missing: bool) -> tuple[str | int, ...]:
    """The part of pydantic's `loc` that names keys and items of the data (shared by every
    loader that maps validation errors to lines).

    Drops what pydantic adds for unions and validators (`int`, `constrained-str`,
    `function-after[...]`); keeps the last part of a missing field.
    """
    path: list[str | int] = []
    current = data
    for k, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif data is None and not str(part).startswith("function-"):
            pass  # no data to check against: keep what looks like a key
        elif not (missing and k == len(loc) - 1):
            continue
        path.append(part)
    return tuple(path)


def _unknown_field(path: tuple[str | int, ...]) -> str:
    """Message for an unknown field, listing the fields allowed there."""
    model = _model_at(path[:-1])
    if model is None:
        return "unknown field (check its spelling; see docs/scenario-format.md)"
    fields = list(model.model_fields)
    name = str(path[-1])
    close = difflib.get_close_matches(name, fields, n=1) or [
        field for field in fields if field.startswith(name) or name.startswith(field)][:1]
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown field; {hint}expected one of {', '.join(fields)}"


def _model_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that validates the value at `path`, if one does."""
    kind: Any = Scenario
    for part in path:
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            field = kind.model_fields.get(str(part))
            if field is None:
                return None
            kind = field.annotation
        else:
            kind = _inner(kind)
            if kind is None:
                return None
    kind = _inner(kind) if not isinstance(kind, type) else kind
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def _inner(kind: Any) -> Any:
    """Item type of a tuple or value type of a dict (through `X | None`)."""
    origin = typing.get_origin(kind)
    args = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return args[0] if len(args) == 1 else None
    if origin is tuple and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return "a yes/no value; quote it if it is meant as text"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _duplicates(ids: Iterable[str]) -> set[str]:
    return {key for key, count in Counter(ids).items() if count > 1}


def reference_problems(scenario: Scenario) -> Iterable[Problem]:
    """Cross-reference checks pydantic cannot do field by field."""
    yield from _duplicate_id_problems(scenario)
    issues = scenario._issue_map()
    for i, issue in enumerate(scenario.issues):
        yield from _issue_problems(i, issue)
    for p, party in enumerate(scenario.parties):
        yield from _party_problems(p, party, issues)
    for c, constraint in enumerate(scenario.constraints):
        for key in ("option", constraint_kind(constraint)):
            yield from _ref_problems(("constraints", c, key), getattr(constraint, key), issues)
    for d, draft in enumerate(scenario.drafts):
        yield from _draft_problems(d, draft, issues)
    if scenario.rule is not None:
        yield from _rule_problems(("rule",), scenario.rule, scenario)
        for issue_id, rule in scenario.rule.issues.items():
            where = ("rule", "issues", issue_id)
            if issue_id not in issues:
                yield Problem(where, f"unknown issue {issue_id!r}; expected one of "
                              f"{_listing(issues)}")
            yield from _rule_problems(where, rule, scenario)


def _rule_problems(where: tuple, rule: IssueRule, scenario: Scenario) -> Iterable[Problem]:
    """A rule names real parties and weights, and some coalition can meet it."""
    party_ids = [party.id for party in scenario.parties]
    if rule.at_least is not None and rule.at_least > len(party_ids):
        yield Problem(where + ("at_least",), f"{rule.at_least} parties must agree but the "
                      f"scenario has {len(party_ids)}; no deal could pass")
    for k, party_id in enumerate(rule.required):
        if party_id not in party_ids:
            yield Problem(where + ("required", k), f"unknown party {party_id!r}; expected one "
                          f"of {', '.join(party_ids[:8])}{', …' if len(party_ids) > 8 else ''}")
    for k, threshold in enumerate(rule.thresholds):
        at = where + ("thresholds", k)
        if threshold.weight not in (MEMBERS, CAPABILITY):
            missing = [party.id for party in scenario.parties
                       if threshold.weight not in party.weights]
            if missing:
                yield Problem(at + ("weight",), f"weight {threshold.weight!r} is not given for "
                              f"{', '.join(missing[:8])}; expected `{MEMBERS}`, "
                              f"`{CAPABILITY}` or a name in every party's `weights`")
                continue
        total = sum(weight_of(party, threshold.weight) for party in scenario.parties)
        if threshold.at_least is not None and threshold.at_least > total:
            yield Problem(at + ("at_least",), f"{threshold.at_least:g} of "
                          f"{threshold.weight!r} is more than all parties hold together "
                          f"({total:g}); no deal could pass")
        if threshold.share is not None and total <= 0:
            yield Problem(at + ("weight",), f"the parties' {threshold.weight!r} adds up to 0; "
                          "a share of it means nothing")


def weight_of(party: Party, weight: str) -> float:
    """A party's amount of a named rule weight (`members`: 1; `capability`; or `weights`)."""
    if weight == MEMBERS:
        return 1.0
    if weight == CAPABILITY:
        return float(party.capability)
    return float(party.weights[weight])


def constraint_kind(constraint: Constraint) -> str:
    """'requires' or 'excludes'."""
    return "requires" if constraint.requires is not None else "excludes"


def _duplicate_id_problems(scenario: Scenario) -> Iterable[Problem]:
    for key, items in (("issues", scenario.issues), ("parties", scenario.parties),
                       ("drafts", scenario.drafts)):
        dupes = _duplicates(item.id for item in items)
        for index, item in enumerate(items):
            if item.id in dupes:
                yield Problem((key, index, "id"), f"duplicate id {item.id!r}; ids must be unique")


def _issue_problems(i: int, issue: Issue) -> Iterable[Problem]:
    dupes = _duplicates(issue.option_ids())
    for o, option in enumerate(issue.options):
        if option.id in dupes:
            yield Problem(("issues", i, "options", o, "id"),
                          f"duplicate option id {option.id!r} in issue {issue.id!r}")
    if issue.default_if_silent is not None and issue.default_if_silent not in issue.option_ids():
        yield Problem(("issues", i, "default_if_silent"),
                      f"unknown option {issue.default_if_silent!r}; expected one of "
                      f"{', '.join(issue.option_ids())}")


def _party_problems(p: int, party: Party, issues: dict[str, Issue]) -> Iterable[Problem]:
    for issue_id, pref in party.preferences.items():
        where = ("parties", p, "preferences", issue_id)
        if issue_id not in issues:
            yield Problem(where, f"unknown issue {issue_id!r}; expected one of "
                          f"{_listing(issues)}")
            continue
        options = issues[issue_id].option_ids()
        known = set(options)  # a set: checking each valuation stays linear in the options
        for option_id in pref.valuations:
            if option_id not in known:
                yield Problem(where + ("valuations", option_id),
                              f"unknown option {option_id!r}; expected one of {', '.join(options)}")
        for option_id in options:
            if option_id not in pref.valuations:
                yield Problem(where + ("valuations",),
                              f"no valuation for option {option_id!r}; every option needs a value in [0, 1]")
        for k, option_id in enumerate(pref.red_lines):
            if option_id not in known:
                yield Problem(where + ("red_lines", k),
                              f"red line names unknown option {option_id!r}; expected one of "
                              f"{', '.join(options)}")
        if known <= set(pref.red_lines):
            yield Problem(where + ("red_lines",),
                          "every option is a red line: the party would veto any settlement of this "
                          "issue (leave at least one option open)")
    for issue_id in party.positions:
        if issue_id not in issues:
            yield Problem(("parties", p, "positions", issue_id),
                          f"unknown issue {issue_id!r}; expected one of {_listing(issues)}")
    for k, interaction in enumerate(party.interactions):
        for key in ("a", "b"):
            yield from _ref_problems(("parties", p, "interactions", k, key),
                                     getattr(interaction, key), issues)
    for k, term in enumerate(party.terms):
        for issue_id, option_ids in term.when.items():
            where = ("parties", p, "terms", k, "when", issue_id)
            if issue_id not in issues:
                yield Problem(where, f"unknown issue {issue_id!r}; expected one of "
                              f"{_listing(issues)}")
                continue
            known = issues[issue_id].option_ids()
            for o, option_id in enumerate(option_ids):
                if option_id not in known:
                    yield Problem(where + (o,), f"unknown option {option_id!r}; expected one "
                                  f"of {', '.join(known)}")
            for option_id in _duplicates(list(option_ids)):
                yield Problem(where, f"option {option_id!r} is listed twice")


def _ref_problems(where: tuple, text: str, issues: dict[str, Issue]) -> Iterable[Problem]:
    try:
        ref = OptionRef.parse(text)
    except (ValueError, ValidationError):
        yield Problem(where, f"expected 'issue-id/option-id', got {text!r}")
        return
    if ref.issue not in issues:
        yield Problem(where, f"unknown issue {ref.issue!r}; expected one of {_listing(issues)}")
    elif ref.option not in issues[ref.issue].option_ids():
        yield Problem(where, f"unknown option {ref.option!r} of issue {ref.issue!r}; expected one "
                      f"of {', '.join(issues[ref.issue].option_ids())}")


def _draft_problems(d: int, draft: Draft, issues: dict[str, Issue]) -> Iterable[Problem]:
    for issue_id, option_id in draft.options.items():
        where = ("drafts", d, "options", issue_id)
        if issue_id not in issues:
            yield Problem(where, f"unknown issue {issue_id!r}; expected one of {_listing(issues)}")
        elif option_id is not None and option_id not in issues[issue_id].option_ids():
            yield Problem(where, f"unknown option {option_id!r}; expected one of "
                          f"{', '.join(issues[issue_id].option_ids())} (or null when silent)")


def _listing(issues: dict[str, Issue], limit: int = 8) -> str:
    names = list(issues)
    return ", ".join(names[:limit]) + (", …" if len(names) > limit else "")
