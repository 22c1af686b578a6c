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


@njit(cache=True, nogil=True)
def sweep4(c1: np.ndarray, c2_rank: np.ndarray, c3: np.ndarray) -> np.ndarray:
    """Four parties. Points (distinct, in lexicographically decreasing order of all four
    utilities) are given by their last three: a point is dominated iff an earlier point is
    >= in c1, c2 and c3. CDQ divide and conquer over the order (bottom-up merges by c1,
    earlier half first on ties), a Fenwick tree over c2's descending ranks holding the
    best c3: O(n log^2 n)."""
    n = len(c1)
    dominated = np.zeros(n, dtype=np.bool_)
    size = 0
    for i in range(n):
        if c2_rank[i] > size:
            size = c2_rank[i]
    tree = np.full(size + 1, -np.inf)
    perm = np.arange(n)
    merged = np.empty(n, dtype=np.int64)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            a, b, out = lo, mid, lo
            while a < mid or b < hi:
                take_left = b >= hi or (a < mid and c1[perm[a]] >= c1[perm[b]])
                if take_left:
                    j = perm[a]
                    r = c2_rank[j]
                    while r <= size:
                        if tree[r] < c3[j]:
                            tree[r] = c3[j]
                        r += r & (-r)
                    merged[out] = j
                    a += 1
                else:
                    i = perm[b]
                    if not dominated[i]:
                        best = -np.inf
                        r = c2_rank[i]
                        while r > 0:
                            if tree[r] > best:
                                best = tree[r]
                            r -= r & (-r)
                        if best >= c3[i]:
                            dominated[i] = True
                    merged[out] = i
                    b += 1
                out += 1
            for k in range(lo, mid):  # clear what the left half wrote
                r = c2_rank[perm[k]]
                while r <= size:
                    tree[r] = -np.inf
                    r += r & (-r)
        for k in range(n):
            perm[k] = merged[k]
        width *= 2
    return ~dominated
