"""Trades (logrolls) that help two parties at once, starting from a draft.

A logroll is a pair of concessions: on one issue the draft moves towards A, on another
towards B, and each values what it gains more than what it gives (Raiffa 1982, ch. 10;
Pruitt 1981, "logrolling"). We enumerate every change of one or two issues of the draft,
keep those that raise both A's and B's utility and pick no vetoed option the draft does
not already pick, and rank them by the smaller of the two gains. Exact and cheap: the
number of candidates is quadratic in the number of options, whatever the space's size.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from accord.analysis.efficiency import allowed_against
from accord.analysis.space import Space
from accord.analysis.utility import satisfies_constraints, utilities


@dataclass(frozen=True)
class Trade:
    """A change of one or two issues of a draft, and what every party gains by it."""

    changes: tuple[tuple[int, int], ...]  # (issue, new option)
    package: np.ndarray
    gains: np.ndarray  # per party: utility of the new package minus the draft's

    @property
    def is_logroll(self) -> bool:
        """Two issues, each moving the draft towards a different one of the two parties."""
        return len(self.changes) == 2


def mutual_gains(space: Space, draft: np.ndarray, a: int, b: int,
                 limit: int = 10) -> list[Trade]:
    """The best changes of at most two issues that raise both a's and b's utility."""
    candidates = _changed_packages(space, draft)
    if not candidates:
        return []
    changes, packages = zip(*candidates)
    packages_arr = np.array(packages)
    gains = utilities(space, packages_arr) - utilities(space, draft)[0]
    allowed = satisfies_constraints(space, packages_arr)
    forbidden = allowed_against(space, draft)  # vetoed options the draft does not pick
    allowed &= ~forbidden[space.package_vars(packages_arr)].any(axis=1)
    good = allowed & (gains[:, a] > 1e-9) & (gains[:, b] > 1e-9)
    order = sorted(np.flatnonzero(good), key=lambda k: (-min(gains[k, a], gains[k, b]), k))
    return [Trade(changes[k], packages_arr[k], gains[k]) for k in order[:limit]]


def _changed_packages(space: Space, draft: np.ndarray) -> list[tuple[tuple, np.ndarray]]:
    singles = [(i, o) for i in range(space.n_issues) for o in range(int(space.sizes[i]))
               if o != draft[i]]
    result = []
    for change in singles:
        package = draft.copy()
        package[change[0]] = change[1]
        result.append(((change,), package))
    for first, second in itertools.combinations(singles, 2):
        if first[0] == second[0]:
            continue
        package = draft.copy()
        package[first[0]], package[second[0]] = first[1], second[1]
        result.append(((first, second), package))
    return result
