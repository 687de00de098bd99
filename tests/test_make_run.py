"""`make run` says plainly when its port is taken, and takes PORT= for another."""

import socket
import subprocess
from pathlib import Path

import pytest

# The Makefile's port check opens no database:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = pytest.mark.only_in_sqlite_pass

PROJECT = Path(__file__).resolve().parent.parent


def make_run(*arguments):
    return subprocess.run(
        ["make", "--no-print-directory", "run", *arguments],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_busy_port_gets_a_plain_message_naming_another():
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]

        result = make_run(f"PORT={port}")

    assert result.returncode != 0
    assert f"Port {port} is already in use" in result.stderr
    assert f"make run PORT={port + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_that_is_not_a_number_is_refused_before_anything_runs():
    result = make_run("PORT=eighty")

    assert result.returncode != 0
    assert "PORT must be a port number such as 8001, not 'eighty'." in result.stderr
    assert "migrate" not in result.stdout
