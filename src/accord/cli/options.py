"""Small conversions shared by the commands: comma-separated options in, JSON-safe numbers out."""

from __future__ import annotations

import math

import typer


def comma_list(text: str) -> list[str]:
    """The non-empty, stripped parts of a comma-separated option ("a, b,,c" -> a, b, c)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def finite(value: float | None) -> float | None:
    """`value`, or None when it is missing or NaN (JSON has no NaN)."""
    return None if value is None or math.isnan(value) else value


def seed_option(what: str) -> typer.models.OptionInfo:
    """The --seed option every command shares: a whole number from 0 up (numpy's generators
    take no negative seed), checked at the door; `what` says what the seed fixes."""
    return typer.Option(min=0, help=f"Same seed, same {what} (a whole number from 0 up).")
