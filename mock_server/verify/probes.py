"""The probes: each sends a few safe requests and checks one fact of the spec or one decision of it.

A probe is data: the steps (an operationId with path parameters, query and body; the method and path
come from the spec), what it covers (JSON pointers of the spec, matched against the marks) and its
check. A new operation is a new entry of `PROBES`, not new machinery. Placeholders in steps:
`{agent}` (the agent to probe), `{missing_agent}`, `{to}` (the test number), and `{name}` for a value
an earlier step saved (`saves={"call_id": "/data/id"}`).

Safe by construction (and enforced again by `guards.py` before anything is sent): only reads; Make a
Call (any operation whose body has `is_testing`) only with `"is_testing": true`; webhooks only created
disabled, pointed at no receiver, and deleted by the probe's cleanup (so only when the spec has a
delete operation).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from mock_server.spec.document import JSON
from mock_server.verify.checks import (
    Outcome,
    ProbeRun,
    accepted,
    confirmed,
    contradicted,
    expect_code,
    expect_example,
    expect_valid,
    header_present,
    not_probeable,
    reset_unit,
)

NO_RECEIVER = "http://127.0.0.1:9/talq-verify-no-receiver"  # discard port: nothing answers, nothing is sent
UNKNOWN_CALL = "call_talq_verify_unknown"
UNKNOWN_WEBHOOK = "wh_talq_verify_unknown"
UNKNOWN_PROPERTY = "talq_verify_unknown_property"


def op(path: str, method: str) -> str:
    """The pointer of an operation: #/paths/~1calls/get."""
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def frozen(mapping: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Step:
    """One request. Read-only, like every module-level value: mappings are proxies, the body is JSON text."""

    operation: str  # operationId
    params: Mapping[str, str] = field(default_factory=frozen)  # path parameters (placeholders allowed)
    query: Mapping[str, str] = field(default_factory=frozen)
    body_text: str | None = None  # the JSON body (placeholders inside its strings)
    auth: bool = True  # send the token (False: no Authorization header at all)
    saves: Mapping[str, str] = field(default_factory=frozen)  # name -> JSON pointer into the answer's body

    @property
    def body(self) -> JSON:
        return None if self.body_text is None else json.loads(self.body_text)


def step(
    operation: str,
    params: Mapping[str, str] | None = None,
    query: Mapping[str, str] | None = None,
    body: JSON = None,
    auth: bool = True,
    saves: Mapping[str, str] | None = None,
) -> Step:
    text = None if body is None else json.dumps(body)
    return Step(operation, frozen(params), frozen(query), text, auth, frozen(saves))


@dataclass(frozen=True)
class Probe:
    id: str
    covers: tuple[str, ...]  # JSON pointers of the spec this probe checks (the marks there are its item)
    claim: str  # what is checked, in one line
    steps: tuple[Step, ...] = ()
    check: Callable[[ProbeRun], Outcome] | None = None
    cleanup: tuple[Step, ...] = ()  # sent whatever the check found (e.g. delete what was created)
    reason: str = ""  # why it cannot be probed, when it has no steps

    @property
    def pointer(self) -> str:
        """Where the report shows it: the first part of the spec it covers."""
        return self.covers[0]


def _test_call(**extra: JSON) -> dict[str, JSON]:
    return {"to": "{to}", "is_testing": True, **extra}


AGENT = frozen({"agent_id": "{agent}"})
CALL = op("/agents/{agent_id}/call", "post")
END_CALL = op("/agents/{agent_id}/end-call", "post")
CREATE_WEBHOOK = op("/agents/{agent_id}/webhooks", "post")
LIST_WEBHOOKS = op("/agents/{agent_id}/webhooks", "get")
WEBHOOK = op("/agents/{agent_id}/webhooks/{webhook_id}", "get")
SCHEMA = "#/components/schemas/"
RESPONSE = "#/components/responses/"
EXAMPLE = "/content/application~1json/examples/"
CREATE_DISABLED_WEBHOOK = step(
    "createWebhook",
    AGENT,
    body={
        "name": "talq verify probe (disabled, deleted at once)",
        "webhook_url": NO_RECEIVER,
        "events": ["event_phone_call_ended"],
        "enabled": False,
    },
    saves={"webhook_id": "/data/id"},
)
DELETE_WEBHOOK = step("deleteWebhook", {"agent_id": "{agent}", "webhook_id": "{webhook_id}"})


def _newest_first(run: ProbeRun) -> Outcome:
    found = expect_valid(200)(run)
    if found.verdict != "confirmed":
        return found
    items = run.body(-1).get("data") or []
    stamps = [str(item.get("created_at")) for item in items if isinstance(item, dict)]
    if len(stamps) < 2:
        return not_probeable(f"List Calls gave {len(stamps)} call(s); the order needs at least 2.")
    if stamps == sorted(stamps, reverse=True):
        return confirmed(f"{len(stamps)} calls, newest first.")
    return contradicted(
        "List Calls is not newest first: created_at in the order sent: " + ", ".join(map(str, stamps))
    )


def _sid_is_id(run: ProbeRun) -> Outcome:
    found = expect_valid(200)(run)
    if found.verdict != "confirmed":
        return found
    items = [item for item in run.body(-1).get("data") or [] if isinstance(item, dict)]
    if not items:
        return not_probeable("The list gave no call to compare id and sid on.")
    differ = [item.get("id") for item in items if item.get("sid") != item.get("id")]
    if differ:
        return contradicted(
            f"sid differs from id for {len(differ)} of {len(items)} calls (e.g. id {differ[0]!r})."
        )
    return confirmed(f"sid equals id for all {len(items)} calls listed.")


def filtered(name: str, value: str) -> Callable[[ProbeRun], Outcome]:
    """The last answer is a valid 200 list whose every item has `name` equal to `value`."""

    def check(run: ProbeRun) -> Outcome:
        found = expect_valid(200)(run)
        if found.verdict != "confirmed":
            return found
        items = [item for item in run.body(-1).get("data") or [] if isinstance(item, dict)]
        other = sorted({str(item.get(name)) for item in items} - {value})
        if other:
            return contradicted(f"?{name}={value} listed calls with {name} {', '.join(other)}.")
        if not items:
            return not_probeable(f"No call with {name} {value} to list: the filter cannot be told from none.")
        return confirmed(f"{len(items)} calls listed, each with {name} {value}.")

    return check


def _ended_or_not_active(run: ProbeRun) -> Outcome:
    if run.status(-1) == 409:
        return not_probeable("The test call had already ended (409) before End Call reached it.")
    return expect_valid(200)(run)


def _cannot(id_: str, covers: tuple[str, ...], claim: str, reason: str) -> Probe:
    return Probe(id_, covers, claim, reason=reason)


NO_RECEIVER_REASON = "Needs a delivery to a receiver the upstream can reach; verify's webhooks point at none."
NOT_PROBEABLE = (
    _cannot("retry-after", ("#/components/headers/Retry-After",), "429 carries Retry-After",
            "Needs a 429: verify paces itself by X-RateLimit-* so that it never provokes one."),
    _cannot("rate-limited", (RESPONSE + "RateLimited", CALL + "/responses/429"), "over the limit: 429",
            "Needs a 429: verify paces itself by X-RateLimit-* so that it never provokes one."),
    _cannot("no-credits", (CALL + "/responses/402",), "no credits: 402 INSUFFICIENT_CREDITS",
            "Needs an account without credits, and a call that is not a test: verify places none."),
    _cannot("forbidden", (RESPONSE + "Forbidden",), "403 UNAUTHORIZED",
            "Needs a token without access to the agent: verify has one token, TALQ_TOKEN."),
    _cannot("server-error", (RESPONSE + "ServerError",), "500 SERVER_ERROR",
            "Needs the upstream to fail: nothing a well-behaved client can cause."),
    _cannot("request-timeout", (RESPONSE + "RequestTimeout",), "408 for a body that does not arrive",
            "Needs a request whose body never arrives in full; verify sends no broken traffic."),
    _cannot("payload-too-large", (RESPONSE + "PayloadTooLarge",), "413 above 1 MiB",
            "Needs a body over 1 MiB; verify does not load the upstream with one."),
    _cannot("event-envelope", (SCHEMA + "WebhookEvent", SCHEMA + "WebhookCall"), "a call event's body",
            NO_RECEIVER_REASON),
    _cannot("event-delivery", ("#/webhooks/callEvent/post", "#/webhooks/callEvent/post/parameters/0",
                               "#/webhooks/callEvent/post/responses/200"), "deliveries and their signature",
            NO_RECEIVER_REASON),
    _cannot("mock-server", ("#/servers/1",), "the mock's own address",
            "The local mock's address, not a fact of the upstream."),
)  # fmt: skip

PROBES: tuple[Probe, ...] = (
    Probe(
        "rate-limit-limit",
        ("#/components/headers/X-RateLimit-Limit",),
        "answers carry X-RateLimit-Limit",
        (step("getAgent", AGENT),),
        header_present("X-RateLimit-Limit"),
    ),
    Probe(
        "rate-limit-remaining",
        ("#/components/headers/X-RateLimit-Remaining",),
        "answers carry X-RateLimit-Remaining",
        (step("getAgent", AGENT),),
        header_present("X-RateLimit-Remaining"),
    ),
    Probe(
        "rate-limit-reset-unit",
        ("#/components/headers/X-RateLimit-Reset",),
        "X-RateLimit-Reset is a Unix time in seconds",
        (step("getAgent", AGENT),),
        reset_unit(time.time),
    ),
    Probe(
        "get-agent",
        (
            op("/agents/{agent_id}", "get"),
            op("/agents/{agent_id}", "get") + "/responses/200",
            SCHEMA + "AgentResponse",
            SCHEMA + "Agent",
        ),
        "Get Agent answers 200 as the spec says",
        (step("getAgent", AGENT),),
        expect_valid(200),
    ),
    Probe(
        "agent-not-found",
        (RESPONSE + "AgentNotFound",),
        "an unknown agent is 404 AGENT_NOT_FOUND",
        (step("getAgent", {"agent_id": "{missing_agent}"}),),
        expect_code("AGENT_NOT_FOUND"),
    ),
    Probe(
        "agent-id-length",
        ("#/components/parameters/AgentId",),
        "an agent id over 256 characters is VALIDATION_ERROR",
        (step("getAgent", {"agent_id": "a" * 257}),),
        expect_code("VALIDATION_ERROR"),
    ),
    Probe(
        "unauthorized",
        (RESPONSE + "Unauthorized",),
        "no token: 401 INVALID_TOKEN in the envelope",
        (step("listCalls", auth=False),),
        expect_code("INVALID_TOKEN"),
    ),
    Probe(
        "missing-bearer-token",
        (RESPONSE + "MissingBearerToken",),
        "the webhook endpoints without a token: 401 {message}",
        (step("listWebhooks", AGENT, auth=False),),
        expect_valid(401),
    ),
    Probe(
        "make-call-unauthorized",
        (CALL + "/responses/401",),
        "Make a Call without a token: 401 in the envelope",
        (step("makeCall", AGENT, body=_test_call(), auth=False),),
        expect_code("INVALID_TOKEN"),
    ),
    Probe(
        "make-call",
        (CALL, CALL + "/responses/200", SCHEMA + "MakeCallResponse", SCHEMA + "Call", SCHEMA + "CallStatus"),
        "a test call answers 200 as the spec says",
        (step("makeCall", AGENT, body=_test_call()),),
        expect_valid(200),
    ),
    Probe(
        "make-call-unknown-property",
        (SCHEMA + "MakeCallRequest",),
        "an unknown request property is accepted and ignored",
        (step("makeCall", AGENT, body=_test_call(**{UNKNOWN_PROPERTY: True})),),
        accepted,
    ),
    Probe(
        "make-call-e164",
        (SCHEMA + "MakeCallRequest/properties/to", CALL + "/responses/400"),
        "`to` must be E.164: +0123456789 is INVALID_PHONE_NUMBER",
        (step("makeCall", AGENT, body={"to": "+0123456789", "is_testing": True}),),
        expect_code("INVALID_PHONE_NUMBER"),
    ),
    Probe(
        "make-call-validation-error",
        (CALL + "/responses/400" + EXAMPLE + "validation_error",),
        "other invalid input (delay_seconds out of range) is VALIDATION_ERROR",
        (step("makeCall", AGENT, body=_test_call(delay_seconds=999_999)),),
        expect_code("VALIDATION_ERROR"),
    ),
    Probe(
        "make-call-agent-not-found",
        (CALL + "/responses/404",),
        "a test call from an unknown agent is 404",
        (step("makeCall", {"agent_id": "{missing_agent}"}, body=_test_call()),),
        expect_code("AGENT_NOT_FOUND"),
    ),
    Probe(
        "list-calls",
        (
            op("/calls", "get"),
            RESPONSE + "CallList",
            SCHEMA + "CallListItem",
            SCHEMA + "Pagination",
            SCHEMA + "AgentSummary",
            SCHEMA + "CallDirection",
        ),
        "List Calls answers 200 as the spec says",
        (step("listCalls", query={"per_page": "20"}),),
        expect_valid(200),
    ),
    Probe(
        "list-calls-status",
        ("#/components/parameters/StatusFilter",),
        "?status=initiated lists only initiated calls",
        (step("listCalls", query={"status": "initiated", "per_page": "20"}),),
        filtered("status", "initiated"),
    ),
    Probe(
        "list-calls-direction",
        ("#/components/parameters/DirectionFilter",),
        "?direction=outbound lists only outbound calls",
        (step("listCalls", query={"direction": "outbound", "per_page": "20"}),),
        filtered("direction", "outbound"),
    ),
    Probe(
        "list-calls-order",
        (SCHEMA + "CallListResponse",),
        "List Calls is newest first",
        (step("listCalls", query={"per_page": "20"}),),
        _newest_first,
    ),
    Probe(
        "list-calls-validation",
        (
            RESPONSE + "ValidationFailed/content/application~1json/examples/validation_error",
            RESPONSE + "ValidationFailed",
            "#/components/parameters/PerPage",
        ),
        "per_page over 100 is VALIDATION_ERROR",
        (step("listCalls", query={"per_page": "1000"}),),
        expect_code("VALIDATION_ERROR"),
    ),
    Probe(
        "list-agent-calls",
        (
            op("/agents/{agent_id}/calls", "get"),
            RESPONSE + "AgentCallList",
            SCHEMA + "AgentCallListResponse",
            SCHEMA + "AgentCallListItem",
        ),
        "Get Agent Calls answers 200 as the spec says",
        (step("listAgentCalls", AGENT),),
        expect_valid(200),
    ),
    Probe(
        "call-sid",
        (SCHEMA + "AgentCallListItem/properties/sid",),
        "a call's sid equals its id",
        (step("listAgentCalls", AGENT),),
        _sid_is_id,
    ),
    Probe(
        "end-call",
        (
            SCHEMA + "EndCallResponse",
            END_CALL,
            END_CALL + "/responses/200",
            SCHEMA + "EndedCall",
            SCHEMA + "EndCallRequest",
        ),
        "End Call of a test call answers the ended call",
        (
            step("makeCall", AGENT, body=_test_call(), saves={"call_id": "/data/id"}),
            step("endCall", AGENT, body={"call_sid": "{call_id}"}),
        ),
        _ended_or_not_active,
    ),
    Probe(
        "end-call-not-active",
        (END_CALL + "/responses/409",),
        "ending a call that has ended is 409 CALL_NOT_ACTIVE",
        (
            step("makeCall", AGENT, body=_test_call(), saves={"call_id": "/data/id"}),
            step("endCall", AGENT, body={"call_sid": "{call_id}"}),
            step("endCall", AGENT, body={"call_sid": "{call_id}"}),
        ),
        expect_code("CALL_NOT_ACTIVE"),
    ),
    Probe(
        "end-call-not-found",
        (END_CALL + "/responses/404", SCHEMA + "FailureMessage"),
        "an unknown call_sid is 404 as End Call's page shows",
        (step("endCall", AGENT, body={"call_sid": UNKNOWN_CALL}),),
        expect_example(404, "call_not_found"),
    ),
    Probe(
        "list-webhooks",
        (
            LIST_WEBHOOKS,
            LIST_WEBHOOKS + "/responses/200",
            SCHEMA + "WebhookListResponse",
            SCHEMA + "WebhookList",
        ),
        "List Agent Webhooks answers 200 as the spec says",
        (step("listWebhooks", AGENT),),
        expect_valid(200),
    ),
    Probe(
        "webhooks-agent-not-found",
        (RESPONSE + "AgentNotFoundInEnvironment",),
        "the webhook endpoints: an unknown agent is 404 {success, message}",
        (step("listWebhooks", {"agent_id": "{missing_agent}"}),),
        expect_valid(404),
    ),
    Probe(
        "webhook-not-found",
        (WEBHOOK + "/responses/404" + EXAMPLE + "webhook_not_found", WEBHOOK + "/responses/404"),
        "an unknown webhook id is 404 Webhook not found",
        (step("getWebhook", {"agent_id": "{agent}", "webhook_id": UNKNOWN_WEBHOOK}),),
        expect_example(404, "webhook_not_found"),
    ),
    Probe(
        "create-webhook-status",
        (CREATE_WEBHOOK + "/responses/201", CREATE_WEBHOOK, SCHEMA + "WebhookCreatedResponse"),
        "creating a webhook answers 201",
        (CREATE_DISABLED_WEBHOOK,),
        expect_valid(201),
        (DELETE_WEBHOOK,),
    ),
    Probe(
        "stored-webhook",
        (SCHEMA + "Webhook", SCHEMA + "WebhookResponse", WEBHOOK, WEBHOOK + "/responses/200"),
        "a created webhook reads back as the spec's Webhook",
        (CREATE_DISABLED_WEBHOOK, step("getWebhook", {"agent_id": "{agent}", "webhook_id": "{webhook_id}"})),
        expect_valid(200),
        (DELETE_WEBHOOK,),
    ),
    *NOT_PROBEABLE,
)
