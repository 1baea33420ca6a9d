"""The README's client example runs as written against a live mock (only the base URL swapped)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from mock_server.settings import Settings
from mock_server.testing import serve

README = Path(__file__).resolve().parent.parent / "README.md"
DOCUMENTED_BASE_URL = "http://127.0.0.1:4010/api/v1"


def test_the_client_example_places_a_call() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    example = next(block for block in blocks if "make_call.sync_or_raise" in block)
    assert DOCUMENTED_BASE_URL in example
    namespace: dict[str, object] = {}
    output = io.StringIO()
    with serve(Settings(seed=1)) as mock, contextlib.redirect_stdout(output):
        exec(compile(example.replace(DOCUMENTED_BASE_URL, mock.api_url), "README.md", "exec"), namespace)  # noqa: S102
    assert output.getvalue().startswith("call call_")
    assert output.getvalue().rstrip().endswith("initiated")
    assert namespace["remaining"] == 99
