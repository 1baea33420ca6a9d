"""The probe suite against the fake vendors: the faithful one confirms, each drift is exactly one
contradiction, at the pointer of the spec to change, with the evidence."""

from __future__ import annotations

import pytest

from mock_server.verify.probes import op
from test_support.fake_vendors import DRIFTS, drifted, faithful
from tests.verify.conftest import Run, verdicts

# Each drift, and the one part of the spec verify must say it contradicts.
EXPECTED = {
    "renamed-field": op("/agents/{agent_id}/call", "post"),
    "changed-status": op("/agents/{agent_id}/call", "post"),
    "other-envelope": "#/components/responses/AgentNotFound",
    "reset-in-ms": "#/components/headers/X-RateLimit-Reset",
    "unknown-refused": "#/components/schemas/MakeCallRequest",
    "missing-header": "#/components/headers/X-RateLimit-Remaining",
}
DETAIL = {
    "renamed-field": '/response/body/data/to: "to" is a required property',
    "changed-status": "makeCall answered 201; the spec says 200",
    "other-envelope": "getAgent answered 404; the spec says 404 AGENT_NOT_FOUND",
    "reset-in-ms": "milliseconds",
    "unknown-refused": "makeCall refused it: 422",
    "missing-header": "The answer (200) has no X-RateLimit-Remaining header.",
}


def test_the_faithful_vendor_contradicts_nothing(run_verify: Run) -> None:
    with faithful() as vendor:
        status, report = run_verify(vendor.api_url)
    assert status == 0
    assert verdicts(report, "contradicted") == []
    assert report["counts"]["confirmed"] >= 19
    assert report["sent_requests"] == report["planned_requests"] > 0
    assert report["rate_limited"] == 0
    # every mark is an item: probed, not probeable (with why) or unprobed — never silently skipped
    assert {"confirmed", "not probeable", "unprobed"} == {item["verdict"] for item in report["items"]}
    assert all(item["detail"] for item in report["items"])


def test_every_drift_has_an_expectation() -> None:
    assert set(EXPECTED) == set(DRIFTS) == set(DETAIL)


@pytest.mark.parametrize("drift", sorted(DRIFTS))
def test_each_drift_is_reported_once_and_precisely(run_verify: Run, drift: str) -> None:
    with drifted(drift) as vendor:
        status, report = run_verify(vendor.api_url, "--max-wait", "2", "--pace", "0.01")
    assert status == 1
    assert verdicts(report, "contradicted") == [EXPECTED[drift]]
    (item,) = [item for item in report["items"] if item["verdict"] == "contradicted"]
    assert DETAIL[drift] in item["detail"]
    assert EXPECTED[drift] in item["spec_change"]
    assert item["evidence"], "a contradiction carries the request and the answer"
    answer = item["evidence"][-1]["answer"]
    assert answer["status"] >= 200
    assert answer["body"]
    assert report["rate_limited"] == 0
