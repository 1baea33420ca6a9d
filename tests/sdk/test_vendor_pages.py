"""The vendor's examples of the pages issue 18 added (tests/vendor_examples/<page>.yaml): each validates
against the contract (operation, status, body schema) and the generated client parses it, never
`parsed=None`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from contract_tests.oracle import contract
from tests.sdk.test_any_documented_body import OPERATIONS, _client

PAGES = Path(__file__).parent.parent / "vendor_examples"
VENDOR_PAGES = "https://docs.talkover.ai/en/api-reference/endpoints/"
EXAMPLES = [
    (path.stem, number, example)
    for path in sorted(PAGES.glob("*.yaml"))
    for number, example in enumerate(yaml.safe_load(path.read_text())["examples"])
]


def test_each_page_file_names_its_vendor_page() -> None:
    assert EXAMPLES
    for path in PAGES.glob("*.yaml"):
        assert yaml.safe_load(path.read_text())["page"] == VENDOR_PAGES + path.stem


@pytest.mark.parametrize(("page", "number", "example"), EXAMPLES, ids=[f"{p}-{n}" for p, n, _ in EXAMPLES])
def test_each_vendor_example_validates_and_parses(page: str, number: int, example: dict[str, Any]) -> None:
    operation, status, body = example["operationId"], example["status"], example["body"]
    assert contract(operation).body_problems(status, body) == [], (page, number)
    response = OPERATIONS[operation][1](_client(status, json.dumps(body).encode()))
    assert response.status_code == status
    assert response.parsed is not None, (page, number)
