"""Command-line interface (Typer + Rich)."""

from accord.cli.app import app, main

__all__ = ["app", "main"]
