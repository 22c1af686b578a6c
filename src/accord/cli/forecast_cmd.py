"""`accord forecast`: the outcome of every issue by a collective-decision model, with
Monte Carlo uncertainty, errors against known outcomes and the odds of a zone of agreement."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.cli.app import app, reports_errors
from accord.cli.options import seed_option
from accord.cli.progress import progress_bar
from accord.errors import UsageError
from accord.forecast import Noise, forecast_scenario, forecast_to_dict, make_model, model_names
from accord.forecast.problem import spatial_problem
from accord.io.deu import CAPABILITIES
from accord.io.spatial import FORMATS, load_forecast_input


@app.command()
@reports_errors
def forecast(
    scenario: Annotated[str, typer.Argument(
        help="A scenario (YAML, GENIUS, GeniusWeb or a shipped name) or a forecasting table: "
             "the DEU III table, a Decide input file (#A/#P/#M/#D records) or an actor table "
             "(Actor, Capability, Position, Salience columns).", show_default=False)],
    model: Annotated[str, typer.Option(help=f"One of: {', '.join(model_names())}.")]
    = "compromise",
    samples: Annotated[int, typer.Option(min=1, max=1_000_000, help="Monte Carlo samples.")]
    = 1000,
    seed: Annotated[int, seed_option("result, for any --workers")] = 0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print per-issue forecasts, intervals, "
                                          "errors and zone odds as JSON.")] = False,
    fmt: Annotated[str, typer.Option("--format", help=f"Input format: {', '.join(FORMATS)} "
                                     "(auto: by the file's content).")] = "auto",
    capability: Annotated[str, typer.Option(help="DEU III capability proxy: "
                                            f"{', '.join(CAPABILITIES)}.")] = "equal",
    param: Annotated[list[str] | None, typer.Option(help="A model parameter as KEY=VALUE "
                                                    "(e.g. Q=0.5, rounds=5); repeatable.")]
    = None,
    position_noise: Annotated[float, typer.Option(min=0.0, help="Sd of positions, points of "
                                                  "the 0-100 line.")] = Noise.position,
    salience_noise: Annotated[float, typer.Option(min=0.0, help="Sd of log saliences.")]
    = Noise.salience,
    capability_noise: Annotated[float, typer.Option(min=0.0, help="Sd of log capabilities.")]
    = Noise.capability,
    model_error: Annotated[float, typer.Option(min=0.0, help="Sd of the model's own error, "
                                               "points (0: input uncertainty only; about 30 "
                                               "covers 80% of DEU III outcomes).")]
    = Noise.model_error,
    waive_red_lines: Annotated[float, typer.Option(min=0.0, max=1.0, help="Zone odds: "
                                                   "probability that a party's red lines on "
                                                   "an issue are waived in a sample.")] = 0.0,
    zone: Annotated[bool, typer.Option(help="Estimate the odds of a zone of agreement (for "
                                       "scenarios with positioned options).")] = True,
) -> None:
    """Forecast every issue's outcome with an established collective-decision model."""
    if capability not in CAPABILITIES:
        raise typer.BadParameter(f"unknown proxy {capability!r}; expected one of "
                                 f"{', '.join(CAPABILITIES)}", param_hint="--capability")
    loaded = load_forecast_input(scenario, fmt, capability)  # type: ignore[arg-type]
    chosen = make_model(model, **_parameters(param or []))
    if chosen.fitted:
        problem = spatial_problem(loaded)
        if not (problem.outcome == problem.outcome).any():
            raise UsageError(f"model {model!r} fits {', '.join(chosen.fitted)} to outcomes and "
                             f"{loaded.id} has none; use its unfitted form")
        chosen = chosen.fit(problem)
    noise = Noise(position_noise, salience_noise, capability_noise, model_error, waive_red_lines)
    with progress_bar("Monte Carlo", None, quiet=as_json, unit="samples") as progress:
        result = forecast_scenario(loaded, chosen, samples=samples, noise=noise, seed=seed,
                                   workers=workers, progress=progress, zone=zone)
    data = forecast_to_dict(result)
    if chosen.fitted:
        data["model"]["fitted_on"] = "every issue with an outcome (errors are in-sample)"
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    render_forecast(Console(highlight=False), data)


def render_forecast(console: Console, data: dict[str, Any]) -> None:
    """Per-issue table, errors and zone odds, for the terminal."""
    model = data["model"]
    console.print(f"[bold]{escape(data['scenario']['title'])}[/]\n"
                  f"Model: {model['name']} ({escape(model['citation'])}); {data['samples']} "
                  f"samples, seed {data['seed']}.")
    entries = data["issues"]
    outcomes = any(e["outcome"] is not None for e in entries.values())
    options = any("options" in e for e in entries.values())
    table = Table(show_edge=False, pad_edge=False)
    columns = [("issue", "left"), ("forecast", "right"), ("80% interval", "right")]
    columns += [("outcome", "right")] * outcomes + [("most likely option", "left")] * options
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    stretched, missing = False, {}
    for issue_id, entry in entries.items():
        if entry["forecast"] is None:
            table.add_row(escape(issue_id), "none", *[""] * (len(columns) - 2))
            note = entry.get("note", "no forecast").removeprefix("no forecast: ")
            missing.setdefault(note, []).append(issue_id)
            continue
        cells = _cells(entry)
        stretched |= cells[1].endswith("*")
        table.add_row(escape(issue_id), *cells[:2], *cells[2:3] * outcomes,
                      *cells[3:] * options)
    console.print(table)
    for note, ids in missing.items():
        console.print(f"No forecast for {escape(', '.join(ids))}: {escape(note)} (give the "
                      "options a `position`, or the parties `positions`; docs/forecast.md).",
                      soft_wrap=True)
    if stretched:
        console.print("[dim]* the forecast lies outside the 10th-90th percentiles of the "
                      "samples; the interval is stretched to it (docs/forecast.md).[/]")
    errors = data["errors"]
    if errors:
        coverage = errors.get("coverage")
        console.print(f"Errors over {errors['issues']} issues with outcomes (0-100 lines): mean "
                      f"{errors['mae']:.2f}, median {errors['median_absolute_error']:.2f}, RMS "
                      f"{errors['rmse']:.2f}" + ("" if coverage is None else
                                                 f"; 80% intervals hold {coverage:.0%} of them"))
    if data["zone"]:
        z = data["zone"]
        console.print(f"Zone of agreement: probability {z['probability']:.2f} with the red "
                      f"lines, {z['probability_without_red_lines']:.2f} without them "
                      f"(reservation values only), over {z['samples']} samples.")
    if data["noise"]["model_error"] == 0:
        console.print("[dim]Intervals show how the forecast moves with uncertain inputs, not "
                      "how far models miss: add --model-error (docs/forecast.md).[/]")


def _cells(entry: dict[str, Any]) -> list[str]:
    """Forecast, interval (`*`: stretched to the forecast), outcome and likely option."""
    native = entry.get("native")
    show = native if native else entry
    low, high = show["interval"]
    outcome = show.get("outcome")
    option = ""
    if "options" in entry:
        best = entry["most_likely_option"]
        label = entry.get("most_likely_option_label") or best
        option = f"{escape(label)} ({entry['options'][best]:.0%})"
    stretched = entry.get("sample_interval") not in (None, entry["interval"])
    return [_fmt(show["forecast"]), f"{_fmt(low)} – {_fmt(high)}" + "*" * stretched,
            "" if outcome is None else _fmt(outcome), option]


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.4g}" if abs(value) < 10 else f"{value:.1f}"


def _parameters(items: list[str]) -> dict[str, str]:
    parameters = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--param")
        parameters[key.strip()] = value.strip()
    return parameters
