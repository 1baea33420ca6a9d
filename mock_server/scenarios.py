"""The mock's own table: which inputs give which documented outcome.

Every outcome names a response of the spec by status and example name; the error bodies are those
examples (with request-specific `details`). `tests/test_scenarios.py` asserts that each exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple


class Outcome(NamedTuple):
    status: int
    example: str


CALL_CREATED = Outcome(200, "call_initiated")
INVALID_PHONE_NUMBER = Outcome(400, "invalid_phone_number")
MISSING_PHONE_NUMBER = Outcome(400, "missing_phone_number")
AGENT_INACTIVE = Outcome(400, "agent_inactive")
VALIDATION_ERROR = Outcome(400, "validation_error")  # Make a Call's (its page's status for bad input)
INVALID_DATA = Outcome(422, "validation_error")  # every other operation's (their pages' 422)
INVALID_TOKEN = Outcome(401, "invalid_token")
INSUFFICIENT_CREDITS = Outcome(402, "insufficient_credits")
AGENT_NOT_FOUND = Outcome(404, "agent_not_found")
CALL_NOT_FOUND = Outcome(404, "call_not_found")
WEBHOOK_NOT_FOUND = Outcome(404, "webhook_not_found")
CALL_NOT_ACTIVE = Outcome(409, "call_not_active")
NO_ACTIVE_CALL = Outcome(404, "no_active_call")
AGENT_NOT_READY = Outcome(422, "agent_not_ready")
CAMPAIGN_NOT_FOUND = Outcome(404, "campaign_not_found")
DUPLICATE_CAMPAIGN_CALL = Outcome(409, "duplicate_call")  # its body carries the existing call
TEST_WEBHOOK_FAILED = Outcome(502, "receiver_unreachable")  # its message names the URL and the reason
RATE_LIMIT_EXCEEDED = Outcome(429, "rate_limit_exceeded")
REQUEST_TIMEOUT = Outcome(408, "request_timeout")
PAYLOAD_TOO_LARGE = Outcome(413, "payload_too_large")
STORE_UNAVAILABLE = Outcome(503, "store_unavailable")  # the shared (Redis) store does not answer

# Outcomes of Make a Call (operationId makeCall), in the order the pipeline can reach them.
MAKE_CALL_OUTCOMES = (
    INVALID_TOKEN,
    RATE_LIMIT_EXCEEDED,
    REQUEST_TIMEOUT,
    PAYLOAD_TOO_LARGE,
    MISSING_PHONE_NUMBER,
    INVALID_PHONE_NUMBER,
    VALIDATION_ERROR,
    AGENT_NOT_FOUND,
    AGENT_INACTIVE,
    INSUFFICIENT_CREDITS,
    CALL_CREATED,
)

# Outcomes of the other operations (besides INVALID_TOKEN, RATE_LIMIT_EXCEEDED and the invalid-request one).
OPERATION_OUTCOMES: Mapping[str, tuple[Outcome, ...]] = MappingProxyType(
    {
        "makeCall": MAKE_CALL_OUTCOMES,
        "listCalls": (),
        "listAgentCalls": (AGENT_NOT_FOUND,),
        "getAgent": (AGENT_NOT_FOUND,),
        "endCall": (AGENT_NOT_FOUND, CALL_NOT_FOUND, CALL_NOT_ACTIVE),
        "createWebhook": (AGENT_NOT_FOUND,),
        "listWebhooks": (AGENT_NOT_FOUND,),
        "getWebhook": (AGENT_NOT_FOUND, WEBHOOK_NOT_FOUND),
        "getActiveCall": (AGENT_NOT_FOUND, NO_ACTIVE_CALL),
        "publishAgent": (AGENT_NOT_FOUND, AGENT_NOT_READY),
        "unpublishAgent": (AGENT_NOT_FOUND,),
        "updateWebhook": (AGENT_NOT_FOUND, WEBHOOK_NOT_FOUND),
        "deleteWebhook": (AGENT_NOT_FOUND, WEBHOOK_NOT_FOUND),
        "toggleWebhook": (AGENT_NOT_FOUND, WEBHOOK_NOT_FOUND),
        "testWebhook": (AGENT_NOT_FOUND, WEBHOOK_NOT_FOUND, TEST_WEBHOOK_FAILED),
        "listWebhookLogs": (AGENT_NOT_FOUND, WEBHOOK_NOT_FOUND),
        "listCampaigns": (),
        "getCampaign": (CAMPAIGN_NOT_FOUND,),
        "makeCampaignCall": (CAMPAIGN_NOT_FOUND, DUPLICATE_CAMPAIGN_CALL),
    }
)

# The invalid-request outcome of each operation (the classifier's, see operations/registry.py).
INVALID_REQUEST_OUTCOMES: Mapping[str, Outcome] = MappingProxyType(
    {
        operation: VALIDATION_ERROR if operation == "makeCall" else INVALID_DATA
        for operation in OPERATION_OUTCOMES
    }
)

# The number calls come from (Twilio's magic "valid from" test number).
MOCK_FROM_NUMBER = "+15005550006"

# Magic values: documented in the README's scenario table. They work in the default (open) mode;
# a config file that lists tokens and agents (strict mode) replaces them with its own.
REVOKED_TOKEN = "talq_revoked"
NO_CREDITS_TOKEN = "talq_no_credits"
RATE_LIMITED_TOKEN = "talq_rate_limited"
MISSING_AGENT = "agent_missing"
DRAFT_AGENT = "agent_draft"
UNREADY_AGENT = "agent_unready"  # a draft that Publish Agent refuses (422): not ready to publish

AGENT_PUBLISHED = "published"
AGENT_DRAFT = "draft"
AGENT_STATUSES = (AGENT_PUBLISHED, AGENT_DRAFT)
