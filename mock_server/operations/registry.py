"""operationId → (handler, classifier of invalid requests)."""

from __future__ import annotations

from mock_server.operations import make_call
from mock_server.operations.base import Classifier, Handler

HANDLERS: dict[str, tuple[Handler, Classifier]] = {
    "makeCall": (make_call.handle, make_call.classify),
}
