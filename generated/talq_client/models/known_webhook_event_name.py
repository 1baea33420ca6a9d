from enum import StrEnum


class KnownWebhookEventName(StrEnum):
    EVENT_ACTION = "event_action"
    EVENT_ACTION_FAILED = "event_action_failed"
    EVENT_CONNECTION_CLOSED = "event_connection_closed"
    EVENT_CONNECTION_ERROR = "event_connection_error"
    EVENT_CONNECTION_ESTABLISHED = "event_connection_established"
    EVENT_CONVERSATION_ENDED = "event_conversation_ended"
    EVENT_CONVERSATION_STARTED = "event_conversation_started"
    EVENT_PARTICIPANT_JOINED = "event_participant_joined"
    EVENT_PARTICIPANT_LEFT = "event_participant_left"
    EVENT_PHONE_CALL_CONNECTED = "event_phone_call_connected"
    EVENT_PHONE_CALL_DID_NOT_CONNECT = "event_phone_call_did_not_connect"
    EVENT_PHONE_CALL_DISCONNECTED = "event_phone_call_disconnected"
    EVENT_PHONE_CALL_ENDED = "event_phone_call_ended"
    EVENT_PHONE_CALL_ERROR = "event_phone_call_error"
    EVENT_PHONE_CALL_STARTED = "event_phone_call_started"
    EVENT_RECORDING = "event_recording"
    EVENT_USER_CONNECTED = "event_user_connected"
    EVENT_VOICEMAIL_DETECTED = "event_voicemail_detected"
    EVENT_VOICEMAIL_MESSAGE_LEFT = "event_voicemail_message_left"

    def __str__(self) -> str:
        return str(self.value)
