"""`accord diff` as a user runs it, plan files and their errors, and utility shifts."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED
from typer.testing import CliRunner

import accord
from accord.analysis import analyze
from accord.cli import app
from accord.compare import utility_shift
from accord.errors import ScenarioError
from accord.io.plans import load_plan, load_plan_folder, resolve_plan

runner = CliRunner()
BASE, E3, GENEVA = ("ukraine-28-point-2025-11", "europe-counterproposal-2025-11",
                    "ukraine-19-point-geneva-2025-11")


def _json(*args: str) -> dict:
    result = runner.invoke(app, ["diff", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_diff_of_two_shipped_plans_in_the_terminal():
    result = runner.invoke(app, ["diff", BASE, E3], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for phrase in ("11 carried over", "15 modified", "2 dropped", "military-limits",
                   "600,000 → 800,000", "− Europe, + NATO"):
        assert phrase in result.output, phrase


def test_diff_json_follows_the_documented_contract():
    data = _json(BASE, E3)
    assert data["schema"] == "accord.diff/1" and data["kind"] == "pair"
    [comparison] = data["comparisons"]
    assert comparison["a"] == BASE and comparison["b"] == E3
    assert comparison["counts"]["modified"] == 15 and comparison["utility"] is None
    topics = [t["topic"] for t in comparison["topics"]]
    assert [e["topic"] for e in comparison["entries"]] == sorted(
        (e["topic"] for e in comparison["entries"]), key=topics.index)
    army = next(e for e in comparison["entries"] if e["b"] and e["b"]["n"] == 6)
    assert army["figures"] == [{"before": {"text": "600,000", "value": 600000.0, "unit": ""},
                                "after": {"text": "800,000", "value": 800000.0, "unit": ""}}]
    assert set(army) >= {"status", "relation", "a", "b", "score", "moved", "reasons", "names",
                         "qualifiers", "words"}


def test_drafts_of_a_scenario_say_whom_each_change_moves_towards():
    data = _json(BASE, E3, "--scenario", "ukraine-2025")
    utility = data["comparisons"][0]["utility"]
    net = utility["net"]
    assert net["ukraine"]["midpoint"] > 0 > net["russia"]["midpoint"]
    army = next(e for e in data["comparisons"][0]["entries"] if e["b"] and e["b"]["n"] == 6)
    [issue] = army["utility"]
    assert issue["issue"] == "army-size" and issue["before"] == "cap-600k"
    assert issue["after"] == "cap-800k" and issue["towards"][0] in ("ukraine", "europe")
    assert "russia" in issue["away"]
    text = runner.invoke(app, ["diff", BASE, E3, "--scenario", "ukraine-2025"],
                         env={"COLUMNS": "160"}).output
    assert "Net effect of the revision" in text and "army-size" in text


def test_utility_shift_agrees_with_the_analysis_of_each_draft():
    scenario = accord.load("ukraine-2025")
    shift = utility_shift(scenario, BASE, E3)
    profiles = {p.draft_id: p for p in analyze(scenario, frontier=None).profiles}
    for k, party in enumerate(shift.parties):
        assert shift.utility_after[party][0] == pytest.approx(profiles[E3].utility_low[k])
        assert shift.utility_before[party][1] == pytest.approx(profiles[BASE].utility_high[k])


def test_a_chain_of_revisions_and_its_lineage():
    data = _json("gaza-20-point-2025-09", BASE, E3)
    assert data["kind"] == "chain" and len(data["comparisons"]) == 2
    assert len(data["lineage"]) == 28
    assert data["lineage"][5]["chain"][1:] == [6, 6]
    result = runner.invoke(app, ["diff", "gaza-20-point-2025-09", BASE, E3],
                           env={"COLUMNS": "160"})
    assert result.exit_code == 0 and "Where each point of the last plan" in result.output


def test_an_answer_to_a_plan_can_be_read_as_changes_only():
    args = ["gaza-20-point-2025-09", "hamas-response-2025-10-03", "--scenario", "gaza-2025"]
    plain = _json(*args)["comparisons"][0]["counts"]
    answer = _json(*args, "--changes-only")["comparisons"][0]
    assert answer["changes_only"] and answer["counts"]["dropped"] == 0
    assert answer["counts"]["not-mentioned"] == plain["dropped"] > 10


def test_against_all_gives_every_point_its_first_appearance_or_new():
    data = _json("--against-all", BASE)
    assert data["kind"] == "against-all" and len(data["origins"]) == 28
    assert {o["status"] for o in data["origins"]} == {"new", "seen"}
    assert data["counts"]["new"] + data["counts"]["seen"] == 28
    for origin in data["origins"]:
        assert (origin["first"] is None) == (origin["status"] == "new")
    elections = data["origins"][24]
    assert elections["first"]["plan"] == "russia-memorandum-2025-06"
    result = runner.invoke(app, ["diff", "--against-all", BASE], env={"COLUMNS": "160"})
    assert result.exit_code == 0 and "points are new" in result.output


def test_against_all_reads_a_folder_and_skips_files_that_are_not_plans():
    folder = SHARED / "data" / "plans"
    if not folder.is_dir():
        pytest.skip("shared data not present")
    assert len(load_plan_folder(folder)) == 9  # parties, estimates, codebook skipped
    data = _json("--against-all", BASE, "--plans", str(folder))
    assert len(data["earlier"]) == 5


def test_plan_files_and_drafts_are_accepted_as_sources(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("id: mine\ndate: 2025-12-01\npoints:\n  - n: 1\n    text: Ukraine's "
                    "armed forces are capped at 700,000.\n    topic: military-limits\n")
    data = _json(BASE, str(path))
    entry = next(e for e in data["comparisons"][0]["entries"] if e["b"])
    assert entry["a"][0]["n"] == 6 and entry["status"] == "modified"
    from_draft = resolve_plan(GENEVA, accord.load("ukraine-2025"))  # the draft wins
    assert from_draft.points[0].change is None
    assert resolve_plan(GENEVA).points[0].change == "same"  # the shipped plan file


@pytest.mark.parametrize(("args", "message"), [
    ([BASE], "two plans or more"),
    ([BASE, E3, "--against-all", BASE], "not both"),
    ([BASE, "no-such-plan"], "no plan file 'no-such-plan'"),
    ([BASE, "missing.yaml"], "file not found"),
    ([BASE, E3, "--encoder", "word2vec"], "unknown text encoder"),
    ([BASE, E3, "--scenario", "no-such-scenario"], "no shipped scenario"),
])
def test_bad_input_is_a_clear_error_with_exit_code_2(args, message):
    result = runner.invoke(app, ["diff", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_a_malformed_plan_file_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\npoints:\n  - n: 1\n    text: fine\n    topic: weather\n"
                    "  - n: 2\n    txt: typo\n")
    with pytest.raises(ScenarioError) as error:
        load_plan(path)
    message = str(error.value)
    assert "invalid plan" in message
    assert f"{path}:5: points[0].topic: unknown topic 'weather'" in message
    assert f"{path}:7: points[1].txt: unknown field" in message
    result = runner.invoke(app, ["diff", BASE, str(path)])
    assert result.exit_code == 2 and "unknown topic 'weather'" in result.output
