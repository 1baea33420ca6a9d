from enum import StrEnum


class WebhookEventName(StrEnum):
    EVENT_CONVERSATION_ENDED = "event_conversation_ended"
    EVENT_CONVERSATION_STARTED = "event_conversation_started"
    EVENT_PHONE_CALL_CONNECTED = "event_phone_call_connected"
    EVENT_PHONE_CALL_DID_NOT_CONNECT = "event_phone_call_did_not_connect"
    EVENT_PHONE_CALL_DISCONNECTED = "event_phone_call_disconnected"
    EVENT_PHONE_CALL_ENDED = "event_phone_call_ended"
    EVENT_PHONE_CALL_ERROR = "event_phone_call_error"
    EVENT_PHONE_CALL_STARTED = "event_phone_call_started"
    EVENT_VOICEMAIL_DETECTED = "event_voicemail_detected"

    def __str__(self) -> str:
        return str(self.value)
