"""The mock's wheel (`make dist-mock`): only the product, its run-time dependencies, the spec as data."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from mock_server.spec.document import DEFAULT_SPEC, REPOSITORY_SPEC

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
NOT_THE_PRODUCT = (
    "tests/",
    "contract_tests/",
    "tools/",
    "bench/",
    "test_support/",
    "generated/",
    "talq_client/",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    outdir = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = outdir.glob("talq_mock-*.whl")
    return zipfile.ZipFile(built)


def test_in_the_repository_the_default_spec_is_openapi_talq_yaml() -> None:
    assert DEFAULT_SPEC == REPOSITORY_SPEC == ROOT / "openapi" / "talq.yaml"


@pytest.mark.slow
def test_the_wheel_holds_the_mock_package_and_nothing_else(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    product = [name for name in names if ".dist-info/" not in name]
    assert product, names
    assert all(name.startswith("mock_server/") for name in product), product
    assert not [name for name in names if name.startswith(NOT_THE_PRODUCT)]
    assert "mock_server/faults.py" not in names  # fault injection is test support
    assert {"mock_server/__main__.py", "mock_server/pytest_plugin.py", "mock_server/fixture.py"} <= set(names)


@pytest.mark.slow
def test_the_wheel_ships_the_spec_identical_to_openapi_talq_yaml(wheel: zipfile.ZipFile) -> None:
    assert wheel.read("mock_server/openapi/talq.yaml") == (ROOT / "openapi" / "talq.yaml").read_bytes()


@pytest.mark.slow
def test_the_wheel_requires_only_the_run_time_dependencies(wheel: zipfile.ZipFile) -> None:
    (metadata_name,) = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(wheel.read(metadata_name).decode())
    assert metadata["Name"] == "talq-mock"
    requires = sorted(metadata.get_all("Requires-Dist") or [])
    assert requires == sorted(PYPROJECT["project"]["dependencies"])
    dev = {pin.split("==")[0] for pin in PYPROJECT["dependency-groups"]["dev"]}
    assert not dev & {pin.split("==")[0] for pin in requires}


@pytest.mark.slow
def test_the_wheel_registers_the_command_and_the_pytest_plugin(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [name for name in wheel.namelist() if name.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "[console_scripts]\ntalq-mock = mock_server.__main__:main" in text
    assert "[pytest11]\ntalq_mock = mock_server.pytest_plugin" in text
