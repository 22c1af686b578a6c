"""Parse YAML into plain data while remembering the line of every key and item.

PyYAML's composer gives nodes with positions; we build the Python values ourselves
so that we can (a) record `path -> line` for error messages, (b) reject duplicate
keys instead of silently keeping the last one, and (c) refuse alias bombs.
"""

from __future__ import annotations

from typing import Any

import yaml

from accord.errors import Problem

MAX_NODES = 2_000_000
"""Upper bound on values built from one file (guards against alias expansion bombs)."""

Path = tuple[str | int, ...]


class YamlTree:
    """Plain data plus the 1-based line of each path in it."""

    def __init__(self) -> None:
        self.lines: dict[Path, int] = {}
        self.problems: list[Problem] = []
        self._count = 0

    def line_of(self, path: Path) -> int | None:
        """Line of the deepest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def build(self, node: yaml.Node, path: Path = ()) -> Any:
        """Turn a composed node into plain Python values."""
        self._count += 1
        if self._count > MAX_NODES:
            raise _TooLarge()
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return _scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem(path, "merge keys ('<<') are not supported",
                                             key_node.start_mark.line + 1))
                continue
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
                key = str(key) if isinstance(key, (bool, int, float)) else None
            if key is None:
                self.problems.append(Problem(path, "keys must be plain text",
                                             key_node.start_mark.line + 1))
                continue
            key = str(key)
            line = key_node.start_mark.line + 1
            if key in result:
                first = self.lines.get(path + (key,))
                self.problems.append(Problem(path + (key,),
                                             f"duplicate field {key!r} (first given on line {first})",
                                             line))
                continue
            self.lines[path + (key,)] = line
            result[key] = self.build(value_node, path + (key,))
        return result


class _TooLarge(Exception):
    pass


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    """Construct a scalar with YAML's safe rules (ints, floats, dates, null, bool)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    return _CONSTRUCTOR.construct_object(node, deep=True)


def parse_yaml(text: str, source: str) -> tuple[Any, YamlTree]:
    """Parse YAML text; raise YamlSyntaxError with the line for malformed YAML."""
    tree = YamlTree()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError([Problem((), f"not valid YAML: {error.problem or error}", line,
                                       source)]) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError([Problem((), f"not valid YAML: {error}", None, source)]) from None
    except RecursionError:
        raise YamlSyntaxError([Problem((), "YAML nested too deeply", None, source)]) from None
    if node is None:
        return None, tree
    try:
        data = tree.build(node)
    except _TooLarge:
        raise YamlSyntaxError([Problem((), f"file expands to more than {MAX_NODES:,} values "
                                       "(aliases nested too deeply?)", None, source)]) from None
    except RecursionError:
        raise YamlSyntaxError([Problem((), "YAML nested too deeply", None, source)]) from None
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        raise YamlSyntaxError([Problem((), f"bad value: {error}", None, source)]) from None
    return data, tree


class YamlSyntaxError(Exception):
    """Internal: carries problems up to the scenario loader."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems
