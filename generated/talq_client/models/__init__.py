"""Contains all the data models used in inputs/outputs"""

from .call import Call
from .call_status import CallStatus
from .error import Error
from .error_code import ErrorCode
from .error_details import ErrorDetails
from .error_response import ErrorResponse
from .make_call_request import MakeCallRequest
from .make_call_request_context import MakeCallRequestContext
from .make_call_request_payload import MakeCallRequestPayload
from .make_call_response import MakeCallResponse

__all__ = (
    "Call",
    "CallStatus",
    "Error",
    "ErrorCode",
    "ErrorDetails",
    "ErrorResponse",
    "MakeCallRequest",
    "MakeCallRequestContext",
    "MakeCallRequestPayload",
    "MakeCallResponse",
)
