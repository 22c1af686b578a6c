"""`accord practise`: a person in one seat at the terminal, against agents, through the
same `Delegation` interface the agents use."""

from __future__ import annotations

from room_helpers import SCENARIO_YAML
from typer.testing import CliRunner

from accord.cli import app


def run(tmp_path, args, answers):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO_YAML)
    return CliRunner().invoke(app, ["practise", str(scenario), *args],
                              input="".join(line + "\n" for line in answers))


def test_a_person_haggles_against_a_hard_liner(tmp_path):
    # north opens with its own counter-offer, then accepts south's standing offer
    result = run(tmp_path, ["--as", "north", "--agents", "hard-liner", "--deadline", "2"],
                 ["ceasefire=nowhere", "sanctions=kept", "a"])
    assert result.exit_code == 0, result.output
    assert "You are north" in result.output
    assert "'nowhere' is not an option of ceasefire" in result.output  # asked again
    assert "south offers, worth 0.070 to you" in result.output
    assert "agreement after 2 round(s), worth 0.070 to you" in result.output


def test_a_person_answers_the_mediator_point_by_point(tmp_path):
    answers = ["a", "l", "y",            # draft 1: two points, sign
               "x", "r", "r", "n", "b",  # draft 2: a typo asked again; compared with 1
               "l", "l", "y", "w"]       # final text: crosses south's red line
    result = run(tmp_path, ["--as", "south", "--protocol", "single-text",
                            "--deadline", "3"], answers)
    assert result.exit_code == 0, result.output
    assert result.output.count("the mediator's draft") == 2
    assert "please answer a, l, r" in result.output
    assert "(your red line)" in result.output
    assert "no agreement after 3 round(s)" in result.output  # a red line: never signed


def test_practise_errors_are_clear(tmp_path):
    result = run(tmp_path, ["--as", "east"], [])
    assert result.exit_code == 2 and "no party 'east'" in result.output
    result = run(tmp_path, ["--as", "north", "--agents", "boulware,linear"], [])
    assert result.exit_code == 2 and "2 agents for the 1 other seats" in result.output


def test_the_seat_reads_issue_titles_and_option_labels_with_the_ids_to_type():
    """Issue 14, item 16: practise showed bare ids (`line = north-line`); it shows what
    people read, the title and the label, with the ids a person types beside them."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "docs" / "example-scenario.yaml"
    result = CliRunner().invoke(app, ["practise", str(example), "--as", "north",
                                      "--deadline", "1"], input="best\n")
    assert "Where the ceasefire line runs: Along the river (North's claim)" in result.output
    assert "[line=north-line]" in result.output
    assert "internal error" not in result.output
