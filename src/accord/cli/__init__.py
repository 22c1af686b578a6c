"""Command-line interface (Typer + Rich)."""

from accord.cli import (
    convert_cmd,  # noqa: F401  (registers `accord convert`)
    diff_cmd,  # noqa: F401  (registers `accord diff`)
    evidence_cmd,  # noqa: F401  (registers `accord evidence`)
    forecast_cmd,  # noqa: F401  (registers `accord forecast`)
    generate_cmd,  # noqa: F401  (registers `accord generate`)
    practise_cmd,  # noqa: F401  (registers `accord practise`)
    replay_cmd,  # noqa: F401  (registers `accord replay`)
    report_cmd,  # noqa: F401  (registers `accord report`)
    seat_cmd,  # noqa: F401  (registers `accord seat`)
    serve_cmd,  # noqa: F401  (registers `accord serve`)
    simulate_cmd,  # noqa: F401  (registers `accord simulate`)
    tournament_cmd,  # noqa: F401  (registers `accord tournament`)
    twins_cmd,  # noqa: F401  (registers `accord twins`)
)
from accord.cli.app import app, main

__all__ = ["app", "main"]
