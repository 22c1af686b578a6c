"""Command-line interface (Typer + Rich)."""

from accord.cli import diff_cmd  # noqa: F401  (registers `accord diff`)
from accord.cli import report_cmd  # noqa: F401  (registers `accord report`)
from accord.cli.app import app, main

__all__ = ["app", "main"]
