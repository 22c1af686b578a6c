"""Safe XML parsing with the line of every element (for GENIUS files).

Parsing goes through `defusedxml`: entity declarations and external references are refused
(no billion-laughs or external-entity attacks). Every element keeps the line it starts on so
that problems found after parsing can still name `file:line`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from accord.errors import Problem, ScenarioError

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest XML or JSON file read (the largest GENIUS file known is under 1 MiB)."""

_POSITION = re.compile(r":? line \d+, column \d+$")


@dataclass
class XmlDoc:
    """A parsed XML file: the root element and the line of each element."""

    path: Path
    root: ET.Element
    lines: dict[ET.Element, int] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return str(self.path)

    def line(self, element: ET.Element | None) -> int | None:
        return None if element is None else self.lines.get(element)

    def problem(self, element: ET.Element | None, message: str) -> Problem:
        """A problem located at `element` (its file and line)."""
        return Problem((), message, self.line(element), self.file)


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that records the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[ET.Element, int] = {}

    def start(self, tag, attrs):  # type: ignore[override]
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


def read_bytes(path: Path, kind: str) -> bytes:
    """The bytes of a file; ScenarioError naming the file when it cannot be read."""
    def fail(message: str) -> ScenarioError:
        return ScenarioError([Problem((), message, None, str(path))])

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise fail(f"file is larger than {MAX_FILE_BYTES >> 20} MiB")
        return path.read_bytes()
    except FileNotFoundError:
        raise fail("file not found") from None
    except IsADirectoryError:
        raise fail(f"is a folder; expected a {kind} file") from None
    except OSError as error:
        raise fail(f"cannot read: {error.strerror}") from None


def parse_xml(path: Path, raw: bytes | None = None) -> XmlDoc:
    """Parse an XML file safely; ScenarioError with file and line when it is not valid XML."""
    if raw is None:
        raw = read_bytes(path, "XML")
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder)
    builder.parser = parser
    try:
        parser.feed(raw)
        root = parser.close()
    except ET.ParseError as error:
        line, column = error.position
        reason = _POSITION.sub("", str(getattr(error, "msg", "") or error))
        raise ScenarioError([Problem((), f"not valid XML: {reason} (column {column + 1})",
                                     line, str(path))]) from None
    except DefusedXmlException as error:
        raise ScenarioError([Problem((), "refused: the XML declares entities or refers to "
                                     f"external resources ({type(error).__name__}); GENIUS "
                                     "files need neither", None, str(path))]) from None
    except (ValueError, LookupError, UnicodeError) as error:
        raise ScenarioError([Problem((), f"not valid XML: {error}", None, str(path))]) from None
    return XmlDoc(path, root, builder.lines)


_PROLOG = re.compile(rb"^(\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S)
_TAG = re.compile(rb"<([A-Za-z_][\w.\-:]*)")


def root_tag(path: Path) -> str | None:
    """The root element's name read from the start of a file, without parsing it all.

    None when the file does not look like XML at all (e.g. the comma-separated `pareto.xml`
    files some GENIUS folders hold) or cannot be read.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None
    head = head.removeprefix(b"\xef\xbb\xbf")
    rest = head[_PROLOG.match(head).end():]  # type: ignore[union-attr]
    match = _TAG.match(rest)
    return match.group(1).decode("ascii", "replace") if match else None
