"""Parse YAML into plain data while remembering the line of every key and item.

PyYAML's composer gives nodes with positions; we build the Python values ourselves
so that we can (a) record `path -> line` for error messages, (b) reject duplicate
keys instead of silently keeping the last one, and (c) refuse alias bombs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import yaml

from accord.errors import Problem

MAX_NODES = 2_000_000
"""Upper bound on values built from one file (guards against alias expansion bombs)."""

MAX_DEPTH = 100
"""Deepest nesting of mappings and lists accepted (guards against stack exhaustion)."""

MAX_INT_BITS = 1024
"""Integers beyond the range of a float are refused where they are written."""

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str": "text", "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:bool": "true or false", "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number", "tag:yaml.org,2002:timestamp": "a date (YYYY-MM-DD)",
    "tag:yaml.org,2002:binary": "base64 data",
}
"""Scalar tags we construct, and what each expects."""

_COLLECTION_TAGS = {yaml.MappingNode: "tag:yaml.org,2002:map",
                    yaml.SequenceNode: "tag:yaml.org,2002:seq"}

_TOO_LARGE = "number too large; expected a number below 1e308 (quote it if it is meant as text)"

Path = tuple[str | int, ...]

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
            _fast_build(self._text, self, self._lines)
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
            return _scalar(node)
        except _BadScalar as error:
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


class _BadScalar(Exception):
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


try:
    # libyaml's event parser, when PyYAML was built with it
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    _CParser = None


if _CParser is not None:
    class _FastLoader(_DepthLimit, yaml.composer.Composer, _CParser, yaml.resolver.Resolver):
        """libyaml's scanner and parser under PyYAML's composer and resolver.

        The pure-Python scanner takes ~20 s for a 3 MB scenario; libyaml's takes well under a
        second. Composing and resolving stay in Python, so the nodes, tags and positions
        (libyaml counts `index` in characters, as PyYAML does) are those of `_Loader`.
        """

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _compose(text: str) -> yaml.Node | None:
    """The document's node graph: libyaml when it reads the text, else PyYAML (for its errors).

    Any text libyaml refuses is composed again by the pure-Python loader, so malformed YAML
    is reported with PyYAML's messages and lines whichever parser is installed.
    """
    loader = None
    try:
        if _CParser is not None:
            loader = _FastLoader(text)
            return loader.get_single_node()
    except (yaml.YAMLError, UnicodeError, RecursionError):
        pass
    finally:
        if loader is not None:
            loader.dispose()
    return yaml.compose(text, Loader=_Loader)


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    """Construct a scalar with YAML's safe rules (ints, floats, dates, null, bool)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    expected = _SCALAR_TAGS.get(node.tag)
    if expected is None:
        raise _BadScalar(f"unsupported tag {node.tag!r}; expected plain text, numbers, "
                         "true/false or dates")
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > 2000:
        raise _BadScalar(_TOO_LARGE)
    try:
        # called directly: construct_object() would keep every node in a cache
        value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
    except (yaml.YAMLError, ValueError, TypeError, KeyError, IndexError, AttributeError,
            OverflowError) as error:  # IndexError: PyYAML on an empty `!!int`
        timestamp = node.tag == "tag:yaml.org,2002:timestamp"
        detail = f" ({error})" if timestamp and isinstance(error, ValueError) else ""
        raise _BadScalar(f"cannot read {_clip(node.value)!r}{detail}; expected {expected} "
                         "(quote it if it is meant as text)") from None
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _BadScalar(_TOO_LARGE)
    return value


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    libyaml's events (`_fast_build`, lines found later and only if an error needs them);
    anything else goes through PyYAML's composer and `YamlTree.build`, which reports it.
    """
    tree = YamlTree(text)
    try:
        data = _fast_build(text, tree, None)
    except _Anomaly:
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


class _Anomaly(Exception):
    """Something the fast build leaves to the reference path (which reports it, if wrong)."""


_STR_TAG = "tag:yaml.org,2002:str"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_FAST_MAP = {None, "!", "tag:yaml.org,2002:map"}
_FAST_SEQ = {None, "!", "tag:yaml.org,2002:seq"}
_IMPLICIT = {first: resolvers + yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, [])
             for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()}
"""The safe loader's implicit scalar tags by first character (as Resolver.resolve does)."""
_WILDCARD = yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, [])


def _fast_build(text: str, tree: YamlTree, lines: dict[Path, int] | None) -> Any:
    """Plain data straight from libyaml's events, filling `lines` when given.

    Gives the same data and lines as composing and `YamlTree.build`, without a node graph;
    raises _Anomaly for whatever it leaves to them: no libyaml, a syntax error, aliases,
    odd tags, bad keys or scalars, duplicate keys, too deep or too large.
    """
    if _CParser is None:
        raise _Anomaly
    try:
        parser = _CParser(text)
    except UnicodeError:  # lone surrogates: PyYAML's reader names the character
        raise _Anomaly from None
    try:
        return _from_events(parser.get_event, tree.line, lines)
    except yaml.YAMLError:
        raise _Anomaly from None
    finally:
        parser.dispose()


def _from_events(get: Any, line: Any, lines: dict[Path, int] | None) -> Any:
    """The document of an event stream (see `_fast_build`)."""
    get()  # the stream's start
    if type(get()) is yaml.StreamEndEvent:
        return None
    holder: list = []
    # a frame: [container, its path (None for the holder of the root), is a mapping, key]
    stack: list[list] = [[holder, None, False, None]]
    count = 0
    while True:
        event = get()
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            continue
        if kind is yaml.DocumentEndEvent:
            break
        frame = stack[-1]
        container, path, is_map, key = frame
        if is_map and key is None:
            frame[3] = key = _fast_key(event, container)
            if lines is not None:
                lines[path + (key,)] = line(event.start_mark)
            continue
        if kind is yaml.ScalarEvent:
            value = _fast_scalar(event)
        elif kind is yaml.MappingStartEvent and event.tag in _FAST_MAP:
            value = {}
        elif kind is yaml.SequenceStartEvent and event.tag in _FAST_SEQ:
            value = []
        else:
            raise _Anomaly  # an alias or a tagged collection
        count += 1
        if count > MAX_NODES or len(stack) >= MAX_DEPTH - 1:
            raise _Anomaly
        child = None
        if is_map:
            container[key] = value
            frame[3] = None
            if lines is not None:
                child = path + (key,)
        else:
            if lines is not None:
                child = () if path is None else path + (len(container),)
                lines[child] = line(event.start_mark)
            container.append(value)
        if kind is not yaml.ScalarEvent:
            stack.append([value, child, kind is yaml.MappingStartEvent, None])
    if type(get()) is not yaml.StreamEndEvent:
        raise _Anomaly  # more than one document
    return holder[0]


def _fast_scalar(event: Any) -> Any:
    """A scalar event's value, resolved and constructed as the safe loader would."""
    tag, value = event.tag, event.value
    if tag is None or tag == "!":
        tag = _STR_TAG
        if event.implicit[0]:
            for candidate, pattern in _IMPLICIT.get(value[:1], _WILDCARD):
                if pattern.match(value):
                    tag = candidate
                    break
    if tag == _STR_TAG:
        return value
    if tag == _FLOAT_TAG and value.replace(".", "", 1).lstrip("+-").isdigit():
        return float(value)  # what construct_yaml_float gives, without its detours
    try:
        return _scalar(yaml.ScalarNode(tag, value, event.start_mark, event.end_mark,
                                       event.style))
    except _BadScalar:
        raise _Anomaly from None


def _fast_key(event: Any, mapping: dict) -> str:
    """A mapping key the reference build would accept without a problem, as text."""
    if type(event) is not yaml.ScalarEvent or event.tag == "tag:yaml.org,2002:merge":
        raise _Anomaly
    key = _fast_scalar(event)
    if key is None or isinstance(key, bool) or not isinstance(key, (str, int, float)):
        raise _Anomaly
    key = str(key)
    if key in mapping:
        raise _Anomaly
    return key
