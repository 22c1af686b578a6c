"""Compiled sweeps of the non-dominated filter (see `_nondominated`)."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def sweep3(third: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """Points come in lexicographically decreasing order; a point is dominated iff an
    earlier point has second >= and third >= (earlier means first >=; distinct rows)."""
    n = len(third)
    size = 0
    for i in range(n):
        if ranks[i] > size:
            size = ranks[i]
    tree = np.full(size + 1, -np.inf)
    keep = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        best = -np.inf  # prefix max over ranks 1..ranks[i] (second >= this one's)
        r = ranks[i]
        while r > 0:
            if tree[r] > best:
                best = tree[r]
            r -= r & (-r)
        if best >= third[i]:
            continue
        keep[i] = True
        r = ranks[i]
        while r <= size:
            if tree[r] < third[i]:
                tree[r] = third[i]
            r += r & (-r)
    return keep


@njit(cache=True, nogil=True)
def sweep_general(points: np.ndarray) -> np.ndarray:
    """Points in lexicographically decreasing order, distinct: a point is dominated iff a
    kept earlier point is >= in every coordinate."""
    n, m = points.shape
    kept = np.empty((n, m))
    count = 0
    keep = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        dominated = False
        for j in range(count):
            weakly = True
            for k in range(1, m):
                if kept[j, k] < points[i, k]:
                    weakly = False
                    break
            if weakly:
                dominated = True
                break
        if not dominated:
            keep[i] = True
            for k in range(m):
                kept[count, k] = points[i, k]
            count += 1
    return keep
