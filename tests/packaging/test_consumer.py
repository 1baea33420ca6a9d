"""examples/consumer passes its tests from the two wheels alone, in a fresh virtual environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    environ = {name: value for name, value in os.environ.items() if name not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, env=environ
    )
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_consumer_project_passes_from_the_wheels_in_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # What `make dist` runs; the client from a copy, since its backend (pdm) leaves .pdm-build/ behind.
    client = shutil.copytree(ROOT / "generated", tmp_path / "generated")
    for project in (ROOT, client):
        run([sys.executable, "-m", "build", "--outdir", str(dist), str(project)], cwd=tmp_path)
    (mock_wheel,) = dist.glob("talq_mock-*.whl")
    (client_wheel,) = dist.glob("talq_client-*.whl")
    consumer = shutil.copytree(ROOT / "examples" / "consumer", tmp_path / "consumer")
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python, pytest_command = environment / "bin" / "python", environment / "bin" / "pytest"
    run(
        [str(python), "-m", "pip", "install", "--quiet", "--find-links", str(dist),
         str(mock_wheel), str(client_wheel), f"{consumer}[test]"],
        cwd=tmp_path,
    )  # fmt: skip
    where = run([str(python), "-c", "import mock_server, talq_client; print(mock_server.__file__)"], tmp_path)
    assert where.stdout.startswith(str(environment)), where.stdout  # the installed wheel, not this clone
    result = run([str(pytest_command), "-p", "no:cacheprovider"], cwd=consumer)
    assert "8 passed" in result.stdout, result.stdout  # tests/test_reminders.py 6, test_webhook_handler.py 2
    assert "failed" not in result.stdout
    assert "error" not in result.stdout.lower()
