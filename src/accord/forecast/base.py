"""The plug-in interface of the forecasting models, and their registry.

A model is a small class with a `name`, metadata (`citation`, `fitted`) and one decision
method, `predict(problem)`: the forecast position of every issue on its 0-100 line. The
arithmetic lives in pure functions named after the literature (`compromise_model`,
`nash_bargaining_in_space`, ...); the classes only carry parameters and adapt arrays.
A model whose parameters are estimated from outcomes lists them in `fitted` and
overrides `fit`, which returns a new model: cross-validation fits on training issues only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, TypeVar

import numpy as np

from accord.errors import UsageError
from accord.forecast.problem import SpatialProblem


@dataclass(frozen=True)
class ForecastModel:
    """Base class: subclasses set `name` and `citation` and implement `predict`."""

    name: ClassVar[str] = ""
    citation: ClassVar[str] = ""
    fitted: ClassVar[tuple[str, ...]] = ()
    """Parameters `fit` estimates from outcomes (empty: nothing is fitted)."""

    def predict(self, problem: SpatialProblem) -> np.ndarray:
        """Forecast position of every issue on its 0-100 line (shape `[n_issues]`)."""
        raise NotImplementedError

    def fit(self, problem: SpatialProblem) -> ForecastModel:
        """A copy with the `fitted` parameters estimated on the issues with outcomes."""
        return self

    def parameters(self) -> dict[str, Any]:
        """The model's parameters (for reports and JSON)."""
        return asdict(self)


M = TypeVar("M", bound=type[ForecastModel])
MODELS: dict[str, type[ForecastModel]] = {}
"""Registry of shipped models by name, in the order they are documented."""


def register(cls: M) -> M:
    """Class decorator adding a model to `MODELS`."""
    if not cls.name or cls.name in MODELS:
        raise ValueError(f"a model needs a unique name, got {cls.name!r}")
    MODELS[cls.name] = cls
    return cls


def model_names() -> list[str]:
    """Names of the registered models."""
    return list(MODELS)


def make_model(name: str, **parameters: Any) -> ForecastModel:
    """A registered model by name with parameters given as values or text (CLI)."""
    if name not in MODELS:
        raise UsageError(f"unknown model {name!r}; expected one of {', '.join(MODELS)}")
    cls = MODELS[name]
    known = {f.name: f for f in fields(cls)}
    converted: dict[str, Any] = {}
    for key, value in parameters.items():
        if key not in known:
            raise UsageError(f"model {name!r} has no parameter {key!r}; its parameters: "
                             f"{', '.join(known) or 'none'}")
        converted[key] = _convert(value, type(getattr(cls(), key)), key)
    try:
        return cls(**converted)
    except ValueError as error:
        raise UsageError(f"model {name!r}: {error}") from None


def grid_fit(problem: SpatialProblem, candidates: Iterable[ForecastModel]) -> ForecastModel:
    """The candidate with the least mean absolute error on the issues with outcomes (the
    first of equals): how the `*-fitted` models estimate their parameters."""
    known = np.flatnonzero(~np.isnan(problem.outcome))
    if not len(known):
        raise UsageError("fitting a model needs issues with outcomes")
    train = problem.take(known)

    def error(model: ForecastModel) -> float:
        return float(np.nanmean(np.abs(model.predict(train) - train.outcome)))

    best: ForecastModel | None = None
    best_error = np.inf
    for model in candidates:
        value = error(model)
        if value < best_error - 1e-12:
            best, best_error = model, value
    assert best is not None
    return best


def _convert(value: Any, kind: Callable[[Any], Any], key: str) -> Any:
    if not isinstance(value, str):
        return value
    if kind is bool:
        if value.lower() in ("1", "true", "yes", "on"):
            return True
        if value.lower() in ("0", "false", "no", "off"):
            return False
        raise UsageError(f"parameter {key!r}: expected true or false, got {value!r}")
    try:
        return kind(value)
    except ValueError:
        raise UsageError(f"parameter {key!r}: cannot read {value!r} as "
                         f"{getattr(kind, '__name__', kind)}") from None
