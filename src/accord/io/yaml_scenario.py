"""Read and write accord's YAML scenario format (see docs/scenario-format.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from accord.errors import Problem, ScenarioError
from accord.io._yaml_tree import YamlSyntaxError, YamlTree, line_at, parse_yaml
from accord.model import Scenario

MAX_FILE_BYTES = 64 * 1024 * 1024


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a YAML scenario file; ScenarioError names file, line and field."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Problem((), "file not found", None, str(path))]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem((), "is a folder; expected a scenario .yaml file",
                                     None, str(path))]) from None
    except OSError as error:
        raise ScenarioError([Problem((), f"cannot read: {error.strerror}", None,
                                     str(path))]) from None
    return loads_scenario(raw, str(path))


def loads_scenario(raw: bytes | str, source: str = "<scenario>") -> Scenario:
    """Validate a scenario given as YAML bytes or text; `source` names it in errors."""
    text = _decode(raw, source) if isinstance(raw, bytes) else raw
    try:
        data, tree = parse_yaml(text, source)
    except YamlSyntaxError as error:
        raise ScenarioError(error.problems) from None
    if tree.problems:
        raise ScenarioError([_locate(p, tree, source) for p in tree.problems])
    if not isinstance(data, dict):
        raise ScenarioError([Problem((), "expected a mapping with 'id', 'title', 'issues' and "
                                     "'parties' at the top level", 1, source)])
    try:
        return Scenario.build(data)
    except ScenarioError as error:
        raise ScenarioError([_locate(p, tree, source) for p in error.problems]) from None


def _decode(raw: bytes, source: str) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError([Problem((), f"file is larger than {MAX_FILE_BYTES >> 20} MiB",
                                     None, source)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8")
        line = line_at(before, len(before))
        raise ScenarioError([Problem((), f"not UTF-8 text: byte 0x{raw[error.start]:02x} at "
                                     f"offset {error.start} cannot be decoded; save the file "
                                     "as UTF-8", line, source)]) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = line_at(text, text.index("\x00"))
        raise ScenarioError([Problem((), "contains a NUL byte; expected a YAML text file", line,
                                     source)])
    return text


def _locate(problem: Problem, tree: YamlTree, source: str) -> Problem:
    line = problem.line if problem.line is not None else tree.line_of(problem.path)
    return replace(problem, line=line, file=source)


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """Plain data of a scenario, without defaults, ready to dump as YAML."""
    return scenario.model_dump(mode="json", exclude_defaults=True)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when PyYAML was built with it (same text, about twice as fast)."""


def yaml_text(data: Any) -> str:
    """Plain data as YAML in accord's style: block style, fields in order, Unicode as is."""
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as YAML text in the documented format."""
    return yaml_text(scenario_to_data(scenario))


def scenario_yaml_chunks(fields: Iterable[tuple[str, Any]]) -> Iterator[str]:
    """YAML of a scenario given field by field, as `dump_scenario` writes it, in pieces.

    `(key, record)` is one item of the list field `key` (repeat it for the next item, e.g.
    one party at a time, so a huge scenario is never held whole); `(key, tuple)` is a
    whole list; anything else a plain field. Empty fields are left out, like defaults.
    """
    opened = None
    for key, value in fields:
        if isinstance(value, BaseModel):
            item = [value.model_dump(mode="json", exclude_defaults=True)]
            yield yaml_text(item) if key == opened else yaml_text({key: item})
            opened = key
            continue
        opened = None
        if isinstance(value, tuple):
            value = [v.model_dump(mode="json", exclude_defaults=True)
                     if isinstance(v, BaseModel) else v for v in value]
        if value not in (None, []):
            yield yaml_text({key: value})


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write the scenario as a YAML file."""
    Path(path).write_text(dump_scenario(scenario), encoding="utf-8")


