"""compile_spec: the route table, and refusing (naming the construct) what the mock cannot serve."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from mock_server.pipeline import Pipeline
from mock_server.servable import check_spec_servable
from mock_server.settings import Settings
from mock_server.spec.compiled import compile_spec
from mock_server.spec.document import SpecError
from mock_server.state.memory import MemoryStore
from mock_server.state.store import MockState

CALL = "/agents/{agent_id}/call"


def test_routes_serve_both_the_vendor_and_prism_paths(spec: dict[str, Any]) -> None:
    compiled = compile_spec(spec)
    assert compiled.base_path == "/api/v1"
    for path in ("/api/v1/agents/agent_1/call", "/agents/agent_1/call", "/agents/agent_1/call/"):
        matched = compiled.match(path)
        assert matched is not None, path
        assert matched[0].template == CALL
        assert matched[1] == {"agent_id": "agent_1"}
        assert matched[0].allow == "POST"
    assert compiled.match("/api/v1/agents//call") is None
    assert compiled.match("/v2/agents/a/call") is None


def _set_security_scheme(doc: dict[str, Any]) -> None:
    doc["components"]["securitySchemes"]["environmentToken"] = {"type": "apiKey", "in": "header", "name": "X"}


def _add_header_parameter(doc: dict[str, Any]) -> None:
    doc["paths"][CALL]["post"]["parameters"].append({"name": "X-Trace", "in": "header", "schema": {}})


def _add_xml_response(doc: dict[str, Any]) -> None:
    doc["paths"][CALL]["post"]["responses"]["200"]["content"]["application/xml"] = {}


def _add_unknown_header(doc: dict[str, Any]) -> None:
    doc["paths"][CALL]["post"]["responses"]["200"]["headers"]["X-Request-Id"] = {"schema": {"type": "string"}}


def _drop_operation_id(doc: dict[str, Any]) -> None:
    del doc["paths"][CALL]["post"]["operationId"]


def _add_default_response(doc: dict[str, Any]) -> None:
    doc["paths"][CALL]["post"]["responses"]["default"] = {"description": "x"}


def _add_unhandled_operation(doc: dict[str, Any]) -> None:
    doc["paths"]["/things"] = {
        "get": {"operationId": "listThings", "responses": {"204": {"description": "x"}}}
    }


def _break_an_example(doc: dict[str, Any]) -> None:
    examples = doc["paths"][CALL]["post"]["responses"]["404"]["content"]["application/json"]["examples"]
    examples["agent_not_found"]["value"]["error"]["code"] = "NO_SUCH_CODE"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set_security_scheme, "only `type: http, scheme: bearer`"),
        (_add_header_parameter, "parameter 'X-Trace' in 'header' is not implemented"),
        (_add_xml_response, "application/xml"),
        (_add_unknown_header, "X-Request-Id"),
        (_drop_operation_id, "operationId"),
        (_add_default_response, "'default' is not implemented"),
        (_add_unhandled_operation, "listThings"),
        (_break_an_example, "example 'agent_not_found' does not match"),
    ],
)
def test_unsupported_constructs_are_refused(
    spec: dict[str, Any], change: Callable[[dict[str, Any]], None], message: str
) -> None:
    document = copy.deepcopy(spec)
    change(document)

    def build() -> None:
        compiled = compile_spec(document)
        check_spec_servable(compiled)
        Pipeline(compiled, MemoryStore(MockState.create(Settings())), Settings())

    with pytest.raises(SpecError) as raised:
        build()
    assert message in str(raised.value)
