"""GeniusWeb `SumOfGroupsUtilitySpace` profiles: utilities over groups of issues, as terms.

A sum-of-groups profile splits the domain's issues into non-overlapping parts; each part
lists utilities for combinations of its issues' values
(`{"partsutils": {"issues": [...], "utilslist": [{"values": [...], "util": u}, ...]}}`),
a combination it does not list is worth 0, and a bid's utility is the sum over parts
(GeniusWeb's `SumOfGroupsUtilitySpace.getUtility`). accord reads a one-issue part as the
party's preference on that issue (salience = its best utility, valuation = utility / best)
and each listed combination of a larger part as a term (`when`: one option per issue of the
part), so utilities are exactly GeniusWeb's. The reservation value is the utility of the
reservation bid (parts it leaves incomplete count 0, as in GeniusWeb).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from accord.io._names import safe_id

GROUPS = "SumOfGroupsUtilitySpace"

Path_ = tuple[str | int, ...]


class GroupsError(Exception):
    """A problem at a field path of the profile (raised as the reader's located error)."""

    def __init__(self, path: Path_, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def groups_party(profile: dict[str, Any], issues: list[dict[str, Any]],
                 path: Path) -> dict[str, Any]:
    """Party data (preferences, terms, reservation) from a sum-of-groups profile body.

    `issues` are the reader's domain issues (`name`, `id`, `labels`, `option_ids`,
    `numbers`)."""
    parts = profile.get("partUtilities")
    if not isinstance(parts, dict) or not parts:
        raise GroupsError(("partUtilities",), "missing, empty or not an object")
    by_name = {issue["name"]: issue for issue in issues}
    covered: set[str] = set()
    preferences: dict[str, Any] = {}
    terms: list[dict[str, Any]] = []
    tables: list[tuple[list[str], dict[tuple[str, ...], float]]] = []
    for part_name, part in parts.items():
        where: Path_ = ("partUtilities", part_name, "partsutils")
        body = part.get("partsutils") if isinstance(part, dict) else None
        if not isinstance(body, dict):
            raise GroupsError(where, "expected {\"partsutils\": {\"issues\": [...], "
                              "\"utilslist\": [...]}}")
        names = body.get("issues")
        if not isinstance(names, list) or not names:
            raise GroupsError(where + ("issues",), "expected a non-empty list of issue names")
        for k, name in enumerate(names):
            if name not in by_name:
                raise GroupsError(where + ("issues", k), f"issue {name!r} is not in the domain")
            if name in covered:
                raise GroupsError(where + ("issues", k), f"issue {name!r} is in two parts "
                                  "(GeniusWeb's parts do not overlap)")
            covered.add(name)
        table = _table(body.get("utilslist"), [by_name[n] for n in names], where)
        tables.append((names, table))
        if len(names) == 1:
            issue = by_name[names[0]]
            values = [table.get((oid,), 0.0) for oid in issue["option_ids"]]
            best = max(values)
            if best > 0:
                preferences[issue["id"]] = {
                    "salience": best,
                    "valuations": dict(zip(issue["option_ids"], (v / best for v in values)))}
            elif any(values):
                raise GroupsError(where, "negative utilities (GeniusWeb's are in [0, 1])")
            continue
        for combination, util in table.items():
            if util:
                terms.append({"value": util, "when": {by_name[n]["id"]: [oid] for n, oid
                                                      in zip(names, combination)}})
    missing = [issue["name"] for issue in issues if issue["name"] not in covered]
    if missing:
        raise GroupsError(("partUtilities",), f"the parts do not cover the issue(s) "
                          f"{', '.join(map(repr, missing))} (GeniusWeb requires every issue)")
    name = profile.get("name")
    name = str(name) if isinstance(name, str) and name.strip() else path.stem
    return {"id": safe_id(name, safe_id(path.stem, "party")), "name": name,
            "capability": 1.0, "preferences": preferences, "terms": terms,
            "reservation": _reservation(profile.get("reservationBid"), tables, by_name)}


def _table(entries: Any, issues: list[dict[str, Any]], where: Path_
           ) -> dict[tuple[str, ...], float]:
    """Combination of option ids -> utility, from a part's `utilslist`."""
    if not isinstance(entries, list):
        raise GroupsError(where + ("utilslist",), "expected a list of {values, util}")
    table: dict[tuple[str, ...], float] = {}
    for k, entry in enumerate(entries):
        here = where + ("utilslist", k)
        values = entry.get("values") if isinstance(entry, dict) else None
        util = entry.get("util") if isinstance(entry, dict) else None
        if not isinstance(values, list) or len(values) != len(issues):
            raise GroupsError(here, f"expected \"values\": a list of {len(issues)} value(s), "
                              "one per issue of the part")
        if isinstance(util, bool) or not isinstance(util, (int, float, Decimal)):
            raise GroupsError(here + ("util",), f"expected a number, got {util!r}")
        combination = tuple(_option(issue, value, here + ("values", j))
                            for j, (issue, value) in enumerate(zip(issues, values)))
        if combination in table:
            raise GroupsError(here, "this combination of values is listed twice")
        table[combination] = float(util)
    return table


def _option(issue: dict[str, Any], value: Any, where: Path_) -> str:
    """The option id of a value of an issue (a discrete label, or a number of the range)."""
    if issue["numbers"] is not None and isinstance(value, (int, float, Decimal)) \
            and not isinstance(value, bool):
        for oid, number in zip(issue["option_ids"], issue["numbers"]):
            if Decimal(str(number)) == Decimal(str(value)):
                return oid
    elif isinstance(value, str) and value in issue["labels"]:
        return issue["option_ids"][issue["labels"].index(value)]
    raise GroupsError(where, f"value {value!r} is not a value of issue {issue['name']!r}")


def _reservation(bid: Any, tables: list[tuple[list[str], dict[tuple[str, ...], float]]],
                 by_name: dict[str, dict[str, Any]]) -> float:
    if bid is None:
        return 0.0
    values = bid.get("issuevalues") if isinstance(bid, dict) else None
    if not isinstance(values, dict):
        raise GroupsError(("reservationBid",), "expected {\"issuevalues\": {issue: value}} "
                          "or null")
    chosen = {}
    for name, value in values.items():
        if name not in by_name:
            raise GroupsError(("reservationBid", "issuevalues", name),
                              f"issue {name!r} is not in the domain")
        chosen[name] = _option(by_name[name], value, ("reservationBid", "issuevalues", name))
    total = 0.0
    for names, table in tables:
        if all(n in chosen for n in names):
            total += table.get(tuple(chosen[n] for n in names), 0.0)
    return total
