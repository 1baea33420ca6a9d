"""A client library for accessing Talq (Talkover) API — calls, agents and webhooks"""

from . import errors, webhooks
from .client import AuthenticatedClient, Client
from .errors import TalqError
from .models import MakeCallRequest, WebhookEvent
from .ratelimit import RateLimit

__version__ = "3.0.0"

__all__ = (
    "AuthenticatedClient",
    "Client",
    "MakeCallRequest",
    "RateLimit",
    "TalqError",
    "WebhookEvent",
    "__version__",
    "errors",
    "webhooks",
)
