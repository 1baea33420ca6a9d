from enum import StrEnum


class CallStatus(StrEnum):
    ANSWERED = "answered"
    BUSY = "busy"
    COMPLETED = "completed"
    FAILED = "failed"
    INITIATED = "initiated"
    NO_ANSWER = "no-answer"
    RINGING = "ringing"

    def __str__(self) -> str:
        return str(self.value)
