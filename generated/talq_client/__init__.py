"""A client library for accessing Talq (Talkover) API — calls, agents and webhooks"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
