"""Issue 14, a newcomer's audit of the fixed commands: what was still wrong when every
command was tried with bad input, interrupted or read at 80 columns.

Each test runs the CLI as a user would (CliRunner, or a subprocess where a signal or the
process's exit matters) and fails on the commit before its fix.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "docs" / "example-scenario.yaml")
runner = CliRunner()


def _accord() -> list[str]:
    accord = Path(sys.executable).with_name("accord")
    return [str(accord)] if accord.exists() else [
        sys.executable, "-c", "from accord.cli import main; main()"]


def _clean_error(result, named: str) -> None:
    """A user error: exit code neither 0 nor the bug wrapper's 70, `error:` naming `named`."""
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code not in (0, 70), output
    assert "internal error" not in output and "Traceback" not in output, output
    assert "error:" in output and named in output, output


@pytest.mark.slow
def test_ctrl_c_stops_a_long_analysis_at_once(tmp_path):
    """Ctrl-C in `accord analyze` of a 1000 x 10 x 10 scenario ran on for minutes: the
    analysis's thread pool ran every queued program, and Python waited for the solver
    threads before exiting. Now the queue is dropped and the command exits 130."""
    path = tmp_path / "big.yaml"
    made = runner.invoke(app, ["generate", "-o", str(path), "--issues", "1000",
                               "--options", "10", "--parties", "10"])
    assert made.exit_code == 0, made.output
    started = time.monotonic()  # loading alone: the interrupt must land after it
    subprocess.run([*_accord(), "validate", str(path)], check=True, capture_output=True)
    loading = time.monotonic() - started
    process = subprocess.Popen([*_accord(), "analyze", str(path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    time.sleep(loading + 2.0)  # the first programs (each minutes long) are under way
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("accord analyze ran on for a minute after Ctrl-C")
    assert process.returncode == 130, err
    assert "Traceback" not in err and "internal error" not in err, err


@pytest.mark.parametrize("content, named", [
    (b"\x89PNG\r\n\x1a\n\x00", "not UTF-8 text (byte 0x89 at offset 0)"),
    (None, "Is a directory"),
])
def test_a_tournament_config_that_is_no_text_file_is_a_clear_error(tmp_path, content, named):
    """A binary file as the config printed `internal error: UnicodeDecodeError`; a folder
    printed the raw `[Errno 21] Is a directory: '...'` with the path twice."""
    path = tmp_path / "config.yaml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    result = runner.invoke(app, ["tournament", str(path)])
    _clean_error(result, named)
    assert "[Errno" not in result.output and result.output.count(str(path)) == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a full disk)")
@pytest.mark.parametrize("args", [
    ["generate", "--issues", "2", "-o", "{out}.yaml"],
    ["convert", EXAMPLE, "-o", "{out}.yaml"],
    ["convert", EXAMPLE, "--lossy", "-o", "{out}.xml"],
], ids=["generate", "convert-yaml", "convert-genius"])
def test_a_write_that_fails_names_the_file_and_why(tmp_path, args):
    """A full disk (here /dev/full) printed `internal error: OSError: [Errno 28] No space
    left on device`, naming no file: the write's error carries no file name."""
    out = tmp_path / "full"
    argv = [a.format(out=out) for a in args]
    Path(argv[-1]).symlink_to("/dev/full")
    result = runner.invoke(app, argv)
    _clean_error(result, argv[-1])
    assert result.exit_code == 74 and "No space left on device" in result.output


def _interrupt(args: list[str], cwd: Path, once: str) -> tuple[int, str]:
    """Run `accord ARGS`, press Ctrl-C (SIGINT to the whole process group, as a terminal
    does) two seconds after a line of stderr contains `once`; the exit code and stderr."""
    import os

    process = subprocess.Popen([*_accord(), *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    seen = []
    for line in process.stderr:
        seen.append(line)
        if once in line:
            break
    time.sleep(2.0)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"accord {' '.join(args)} ran on for a minute after Ctrl-C")
    return process.returncode, "".join(seen) + err


INTERRUPTED_FORECAST = """
import os, signal, sys, threading, time
from accord.forecast.montecarlo import map_chunks
threading.Timer(float(sys.argv[1]), os.killpg, (0, signal.SIGINT)).start()  # a Ctrl-C
try:
    map_chunks(time.sleep, [(40,), (40,), (40,)], 2, None, [1, 1, 1])
except KeyboardInterrupt:
    sys.exit(130)
"""


@pytest.mark.parametrize("after", [0.05, 3.0], ids=["while-workers-start", "while-they-work"])
def test_ctrl_c_in_a_forecast_on_worker_processes_prints_no_traceback(tmp_path, after):
    """Ctrl-C reaches the forecast's workers too (the terminal signals its whole process
    group): each printed a KeyboardInterrupt traceback (from its start-up imports or
    multiprocessing's queue) under the parent's clean exit, and the parent waited for the
    queued chunks."""
    process = subprocess.Popen([sys.executable, "-c", INTERRUPTED_FORECAST, str(after)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        _, err = process.communicate(timeout=30)  # each chunk sleeps 40 s
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the forecast ran on after Ctrl-C")
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


@pytest.mark.slow
def test_ctrl_c_in_a_tournament_on_worker_processes_stops_it(tmp_path):
    """Ctrl-C in a tournament on worker processes waited for every queued negotiation
    (the pool's exit ran them all) before exiting."""
    (tmp_path / "t.yaml").write_text(
        "seed: 1\nrepetitions: 20\nscenarios: [gaza-2025]\nagents: [sincere, boulware]\n"
        "protocols: [single-text]\nmediators: [engine]\ndeadline: 50\nlineups: self\n")
    code, err = _interrupt(["tournament", "t.yaml", "--workers", "2"], tmp_path,
                           once="the first negotiation took")
    assert code == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


def _commands() -> list[str]:
    import typer

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", ["", *_commands()])
def test_help_at_80_columns_is_whole(command):
    """Rich's option tables cut help to stubs at 80 columns: `--max-blocking-s…`,
    `--no-frontier-r…`, `stacked-alternating-…`, `(docs/json-outpu…`, and the command list's
    summaries to `Pareto...`. Every option's name and every word must be there, whole."""
    import typer

    result = runner.invoke(app, [*([command] if command else []), "--help"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80, result.output
    variadic = re.sub(r"(\[ARGS\]|\{\w+\}|\[\w+\]|\b\w+(?=\.\.\. <list\[))\.\.\.", "",
                      result.output)  # the metavars of arguments that take several values
    assert "…" not in result.output and "..." not in variadic, result.output
    group = typer.main.get_command(app)
    target = group.commands[command] if command else group  # type: ignore[attr-defined]
    for param in target.params:
        for name in [*param.opts, *param.secondary_opts]:
            if name.startswith("-"):  # whole: not cut, not split at its hyphens
                assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", result.output), (
                    name, result.output)


def test_ctrl_c_at_a_practise_prompt_exits_130(tmp_path):
    """Ctrl-C at `accord practise`'s prompt printed "Aborted!" and exited 1 (the prompt
    turns it into Abort); every other command exits 130 on Ctrl-C. End of input (Ctrl-D)
    stays "Aborted!", exit 1."""
    import os

    process = subprocess.Popen([*_accord(), "practise", EXAMPLE, "--as", "north"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    shown = b""
    while b"accept (a)" not in shown:  # the first prompt: now it waits at the keyboard
        chunk = os.read(process.stdout.fileno(), 4096)
        assert chunk, shown.decode()
        shown += chunk
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    output = (shown + rest).decode()
    assert process.returncode == 130, output
    assert "Traceback" not in output and "Aborted" not in output, output
    ended = runner.invoke(app, ["practise", EXAMPLE, "--as", "north"], input="")
    assert ended.exit_code == 1 and "Aborted" in ended.output


def test_several_scenario_arguments_that_do_not_make_one_are_named(tmp_path):
    """A YAML file beside a folder said `got , .yaml` (the folder's empty suffix)."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    result = runner.invoke(app, ["analyze", EXAMPLE, str(folder)])
    _clean_error(result, f"got {EXAMPLE}, {folder}")
    assert "got ," not in result.output


def test_a_plans_folder_without_plans_says_so(tmp_path):
    """`diff --plans EMPTY a b` ended its message with an empty list: `in EMPTY ()`."""
    result = runner.invoke(app, ["diff", "--plans", str(tmp_path), "a", "b"])
    _clean_error(result, "it has no plan files")
    assert "()" not in result.output
