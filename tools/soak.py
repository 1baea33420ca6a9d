"""Soak the mock: a fixed time at a fixed concurrency, over real HTTP on 127.0.0.1, with a mix of
valid, invalid, unauthenticated and over-the-limit requests. Every answer is checked against the spec;
the server's memory is sampled; the run fails on any 5xx, connection error, invalid answer, memory
growth over 10% after warm-up, or more stored calls than the configured maximum.

    python -m tools.soak --seconds 60 --concurrency 64      # or: make soak
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson
import psutil

from mock_server.spec.compiled import load_spec
from mock_server.spec.document import DEFAULT_SPEC
from mock_server.testing import free_port
from test_support.processes import mock_command, running
from tools.spec_responses import AnswerChecker

ROOT = Path(__file__).resolve().parent.parent
MAX_CALLS = 5000
CONFIG = f"rate_limit: 600\nrate_window_seconds: 60\nmax_calls: {MAX_CALLS}\n"
MIX = (  # (share, name): what each request is
    (0.40, "valid"),
    (0.25, "invalid"),
    (0.15, "unauthenticated"),
    (0.20, "over_limit"),
)


@dataclass
class Tally:
    requests: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    connection_errors: int = 0
    invalid_answers: list[str] = field(default_factory=list)


def build_request(kind: str, rng: random.Random, worker: int) -> tuple[str, bytes]:
    """(path, raw HTTP/1.1 request) for one request of `kind`."""
    path = f"/api/v1/agents/agent_{rng.randint(1, 50)}/call"
    body: dict[str, object] = {
        "to": "+1234567890",
        "is_testing": rng.random() < 0.5,
        "context": {"soak": worker},
    }
    token = f"talq_soak_{rng.randint(0, 999)}"
    auth = f"Authorization: Bearer {token}\r\n"
    if kind == "invalid":
        body = rng.choice([{"to": "12345"}, {"delay_seconds": 1}, {"to": "+1234567890", "is_testing": "no"}])
    elif kind == "unauthenticated":
        auth = rng.choice(["", "Authorization: Basic x\r\n", "Authorization: Bearer nope\r\n"])
    elif kind == "over_limit":
        auth = "Authorization: Bearer " + rng.choice(["talq_soak_hot", "talq_rate_limited"]) + "\r\n"
    payload = orjson.dumps(body)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return path, head.encode() + payload


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), headers, body


async def worker(
    index: int, port: int, deadline: float, seed: int, tally: Tally, checker: AnswerChecker
) -> None:
    rng = random.Random(seed * 1000 + index)  # noqa: S311 - reproducible load
    kinds, weights = [k for _, k in MIX], [w for w, _ in MIX]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            path, data = build_request(kind, rng, index)
            try:
                writer.write(data)
                await writer.drain()
                status, headers, body = await read_answer(reader)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                tally.connection_errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            tally.requests += 1
            tally.by_kind[kind] += 1
            tally.statuses[status] += 1
            problems = checker.problems(path, "POST", status, headers, body)
            if problems and len(tally.invalid_answers) < 50:
                tally.invalid_answers.append(f"{kind} -> {status}: {problems}")
            elif problems:
                tally.invalid_answers.append("…")
    finally:
        writer.close()


async def drive(
    port: int,
    seconds: float,
    concurrency: int,
    seed: int,
    checker: AnswerChecker,
    process: psutil.Process,
    samples: list[tuple[float, int]],
) -> Tally:
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds

    async def sample() -> None:
        while time.monotonic() < deadline:
            samples.append((time.monotonic() - started, process.memory_info().rss))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    await asyncio.gather(*[worker(i, port, deadline, seed, tally, checker) for i in range(concurrency)])
    await sampler
    return tally


def soak(seconds: float, concurrency: int, seed: int) -> tuple[Tally, dict[str, float]]:
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "soak.yaml"
        config.write_text(CONFIG, encoding="utf-8")
        command = mock_command(port, "--seed", str(seed), "--config", str(config))
        health = f"http://127.0.0.1:{port}/_mock/health"
        with running(command, health, stderr=subprocess.PIPE) as process:
            server = psutil.Process(process.pid)
            rss_start = server.memory_info().rss
            samples: list[tuple[float, int]] = []
            checker = AnswerChecker(load_spec(DEFAULT_SPEC))
            tally = asyncio.run(drive(port, seconds, concurrency, seed, checker, server, samples))
            stored = httpx.get(health, timeout=5).json()["calls"]
            rss_end = server.memory_info().rss
        stderr = process.stderr.read().decode() if process.stderr else ""
    warm = [rss for at, rss in samples if at >= max(seconds * 0.2, min(3.0, seconds / 2))]
    after_warmup = warm[0] if warm else rss_start
    peak = max([rss for _, rss in samples] + [rss_end])
    figures = {
        "seconds": seconds,
        "concurrency": concurrency,
        "rss_start_mib": rss_start / 2**20,
        "rss_after_warmup_mib": after_warmup / 2**20,
        "rss_end_mib": rss_end / 2**20,
        "rss_peak_mib": peak / 2**20,
        "growth_after_warmup": (rss_end - after_warmup) / after_warmup,
        "stored_calls": stored,
        "tracebacks": float("Traceback" in stderr),
    }
    return tally, figures


def verdict(tally: Tally, figures: dict[str, float]) -> list[str]:
    failures = []
    server_errors = sum(count for status, count in tally.statuses.items() if status >= 500)
    if server_errors:
        failures.append(f"{server_errors} answers were 5xx")
    if tally.connection_errors:
        failures.append(f"{tally.connection_errors} connection errors")
    if tally.invalid_answers:
        failures.append(
            f"{len(tally.invalid_answers)} answers invalid against the spec: {tally.invalid_answers[:3]}"
        )
    if figures["growth_after_warmup"] > 0.10:
        failures.append(f"memory grew {figures['growth_after_warmup']:.1%} after warm-up (limit 10%)")
    if figures["stored_calls"] > MAX_CALLS:
        failures.append(f"{figures['stored_calls']} calls stored, more than max_calls={MAX_CALLS}")
    if figures["tracebacks"]:
        failures.append("the mock logged a traceback")
    if set(tally.by_kind) != {kind for _, kind in MIX}:
        failures.append(f"not every kind of request was sent: {dict(tally.by_kind)}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    tally, figures = soak(args.seconds, args.concurrency, args.seed)
    rate = tally.requests / args.seconds
    print(
        f"soak: {tally.requests} requests in {args.seconds:.0f} s at concurrency {args.concurrency} "
        f"({rate:,.0f}/s)"
    )
    print(f"soak: kinds {dict(tally.by_kind)}; statuses {dict(sorted(tally.statuses.items()))}")
    print(
        f"soak: connection errors {tally.connection_errors}; answers invalid against the spec "
        f"{len(tally.invalid_answers)}"
    )
    print(
        f"soak: memory (RSS) start {figures['rss_start_mib']:.1f} MiB, after warm-up "
        f"{figures['rss_after_warmup_mib']:.1f} MiB, end {figures['rss_end_mib']:.1f} MiB, peak "
        f"{figures['rss_peak_mib']:.1f} MiB; growth after warm-up {figures['growth_after_warmup']:+.1%}"
    )
    print(f"soak: calls stored at the end {figures['stored_calls']:.0f} (max_calls {MAX_CALLS})")
    failures = verdict(tally, figures)
    print("soak: PASS" if not failures else "soak: FAIL: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
