"""Issue 14, items 1, 3, 16 (forecast rows) and 17, and progress for report and forecast:
`accord report` and `accord forecast` as a user runs them."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from conftest import SHARED
from typer.testing import CliRunner

import accord
import accord.report.html
from accord.analysis import FrontierRequest
from accord.cli import app, forecast_cmd, report_cmd
from accord.report import content as report_content
from accord.report.content import build_content
from accord.report.tables import EVERYONE, draft_views

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "example-scenario.yaml"
DEU = SHARED / "data" / "external" / "deu3-blksv" / "deu3.csv"


@pytest.fixture
def no_vega(monkeypatch):
    """The HTML page without its 0.9 MB script bundle (irrelevant here, and slow to make)."""
    monkeypatch.setattr(accord.report.html, "vega_bundle", lambda: "")


def _recording_bar(calls: list):
    @contextlib.contextmanager
    def progress_bar(label, total, *, quiet=False, unit=""):
        record = {"label": label, "total": total, "quiet": quiet, "updates": []}
        calls.append(record)
        yield lambda done, total=None, **_: record["updates"].append((done, total))

    return progress_bar


# Item 1: an issue with no positions gets "no forecast", not a crash, in html and md.
def test_report_shows_no_forecast_for_issues_without_positions(tmp_path, no_vega):
    for fmt in ("html", "md"):
        out = tmp_path / f"x.{fmt}"
        result = runner.invoke(app, ["report", str(EXAMPLE), "-o", str(out), "-f", fmt])
        assert result.exit_code == 0, result.output
        assert "internal error" not in result.output
        text = out.read_text(encoding="utf-8")
        assert "no forecast: no party has a position" in text, fmt
        assert "Where the armies stand" in text  # the one issue with positions keeps its row


# Item 16 (forecast rows): option labels, not ids, in the report and in `accord forecast`.
def test_forecast_rows_show_option_labels(tmp_path):
    result = runner.invoke(app, ["forecast", str(EXAMPLE), "--samples", "50"])
    assert result.exit_code == 0, result.output
    assert "Where the armies stand (" in result.output
    assert "contact-line (" not in result.output
    assert "No forecast for monitors, prisoners: no party has a position" in result.output
    data = json.loads(runner.invoke(app, ["forecast", str(EXAMPLE), "--samples", "50",
                                          "--json"]).stdout)
    line = data["issues"]["line"]
    assert line["most_likely_option"] == "contact-line"  # JSON keeps the id for programs
    assert line["most_likely_option_label"] == "Where the armies stand"
    assert data["issues"]["monitors"]["note"].startswith("no forecast: no party has a position")
    out = tmp_path / "x.md"
    assert runner.invoke(app, ["report", str(EXAMPLE), "-o", str(out), "-f", "md"]).exit_code == 0
    row = next(r for r in out.read_text(encoding="utf-8").splitlines()
               if r.startswith("| Where the ceasefire line runs | 3"))
    assert "Where the armies stand" in row and "contact-line" not in row


# Item 3: an existing folder as -o, a missing folder, a file where a folder should be, and a
# file that cannot be written: clear errors (or the report inside the folder), never internal.
def test_report_output_paths(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    result = runner.invoke(app, ["report", str(EXAMPLE), "-o", str(folder), "-f", "md"])
    assert result.exit_code == 0, result.output
    written = folder / "example-ceasefire.md"
    assert written.is_file() and str(written) in result.output.replace("\n", "")

    missing = tmp_path / "nope" / "x.md"
    result = runner.invoke(app, ["report", str(EXAMPLE), "-o", str(missing), "-f", "md"])
    assert result.exit_code == 2 and "internal error" not in result.output
    assert "error: cannot write" in result.output and "does not exist" in result.output
    assert str(missing.parent) in result.output.replace("\n", "")

    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = runner.invoke(app, ["report", str(EXAMPLE), "-o", str(a_file / "x.md"), "-f", "md"])
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    result = runner.invoke(app, ["report", str(EXAMPLE), "-o", str(a_file), "-f", "svg"])
    assert result.exit_code == 2 and "go to a folder" in result.output

    def unwritable(content, path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("accord.report.markdown.write_markdown", unwritable)
    target = tmp_path / "locked.md"
    result = runner.invoke(app, ["report", str(EXAMPLE), "-o", str(target), "-f", "md"])
    assert result.exit_code == 2 and "internal error" not in result.output
    assert f"error: cannot write {target}: Permission denied" in result.output.replace("\n", "")


# Item 17: a draft card's verdict is read off the card's own numbers (ukraine-2025's D4
# said "Everyone is at or above their reservation value" above a table showing Russia
# below it and Russia's red line crossed).
def test_draft_verdicts_agree_with_their_tables(monkeypatch):
    monkeypatch.setattr(report_content, "forecast_view", lambda scenario: None)
    for name in ("ukraine-2025", "gaza-2025"):
        analysis = accord.analyze(accord.load(name), frontier=FrontierRequest(max_work=1))
        content = build_content(analysis)
        for view, mark in zip(draft_views(content), content.drafts):
            down = [row["party"] for row in view.rows if row["sign"] == "down"]
            vetoes = {content.party_names[item["party"]]
                      for item in mark.detail["red_lines_crossed"]}
            assert (EVERYONE.rstrip(".") in view.verdict) == (not down and mark.complete), view
            for party in [*down, *vetoes]:
                assert party in view.verdict, (name, view.code, party, view.verdict)
            if vetoes:
                assert "would reject it" in view.verdict
        if name == "ukraine-2025":
            d4 = next(v for v in draft_views(content) if v.code == "D4")
            assert "Everyone" not in d4.verdict and "everyone" not in d4.verdict
            assert "Below reservation at the middle of the range over the open points: " \
                   "Russia." in d4.verdict


# Item 17: a point forecast always lies inside its reported interval. Where actors sit at
# an end of the line, clipped position noise can only move them inward, so the samples lie
# below the model's forecast (30 actors at the top, 3 at the bottom: forecast 90.9, 90th
# percentile of the samples 89.5); the interval is stretched to the forecast and says so.
def test_forecast_lies_inside_its_interval_at_the_end_of_the_line(tmp_path):
    table = tmp_path / "edge.csv"
    table.write_text("Actor,Capability,Position,Salience\n"
                     + "".join(f"a{i},1,10,50\n" for i in range(30))
                     + "".join(f"b{i},1,0,50\n" for i in range(3)))
    result = runner.invoke(app, ["forecast", str(table), "--samples", "200", "--json"])
    assert result.exit_code == 0, result.output
    entry = next(iter(json.loads(result.stdout)["issues"].values()))
    low, high = entry["interval"]
    assert low <= entry["forecast"] <= high and high == entry["forecast"]
    assert entry["sample_interval"][1] < entry["forecast"]  # the samples' 90th percentile
    text = runner.invoke(app, ["forecast", str(table), "--samples", "200"]).output
    assert "*" in text and "stretched" in text


@pytest.mark.skipif(not DEU.is_file(), reason="../shared data absent")
def test_deu_forecasts_lie_inside_their_intervals():
    """DEU III issue d00062i3 (GDP capabilities): forecast 94.2 was reported with the
    interval 87.6-94.0."""
    from accord.forecast import forecast_scenario, forecast_to_dict
    from accord.io.deu import load_deu

    data = forecast_to_dict(forecast_scenario(load_deu(DEU, "gdp"), samples=300, seed=0))
    entries = data["issues"]
    outside = [k for k, e in entries.items() if e["forecast"] is not None
               and not e["interval"][0] <= e["forecast"] <= e["interval"][1]]
    assert outside == []
    for entry in entries.values():  # the interval holds at least the samples' 80%
        low, high = entry["interval"]
        assert low <= entry["sample_interval"][0] and entry["sample_interval"][1] <= high
    assert entries["d00062i3"]["sample_interval"][1] < entries["d00062i3"]["forecast"]


# Progress: `accord forecast` and `accord report` report through accord.cli.progress.
def test_forecast_and_report_show_progress(tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setattr(forecast_cmd, "progress_bar", _recording_bar(calls))
    assert runner.invoke(app, ["forecast", str(EXAMPLE), "--samples", "60"]).exit_code == 0
    assert calls[-1]["label"] == "Monte Carlo" and not calls[-1]["quiet"]
    assert calls[-1]["updates"][-1] == (60, 60)
    assert runner.invoke(app, ["forecast", str(EXAMPLE), "--samples", "60",
                               "--json"]).exit_code == 0
    assert calls[-1]["quiet"]
    # with the odds of a zone of agreement, the bar runs on over the zone's samples
    assert runner.invoke(app, ["forecast", "ukraine-2025", "--samples", "50"]).exit_code == 0
    updates = calls[-1]["updates"]
    assert updates[-1] == (100, 100) and (50, 100) in updates
    assert [done for done, _ in updates] == sorted(done for done, _ in updates)

    calls.clear()
    monkeypatch.setattr(report_cmd, "progress_bar", _recording_bar(calls))
    out = tmp_path / "x.md"
    assert runner.invoke(app, ["report", str(EXAMPLE), "-o", str(out), "-f", "md"]).exit_code == 0
    writing = next(c for c in calls if c["label"] == "Writing the report")
    assert writing["total"] == report_cmd.REPORT_STEPS["md"]
    assert writing["updates"][-1][0] == writing["total"]
