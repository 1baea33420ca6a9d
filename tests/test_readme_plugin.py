"""The README's pytest plugin example runs as written, as a real inner pytest run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_plugin_example_passes(pytester: pytest.Pytester) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    (example,) = [block for block in blocks if "def test_" in block and "talq_mock" in block]
    pytester.makepyfile(test_readme_example=example)
    result = pytester.runpytest("-p", "mock_server.pytest_plugin", "-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=example.count("def test_"))
    assert example.count("def test_") == 3
