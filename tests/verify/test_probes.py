"""The probe table against the spec: every part a probe covers exists, every probe can run or says why,
and every mark of the spec is an item of the report (probed, or listed as unprobed)."""

from __future__ import annotations

import pytest

from mock_server.spec.document import DEFAULT_SPEC, load_document
from mock_server.verify.checks import Outcome, not_probeable
from mock_server.verify.cli import operation_paths
from mock_server.verify.marks import marks, resolves
from mock_server.verify.probes import PROBES, Probe
from mock_server.verify.runner import items_for, runnable
from mock_server.verify.session import Exchange

DOCUMENT = load_document(DEFAULT_SPEC)
OPERATIONS = operation_paths(DOCUMENT)


def test_probe_ids_are_unique_and_no_part_is_covered_twice() -> None:
    assert len({probe.id for probe in PROBES}) == len(PROBES)
    covers = [pointer for probe in PROBES for pointer in probe.covers]
    assert len(covers) == len(set(covers)), "a part of the spec covered by two probes would be reported twice"


@pytest.mark.parametrize("probe", PROBES, ids=lambda probe: probe.id)
def test_every_part_a_probe_covers_is_in_the_spec(probe: Probe) -> None:
    missing = [pointer for pointer in probe.covers if not resolves(DOCUMENT, pointer)]
    assert missing == [], f"{probe.id} covers {missing}, which the spec no longer has: update the probe"


@pytest.mark.parametrize("probe", PROBES, ids=lambda probe: probe.id)
def test_every_probe_can_run_or_says_why(probe: Probe) -> None:
    reason = runnable(probe, OPERATIONS)
    if probe.steps:
        assert probe.check is not None
        assert all(step.operation in OPERATIONS for step in probe.steps) or reason
    assert reason is None or reason.endswith(".")


def test_a_probe_that_would_leave_something_behind_does_not_run() -> None:
    (created,) = [probe for probe in PROBES if probe.id == "create-webhook-status"]
    reason = runnable(created, {name: path for name, path in OPERATIONS.items() if name != "deleteWebhook"})
    assert reason == "The spec has no deleteWebhook: what this probe creates could not be cleaned up."


def test_every_mark_is_an_item_of_the_report() -> None:
    found = marks(DOCUMENT)
    results: dict[str, tuple[Outcome, list[Exchange]]] = {
        probe.id: (not_probeable("not run"), []) for probe in PROBES
    }
    items = items_for(found, PROBES, results)
    reported = [(mark.pointer, mark.kind) for item in items for mark in item.marks]
    assert sorted(reported) == sorted((mark.pointer, mark.kind) for mark in found)
    assert len(found) >= 100  # the spec's x-talq-source and x-talq-inferred marks (issue 17)
    unprobed = [item for item in items if item.verdict == "unprobed"]
    assert unprobed
    assert all(item.marks and not item.probe for item in unprobed)
