"""The app's webhook receiver, driven by Talq's Test Webhook on the mock, then checked in the webhook's
delivery logs: the same two calls the app would make against the real API."""

from consumer_app.webhook_handler import receiving
from talq_client.api.webhooks import create_webhook, list_webhook_logs, test_webhook
from talq_client.models import CreateWebhookRequest, KnownWebhookEventName

from mock_server.fixture import TalqMock

SECRET = "whsec_consumer"  # noqa: S105 - a test secret


def test_test_webhook_reaches_the_handler_and_the_logs_show_it(talq_mock: TalqMock) -> None:
    client = talq_mock.client()
    with receiving(SECRET) as inbox:
        body = CreateWebhookRequest(
            name="reminders",
            webhook_url=inbox.url,
            webhook_secret=SECRET,
            events=[KnownWebhookEventName.EVENT_PHONE_CALL_ENDED],
        )
        webhook = create_webhook.sync_or_raise("agent_123456", client=client, body=body).data
        tested = test_webhook.sync_or_raise("agent_123456", webhook.id, client=client)
    assert tested.data.status_code == 200
    [ping] = inbox.tests
    assert (ping.webhook_id, ping.webhook_name, ping.test) == (webhook.id, "reminders", True)
    logs = list_webhook_logs.sync_or_raise("agent_123456", webhook.id, client=client)
    [log] = logs.data
    assert (log.event, log.status.value, log.http_status, log.response_body) == (
        "webhook.test",
        "success",
        200,
        '{"pong":true}',
    )


def test_a_delivery_with_a_wrong_secret_is_refused_and_logged_as_failed(talq_mock: TalqMock) -> None:
    client = talq_mock.client()
    with receiving("whsec_other") as inbox:
        body = CreateWebhookRequest(
            name="misconfigured",
            webhook_url=inbox.url,
            webhook_secret=SECRET,
            events=[KnownWebhookEventName.EVENT_PHONE_CALL_ENDED],
        )
        webhook = create_webhook.sync_or_raise("agent_123456", client=client, body=body).data
        tested = test_webhook.sync_or_raise("agent_123456", webhook.id, client=client)
    assert tested.data.status_code == 400
    assert inbox.tests == []
    [log] = list_webhook_logs.sync_or_raise("agent_123456", webhook.id, client=client).data
    assert (log.status.value, log.http_status) == ("failed", 400)
