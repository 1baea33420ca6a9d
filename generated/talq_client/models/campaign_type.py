from enum import StrEnum


class CampaignType(StrEnum):
    CUSTOM = "custom"
    FOLLOW_UP = "follow_up"
    REMINDER = "reminder"
    SALES = "sales"

    def __str__(self) -> str:
        return str(self.value)
