"""The command line as a user runs it (Typer's runner)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.cli import app
from accord.io import save_scenario
from accord.model.synthetic import random_scenario

runner = CliRunner()


def test_demo_answers_the_mediators_questions():
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    for phrase in ("Is there a deal?", "No: no package is acceptable", "What blocks it",
                   "Donetsk", "What would a fair package look like?", "How the drafts compare",
                   "ukraine-28-point"):
        assert phrase in result.output, phrase


def test_analyze_json_is_complete_and_parseable():
    result = runner.invoke(app, ["analyze", "ukraine-2025", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "accord.analysis/1"
    assert data["zone"]["exists"] is False
    assert len(data["blocking_sets"]) == 2
    assert {d["issue"] for b in data["blocking_sets"] for d in b["demands"]} == {"donetsk-remainder"}
    assert len(data["relaxations"]) == 2
    nash = data["relaxations"][0]["solutions"]["nash"]
    assert set(nash["package"]) == {i["id"] for i in json.load(open_issues())}
    draft = data["drafts"][0]
    assert draft["id"] == "ukraine-28-point-2025-11" and draft["efficient"] is True
    assert draft["utilities"]["us"]["low"] == draft["utilities"]["us"]["high"]


def open_issues():
    """The ukraine issue list as a JSON file-like object (via the library, not the CLI)."""
    import io

    import accord

    return io.StringIO(json.dumps([{"id": i.id} for i in accord.load("ukraine-2025").issues]))


def test_analyze_json_on_a_generated_scenario_with_a_zone(tmp_path):
    path = tmp_path / "random.yaml"
    save_scenario(random_scenario(8, 3, 3, seed=4), path)
    result = runner.invoke(app, ["analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["zone"]["exists"] is True
    assert set(data["solutions"]) == {"utilitarian", "nash", "asymmetric-nash",
                                      "kalai-smorodinsky", "egalitarian"}
    assert data["blocking_sets"] == [] and data["relaxations"] == []
    frontier = data["frontier"]
    assert frontier["complete"] is True and frontier["size"] >= frontier["listed"] > 0
    for point in frontier["points"]:
        assert set(point["package"]) == {f"i{k}" for k in range(8)}


def test_frontier_options(tmp_path):
    path = tmp_path / "random.yaml"
    save_scenario(random_scenario(6, 3, 3, seed=4), path)
    listed = json.loads(runner.invoke(app, ["analyze", str(path), "--json",
                                            "--frontier-limit", "3"]).stdout)["frontier"]
    assert listed["listed"] == 3 and listed["size"] > 3
    none = json.loads(runner.invoke(app, ["analyze", str(path), "--json",
                                          "--no-frontier"]).stdout)
    assert none["frontier"] is None
    vetoed = json.loads(runner.invoke(app, ["analyze", str(path), "--json",
                                            "--frontier-red-lines"]).stdout)["frontier"]
    assert vetoed["scope"] == "packages crossing no red line"


def test_analyze_renders_tables(tmp_path):
    path = tmp_path / "random.yaml"
    save_scenario(random_scenario(5, 3, 3, seed=1), path)
    result = runner.invoke(app, ["analyze", str(path), "--focus", "draft-0"])
    assert result.exit_code == 0, result.output
    assert "Yes: a zone of agreement exists" in result.output
    assert "The draft draft-0" in result.output


def test_validate_accepts_a_good_file(tmp_path):
    path = tmp_path / "ok.yaml"
    save_scenario(random_scenario(3, 2, 2, seed=0), path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and "valid" in result.output


def test_validate_names_file_line_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    save_scenario(random_scenario(3, 2, 2, seed=0), path)
    text = path.read_text().replace("red_lines: []", "red_lines: [nowhere]", 1)
    if "nowhere" not in text:  # no empty red-line list was written: break a draft instead
        text = text.replace("i0: o", "i0: zz", 1)
    path.write_text(text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(path) + ":" in result.output
    line = int(result.output.split(str(path) + ":")[1].split(":")[0])
    assert ("nowhere" in text.splitlines()[line - 1]) or ("zz" in text.splitlines()[line - 1])


def test_unknown_scenario_name_is_a_clear_usage_error():
    result = runner.invoke(app, ["analyze", "atlantis-2031"])
    assert result.exit_code == 2
    assert "no shipped scenario named 'atlantis-2031'" in result.output


def test_missing_file_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "file not found" in result.output


def test_unknown_focus_draft_is_rejected():
    result = runner.invoke(app, ["analyze", "ukraine-2025", "--focus", "nope"])
    assert result.exit_code == 2 and "no draft 'nope'" in result.output
