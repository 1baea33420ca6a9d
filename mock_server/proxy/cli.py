"""talq-mock proxy / check-traffic: the command line of the validating proxy and the traffic checker.

python -m mock_server proxy --upstream https://app.talkover.ai/api/v1 [--errors] [--report PATH]
python -m mock_server check-traffic FILE.har [--report PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from pathlib import Path

import uvicorn

from mock_server.proxy.config import DEFAULT_TIMEOUT_SECONDS, ProxyConfigError, ProxySettings
from mock_server.proxy.forward import TEST_FLAG
from mock_server.proxy.har import HarError, check_har
from mock_server.proxy.report import Report
from mock_server.proxy.serve import build_proxy, proxy_server_config
from mock_server.proxy.validate import Checker
from mock_server.spec.compiled import load_spec
from mock_server.spec.document import DEFAULT_SPEC, SpecError

PROG = "python -m mock_server"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    proxy = commands.add_parser(
        "proxy",
        help="forward to the real API and check every exchange against the spec",
        description="Forward each request to --upstream and check the request and the answer against the "
        "spec; violations go to the sl-violations header, the log and the report.",
    )
    proxy.add_argument(
        "--upstream", required=True, help="the API's base URL, e.g. https://app.talkover.ai/api/v1"
    )
    proxy.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    proxy.add_argument("--port", type=int, default=4010, help="port (default 4010)")
    proxy.add_argument(
        "--admin-token",
        default=os.environ.get("TALQ_MOCK_ADMIN_TOKEN"),
        help="the inspector at /_proxy/ needs 'Authorization: Bearer <token>' "
        "(default: $TALQ_MOCK_ADMIN_TOKEN; without one it is served on loopback binds only)",
    )
    proxy.add_argument(
        "--errors",
        action="store_true",
        help="answer an invalid request with 400 (never forwarded) and an invalid answer with 502",
    )
    proxy.add_argument(
        "--upstream-timeout",
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"answer 504 when the upstream takes longer (default {DEFAULT_TIMEOUT_SECONDS:g})",
    )
    proxy.add_argument(
        "--allow-real-calls",
        action="store_true",
        help='let a Make a Call without "is_testing": true reach the upstream (it places a real call)',
    )
    proxy.add_argument(
        "--report", type=Path, metavar="PATH", help="on exit, the JSON report here and JUnit XML next to it"
    )
    proxy.add_argument(
        "--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document (default openapi/talq.yaml)"
    )
    proxy.add_argument(
        "--quiet", action="store_true", help="no access line per exchange (violations are still logged)"
    )
    check = commands.add_parser(
        "check-traffic",
        help="check the exchanges of a HAR 1.2 file against the spec",
        description="Check recorded exchanges (HAR 1.2) against the spec. Exit status 0: no violations; "
        "1: violations or failed exchanges; 2: the file or the spec cannot be read.",
    )
    check.add_argument("har", type=Path, metavar="FILE.har", help="a HAR 1.2 file")
    check.add_argument(
        "--report", type=Path, metavar="PATH", help="the JSON report here and JUnit XML next to it"
    )
    check.add_argument(
        "--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document (default openapi/talq.yaml)"
    )
    return parser


def _write(report: Report, path: Path | None) -> None:
    if path is not None:
        json_path, xml_path = report.write(path)
        print(f"talq check-traffic: report in {json_path} and {xml_path}", file=sys.stderr)


class _LogFormatter(logging.Formatter):
    """`logging.Formatter`'s lines, with the date and time formatted once per second, not per line."""

    _second: tuple[int, str] = (-1, "")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        second = int(record.created)
        cached = self._second
        if cached[0] != second:
            cached = self._second = (
                second,
                time.strftime(self.default_time_format, self.converter(record.created)),
            )
        return f"{cached[1]},{int(record.msecs):03d}"  # as logging.Formatter.default_msec_format


def configure_logging() -> None:
    """INFO and up on stderr as `time logger message`. A violation is logged per exchange under load:
    skip what the format does not show (the logging HOWTO's "Optimization": caller, thread, process)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LogFormatter("%(asctime)s %(name)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False


def _proxy(args: argparse.Namespace) -> int:
    try:
        settings = ProxySettings(
            upstream=args.upstream,
            host=args.host,
            port=args.port,
            spec_path=args.spec,
            errors=args.errors,
            upstream_timeout_seconds=args.upstream_timeout,
            allow_real_calls=args.allow_real_calls,
            report_path=args.report,
            quiet=args.quiet,
            admin_token=args.admin_token,
        )
        app = build_proxy(settings)
    except (ProxyConfigError, SpecError, OSError) as error:
        print(f"talq proxy: cannot start: {error}", file=sys.stderr)
        return 2
    configure_logging()
    mode = "--errors: invalid exchanges are answered by the proxy" if settings.errors else "passive"
    guard = "real calls allowed" if settings.allow_real_calls else f'Make a Call needs "{TEST_FLAG}": true'
    print(
        f"talq proxy on http://{settings.host}:{settings.port} (and /api/v1) → {settings.upstream_base} "
        f"({mode}; {guard}; upstream timeout {settings.upstream_timeout_seconds:g} s)\n"
        f"Inspector (every exchange with its violations): http://{settings.host}:{settings.port}/_proxy/\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):  # the app's shutdown wrote the summary and the report
        uvicorn.Server(proxy_server_config(app, settings)).run()
    return 0


def _check_traffic(args: argparse.Namespace) -> int:
    try:
        checker = Checker(load_spec(args.spec))
        report = check_har(args.har, checker, Report(str(args.har)))
    except (HarError, SpecError, OSError) as error:
        print(f"talq check-traffic: {error}", file=sys.stderr)
        return 2
    print(f"talq check-traffic: {report.summary()}")
    _write(report, args.report)
    return 1 if report.findings() or report.upstream_failures() else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "proxy":
        return _proxy(args)
    return _check_traffic(args)
