"""verify against a vendor built from the vendor's own documented examples (tests/vendor_examples/):
every answer a page documents agrees with the spec, but two decisions the pages' examples contradict
(a vendor the tests do not share with the spec, diagnosed)."""

from __future__ import annotations

from test_support.fake_vendors import UNDOCUMENTED, examples_vendor
from tests.verify.conftest import Run, verdicts

# Diagnosed from the pages' examples: List Calls' example lists the older call first, and the example
# calls of Get Agent Calls have a sid unlike their id (both x-talq-inferred decisions of the spec).
FROM_THE_PAGES = {
    "#/components/schemas/CallListResponse": "List Calls is not newest first",
    "#/components/schemas/AgentCallListItem/properties/sid": "sid differs from id for 2 of 2 calls",
}


def test_the_documented_answers_agree_and_two_decisions_do_not(run_verify: Run) -> None:
    with examples_vendor() as url:
        status, report = run_verify(url, "--pace", "0")
    assert status == 1
    contradicted = [item for item in report["items"] if item["verdict"] == "contradicted"]
    documented = [item for item in contradicted if item["evidence"][-1]["answer"]["status"] != UNDOCUMENTED]
    assert {
        item["pointer"]: item["detail"][: len(FROM_THE_PAGES[item["pointer"]])] for item in documented
    } == (FROM_THE_PAGES)
    for item in documented:
        assert "x-talq-inferred" in item["spec_change"]
    undocumented = [item for item in contradicted if item not in documented]
    assert all(
        "no page documents this answer" in item["evidence"][-1]["answer"]["body"] for item in undocumented
    )
    assert set(verdicts(report, "confirmed")) >= {
        "#/components/headers/X-RateLimit-Limit",
        "#/components/headers/X-RateLimit-Remaining",
        "#/components/headers/X-RateLimit-Reset",
        "#/paths/~1agents~1{agent_id}/get",
        "#/paths/~1agents~1{agent_id}~1call/post",
        "#/paths/~1calls/get",
        "#/paths/~1agents~1{agent_id}~1calls/get",
        "#/components/schemas/EndCallResponse",
        "#/paths/~1agents~1{agent_id}~1end-call/post/responses/404",
        "#/paths/~1agents~1{agent_id}~1end-call/post/responses/409",
        "#/components/parameters/DirectionFilter",
        "#/paths/~1agents~1{agent_id}~1webhooks/get",
    }
