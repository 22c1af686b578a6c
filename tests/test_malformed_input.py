"""Malformed scenario input: every mistake is a ScenarioError naming file, line and field.

Targeted cases check the exact line, field path and wording of the message; hypothesis
property tests mutate valid files (bytes, lines, values, types, fields) and require that
loading either succeeds or raises ScenarioError whose problems are all located and
explained: never another exception, never a traceback.
"""

from __future__ import annotations

import re
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accord.errors import Problem, ScenarioError, format_path
from accord.io import load_scenario, loads_scenario
from accord.model import Scenario

SOURCE = "mini.yaml"

SMALL = """\
# A small valid scenario for the malformed-input tests.
accord: 1
id: mini
title: A small test negotiation
issues:
- id: border
  title: Where the border runs
  topic: territory
  options:
  - id: line
    label: Current line of contact
    position: 20
  - id: pre-war
    label: Pre-war border
    position: 100
- id: army
  title: Size of the army
  options:
  - id: small
    label: Small army
  - id: large
    label: Large army
  default_if_silent: large
- id: assets
  title: Frozen assets
  options:
  - id: keep
    label: Keep them frozen
  - id: release
    label: Release them
parties:
- id: north
  name: North
  capability: 2
  reservation: 0.1
  preferences:
    border:
      salience: 3
      valuations: {line: 1.0, pre-war: 0.0}
      red_lines: [pre-war]
      evidence:
      - outlet: Daily Planet
        date: 2025-11
        certainty: reported
    army:
      salience: 1
      valuations: {small: 1.0, large: 0.2}
  interactions:
  - a: border/line
    b: army/small
    value: 0.5
- id: south
  name: South
  preferences:
    border:
      salience: 2
      valuations: {line: 0.0, pre-war: 1.0}
    assets:
      salience: 1.5
      valuations: {keep: 1.0, release: 0.0}
constraints:
- option: border/pre-war
  requires: army/large
drafts:
- id: plan-a
  title: Plan A
  date: 2025-11-20
  options:
    border: line
    army: small
    assets: null
"""

UKRAINE = (resources.files("accord.data") / "scenarios" / "ukraine-2025.yaml").read_bytes()

NASTY = [
    "", "~", "null", "-1", "-0.5", "1.5", "1e400", "1.0e+400", "-.inf", ".inf", ".nan", "yes",
    "no", "[]", "{}", "[1, [2, [3]]]", "{a: {b: c}}", "'quoted'", '"\\x00"', "9" * 400,
    "0x" + "f" * 300, "2020-13-45", "2020-02-30", "12:30:45", "!!binary aGk=", "!!bool maybe",
    "!!timestamp soon", "!!int x", "!foo bar", "!!python/object:os.system x", "*nowhere",
    "&anchor x", "a/b", "/", "a//b", "border/", "/line", "border/line/x", "- x", "? x", "<<: {}",
    "|", ">", "[unclosed", "{unclosed", "'unclosed", '"unclosed', "a: b: c", "@", "`", "%x", "#",
]
"""Replacement values for the random value substitutions."""


# ---------------------------------------------------------------------------- helpers


def problems_of(raw: bytes | str, source: str = SOURCE) -> list[Problem]:
    """The problems of an invalid scenario (fails when it loads or raises something else)."""
    with pytest.raises(ScenarioError) as info:
        loads_scenario(raw, source)
    error = info.value
    assert error.exit_code == 2
    assert error.problems
    assert str(error).startswith("invalid scenario:")
    for problem in error.problems:
        assert problem.file == source
        assert problem.message.strip()
    return error.problems


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth occurrence of `needle`."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return editor_line(text, index)


def editor_line(text: str, index: int) -> int:
    """Line of a character as an editor shows it: breaks are \\n, \\r\\n and a lone \\r."""
    return len(re.split(r"\r\n|\r|\n", text[:index]))


def n_lines(raw: bytes | str) -> int:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return len(re.split(r"\r\n|\r|\n", text))


def edit(old: str, new: str, text: str = SMALL) -> str:
    """`text` with its single occurrence of `old` replaced."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def expect(text: str | bytes, path: str, line: int | None, *words: str) -> Problem:
    """Loading fails with a problem at `path` on `line` whose message has every word."""
    problems = problems_of(text)
    rendered = [p.located() for p in problems]
    matching = [p for p in problems if format_path(p.path) == path]
    assert matching, f"no problem at {path!r}: {rendered}"
    problem = next((p for p in matching if p.line == line), matching[0])
    assert problem.line == line, rendered
    for word in words:
        assert word in problem.message, rendered
    head = f"{SOURCE}:{line}: " if line else f"{SOURCE}: "
    assert problem.located() == head + (f"{path}: " if path else "") + problem.message
    return problem


def outcome(raw: bytes | str, source: str = SOURCE) -> Scenario | list[Problem]:
    """Load `raw`: a Scenario, or the problems of a well-formed ScenarioError."""
    try:
        return loads_scenario(raw, source)
    except ScenarioError as error:
        assert error.exit_code == 2
        assert error.problems, "a ScenarioError without problems"
        last = n_lines(raw)
        for problem in error.problems:
            assert isinstance(problem.message, str) and problem.message.strip(), problem
            assert problem.file == source, problem
            assert problem.line is not None and 1 <= problem.line <= last, problem
        assert str(error)
        return error.problems


def node_line(text: str, root: yaml.Node, path: tuple[str | int, ...]) -> int:
    """Line the loader should report for `path`, found independently from PyYAML's nodes.

    The deepest existing prefix of the path counts: a mapping entry is located at its
    key, a list item at its start, a scalar that cannot be read at the scalar.
    """
    node = root
    line = editor_line(text, node.start_mark.index)
    for part in path:
        if isinstance(node, yaml.MappingNode):
            entry = next(((k, v) for k, v in node.value
                          if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
            if entry is None:
                break
            line, node = editor_line(text, entry[0].start_mark.index), entry[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and 0 <= part < len(node.value):
            node = node.value[part]
            line = editor_line(text, node.start_mark.index)
        else:
            break
    return line


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path below the root of plain data."""
    found = []
    items = data.items() if isinstance(data, dict) else (
        enumerate(data) if isinstance(data, list) else ())
    for key, value in items:
        found.append(prefix + (key,))
        found.extend(_paths(value, prefix + (key,)))
    return found


def _set(data: Any, path: tuple, value: Any) -> Any:
    """A copy of `data` with the value at `path` replaced."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {k: (_set(v, rest, value) if k == head else v) for k, v in data.items()}
    return [(_set(v, rest, value) if i == head else v) for i, v in enumerate(data)]


def _remove(data: Any, path: tuple) -> Any:
    """A copy of `data` without the entry at `path`."""
    head, rest = path[0], path[1:]
    if not rest:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k != head}
        return [v for i, v in enumerate(data) if i != head]
    if isinstance(data, dict):
        return {k: (_remove(v, rest) if k == head else v) for k, v in data.items()}
    return [(_remove(v, rest) if i == head else v) for i, v in enumerate(data)]


def dump(data: Any) -> str:
    """Plain data as YAML text (with libyaml when available: much faster)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


SMALL_DATA = yaml.safe_load(SMALL)
SMALL_PATHS = _paths(SMALL_DATA)
SMALL_LINES = SMALL.splitlines(keepends=True)


def test_the_small_scenario_is_valid() -> None:
    scenario = loads_scenario(SMALL, SOURCE)
    assert [i.id for i in scenario.issues] == ["border", "army", "assets"]
    assert len(scenario.parties) == 2 and len(scenario.drafts) == 1
    assert len(scenario.constraints) == 1 and len(scenario.parties[0].interactions) == 1
    assert isinstance(outcome(dump(SMALL_DATA)), Scenario)


# ---------------------------------------------------------------------------- references


def test_unknown_option_in_a_draft() -> None:
    text = edit("    army: small\n", "    army: tiny\n")
    expect(text, "drafts[0].options.army", line_of(text, "army: tiny"),
           "unknown option 'tiny'", "expected one of small, large")


def test_unknown_issue_in_a_draft() -> None:
    text = edit("    assets: null\n", "    asets: null\n")
    expect(text, "drafts[0].options.asets", line_of(text, "asets: null"),
           "unknown issue 'asets'", "border, army, assets")


def test_red_line_naming_an_option_that_does_not_exist() -> None:
    text = edit("red_lines: [pre-war]", "red_lines: [prewar]")
    expect(text, "parties[0].preferences.border.red_lines[0]", line_of(text, "red_lines"),
           "red line names unknown option 'prewar'", "expected one of line, pre-war")


def test_red_line_on_every_option() -> None:
    text = edit("red_lines: [pre-war]", "red_lines: [pre-war, line]")
    expect(text, "parties[0].preferences.border.red_lines", line_of(text, "red_lines"),
           "every option is a red line")


def test_preference_for_an_unknown_issue() -> None:
    text = edit("    assets:\n      salience: 1.5", "    asset:\n      salience: 1.5")
    expect(text, "parties[1].preferences.asset", line_of(text, "asset:"),
           "unknown issue 'asset'", "border, army, assets")


def test_valuation_of_an_unknown_option() -> None:
    text = edit("{small: 1.0, large: 0.2}", "{small: 1.0, large: 0.2, huge: 0.5}")
    expect(text, "parties[0].preferences.army.valuations.huge", line_of(text, "huge: 0.5"),
           "unknown option 'huge'", "expected one of small, large")


def test_missing_valuation_for_an_option() -> None:
    text = edit("{small: 1.0, large: 0.2}", "{small: 1.0}")
    expect(text, "parties[0].preferences.army.valuations", line_of(text, "{small: 1.0}"),
           "no valuation for option 'large'", "[0, 1]")


def test_default_if_silent_naming_an_unknown_option() -> None:
    text = edit("default_if_silent: large", "default_if_silent: huge")
    expect(text, "issues[1].default_if_silent", line_of(text, "default_if_silent"),
           "unknown option 'huge'", "small, large")


BAD_REFS = [
    ("borderpre-war", "expected 'issue-id/option-id', got 'borderpre-war'"),
    ("/line", "expected 'issue-id/option-id'"),
    ("border/", "expected 'issue-id/option-id'"),
    ("border/line/x", "expected 'issue-id/option-id'"),
    ("bord/line", "unknown issue 'bord'; expected one of border, army, assets"),
    ("border/lines", "unknown option 'lines' of issue 'border'; expected one of line, pre-war"),
    ("5", "expected 'issue-id/option-id', got '5'"),
    ("'border line'", "expected 'issue-id/option-id', got 'border line'"),
]


@pytest.mark.parametrize("where", [
    ("option: border/pre-war", "option: {}", "constraints[0].option"),
    ("requires: army/large", "requires: {}", "constraints[0].requires"),
    ("a: border/line", "a: {}", "parties[0].interactions[0].a"),
    ("b: army/small", "b: {}", "parties[0].interactions[0].b"),
])
@pytest.mark.parametrize("ref, message", BAD_REFS)
def test_bad_constraint_and_interaction_references(where: tuple, ref: str, message: str) -> None:
    old, new, path = where
    text = edit(old, new.format(ref))
    expect(text, path, line_of(text, new.format(ref)), message)


@pytest.mark.parametrize("ref", ["[border, line]", "{border: line}", "null"])
def test_reference_of_the_wrong_type(ref: str) -> None:
    text = edit("b: army/small", f"b: {ref}")
    expect(text, "parties[0].interactions[0].b", line_of(text, f"b: {ref}"))


@pytest.mark.parametrize("change", [
    "  requires: army/large\n  excludes: army/small\n", "  note: neither\n"])
def test_constraint_needs_exactly_one_of_requires_or_excludes(change: str) -> None:
    text = edit("  requires: army/large\n", change)
    expect(text, "constraints[0]", line_of(text, "- option: border/pre-war"),
           "exactly one of 'requires' or 'excludes'")


# ---------------------------------------------------------------------------- duplicates


def test_duplicate_issue_ids() -> None:
    text = edit("- id: assets", "- id: army")
    expect(text, "issues[1].id", line_of(text, "- id: army"), "duplicate id 'army'")
    expect(text, "issues[2].id", line_of(text, "- id: army", 2), "duplicate id 'army'")


def test_duplicate_option_ids() -> None:
    text = edit("  - id: release", "  - id: keep")
    expect(text, "issues[2].options[1].id", line_of(text, "- id: keep", 2),
           "duplicate option id 'keep' in issue 'assets'")


def test_duplicate_party_ids() -> None:
    text = edit("- id: south", "- id: north")
    expect(text, "parties[1].id", line_of(text, "- id: north", 2), "duplicate id 'north'")


def test_duplicate_draft_ids() -> None:
    text = SMALL + "- id: plan-a\n"
    expect(text, "drafts[1].id", line_of(text, "- id: plan-a", 2), "duplicate id 'plan-a'")


def test_duplicated_yaml_key() -> None:
    text = edit("      salience: 3\n", "      salience: 3\n      salience: 4\n")
    expect(text, "parties[0].preferences.border.salience", line_of(text, "salience: 4"),
           "duplicate field 'salience'", f"first given on line {line_of(text, 'salience: 3')}")


def test_duplicated_key_in_a_flow_mapping() -> None:
    text = edit("{small: 1.0, large: 0.2}", "{small: 1.0, large: 0.2, small: 0.5}")
    expect(text, "parties[0].preferences.army.valuations.small", line_of(text, "small: 0.5"),
           "duplicate field 'small'")


def test_duplicated_top_level_section() -> None:
    text = SMALL + "issues: []\n"
    expect(text, "issues", line_of(text, "issues: []"), "duplicate field 'issues'",
           f"first given on line {line_of(text, 'issues:')}")


# ---------------------------------------------------------------------------- values


def test_negative_salience() -> None:
    text = edit("salience: 3", "salience: -3")
    expect(text, "parties[0].preferences.border.salience", line_of(text, "salience: -3"),
           "greater than or equal to 0", "-3")


@pytest.mark.parametrize("value, words", [
    ("1.5", ("less than or equal to 1", "1.5")),
    ("-0.1", ("greater than or equal to 0", "-0.1")),
    ("high", ("valid number", "'high'")),
    (".nan", ("finite number",)),
])
def test_valuation_out_of_range_or_not_a_number(value: str, words: tuple[str, ...]) -> None:
    text = edit("{line: 1.0, pre-war: 0.0}", f"{{line: {value}, pre-war: 0.0}}")
    expect(text, "parties[0].preferences.border.valuations.line",
           line_of(text, f"{{line: {value}"), *words)


def test_empty_option_set() -> None:
    text = edit("""\
  options:
  - id: keep
    label: Keep them frozen
  - id: release
    label: Release them
""", "  options: []\n")
    expect(text, "issues[2].options", line_of(text, "options: []"), "empty", "at least 1")


@pytest.mark.parametrize("section", ["issues", "parties"])
def test_empty_issue_or_party_list(section: str) -> None:
    data = dict(SMALL_DATA, **{section: []})
    text = dump(data)
    expect(text, section, line_of(text, f"{section}: []"), "empty", "at least 1")


def test_position_outside_the_line() -> None:
    text = edit("position: 100", "position: 101")
    expect(text, "issues[0].options[1].position", line_of(text, "position: 101"),
           "less than or equal to 100")


@pytest.mark.parametrize("value, words", [
    ("2025-13", ("expected a date as YYYY, YYYY-MM or YYYY-MM-DD", "'2025-13'")),
    ("25-11", ("expected a date as YYYY, YYYY-MM or YYYY-MM-DD",)),
    ("November 2025", ("expected a date as YYYY, YYYY-MM or YYYY-MM-DD",)),
    ("2025-11-31", ("no such day '2025-11-31'", "expected a date as YYYY-MM-DD")),
    ("2025-02-29", ("no such day", "day is out of range")),
])
def test_bad_dates(value: str, words: tuple[str, ...]) -> None:
    text = edit("date: 2025-11-20", f"date: '{value}'")
    expect(text, "drafts[0].date", line_of(text, f"date: '{value}'"), *words)


def test_impossible_unquoted_date() -> None:
    text = edit("date: 2025-11-20", "date: 2025-02-30")
    expect(text, "drafts[0].date", line_of(text, "date: 2025-02-30"),
           "cannot read '2025-02-30'", "day is out of range", "expected a date")


@pytest.mark.parametrize("value, words", [
    ("has space", ("expected an id", "'has space'")),
    ("-leading", ("expected an id",)),
    ("a/b", ("expected an id", "no '/'")),
    ("ü-nicode", ("expected an id",)),
    ("'  '", ("at least 1 character",)),
    ("x" * 201, ("at most 200 characters",)),
])
def test_bad_ids(value: str, words: tuple[str, ...]) -> None:
    text = edit("- id: assets", f"- id: {value}")
    expect(text, "issues[2].id", line_of(text, f"- id: {value}"), *words)

def test_unknown_certainty() -> None:
    text = edit("certainty: reported", "certainty: rumoured")
    expect(text, "parties[0].preferences.border.evidence[0].certainty",
           line_of(text, "certainty: rumoured"), "'official'", "'estimate'", "'rumoured'")


# ---------------------------------------------------------------------------- fields


@pytest.mark.parametrize("old, new, path, parent", [
    ("title: A small test negotiation\n", "", "title", "accord: 1"),
    ("  name: South\n", "", "parties[1].name", "- id: south"),
    ("      salience: 3\n", "", "parties[0].preferences.border.salience", "    border:"),
    ("      valuations: {small: 1.0, large: 0.2}\n", "", "parties[0].preferences.army.valuations",
     "    army:\n"),
    ("    label: Small army\n", "", "issues[1].options[0].label", "  - id: small"),
    ("  title: Frozen assets\n", "", "issues[2].title", "- id: assets"),
    ("    value: 0.5\n", "", "parties[0].interactions[0].value", "  - a: border/line"),
    ("- option: border/pre-war\n  requires", "- requires", "constraints[0].option",
     "- requires"),
    ("      - outlet: Daily Planet\n        date", "      - date",
     "parties[0].preferences.border.evidence[0].outlet", "      - date"),
    ("- id: plan-a\n  title", "- title", "drafts[0].id", "- title: Plan A"),
])
def test_missing_required_field(old: str, new: str, path: str, parent: str) -> None:
    text = edit(old, new)
    expect(text, path, line_of(text, parent), "required field is missing")


def test_missing_options_and_sections() -> None:
    text = edit("""\
  options:
  - id: keep
    label: Keep them frozen
  - id: release
    label: Release them
""", "")
    expect(text, "issues[2].options", line_of(text, "- id: assets"), "required field is missing")
    for section in ("issues", "parties"):
        data = {k: v for k, v in SMALL_DATA.items() if k != section}
        problems = problems_of(dump(data))
        assert any(format_path(p.path) == section and p.line == 1
                   and p.message == "required field is missing" for p in problems)


@pytest.mark.parametrize("old, new, path, hint", [
    ("salience: 3", "salince: 3", "parties[0].preferences.border.salince", "'salience'"),
    ("title: A small test negotiation", "titel: A small test negotiation", "titel", "'title'"),
    ("  default_if_silent: large", "  default: large", "issues[1].default", "'default_if_silent'"),
    ("  capability: 2", "  capabilty: 2", "parties[0].capabilty", "'capability'"),
    ("    value: 0.5", "    valeu: 0.5", "parties[0].interactions[0].valeu", "'value'"),
    ("  requires: army/large", "  require: army/large", "constraints[0].require", "'requires'"),
    ("  date: 2025-11-20", "  dated: 2025-11-20", "drafts[0].dated", "'date'"),
])
def test_unknown_field_suggests_the_right_one(old: str, new: str, path: str, hint: str) -> None:
    text = edit(old, new)
    problem = expect(text, path, line_of(text, new.strip()), "unknown field",
                     f"did you mean {hint}?", "expected one of")
    assert hint.strip("'") in problem.message.split("expected one of")[1]


# ---------------------------------------------------------------------------- types


@pytest.mark.parametrize("old, new, path, words", [
    ("salience: 3", "salience: lots", "parties[0].preferences.border.salience",
     ("valid number", "'lots'")),
    ("salience: 3", "salience: yes", "parties[0].preferences.border.salience",
     ("expected a number, got true/false",)),
    ("salience: 3", "salience: [3]", "parties[0].preferences.border.salience",
     ("valid number", "a list")),
    ("valuations: {line: 1.0, pre-war: 0.0}", "valuations: [1.0, 0.0]",
     "parties[0].preferences.border.valuations", ("expected a mapping", "a list")),
    ("red_lines: [pre-war]", "red_lines: {pre-war: 1}",
     "parties[0].preferences.border.red_lines", ("expected a list", "a mapping")),
    ("  capability: 2", "  capability: '2x'", "parties[0].capability", ("valid number",)),
    ("  reservation: 0.1", "  reservation: 2025-01-01", "parties[0].reservation",
     ("the date 2025-01-01",)),
    ("  name: South", "  name: no", "parties[1].name", ("valid string", "yes/no value")),
    ("  name: South", "  name: [South]", "parties[1].name", ("valid string", "a list")),
    ("- id: assets", "- id: 2020-01-01", "issues[2].id", ("the date 2020-01-01",)),
    ("- id: assets", "- id: null", "issues[2].id", ("valid string",)),
    ("    army: small", "    army: [small]", "drafts[0].options.army", ("valid string",)),
    ("  title: Plan A", "  title: {en: Plan A}", "drafts[0].title", ("valid string",)),
    ("  - id: release\n    label: Release them", "  - release", "issues[2].options[1]",
     ("expected a mapping",)),
    ("    position: 20", "    position: twenty", "issues[0].options[0].position",
     ("valid number",)),
    ("    position: 20", "    position: true", "issues[0].options[0].position",
     ("expected a number, got true/false",)),
])
def test_wrong_types(old: str, new: str, path: str, words: tuple[str, ...]) -> None:
    text = edit(old, new)
    expect(text, path, line_of(text, new.strip().splitlines()[0]), *words)


@pytest.mark.parametrize("section, value", [
    ("issues", "{border: 1}"), ("parties", "north"), ("drafts", "{plan-a: x}"),
    ("constraints", "border/pre-war"), ("sources", "7"),
])
def test_section_of_the_wrong_type(section: str, value: str) -> None:
    text = dump({k: v for k, v in SMALL_DATA.items() if k != section}) + f"{section}: {value}\n"
    expect(text, section, line_of(text, f"{section}: {value}"), "expected a list")


# ---------------------------------------------------------------------------- huge numbers


@pytest.mark.parametrize("value, words", [
    ("1e400", ("finite number", "'1e400'")),
    ("1.0e+400", ("finite number", "inf")),
    ("-1.0e+400", ("finite number", "-inf")),
    (".inf", ("finite number", "inf")),
    ("-.inf", ("finite number", "-inf")),
    (".nan", ("finite number", "nan")),
    (".NaN", ("finite number", "nan")),
    ("1" + "0" * 400, ("number too large", "1e308")),
    ("-" + "9" * 5000, ("number too large",)),
    ("0x" + "f" * 20000, ("number too large",)),
    ("0b" + "1" * 1500, ("number too large",)),
    ("1" + "0" * 300, ("less than or equal to",)),
    ("1e10", ("less than or equal to",)),
])
@pytest.mark.parametrize("old, path", [
    ("salience: 3", "parties[0].preferences.border.salience"),
    ("  reservation: 0.1", "parties[0].reservation"),
    ("    position: 20", "issues[0].options[0].position"),
    ("{line: 1.0,", "parties[0].preferences.border.valuations.line"),
])
def test_huge_numbers(value: str, words: tuple[str, ...], old: str, path: str) -> None:
    key = old.split(":")[0]
    new = f"{key}: {value}" + ("," if old.endswith(",") else "")
    text = edit(old, new)
    expect(text, path, line_of(text, new[:20]), *words)


def test_huge_integer_where_text_is_expected() -> None:
    text = edit("  name: South", "  name: " + "7" * 3000)
    expect(text, "parties[1].name", line_of(text, "name: 777"), "number too large",
           "quote it")
    text = edit("  name: South", "  name: '" + "7" * 3000 + "'")
    assert loads_scenario(text, SOURCE).party("south").name == "7" * 3000


# ---------------------------------------------------------------------------- encoding


def test_non_utf8_bytes_report_the_line() -> None:
    raw = edit("  name: South", "  name: S\xfcd").encode("latin-1")
    expect(raw, "", line_of(SMALL, "  name: South"), "not UTF-8", "0xfc", "save the file as UTF-8")


@pytest.mark.parametrize("junk", [b"\xff", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xf8\x88\x80"])
def test_invalid_utf8_sequences(junk: bytes) -> None:
    raw = SMALL.encode().replace(b"Plan A", b"Plan " + junk)
    expect(raw, "", line_of(SMALL, "Plan A"), "not UTF-8")


def test_utf16_file() -> None:
    expect(SMALL.encode("utf-16"), "", 1, "not UTF-8")


def test_utf8_bom_is_accepted() -> None:
    assert loads_scenario(b"\xef\xbb\xbf" + SMALL.encode(), SOURCE).id == "mini"


@pytest.mark.parametrize("as_bytes", [True, False])
def test_nul_byte(as_bytes: bool) -> None:
    text = edit("  name: South", "  name: So\x00uth")
    expect(text.encode() if as_bytes else text, "", line_of(text, "So\x00uth"), "NUL"
           if as_bytes else "#x0000")


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x7f", "\ufffe", "\ud800"])
def test_control_characters(char: str) -> None:
    text = edit("  title: Plan A", f"  title: Plan{char}A")
    expect(text, "", line_of(text, "title: Plan"), "not allowed")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends(newline: str) -> None:
    text = edit("    army: small\n", "    army: tiny\n").replace("\n", newline)
    expect(text, "drafts[0].options.army", line_of(SMALL, "    army: small"), "unknown option")
    expect(text.encode(), "drafts[0].options.army", line_of(SMALL, "    army: small"))


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_separators_do_not_shift_lines(char: str) -> None:
    # PyYAML counts these as line breaks; editors do not, and neither do our messages
    text = edit("  name: South", f'  name: "So{char}uth"')
    text = edit("    army: small\n", "    army: tiny\n", text)
    expect(text, "drafts[0].options.army", line_of(SMALL, "    army: small"), "unknown option")
    text = edit("  name: South", f'  name: "So{char}uth"', edit("  title: Plan A", "  title: [A"))
    problems = problems_of(text)
    assert problems[0].line in (line_of(text, "[A"), line_of(text, "[A") + 1), problems


# ---------------------------------------------------------------------------- YAML syntax


@pytest.mark.parametrize("old, new, needle, words", [
    ("  title: Where the border runs", "  title: [Where the border runs", "topic: territory",
     ("not valid YAML",)),
    ("  title: Where the border runs", "\ttitle: Where the border runs", "\ttitle",
     ("not valid YAML", "'\\t'")),
    ("  name: South", "  name: 'South", "  name: 'South", ("not valid YAML",)),
    ("  name: South", "   name: South", "   name: South", ("not valid YAML",)),
    ("  name: South", "  name: South: East", "  name: South: East", ("not valid YAML",)),
    ("  name: South", "  name: *south", "  name: *south", ("not valid YAML", "alias")),
    ("  name: South", "  name: &a South\n  note: &a x", "  note: &a x", ()),
    ("    army: small", "    army: small\n  - x", "  - x", ("not valid YAML",)),
])
def test_invalid_yaml_reports_the_line(old: str, new: str, needle: str,
                                       words: tuple[str, ...]) -> None:
    text = edit(old, new)
    problems = problems_of(text)
    assert len(problems) == 1, [p.located() for p in problems]
    (problem,) = problems
    line = line_of(text, needle)
    assert problem.line in (line, line - 1) or (
        f"started on line {line}" in problem.message), problem.located()
    for word in words:
        assert word in problem.message


def test_second_document() -> None:
    text = SMALL + "---\nid: other\n"
    expect(text, "", line_of(text, "---"), "not valid YAML")


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n", "null", "~", "---\n",
                                  "- id: mini\n- title: x\n", "just text", "42", "[]", "{}"])
def test_empty_or_not_a_mapping(text: str) -> None:
    problems = problems_of(text)
    if text == "{}":
        assert {format_path(p.path) for p in problems} == {"id", "title", "issues", "parties"}
        assert all(p.line == 1 for p in problems)
    else:
        expect(text, "", 1, "expected a mapping", "'issues'", "'parties'")


@pytest.mark.parametrize("new, needle, words", [
    ("  <<: {name: South}", "<<", ("merge keys",)),
    ("  name: South\n  ? [a, b]\n  : x", "? [a, b]", ("keys must be plain text",)),
    ("  name: South\n  null: x", "null: x", ("keys must be plain text", "null")),
    ("  name: South\n  2020-01-01: x", "2020-01-01: x", ("keys must be plain text",)),
    ("  name: !!python/object:os.system x", "!!python", ("unsupported tag",)),
    ("  name: !!python/object/apply:os.system [x]", "!!python", ("unsupported tag",)),
    ("  name: !custom x", "!custom", ("unsupported tag '!custom'",)),
    ("  name: !!set {a, b}", "!!set", ("unsupported tag",)),
    ("  name: !!omap [a: 1]", "!!omap", ("unsupported tag",)),
    ("  name: !!bool maybe", "!!bool", ("cannot read 'maybe'", "true or false")),
    ("  name: !!timestamp soon", "!!timestamp", ("cannot read 'soon'", "a date")),
    ("  name: !!int x", "!!int", ("cannot read 'x'", "whole number")),
    ("  name: !!int ''", "!!int", ("cannot read ''", "whole number")),  # PyYAML: IndexError
    ("  name: !!float x", "!!float", ("cannot read 'x'", "a number")),
    ("  name: 2020-13-45", "2020-13-45", ("cannot read '2020-13-45'", "month must be")),
])
def test_unsupported_yaml_features(new: str, needle: str, words: tuple[str, ...]) -> None:
    text = edit("  name: South", new)
    problems = problems_of(text)
    assert any(p.line == line_of(text, needle) and all(w in p.message for w in words)
               for p in problems), [p.located() for p in problems]


def test_binary_tag_is_read_as_text() -> None:
    assert loads_scenario(edit("  name: South", "  name: !!binary U291dGg="), SOURCE) \
        .party("south").name == "South"
    text = edit("  name: South", "  name: !!binary /w==")
    expect(text, "parties[1].name", line_of(text, "!!binary"), "valid string")


# ---------------------------------------------------------------------------- bombs


def _laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        name, prev = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly() -> None:
    text = _laughs()
    started = time.perf_counter()
    problems = problems_of(text)
    assert time.perf_counter() - started < 2.0
    assert len(problems) == 1 and "expands to more than" in problems[0].message
    assert problems[0].line is not None and 1 <= problems[0].line <= 9


def test_billion_laughs_inside_a_scenario() -> None:
    text = _laughs() + SMALL.split("\n", 1)[1].replace("  name: South", "  name: *i")
    problems = problems_of(text)
    assert "expands to more than" in problems[0].message and problems[0].line


def test_self_referencing_alias() -> None:
    text = edit("  name: South", "  name: &loop [1, *loop]")
    expect(text, "", line_of(text, "&loop"), "alias refers to the value that contains it")


def test_small_aliases_are_fine() -> None:
    text = edit("      evidence:\n", "      evidence: &sources\n")
    text = edit("      valuations: {small: 1.0, large: 0.2}\n",
                "      valuations: {small: 1.0, large: 0.2}\n      evidence: *sources\n", text)
    scenario = loads_scenario(text, SOURCE)
    north = scenario.party("north")
    assert north.preferences["army"].evidence == north.preferences["border"].evidence


def test_undefined_alias() -> None:
    text = edit("  name: South", "  name: *nowhere")
    expect(text, "", line_of(text, "*nowhere"), "not valid YAML", "alias")


@pytest.mark.parametrize("text", [
    "a: " + "[" * 20000 + "]" * 20000,
    "a: " + "{a: " * 5000 + "1" + "}" * 5000,
    "".join(" " * i + "a:\n" for i in range(400)),
    "".join(" " * i + "- \n" for i in range(400)),
])
def test_deeply_nested_input(text: str) -> None:
    started = time.perf_counter()
    problems = problems_of(text)
    assert time.perf_counter() - started < 2.0
    assert len(problems) == 1 and "nested more than" in problems[0].message
    assert problems[0].line is not None and problems[0].line <= 120


def test_deep_nesting_inside_a_scenario() -> None:
    text = edit("  title: Plan A", "  title: " + "[" * 500 + "]" * 500)
    expect(text, "", line_of(text, "title: [[["), "nested more than")


def test_several_problems_are_reported_together() -> None:
    text = edit("salience: 3", "salience: -3")
    text = edit("    army: small\n", "    army: tiny\n", text)
    text = edit("  name: South\n", "", text)
    paths = {format_path(p.path) for p in problems_of(text)}
    assert {"parties[0].preferences.border.salience", "parties[1].name"} <= paths


# ---------------------------------------------------------------------------- files and CLI


def test_load_scenario_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(edit("salience: 3", "salience: -3"), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert f"{path}:{line_of(SMALL, 'salience: 3')}: parties[0]" in str(info.value)
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)


def _validate(path: Path) -> Any:
    """`accord validate PATH` run in-process (imported here: the CLI is not under test)."""
    from typer.testing import CliRunner

    from accord.cli.app import app
    return CliRunner().invoke(app, ["validate", str(path)])


@pytest.mark.parametrize("content", [
    edit("    army: small\n", "    army: tiny\n").encode(),
    edit("  name: South", "  name: S\xfcd").encode("latin-1"),
    b"key: [unclosed\n",
    b"\x00\x01\x02",
    _laughs().encode(),
    b"",
])
def test_cli_validate_exits_2_without_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = _validate(path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert re.search(re.escape(str(path)) + r":\d+: ", result.output.replace("\n", "")), \
        result.output


@pytest.mark.parametrize("value", ["[/]", "[bold]x", "[link=x]y[/link]"])
def test_cli_error_text_is_not_read_as_markup(tmp_path: Path, value: str) -> None:
    path = tmp_path / "markup[x].yaml"
    path.write_text(edit("    army: small", f"    army: '{value}'"), encoding="utf-8")
    result = _validate(path)
    assert result.exit_code == 2, result.output
    assert f"unknown option {value!r}" in result.output and "markup[x].yaml" in result.output


def test_cli_validate_accepts_the_small_scenario(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(SMALL, encoding="utf-8")
    result = _validate(path)
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------------------- properties

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
UKRAINE_FAST = settings(max_examples=8, deadline=None,
                        suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SYNTAX = [bytes([c]) for c in b":-[]{},'\"#&*!|>%@?`\\ \t\n\r0123456789.eE+~"] + [
    b"\n  ", b": ", b"- ", b"\n- ", b"---\n", b"...", b"&a ", b"*a", b"!!int ", b"<<: ", b"null",
    b"true", b".nan", b"1e400", b"\xff", b"\x00", b"\xc3\xa9", b"\xe2\x80\xa8", b"\xc2\x85"]
"""Byte strings that matter to YAML or to the decoder: random bytes rarely hit them."""
BYTE_EDITS = st.lists(st.tuples(st.sampled_from(["replace", "insert", "delete"]),
                                st.integers(0, 10**7),
                                st.one_of(st.sampled_from(SYNTAX),
                                          st.binary(min_size=1, max_size=4))),
                      min_size=1, max_size=6)
LINE_EDITS = st.lists(st.tuples(st.sampled_from(["delete", "duplicate", "swap", "indent",
                                                 "dedent"]), st.integers(0, 10**6)),
                      min_size=1, max_size=6)


def apply_byte_edits(raw: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    data = bytearray(raw)
    for kind, position, chunk in edits:
        at = position % (len(data) + 1)
        if kind == "insert":
            data[at:at] = chunk
        elif kind == "replace":
            data[at:at + len(chunk)] = chunk
        else:
            del data[at:at + len(chunk)]
    return bytes(data)


def apply_line_edits(lines: list[str], edits: list[tuple[str, int]]) -> str:
    lines = list(lines)
    for kind, position in edits:
        if not lines:
            break
        at = position % len(lines)
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif kind == "indent":
            lines[at] = "  " + lines[at]
        elif kind == "dedent":
            lines[at] = lines[at].removeprefix("  ")
    return "".join(lines)


@FAST
@given(BYTE_EDITS)
@example([("insert", 0, b"\xff")])
@example([("replace", 500, b"\x00")])
@example([("insert", 300, b"\t")])
def test_random_byte_edits_of_the_small_scenario(edits: list) -> None:
    outcome(apply_byte_edits(SMALL.encode(), edits))


@FAST
@given(LINE_EDITS)
def test_random_line_edits_of_the_small_scenario(edits: list) -> None:
    outcome(apply_line_edits(SMALL_LINES, edits))


@FAST
@given(st.data())
def test_random_value_substitutions(data: st.DataObject) -> None:
    candidates = [i for i, line in enumerate(SMALL_LINES) if re.match(r"^\s*-?\s*[\w.-]+:", line)]
    index = data.draw(st.sampled_from(candidates))
    value = data.draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=12).filter(
        lambda s: "\n" not in s and "\r" not in s)))
    key, _, _ = SMALL_LINES[index].partition(":")
    lines = list(SMALL_LINES)
    lines[index] = f"{key}: {value}\n"
    outcome("".join(lines))


WRONG_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.integers(min_value=-(10**4000), max_value=10**4000),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.binary(max_size=8), st.dates(), st.datetimes(),
    st.sampled_from(["", "a/b", "border/line", "-", "x" * 300, "line", "pre-war", "army"]),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.none()), max_size=3),
    st.recursive(st.integers(), lambda inner: st.lists(inner, max_size=2), max_leaves=20),
)


def check_lines(text: str, problems: list[Problem]) -> None:
    """Every problem is on the line PyYAML's own nodes give for its path."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for problem in problems:
        assert problem.line == node_line(text, root, problem.path), problem.located()


@FAST
@given(st.sampled_from(SMALL_PATHS), WRONG_VALUES)
@example(("parties", 0, "preferences", "border", "salience"), 10**400)
@example(("issues", 0, "options"), {})
@example(("drafts", 0, "options", "army"), b"\xff")
def test_wrong_typed_value_at_a_random_path(path: tuple, value: Any) -> None:
    text = dump(_set(SMALL_DATA, path, value))
    result = outcome(text)
    if isinstance(result, list):
        check_lines(text, result)
    assert isinstance(outcome(text.encode("utf-8")), type(result))


@FAST
@given(st.sampled_from(SMALL_PATHS))
def test_removing_a_random_field(path: tuple) -> None:
    text = dump(_remove(SMALL_DATA, path))
    result = outcome(text)
    if isinstance(result, list):
        check_lines(text, result)


@FAST
@given(st.lists(st.sampled_from(SMALL_PATHS), min_size=2, max_size=6, unique=True),
       st.lists(WRONG_VALUES, min_size=6, max_size=6))
def test_several_changes_at_once(paths: list[tuple], values: list[Any]) -> None:
    data = SMALL_DATA
    for path, value in zip(paths, values):
        try:
            data = _set(data, path, value)
        except (KeyError, TypeError, IndexError):
            pass  # an earlier change removed this path
    text = dump(data)
    result = outcome(text)
    if isinstance(result, list):
        check_lines(text, result)


MAPPING_LINES = [i for i, line in enumerate(SMALL_LINES)
                 if re.match(r"^\s*[\w.-]+:( .*)?$", line) and not line.lstrip().startswith("#")]


@FAST
@given(st.sampled_from(MAPPING_LINES))
def test_duplicating_a_field_is_reported_at_the_copy(index: int) -> None:
    lines = list(SMALL_LINES)
    lines.insert(index + 1, lines[index])
    problems = outcome("".join(lines))
    assert isinstance(problems, list)
    key = SMALL_LINES[index].split(":")[0].strip()
    assert any(p.line == index + 2 and f"duplicate field {key!r} (first given on line "
               f"{index + 1})" in p.message for p in problems), [p.located() for p in problems]


@FAST
@given(st.integers(0, len(SMALL)), st.sampled_from([bytes([b]) for b in range(0x80, 0x100)]
                                                    + [b"\xed\xa0\x80", b"\xc0\xaf"]))
def test_non_utf8_byte_anywhere_names_its_line(position: int, junk: bytes) -> None:
    raw = SMALL.encode()
    edited = raw[:position] + junk + raw[position:]
    try:
        edited.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return  # the junk completed a valid character (cannot happen in ASCII text)
    problems = outcome(edited)
    assert isinstance(problems, list) and len(problems) == 1
    assert problems[0].line == raw[:position].count(b"\n") + 1
    assert "not UTF-8" in problems[0].message


@FAST
@given(st.integers(0, len(SMALL)),
       st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\ufffe"]))
def test_control_character_anywhere_names_its_line(position: int, char: str) -> None:
    text = SMALL[:position] + char + SMALL[position:]
    for raw in (text, text.encode("utf-8")):
        problems = outcome(raw)
        assert isinstance(problems, list) and len(problems) == 1
        assert problems[0].line == SMALL[:position].count("\n") + 1, problems[0].located()


@FAST
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200)))
def test_arbitrary_input(raw: bytes | str) -> None:
    outcome(raw)


@FAST
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                              st.floats()),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.text(max_size=8), inner,
                                                            max_size=4)),
                    max_leaves=30))
def test_arbitrary_yaml_data(data: Any) -> None:
    outcome(dump(data))


UKRAINE_TEXT = UKRAINE.decode("utf-8")
UKRAINE_LINES = UKRAINE_TEXT.splitlines(keepends=True)


def test_ukraine_scenario_is_valid() -> None:
    assert isinstance(outcome(UKRAINE, "ukraine-2025.yaml"), Scenario)


@UKRAINE_FAST
@given(BYTE_EDITS)
def test_random_byte_edits_of_the_ukraine_scenario(edits: list) -> None:
    outcome(apply_byte_edits(UKRAINE, edits), "ukraine-2025.yaml")


@UKRAINE_FAST
@given(LINE_EDITS)
def test_random_line_edits_of_the_ukraine_scenario(edits: list) -> None:
    outcome(apply_line_edits(UKRAINE_LINES, edits), "ukraine-2025.yaml")


# ---------------------------------------------------------------------------- slow versions


@pytest.mark.slow
@SLOW
@given(BYTE_EDITS)
def test_many_random_byte_edits_of_the_small_scenario(edits: list) -> None:
    outcome(apply_byte_edits(SMALL.encode(), edits))


@pytest.mark.slow
@SLOW
@given(st.sampled_from(SMALL_PATHS), WRONG_VALUES)
def test_many_wrong_typed_values(path: tuple, value: Any) -> None:
    text = dump(_set(SMALL_DATA, path, value))
    result = outcome(text)
    if isinstance(result, list):
        check_lines(text, result)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(BYTE_EDITS.map(lambda e: ("bytes", e)), LINE_EDITS.map(lambda e: ("lines", e))))
def test_many_random_edits_of_the_ukraine_scenario(change: tuple) -> None:
    kind, edits = change
    if kind == "bytes":
        outcome(apply_byte_edits(UKRAINE, edits), "ukraine-2025.yaml")
    else:
        outcome(apply_line_edits(UKRAINE_LINES, edits), "ukraine-2025.yaml")


UKRAINE_DATA = yaml.safe_load(UKRAINE_TEXT)
UKRAINE_PATHS = _paths(UKRAINE_DATA)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(UKRAINE_PATHS), WRONG_VALUES, st.booleans())
def test_wrong_values_and_removed_fields_in_the_ukraine_scenario(path: tuple, value: Any,
                                                                  remove: bool) -> None:
    data = _remove(UKRAINE_DATA, path) if remove else _set(UKRAINE_DATA, path, value)
    text = dump(data)
    result = outcome(text, "ukraine-2025.yaml")
    if isinstance(result, list):
        check_lines(text, result)
