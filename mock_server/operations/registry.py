"""operationId → (handler, classifier of invalid requests)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from mock_server.operations import (
    active_call,
    agents,
    end_call,
    list_calls,
    make_call,
    publication,
    webhook_endpoints,
)
from mock_server.operations.base import Classifier, Handler, validation_error

HANDLERS: Mapping[str, tuple[Handler, Classifier]] = MappingProxyType(
    {
        "makeCall": (make_call.handle, make_call.classify),
        "listCalls": (list_calls.handle_all, validation_error),
        "listAgentCalls": (list_calls.handle_agent, validation_error),
        "getAgent": (agents.handle, validation_error),
        "endCall": (end_call.handle, validation_error),
        "createWebhook": (webhook_endpoints.create, validation_error),
        "listWebhooks": (webhook_endpoints.list_all, validation_error),
        "getWebhook": (webhook_endpoints.get_one, validation_error),
        "getActiveCall": (active_call.handle, validation_error),
        "publishAgent": (publication.publish, validation_error),
        "unpublishAgent": (publication.unpublish, validation_error),
    }
)
