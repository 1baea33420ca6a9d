"""Print pyproject.toml's direct pins (runtime and dev), one per line, for `make lock`."""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def direct_pins(pyproject: Path = PYPROJECT) -> list[str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    pins: list[str] = list(data["project"]["dependencies"])
    for group in data.get("dependency-groups", {}).values():
        pins.extend(group)
    return pins


if __name__ == "__main__":
    print("\n".join(direct_pins()))
