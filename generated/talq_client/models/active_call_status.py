from enum import StrEnum


class ActiveCallStatus(StrEnum):
    ANSWERED = "answered"
    INITIATED = "initiated"
    RINGING = "ringing"

    def __str__(self) -> str:
        return str(self.value)
