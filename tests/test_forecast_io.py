"""Loaders of the forecasting data (DEU III, Decide, actor tables) on the shared files, read
where they lie (skipped when ../shared is absent), and on malformed copies; the new
optional scenario fields."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from conftest import SHARED

from accord.errors import ScenarioError
from accord.forecast import forecast_errors, make_model, spatial_problem
from accord.io import dump_scenario, loads_scenario
from accord.io.actor_table import load_actor_table
from accord.io.decide import load_decide
from accord.io.deu import load_deu
from accord.io.spatial import detect_format, load_forecast_input

EXTERNAL = SHARED / "data" / "external"
DEU = EXTERNAL / "deu3-blksv" / "deu3.csv"
DECIDE = EXTERNAL / "decide-exchange-model"
ACTORS = EXTERNAL / "bdm-masad-replication"
needs_shared = pytest.mark.skipif(not DEU.is_file(), reason="../shared data absent")


@pytest.fixture(scope="module")
def deu():
    return load_deu(DEU) if DEU.is_file() else None


@needs_shared
def test_deu_issues_outcomes_and_reference_points(deu):
    assert len(deu.issues) == 364 and len(deu.parties) == 30
    assert sum(i.outcome is not None for i in deu.issues) == 353
    assert sum(i.reference_point is not None for i in deu.issues) == 261
    assert sum(i.reference_point is not None and i.outcome is not None for i in deu.issues) == 253
    assert len({i.dossier for i in deu.issues}) == 141
    first = deu.issue("d00032i1")
    assert (first.reference_point, first.outcome, first.dossier) == (0.0, 100.0, "d00032")
    commission = deu.party("com")
    assert commission.positions["d00032i1"] == 100.0
    assert commission.preferences["d00032i1"].salience == 0.5


@needs_shared
def test_deu_agrees_with_a_third_party_reading():
    """hamzagul07/schelling's per-issue file lists outcome and reference point of 351
    issues: the same as ours."""
    path = EXTERNAL / "schelling-hamzagul07" / "deu-paired-differences.csv"
    ours = {i.id: i for i in load_deu(DEU).issues}
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 351
    for row in rows:
        issue = ours[row["issue_id"]]
        assert issue.outcome == float(row["outcome"])
        expected = float(row["reference_point"]) if row["reference_point"] else None
        assert issue.reference_point == expected


@needs_shared
@pytest.mark.parametrize("proxy, mae", [("equal", 23.44), ("gdp", 23.03)])
def test_deu_compromise_reproduces_the_reference_figures(proxy, mae):
    problem = spatial_problem(load_deu(DEU, proxy))
    errors = forecast_errors(make_model("compromise").predict(problem), problem.outcome)
    assert errors["issues"] == 353 and round(errors["mae"], 2) == mae


@needs_shared
def test_deu_capability_proxies():
    votes = load_deu(DEU, "votes")
    assert votes.party("de").capability == 29 and votes.party("mt").capability == 3
    assert votes.party("com").capability == 29
    gdp = load_deu(DEU, "gdp")
    assert gdp.party("de").capability == 4.1 and gdp.party("ep").capability == 4.1


@needs_shared
def test_decide_files():
    cop21 = load_decide(DECIDE / "cop21.csv")
    assert len(cop21.issues) == 13 and len(cop21.parties) == 15
    assert sum(len(p.positions) for p in cop21.parties) == 181
    sample = load_decide(DECIDE / "sample_data.txt")
    toll = sample.issue("tol-hoogte")
    assert toll.scale == (0.5, 7.0)
    willems = sample.party("Willems")
    assert willems.positions["tol-hoogte"] == pytest.approx(100 * (3 - 0.5) / 6.5)
    election = load_decide(DECIDE / "verkiezing_2012.csv")  # semicolon separated
    assert len(election.parties) == 11 and len(election.issues) == 11


@needs_shared
def test_actor_tables_with_classic_mac_line_ends():
    ec = load_actor_table(ACTORS / "ExampleActors.csv")
    assert ec.issues[0].scale == (4.0, 10.0)
    assert [p.name for p in ec.parties][:3] == ["Netherlands", "Belgium", "Luxembourg"]
    assert ec.party("France").positions == {"ExampleActors": 100.0}
    lf = load_actor_table(ACTORS / "ExampleActors.lf.csv")  # the same bytes, LF line ends
    assert [(p.capability, list(p.positions.values())) for p in lf.parties] == \
        [(p.capability, list(p.positions.values())) for p in ec.parties]
    china = load_actor_table(ACTORS / "ChinaData.csv")  # Stakeholder / Resources columns
    assert len(china.parties) == 24


@needs_shared
def test_detect_format():
    assert detect_format(DEU) == "deu"
    assert detect_format(DECIDE / "cop21.csv") == "decide"
    assert detect_format(ACTORS / "ExampleActors.csv") == "actors"
    assert detect_format("ukraine-2025") == "scenario"


def test_malformed_tables_name_file_line_and_field(tmp_path):
    table = tmp_path / "actors.csv"
    table.write_text("Actor,Capability,Position,Salience\nA,0.5,4,80\nB,lots,7,40\n,1,2,3\n")
    with pytest.raises(ScenarioError) as error:
        load_actor_table(table)
    text = str(error.value)
    assert f"{table}:3: Capability: expected a number, got 'lots'" in text
    assert f"{table}:4: Actor: empty actor name" in text
    decide = tmp_path / "model.txt"
    decide.write_text("#A;x;X\n#P;p;P\n#D;x;p;50;1.5;1\n#D;y;p;50;0.5;1\n#Q;z\n")
    with pytest.raises(ScenarioError) as error:
        load_decide(decide)
    text = str(error.value)
    assert f"{decide}:3: #D.salience: expected a number in [0, 1], got 1.5" in text
    assert f"{decide}:5: unknown record '#Q'" in text
    assert f"{decide}:4: #D.actor: actor 'y' has no #A record" in text
    deu = tmp_path / "deu.csv"
    header = ["prnr", "prname", "isnr", "rp", "out"] + [f"{p}{a}" for a in (
        "com ep at be bu cr cy cz dk ee fi fr de el hu ie it lv lt lu mt nl pl pt ro si sk es "
        "se uk").split() for p in "ps"]
    row = ["d1", "x", "d1i1", "", "120"] + ["50"] * (len(header) - 5)
    deu.write_text("\t".join(header) + "\n" + "\t".join(row) + "\n")
    with pytest.raises(ScenarioError, match=r"deu.csv:2: out: expected a number in \[0, 100\]"):
        load_deu(deu)
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(ScenarioError, match="unrecognised table"):
        load_forecast_input(other)


def test_new_scenario_fields_round_trip_and_are_checked():
    text = """
id: spatial
title: one line
issues:
  - id: line
    title: a line
    reference_point: 20
    outcome: 65
    scale: [4, 10]
    dossier: d1
    options: [{id: low, label: "4", position: 0}, {id: high, label: "10", position: 100}]
parties:
  - id: a
    name: A
    positions: {line: 30}
    preferences: {line: {salience: 1, valuations: {low: 0.7, high: 0.3}}}
"""
    scenario = loads_scenario(text)
    assert scenario.issue("line").scale == (4.0, 10.0)
    assert loads_scenario(dump_scenario(scenario)) == scenario
    for wrong, expected in (("{line: 130}", "bad.yaml:15: parties[0].positions.line: Input "
                             "should be less than or equal to 100"),
                            ("{lines: 30}", "bad.yaml:15: parties[0].positions.lines: unknown "
                             "issue 'lines'")):
        with pytest.raises(ScenarioError) as error:
            loads_scenario(text.replace("{line: 30}", wrong), "bad.yaml")
        assert expected in str(error.value)
    with pytest.raises(ScenarioError, match="must differ"):
        loads_scenario(text.replace("[4, 10]", "[4, 4]"))


def test_loaded_scenarios_forecast_in_native_units(tmp_path):
    table = tmp_path / "ec.csv"
    table.write_text("Actor,Capability,Position,Salience\nA,1,4,100\nB,1,10,100\n")
    problem = spatial_problem(load_actor_table(table))
    assert problem.to_native(make_model("compromise").predict(problem)) == pytest.approx([7.0])
    assert np.isnan(problem.outcome).all()
