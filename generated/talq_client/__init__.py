"""A client library for accessing Talq (Talkover) API — Make a Call"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
