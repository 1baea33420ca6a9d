"""Replay the black-box cases against Prism 5.16.0 and the mock, side by side, and report every
difference. Each case says how Prism answers where we differ on purpose (its `prism:` entry); any
other difference fails the run.

    python tools/prism_compare.py        # or: make prism-compare
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from mock_server.settings import Settings
from mock_server.testing import free_port, serve
from test_support.blackbox import Case, Observed, load_cases, mismatches, send
from test_support.processes import running

ROOT = Path(__file__).resolve().parent.parent
PRISM = ROOT / "node_modules" / ".bin" / "prism"
SPEC = ROOT / "openapi" / "talq.yaml"
HANG_SECONDS = 3.0


@contextlib.contextmanager
def prism() -> Iterator[str]:
    """Prism on a free port of 127.0.0.1, quiet; yields its base URL."""
    if not PRISM.exists():
        raise SystemExit(f"{PRISM} is missing: run `make setup` (it installs Prism from package-lock.json).")
    port = free_port()
    command = [
        str(PRISM),
        "mock",
        "-p",
        str(port),
        "-h",
        "127.0.0.1",
        "--errors=false",
        "-v",
        "error",
        str(SPEC),
    ]
    url = f"http://127.0.0.1:{port}"
    with running(command, url + "/", timeout=30):
        yield url


@dataclass(frozen=True)
class Comparison:
    case: Case
    mock: Observed
    prism: Observed
    mock_problems: list[str]
    prism_problems: list[str]

    @property
    def expected_difference(self) -> str | None:
        return None if self.case.prism is None else str(self.case.prism.get("why", ""))


def prism_expectation(case: Case) -> dict[str, object]:
    """What Prism must answer: the case's `prism:` entry where we differ on purpose, else the same
    status (and error code, for answers from the spec) as the mock."""
    if case.prism is not None:
        return {key: value for key, value in case.prism.items() if key in {"status", "code"}}
    expect: dict[str, object] = {"status": case.expect["status"]}
    if "code" in case.expect and not case.expect.get("content_type"):
        expect["code"] = case.expect["code"]  # Prism's own problem kinds are not compared
    return expect


def compare() -> list[Comparison]:
    results: list[Comparison] = []
    with prism() as prism_url, httpx.Client(timeout=HANG_SECONDS) as client:
        for case in load_cases():
            with serve(replace(Settings(seed=7), **case.settings)) as mock:
                ours = send(client, mock.url, case, strip_prefix=True)
            theirs = send(client, prism_url, case, strip_prefix=True)
            results.append(
                Comparison(
                    case,
                    ours,
                    theirs,
                    mismatches(case.expect, ours),
                    mismatches(prism_expectation(case), theirs),
                )
            )
    return results


def main() -> int:
    results = compare()
    unexpected = 0
    for result in results:
        verdict = "same" if result.expected_difference is None else "differs on purpose"
        if result.mock_problems or result.prism_problems:
            verdict, unexpected = "UNEXPECTED", unexpected + 1
        print(
            f"{verdict:>18}  {result.case.name}: mock {result.mock.status} {result.mock.code or ''} | "
            f"prism {result.prism.status} {result.prism.code or ''}"
        )
        for problem in result.mock_problems:
            print(f"{'':>20}mock: {problem}")
        for problem in result.prism_problems:
            print(f"{'':>20}prism: {problem}")
        if result.expected_difference and not (result.mock_problems or result.prism_problems):
            print(f"{'':>20}why: {result.expected_difference}")
    print(f"{len(results)} cases, {unexpected} unexpected difference(s).")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
