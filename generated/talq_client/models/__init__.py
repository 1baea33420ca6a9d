"""Contains all the data models used in inputs/outputs"""

from .active_call import ActiveCall
from .active_call_response import ActiveCallResponse
from .active_call_status import ActiveCallStatus
from .agent import Agent
from .agent_call_list_item import AgentCallListItem
from .agent_call_list_response import AgentCallListResponse
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
from .campaign import Campaign
from .campaign_call import CampaignCall
from .campaign_call_created import CampaignCallCreated
from .campaign_call_item import CampaignCallItem
from .campaign_error_code import CampaignErrorCode
from .campaign_error_response import CampaignErrorResponse
from .campaign_error_response_error import CampaignErrorResponseError
from .campaign_error_response_error_details import CampaignErrorResponseErrorDetails
from .campaign_list_response import CampaignListResponse
from .campaign_response import CampaignResponse
from .campaign_stats import CampaignStats
from .campaign_status import CampaignStatus
from .campaign_summary import CampaignSummary
from .campaign_type import CampaignType
from .create_webhook_request import CreateWebhookRequest
from .duplicate_campaign_call import DuplicateCampaignCall
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
from .make_campaign_call_request import MakeCampaignCallRequest
from .make_campaign_call_request_context import MakeCampaignCallRequestContext
from .make_campaign_call_request_payload import MakeCampaignCallRequestPayload
from .message_only import MessageOnly
from .pagination import Pagination
from .success_message import SuccessMessage
from .update_webhook_request import UpdateWebhookRequest
from .validation_failure import ValidationFailure
from .validation_failure_errors import ValidationFailureErrors
from .webhook import Webhook
from .webhook_call import WebhookCall
from .webhook_changed_response import WebhookChangedResponse
from .webhook_created_response import WebhookCreatedResponse
from .webhook_event import WebhookEvent
from .webhook_event_context import WebhookEventContext
from .webhook_list import WebhookList
from .webhook_list_available_events import WebhookListAvailableEvents
from .webhook_list_response import WebhookListResponse
from .webhook_log import WebhookLog
from .webhook_log_list_response import WebhookLogListResponse
from .webhook_log_pagination import WebhookLogPagination
from .webhook_log_request_payload import WebhookLogRequestPayload
from .webhook_log_response_headers import WebhookLogResponseHeaders
from .webhook_log_status import WebhookLogStatus
from .webhook_response import WebhookResponse
from .webhook_status import WebhookStatus
from .webhook_test_event import WebhookTestEvent
from .webhook_test_response import WebhookTestResponse
from .webhook_test_result import WebhookTestResult

__all__ = (
    "ActiveCall",
    "ActiveCallResponse",
    "ActiveCallStatus",
    "Agent",
    "AgentCallListItem",
    "AgentCallListResponse",
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
    "Campaign",
    "CampaignCall",
    "CampaignCallCreated",
    "CampaignCallItem",
    "CampaignErrorCode",
    "CampaignErrorResponse",
    "CampaignErrorResponseError",
    "CampaignErrorResponseErrorDetails",
    "CampaignListResponse",
    "CampaignResponse",
    "CampaignStats",
    "CampaignStatus",
    "CampaignSummary",
    "CampaignType",
    "CreateWebhookRequest",
    "DuplicateCampaignCall",
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
    "MakeCampaignCallRequest",
    "MakeCampaignCallRequestContext",
    "MakeCampaignCallRequestPayload",
    "MessageOnly",
    "Pagination",
    "SuccessMessage",
    "UpdateWebhookRequest",
    "ValidationFailure",
    "ValidationFailureErrors",
    "Webhook",
    "WebhookCall",
    "WebhookChangedResponse",
    "WebhookCreatedResponse",
    "WebhookEvent",
    "WebhookEventContext",
    "WebhookList",
    "WebhookListAvailableEvents",
    "WebhookListResponse",
    "WebhookLog",
    "WebhookLogListResponse",
    "WebhookLogPagination",
    "WebhookLogRequestPayload",
    "WebhookLogResponseHeaders",
    "WebhookLogStatus",
    "WebhookResponse",
    "WebhookStatus",
    "WebhookTestEvent",
    "WebhookTestResponse",
    "WebhookTestResult",
)
