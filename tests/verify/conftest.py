"""Running `talq-mock verify` in-process against a fake vendor, and reading its JSON report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mock_server.verify.cli import main

TOKEN = "talq_verify_secret_7f3a9c"
Run = Callable[..., tuple[int, dict[str, Any]]]


@pytest.fixture
def run_verify(tmp_path: Path) -> Run:
    """`run_verify(upstream, *flags)` → (exit status, the JSON report)."""

    def run(upstream: str, *flags: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        report = tmp_path / "verify.json"
        report.unlink(missing_ok=True)
        argv = ["--upstream", upstream, "--agent-id", "agent_123456", "--report", str(report), *flags]
        status = main(argv, {"TALQ_TOKEN": TOKEN} if env is None else env)
        return status, json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}

    return run


def verdicts(report: dict[str, Any], verdict: str) -> list[str]:
    return [item["pointer"] for item in report["items"] if item["verdict"] == verdict]
