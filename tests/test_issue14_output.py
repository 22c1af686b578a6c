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
