"""`python -m mock_server` as a user runs it: a real process, a real port, Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx

from mock_server.testing import free_port
from mock_server.waiting import wait_until

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


def test_refuses_to_start_on_a_bad_spec_naming_the_problem(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mock_server", "--spec", str(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot start" in result.stderr
    assert "OpenAPI 3.1" in result.stderr
