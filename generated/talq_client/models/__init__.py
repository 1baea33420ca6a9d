"""Contains all the data models used in inputs/outputs"""

from .active_call import ActiveCall
from .active_call_response import ActiveCallResponse
from .active_call_status import ActiveCallStatus
from .agent import Agent
from .agent_current_status import AgentCurrentStatus
from .agent_publication import AgentPublication
from .agent_publication_current_status import AgentPublicationCurrentStatus
from .agent_publication_response import AgentPublicationResponse
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
from .field_errors_response import FieldErrorsResponse
from .field_errors_response_errors import FieldErrorsResponseErrors
from .make_call_request import MakeCallRequest
from .make_call_request_context import MakeCallRequestContext
from .make_call_request_payload import MakeCallRequestPayload
from .make_call_response import MakeCallResponse
from .message_error_response import MessageErrorResponse
from .pagination import Pagination
from .webhook import Webhook
from .webhook_call import WebhookCall
from .webhook_event import WebhookEvent
from .webhook_event_context import WebhookEventContext
from .webhook_event_name import WebhookEventName
from .webhook_list_response import WebhookListResponse
from .webhook_response import WebhookResponse

__all__ = (
    "ActiveCall",
    "ActiveCallResponse",
    "ActiveCallStatus",
    "Agent",
    "AgentCurrentStatus",
    "AgentPublication",
    "AgentPublicationCurrentStatus",
    "AgentPublicationResponse",
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
    "FieldErrorsResponse",
    "FieldErrorsResponseErrors",
    "MakeCallRequest",
    "MakeCallRequestContext",
    "MakeCallRequestPayload",
    "MakeCallResponse",
    "MessageErrorResponse",
    "Pagination",
    "Webhook",
    "WebhookCall",
    "WebhookEvent",
    "WebhookEventContext",
    "WebhookEventName",
    "WebhookListResponse",
    "WebhookResponse",
)
