"""`python -m mock_server` as a user runs it: a real process, a real port, Ctrl-C."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mock_server.__main__ import banner
from mock_server.settings import Settings
from mock_server.testing import free_port
from mock_server.waiting import wait_until
from test_support.processes import mock_command

ROOT = Path(__file__).resolve().parent.parent


def test_serves_prints_a_curl_command_and_stops_on_ctrl_c() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "--port", str(port), "--seed", "1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/api/v1" in banner

        def call() -> httpx.Response | None:
            try:
                return httpx.post(
                    f"http://127.0.0.1:{port}/api/v1/agents/agent_123456/call",
                    json={"to": "+1234567890", "is_testing": True},
                    headers={"Authorization": "Bearer talq_demo"},
                    timeout=2,
                )
            except httpx.ConnectError:
                return None

        answer = wait_until(call, timeout=10, interval=0.05, what="the mock to start")
        assert answer.status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        _, stderr = process.communicate(timeout=5)
        assert "POST /api/v1/agents/agent_123456/call 200" in stderr  # one log line per request
        assert "talq_demo" not in stderr  # tokens are masked
        assert "Traceback" not in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _mock(*arguments: str, environ: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m mock_server ARGUMENTS` run to its end (for the ways it refuses to start)."""
    return subprocess.run(
        [sys.executable, "-m", "mock_server", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={**os.environ, **(environ or {})},
    )


def test_refuses_to_start_on_a_bad_spec_naming_the_problem(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n", encoding="utf-8")
    result = _mock("--spec", str(spec))
    assert result.returncode == 2
    assert "cannot start" in result.stderr
    assert "OpenAPI 3.1" in result.stderr


def _wait_for(path: Path, process: subprocess.Popen[str], timeout: float = 15) -> str:
    def ready() -> str | None:
        assert process.poll() is None, process.communicate()
        return path.read_text(encoding="utf-8").strip() if path.exists() else None

    return wait_until(ready, timeout=timeout, interval=0.02, what="the mock's ready file")


@pytest.mark.parametrize(("stop", "status"), [(signal.SIGINT, 0), (signal.SIGTERM, -signal.SIGTERM)])
def test_port_0_binds_a_free_port_names_it_and_writes_the_ready_file(
    tmp_path: Path, stop: signal.Signals, status: int
) -> None:
    ready = tmp_path / "ready"
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "--port", "0", "--ready-file", str(ready), "--quiet"],
        cwd=tmp_path,  # any directory: the default spec does not depend on it
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        url = _wait_for(ready, process)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url), url
        port = int(url.rsplit(":", 1)[1])
        assert port != 0
        assert process.stdout is not None
        assert process.stdout.readline().startswith(f"talq mock serving talq.yaml on {url}/api/v1 ")
        answer = httpx.post(
            url + "/api/v1/agents/agent_123456/call",
            json={"to": "+1234567890", "is_testing": True},
            headers={"Authorization": "Bearer talq_demo"},
            timeout=5,
        )
        assert answer.status_code == 200
        assert answer.json()["data"]["status"] == "initiated"
        process.send_signal(stop)
        assert process.wait(timeout=10) == status  # uvicorn re-raises a SIGTERM once it has shut down
        assert not ready.exists()  # removed on exit: a stale file names no dead server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_port_in_use_is_one_clear_line_and_no_banner() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _mock("--port", str(port))
    assert result.returncode == 1
    assert result.stdout == ""  # no banner for a server that never listened
    assert result.stderr == (
        f"python -m mock_server: cannot listen on 127.0.0.1:{port}: Address already in use. Stop the "
        "program using it, or choose another port with --port (0 picks a free one).\n"
    )


@pytest.mark.parametrize(
    ("arguments", "environ", "message"),
    [
        (["--port", "x"], {}, "python -m mock_server: argument --port: invalid int value: 'x' (see "),
        (["--colour"], {}, "python -m mock_server: unrecognized arguments: --colour (see "),
        (
            ["--port", "70000"],
            {},
            "cannot start: port: input should be less than or equal to 65535, not 70000.",
        ),
        ([], {"TALQ_MOCK_SEED": "abc"}, "cannot start: Environment variable TALQ_MOCK_SEED='abc': input"),
        (["--ready-file", "/nonexistent/dir/f"], {}, "its folder does not exist; create it first."),
    ],
)
def test_bad_flags_and_environment_are_one_line(
    arguments: list[str], environ: dict[str, str], message: str
) -> None:
    result = _mock("--port", "0", *arguments, environ=environ)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def test_a_malformed_config_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "mock.yaml"
    config.write_text("tokens: [{token: talq_dev, credit: 0}]\n", encoding="utf-8")
    result = _mock("--config", str(config))
    assert result.returncode == 2
    assert result.stderr == (
        f"python -m mock_server: cannot start: {config}: tokens[0]: unknown key 'credit' "
        "(did you mean 'credits'?).\n"
    )


def test_the_banner_curl_works_with_the_example_strict_config(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    config = ROOT / "examples" / "mock-config.yaml"
    process = subprocess.Popen(
        [*mock_command(0, "--config", str(config), "--ready-file", str(ready))],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        _wait_for(ready, process)
        assert process.stdout is not None
        banner = "".join(process.stdout.readline() for _ in range(5))
        command = banner.split("Try it:\n", 1)[1].replace("\\\n", " ")
        curl = shlex.split(command)
        url = curl[curl.index("POST") + 1]
        headers = dict(curl[i + 1].split(": ", 1) for i, word in enumerate(curl) if word == "-H")
        body = curl[curl.index("-d") + 1]
        answer = httpx.post(url, content=body, headers=headers, timeout=5)
        assert answer.status_code == 200, answer.text
        assert headers["Authorization"] == "Bearer talq_dev_alice"
    finally:
        process.kill()
        process.wait()


def test_the_banner_names_the_campaigns_and_where_to_queue_a_call() -> None:
    line = banner(Settings(), 4010).splitlines()[-1]
    assert line == (
        "Campaigns: campaign_demo (Demo campaign, active); "
        "queue a call with POST http://127.0.0.1:4010/api/v1/campaigns/campaign_demo/call"
    )
    assert banner(Settings(campaigns=()), 4010).splitlines()[-1] == "Campaigns: none configured."
