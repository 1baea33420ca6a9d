"""Place a reminder call with Talq's Make a Call, through the generated client's stock API."""

from __future__ import annotations

from dataclasses import dataclass

from talq_client import AuthenticatedClient
from talq_client.api.calls import make_call
from talq_client.models import ErrorResponse, MakeCallRequest, MakeCallResponse


class CallRefused(Exception):
    """Talq did not place the call: `code` is its error code (INSUFFICIENT_CREDITS, ...)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code


@dataclass(frozen=True)
class PlacedCall:
    id: str
    status: str


def connect(base_url: str, token: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=base_url, token=token)


def remind_by_phone(client: AuthenticatedClient, agent_id: str, phone: str, test: bool = False) -> PlacedCall:
    """Ask `agent_id` to call `phone`; a refusal raises CallRefused with Talq's error code."""
    body = MakeCallRequest(to=phone, is_testing=test)
    response = make_call.sync_detailed(agent_id, client=client, body=body)
    if isinstance(response.parsed, MakeCallResponse):
        return PlacedCall(response.parsed.data.id, response.parsed.data.status.value)
    if isinstance(response.parsed, ErrorResponse):
        error = response.parsed.error
        raise CallRefused(response.status_code, error.code.value, error.message)
    raise CallRefused(response.status_code, "UNEXPECTED", response.content.decode(errors="replace"))
