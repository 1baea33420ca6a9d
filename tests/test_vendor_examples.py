"""The vendor's own examples (tests/vendor_examples/<page>.yaml) against the contract and the client.

Each file restates, as data, the example bodies of one page of the vendor's API reference
(`https://docs.talkover.ai/en/api-reference/endpoints/<page>`): the page's URL and a list of examples
(`operationId`, `status`, `body`, and optionally `description` and the `request` body the page sends).
Every example must be a documented answer of its operation: its status is declared, its body validates
against that response's schema (jsonschema, read from the spec, not the mock's validators), its request
body against the request schema; and the generated client must read it: the documented model (never
`parsed=None`), and for an error status a `TalqError` of that status's class (never
`UnexpectedResponseError`) with the body's `message`.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from talq_client import Client, errors
from talq_client.types import Response

from contract_tests.oracle import contract

EXAMPLES_DIR = Path(__file__).resolve().parent / "vendor_examples"
PAGE_BASE = "https://docs.talkover.ai/en/api-reference/endpoints/"
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
MIN_EXAMPLES = 13  # the example answers of the pages of the operations the contract covered in 1.x


@cache
def _files() -> dict[str, dict[str, Any]]:
    return {path.stem: yaml.safe_load(path.read_text()) for path in sorted(EXAMPLES_DIR.glob("*.yaml"))}


def _examples() -> list[Any]:
    return [
        pytest.param(page, example, id=f"{page}-{number}-{example['operationId']}-{example['status']}")
        for page, data in _files().items()
        for number, example in enumerate(data["examples"], start=1)
    ]


def _module(operation_id: str) -> Any:
    operation = contract(operation_id).operation
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()
    return importlib.import_module(f"talq_client.api.{operation['tags'][0]}.{name}")


def _response(operation_id: str, status: int, body: Any) -> httpx.Response:
    documented = contract(operation_id)
    request = httpx.Request(documented.method.upper(), "http://127.0.0.1/api/v1" + documented.path)
    return httpx.Response(status, json=body, request=request)


def test_every_page_file_names_its_page_and_has_examples() -> None:
    assert _files(), f"no vendor examples in {EXAMPLES_DIR}"
    for page, data in _files().items():
        assert data["page"] == PAGE_BASE + page, f"{page}.yaml: page must be {PAGE_BASE + page}"
        assert data["examples"], f"{page}.yaml has no examples"
        for example in data["examples"]:
            assert {"operationId", "status", "body"} <= set(example), f"{page}.yaml: {example}"
    assert sum(len(data["examples"]) for data in _files().values()) >= MIN_EXAMPLES


@pytest.mark.parametrize(("page", "example"), _examples())
def test_vendor_example_is_a_documented_answer(page: str, example: dict[str, Any]) -> None:
    documented = contract(example["operationId"])
    status = int(example["status"])
    assert status in documented.responses, f"{page}: {example['operationId']} does not declare {status}"
    schema = documented.responses[status].schema
    problems = [
        error.message
        for error in jsonschema.Draft202012Validator(schema, format_checker=FORMATS).iter_errors(
            example["body"]
        )
    ]
    assert problems == [], f"{page}: the vendor's {status} body does not validate"
    if "request" in example:
        assert documented.request_schema is not None
        jsonschema.validate(example["request"], documented.request_schema, format_checker=FORMATS)


@pytest.mark.parametrize(("page", "example"), _examples())
def test_client_reads_the_vendor_example(page: str, example: dict[str, Any]) -> None:
    operation_id, status, body = example["operationId"], int(example["status"]), example["body"]
    module = _module(operation_id)
    raw = _response(operation_id, status, body)
    parsed = module._parse_response(client=Client(base_url="http://127.0.0.1/api/v1"), response=raw)
    assert parsed is not None, f"{page}: the client cannot read the vendor's {status} body"
    if status < 400:
        read = parsed.to_dict()
        assert set(read) == set(body), f"{page}: the client read {sorted(read)}"
        assert read.get("success", True) is True  # Make Campaign Call's 201 has no success wrapper
        return
    answer: Response[Any] = Response(
        status_code=HTTPStatus(raw.status_code),
        content=raw.content,
        headers=raw.headers,
        parsed=parsed,
        http_response=raw,
    )
    error = errors.error_from_response(answer)
    assert not isinstance(error, errors.UnexpectedResponseError), f"{page}: {error}"
    assert isinstance(error, errors.ERRORS_BY_STATUS[status])
    assert error.status == status
    assert error.message == body.get("message", body.get("error", {}).get("message"))
    if "code" in body:
        assert isinstance(error, errors.ERRORS_BY_CODE[body["code"]])
    if "errors" in body:
        assert error.errors == body["errors"]
