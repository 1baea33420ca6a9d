"""`pip install ./generated` into a fresh venv: it installs, imports, and needs only httpx and attrs."""

from __future__ import annotations

import json
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import importlib, importlib.metadata as metadata, json, pkgutil, sys
import talq_client
modules = [info.name for info in pkgutil.walk_packages(talq_client.__path__, "talq_client.")]
for name in modules:
    importlib.import_module(name)
print(json.dumps({
    "version": talq_client.__version__,
    "location": talq_client.__file__,
    "requires": metadata.requires("talq-client"),
    "installed": sorted(dist.metadata["Name"].lower().replace("_", "-") for dist in metadata.distributions()),
    "modules": len(modules),
    "foreign": sorted(name for name in sys.modules if name.split(".")[0] in {"mock_server", "yaml"}),
}))
"""
# httpx and attrs, and what httpx itself needs.
ALLOWED = {"talq-client", "httpx", "httpcore", "h11", "anyio", "idna", "certifi", "sniffio", "attrs"}
ALLOWED |= {"pip", "setuptools", "typing-extensions", "exceptiongroup"}


@pytest.mark.slow  # builds a venv and pip-installs the client into it
def test_the_client_installs_alone_and_imports(tmp_path: Path, spec: dict[str, object]) -> None:
    project = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", project, ignore=shutil.ignore_patterns("__pycache__", ".pdm-build"))
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True, clear=True)
    python = environment / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(project)],
        check=True,
        timeout=300,
        capture_output=True,
    )
    probe = subprocess.run(
        [str(python), "-I", "-c", PROBE], check=True, timeout=60, capture_output=True, text=True, cwd=tmp_path
    )
    found = json.loads(probe.stdout)
    info = spec["info"]
    assert isinstance(info, dict)
    assert found["version"] == info["version"]
    assert sorted(found["requires"]) == ["attrs>=23.1.0", "httpx<1,>=0.27.0"]
    assert set(found["installed"]) <= ALLOWED, set(found["installed"]) - ALLOWED
    assert found["modules"] >= 40
    assert found["foreign"] == []
    assert Path(found["location"]).is_relative_to(environment)  # the venv's copy, not the repository's
