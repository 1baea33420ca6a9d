"""Contains all the data models used in inputs/outputs"""

from .agent import Agent
from .agent_call_list_item import AgentCallListItem
from .agent_call_list_response import AgentCallListResponse
from .agent_current_status import AgentCurrentStatus
from .agent_response import AgentResponse
from .agent_summary import AgentSummary
from .call import Call
from .call_direction import CallDirection
from .call_list_item import CallListItem
from .call_list_response import CallListResponse
from .call_status import CallStatus
from .create_webhook_request import CreateWebhookRequest
from .end_call_request import EndCallRequest
from .end_call_response import EndCallResponse
from .ended_call import EndedCall
from .error import Error
from .error_code import ErrorCode
from .error_details import ErrorDetails
from .error_response import ErrorResponse
from .failure_message import FailureMessage
from .known_webhook_event_name import KnownWebhookEventName
from .make_call_request import MakeCallRequest
from .make_call_request_context import MakeCallRequestContext
from .make_call_request_payload import MakeCallRequestPayload
from .make_call_response import MakeCallResponse
from .message_only import MessageOnly
from .pagination import Pagination
from .validation_failure import ValidationFailure
from .validation_failure_errors import ValidationFailureErrors
from .webhook import Webhook
from .webhook_call import WebhookCall
from .webhook_created_response import WebhookCreatedResponse
from .webhook_event import WebhookEvent
from .webhook_event_context import WebhookEventContext
from .webhook_list import WebhookList
from .webhook_list_available_events import WebhookListAvailableEvents
from .webhook_list_response import WebhookListResponse
from .webhook_response import WebhookResponse
from .webhook_status import WebhookStatus

__all__ = (
    "Agent",
    "AgentCallListItem",
    "AgentCallListResponse",
    "AgentCurrentStatus",
    "AgentResponse",
    "AgentSummary",
    "Call",
    "CallDirection",
    "CallListItem",
    "CallListResponse",
    "CallStatus",
    "CreateWebhookRequest",
    "EndCallRequest",
    "EndCallResponse",
    "EndedCall",
    "Error",
    "ErrorCode",
    "ErrorDetails",
    "ErrorResponse",
    "FailureMessage",
    "KnownWebhookEventName",
    "MakeCallRequest",
    "MakeCallRequestContext",
    "MakeCallRequestPayload",
    "MakeCallResponse",
    "MessageOnly",
    "Pagination",
    "ValidationFailure",
    "ValidationFailureErrors",
    "Webhook",
    "WebhookCall",
    "WebhookCreatedResponse",
    "WebhookEvent",
    "WebhookEventContext",
    "WebhookList",
    "WebhookListAvailableEvents",
    "WebhookListResponse",
    "WebhookResponse",
    "WebhookStatus",
)
