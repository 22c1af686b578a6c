"""The report's forecast section: what the compromise model expects on each point, with
Monte Carlo uncertainty, and how likely a zone of agreement is (accord.forecast)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.errors import AccordError
from accord.forecast.summary import forecast_scenario, forecast_to_dict
from accord.model import Scenario

REPORT_SAMPLES = 200
"""Monte Carlo samples for the report: enough for 80% intervals to the nearest point or two."""
INTERVAL_TEXT = ("10th to 90th percentile of the samples, stretched to the forecast where it "
                 "lies outside them; they show how the forecast moves with its inputs, not how "
                 "far the model may miss")


@dataclass(frozen=True)
class ForecastView:
    """Rows of the forecast table, the model's name and citation, and the zone's odds."""

    model: str
    citation: str
    samples: int
    zone_text: str
    rows: list[dict[str, Any]]
    interval_text: str = INTERVAL_TEXT


def forecast_view(scenario: Scenario, samples: int = REPORT_SAMPLES,
                  seed: int = 0) -> ForecastView | None:
    """The forecast for the report, or None when the scenario has no positions to use."""
    try:
        data = forecast_to_dict(forecast_scenario(scenario, "compromise", samples=samples,
                                                  seed=seed))
    except AccordError:
        return None
    rows = [_row(scenario, issue_id, item) for issue_id, item in data["issues"].items()]
    return ForecastView(data["model"]["name"], data["model"]["citation"], data["samples"],
                        _zone_text(data.get("zone")), rows)


def _row(scenario: Scenario, issue_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """One table row; `forecast`, `low` and `high` are None (and `note` says why) for an
    issue the model cannot place, such as one where no party has a position."""
    low, high = item["interval"]
    likely = item.get("most_likely_option")
    return {"issue": item["title"], "forecast": item["forecast"], "low": low, "high": high,
            "note": item.get("note", ""), "option": item.get("most_likely_option_label", ""),
            "probability": (item.get("options") or {}).get(likely) if likely else None}


def _zone_text(zone: dict[str, Any] | None) -> str:
    if not zone:
        return ""
    text = (f"Probability that a zone of agreement exists: {zone['probability']:.0%} over "
            f"{zone['samples']} samples")
    without = zone.get("probability_without_red_lines")
    if without is not None:
        text += f" ({without:.0%} if every red line were waived)"
    return text + "."
