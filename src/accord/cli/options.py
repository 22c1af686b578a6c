"""Small conversions shared by the commands: comma-separated options in, JSON-safe numbers out."""

from __future__ import annotations

import math


def comma_list(text: str) -> list[str]:
    """The non-empty, stripped parts of a comma-separated option ("a, b,,c" -> a, b, c)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def finite(value: float | None) -> float | None:
    """`value`, or None when it is missing or NaN (JSON has no NaN)."""
    return None if value is None or math.isnan(value) else value
