"""Options for the number issues of GENIUS, GeniusWeb and NegMAS files: one place.

An integer range with at most `integer_limit` values gives one option per value; a longer
one `points` evenly spaced integers (rounded, duplicates dropped); a real range `points`
evenly spaced values, both ends included. Readers apply the file's utility exactly at
those points and say so in the scenario's description.
"""

from __future__ import annotations


def integer_points(low: float, high: float, points: int, integer_limit: int,
                   step: int = 1) -> tuple[list[int], int]:
    """(the integers kept, how many the range holds) for `low..high` by `step`."""
    count = int((high - low) // step) + 1
    if count <= integer_limit:
        return [int(low) + k * step for k in range(count)], count
    return sorted({int(round(low + k * (high - low) / (points - 1))) for k in range(points)}), count


def real_points(low: float, high: float, points: int) -> list[float]:
    """`points` evenly spaced values of `low..high`, the last exactly `high`."""
    if high == low:
        return [low]
    values = [low + k * (high - low) / (points - 1) for k in range(points)]
    values[-1] = high
    return values
