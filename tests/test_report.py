"""The report: a self-contained HTML page, figures as files, a Markdown summary, the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import accord
from accord.analysis import FrontierRequest, pareto_frontier
from accord.analysis._nondominated import nondominated
from accord.analysis.brute import all_packages
from accord.analysis.utility import satisfies_constraints, utilities
from accord.cli import app
from accord.io import save_scenario
from accord.model.synthetic import random_scenario
from accord.report.comparison import plan_comparison
from accord.report.content import build_content
from accord.report.figures import build_figures, stance_records
from accord.report.html import render_html
from accord.report.markdown import render_markdown
from accord.report.pairs import pair_frontier, pair_space
from accord.report.sources import safe_url
from accord.report.static import write_figures

runner = CliRunner()
SECTIONS = ("verdict", "stances", "frontier", "drafts", "sources")
SIZE_BUDGET = 5 * 1024 * 1024


class _Page(HTMLParser):
    """Collects what a self-contained page must not have, and the ids it has."""

    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.ids: set[str] = set()
        self.figures: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.add(str(a["id"]))
        if "data-figure" in a:
            self.figures.append(str(a["data-figure"]))
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.external.append(f"<{tag} src={a['src']}>")
        if tag == "link":
            self.external.append(f"<link href={a.get('href')}>")
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _specs(html: str) -> dict:
    found = re.search(r'<script id="accord-figures" type="application/json">(.*?)</script>',
                      html, re.S)
    assert found is not None
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def ukraine():
    return accord.analyze(accord.load("ukraine-2025"), frontier=FrontierRequest())


@pytest.fixture(scope="module")
def ukraine_html(ukraine):
    return render_html(build_content(ukraine))


def test_html_is_self_contained(ukraine_html):
    page = _parse(ukraine_html)
    assert page.external == []
    assert not re.search(r"@import|url\(\s*['\"]?https?:", ukraine_html)
    assert all(link.startswith(("https://", "http://", "#")) for link in page.links)
    for figure_id, spec in _specs(ukraine_html).items():
        data = json.dumps(spec.get("data", {})) + json.dumps(spec.get("layer", ""))
        assert '"url"' not in data, figure_id  # data inline, never fetched
        assert spec["datasets"], figure_id


def test_html_has_every_section_and_figure(ukraine, ukraine_html):
    page = _parse(ukraine_html)
    for section in SECTIONS:
        assert section in page.ids, section
    assert ("comparison" in page.ids) == (plan_comparison(ukraine) is not None)
    pairs = [f"pareto-{a}-{b}" for k, a in enumerate(ukraine.space.party_ids)
             for b in ukraine.space.party_ids[k + 1:]]
    assert page.figures == ["stances", *pairs, "parallel", "drafts", "forecast"]
    assert set(_specs(ukraine_html)) == set(page.figures)
    assert "Verdict" in ukraine_html and "No: none of the 12,230,590,464" in ukraine_html


def test_every_draft_and_solution_is_marked_and_labelled(ukraine):
    content = build_content(ukraine)
    codes = {m.code for m in content.marks}
    assert len(content.drafts) == len(ukraine.scenario.drafts)
    assert {m.code for m in content.solutions} == {"N", "wN", "KS", "E", "U"}
    for figure in build_figures(content):
        if figure.id.startswith("pareto-"):
            labels = {code.strip() for group in figure.spec["datasets"]["labels"]
                      for code in group["label"].split(",")}
            assert labels == codes, figure.id
            assert {r["code"] for r in figure.spec["datasets"]["marks"]} == codes


def test_heat_map_marks_the_red_lines_each_draft_crosses(ukraine):
    content = build_content(ukraine)
    cells = stance_records(content)
    for mark in content.drafts:
        red = {(c["party"], c["order"]) for c in cells if c["package"] == mark.code and c["red"]}
        order = {issue.id: k for k, issue in enumerate(ukraine.scenario.issues)}
        expected = {(content.party_names[x["party"]], order[x["issue"]])
                    for x in mark.detail["red_lines_crossed"]}
        assert red == expected, mark.code
        assert all(c["text"].startswith("✕") for c in cells if c["red"])


def test_what_is_new_compares_the_newest_draft_with_the_focus(ukraine):
    content = build_content(ukraine)
    comparison = content.comparison
    assert comparison is not None  # accord.compare is part of accord
    assert comparison.columns[1:3] == ("Before (ukraine-28-point-2025-11)",
                                       "Now (ukraine-19-point-geneva-2025-11)")
    assert any(row[0] == "dropped" and "amnesty" in row[2] for row in comparison.rows)
    assert "lists reported changes only" in comparison.note
    generated = accord.analyze(random_scenario(5, 3, 3, seed=0))  # drafts without text
    assert plan_comparison(generated) is None


def test_sources_cover_every_position_with_safe_links(ukraine):
    content = build_content(ukraine)
    positions = {(p.id, i) for p in ukraine.scenario.parties for i in p.preferences}
    assert len({(r.party, r.issue) for r in content.sources}) == len(positions)
    assert any(r.url for r in content.sources)
    assert safe_url("javascript:alert(1)") is None and safe_url(" https://x.org ") == "https://x.org"


def test_pair_frontier_is_exact_against_brute_force():
    scenario = random_scenario(6, 3, 3, seed=2)
    analysis = accord.analyze(scenario, frontier=FrontierRequest())
    space = analysis.space
    packages = all_packages(space)
    packages = packages[satisfies_constraints(space, packages)]
    for a, b in ((0, 1), (0, 2), (1, 2)):
        pair = pair_frontier(analysis, a, b)
        u = utilities(space, packages)[:, [a, b]]
        u = np.unique(u.round(9), axis=0)
        brute = {tuple(x) for x in u[nondominated(u)].round(6)}
        assert {tuple(np.round(p, 6)) for p in pair.points} == brute
        assert pair.size == len(brute) and pair.complete
    assert pareto_frontier(pair_space(space, 0, 1)).size == pair_frontier(analysis, 0, 1).size


def test_verdict_says_yes_when_a_zone_exists():
    analysis = accord.analyze(random_scenario(8, 3, 3, seed=4), frontier=FrontierRequest())
    content = build_content(analysis)
    assert analysis.zone.exists and content.verdict.startswith("Yes, there is a deal")
    assert "Nash bargaining solution" in content.verdict


def test_report_of_a_30_issue_5_party_scenario_is_within_budget(tmp_path):
    scenario = random_scenario(30, 4, 5, seed=0)
    analysis = accord.analyze(scenario, frontier=FrontierRequest())
    html = render_html(build_content(analysis))
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    assert path.stat().st_size < SIZE_BUDGET
    # heat map, 10 pairs, parallel, drafts, forecast (its options carry positions)
    assert len(_parse(html).figures) == 1 + 10 + 1 + 1 + 1


def test_markdown_summary(ukraine):
    text = render_markdown(build_content(ukraine))
    for heading in ("# Russia-Ukraine war", "## Verdict", "## Where each party stands",
                    "## Pareto frontiers", "## The drafts", "## Sources behind every position"):
        assert heading in text, heading
    assert "| Point | Option |" in text and "✕" in text
    assert "](<https://" in text


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_static_figures_are_written(tmp_path, fmt):
    analysis = accord.analyze(random_scenario(6, 3, 3, seed=1), frontier=FrontierRequest())
    written = write_figures(build_content(analysis), tmp_path / "figures", fmt)
    names = [p.name for p in written]
    assert names == [f"{n}.{fmt}" for n in ("stances", "pareto-p0-p1", "pareto-p0-p2",
                                             "pareto-p1-p2", "parallel", "drafts", "forecast")]
    for path in written:
        data = path.read_bytes()
        if fmt == "svg":
            assert data.lstrip().startswith(b"<svg") and b"</svg>" in data
        else:
            assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 2000


def test_two_party_report_has_no_parallel_view():
    analysis = accord.analyze(random_scenario(5, 3, 2, seed=3), frontier=FrontierRequest())
    ids = [f.id for f in build_figures(build_content(analysis))]
    assert ids == ["stances", "pareto-p0-p1", "drafts", "forecast"]


def test_cli_report_writes_each_format(tmp_path):
    path = tmp_path / "random.yaml"
    save_scenario(random_scenario(6, 3, 3, seed=0), path)
    html = tmp_path / "out" / "r.html"
    html.parent.mkdir()  # a missing folder is refused (tests/test_issue14_report_forecast.py)
    result = runner.invoke(app, ["report", str(path), "-o", str(html), "--draft", "draft-1"])
    assert result.exit_code == 0, result.output
    assert html.exists() and "<!DOCTYPE html>" in html.read_text(encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "-o", str(tmp_path / "r.md"), "-f", "md"])
    assert result.exit_code == 0 and (tmp_path / "r.md").read_text().startswith("# ")
    result = runner.invoke(app, ["report", str(path), "-o", str(tmp_path / "svg"),
                                 "--format", "svg"])
    assert result.exit_code == 0 and len(list((tmp_path / "svg").glob("*.svg"))) == 7


def test_cli_report_refuses_bad_options(tmp_path):
    result = runner.invoke(app, ["report", "ukraine-2025", "-f", "pdf", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "unknown format 'pdf'" in result.output
    result = runner.invoke(app, ["report", "ukraine-2025", "--draft", "nope"])
    assert result.exit_code == 2 and "no draft 'nope'" in result.output


def test_demo_report_helper_writes_the_page(tmp_path, monkeypatch):
    from rich.console import Console

    from accord.cli import report_cmd

    monkeypatch.setattr(report_cmd, "demo_report_path", lambda _: tmp_path / "demo.html")
    analysis = accord.analyze(random_scenario(5, 3, 3, seed=0), frontier=FrontierRequest())
    console = Console(record=True, width=200)
    path = report_cmd.report_demo(console, analysis)
    assert path == tmp_path / "demo.html" and path.exists()
    assert str(path) in console.export_text()


def test_report_modules_leave_the_cli_start_up_alone():
    import subprocess
    import sys

    code = ("import sys, accord.cli; "
            "print(any(m.split('.')[0] in ('altair', 'vl_convert', 'jinja2') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_report_paths_are_not_in_the_repository():
    from accord.cli.report_cmd import demo_report_path

    assert Path(__file__).resolve().parents[1] not in demo_report_path("x").resolve().parents


@pytest.mark.parametrize("parties", [1, 2])
def test_reports_of_one_and_two_party_scenarios(tmp_path, parties):
    """Regression: a two-party scenario has no parallel-coordinates figure."""
    path = tmp_path / "small.yaml"
    save_scenario(random_scenario(4, 3, parties, seed=parties), path)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "<html" in out.read_text(encoding="utf-8")


def test_forecast_section_for_scenarios_with_positions(tmp_path):
    """ukraine-2025's options carry 0-100 positions: the report forecasts each point."""
    analysis = accord.analyze(accord.load("ukraine-2025"), frontier=FrontierRequest(max_work=1))
    content = build_content(analysis)
    assert content.forecast is not None
    assert len(content.forecast.rows) == len(analysis.scenario.issues)
    for row in content.forecast.rows:
        assert 0 <= row["low"] <= row["forecast"] + 1e-9 and row["forecast"] <= row["high"] + 1e-9
    assert "zone of agreement" in content.forecast.zone_text
    html = render_html(content)
    assert 'id="forecast"' in html and 'data-figure="forecast"' in html
    assert "## Forecast" in render_markdown(content)


def test_no_forecast_section_without_positions():
    content = build_content(accord.analyze(random_scenario(4, 3, 2, seed=0)))
    if content.forecast is None:
        assert 'id="forecast"' not in render_html(content)
