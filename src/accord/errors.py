"""User-facing errors of accord, each with the exit code the CLI returns.

Messages are written for the person at the keyboard: they say what was wrong,
where, and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class AccordError(Exception):
    """Base class of every error accord reports to a user (exit code 1)."""

    exit_code = 1

    def user_message(self) -> str:
        """The text the CLI prints."""
        return str(self)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where (path of keys) and what."""

    path: tuple[str | int, ...]
    message: str
    line: int | None = None
    file: str | None = None

    def located(self) -> str:
        """`file:line: field: message`, leaving out what is unknown."""
        where = []
        if self.file:
            where.append(self.file + (f":{self.line}" if self.line else ""))
        elif self.line:
            where.append(f"line {self.line}")
        if self.path:
            where.append(format_path(self.path))
        return ": ".join(where + [self.message])


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a key path as `parties[2].preferences.army-size.salience`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass
class ScenarioError(AccordError):
    """A scenario file (or its data) is malformed; lists every problem found."""

    problems: list[Problem] = field(default_factory=list)
    exit_code = 2

    def __str__(self) -> str:
        head = f"invalid scenario: {len(self.problems)} problem(s)"
        return "\n".join([head] + ["  " + p.located() for p in self.problems[:50]]) + (
            f"\n  … and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        )


class UsageError(AccordError):
    """The command was called wrongly (unknown scenario name, bad option value)."""

    exit_code = 2


class AnalysisError(AccordError):
    """The analysis could not be carried out (solver failure, limits exceeded)."""

    exit_code = 3


class SolverLimit(AnalysisError):
    """The solver reached a work limit the caller set before proving an optimum."""


class EvidenceError(AccordError):
    """A news article could not be read (empty, binary, not UTF-8, unknown language,
    HTML without a body); the message names the file and what was expected."""

    exit_code = 2
