"""openapi/talq.yaml itself: every example is valid, every inferred decision is in the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mock_server.spec.document import DEFAULT_SPEC, dereference, load_document, walk
from tools import inferred_table

ROOT = Path(__file__).resolve().parent.parent
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _pointer(path: tuple[str, ...]) -> str:
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)


def _examples() -> list[tuple[str, Any, Any]]:
    """(where, example value, schema) for every example the spec gives."""
    document = load_document(DEFAULT_SPEC)
    found: list[tuple[str, Any, Any]] = []
    for path, node in walk(document):
        if not isinstance(node, dict) or "schema" not in node:
            continue  # media types, parameters and headers carry `schema` beside their examples
        schema = dereference(document, node["schema"])
        if "example" in node:
            found.append((_pointer((*path, "example")), node["example"], schema))
        for name, example in node.get("examples", {}).items():
            value = dereference(document, example)["value"]
            found.append((_pointer((*path, "examples", name)), value, schema))
    for path, node in walk(document.get("components", {}).get("schemas", {})):
        if isinstance(node, dict) and isinstance(node.get("examples"), list):
            schema = dereference(document, {k: v for k, v in node.items() if k != "examples"})
            for index, value in enumerate(node["examples"]):
                found.append(
                    (_pointer(("components", "schemas", *path, "examples", str(index))), value, schema)
                )
    return found


EXAMPLES = _examples()


def test_the_spec_has_examples_for_every_documented_error_code(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    codes = set(schemas["ErrorCode"]["enum"]) | set(schemas["CampaignErrorCode"]["enum"])
    example_codes = {  # the envelope's error.code, or the code of {success: false, message, code}
        value["error"]["code"] if isinstance(value.get("error"), dict) else value["code"]
        for _, value, _ in EXAMPLES
        if isinstance(value, dict)
        and (isinstance(value.get("error"), dict) or (value.get("success") is False and "code" in value))
    }
    assert example_codes == codes


@pytest.mark.parametrize(("where", "value", "schema"), EXAMPLES, ids=[where for where, _, _ in EXAMPLES])
def test_example_validates_against_its_schema(where: str, value: Any, schema: Any) -> None:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [error.message for error in validator.iter_errors(value)]
    assert errors == [], f"{where} does not match its schema"


def test_a_wrong_example_would_be_caught() -> None:
    where, value, schema = next(item for item in EXAMPLES if item[0].endswith("/call_initiated"))
    broken = {**value, "data": {**value["data"], "status": "queued"}}
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid(broken), where


def test_every_response_declares_the_rate_limit_headers(spec: dict[str, Any]) -> None:
    for path_item in spec["paths"].values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            for status, response in operation["responses"].items():
                headers = dereference(spec, response).get("headers", {})
                if status == "503":  # the counts live in the shared store that is down: Retry-After only
                    assert set(headers) == {"Retry-After"}, f"{method} 503"
                    assert headers["Retry-After"]["required"] is True
                    continue
                for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
                    assert headers[name]["required"] is True, f"{method} {status} {name}"
                    assert headers[name]["schema"] == {"type": "integer", "minimum": 0}
                if status == "429":
                    assert headers["Retry-After"]["required"] is True


def test_readme_lists_every_inferred_decision() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table_rows = inferred_table.rows()
    assert len(table_rows) >= 8, "the spec marks too few inferred decisions"
    assert inferred_table.with_rows(readme, table_rows) == readme, (
        "README.md's table of inferred decisions differs from the spec's markers: "
        "run `python -m tools.inferred_table --write`"
    )


def test_every_operation_response_schema_parameter_and_header_cites_a_page_or_a_reason() -> None:
    document = load_document(DEFAULT_SPEC)
    assert inferred_table.unmarked(document) == []
    places = list(inferred_table.must_be_marked(document))
    assert len(places) >= 80, "the check walks too few places"
    cited = [node for _, node in places if inferred_table.SOURCE in node]
    assert len(cited) >= 50, "too few facts cite the vendor's page"


def test_a_place_with_neither_mark_or_a_source_off_the_vendors_pages_is_reported() -> None:
    document = load_document(DEFAULT_SPEC)
    end_call = document["paths"]["/agents/{agent_id}/end-call"]["post"]
    del end_call["x-talq-source"]
    document["components"]["schemas"]["Agent"]["x-talq-source"] = "https://example.com/agent"
    assert inferred_table.unmarked(document) == [
        "#/paths/~1agents~1{agent_id}~1end-call/post: neither x-talq-source nor x-talq-inferred",
        "#/components/schemas/Agent: x-talq-source 'https://example.com/agent' is not a page under "
        "https://docs.talkover.ai/en/",
    ]
