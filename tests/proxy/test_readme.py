"""The README's proxy section runs as written: its Python example against a live mock, its
check-traffic command on the committed HAR fixture (reports to a temporary folder)."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

from mock_server.settings import Settings
from mock_server.testing import serve
from test_support.processes import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Holding the real API to the spec") :]
SECTION = SECTION[: SECTION.index("\n## ", 1)]
DOCUMENTED_UPSTREAM = "http://127.0.0.1:4010/api/v1"


def test_the_python_example_runs_against_a_live_mock() -> None:
    example = re.findall(r"```python\n(.*?)```", SECTION, flags=re.S)[0]
    assert DOCUMENTED_UPSTREAM in example
    output = io.StringIO()
    with serve(Settings(seed=1)) as mock, contextlib.redirect_stdout(output):
        exec(compile(example.replace(DOCUMENTED_UPSTREAM, mock.api_url), "README.md", "exec"), {})  # noqa: S102
    assert output.getvalue().splitlines() == ["200 no violations", "1 exchange, 0 violations"]


def test_the_check_traffic_command_prints_the_documented_summary(tmp_path: Path) -> None:
    line = next(
        line.strip()
        for line in SECTION.splitlines()
        if line.strip().startswith("python -m mock_server check-traffic")
    )
    command = shlex.split(line.replace("reports/traffic.json", str(tmp_path / "traffic.json")))
    done = subprocess.run(
        [sys.executable, *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    documented = re.search(r"`(talq check-traffic: [^`]+)`", SECTION)
    assert documented is not None
    assert done.stdout.strip() == documented.group(1)
    assert (tmp_path / "traffic.xml").exists()
