from enum import StrEnum


class CampaignErrorCode(StrEnum):
    CAMPAIGN_NOT_FOUND = "CAMPAIGN_NOT_FOUND"

    def __str__(self) -> str:
        return str(self.value)
