"""The inspector's cost on the request path: the mock before the inspector existed, the mock with no
inspector page open, and with one page streaming every request (issue 20).

    python -m bench.inspector                          # part of make bench; reports/bench-inspector.{json,md}
    python -m bench.inspector --duration 3 --rounds 1  # a quicker look

1. the baseline: the commit before `mock_server/inspector/` was added (`git archive` into a temp
   folder), run with this venv; and this tree's mock; both `--quiet --config bench/mock.yaml`
2. per round, at each concurrency: wrk (valid Make a Call) against the baseline, against this mock
   with no page open, and against this mock while one client reads `/_mock/ui/stream` (the Requests
   page's server-sent events: one rendered row per request); rounds alternate so that other load on
   the machine hits each alike; the median of the rounds is reported
3. per cell, the requests/s and the server's CPU time per request (user + system of its process,
   from psutil, over the measured run); the targets are judged on the CPU per request, which other
   work on a shared machine hardly moves (requests/s move with it: they are shown, not judged):
   no page open costs <= 103 % of the baseline's (no drop beyond noise); one page streaming costs
   <= 105 % of no page open (at most 5 % drop)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.load import lua_script, run_wrk
from bench.servers import MOCK_CONFIG, ROOT, SERVERS, VALID_BODY, Running, Server

MOCK = next(server for server in SERVERS if server.name == "mock")
MAX_NO_PAGE_COST = 1.03
MAX_STREAMING_COST = 1.05


@dataclass(frozen=True)
class BaselineServer(Server):
    """The mock of another commit (its sources in `folder`), run with this venv."""

    folder: str = ""

    def command(self, port: int, store: str | None = None) -> list[str]:
        start = (
            f"import sys; sys.path.insert(0, {self.folder!r}); from mock_server.__main__ import main; main()"
        )
        return [sys.executable, "-c", start, "--port", str(port), "--quiet", "--config", str(MOCK_CONFIG)]


def baseline_commit() -> str:
    """The parent of the commit that added the inspector."""
    added = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", "mock_server/inspector/__init__.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    if not added:
        raise SystemExit("bench.inspector: no commit adds mock_server/inspector/ in this history")
    return added[-1] + "~1"


def extract(commit: str, folder: Path) -> None:
    archive = folder / "baseline.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", commit, "mock_server", "openapi"], cwd=ROOT, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")


class PageReader(threading.Thread):
    """One open Requests page: reads the server-sent events until stopped; counts the rows."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.rows = 0
        self.ready = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server stopping ends the page too
            self._read()

    def _read(self) -> None:
        with (
            httpx.Client(timeout=httpx.Timeout(5.0, read=60.0)) as client,
            client.stream("GET", self.base + "/_mock/ui/stream") as stream,
        ):
            self.ready.set()
            for line in stream.iter_lines():
                if line == "event: request":
                    self.rows += 1
                if self.stop.is_set():
                    return


def log(message: str) -> None:
    print(f"[bench.inspector {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.inspector", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds measured per cell (default 8)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per cell (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[16], help="default: 16")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="report folder (default reports/)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    commit = baseline_commit()
    runs: dict[tuple[str, int], list[float]] = {}
    costs: dict[tuple[str, int], list[float]] = {}  # server CPU microseconds per request
    streamed: list[tuple[int, int]] = []  # (rows the page got, requests wrk sent)
    with tempfile.TemporaryDirectory() as folder:
        extract(commit, Path(folder))
        script = Path(folder) / "valid.lua"
        script.write_text(lua_script(VALID_BODY), encoding="utf-8")
        baseline_server = BaselineServer(
            "baseline", f"mock before the inspector ({commit})", 400, folder=folder
        )
        with Running(baseline_server) as baseline, Running(MOCK) as mock:
            baseline.wait_ready()
            mock.wait_ready()
            for number in range(1, args.rounds + 1):
                for concurrency in args.concurrency:
                    for variant in ("baseline", "no page open", "one page streaming"):
                        running = baseline if variant == "baseline" else mock
                        reader = None
                        if variant == "one page streaming":
                            reader = PageReader(mock.base)
                            reader.start()
                            reader.ready.wait(10)
                            time.sleep(0.2)
                        run_wrk(running.base, script, concurrency, args.warmup)
                        before = reader.rows if reader else 0
                        process = psutil.Process(running.process.pid)
                        cpu = sum(process.cpu_times()[:2])
                        load = run_wrk(running.base, script, concurrency, args.duration)
                        cpu = sum(process.cpu_times()[:2]) - cpu
                        costs.setdefault((variant, concurrency), []).append(cpu * 1e6 / max(load.requests, 1))
                        if reader is not None:
                            time.sleep(0.5)
                            streamed.append((reader.rows - before, load.requests))
                            reader.stop.set()
                        runs.setdefault((variant, concurrency), []).append(load.rps)
                        log(
                            f"round {number} c={concurrency} {variant}: {load.rps:,.0f} req/s, "
                            f"{costs[variant, concurrency][-1]:.0f} us CPU per request"
                        )
                        time.sleep(0.5)
    cells: list[dict[str, Any]] = [
        {
            "variant": variant,
            "concurrency": c,
            "rps_median": statistics.median(values),
            "rps_runs": values,
            "cpu_us_per_request_median": statistics.median(costs[variant, c]),
            "cpu_us_per_request_runs": costs[variant, c],
        }
        for (variant, c), values in runs.items()
    ]
    found = []
    for concurrency in args.concurrency:
        cost: dict[str, float] = {
            cell["variant"]: cell["cpu_us_per_request_median"]
            for cell in cells
            if cell["concurrency"] == concurrency
        }
        no_page = cost["no page open"] / cost["baseline"]
        streaming = cost["one page streaming"] / cost["no page open"]
        found += [
            {"target": f"c={concurrency}: CPU per request, no page open <= {MAX_NO_PAGE_COST:.0%} "
             "of baseline",
             "value": f"{no_page:.1%}", "met": no_page <= MAX_NO_PAGE_COST},
            {"target": f"c={concurrency}: CPU per request, one page streaming <= {MAX_STREAMING_COST:.0%} of "
             "no page open", "value": f"{streaming:.1%}", "met": streaming <= MAX_STREAMING_COST},
        ]  # fmt: skip
    data = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end",
        "baseline": commit,
        "duration": args.duration,
        "rounds": args.rounds,
        "cells": cells,
        "streamed_rows": [{"rows": rows, "requests": sent} for rows, sent in streamed],
        "targets": found,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench-inspector.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    text = markdown(data)
    (args.out / "bench-inspector.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(target["met"] for target in found) else 1


def markdown(data: dict[str, Any]) -> str:
    lines = [
        f"# The inspector's cost ({data['when']})",
        "",
        f"{data['machine']}; wrk on the same machine; valid Make a Call; {data['duration']} s per cell, "
        f"median of {data['rounds']} alternating rounds; baseline: the mock at {data['baseline']}.",
        "",
        "| variant | c | server CPU per request (median) | runs | req/s (median) | runs |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {c['variant']} | {c['concurrency']} | {c['cpu_us_per_request_median']:.0f} us | "
        + ", ".join(f"{value:.0f}" for value in c["cpu_us_per_request_runs"])
        + f" | {c['rps_median']:,.0f} | "
        + ", ".join(f"{value:,.0f}" for value in c["rps_runs"])
        + " |"
        for c in data["cells"]
    ]
    rows = ", ".join(f"{item['rows']:,} of {item['requests']:,}" for item in data["streamed_rows"])
    lines += ["", f"Rows the open page received, of the requests sent: {rows}.", ""]
    lines += ["| target | measured | |", "| --- | --- | --- |"]
    lines += [
        f"| {t['target']} | {t['value']} | {'MET' if t['met'] else 'MISSED'} |" for t in data["targets"]
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
