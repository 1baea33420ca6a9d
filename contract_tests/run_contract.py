"""`make contract`: run the schemathesis CLI with schemathesis.toml against a base URL, or the mock.

    python contract_tests/run_contract.py                          # start the mock, check it, stop it
    python contract_tests/run_contract.py --url http://127.0.0.1:4010/api/v1 --token talq_demo

Only localhost is a target unless TALQ_CONTRACT_ALLOW_REMOTE=1 is set: each request the real API
accepts places a real phone call (and spends credits), and a contract run sends hundreds.
The JUnit report goes to reports/contract-junit.xml (see schemathesis.toml).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

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
    return run(args.url, args.token, extra)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
