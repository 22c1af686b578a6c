"""Command-line interface (Typer + Rich)."""

from accord.cli import (
    diff_cmd,  # noqa: F401  (registers `accord diff`)
    forecast_cmd,  # noqa: F401  (registers `accord forecast`)
    practise_cmd,  # noqa: F401  (registers `accord practise`)
    replay_cmd,  # noqa: F401  (registers `accord replay`)
    report_cmd,  # noqa: F401  (registers `accord report`)
    serve_cmd,  # noqa: F401  (registers `accord serve`)
    simulate_cmd,  # noqa: F401  (registers `accord simulate`, `tournament`)
    twins_cmd,  # noqa: F401  (registers `accord twins`)
)
from accord.cli.app import app, main

__all__ = ["app", "main"]
