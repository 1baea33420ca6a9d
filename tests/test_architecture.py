"""The import rules of ARCHITECTURE.md."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mock_server"
STAGES = ["spec", "validation", "negotiation", "state", "scenarios.py", "http.py"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _files(stage: str) -> list[Path]:
    target = PACKAGE / stage
    return sorted(target.rglob("*.py")) if target.is_dir() else [target]


@pytest.mark.parametrize("stage", STAGES)
def test_stages_do_not_import_the_pipeline_or_the_app(stage: str) -> None:
    for path in _files(stage):
        bad = {name for name in _imports(path) if name in {"mock_server.pipeline", "mock_server.app"}}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_the_mock_never_imports_the_generated_client() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert not any(name.startswith("talq_client") for name in _imports(path)), path
