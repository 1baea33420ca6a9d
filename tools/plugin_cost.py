"""What the talq_mock fixture costs per test: `make plugin-cost` (figures, not a pass/fail test).

Runs a generated file of TESTS tests that each take `talq_mock` and make one call, with pytest in this
process, and prints the fixture's set-up + teardown time for the first test (it starts the server) and
for the others (a reset over HTTP), plus each test's whole time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest

TEST_SOURCE = """
import httpx

CLIENT = httpx.Client()  # one client for all: httpx.post would build an SSL context per call (~40 ms)

def test_call(talq_mock, n):
    answer = CLIENT.post(
        talq_mock.base_url + "/agents/agent_123456/call",
        json={"to": "+1234567890"},
        headers={"Authorization": f"Bearer {talq_mock.token}"},
    )
    assert answer.status_code == 200
"""


class Recorder:
    def __init__(self) -> None:
        self.phases: dict[str, dict[str, float]] = defaultdict(dict)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.phases[report.nodeid][report.when] = report.duration


def measure(tests: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_cost.py").write_text(TEST_SOURCE, encoding="utf-8")
        Path(folder, "conftest.py").write_text(
            "import pytest\n\n"
            f"@pytest.fixture(params=range({tests}))\ndef n(request):\n    return request.param\n",
            encoding="utf-8",
        )
        recorder = Recorder()
        code = pytest.main(
            [folder, "-q", "-p", "mock_server.pytest_plugin", "-p", "no:cacheprovider", "--rootdir", folder],
            plugins=[recorder],
        )
        if code != 0:
            raise SystemExit(f"the measured tests failed (pytest exit code {code})")
    runs = list(recorder.phases.values())
    fixture = [(run["setup"] + run["teardown"]) * 1000 for run in runs]
    whole = [sum(run.values()) * 1000 for run in runs]
    return {
        "first test: fixture set-up + teardown (ms)": fixture[0],
        "later tests: fixture set-up + teardown, median (ms)": statistics.median(fixture[1:]),
        "later tests: fixture set-up + teardown, mean (ms)": statistics.fmean(fixture[1:]),
        "later tests: fixture set-up + teardown, max (ms)": max(fixture[1:]),
        "later tests: whole test with one call, median (ms)": statistics.median(whole[1:]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.plugin_cost", description=__doc__)
    parser.add_argument("--tests", type=int, default=200, help="how many tests to run (default 200)")
    args = parser.parse_args(argv)
    figures = measure(max(args.tests, 2))
    print(f"\ntalq_mock fixture cost over {args.tests} tests:")
    for name, value in figures.items():
        print(f"  {name:<55} {value:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
