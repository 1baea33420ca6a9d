"""talq-mock verify: probe an upstream for the spec's marked facts and decisions, or replay a recording.

talq-mock verify --upstream https://app.talkover.ai/api/v1 --agent-id AGENT [--report reports/verify.json]
talq-mock verify --upstream URL --replay talq-record.json
The token comes from TALQ_TOKEN (never printed, logged or written). Exit status 0: nothing contradicted;
1: a contradiction (or a difference on replay); 2: verify cannot run (the reason is printed).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from mock_server.proxy.validate import Checker
from mock_server.spec.compiled import CompiledSpec, compile_spec
from mock_server.spec.document import DEFAULT_SPEC, JSON, SpecError, load_document
from mock_server.verify.guards import Guard, GuardError, check_upstream, token_from
from mock_server.verify.marks import marks
from mock_server.verify.probes import PROBES
from mock_server.verify.recording import RecordingError, load_recording
from mock_server.verify.replay import replay
from mock_server.verify.report import VerifyReport
from mock_server.verify.runner import Suite, items_for, planned_requests, run_suite, runnable
from mock_server.verify.session import Pacing, Session

PROG = "talq-mock verify"
AGENT_VARIABLE = "TALQ_AGENT_ID"
DEFAULT_TO = "+15005550006"
DEFAULT_MISSING_AGENT = "agent_missing"


def parser() -> argparse.ArgumentParser:
    verify = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    verify.add_argument(
        "--upstream", required=True, help="the API's base URL, e.g. https://app.talkover.ai/api/v1"
    )
    verify.add_argument(
        "--agent-id", help=f"a published agent of the account to probe with (env {AGENT_VARIABLE})"
    )
    verify.add_argument("--missing-agent-id", default=DEFAULT_MISSING_AGENT, help="an id no agent has")
    verify.add_argument(
        "--to", default=DEFAULT_TO, help=f"the number of the test calls (default {DEFAULT_TO})"
    )
    verify.add_argument(
        "--replay", type=Path, metavar="FILE", help="replay a recording (--record, --talq-record)"
    )
    verify.add_argument(
        "--max-requests", type=int, default=Pacing.max_requests, help="send at most this many"
    )
    verify.add_argument(
        "--max-wait", type=float, default=Pacing.max_wait_seconds, metavar="SECONDS",
        help="the longest wait for a rate-limit window",
    )  # fmt: skip
    verify.add_argument(
        "--pace",
        type=float,
        default=Pacing.no_header_interval,
        metavar="SECONDS",
        help="the wait between requests when the upstream sends no X-RateLimit-Remaining (default 1)",
    )
    verify.add_argument("--dry-run", action="store_true", help="list every request; send none")
    verify.add_argument(
        "--report", type=Path, metavar="PATH", help="the JSON report here, .md and .xml beside it"
    )
    verify.add_argument(
        "--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document (default the shipped one)"
    )
    return verify


def operation_paths(document: dict[str, JSON]) -> dict[str, tuple[str, str]]:
    return {
        operation["operationId"]: (method, path)
        for path, item in (document.get("paths") or {}).items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }


def _fail(message: str) -> int:
    print(f"{PROG}: cannot run: {message}", file=sys.stderr)
    return 2


def _finish(report: VerifyReport, path: Path | None, dry_run: bool = False) -> int:
    if dry_run:  # a replay's --dry-run: each request it would send, nothing else
        print("\n".join(f"{item.claim}: {item.detail}" for item in report.items))
        return 0
    print(report.table())
    if path is not None:
        written = report.write(path)
        print(f"{PROG}: report in {', '.join(map(str, written))}", file=sys.stderr)
    if report.sent and all(item.verdict == "not probeable" for item in report.items if item.probe):
        unreachable = [i for i in report.items if "no answer from the upstream" in i.detail]
        if unreachable:
            return _fail(f"the upstream {report.upstream} did not answer ({unreachable[0].detail})")
    return 1 if report.contradicted else 0


def _token(environment: Mapping[str, str], probing: bool, agent: str) -> str:
    """TALQ_TOKEN, and for probing an agent to probe with (GuardError saying how to give them)."""
    token = token_from(environment)
    if probing and not agent:
        raise GuardError(
            f"no agent to probe: pass --agent-id or set {AGENT_VARIABLE} to a published agent's id."
        )
    return token


def main(argv: list[str], environment: Mapping[str, str] | None = None) -> int:
    args = parser().parse_args(argv)
    environment = os.environ if environment is None else environment
    try:
        upstream = check_upstream(args.upstream)
        document = load_document(args.spec)
        spec: CompiledSpec = compile_spec(document)
    except (GuardError, SpecError) as error:
        return _fail(str(error))
    if args.max_requests < 1:
        return _fail("--max-requests must be at least 1.")
    paths = operation_paths(document)
    agent = args.agent_id or environment.get(AGENT_VARIABLE, "")
    values = {"agent": agent or "{agent}", "missing_agent": args.missing_agent_id, "to": args.to}
    try:
        recording = load_recording(args.replay) if args.replay else None
    except RecordingError as error:
        return _fail(str(error))
    probes = [probe for probe in PROBES if runnable(probe, paths) is None]
    plan = planned_requests(probes, paths, values) if recording is None else []
    planned = len(plan) if recording is None else len(recording.exchanges)
    what = (
        f"({len(PROBES)} probes, {len(marks(document))} marks)"
        if recording is None
        else f"(the {planned} exchanges of {args.replay}, at most one request each)"
    )
    print(f"{PROG}: {planned} requests planned to {upstream} {what}")
    if args.dry_run and recording is None:
        print("\n".join(plan))
        return 0
    try:
        token = "" if args.dry_run else _token(environment, probing=recording is None, agent=agent)
    except GuardError as error:
        return _fail(str(error))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is the plan's job
    pacing = Pacing(args.max_requests, args.max_wait, args.pace)
    session = Session(upstream, token, Guard.from_document(document), paths, pacing)
    checker = Checker(spec)
    try:
        if recording is not None:
            report = replay(recording, session, checker, agent or None, dry_run=args.dry_run)
        else:
            results = run_suite(Suite(checker, session, values), PROBES, paths)
            report = VerifyReport(upstream, "probe", items_for(marks(document), PROBES, results), planned)
    finally:
        session.close()
    report.sent, report.waited_seconds, report.rate_limited = session.sent, session.waited, session.too_many
    return _finish(report, args.report, args.dry_run)
