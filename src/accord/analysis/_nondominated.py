"""Non-dominated filtering of utility vectors (maximisation), the kernel of the frontier.

`nondominated(points)` returns the indices of the points no other point dominates, one
index per distinct vector. Two parties: a sort and a running maximum (numpy). Three: a
sweep in decreasing first coordinate with a Fenwick tree of the best third coordinate
over ranks of the second (Kung, Luccio & Preparata 1975; O(n log n)). Four: the same
order, with CDQ divide and conquer over it and a Fenwick tree inside (O(n log^2 n)).
Five or more: the sweep, each point checked against the points kept so far
(O(n x frontier)).
The sweeps (`_sweeps`) are compiled with numba.
"""

from __future__ import annotations

import numpy as np


def nondominated(points: np.ndarray) -> np.ndarray:
    """Indices of the non-dominated rows of `points` (n, m), one per distinct row."""
    n, m = points.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if m == 1:
        return np.array([int(np.argmax(points[:, 0]))], dtype=np.int64)
    order = np.lexsort(tuple(-points[:, k] for k in range(m - 1, -1, -1)))
    ordered = points[order]
    distinct = np.ones(n, dtype=bool)
    distinct[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    order, ordered = order[distinct], ordered[distinct]
    if m == 2:
        best_before = np.maximum.accumulate(np.concatenate([[-np.inf], ordered[:-1, 1]]))
        keep = ordered[:, 1] > best_before
    else:  # numba is imported only here: two-party work never pays its start-up
        from accord.analysis import _sweeps

        if m == 3:
            keep = _sweeps.sweep3(ordered[:, 2].copy(), _descending_ranks(ordered[:, 1]))
        elif m == 4:
            keep = _sweeps.sweep4(ordered[:, 1].copy(), _descending_ranks(ordered[:, 2]),
                                  ordered[:, 3].copy())
        else:
            keep = _sweeps.sweep_general(np.ascontiguousarray(ordered))
    return np.sort(order[keep])


def _descending_ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 = largest value; equal values share a rank."""
    unique = np.unique(values)  # ascending
    return (len(unique) - np.searchsorted(unique, values)).astype(np.int64)
