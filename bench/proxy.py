"""The validating proxy's cost: the mock measured directly and through the proxy, in one run.

    python -m bench.proxy                          # make bench-proxy: ~1 min; reports/bench-proxy.{json,md}
    python -m bench.proxy --duration 3 --warmup 1  # a quicker look

1. start the mock (`python -m mock_server --quiet --config bench/mock.yaml`) and, in front of it,
   the proxy (`python -m mock_server proxy --upstream <mock> --quiet`), each its own process
2. check: the valid request gets 200 and the invalid-phone one 400, directly and through the proxy
3. for each request kind and concurrency: wrk against the mock, then against the proxy (warm-up,
   then the measured run), alternating so that other load on the machine hits both alike
4. the table, the targets (issue 12: the proxy adds <= 1 ms at p50, and keeps >= half the mock's
   requests/s at c=16) each MET or MISSED, and reports/bench-proxy.{json,md}
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load import Load, lua_script, run_wrk
from bench.servers import INVALID_BODY, ROOT, SERVERS, VALID_BODY, Running, Server, ServerError

MOCK = next(server for server in SERVERS if server.name == "mock")
REQUESTS = {"valid": VALID_BODY, "invalid": INVALID_BODY}
MAX_ADDED_P50_MS = 1.0
MIN_THROUGHPUT_RATIO = 0.5


@dataclass(frozen=True)
class ProxyServer(Server):
    upstream: str = ""

    def command(self, port: int, store: str | None = None) -> list[str]:
        return [
            sys.executable,
            "-m",
            "mock_server",
            "proxy",
            "--upstream",
            self.upstream,
            "--port",
            str(port),
            "--quiet",
        ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.proxy", description="The proxy's cost (issue 12).")
    parser.add_argument("--duration", type=int, default=8, help="seconds measured per cell (default 8)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per cell (default 2)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16], help="default: 1 16")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="report folder (default reports/)")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[bench.proxy {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(base: str, script: Path, concurrency: int, args: argparse.Namespace) -> Load:
    run_wrk(base, script, concurrency, args.warmup)
    return run_wrk(base, script, concurrency, args.duration)


def targets(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    by_key = {(c["request"], c["concurrency"], c["via"]): c for c in cells}
    for request in REQUESTS:
        for concurrency in sorted({c["concurrency"] for c in cells}):
            direct, proxied = by_key[request, concurrency, "direct"], by_key[request, concurrency, "proxy"]
            added = proxied["p50_ms"] - direct["p50_ms"]
            found.append(
                {
                    "target": f"{request} c={concurrency}: p50 added <= {MAX_ADDED_P50_MS:g} ms",
                    "value": f"{added:+.2f} ms ({direct['p50_ms']:.2f} -> {proxied['p50_ms']:.2f})",
                    "met": added <= MAX_ADDED_P50_MS,
                }
            )
            if concurrency == 16:
                ratio = proxied["rps"] / direct["rps"] if direct["rps"] else 0.0
                found.append(
                    {
                        "target": f"{request} c=16: requests/s through the proxy >= "
                        f"{MIN_THROUGHPUT_RATIO:.0%} of direct",
                        "value": f"{ratio:.0%} ({proxied['rps']:,.0f} of {direct['rps']:,.0f})",
                        "met": ratio >= MIN_THROUGHPUT_RATIO,
                    }
                )
    return found


def markdown(data: dict[str, Any]) -> str:
    lines = [
        f"# The proxy's cost ({data['when']})",
        "",
        f"{data['machine']}; wrk on the same machine; {data['duration']} s measured per cell after "
        f"{data['warmup']} s of warm-up; POST /agents/agent_123456/call.",
        "",
        "| request | c | via | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {c['request']} | {c['concurrency']} | {c['via']} | {c['rps']:,.0f} | {c['p50_ms']:.2f} | "
        f"{c['p90_ms']:.2f} | {c['p99_ms']:.2f} | {c['max_ms']:.1f} | {c['non_2xx']} | {c['socket_errors']} |"
        for c in data["cells"]
    ]
    lines += ["", "| target | measured | |", "| --- | --- | --- |"]
    lines += [
        f"| {t['target']} | {t['value']} | {'MET' if t['met'] else 'MISSED'} |" for t in data["targets"]
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cells: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder, Running(MOCK) as mock:
        mock.wait_ready()
        proxy_server = ProxyServer("proxy", "proxy in front of the mock", 400, upstream=mock.base)
        with Running(proxy_server) as proxy:
            proxy.wait_ready()
            for running in (mock, proxy):
                got = (running.status_of(VALID_BODY), running.status_of(INVALID_BODY))
                if got != (200, 400):
                    raise ServerError(f"{running.server.name} answered {got}, expected (200, 400)")
            scripts = {}
            for kind, body in REQUESTS.items():
                scripts[kind] = Path(folder) / f"{kind}.lua"
                scripts[kind].write_text(lua_script(body), encoding="utf-8")
            for kind in REQUESTS:
                for concurrency in args.concurrency:
                    for via, running in (("direct", mock), ("proxy", proxy)):
                        load = measure(running.base, scripts[kind], concurrency, args)
                        log(f"{kind} c={concurrency} {via}: {load.rps:,.0f} req/s, p50 {load.p50_ms:.2f} ms")
                        cells.append(
                            {"request": kind, "concurrency": concurrency, "via": via, **asdict(load)}
                        )
    data = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end",
        "duration": args.duration,
        "warmup": args.warmup,
        "cells": cells,
        "targets": targets(cells),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench-proxy.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    text = markdown(data)
    (args.out / "bench-proxy.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(target["met"] for target in data["targets"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
