"""Update, Toggle and Delete Webhook and List Webhook Delivery Logs over real HTTP, with real deliveries
to a receiver on 127.0.0.1 and the mock clock advanced by the admin API."""

from __future__ import annotations

from collections.abc import Callable

from talq_client import AuthenticatedClient, MakeCallRequest
from talq_client.api.calls import make_call
from talq_client.api.webhooks import (
    create_webhook,
    delete_webhook,
    get_webhook,
    list_webhook_logs,
    toggle_webhook,
    update_webhook,
)
from talq_client.models import (
    CreateWebhookRequest,
    FailureMessage,
    KnownWebhookEventName,
    UpdateWebhookRequest,
    ValidationFailure,
    WebhookCreatedResponse,
    WebhookLogRequestPayload,
    WebhookLogResponseHeaders,
    WebhookLogStatus,
)

from mock_server.webhooks.receiver import ANSWER, receiving

AGENT = "agent_123456"
EVENTS: list[KnownWebhookEventName | str] = [
    KnownWebhookEventName.EVENT_PHONE_CALL_STARTED,
    KnownWebhookEventName.EVENT_PHONE_CALL_CONNECTED,
    KnownWebhookEventName.EVENT_PHONE_CALL_ENDED,
]


def register(client: AuthenticatedClient, url: str) -> str:
    body = CreateWebhookRequest(name="logs", webhook_url=url, events=EVENTS, max_retries=3)
    created = create_webhook.sync_detailed(AGENT, client=client, body=body)
    assert isinstance(created.parsed, WebhookCreatedResponse), created.content
    return created.parsed.data.id


def call_through(client: AuthenticatedClient, advance: Callable[[float], None]) -> str:
    made = make_call.sync_or_raise(
        AGENT, client=client, body=MakeCallRequest(to="+1234567890", is_testing=True)
    )
    advance(8)  # setup, ring, talk: started, connected, ended
    return made.data.id


def test_logs_list_every_attempt_newest_first_over_pages(
    client: AuthenticatedClient, advance: Callable[[float], None]
) -> None:
    with receiving(fail_first=2) as receiver:
        webhook_id = register(client, receiver.url)
        call_through(client, advance)
        receiver.wait_for(3)
    # the first event was refused twice (500), then delivered: 5 attempts for 3 events
    logs = list_webhook_logs.sync_or_raise(AGENT, webhook_id, client=client)
    assert logs.pagination.total == 5
    assert (logs.pagination.current_page, logs.pagination.per_page, logs.pagination.last_page) == (1, 25, 1)
    oldest_first = list(reversed(logs.data))
    assert [(log.event, log.attempt, log.status) for log in oldest_first] == [
        ("event_phone_call_started", 1, WebhookLogStatus.FAILED),
        ("event_phone_call_started", 2, WebhookLogStatus.FAILED),
        ("event_phone_call_started", 3, WebhookLogStatus.SUCCESS),
        ("event_phone_call_connected", 1, WebhookLogStatus.SUCCESS),
        ("event_phone_call_ended", 1, WebhookLogStatus.SUCCESS),
    ]
    failed, delivered = oldest_first[0], oldest_first[2]
    assert failed.http_status == 500
    assert isinstance(failed.error, str)
    assert delivered.http_status == 200
    assert delivered.response_body == ANSWER.decode()
    assert isinstance(delivered.response_headers, WebhookLogResponseHeaders)
    assert delivered.response_headers.additional_properties["content-type"] == "application/json"
    assert isinstance(delivered.request_payload, WebhookLogRequestPayload)
    assert delivered.request_payload.additional_properties["event"] == "event_phone_call_started"
    assert delivered.delivered_at is not None
    assert len({log.id for log in logs.data}) == 5
    pages = [
        list_webhook_logs.sync_or_raise(AGENT, webhook_id, client=client, per_page=2, page=page)
        for page in (1, 2, 3)
    ]
    assert [len(page.data) for page in pages] == [2, 2, 1]
    assert {page.pagination.last_page for page in pages} == {3}
    assert [log.id for page in pages for log in page.data] == [log.id for log in logs.data]


def test_update_changes_only_what_is_sent_and_keeps_the_host_rules(client: AuthenticatedClient) -> None:
    webhook_id = register(client, "http://127.0.0.1:9/talq/events")
    before = get_webhook.sync_or_raise(AGENT, webhook_id, client=client).data
    updated = update_webhook.sync_or_raise(
        AGENT, webhook_id, client=client, body=UpdateWebhookRequest(name="renamed", timeout=45)
    )
    assert updated.message == "Webhook updated successfully"
    assert (updated.data.name, updated.data.timeout) == ("renamed", 45)
    assert (updated.data.webhook_url, updated.data.events, updated.data.max_retries) == (
        before.webhook_url,
        before.events,
        before.max_retries,
    )
    assert get_webhook.sync_or_raise(AGENT, webhook_id, client=client).data.name == "renamed"
    refused = update_webhook.sync_detailed(
        AGENT, webhook_id, client=client, body=UpdateWebhookRequest(webhook_url="https://example.com/hook")
    )
    assert refused.status_code == 422
    assert isinstance(refused.parsed, ValidationFailure)
    assert "webhook_url" in refused.parsed.errors.additional_properties
    assert get_webhook.sync_or_raise(AGENT, webhook_id, client=client).data.webhook_url == before.webhook_url
    invalid = update_webhook.sync_detailed(
        AGENT, webhook_id, client=client, body=UpdateWebhookRequest(timeout=1)
    )
    assert invalid.status_code == 422
    assert isinstance(invalid.parsed, ValidationFailure)
    assert "timeout" in invalid.parsed.errors.additional_properties


def test_a_toggled_off_webhook_gets_nothing_and_toggled_on_again_it_does(
    client: AuthenticatedClient, advance: Callable[[float], None]
) -> None:
    with receiving() as receiver:
        webhook_id = register(client, receiver.url)
        off = toggle_webhook.sync_or_raise(AGENT, webhook_id, client=client)
        assert (off.message, off.data.enabled) == ("Webhook disabled", False)
        call_through(client, advance)
        assert list_webhook_logs.sync_or_raise(AGENT, webhook_id, client=client).pagination.total == 0
        on = toggle_webhook.sync_or_raise(AGENT, webhook_id, client=client)
        assert (on.message, on.data.enabled) == ("Webhook enabled", True)
        call_through(client, advance)
        receiver.wait_for(3)
    assert len(receiver.received) == 3


def test_a_deleted_webhook_is_gone_with_its_logs_and_gets_nothing_more(
    client: AuthenticatedClient, advance: Callable[[float], None]
) -> None:
    with receiving() as receiver, receiving() as witness:
        webhook_id = register(client, receiver.url)
        call_through(client, advance)
        receiver.wait_for(3)
        deleted = delete_webhook.sync_or_raise(AGENT, webhook_id, client=client)
        assert deleted.message == "Webhook deleted successfully"
        register(client, witness.url)  # a webhook of the same agent: its deliveries prove events went out
        call_through(client, advance)
        witness.wait_for(3)
    assert len(receiver.received) == 3
    for gone in (get_webhook, list_webhook_logs, toggle_webhook, delete_webhook):
        answer = gone.sync_detailed(AGENT, webhook_id, client=client)
        assert answer.status_code == 404
        assert isinstance(answer.parsed, FailureMessage)
        assert answer.parsed.message == "Webhook not found."


def test_another_agents_webhook_is_not_found(client: AuthenticatedClient) -> None:
    webhook_id = register(client, "http://127.0.0.1:9/talq/events")
    answer = toggle_webhook.sync_detailed("agent_other", webhook_id, client=client)
    assert answer.status_code == 404
