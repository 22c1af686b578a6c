"""Non-dominated filtering of utility vectors (maximisation), the kernel of the frontier.

`nondominated(points)` returns the indices of the points no other point dominates, one
index per distinct vector. Two parties: a sort and a running maximum (numpy). Three: a
sweep in decreasing first coordinate with a Fenwick tree of the best third coordinate
over ranks of the second (Kung, Luccio & Preparata 1975; O(n log n)). Four: the same
order, with CDQ divide and conquer over it and a Fenwick tree inside (O(n log^2 n)).
Five or more: the sweep, each point checked against the points kept so far
(O(n x frontier)).

The sweeps (`_sweeps`) are compiled with numba, an optional dependency (`accord[fast]`):
importing it and loading its compiled kernels costs about half a second and 130 MiB, so
small inputs, and every input when numba is not installed, take `block_sweep` instead:
the same order, each block of points compared with numpy against the points kept before
it and against the earlier points of its block (O(n x frontier), vectorised). Both give
the same indices.
"""

from __future__ import annotations

import importlib.util
import sys

import numpy as np

COMPILED = importlib.util.find_spec("numba") is not None
"""Whether the compiled sweeps can be used (numba installed: `pip install 'accord[fast]'`)."""
SMALL_INPUT = 4096
"""Up to this many distinct points the vectorised sweep is used even when numba is
installed, unless the compiled sweeps are already loaded: it costs at most a few
milliseconds, where loading numba costs about half a second."""
_BLOCK = 2048
_CELLS = 2_000_000
"""Comparisons held in memory at once by `block_sweep` (about 2 MB of booleans per coordinate)."""


def nondominated(points: np.ndarray) -> np.ndarray:
    """Indices of the non-dominated rows of `points` (n, m), one per distinct row."""
    n, m = points.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if m == 1:
        return np.array([int(np.argmax(points[:, 0]))], dtype=np.int64)
    if m == 2:
        return _two_parties(points)
    order = np.lexsort(tuple(-points[:, k] for k in range(m - 1, -1, -1)))
    ordered = points[order]
    distinct = np.ones(n, dtype=bool)
    distinct[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    order, ordered = order[distinct], ordered[distinct]
    if not use_compiled(len(ordered)):
        keep = block_sweep(ordered)
    else:  # numba is imported only here: two-party and small work never pays its start-up
        from accord.analysis import _sweeps

        if m == 3:
            keep = _sweeps.sweep3(ordered[:, 2].copy(), _descending_ranks(ordered[:, 1]))
        elif m == 4:
            keep = _sweeps.sweep4(ordered[:, 1].copy(), _descending_ranks(ordered[:, 2]),
                                  ordered[:, 3].copy())
        else:
            keep = _sweeps.sweep_general(np.ascontiguousarray(ordered))
    return np.sort(order[keep])


def _two_parties(points: np.ndarray) -> np.ndarray:
    """Two coordinates: in decreasing first coordinate (then second), a point is kept when
    its second beats every earlier one; of equal vectors (and of equal firsts) the earlier
    one stays. (A handful of numpy calls: small spaces pay their first-call costs.)"""
    order = np.lexsort((-points[:, 1], -points[:, 0]))
    second = points[order, 1]
    keep = np.empty(len(order), dtype=bool)
    keep[0] = True
    keep[1:] = second[1:] > np.maximum.accumulate(second)[:-1]
    return np.sort(order[keep])


def use_compiled(n_points: int) -> bool:
    """Whether `n_points` distinct points of three or more parties go to numba's sweeps."""
    if not COMPILED:
        return False
    return n_points > SMALL_INPUT or "accord.analysis._sweeps" in sys.modules


def block_sweep(ordered: np.ndarray) -> np.ndarray:
    """Which rows of `ordered` (distinct, lexicographically decreasing) no earlier row
    weakly dominates; since the order already ranks the first coordinate, only the others
    are compared. Each block is first checked against the rows kept before it, then its
    survivors against each other: a dominated earlier row is never needed as the witness,
    since what dominates it dominates the row too."""
    rest = np.ascontiguousarray(ordered[:, 1:])
    n, width = rest.shape
    keep = np.zeros(n, dtype=bool)
    kept = np.empty((0, width))
    start, size = 0, 32  # blocks grow: the first rows are checked against few kept ones
    while start < n:
        block = rest[start:start + size]
        alive = np.arange(len(block))
        step = max(1, _CELLS // len(block))
        for lo in range(0, len(kept), step):
            if len(alive) == 0:
                break
            above = _weakly_above(kept[lo:lo + step], block[alive]).any(axis=0)
            alive = alive[~above]
        inside = _weakly_above(block[alive], block[alive])
        alive = alive[~np.triu(inside, k=1).any(axis=0)]
        keep[start + alive] = True
        kept = np.concatenate([kept, block[alive]])
        start, size = start + len(block), min(2 * size, _BLOCK)
    return keep


def _weakly_above(rows: np.ndarray, points: np.ndarray) -> np.ndarray:
    """[j, i]: rows[j] >= points[i] in every coordinate."""
    above = rows[:, None, 0] >= points[None, :, 0]
    for k in range(1, rows.shape[1]):
        above &= rows[:, None, k] >= points[None, :, k]
    return above


def _descending_ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 = largest value; equal values share a rank."""
    unique = np.unique(values)  # ascending
    return (len(unique) - np.searchsorted(unique, values)).astype(np.int64)
