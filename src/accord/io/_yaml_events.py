"""Plain data straight from libyaml's event stream: the fast path of `_yaml_tree`.

A clean scenario file (no aliases, tags, duplicate keys or bad scalars) is built here
without PyYAML's node graph, linear in its size; anything else raises `Anomaly`, and
`_yaml_tree` composes the file and reports what is wrong. Both paths share the limits and
the scalar construction defined here, so they give the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

Path = tuple[str | int, ...]

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

_TOO_LARGE = "number too large; expected a number below 1e308 (quote it if it is meant as text)"

try:
    # libyaml's event parser, when PyYAML was built with it
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    CParser = None


class BadScalar(Exception):
    """A scalar that cannot be read; the message says what was expected."""


_CONSTRUCTOR = yaml.SafeLoader("")


def construct_scalar(node: yaml.Node) -> Any:
    """Construct a scalar with YAML's safe rules (ints, floats, dates, null, bool)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    expected = _SCALAR_TAGS.get(node.tag)
    if expected is None:
        raise BadScalar(f"unsupported tag {node.tag!r}; expected plain text, numbers, "
                         "true/false or dates")
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > 2000:
        raise BadScalar(_TOO_LARGE)
    try:
        # called directly: construct_object() would keep every node in a cache
        value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
    except (yaml.YAMLError, ValueError, TypeError, KeyError, IndexError, AttributeError,
            OverflowError) as error:  # IndexError: PyYAML on an empty `!!int`
        timestamp = node.tag == "tag:yaml.org,2002:timestamp"
        detail = f" ({error})" if timestamp and isinstance(error, ValueError) else ""
        raise BadScalar(f"cannot read {_clip(node.value)!r}{detail}; expected {expected} "
                         "(quote it if it is meant as text)") from None
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise BadScalar(_TOO_LARGE)
    return value


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Anomaly(Exception):
    """Something the fast build leaves to the reference path (which reports it, if wrong)."""


_STR_TAG = "tag:yaml.org,2002:str"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_FAST_MAP = {None, "!", "tag:yaml.org,2002:map"}
_FAST_SEQ = {None, "!", "tag:yaml.org,2002:seq"}
_IMPLICIT = {first: resolvers + yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, [])
             for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()}
"""The safe loader's implicit scalar tags by first character (as Resolver.resolve does)."""
_WILDCARD = yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, [])


def fast_build(text: str, line: Callable[[yaml.Mark], int],
               lines: dict[Path, int] | None) -> Any:
    """Plain data straight from libyaml's events, filling `lines` when given.

    Gives the same data and lines as composing and `YamlTree.build`, without a node graph;
    raises Anomaly for whatever it leaves to them: no libyaml, a syntax error, aliases,
    odd tags, bad keys or scalars, duplicate keys, too deep or too large.
    """
    if CParser is None:
        raise Anomaly
    try:
        parser = CParser(text)
    except UnicodeError:  # lone surrogates: PyYAML's reader names the character
        raise Anomaly from None
    try:
        return _from_events(parser.get_event, line, lines)
    except yaml.YAMLError:
        raise Anomaly from None
    finally:
        parser.dispose()


def _from_events(get: Any, line: Any, lines: dict[Path, int] | None) -> Any:
    """The document of an event stream (see `fast_build`)."""
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
            raise Anomaly  # an alias or a tagged collection
        count += 1
        if count > MAX_NODES or len(stack) >= MAX_DEPTH - 1:
            raise Anomaly
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
        raise Anomaly  # more than one document
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
        return construct_scalar(yaml.ScalarNode(tag, value, event.start_mark, event.end_mark,
                                       event.style))
    except BadScalar:
        raise Anomaly from None


def _fast_key(event: Any, mapping: dict) -> str:
    """A mapping key the reference build would accept without a problem, as text."""
    if type(event) is not yaml.ScalarEvent or event.tag == "tag:yaml.org,2002:merge":
        raise Anomaly
    key = _fast_scalar(event)
    if key is None or isinstance(key, bool) or not isinstance(key, (str, int, float)):
        raise Anomaly
    key = str(key)
    if key in mapping:
        raise Anomaly
    return key
