"""The rules of ARCHITECTURE.md: its module table, read from the document, enforced on every import."""

from __future__ import annotations
import __future__

import ast
import dataclasses
import enum
import importlib
import logging
import re
import types
import typing
from datetime import tzinfo
from pathlib import Path, PurePath

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mock_server"
DOCUMENT = ROOT / "ARCHITECTURE.md"
TABLE_HEADER = "| module | what it is | may import from `mock_server` |"


@dataclasses.dataclass(frozen=True)
class Row:
    modules: tuple[str, ...]  # "spec/document.py", "validation/" (a package), "settings.py"
    allowed: frozenset[str]  # dotted names below mock_server: "spec", "webhooks.events"


def table(text: str) -> list[Row]:
    """The rows of the module table, "all of the above" spelled out."""
    lines = text[text.index(TABLE_HEADER) :].splitlines()[2:]
    rows: list[Row] = []
    for line in lines:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        modules = tuple(re.findall(r"`([^`]+)`", cells[0]))
        if cells[-1] == "all of the above":
            allowed = frozenset(_dotted(module) for row in rows for module in row.modules)
        elif cells[-1] == "nothing":
            allowed = frozenset()
        else:
            allowed = frozenset(re.findall(r"`([^`]+)`", cells[-1]))
        rows.append(Row(modules, allowed))
    return rows


def _dotted(module: str) -> str:
    return module.removesuffix("/").removesuffix(".py").replace("/", ".")


def row_of(path: Path, rows: list[Row]) -> Row | None:
    """The row naming `path` itself, else the row of its package."""
    relative = path.relative_to(PACKAGE).as_posix()
    for row in rows:
        if relative in row.modules:
            return row
    for row in rows:
        if any(module.endswith("/") and relative.startswith(module) for module in row.modules):
            return row
    return None


def imports(path: Path) -> set[str]:
    """Every module `path` imports, `from mock_server import x` read as `mock_server.x`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "mock_server":
                names.update(f"mock_server.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def breaches(own: str, names: set[str], row: Row) -> set[str]:
    """The `mock_server` modules among `names` that neither `own` (a package or module) nor `row` allows."""
    found: set[str] = set()
    for name in names:
        if not name.startswith("mock_server.") or name.startswith("mock_server.__"):
            continue
        target = name.removeprefix("mock_server.")
        if target.split(".")[0] == own:
            continue
        if not any(target == allowed or target.startswith(allowed + ".") for allowed in row.allowed):
            found.add(name)
    return found


MODULES = sorted(path for path in PACKAGE.rglob("*.py") if path.name != "__init__.py")
ROWS = table(DOCUMENT.read_text(encoding="utf-8"))


def test_the_table_is_read_from_the_document() -> None:
    by_module = {module: row for row in ROWS for module in row.modules}
    assert by_module["spec/document.py"].allowed == frozenset()
    assert by_module["operations/"].allowed >= {"state", "webhooks.events"}
    assert "pipeline" in by_module["app.py"].allowed
    assert "app" not in by_module["pipeline.py"].allowed


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_every_module_has_a_row_and_imports_only_what_it_allows(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    row = row_of(path, ROWS)
    assert row is not None, f"{relative} has no row in ARCHITECTURE.md's module table"
    found = breaches(relative.parts[0].removesuffix(".py"), imports(path), row)
    assert not found, f"{relative} imports {found}, which its row of ARCHITECTURE.md does not allow"


def test_a_breach_is_seen(tmp_path: Path) -> None:
    """The check can fail: a stage importing the pipeline, or state importing validation."""
    stage = tmp_path / "accept.py"
    stage.write_text("from mock_server.pipeline import Pipeline\nfrom mock_server.spec import compiled\n")
    row = row_of(PACKAGE / "negotiation" / "accept.py", ROWS)
    assert row is not None
    assert breaches("negotiation", imports(stage), row) == {"mock_server.pipeline"}
    journal = tmp_path / "journal.py"
    journal.write_text(
        "from mock_server.validation.security import authenticate\nfrom mock_server import http\n"
    )
    row = row_of(PACKAGE / "state" / "journal.py", ROWS)
    assert row is not None
    assert breaches("state", imports(journal), row) == {"mock_server.validation.security"}


def test_the_mock_imports_neither_the_generated_client_nor_the_test_support() -> None:
    for path in PACKAGE.rglob("*.py"):
        bad = {name for name in imports(path) if name.split(".")[0] in {"talq_client", "test_support"}}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def _immutable(value: object, depth: int = 0) -> bool:  # noqa: PLR0911 - one case per kind of value
    if depth > 5:
        return False
    if value is None or isinstance(value, int | float | complex | str | bytes | bool | range):
        return True
    if isinstance(value, types.ModuleType | __future__._Feature) or callable(value):
        return True  # code (functions, classes, cached functions), not state
    if isinstance(value, re.Pattern | logging.Logger | enum.Enum | typing.TypeVar | PurePath | tzinfo):
        return True
    if isinstance(value, types.GenericAlias | types.UnionType) or type(value).__module__ == "typing":
        return True  # type aliases
    if isinstance(value, tuple | frozenset):
        return all(_immutable(item, depth + 1) for item in value)
    if isinstance(value, types.MappingProxyType):
        return all(_immutable(item, depth + 1) for item in value.values())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        frozen = type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
        return bool(frozen) and all(
            _immutable(getattr(value, field.name), depth + 1) for field in dataclasses.fields(value)
        )
    return False


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_no_module_level_mutable_state(path: Path) -> None:
    name = ".".join(("mock_server", *path.relative_to(PACKAGE).with_suffix("").parts))
    module = importlib.import_module(name)
    mutable = {
        attribute: type(value).__name__
        for attribute, value in vars(module).items()
        if not attribute.startswith("__") and not _immutable(value)
    }
    assert mutable == {}, f"{name} has module-level mutable values: {mutable}"


def test_the_mutable_state_check_can_fail() -> None:
    assert not _immutable([1])
    assert not _immutable({"a": 1})
    assert not _immutable((1, [2]))
    assert _immutable(types.MappingProxyType({"a": (1, 2)}))
