"""GeniusWeb `DefaultPartialOrdering` profiles, read as what they are: a ranking of bids.

Such a profile holds its domain, a list of `bids` and a list `better` of index pairs
`[i, j]`, each saying that `bids[i]` is preferred or equal to `bids[j]` (GeniusWeb's
`isPreferredOrEqual`, ≥), and optionally a reservation bid. It gives no number to any bid, so
accord's analyses, which need a utility per package (zone of agreement, Nash, frontier …),
cannot use it: `load_geniusweb` refuses it with `ordinal_problems`, naming the file and
the size of the ranking, and `accord validate FILE` reports the ranking itself.

Because the relation is ≥, pairs that go both ways (a cycle `a ≥ b ≥ c ≥ a`) say that the
bids are equally good — a tie, as GeniusWeb reads it — not a contradiction. `OrdinalProfile`
groups tied bids, closes the relation under transitivity and answers `is_better(a, b)`,
`ranking()` (layers, best first) and whether the order is total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.io import geniusweb
from accord.io._names import number_text

ORDERING = "DefaultPartialOrdering"
_RESERVATION_KEYS = ("reservationBid", "reservationbid")

Where = tuple[str | int, ...]


@dataclass(frozen=True)
class OrdinalProfile:
    """A GeniusWeb partial ordering: bids (issue → value text) and the ≥ relation on them."""

    name: str
    domain: str
    issues: tuple[str, ...]
    bids: tuple[dict[str, str], ...]
    better: tuple[tuple[int, int], ...]
    """Pairs (i, j): bids[i] is preferred or equal to bids[j], as the file gives them."""
    reservation: dict[str, str] | None = None
    file: str | None = field(default=None, compare=False)

    @cached_property
    def _closure(self) -> list[int]:
        """reach[i]: bitset of the bids j with bids[i] ≥ bids[j] (reflexive, transitive)."""
        n = len(self.bids)
        succ: list[set[int]] = [set() for _ in range(n)]
        for i, j in self.better:
            succ[i].add(j)
        reach = [1 << i for i in range(n)]
        for start in range(n):  # depth-first search from each bid: O(n · pairs), n is small
            seen, stack = 1 << start, [start]
            while stack:
                for nxt in succ[stack.pop()]:
                    if not seen >> nxt & 1:
                        seen |= 1 << nxt
                        stack.append(nxt)
            reach[start] = seen
        return reach

    def is_better(self, a: int, b: int) -> bool:
        """Whether bids[a] is preferred or equal to bids[b] (≥, through any chain of pairs)."""
        return bool(self._closure[a] >> b & 1)

    def is_strictly_better(self, a: int, b: int) -> bool:
        """Whether bids[a] ≥ bids[b] but not bids[b] ≥ bids[a]."""
        return self.is_better(a, b) and not self.is_better(b, a)

    def ties(self) -> list[tuple[int, ...]]:
        """Groups of two or more bids that are equally good (each ≥ the others)."""
        groups: dict[tuple[int, ...], None] = {}
        for a in range(len(self.bids)):
            group = tuple(b for b in range(len(self.bids))
                          if self.is_better(a, b) and self.is_better(b, a))
            if len(group) > 1:
                groups[group] = None
        return list(groups)

    def ranking(self) -> list[list[int]]:
        """The bids in layers, best first: a bid's layer is the length of the longest chain
        of strictly better bids above it. Bids in one layer are tied or not compared."""
        n = len(self.bids)
        above = [[a for a in range(n) if self.is_strictly_better(a, b)] for b in range(n)]
        depth: list[int] = [-1] * n
        for b in sorted(range(n), key=lambda x: len(above[x])):  # ancestors have fewer above
            depth[b] = max((depth[a] + 1 for a in above[b]), default=0)
        layers: list[list[int]] = [[] for _ in range(max(depth, default=-1) + 1)]
        for b in range(n):
            layers[depth[b]].append(b)
        return layers

    def incomparable_pairs(self) -> int:
        """Pairs of bids the ranking does not compare (neither ≥ the other)."""
        n = len(self.bids)
        return sum(1 for a in range(n) for b in range(a + 1, n)
                   if not self.is_better(a, b) and not self.is_better(b, a))

    def is_total(self) -> bool:
        """Whether every two bids are compared (a complete ranking, ties allowed)."""
        return self.incomparable_pairs() == 0

    def summary(self) -> str:
        """One line: bids, pairs, layers, ties and how complete the ranking is."""
        n, ties, open_pairs = len(self.bids), self.ties(), self.incomparable_pairs()
        parts = [f"{n} bid(s) over {len(self.issues)} issue(s) of the domain {self.domain!r}",
                 f"{len(self.better)} 'better' pair(s)", f"{len(self.ranking())} rank(s)"]
        if ties:
            parts.append(f"{sum(len(t) for t in ties)} bid(s) tied in {len(ties)} group(s)")
        parts.append("a total order" if open_pairs == 0 else
                     f"a partial order: {open_pairs} pair(s) of bids not compared")
        return ", ".join(parts)


def is_ordinal_json(path: Path) -> bool:
    """Whether a file looks like a GeniusWeb DefaultPartialOrdering (cheap check on its start)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return f'"{ORDERING}"'.encode() in head


def load_ordinal(path: str | Path) -> OrdinalProfile:
    """Read a DefaultPartialOrdering file; ScenarioError naming the file and each field."""
    path = Path(path)
    data = geniusweb.read_json(path)
    if geniusweb.profile_kind(data) != ORDERING:
        raise ScenarioError([Problem((), f"not a GeniusWeb {ORDERING}: expected an object "
                                     f"with the one key {ORDERING!r}", None, str(path))])
    return read_ordinal(data[ORDERING], path)


def ordinal_problems(data: Any, path: Path) -> list[Problem]:
    """Why `load_geniusweb` cannot use this ordinal profile (and what is wrong with it, if
    anything): the refusal names the file, the size of the ranking and what to do."""
    advice = ("accord's analyses (zone of agreement, Nash, Kalai-Smorodinsky, frontier, …) "
              "need a utility for every package; give LinearAdditiveUtilitySpace profiles, "
              f"and run `accord validate {path}` to see the ranking checked")
    try:
        profile = read_ordinal(data.get(ORDERING) if isinstance(data, dict) else None, path)
    except ScenarioError as error:
        return [Problem((ORDERING,), f"GeniusWeb profile type {ORDERING!r} is not supported "
                        "for analysis: it is an ordinal profile (a ranking of bids, not "
                        f"utilities); {advice}. It is malformed too:", None, str(path)),
                *error.problems]
    return [Problem((ORDERING,), f"GeniusWeb profile type {ORDERING!r} is not supported for "
                    f"analysis: it is an ordinal profile (a ranking of {len(profile.bids)} "
                    f"bid(s), not utilities); {advice}", None, str(path))]


def read_ordinal(body: Any, path: Path) -> OrdinalProfile:
    """The body of `{"DefaultPartialOrdering": body}` as an OrdinalProfile."""
    problems: list[Problem] = []

    def bad(where: Where, message: str) -> None:
        problems.append(Problem((ORDERING, *where), message, None, str(path)))

    if not isinstance(body, dict):
        bad((), "expected an object with \"domain\", \"bids\" and \"better\"")
        raise ScenarioError(problems)
    try:
        issues = geniusweb._issues(body.get("domain"), geniusweb.DEFAULT_POINTS,
                                   geniusweb.DEFAULT_INTEGER_LIMIT)
    except geniusweb._Bad as error:
        bad(("domain", *error.path), error.message)
        raise ScenarioError(problems) from None
    by_name = {issue["name"]: issue for issue in issues}
    raw_bids = body.get("bids")
    bids: list[dict[str, str]] = []
    seen: dict[tuple[tuple[str, str], ...], int] = {}
    if not isinstance(raw_bids, list):
        bad(("bids",), "missing or not a list of bids ({\"issuevalues\": {issue: value}})")
    else:
        for k, raw in enumerate(raw_bids):
            bid = _bid(raw, by_name, ("bids", k), bad)
            if bid is None:
                bids.append({})
                continue
            key = tuple(sorted(bid.items()))
            if key in seen:
                bad(("bids", k), f"the same bid as bids[{seen[key]}]; each bid is listed once")
            seen.setdefault(key, k)
            bids.append(bid)
    better = _pairs(body.get("better"), len(bids) if isinstance(raw_bids, list) else None, bad)
    reservation = None
    for key in _RESERVATION_KEYS:
        if body.get(key) is not None:
            reservation = _bid(body[key], by_name, (key,), bad)
    if problems:
        raise ScenarioError(problems)
    name = body.get("name")
    name = str(name) if isinstance(name, (str, Decimal)) and str(name).strip() else path.stem
    return OrdinalProfile(name=name, domain=geniusweb._domain_name(body.get("domain")),
                          issues=tuple(by_name), bids=tuple(bids), better=tuple(better),
                          reservation=reservation, file=str(path))


def _bid(raw: Any, issues: dict[str, dict[str, Any]], where: Where,
         bad: Any) -> dict[str, str] | None:
    """A bid's values as text (numbers normalised), checked against the domain (None when
    something is wrong with it: each problem is reported through `bad`)."""
    values = raw.get("issuevalues") if isinstance(raw, dict) else None
    if not isinstance(values, dict):
        bad(where, "expected {\"issuevalues\": {issue: value, …}}")
        return None
    bid: dict[str, str] = {}
    ok = True
    for name, value in values.items():
        at = (*where, "issuevalues", name)
        issue = issues.get(name)
        if issue is None or (issue["numbers"] is None and str(value) not in issue["labels"]) \
                or (issue["numbers"] is not None and not _in_range(value, issue)):
            ok = False
        if issue is None:
            bad(at, f"issue {name!r} is not in the domain")
        elif issue["numbers"] is not None:
            if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
                bad(at, f"expected a number in {number_text(issue['low'])}.."
                    f"{number_text(issue['high'])}, got {_show(value)}")
            elif not issue["low"] <= value <= issue["high"]:
                bad(at, f"value {number_text(value)} is outside the issue's range "
                    f"{number_text(issue['low'])}..{number_text(issue['high'])}")
            else:
                bid[name] = number_text(value)
        elif isinstance(value, (dict, list)) or value is None or str(value) not in issue["labels"]:
            shown = ", ".join(issue["labels"][:8]) + (" …" if len(issue["labels"]) > 8 else "")
            bad(at, f"unknown value {_show(value)}; expected one of {shown}")
        else:
            bid[name] = str(value)
    return bid if ok else None


def _in_range(value: Any, issue: dict[str, Any]) -> bool:
    return (isinstance(value, Decimal) and value.is_finite()
            and issue["low"] <= value <= issue["high"])


def _show(value: Any) -> str:
    """A JSON value as the file writes it (numbers unquoted)."""
    if isinstance(value, Decimal) and value.is_finite():
        return number_text(value)
    return geniusweb._short(value)


def _pairs(raw: Any, n_bids: int | None, bad: Any) -> list[tuple[int, int]]:
    """The `better` list as index pairs, each checked: two whole numbers naming bids."""
    if not isinstance(raw, list):
        bad(("better",), "missing or not a list of [better, worse] bid-index pairs")
        return []
    pairs = []
    for k, pair in enumerate(raw):
        if not isinstance(pair, list) or len(pair) != 2:
            bad(("better", k), "expected a pair [i, j] of bid indices, got "
                + (f"a list of {len(pair)}" if isinstance(pair, list) else _show(pair)))
            continue
        indices = []
        for side, index in enumerate(pair):
            whole = (isinstance(index, Decimal) and not isinstance(index, bool)
                     and index.is_finite() and index == index.to_integral_value())
            if not whole:
                bad(("better", k, side), f"expected a bid index (a whole number), got "
                    f"{_show(index)}")
            elif n_bids is not None and not 0 <= index < n_bids:
                bad(("better", k, side), f"bid index {index} does not exist: there are "
                    f"{n_bids} bid(s), numbered 0 to {n_bids - 1}")
            else:
                indices.append(int(index))
        if len(indices) == 2:
            pairs.append((indices[0], indices[1]))
    return pairs
