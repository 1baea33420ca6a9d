"""operationId → (handler, classifier of invalid requests)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from mock_server.operations import (
    active_call,
    agents,
    campaigns,
    end_call,
    list_calls,
    make_call,
    publication,
    webhook_endpoints,
    webhook_test,
)
from mock_server.operations.base import Classifier, Handler, invalid_data

HANDLERS: Mapping[str, tuple[Handler, Classifier]] = MappingProxyType(
    {
        "makeCall": (make_call.handle, make_call.classify),
        "listCalls": (list_calls.handle_all, invalid_data),
        "listAgentCalls": (list_calls.handle_agent, invalid_data),
        "getAgent": (agents.handle, invalid_data),
        "endCall": (end_call.handle, invalid_data),
        "createWebhook": (webhook_endpoints.create, invalid_data),
        "listWebhooks": (webhook_endpoints.list_all, invalid_data),
        "getWebhook": (webhook_endpoints.get_one, invalid_data),
        "getActiveCall": (active_call.handle, invalid_data),
        "publishAgent": (publication.publish, invalid_data),
        "unpublishAgent": (publication.unpublish, invalid_data),
        "updateWebhook": (webhook_endpoints.update, invalid_data),
        "deleteWebhook": (webhook_endpoints.delete, invalid_data),
        "toggleWebhook": (webhook_endpoints.toggle, invalid_data),
        "testWebhook": (webhook_test.handle, invalid_data),
        "listWebhookLogs": (webhook_endpoints.logs, invalid_data),
        "listCampaigns": (campaigns.list_all, invalid_data),
        "getCampaign": (campaigns.get_one, invalid_data),
        "makeCampaignCall": (campaigns.make_call, invalid_data),
    }
)
