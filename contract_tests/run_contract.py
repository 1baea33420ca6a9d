"""`make contract`: run the schemathesis CLI with schemathesis.toml against a base URL, or the mock.

    python contract_tests/run_contract.py                          # start the mock, check it, stop it
    python contract_tests/run_contract.py --url http://127.0.0.1:4010/api/v1 --token talq_demo

Against a URL it paces itself to the target's rate limit: one List Calls request reads the
`X-RateLimit-*` headers (the limit, and the window from a fresh window's reset time), and schemathesis
gets `--rate-limit` with one request less than the limit per window (`--rate`/RATE= sets it instead).
A run sends about 900 requests: against a default `make mock` (100 a minute) it takes about 8 minutes.
The webhooks a run registers are created disabled (contract_tests/checks.py), so none delivers later.

Only localhost is a target unless TALQ_CONTRACT_ALLOW_REMOTE=1 is set: each request the real API
accepts places a real phone call (and spends credits), and a contract run sends hundreds.
The JUnit report goes to reports/contract-junit.xml (see schemathesis.toml).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from mock_server.testing import free_port
from test_support.processes import mock_command, running

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "talq.yaml"
MOCK_CONFIG = Path(__file__).resolve().parent / "mock-contract.yaml"
ALLOW_REMOTE_ENV = "TALQ_CONTRACT_ALLOW_REMOTE"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
MOCK_TOKEN = "talq_contract"
START_TIMEOUT_SECONDS = 15.0


class RefusedTarget(Exception):
    """The base URL is not on this machine and the user did not opt in."""


def check_target(url: str, environ: Mapping[str, str]) -> None:
    """Refuse a non-local base URL unless TALQ_CONTRACT_ALLOW_REMOTE=1."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise RefusedTarget(f"{url!r} is not an http(s) base URL such as http://127.0.0.1:4010/api/v1.")
    if parts.hostname.lower() in LOCAL_HOSTS or environ.get(ALLOW_REMOTE_ENV) == "1":
        return
    raise RefusedTarget(
        f"Refusing {parts.hostname}: not localhost. Against the real Talq API every accepted request "
        f"places a real phone call and spends credits, and a contract run sends hundreds. If you mean "
        f"it (a staging deployment, test numbers), set {ALLOW_REMOTE_ENV}=1."
    )


@contextmanager
def running_mock() -> Iterator[str]:
    """Start `python -m mock_server` on a free port with the contract config; yield its /api/v1 URL."""
    port = free_port()
    command = mock_command(port, "--config", str(MOCK_CONFIG))
    with running(command, f"http://127.0.0.1:{port}/_mock/health", START_TIMEOUT_SECONDS) as process:
        print(f"contract: mock started on http://127.0.0.1:{port} (pid {process.pid})", flush=True)
        yield f"http://127.0.0.1:{port}/api/v1"


@dataclass(frozen=True)
class Quota:
    """What a target's X-RateLimit-* headers say."""

    limit: int
    remaining: int
    seconds_to_reset: float  # from the answer's arrival


def probe(url: str, token: str) -> Quota | None:
    """One List Calls request; the target's quota, or None when it sends no X-RateLimit-* headers."""
    answer = httpx.get(f"{url}/calls", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    try:
        return Quota(
            int(answer.headers["X-RateLimit-Limit"]),
            int(answer.headers["X-RateLimit-Remaining"]),
            float(answer.headers["X-RateLimit-Reset"]) - time.time(),
        )
    except (KeyError, ValueError):
        return None


RATE_UNITS = (("h", 3600), ("m", 60), ("s", 1))


def rate_option(budget: int, window_seconds: float) -> str:
    """schemathesis' `--rate-limit` (a rolling `<n>/<s|m|h>`) that sends at most `budget` requests in
    any `window_seconds`: so at most `budget` in each of the target's fixed windows too."""
    for unit, seconds in RATE_UNITS:
        if window_seconds >= seconds:
            per_unit = budget // math.ceil(window_seconds / seconds)
            if per_unit >= 1:
                return f"{per_unit}/{unit}"
    return f"1/{next(unit for unit, seconds in reversed(RATE_UNITS) if seconds >= window_seconds)}"


def window_length(seconds_to_reset: float) -> float:
    """A fresh window's length from its reset time (which the header rounds up to a whole second): a
    whole number of minutes (the vendor's plans are per minute) when within 2 s of one, else rounded up."""
    minutes = round(seconds_to_reset / 60)
    if minutes >= 1 and abs(seconds_to_reset - 60 * minutes) <= 2:
        return 60.0 * minutes
    return float(max(1, math.ceil(seconds_to_reset)))


def pace(url: str, token: str, sleep: Callable[[float], None] = time.sleep) -> str | None:
    """The `--rate-limit` that keeps a run within the target's limit (None: it states no limit)."""
    quota = probe(url, token)
    if quota is None:
        return None
    if quota.limit < 1:
        raise RefusedTarget(f"The target admits no request (X-RateLimit-Limit: {quota.limit}).")
    if quota.remaining < quota.limit - 1:  # the window was in use: start on a fresh one
        wait = min(max(quota.seconds_to_reset, 0.0) + 0.5, 3600.0)
        print(
            f"contract: the target's rate window is in use: waiting {wait:.0f} s for a fresh one", flush=True
        )
        sleep(wait)
        quota = probe(url, token) or quota
    window = window_length(quota.seconds_to_reset)
    rate = rate_option(max(quota.limit - 1, 1), window)
    print(
        f"contract: the target allows {quota.limit} requests per {window:.0f} s (X-RateLimit-*): "
        f"pacing with --rate-limit {rate}",
        flush=True,
    )
    return rate


def schemathesis_command(url: str, token: str, extra: Sequence[str]) -> list[str]:
    executable = Path(sys.executable).parent / "schemathesis"
    return [
        str(executable),
        "--config-file",
        str(ROOT / "schemathesis.toml"),
        "run",
        str(SPEC),
        "--url",
        url,
        "--header",
        f"Authorization: Bearer {token}",
        *extra,
    ]


def run(url: str, token: str, extra: Sequence[str]) -> int:
    command = schemathesis_command(url, token, extra)
    shown = [
        part if not part.startswith("Authorization:") else "Authorization: Bearer ***" for part in command
    ]
    print("contract: " + " ".join(shown), flush=True)
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=environ.get("URL") or None, help="API base URL, e.g. .../api/v1")
    parser.add_argument("--token", default=environ.get("TOKEN") or None, help="bearer token (talq_...)")
    parser.add_argument("--max-examples", type=int, help="override schemathesis.toml's max-examples")
    parser.add_argument(
        "--rate",
        default=environ.get("RATE") or None,
        help="schemathesis --rate-limit for a URL (e.g. 100/m, or auto: wait out 429s); "
        "default: from the target's X-RateLimit-* headers",
    )
    args = parser.parse_args(argv)
    extra = ["--max-examples", str(args.max_examples)] if args.max_examples else []
    if args.url is None:
        with running_mock() as url:
            return run(url, args.token or MOCK_TOKEN, extra)
    try:
        check_target(args.url, environ)
    except RefusedTarget as refused:
        print(f"contract: {refused}", file=sys.stderr)
        return 2
    if not args.token:
        print("contract: a URL needs a token: make contract URL=... TOKEN=talq_...", file=sys.stderr)
        return 2
    try:
        rate = args.rate or pace(args.url, args.token)
    except httpx.HTTPError as error:
        print(f"contract: cannot reach {args.url}: {error}. Is the server running?", file=sys.stderr)
        return 2
    except RefusedTarget as refused:
        print(f"contract: {refused}", file=sys.stderr)
        return 2
    return run(args.url, args.token, [*extra, *(["--rate-limit", rate] if rate else [])])


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
