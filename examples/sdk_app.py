"""A Talq app on talq_client alone: place a call, handle each refusal, read the rate limit, queue a
campaign call, list every call over several pages, test a webhook receiver, verify and parse a webhook
delivery (its raw body on stdin).

    python examples/sdk_app.py BASE_URL TOKEN AGENT_ID TO WEBHOOK_SECRET X_TALQ_SIGNATURE \
        CAMPAIGN_ID WEBHOOK_ID < delivery.json
"""

import sys

from talq_client import AuthenticatedClient, MakeCallRequest, errors, webhooks
from talq_client.api.calls import list_calls, make_call
from talq_client.api.campaigns import make_campaign_call
from talq_client.api.webhooks import test_webhook
from talq_client.models import MakeCampaignCallRequest

base_url, token, agent_id, to, secret, signature, campaign_id, webhook_id = sys.argv[1:]
client = AuthenticatedClient(base_url=base_url, token=token, max_retry_wait=10)  # 2 retries by default
try:
    call = make_call.sync_or_raise(agent_id, client=client, body=MakeCallRequest(to=to))
    print("call", call.data.id, "requests left:", client.rate_limit.remaining)
except (errors.InvalidPhoneNumberError, errors.AgentNotFoundError) as error:  # 400, 404
    raise SystemExit(f"fix the request: {error.message}") from error
except errors.InvalidTokenError as error:  # 401
    raise SystemExit("check the token") from error
except errors.InsufficientCreditsError as error:  # 402
    raise SystemExit("top up the account") from error
except errors.RateLimitExceededError as error:  # 429, after the retries
    raise SystemExit(f"rate limited until {error.rate_limit.reset}") from error
queued = make_campaign_call.sync_or_raise(campaign_id, client=client, body=MakeCampaignCallRequest(to=to))
print("campaign call", queued.campaign_call.id, queued.campaign_call.status)
print("calls:", *[item.id for item in list_calls.iterate(client=client, per_page=2)])
tested = test_webhook.sync_or_raise(agent_id, webhook_id, client=client)  # a signed webhook.test to its URL
print("webhook test:", tested.data.status_code, "in", tested.data.response_time, "ms")
event = webhooks.construct_event(sys.stdin.buffer.read(), signature, secret)
print("webhook:", str(event.event), "of call", event.call.id)  # a known name or a newer one
