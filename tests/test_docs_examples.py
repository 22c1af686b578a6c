"""Every example in README.md and docs/*.md runs, so the docs and the commands cannot drift.

What counts as an example (docs/testing.md):
- in a ```sh, ```bash, ```console or unlabelled fence, every line that starts with
  `accord ` (in a fence that shows a session, only the lines `$ accord …`), with `\\` continuations joined and a trailing `# comment`
  dropped; it must exit 0, or the code an `<!-- exit: N -->` comment before the fence gives;
- a server (a fence after `<!-- until: TEXT -->`) must print TEXT, then stop on Ctrl-C
  with exit code 130 (128 + SIGINT, as uvicorn reports it) and no traceback;
- every ```python fence: it is run as a script and must not raise.
A fence preceded by `<!-- not run: REASON -->` is skipped, and the reason must be given.
Commands run from a scratch folder laid out like the repository (docs/, src/, tests/ and
../shared/ reachable by the same relative paths), so files they write land there.
Commands that take minutes run on a smaller input here (SMALLER, with the reason) and in
full under the slow mark.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ACCORD = Path(sys.executable).with_name("accord")
SHELL_FENCES = {"", "sh", "bash", "console", "shell"}
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)
MARK = re.compile(r"<!--\s*(not run|exit|until):\s*(.*?)\s*-->\s*$")

SMALLER: dict[str, tuple[str, str]] = {}
"""Full command -> (the command the fast run uses instead, why)."""


@dataclass(frozen=True)
class Example:
    page: str
    line: int
    kind: str  # "shell" or "python"
    text: str
    exit_code: int = 0
    not_run: str | None = None
    until: str | None = None

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


def examples() -> list[Example]:
    """Every example of every page, in page order."""
    found: list[Example] = []
    for page in PAGES:
        source = page.read_text(encoding="utf-8")
        name = str(page.relative_to(ROOT))
        for fence in FENCE.finditer(source):
            lang, body = fence.group(1), fence.group(2)
            before = source[:fence.start()].rstrip("\n").rsplit("\n", 1)[-1]
            mark = MARK.search(before)
            not_run = mark.group(2) if mark and mark.group(1) == "not run" else None
            exit_code = int(mark.group(2)) if mark and mark.group(1) == "exit" else 0
            until = mark.group(2) if mark and mark.group(1) == "until" else None
            exit_code = 128 + signal.SIGINT if until is not None else exit_code
            first_line = source[:fence.start()].count("\n") + 2
            if lang == "python":
                found.append(Example(name, first_line, "python", body, 0, not_run))
            elif lang in SHELL_FENCES:
                for offset, command in _commands(body):
                    found.append(Example(name, first_line + offset, "shell", command,
                                         exit_code, not_run, until))
    return found


def _commands(body: str) -> list[tuple[int, str]]:
    """(line offset, command) of each `accord …` line of a shell fence."""
    lines = body.split("\n")
    prompted = any(line.startswith("$ ") for line in lines)  # a session: output follows
    commands, i = [], 0
    while i < len(lines):
        start, line = i, lines[i].strip()
        if prompted and not line.startswith("$ "):
            i += 1
            continue
        line = line[2:] if line.startswith("$ ") else line
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1].rstrip() + " " + lines[i].strip()
        i += 1
        if line.startswith("accord "):
            commands.append((start, _strip_comment(line)))
    return commands


def _strip_comment(line: str) -> str:
    """The command without a trailing `# comment` (a # inside quotes stays)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=False)
    lexer.whitespace_split, lexer.commenters = True, "#"
    words = list(lexer)
    return shlex.join(words)


ALL = examples()
RUN = [e for e in ALL if e.not_run is None]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where the docs' relative paths resolve as in the repository, holding the
    files the docs assume a user has (a room's export.json, a scenario updated from the
    news)."""
    base = tmp_path_factory.mktemp("docs-examples")
    work = base / "main"
    work.mkdir()
    for name in ("docs", "src", "tests", "benchmarks"):
        (work / name).symlink_to(ROOT / name)
    shared = ROOT.parent / "shared"
    if shared.exists():
        (base / "shared").symlink_to(shared)
    _room_export(work)
    _news_update(work)
    return work


def _news_update(folder: Path) -> None:
    """ukraine-news.yaml as `accord evidence … --update` writes it (docs/evidence.md), so
    the report of it runs on any worker, in any order."""
    from accord.evidence import extract_claims, read_document
    from accord.evidence.update import update_scenario
    from accord.io import resolve, save_scenario

    document = read_document(ROOT / "tests/data/articles/en-kyiv-response-2025-11-27.yaml")
    updated, _ = update_scenario(resolve("ukraine-2025"), extract_claims(document), [document])
    save_scenario(updated, folder / "ukraine-news.yaml")


def _room_export(folder: Path) -> None:
    """export.json as a room's mediator downloads it: a real room opened on
    docs/example-scenario.yaml, its first draft published, every delegation's answers."""
    from room_helpers import Person, form_csrf  # noqa: F401  (tests/ is on sys.path)

    from accord.io import resolve
    from accord.room import create_app

    scenario_file = ROOT / "docs" / "example-scenario.yaml"
    scenario = resolve(str(scenario_file))
    room = create_app(f"sqlite:///{folder / 'room.sqlite3'}")
    mediator = Person(room)
    mediator.open(title="Ceasefire talks", scenario=scenario_file.read_bytes())
    people = list(mediator.seat_delegations(room).values())
    draft = scenario.drafts[0]
    assert mediator.post("api/drafts", {"title": draft.title,
                                        "options": dict(draft.options)}).is_success
    for person in people:
        body = {issue: {"verdict": "can-live-with", "comment": ""} for issue in draft.options}
        assert person.post("api/drafts/1/answers", body).is_success
    (folder / "export.json").write_text(json.dumps(mediator.get("export").json()))
    room.state.db.dispose()


def _run_shell(example: Example, command: str, cwd: Path) -> None:
    words = shlex.split(command)
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "HOME": str(cwd / "home")}
    if example.until is not None:
        output, code = _serve(words, cwd, env, example.until)
    else:
        done = subprocess.run([str(ACCORD), *words[1:]], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=1800,
                              stdin=subprocess.DEVNULL)
        output, code = done.stdout + done.stderr, done.returncode
    assert code == example.exit_code, (
        f"{example}: `{command}` exited {code}, expected {example.exit_code}\n"
        f"{output[-3000:]}")
    assert "internal error" not in output, f"{example}: `{command}`\n{output[-3000:]}"
    assert "Traceback" not in output, f"{example}: `{command}`\n{output[-3000:]}"


def _serve(words: list[str], cwd: Path, env: dict[str, str], until: str) -> tuple[str, int]:
    """Start a server, wait (at most a minute) for `until` in its output, then Ctrl-C it."""
    process = subprocess.Popen([str(ACCORD), *words[1:]], cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")),
                              daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if until in "".join(lines):
            break
        time.sleep(0.2)
    announced = until in "".join(lines)
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    reader.join(timeout=5)
    output = "".join(lines)
    assert announced, f"`{shlex.join(words)}` never printed {until!r}:\n{output[-3000:]}"
    return output, process.returncode


def _run_python(example: Example, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-c", example.text], cwd=cwd, capture_output=True,
                          text=True, timeout=1800, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{example}: python example failed\n{done.stderr[-3000:]}"


def test_examples_are_found_and_every_skip_says_why():
    pages = {e.page for e in ALL}
    assert {"README.md", "docs/negotiation.md", "docs/diff.md"} <= pages
    assert len(RUN) >= 20
    for example in ALL:
        assert example.not_run is None or len(example.not_run) >= 10, (
            f"{example}: `not run` needs a reason")
    for full, (small, why) in SMALLER.items():
        assert any(e.text == full for e in RUN), f"SMALLER names no example: {full}"
        assert small != full and why


@pytest.mark.parametrize("example", RUN, ids=str)
def test_example_runs(example: Example, scratch: Path):
    if example.kind == "python":
        _run_python(example, scratch)
    else:
        command = SMALLER.get(example.text, (example.text, ""))[0]
        _run_shell(example, command, scratch)


@pytest.mark.slow
@pytest.mark.parametrize("example", [e for e in RUN if e.text in SMALLER], ids=str)
def test_long_example_runs_in_full(example: Example, scratch: Path):
    _run_shell(example, example.text, scratch)
