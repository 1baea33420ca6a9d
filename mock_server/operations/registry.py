"""operationId → (handler, classifier of invalid requests)."""

from __future__ import annotations

from mock_server.operations import agents, end_call, list_calls, make_call, webhooks
from mock_server.operations.base import Classifier, Handler, validation_error

HANDLERS: dict[str, tuple[Handler, Classifier]] = {
    "makeCall": (make_call.handle, make_call.classify),
    "listCalls": (list_calls.handle_all, validation_error),
    "listAgentCalls": (list_calls.handle_agent, validation_error),
    "getAgent": (agents.handle, validation_error),
    "endCall": (end_call.handle, validation_error),
    "createWebhook": (webhooks.create, validation_error),
    "listWebhooks": (webhooks.list_all, validation_error),
    "getWebhook": (webhooks.get_one, validation_error),
}
