"""`accord forecast` through Typer's runner: scenarios, tables, JSON, errors."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED
from typer.testing import CliRunner

from accord.cli import app

runner = CliRunner()
EXTERNAL = SHARED / "data" / "external"
DEU = EXTERNAL / "deu3-blksv" / "deu3.csv"
EC = EXTERNAL / "bdm-masad-replication" / "ExampleActors.csv"


def test_forecast_ukraine_json_gives_distributions_and_zone_odds():
    result = runner.invoke(app, ["forecast", "ukraine-2025", "--samples", "60", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "accord.forecast/1" and data["model"]["name"] == "compromise"
    entry = data["issues"]["security-guarantees"]
    assert entry["interval"][0] <= entry["forecast"] <= entry["interval"][1]
    assert set(entry["options"]) == {"russia-co-guarantor", "conditional-us",
                                     "us-article5-like", "binding-multilateral"}
    assert data["zone"]["probability"] == 0.0
    assert data["errors"] is None


def test_forecast_ukraine_for_people():
    result = runner.invoke(app, ["forecast", "ukraine-2025", "--samples", "40", "--model",
                                 "nash", "--waive-red-lines", "0.5"])
    assert result.exit_code == 0, result.output
    for phrase in ("Model: nash", "80% interval", "most likely option", "donetsk-remainder",
                   "Zone of agreement: probability", "--model-error"):
        assert phrase in result.output, phrase


def test_forecast_parameters_and_errors():
    ok = runner.invoke(app, ["forecast", "ukraine-2025", "--samples", "10", "--json",
                             "--model", "expected-utility", "--param", "Q=0.5",
                             "--param", "rounds=2"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["model"]["parameters"] == {
        "Q": 0.5, "T": 1.0, "rounds": 2, "forecast": "median"}
    for args, message in (
            (["--model", "oracle"], "unknown model 'oracle'"),
            (["--param", "Q"], "expected KEY=VALUE"),
            (["--param", "speed=3"], "has no parameter 'speed'"),
            (["--model", "nash-fitted"], "has none; use its unfitted form"),
            (["--capability", "votez"], "unknown proxy")):
        result = runner.invoke(app, ["forecast", "ukraine-2025", "--samples", "5", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_forecast_reports_malformed_tables_without_a_traceback(tmp_path):
    table = tmp_path / "actors.csv"
    table.write_text("Actor,Capability,Position,Salience\nA,1,x,50\n")
    result = runner.invoke(app, ["forecast", str(table)])
    assert result.exit_code == 2
    assert "actors.csv:2: Position: expected a number, got 'x'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(not EC.is_file(), reason="../shared data absent")
def test_forecast_an_actor_table_in_its_own_units():
    result = runner.invoke(app, ["forecast", str(EC), "--model", "expected-utility",
                                 "--samples", "50", "--json"])
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)["issues"]["ExampleActors"]
    assert entry["native"]["scale"] == [4.0, 10.0]
    assert entry["native"]["forecast"] == pytest.approx(7.0)
    assert "options" not in entry


@pytest.mark.skipif(not DEU.is_file(), reason="../shared data absent")
def test_forecast_deu_reports_errors_against_outcomes():
    result = runner.invoke(app, ["forecast", str(DEU), "--samples", "20", "--json",
                                 "--capability", "gdp"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert round(data["errors"]["mae"], 2) == 23.03 and data["errors"]["issues"] == 353
    assert 0 <= data["errors"]["coverage"] <= 1
    assert data["issues"]["d00032i1"]["outcome"] == 100.0
    assert data["zone"] is None


def test_forecast_needs_positions(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text("id: plain\ntitle: plain\nissues:\n  - {id: a, title: a, options: "
                    "[{id: x, label: x}, {id: y, label: y}]}\nparties:\n  - {id: p, name: P, "
                    "preferences: {a: {salience: 1, valuations: {x: 1, y: 0}}}}\n")
    result = runner.invoke(app, ["forecast", str(path), "--samples", "5"])
    assert result.exit_code == 2, result.output
    assert "no positions to forecast from" in result.output
