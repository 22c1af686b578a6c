"""Parse YAML into plain data while remembering the line of every key and item.

PyYAML's composer gives nodes with positions; we build the Python values ourselves
so that we can (a) record `path -> line` for error messages, (b) reject duplicate
keys instead of silently keeping the last one, and (c) refuse alias bombs. A clean file
is read faster straight from libyaml's events (`_yaml_events`); this module's path
reports whatever that one leaves to it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import yaml

from accord.errors import Problem
from accord.io._yaml_events import (
    MAX_DEPTH,
    MAX_NODES,
    Anomaly,
    BadScalar,
    CParser,
    Path,
    construct_scalar,
    fast_build,
)

_COLLECTION_TAGS = {yaml.MappingNode: "tag:yaml.org,2002:map",
                    yaml.SequenceNode: "tag:yaml.org,2002:seq"}

_BREAK = re.compile(r"\r\n?|\n")
"""Line breaks as editors count them (PyYAML also counts U+0085, U+2028 and U+2029)."""


def line_at(text: str, index: int) -> int:
    """1-based line of the character at `index` in `text`."""
    return len(_BREAK.findall(text, 0, index)) + 1


class YamlTree:
    """Plain data plus the 1-based line of each path in it."""

    def __init__(self, text: str = "") -> None:
        self.problems: list[Problem] = []
        self._lines: dict[Path, int] | None = {}
        self._text = text
        self._count = 0
        self._starts: list[int] | None = None

    @property
    def lines(self) -> dict[Path, int]:
        """Path -> line; after the fast build, found only when first asked (on an error)."""
        if self._lines is None:
            self._lines = {}
            fast_build(self._text, self.line, self._lines)
        return self._lines

    def line(self, mark: yaml.Mark) -> int:
        """1-based line of a position in the text, counting breaks as editors do."""
        if self._starts is None:
            self._starts = [match.end() for match in _BREAK.finditer(self._text)]
        return bisect_right(self._starts, mark.index) + 1

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
        self.lines.setdefault(path, self.line(node.start_mark))
        if not isinstance(node, yaml.ScalarNode) and node.tag != _COLLECTION_TAGS[type(node)]:
            self.problems.append(Problem(path, f"unsupported tag {node.tag!r}; expected a plain "
                                         "mapping or list", self.line(node.start_mark)))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        """A scalar's value; None and a problem when it cannot be read."""
        try:
            return construct_scalar(node)
        except BadScalar as error:
            self.problems.append(Problem(path, str(error), self.line(node.start_mark)))
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            line = self.line(key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem(path, "merge keys ('<<') are not supported", line))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(path, "keys must be plain text", line))
                continue
            before = len(self.problems)
            key = self._scalar(key_node, path)
            if len(self.problems) > before:
                continue
            if key is None or isinstance(key, bool) or not isinstance(key, (str, int, float)):
                shown = "null" if key is None else str(key)
                self.problems.append(Problem(path, f"keys must be plain text, not {shown} "
                                             "(quote the key)", line))
                continue
            key = str(key)
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


class _DepthLimit:
    """Mixin for a composer: refuse nesting deeper than MAX_DEPTH (with its line)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class _Loader(_DepthLimit, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader (the reference: its error messages are the ones shown)."""


if CParser is not None:
    class _FastLoader(_DepthLimit, yaml.composer.Composer, CParser, yaml.resolver.Resolver):
        """libyaml's scanner and parser under PyYAML's composer and resolver.

        The pure-Python scanner takes ~20 s for a 3 MB scenario; libyaml's takes well under a
        second. Composing and resolving stay in Python, so the nodes, tags and positions
        (libyaml counts `index` in characters, as PyYAML does) are those of `_Loader`.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _compose(text: str) -> yaml.Node | None:
    """The document's node graph: libyaml when it reads the text, else PyYAML (for its errors).

    Any text libyaml refuses is composed again by the pure-Python loader, so malformed YAML
    is reported with PyYAML's messages and lines whichever parser is installed.
    """
    loader = None
    try:
        if CParser is not None:
            loader = _FastLoader(text)
            return loader.get_single_node()
    except (yaml.YAMLError, UnicodeError, RecursionError):
        pass
    finally:
        if loader is not None:
            loader.dispose()
    return yaml.compose(text, Loader=_Loader)


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: set[int]) -> int:
    """Number of values `node` expands to once aliases are copied out (memoized)."""
    key = id(node)
    if key in memo:
        return memo[key]
    if key in active:
        raise _Recursive(node)
    active.add(key)
    if isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        children = []
    size = 1 + sum(_expanded_size(child, memo, active) for child in children)
    active.discard(key)
    memo[key] = min(size, MAX_NODES + 1)
    return memo[key]


def _largest(node: yaml.Node, sizes: dict[int, int]) -> yaml.Node:
    """The smallest value that alone expands beyond MAX_NODES."""
    while True:
        children = ([child for pair in node.value for child in pair]
                    if isinstance(node, yaml.MappingNode) else
                    node.value if isinstance(node, yaml.SequenceNode) else [])
        big = [child for child in children if sizes.get(id(child), 0) > MAX_NODES]
        if not big:
            return node
        node = big[0]


class _Recursive(Exception):
    def __init__(self, node: yaml.Node):
        super().__init__(node)
        self.node = node


def parse_yaml(text: str, source: str) -> tuple[Any, YamlTree]:
    """Parse YAML text; raise YamlSyntaxError with the line for malformed YAML.

    Linear in the size of the text. A clean file without aliases is built straight from
    libyaml's events (`_yaml_events.fast_build`, lines found later and only if an error needs them);
    anything else goes through PyYAML's composer and `YamlTree.build`, which reports it.
    """
    tree = YamlTree(text)
    try:
        data = fast_build(text, tree.line, None)
    except Anomaly:
        pass
    else:
        tree._lines = None
        return data, tree

    def fail(message: str, line: int | None) -> YamlSyntaxError:
        return YamlSyntaxError([Problem((), message, line, source)])

    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = f"not valid YAML: {error.problem or error}"
        if error.context and error.context_mark and error.problem_mark:
            start = tree.line(error.context_mark)
            if start != tree.line(error.problem_mark):
                message += f" ({error.context} started on line {start})"
        raise fail(message, tree.line(mark) if mark else None) from None
    except yaml.reader.ReaderError as error:
        line = line_at(text, error.position)
        raise fail(f"not valid YAML: character #x{error.character:04x} is not allowed in a YAML "
                   "file (control characters must be written as escapes in double quotes)",
                   line) from None
    except yaml.YAMLError as error:
        raise fail(f"not valid YAML: {error}", None) from None
    except RecursionError:
        raise fail("YAML nested too deeply", None) from None
    if node is None:
        return None, tree
    sizes: dict[int, int] = {}
    try:
        if _expanded_size(node, sizes, set()) > MAX_NODES:
            raise _TooLarge()
        data = tree.build(node)
    except _TooLarge:
        raise fail(f"file expands to more than {MAX_NODES:,} values (aliases nested too "
                   "deeply?)", tree.line(_largest(node, sizes).start_mark)) from None
    except _Recursive as error:
        raise fail("an alias refers to the value that contains it (a loop)",
                   tree.line(error.node.start_mark)) from None
    except RecursionError:
        raise fail("YAML nested too deeply", None) from None
    return data, tree


class YamlSyntaxError(Exception):
    """Internal: carries problems up to the scenario loader."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems
