"""GeniusWeb JSON profiles: read one or more into a Scenario (one party per profile).

A GeniusWeb `LinearAdditiveUtilitySpace` profile holds its domain (`issuesValues`: a list of
discrete values, or a number range `{low, high, step}` per issue), a weight per issue
(`issueWeights`), a utility function per issue (`issueUtilities`: `DiscreteValueSetUtilities`
with a utility per value, or `NumberValueSetUtilities` interpolating linearly between a low
and a high value, 0 outside), and optionally a `reservationBid`. Utility = Σ weight ×
utility. accord reads it exactly: salience = weight × the best utility of the issue,
valuation = utility / best (so each party's best option on an issue is valued 1), and the
reservation value is the profile's utility of its reservation bid (0 without one).

Number issues give one option per value of the range when it has at most `integer_limit`
values, else `points` evenly spaced values of the range. `SumOfGroupsUtilitySpace` profiles
read as terms (`geniusweb_groups`); a partial ordering is refused as the ranking it is
(`geniusweb_ordinal`). Writing: `geniusweb_write`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.io._names import number_text, readable, safe_id, unique_ids
from accord.io._xml import read_bytes
from accord.io.geniusweb_groups import GROUPS, GroupsError, groups_party
from accord.model import Scenario

DEFAULT_POINTS = 11
DEFAULT_INTEGER_LIMIT = 1000
LINEAR = "LinearAdditiveUtilitySpace"

Path_ = tuple[str | int, ...]


class _Bad(Exception):
    def __init__(self, path: Path_, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def read_json(path: Path) -> Any:
    """Parse a JSON file (numbers as Decimal, exact); ScenarioError with file and line."""
    raw = read_bytes(path, "JSON")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError([Problem((), f"not UTF-8 text: byte 0x{raw[error.start]:02x} at "
                                     f"offset {error.start}", None, str(path))]) from None
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal,
                          parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ScenarioError([Problem((), f"not valid JSON: {error.msg} (column {error.colno})",
                                     error.lineno, str(path))]) from None
    except (ValueError, RecursionError) as error:
        raise ScenarioError([Problem((), f"not valid JSON: {error}", None, str(path))]) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def profile_kind(data: Any) -> str | None:
    """`LinearAdditiveUtilitySpace`, another profile type name, `domain`, or None."""
    if isinstance(data, dict):
        if "issuesValues" in data:
            return "domain"
        if len(data) == 1:
            key = next(iter(data))
            if isinstance(key, str) and key.endswith(("UtilitySpace", "Ordering", "Profile",
                                                      "Utilities")):
                return key
    return None


def is_geniusweb_json(path: Path) -> bool:
    """Whether a JSON file looks like a GeniusWeb profile (cheap check on its start)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
    except OSError:
        return False
    return head.startswith(b"{") and (b"UtilitySpace" in head or b"Ordering" in head
                                      or b"issuesValues" in head)


def load_geniusweb(paths: Sequence[str | Path], *, points: int = DEFAULT_POINTS,
                   integer_limit: int = DEFAULT_INTEGER_LIMIT) -> Scenario:
    """Read GeniusWeb profiles (and optionally their domain JSON) into one Scenario.

    Every profile must be on the same domain (name and issue values); a domain file among
    `paths` is checked against them and gives no party.
    """
    if points < 2:
        raise ValueError("points must be at least 2")
    paths = [Path(p) for p in paths]
    if not paths:
        raise ScenarioError([Problem((), "no GeniusWeb profile given")])
    profiles: list[tuple[Path, str, dict[str, Any]]] = []
    domains: list[tuple[Path, Any]] = []
    problems: list[Problem] = []
    for path in paths:
        data = read_json(path)
        kind = profile_kind(data)
        if kind == "domain":
            domains.append((path, data))
        elif kind in (LINEAR, GROUPS):
            if not isinstance(data[kind], dict):
                problems.append(Problem((kind,), "expected an object", None, str(path)))
            else:
                profiles.append((path, kind, data[kind]))
        elif kind == "DefaultPartialOrdering":  # a ranking of bids: say so precisely
            from accord.io.geniusweb_ordinal import ordinal_problems
            problems.extend(ordinal_problems(data, path))
        elif kind is not None:
            problems.append(Problem((kind,), f"GeniusWeb profile type {kind!r} is not "
                                    f"supported: accord reads {LINEAR} and {GROUPS} "
                                    "profiles", None, str(path)))
        else:
            problems.append(Problem((), "not a GeniusWeb profile: expected an object with one "
                                    f"key such as {LINEAR!r}", None, str(path)))
    if problems:
        raise ScenarioError(problems)
    if not profiles:
        raise ScenarioError([Problem((), "no GeniusWeb profile among the files given (only a "
                                     "domain); a scenario needs at least one party", None,
                                     str(paths[0]))])
    first_path, first_kind, first = profiles[0]
    domain = first.get("domain")
    try:
        issues = _issues(domain, points, integer_limit)
    except _Bad as bad:
        raise ScenarioError([Problem((first_kind, "domain") + bad.path, bad.message, None,
                                     str(first_path))]) from None
    for path, kind, profile in profiles[1:]:
        if _plain(profile.get("domain")) != _plain(domain):
            problems.append(Problem((kind, "domain"), "the domain differs from that of "
                                    f"{first_path.name} (name {_domain_name(domain)!r}); all "
                                    "profiles of a scenario must share one domain", None,
                                    str(path)))
    for path, data in domains:
        if _plain(data) != _plain(domain):
            problems.append(Problem((), f"this domain differs from the one in the profiles "
                                    f"(e.g. {first_path.name})", None, str(path)))
    parties = []
    for path, kind, profile in profiles:
        try:
            parties.append(_party(profile, issues, path) if kind == LINEAR
                           else groups_party(profile, issues, path))
        except _Bad as bad:
            problems.append(Problem((LINEAR,) + bad.path, bad.message, None, str(path)))
        except GroupsError as bad:
            problems.append(Problem((GROUPS,) + bad.path, bad.message, None, str(path)))
    if problems:
        raise ScenarioError(problems)
    ids = unique_ids([p["id"] for p in parties], "party-")
    for party, party_id in zip(parties, ids):
        party["id"] = party_id
    name = _domain_name(domain)
    notes = [issue["note"] for issue in issues if issue.get("note")]
    kinds = " and ".join(sorted({kind for _, kind, _ in profiles}))
    description = (f"Imported from {len(parties)} GeniusWeb {kinds} profile(s) on the "
                   f"domain {name!r}. Utility = Σ weight × utility; salience = weight × the "
                   "best utility of the issue, valuation = utility / best (a group of issues: "
                   "one term per listed combination), so utilities are exactly GeniusWeb's; "
                   "reservation = utility of the reservation bid (0 without one); capability "
                   "1 each.")
    if notes:
        description += " Discretised: " + "; ".join(notes) + "."
    data = {
        "id": safe_id(name.lower(), "geniusweb"),
        "title": readable(name) if name else "GeniusWeb domain",
        "description": description,
        "issues": [{"id": issue["id"], "title": issue["name"],
                    "options": [{"id": oid, "label": label} for oid, label
                                in zip(issue["option_ids"], issue["labels"])]}
                   for issue in issues],
        "parties": parties,
    }
    try:
        return Scenario.build(data)
    except ScenarioError as error:
        raise ScenarioError([Problem(p.path, p.message, p.line, p.file or str(first_path))
                             for p in error.problems]) from None


def load_geniusweb_folder(folder: str | Path, **options: Any) -> Scenario:
    """Every GeniusWeb JSON profile (and domain) in a folder, as one Scenario."""
    folder = Path(folder)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".json"
                   and is_geniusweb_json(p))
    if not files:
        raise ScenarioError([Problem((), "no GeniusWeb JSON profiles in this folder", None,
                                     str(folder))])
    return load_geniusweb(files, **options)


def _plain(value: Any) -> Any:
    """JSON data with numbers as exact Decimals compared by value (2 == 2.0)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return value.normalize() if value.is_finite() else value
    return value


def _domain_name(domain: Any) -> str:
    name = domain.get("name") if isinstance(domain, dict) else None
    return str(name) if name is not None else ""


def _decimal(value: Any, path: Path_) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise _Bad(path, f"expected a number, got {_short(value)}")
    if not value.is_finite() or abs(value) > Decimal("1e15"):
        raise _Bad(path, f"number {value} is out of range")
    return value


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _issues(domain: Any, points: int, integer_limit: int) -> list[dict[str, Any]]:
    if not isinstance(domain, dict):
        raise _Bad((), "missing or not an object; expected {\"name\": …, \"issuesValues\": …}")
    values = domain.get("issuesValues")
    if not isinstance(values, dict) or not values:
        raise _Bad(("issuesValues",), "expected an object with at least one issue")
    issues = []
    for name, spec in values.items():
        where: Path_ = ("issuesValues", name)
        if not isinstance(spec, dict):
            raise _Bad(where, "expected {\"values\": [...]} or {\"range\": {...}}")
        if "values" in spec:
            raw = spec["values"]
            if not isinstance(raw, list) or not raw:
                raise _Bad(where + ("values",), "expected a non-empty list of values")
            labels = []
            for k, value in enumerate(raw):
                if isinstance(value, (dict, list)) or value is None:
                    raise _Bad(where + ("values", k), "expected a text value")
                text = str(value)
                if text in labels:
                    raise _Bad(where + ("values", k), f"value {text!r} is listed twice")
                labels.append(text)
            issues.append({"name": name, "kind": "discrete", "labels": labels, "numbers": None})
        elif "range" in spec:
            rng = spec["range"]
            if not isinstance(rng, dict):
                raise _Bad(where + ("range",), "expected {\"low\": …, \"high\": …, \"step\": …}")
            low = _decimal(rng.get("low"), where + ("range", "low"))
            high = _decimal(rng.get("high"), where + ("range", "high"))
            step_key = "step" if "step" in rng else "stepSize"
            step = _decimal(rng.get(step_key), where + ("range", step_key))
            if high < low or step <= 0:
                raise _Bad(where + ("range",), f"not a range: low {low}, high {high}, step "
                           f"{step} (need low ≤ high and step > 0)")
            count = int((high - low) // step) + 1
            note = None
            if count <= integer_limit:
                numbers = [low + k * step for k in range(count)]
            else:
                picks = sorted({round(k * (count - 1) / (points - 1)) for k in range(points)})
                numbers = [low + k * step for k in picks]
                note = (f"number issue {name!r} ({number_text(low)}..{number_text(high)} in "
                        f"steps of {number_text(step)}, {count:,} values, more than "
                        f"{integer_limit:,}) is discretised into {len(numbers)} evenly spaced "
                        "values of its range; its utility function is applied exactly there")
            issues.append({"name": name, "kind": "number", "numbers": numbers,
                           "low": low, "high": high,
                           "labels": [number_text(x) for x in numbers], "note": note})
        else:
            raise _Bad(where, "expected {\"values\": [...]} or {\"range\": {...}}")
    ids = unique_ids([issue["name"] for issue in issues], "issue-")
    for issue, issue_id in zip(issues, ids):
        issue["id"] = issue_id
        issue["option_ids"] = unique_ids(issue["labels"], "v")
    return issues


def _utility(value: Any, path: Path_) -> float:
    number = float(_decimal(value, path))
    if not 0 <= number <= 1:
        raise _Bad(path, f"utility {value} is outside [0, 1]")
    return number


def _evaluator(spec: Any, issue: dict[str, Any], where: Path_) -> Callable[[Any], float]:
    """The profile's utility function of one issue: label (discrete) or Decimal → utility."""
    if not isinstance(spec, dict) or len(spec) != 1:
        raise _Bad(where, "expected {\"DiscreteValueSetUtilities\": …} or "
                   "{\"NumberValueSetUtilities\": …}")
    kind, body = next(iter(spec.items()))
    where = where + (kind,)
    if not isinstance(body, dict):
        raise _Bad(where, "expected an object")
    if kind == "DiscreteValueSetUtilities":
        table = body.get("valueUtilities")
        if not isinstance(table, dict):
            raise _Bad(where + ("valueUtilities",), "expected an object value → utility")
        utilities = {str(k): _utility(v, where + ("valueUtilities", str(k)))
                     for k, v in table.items()}
        if issue["numbers"] is not None:
            numeric = {}
            for key, value in utilities.items():
                try:
                    numeric[Decimal(key).normalize()] = value
                except InvalidOperation:
                    pass
            return lambda x: numeric.get(x.normalize(), 0.0)
        return lambda label: utilities.get(label, 0.0)  # GeniusWeb: an unknown value is worth 0
    if kind == "NumberValueSetUtilities":
        low_value = _decimal(body.get("lowValue"), where + ("lowValue",))
        high_value = _decimal(body.get("highValue"), where + ("highValue",))
        low_utility = Decimal(str(_utility(body.get("lowUtility"), where + ("lowUtility",))))
        high_utility = Decimal(str(_utility(body.get("highUtility"), where + ("highUtility",))))
        if high_value <= low_value:
            raise _Bad(where, "highValue must be greater than lowValue")
        if issue["numbers"] is None:
            raise _Bad(where, "number utilities given for an issue with discrete values")

        def linear(x: Decimal) -> float:
            if x < low_value or x > high_value:
                return 0.0  # GeniusWeb: outside [lowValue, highValue] the utility is 0
            return float(low_utility + (high_utility - low_utility) * (x - low_value)
                         / (high_value - low_value))
        return linear
    raise _Bad(where, f"utility function {kind!r} is not supported (expected "
               "DiscreteValueSetUtilities or NumberValueSetUtilities)")


def _party(profile: dict[str, Any], issues: list[dict[str, Any]], path: Path) -> dict[str, Any]:
    utilities = profile.get("issueUtilities")
    weights = profile.get("issueWeights")
    if not isinstance(utilities, dict):
        raise _Bad(("issueUtilities",), "missing or not an object")
    if not isinstance(weights, dict):
        raise _Bad(("issueWeights",), "missing or not an object")
    names = {issue["name"] for issue in issues}
    for key in list(utilities) + list(weights):
        if key not in names:
            where = ("issueUtilities" if key in utilities else "issueWeights", key)
            raise _Bad(where, f"issue {key!r} is not in the domain")
    preferences: dict[str, Any] = {}
    per_issue: dict[str, Callable[[Any], float]] = {}
    weight_of: dict[str, float] = {}
    for issue in issues:
        name = issue["name"]
        if name not in weights:
            raise _Bad(("issueWeights",), f"no weight for issue {name!r}")
        if name not in utilities:
            raise _Bad(("issueUtilities",), f"no utilities for issue {name!r}")
        weight = float(_decimal(weights[name], ("issueWeights", name)))
        if weight < 0:
            raise _Bad(("issueWeights", name), f"negative weight {weight}")
        function = _evaluator(utilities[name], issue, ("issueUtilities", name))
        options = issue["numbers"] if issue["numbers"] is not None else issue["labels"]
        values = [function(x) for x in options]
        per_issue[name], weight_of[name] = function, weight
        if weight == 0:
            continue
        best = max(values)
        if best > 0:
            salience, valuations = weight * best, [v / best for v in values]
        else:
            salience, valuations = weight, [0.0] * len(values)
        preferences[issue["id"]] = {"salience": salience,
                                    "valuations": dict(zip(issue["option_ids"], valuations))}
    reservation = _reservation(profile.get("reservationBid"), issues, per_issue, weight_of)
    name = profile.get("name")
    name = str(name) if isinstance(name, (str, Decimal)) and str(name).strip() else path.stem
    return {"id": safe_id(name, safe_id(path.stem, "party")), "name": name,
            "capability": 1.0, "reservation": reservation, "preferences": preferences}


def _reservation(bid: Any, issues: list[dict[str, Any]],
                 per_issue: dict[str, Callable[[Any], float]],
                 weight_of: dict[str, float]) -> float:
    """The profile's utility of its reservation bid (issues the bid leaves out count 0)."""
    if bid is None:
        return 0.0
    values = bid.get("issuevalues") if isinstance(bid, dict) else None
    if not isinstance(values, dict):
        raise _Bad(("reservationBid",), "expected {\"issuevalues\": {issue: value, …}} or null")
    names = {issue["name"] for issue in issues}
    for key in values:
        if key not in names:
            raise _Bad(("reservationBid", "issuevalues", key), f"issue {key!r} is not in the "
                       "domain")
    total = 0.0
    for issue in issues:
        if issue["name"] not in values:
            continue
        value = values[issue["name"]]
        where = ("reservationBid", "issuevalues", issue["name"])
        if issue["numbers"] is not None:
            point: Any = _decimal(value, where)
            if not issue["low"] <= point <= issue["high"]:
                raise _Bad(where, f"value {value} is outside the issue's range "
                           f"{number_text(issue['low'])}..{number_text(issue['high'])}")
        elif isinstance(value, (dict, list)) or value is None or str(value) not in issue["labels"]:
            raise _Bad(where, f"unknown value {_short(value)}; expected one of "
                       f"{', '.join(issue['labels'][:8])}{' …' if len(issue['labels']) > 8 else ''}")
        else:
            point = str(value)
        total += weight_of[issue["name"]] * per_issue[issue["name"]](point)
    if not math.isfinite(total):
        raise _Bad(("reservationBid",), "utility is not finite")
    return total
