"""`accord serve` as a newcomer meets it (issue 14, items 4 and 5).

A database that cannot be reached, a malformed --database-url and a busy port are the
user's to fix: each is one `error:` line saying what and why, with a user exit code, never
"internal error"; the room's URL is announced only once the server listens on it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from room_helpers import POSTGRES_URL, skip_without_postgres, stop_server
from typer.testing import CliRunner

from accord.cli import app

runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["serve", "--port", str(_free_port()), *args])
    assert "internal error" not in result.output and "Traceback" not in result.output, \
        result.output
    assert result.output.startswith("error: "), result.output
    return result.exit_code, result.output


def _accord() -> list[str]:
    accord = Path(sys.executable).with_name("accord")
    return [str(accord)] if accord.exists() else [
        sys.executable, "-c", "from accord.cli import main; main()"]


def _postgres_or_skip() -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError:
        skip_without_postgres()
    finally:
        engine.dispose()


def test_unreachable_database_names_the_url_masks_the_password_and_says_why():
    code, output = _serve("--database-url", "postgresql://nobody:s3cret@127.0.0.1:1/x")
    assert code == 1
    assert "cannot use the database postgresql+psycopg://nobody:***@127.0.0.1:1/x" in output
    assert "connection refused" in output
    assert "s3cret" not in output


@pytest.mark.parametrize(("url", "code", "expected"), [
    ("nonsense", 2, "--database-url 'nonsense' is not a database URL"),
    ("postgresql://u:s3cret@h:notaport/x", 2, "'postgresql://u:***@h:notaport/x' is not a "
                                              "database URL"),
    ("foo://x/y", 2, "unknown database kind 'foo'"),
    ("postgresql+psycopg2://u:s3cret@127.0.0.1/x", 2, "the driver of 'postgresql+psycopg2' "
                                                      "is not installed"),
    ("postgresql://u@name.invalid/x", 1, "cannot use the database "
                                         "postgresql+psycopg://u@name.invalid/x: unknown host"),
])
def test_malformed_or_unusable_database_urls_are_clear_errors(url, code, expected):
    exit_code, output = _serve("--database-url", url)
    assert exit_code == code and expected in output, output
    assert "s3cret" not in output


@pytest.mark.parametrize(("change", "expected"), [
    (("postgres@", "nobody-accord:s3cret@"), "authentication failed"),
    ("/test", 'database "no_such_accord_db" does not exist'),
])
def test_a_running_server_that_refuses_says_why(change, expected):
    _postgres_or_skip()
    old, new = change if isinstance(change, tuple) else (change, "/no_such_accord_db")
    assert old in POSTGRES_URL, "this test expects the default test URL"
    code, output = _serve("--database-url", POSTGRES_URL.replace(old, new))
    assert code == 1 and expected in output, output
    assert "s3cret" not in output


def test_data_dir_and_database_url_together_are_refused(tmp_path):
    code, output = _serve("--data-dir", str(tmp_path), "--database-url", "sqlite://")
    assert code == 2 and "not both" in output


def test_a_data_folder_that_cannot_be_created_is_a_user_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, output = _serve("--data-dir", str(blocker / "room"))
    assert code == 2 and f"cannot use the data folder {blocker / 'room'}" in output


def test_busy_port_is_refused_before_anything_is_announced(tmp_path):
    with socket.socket() as occupier:
        occupier.bind(("127.0.0.1", 0))
        occupier.listen()
        busy = occupier.getsockname()[1]
        result = subprocess.run([*_accord(), "serve", "--port", str(busy),
                                 "--data-dir", str(tmp_path)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "accord room on" not in result.stdout + result.stderr
    assert f"error: cannot listen on 127.0.0.1:{busy}: the address is already in use" \
        in result.stderr
    assert "--port" in result.stderr and "Traceback" not in result.stderr


def test_the_url_is_announced_once_the_room_listens(tmp_path):
    port = _free_port()
    server = subprocess.Popen([*_accord(), "serve", "--port", str(port), "--data-dir",
                               str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = server.stdout.readline()
        assert line == f"accord room on http://127.0.0.1:{port}/ (Ctrl-C stops it)\n", \
            line + server.stderr.read() if server.poll() is not None else line
        # announced only after uvicorn started: the very next request is answered
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
    finally:
        stop_server(server)
