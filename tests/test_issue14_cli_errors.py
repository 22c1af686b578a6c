"""No command answers bad input with "internal error": a sweep of inputs a newcomer types.

Each case is a command line with something wrong in it (a missing or unwritable path, a
folder where a file is expected, a value out of range, a name that does not exist). The
command must fail with a clear `error:` line (or usage message) naming what was wrong, and
a user error's exit code — never the wrapper's 70 for a bug, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "docs" / "example-scenario.yaml")
runner = CliRunner()

CASES = [
    (["generate", "-o", "{missing}/x.yaml", "--issues", "2"], "{missing}"),
    (["generate", "-o", "{tmp}", "--issues", "2"], "is a directory"),
    (["report", EXAMPLE, "-o", "{missing}/x.html"], "{missing}"),
    (["convert", EXAMPLE, "-o", "{missing}/x.yaml"], "{missing}"),
    (["analyze", "{missing}.yaml"], "{missing}"),
    (["validate", "{tmp}"], ""),
    (["analyze", EXAMPLE, "--focus", "no-such-draft"], "no-such-draft"),
    (["simulate", EXAMPLE, "--agents", "no-such-agent"], "no-such-agent"),
    (["simulate", EXAMPLE, "--protocol", "single-text", "--seed", "-5"], "--seed"),
    (["forecast", EXAMPLE, "--model", "no-such-model"], "no-such-model"),
    (["diff", "no-such-plan", "ukraine-28-point-2025-11"], "no-such-plan"),
    (["practise", EXAMPLE, "--as", "nobody"], "nobody"),
    (["tournament", "{missing}.yaml"], "{missing}"),
    (["replay", "{missing}.json"], "{missing}"),
    (["twins", "{missing}.yaml"], "{missing}"),
    (["generate", "-o", "{tmp}/x.yaml", "--seed", "-5"], "--seed"),
    (["forecast", EXAMPLE, "--seed", "-5"], "--seed"),
    (["replay", "{tmp}/x.json", "--seed", "-5"], "--seed"),
    (["practise", EXAMPLE, "--as", "north", "--seed", "-1"], "--seed"),
]


@pytest.mark.parametrize("args, named", CASES, ids=lambda v: " ".join(v) if isinstance(v, list)
                         else None)
def test_bad_input_is_a_clear_user_error(args, named, tmp_path):
    fill = {"missing": str(tmp_path / "missing"), "tmp": str(tmp_path)}
    argv = [a.format(**fill) for a in args]
    result = runner.invoke(app, argv)
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code not in (0, 70), output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert "internal error" not in output
    assert "Traceback" not in output
    assert named.format(**fill).lower() in output.lower()


def test_an_os_error_on_a_named_file_says_which_file_and_why(tmp_path):
    """The safety net in cli/app.reports_errors: a file the user named that cannot be
    written is their problem (exit 74 with the path and the reason), not a bug."""
    target = tmp_path / "taken"
    target.mkdir()
    result = runner.invoke(app, ["generate", "-o", str(target), "--issues", "2"])
    assert result.exit_code == 74
    assert str(target) in result.output and "directory" in result.output.lower()


def test_report_draft_takes_the_names_the_tables_show(tmp_path):
    """`report --draft` resolves names as `analyze --focus` does (one resolver)."""
    out = tmp_path / "gaza.md"
    result = runner.invoke(app, ["report", "gaza-2025", "-o", str(out), "--format", "md",
                                 "--draft", "hamas-resp"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["report", "gaza-2025", "-o", str(out), "--format", "md",
                                 "--draft", "no-such"])
    assert result.exit_code == 2 and "hamas-response-2025-10-03" in result.output
