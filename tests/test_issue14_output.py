"""Issue 14, items 12, 13 and 16: the output speaks in the names people read, every name it
shows is accepted back as input, and the tables stay readable at 80 columns."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import UsageError
from accord.io import resolve
from accord.model.draft_ref import match_name, resolve_draft, short_name

runner = CliRunner()


@pytest.fixture(scope="module")
def ukraine():
    return resolve("ukraine-2025")


# --- item 12: a draft is named as the tables show it -------------------------------------

@pytest.mark.parametrize("reference", ["europe-24-point-2025-11", "europe-24-point",
                                       "EUROPE-24-POINT", "europe-24", "D3", "d3"])
def test_a_draft_is_found_by_every_name_the_output_shows(ukraine, reference):
    assert resolve_draft(ukraine, reference, "--focus").id == "europe-24-point-2025-11"


def test_an_exact_short_name_wins_over_a_longer_draft_it_prefixes():
    ids = ["plan-2025-01", "plan-b-2025-02"]
    assert match_name("plan", ids) == ["plan-2025-01"]
    assert match_name("plan-b", ids) == ["plan-b-2025-02"]
    assert short_name("plan-b-2025-02") == "plan-b"


def test_an_ambiguous_name_lists_the_drafts_with_the_names_tables_show(ukraine):
    with pytest.raises(UsageError) as caught:
        resolve_draft(ukraine, "ukraine", "--focus")
    message = str(caught.value)
    assert "could mean ukraine-28-point-2025-11 or ukraine-19-point-geneva-2025-11" in message
    for draft in ukraine.drafts:
        assert draft.id in message and short_name(draft.id) in message


def test_analyze_focus_takes_the_name_the_table_shows():
    result = runner.invoke(app, ["analyze", "ukraine-2025", "--focus", "europe-24-point",
                                 "--no-frontier"])
    assert result.exit_code == 0, result.output
    assert "The draft europe-24-point" in result.output


def test_analyze_focus_unknown_name_is_a_usage_error_listing_the_drafts():
    result = runner.invoke(app, ["analyze", "ukraine-2025", "--focus", "nope", "--no-frontier"])
    assert result.exit_code == 2
    assert "no draft 'nope'" in result.output and "internal error" not in result.output
    assert "europe-24-point  " in result.output and "europe-24-point-2025-11" in result.output


def test_diff_takes_plan_names_as_the_tables_show_them():
    result = runner.invoke(app, ["diff", "gaza-20-point", "hamas-response", "--scenario",
                                 "gaza-2025", "--changes-only"])
    assert result.exit_code == 0, result.output
    assert "gaza-20-point-2025-09" in result.output
    ambiguous = runner.invoke(app, ["diff", "ukraine", "europe-24-point"])
    assert ambiguous.exit_code == 2 and "could mean" in ambiguous.output


# --- item 16a: the Python API names packages ----------------------------------------------

@pytest.fixture(scope="module")
def analysis(ukraine):
    from accord.analysis import analyze

    return analyze(ukraine)


def test_analysis_describes_a_package_by_issue_title_and_option_label(ukraine, analysis):
    nash = analysis.relaxations[0].solutions["nash"]
    named = analysis.describe(nash)
    assert list(named) == [issue.title for issue in ukraine.issues]
    for issue, o in zip(ukraine.issues, nash.package):
        assert named[issue.title] == issue.options[int(o)].label
    assert analysis.describe(nash.package) == named
    assert analysis.describe(nash, ids=True) == analysis.space.describe_package(nash.package)


def test_analysis_describe_leaves_a_partial_drafts_open_issues_as_none(ukraine, analysis):
    partial = next(p for p in analysis.profiles if not p.complete)
    draft = ukraine.draft(partial.draft_id)
    named = analysis.describe(partial, ids=True)
    open_issues = {i for i, v in named.items() if v is None}
    assert open_issues and all(draft.options.get(i) is None for i in open_issues)
    with pytest.raises(ValueError, match="one option index per issue"):
        analysis.describe([0, 1])


# --- item 16b: at 80 columns nothing is cut ------------------------------------------------

def _render(analysis, width: int = 80) -> str:
    from rich.console import Console

    from accord.cli.render import render_analysis

    console = Console(width=width, record=True, color_system=None)
    render_analysis(console, analysis)
    return console.export_text()


def _figures(analysis) -> list[str]:
    """Every number the drafts and solutions tables show, as the renderer formats it."""
    res = analysis.space.reservation
    found = []
    for profile in analysis.profiles:
        for p in range(analysis.space.n_parties):
            low, high = profile.utility_low[p], profile.utility_high[p]
            found.append(f"{low:.2f}" if abs(high - low) < 5e-3 else f"{low:.2f}–{high:.2f}")
    solutions = [analysis.solutions] + [r.solutions for r in analysis.relaxations]
    for group in solutions:
        for solution in group.values():
            for p in range(analysis.space.n_parties):
                found += [f"{solution.utilities[p]:.2f}",
                          f"({solution.utilities[p] - res[p]:+.2f})"]
    return found


@pytest.mark.parametrize("name", ["ukraine-2025", "gaza-2025"])
def test_analyze_tables_at_80_columns_cut_no_number_and_no_name(name, ukraine, analysis):
    from accord.analysis import analyze

    result = analysis if name == "ukraine-2025" else analyze(resolve(name))
    text = _render(result)
    assert "…" not in text
    assert all(len(line) <= 80 for line in text.splitlines())
    words = set(text.replace("│", " ").replace("┃", " ").split())
    for figure in _figures(result):
        assert figure in words, figure
    for solution in ("Utilitarian", "Kalai–Smorodinsky", "Egalitarian", "capability)"):
        assert solution in words
    for profile in result.profiles:  # each draft's name whole in one of the two tables
        assert short_name(profile.draft_id) in text or f"{short_name(profile.draft_id)}*" in text
    for party in result.space.party_ids:  # whole, or broken only after a hyphen
        assert party in words or all(part in words for part in _hyphen_parts(party))


def _hyphen_parts(label: str) -> list[str]:
    parts = label.split("-")
    return [part + "-" for part in parts[:-1]] + parts[-1:]


def test_a_table_too_wide_for_the_console_becomes_a_list(analysis):
    text = _render(analysis, width=44)
    assert "…" not in text
    words = set(text.replace("│", " ").split())
    for figure in _figures(analysis):
        assert figure in words, figure


def test_labels_break_after_hyphens_and_numbers_never_break():
    from accord.cli.layout import Column, break_text, fitted_table

    assert break_text("donetsk-remainder", 10).plain == "donetsk-\nremainder"
    assert break_text("away from us -0.098", 12).plain == "away from us\n-0.098"
    assert fitted_table(20, [Column("a", "number")] * 3, [["0.19–0.98"] * 3]) is None
    assert fitted_table(40, [Column("a", "number")] * 3, [["0.19–0.98"] * 3]) is not None


DIFFS = [  # the examples of docs/diff.md
    ["ukraine-28-point-2025-11", "europe-counterproposal-2025-11"],
    ["ukraine-28-point-2025-11", "europe-counterproposal-2025-11", "--scenario", "ukraine-2025"],
    ["gaza-20-point-2025-09", "ukraine-28-point-2025-11", "europe-counterproposal-2025-11"],
    ["--against-all", "ukraine-28-point-2025-11"],
    ["gaza-20-point-2025-09", "hamas-response-2025-10-03", "--scenario", "gaza-2025",
     "--changes-only"],
]


@pytest.mark.parametrize("args", DIFFS, ids=lambda a: " ".join(a)[:40])
def test_diff_at_80_columns_shows_whole_texts_and_names(args):
    from accord.io.plans import resolve_plan

    result = runner.invoke(app, ["diff", *args], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())
    if "--scenario" in args and "ukraine-2025" in args:
        assert "donetsk-remainder" in result.output and "600,000 → 800,000" in result.output
    names = [a for a in args if not a.startswith("--")]
    scenario = resolve(args[args.index("--scenario") + 1]) if "--scenario" in args else None
    plan = resolve_plan(names[-1] if "--scenario" not in args else names[1], scenario)
    flat = " ".join(result.output.replace("│", " ").split())
    assert plan.points[0].text in flat  # a point's text whole, rewrapped


# --- item 13: the demo times its analysis apart from the report ----------------------------

def test_demo_reports_the_analysis_time_apart_from_the_report(monkeypatch):
    import re
    import sys
    import types

    from accord.cli import report_cmd

    app_module = sys.modules["accord.cli.app"]  # the module (accord.cli.app is the Typer app)

    clock = types.SimpleNamespace(now=0.0)

    def perf_counter() -> float:  # every reading one second later; the report takes 100 s
        clock.now += 1.0
        return clock.now

    def report_demo(console, analysis, focus=None):
        clock.now += 100.0
        console.print("Report to look at: (stub)")

    monkeypatch.setattr(app_module, "time", types.SimpleNamespace(perf_counter=perf_counter))
    monkeypatch.setattr(report_cmd, "report_demo", report_demo)
    result = runner.invoke(app, ["demo"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    last = re.search(r"Exact analysis of ([\d,]+) packages, Pareto frontier included, in "
                     r"([\d.]+) s; report written in ([\d.]+) s", result.output)
    assert last is not None, result.output[-400:]
    assert last.group(1) == "12,230,590,464"
    assert float(last.group(2)) == 1.0 and float(last.group(3)) == 101.0
