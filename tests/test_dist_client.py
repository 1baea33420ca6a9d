"""`make dist-client`: the client's wheel is named by the spec's info.version and installs on its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tools import breaking

ROOT = Path(__file__).resolve().parent.parent
RECIPE = "dist-client: $(PY_STAMP)"
COMMAND = "$(PY) -m build --outdir dist generated"


def test_the_makefile_target_runs_the_shared_recipe() -> None:
    """pkg's `make dist` and this target share the recipe, so both must be exactly this."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(RECIPE))
    assert lines[start + 1] == f"\t{COMMAND}"


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_client_wheel_is_named_by_the_spec_version_and_installs_into_a_fresh_venv(tmp_path: Path) -> None:
    version = breaking.spec_version()
    # The recipe, run on a copy of generated/ so that the build leaves nothing in the repository.
    shutil.copytree(ROOT / "generated", tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    command = COMMAND.replace("$(PY)", sys.executable).split()
    built = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    dist = tmp_path / "dist"
    wheel = dist / f"talq_client-{version}-py3-none-any.whl"
    assert sorted(path.name for path in dist.iterdir()) == [wheel.name, f"talq_client-{version}.tar.gz"]

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", str(wheel)]
    installed = subprocess.run(install, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    probe = "import importlib.metadata, talq_client; print(importlib.metadata.version('talq-client')); "
    probe += "print(talq_client.__version__); print(talq_client.__file__)"
    checked = subprocess.run(
        [str(python), "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    reported, attribute, location = checked.stdout.split()
    assert reported == version
    assert attribute == version
    assert Path(location).is_relative_to(environment)  # the wheel's copy, not the repository's
