"""NegMAS utility functions (the per-party YAML files) as accord can hold them.

`ufun_parts` turns one utility-function mapping into `Parts`: per issue a weight and a value
per option, a constant, and boxes of options (hyper-rectangles) with their values -- the
NegMAS utility of every package, exactly, at the options the domain gives. Used by
`accord.io.negmas`; see there and docs/formats.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.io._names import number_text

_NUMBER_FUNS: dict[str, tuple[tuple[str, ...], Callable[..., float]]] = {
    # name: (required fields, f(x, **fields)) -- NegMAS 0.16's value functions
    "IdentityFun": ((), lambda x: x),
    "ConstFun": (("bias",), lambda x, bias: bias),
    "LinearFun": (("slope",), lambda x, slope: slope * x),
    "AffineFun": (("slope",), lambda x, slope, bias=0.0: slope * x + bias),
    "QuadraticFun": (("a2", "a1"), lambda x, a2, a1, bias=0.0: a2 * x * x + a1 * x + bias),
    "PolynomialFun": (("coefficients",), lambda x, coefficients, bias=0.0:
                      bias + sum(c * x ** (k + 1) for k, c in enumerate(coefficients))),
    "ExponentialFun": (("tau",), lambda x, tau, bias=0.0, base=math.e:
                       base ** (tau * x) + bias),
    "LogFun": (("tau",), lambda x, tau, bias=0.0, base=math.e, scale=1.0:
               scale * math.log(tau * x, base) + bias),
    "TriangularFun": (("start", "middle", "end"), lambda x, start, middle, end, bias=0.0,
                      scale=1.0: _triangle(x, start, middle, end, bias, scale)),
}


def _triangle(x: float, start: float, middle: float, end: float, bias: float,
              scale: float) -> float:
    if x <= start or x >= end:
        return bias
    if x <= middle:
        return bias + scale * (1.0 if middle == start else (x - start) / (middle - start))
    return bias + scale * (1.0 if end == middle else (end - x) / (end - middle))


class Bad(Exception):
    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path, self.message = path, message


@dataclass
class NegmasIssue:
    name: str
    values: list[Any]  # the NegMAS value of each option (text or number)
    labels: list[str]
    low: float | None = None  # a range issue's bounds
    high: float | None = None
    note: str | None = None


@dataclass
class Parts:
    """A utility as accord can hold it: per issue a weight and a value per option, a
    constant, and boxes of options (issue index -> option indices) with their values."""

    issues: list[tuple[float, list[float]] | None]
    constant: float = 0.0
    boxes: list[tuple[dict[int, tuple[int, ...]], float]] = field(default_factory=list)

    def add(self, other: Parts, weight: float) -> None:
        for i, part in enumerate(other.issues):
            if part is None:
                continue
            mine = self.issues[i]
            if mine is None:
                self.issues[i] = (weight * part[0], part[1])
            else:
                self.issues[i] = (1.0, [mine[0] * a + weight * part[0] * b
                                        for a, b in zip(mine[1], part[1])])
        self.constant += weight * other.constant
        self.boxes += [(box, weight * value) for box, value in other.boxes]



def kind_of(data: Any) -> str:
    """The NegMAS class a YAML mapping names (`type`, or `__python_class__`), short."""
    if not isinstance(data, dict):
        return ""
    kind = data.get("type", data.get("__python_class__"))
    return kind.rsplit(".", 1)[-1] if isinstance(kind, str) else ""



def is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def value_text(value: Any) -> str:
    return number_text(value) if is_number(value) else str(value)



def reserved_value(data: dict, at: tuple) -> float | None:
    """A finite `reserved_value`, or None when absent, null or −∞ (no reservation)."""
    if data.get("reserved_outcome") is not None:
        raise Bad(at + ("reserved_outcome",), "a reserved outcome is not supported; give "
                   "`reserved_value` instead")
    value = data.get("reserved_value")
    if value is None or (is_number(value) and value == -math.inf):
        return None
    if not is_number(value) or not math.isfinite(value):
        raise Bad(at + ("reserved_value",), "expected a number")
    return float(value)


def ufun_parts(data: dict, at: tuple, issues: list[NegmasIssue]) -> Parts:
    kind = kind_of(data)
    parts = Parts([None] * len(issues))
    bias = data.get("bias", 0.0) or 0.0
    if not is_number(bias):
        raise Bad(at + ("bias",), "expected a number")
    parts.constant = float(bias)
    if kind == "LinearAdditiveUtilityFunction":
        funs = _per_issue(data, at, "values", issues, None)
        weights = _per_issue(data, at, "weights", issues, 1.0)
        for i, (issue, fun, weight) in enumerate(zip(issues, funs, weights)):
            where = at + ("values", i if isinstance(data.get("values"), list) else issue.name)
            if not is_number(weight):
                raise Bad(at + ("weights",), f"issue {issue.name!r}: weight must be a number")
            values = _value_fun(fun, where, issue)
            parts.issues[i] = (float(weight), values)
    elif kind in ("LinearUtilityFunction", "AffineUtilityFunction"):
        weights = _per_issue(data, at, "weights", issues, None)
        for i, (issue, weight) in enumerate(zip(issues, weights)):
            if not is_number(weight) or not all(map(is_number, issue.values)):
                raise Bad(at + ("weights",), f"issue {issue.name!r}: a linear utility needs a "
                           "number weight and a numeric issue")
            parts.issues[i] = (float(weight), [float(v) for v in issue.values])
    elif kind == "HyperRectangleUtilityFunction":
        _boxes(data, at, issues, parts)
    elif kind == "WeightedUtilityFunction":
        ufuns, weights = data.get("ufuns"), data.get("weights")
        if not isinstance(ufuns, list) or not all(isinstance(u, dict) for u in ufuns):
            raise Bad(at + ("ufuns",), "expected a list of utility functions")
        weights = [1.0] * len(ufuns) if weights is None else weights
        if not isinstance(weights, list) or len(weights) != len(ufuns) \
                or not all(map(is_number, weights)):
            raise Bad(at + ("weights",), f"expected {len(ufuns)} numbers, one per utility "
                       "function")
        for j, (sub, weight) in enumerate(zip(ufuns, weights)):
            parts.add(ufun_parts(sub, at + ("ufuns", j), issues), weight)
    else:
        raise Bad(at + ("type",), f"unsupported utility function {kind or None!r}; expected "
                   "LinearAdditiveUtilityFunction, LinearUtilityFunction, "
                   "HyperRectangleUtilityFunction, WeightedUtilityFunction or ExpDiscountedUFun")
    return parts


def _per_issue(data: dict, at: tuple, key: str, issues: list[NegmasIssue], default: Any) -> list:
    """One entry per issue from a list (by position) or a mapping (by issue name)."""
    raw = data.get(key)
    if raw is None and default is not None:
        return [default] * len(issues)
    if isinstance(raw, list):
        if len(raw) != len(issues):
            raise Bad(at + (key,), f"expected {len(issues)} entries, one per issue of the "
                       f"domain; got {len(raw)}")
        return raw
    if isinstance(raw, dict):
        names = [issue.name for issue in issues]
        for name in raw:
            if name not in names:
                raise Bad(at + (key, name), f"unknown issue {name!r}; expected one of "
                           f"{', '.join(names)}")
        return [raw.get(name, default if default is not None else {"type": "IdentityFun"})
                for name in names]
    raise Bad(at + (key,), "expected a list (one entry per issue) or a mapping by issue name")


def _value_fun(fun: Any, at: tuple, issue: NegmasIssue) -> list[float]:
    """The value function at each option of the issue."""
    if is_number(fun):
        return [float(fun)] * len(issue.values)
    kind = kind_of(fun)
    if kind == "TableFun" or (isinstance(fun, dict) and not kind and "mapping" not in fun):
        mapping = fun.get("mapping", fun) if kind else fun
        return _table(mapping, at + (("mapping",) if kind else ()), issue)
    if kind not in _NUMBER_FUNS:
        raise Bad(at + ("type",), f"unsupported value function {kind or None!r}; expected "
                   f"TableFun or one of {', '.join(_NUMBER_FUNS)}")
    if not all(map(is_number, issue.values)):
        raise Bad(at + ("type",), f"{kind} needs numbers but issue {issue.name!r} has text "
                   "values; use a TableFun")
    required, f = _NUMBER_FUNS[kind]
    args = {k: v for k, v in fun.items() if k not in ("type", "__python_class__")}
    for key in required:
        if key not in args:
            raise Bad(at + (key,), "required field is missing")
    try:
        values = [float(f(x, **args)) for x in issue.values]
    except (TypeError, ValueError, ArithmeticError) as error:
        raise Bad(at, f"cannot evaluate {kind} on issue {issue.name!r}: {error}") from None
    if not all(map(math.isfinite, values)):
        raise Bad(at, f"{kind} is not finite on issue {issue.name!r}")
    return values


def _table(mapping: Any, at: tuple, issue: NegmasIssue) -> list[float]:
    if not isinstance(mapping, dict):
        raise Bad(at, "expected a mapping from issue values to numbers")
    found: dict[int, float] = {}
    for key, value in mapping.items():
        index = _option_of(key, issue)
        if index is None:
            raise Bad(at + (key,), f"unknown value {key!r} of issue {issue.name!r}; expected "
                       f"one of {', '.join(issue.labels[:12])}"
                       + (", …" if len(issue.labels) > 12 else ""))
        if not is_number(value) or not math.isfinite(value):
            raise Bad(at + (key,), "expected a number")
        if index >= 0:
            found[index] = float(value)
    missing = [issue.labels[j] for j in range(len(issue.values)) if j not in found]
    if missing:
        raise Bad(at, f"issue {issue.name!r}: no value for {', '.join(missing[:5])}")
    return [found[j] for j in range(len(issue.values))]


def _option_of(key: Any, issue: NegmasIssue) -> int | None:
    """The option a table key names; -1 for a valid value between discretised points."""
    text = str(key)
    for j, value in enumerate(issue.values):
        if text == str(value) or text == issue.labels[j]:
            return j
    try:
        number = float(text)
    except ValueError:
        return None
    for j, value in enumerate(issue.values):
        if is_number(value) and number == value:
            return j
    if issue.low is not None and issue.high is not None and issue.low <= number <= issue.high:
        return -1
    return None


def _boxes(data: dict, at: tuple, issues: list[NegmasIssue], parts: Parts) -> None:
    ranges, utilities = data.get("outcome_ranges"), data.get("utilities")
    if not isinstance(ranges, list) or not isinstance(utilities, list) \
            or len(ranges) != len(utilities):
        raise Bad(at + ("outcome_ranges",), "expected `outcome_ranges` and `utilities`: "
                   "lists of the same length")
    weights = data.get("weights") or [1.0] * len(ranges)
    if not isinstance(weights, list) or len(weights) != len(ranges) \
            or not all(map(is_number, weights)):
        raise Bad(at + ("weights",), f"expected {len(ranges)} numbers, one per rectangle")
    for k, (box, utility, weight) in enumerate(zip(ranges, utilities, weights)):
        if not is_number(utility):
            raise Bad(at + ("utilities", k), "expected a number (functions inside a "
                       "rectangle are not supported)")
        if box is None:
            box = {}
        if not isinstance(box, dict):
            raise Bad(at + ("outcome_ranges", k), "expected a mapping: issue index -> values")
        chosen: dict[int, tuple[int, ...]] = {}
        for key, spec in box.items():
            i = _issue_index(key, issues)
            if i is None:
                raise Bad(at + ("outcome_ranges", k, key), f"unknown issue {key!r}; expected "
                           f"an index 0..{len(issues) - 1} or an issue name")
            chosen[i] = tuple(j for j, v in enumerate(issues[i].values) if _matches(v, spec))
        parts.boxes.append((chosen, float(weight) * float(utility)))


def _issue_index(key: Any, issues: list[NegmasIssue]) -> int | None:
    text = str(key)
    if text.isdigit() and int(text) < len(issues):
        return int(text)
    names = [issue.name for issue in issues]
    return names.index(text) if text in names else None


def _matches(value: Any, spec: Any) -> bool:
    """Whether an issue value lies in a NegMAS range spec, as NegMAS 0.16 tests it: a value
    is equal; two numbers are an open interval (lo < v < hi); a list is any of its items."""
    if spec is None:
        return False
    if is_scalar(spec):
        return value == spec if is_number(value) == is_number(spec) else False
    if isinstance(spec, list) and len(spec) == 2 and all(map(is_number, spec)):
        return is_number(value) and spec[0] < value < spec[1]
    if isinstance(spec, list):
        return any(_matches(value, item) if not isinstance(item, list) or
                   (len(item) == 2 and all(map(is_number, item))) else value in item
                   for item in spec)
    return False


