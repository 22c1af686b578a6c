"""Aligning the points of two plans from their pairwise scores.

1. One-to-one: a maximum-weight matching over the pairs scoring at least `threshold`
   (Kuhn 1955, Munkres 1957: the Hungarian method, here scipy's `linear_sum_assignment`).
2. Splits and merges: a point left over on one side joins the point of the other side
   that it fits best, when that fit is at least `threshold` and at least `ratio` times
   the fit of that point's own partner — it is then one of several pieces (a split) or
   one of several sources (a merge).
3. Moves: the one-to-one pairs outside a longest increasing subsequence of the matched
   numbers (in B's order) have changed place (patience sorting; Aldous & Diaconis 1999,
   "Longest increasing subsequences: from patience sorting to the Baik-Deift-Johansson
   theorem").
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import linear_sum_assignment

Relation = Literal["one-to-one", "split", "merge", "none"]

THRESHOLD = 0.3
"""Lowest score at which two points are taken to be about the same matter."""
RATIO = 0.65
"""A leftover point joins a partner's pair when it fits at least this share as well."""


@dataclass(frozen=True)
class Link:
    """Points of A (indices) linked to one point of B (index, or None for A's points
    with no counterpart), how, and with what score (the best of the pairs)."""

    a: tuple[int, ...]
    b: int | None
    relation: Relation
    score: float


def maximum_weight_matching(scores: np.ndarray, threshold: float = THRESHOLD
                            ) -> list[tuple[int, int]]:
    """One-to-one pairs (i, j) maximising the total score, each scoring ≥ threshold."""
    if scores.size == 0:
        return []
    weights = np.where(scores >= threshold, scores, 0.0)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return sorted((int(i), int(j)) for i, j in zip(rows, cols) if scores[i, j] >= threshold)


def align(scores: np.ndarray, threshold: float = THRESHOLD, ratio: float = RATIO
          ) -> list[Link]:
    """Every point of B in one link (in B's order), then A's points left without one."""
    pairs = maximum_weight_matching(scores, threshold)
    partner_of_a = {i: j for i, j in pairs}
    partner_of_b = {j: i for i, j in pairs}
    sources = {j: [i] for i, j in pairs}
    for i in range(scores.shape[0]):
        if i not in partner_of_a:
            j = _joins(scores[i, :], partner_of_b, scores, threshold, ratio, rows=False)
            if j is not None:
                sources[j].append(i)
    links = [_link_of_b(j, sources, partner_of_a, scores, threshold, ratio)
             for j in range(scores.shape[1])]
    linked = {i for link in links for i in link.a}
    return links + [Link((i,), None, "none", 0.0) for i in range(scores.shape[0])
                    if i not in linked]


def _link_of_b(j: int, sources: dict[int, list[int]], partner_of_a: dict[int, int],
               scores: np.ndarray, threshold: float, ratio: float) -> Link:
    if j in sources:
        a = tuple(sources[j])
        relation: Relation = "merge" if len(a) > 1 else "one-to-one"
        return Link(a, j, relation, float(max(scores[i, j] for i in a)))
    i = _joins(scores[:, j], partner_of_a, scores, threshold, ratio, rows=True)
    if i is None:
        return Link((), j, "none", 0.0)
    return Link((i,), j, "split", float(scores[i, j]))


def _joins(fits: np.ndarray, partner: dict[int, int], scores: np.ndarray,
           threshold: float, ratio: float, rows: bool) -> int | None:
    """The matched point a leftover point joins, or None.

    `fits` are the leftover's scores against the other side; `partner` maps a matched
    point of the other side to its own partner; `rows` says whether the other side is A.
    """
    if not partner or fits.size == 0:
        return None
    best = int(np.argmax(fits))
    if best not in partner or fits[best] < threshold:
        return None
    own = scores[best, partner[best]] if rows else scores[partner[best], best]
    return best if fits[best] >= ratio * own else None


def longest_increasing_subsequence(values: list[float]) -> list[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[float] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for k, value in enumerate(values):
        place = bisect_left(tails, value)
        if place == len(tails):
            tails.append(value)
            tail_index.append(k)
        else:
            tails[place] = value
            tail_index[place] = k
        previous[k] = tail_index[place - 1] if place > 0 else -1
    chain, k = [], tail_index[-1] if tail_index else -1
    while k >= 0:
        chain.append(k)
        k = previous[k]
    return chain[::-1]


def moved_links(links: list[Link], fixed: set[int] = frozenset()) -> set[int]:
    """B indices of the one-to-one links whose A point changed place relative to the
    others; B points in `fixed` (order not known) are never counted as moved."""
    ordered = [link for link in links if link.relation == "one-to-one"
               and link.b is not None and link.b not in fixed]
    ordered.sort(key=lambda link: link.b)
    keep = set(longest_increasing_subsequence([link.a[0] for link in ordered]))
    return {link.b for k, link in enumerate(ordered) if k not in keep}  # type: ignore[misc]
