"""Forecasting the outcome: the established collective-decision models, with uncertainty.

Pure functions named after the literature (`compromise_model`, `weighted_median`,
`nash_bargaining_in_space`, `expected_utility_model`, `exchange_model`) and the
procedural model of decision rules (`procedural_forecast`), each behind a small plug-in
class registered in `MODELS`; `monte_carlo` for distributions over
uncertain inputs; `forecast_scenario` and `forecast_to_dict` for a whole scenario (the
CLI's `accord forecast` and the HTML report's forecast section). See docs/forecast.md.
"""

from accord.forecast.base import MODELS, ForecastModel, make_model, model_names, register
from accord.forecast.compromise import (
    Compromise,
    FittedCompromise,
    WeightedMedian,
    compromise_model,
    weighted_median,
)
from accord.forecast.discrete import ZoneOdds, option_probabilities, zone_probability
from accord.forecast.exchange import ExchangeModel, exchange_model
from accord.forecast.expected_utility import ExpectedUtility, Trajectory, expected_utility_model
from accord.forecast.montecarlo import ForecastDistribution, Noise, monte_carlo
from accord.forecast.nash_spatial import (
    FittedNashBargaining,
    NashBargaining,
    nash_bargaining_in_space,
)
from accord.forecast.problem import SpatialProblem, spatial_problem
from accord.forecast.procedural import (
    FittedProcedural,
    Procedural,
    procedural_forecast,
    winning_positions,
)
from accord.forecast.summary import Forecast, forecast_errors, forecast_scenario, forecast_to_dict

__all__ = [
    "MODELS", "Compromise", "ExchangeModel", "ExpectedUtility", "FittedCompromise",
    "FittedNashBargaining", "FittedProcedural", "Forecast", "ForecastDistribution",
    "ForecastModel", "NashBargaining", "Noise", "Procedural", "SpatialProblem", "Trajectory",
    "WeightedMedian", "ZoneOdds", "compromise_model", "exchange_model",
    "expected_utility_model", "forecast_errors", "forecast_scenario", "forecast_to_dict",
    "make_model", "model_names", "monte_carlo", "nash_bargaining_in_space",
    "option_probabilities", "procedural_forecast", "register", "spatial_problem",
    "weighted_median", "winning_positions", "zone_probability",
]
