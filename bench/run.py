"""The benchmark procedure: for each server in turn, start-up (median of N), then the load matrix.

1. check the tools: wrk on PATH, Prism in node_modules
2. for each server (mock, Prism, ceiling):
   a. start it N times; each time the seconds from spawn to the first 200 of the valid request
   b. start it once more for load; check the valid request gets 200 and the invalid-phone one
      its expected status (400; the ceiling answers 200 to everything); note its idle RSS
   c. for each request kind and concurrency: a warm-up run, then the measured run, with the
      tree's RSS sampled every 100 ms (peak during the run)
   d. RSS after load: one second after the last run
3. the CI cost: `make check-generated` and the test suite, timed
4. the table on stdout; reports/bench.json, bench.md and bench.png
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from bench.load import LoadError, lua_script, run_wrk, wrk_path
from bench.report import write_reports
from bench.servers import (
    INVALID_BODY,
    MIB,
    PRISM,
    ROOT,
    SERVERS,
    VALID_BODY,
    RssSampler,
    Running,
    Server,
    ServerError,
    tree_cpu,
    tree_rss,
)
from test_support.redis_server import RedisServer

REQUESTS = {"valid": VALID_BODY, "invalid": INVALID_BODY}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmark the mock (issue 6).")
    parser.add_argument("--duration", type=int, default=8, help="seconds measured per cell (default 8)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per cell (default 2)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64], help="default: 1 16 64")
    parser.add_argument("--starts", type=int, default=5, help="starts timed per server (default 5)")
    parser.add_argument("--servers", nargs="+", default=[s.name for s in SERVERS], help="default: all four")
    parser.add_argument("--skip-ci-cost", action="store_true", help="do not time the drift check and tests")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="report folder (default reports/)")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def shared_store(folder: str) -> RedisServer:
    """The redis-server of the Redis rows (AOF on, fsync every second as the README's config), in
    the bench's temp folder."""
    data = Path(folder) / "redis"
    data.mkdir()
    redis = RedisServer(data, appendfsync="everysec")
    redis.start()
    return redis


def startup_times(server: Server, starts: int, store: str | None = None) -> list[float]:
    times = []
    for _ in range(starts):
        with Running(server, store) as running:
            times.append(running.wait_ready())
    return times


def load_server(
    server: Server, args: argparse.Namespace, scripts: dict[str, Path], redis: RedisServer | None = None
) -> dict[str, Any]:
    """Steps 2b-2d for one server: its summary and its cells (with the CPU each request cost the
    server's process tree and, on the shared store, Redis)."""
    cells: list[dict[str, Any]] = []
    store = redis.url if redis is not None and server.on_redis else None
    redis_process = psutil.Process(redis.process.pid) if store and redis and redis.process else None
    with Running(server, store) as running:
        running.wait_ready()
        checks = {kind: running.status_of(body) for kind, body in REQUESTS.items()}
        expected = {"valid": 200, "invalid": server.expects_invalid}
        idle = tree_rss(running.process_info())
        sampler = RssSampler(running.process.pid).start()
        try:
            for kind, script in scripts.items():
                for connections in args.concurrency:
                    if args.warmup > 0:
                        run_wrk(running.base, script, connections, args.warmup)
                    sampler.reset()
                    cpu = tree_cpu(running.process_info())
                    redis_cpu = tree_cpu(redis_process) if redis_process is not None else 0.0
                    load = run_wrk(running.base, script, connections, args.duration)
                    per_request = 1e6 / max(load.requests, 1)
                    cpu_us = (tree_cpu(running.process_info()) - cpu) * per_request
                    redis_us = (
                        (tree_cpu(redis_process) - redis_cpu) * per_request
                        if redis_process is not None
                        else None
                    )
                    expected_non_2xx = load.requests if expected[kind] >= 300 else 0
                    cells.append(
                        {
                            "server": server.name,
                            "request": kind,
                            "concurrency": connections,
                            **load.__dict__,
                            "unexpected_status": abs(load.non_2xx - expected_non_2xx),
                            "rss_peak_mib": sampler.peak() / MIB,
                            "cpu_us_per_request": cpu_us,
                            "redis_cpu_us_per_request": redis_us,
                        }
                    )
                    log(
                        f"{server.name:8} {kind:7} c={connections:<3} {load.rps:9.0f} req/s "
                        f"p99 {load.p99_ms:7.2f} ms, CPU {cpu_us:6.0f} us/req"
                        + (f" (+ Redis {redis_us:4.0f} us/req)" if redis_us is not None else "")
                    )
            time.sleep(1.0)
            after = tree_rss(running.process_info())
        finally:
            sampler.stop()
    summary = {
        "label": server.label,
        "status_checks": checks,
        "expected_status": expected,
        "status_ok": checks == expected,
        "rss_idle_mib": idle / MIB,
        "rss_peak_mib": max((cell["rss_peak_mib"] for cell in cells), default=0.0),
        "rss_after_mib": after / MIB,
    }
    return {"summary": summary, "cells": cells}


def timed(command: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return {
        "command": " ".join(command),
        "seconds": time.perf_counter() - started,
        "ok": done.returncode == 0,
        "tail": (done.stdout + done.stderr).strip().splitlines()[-1 if done.returncode == 0 else -15 :],
    }


def ci_cost() -> dict[str, Any]:
    log("timing `make check-generated` (regeneration + drift check)")
    generated = timed(["make", "--no-print-directory", "check-generated"])
    suite = ["contract_tests"] if (ROOT / "contract_tests").is_dir() else []
    log(f"timing the test suite ({' '.join(['pytest -q', *suite])})")
    tests = timed([str(Path(sys.executable).parent / "pytest"), "-q", "-p", "no:cacheprovider", *suite])
    return {"check_generated": generated, "tests": tests}


def tool_versions() -> dict[str, str]:
    def first_line(command: list[str]) -> str:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        return (done.stdout + done.stderr).strip().splitlines()[0] if (done.stdout + done.stderr) else "?"

    return {
        "wrk": first_line([wrk_path(), "-v"]),
        "prism": first_line([str(PRISM), "--version"]),
        "python": platform.python_version(),
        "node": first_line(["node", "--version"]),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    try:
        wrk_path()
        if not PRISM.exists():
            raise ServerError(f"{PRISM} is missing: run `make setup` (npm ci installs Prism 5.16.0).")
    except (LoadError, ServerError) as error:
        print(f"make bench: {error}", file=sys.stderr)
        return 2
    servers = [server for server in SERVERS if server.name in args.servers]
    results: dict[str, Any] = {
        "meta": {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "concurrency": args.concurrency,
            "starts": args.starts,
            "tools": tool_versions(),
        },
        "servers": {},
        "cells": [],
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        scripts = {}
        for kind, body in REQUESTS.items():
            scripts[kind] = Path(folder) / f"{kind}.lua"
            scripts[kind].write_text(lua_script(body))
        try:
            redis = shared_store(folder) if any(server.on_redis for server in servers) else None
            for server in servers:
                store = redis.url if redis is not None and server.on_redis else None
                log(f"{server.name}: {args.starts} starts to the first 200")
                times = startup_times(server, args.starts, store)
                log(f"{server.name}: start-up median {statistics.median(times):.3f} s; load")
                measured = load_server(server, args, scripts, redis)
                measured["summary"]["startup_s"] = times
                measured["summary"]["startup_median_s"] = statistics.median(times)
                results["servers"][server.name] = measured["summary"]
                results["cells"].extend(measured["cells"])
        except (LoadError, ServerError, RuntimeError) as error:
            print(f"make bench: {error}", file=sys.stderr)
            return 1
        finally:
            if redis is not None:
                redis.stop()
    results["ci_cost"] = None if args.skip_ci_cost else ci_cost()
    results["meta"]["wall_s"] = time.perf_counter() - began
    table = write_reports(results, args.out)
    print(table)
    return 0
