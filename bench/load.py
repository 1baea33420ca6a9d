"""Drive a server with wrk: a Lua script per request kind, results read from the script's done()."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.servers import HEADERS, PATH

MARKER = "BENCH_RESULT "
# wrk calls done() once with the whole run's statistics; latencies are in microseconds.
DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%.0f,"duration_us":%.0f,"bytes":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,'
    .. '"status":%.0f,"timeout":%.0f,"p50":%.0f,"p75":%.0f,"p90":%.0f,"p99":%.0f,"max":%.0f,"mean":%.1f}\\n',
    "MARKER", summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
""".replace("MARKER", MARKER)


class LoadError(Exception):
    """wrk is missing, failed, or printed no result."""


@dataclass(frozen=True)
class Load:
    """One measured wrk run."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int  # wrk's "Non-2xx or 3xx responses"
    socket_errors: int  # connect, read, write errors and timeouts

    @classmethod
    def parse(cls, output: str) -> Load:
        line = next((line for line in output.splitlines() if line.startswith(MARKER)), None)
        if line is None:
            raise LoadError(f"wrk printed no result:\n{output[-2000:]}")
        raw = json.loads(line[len(MARKER) :])
        seconds = raw["duration_us"] / 1e6
        return cls(
            requests=int(raw["requests"]),
            seconds=seconds,
            rps=raw["requests"] / seconds if seconds else 0.0,
            p50_ms=raw["p50"] / 1000,
            p75_ms=raw["p75"] / 1000,
            p90_ms=raw["p90"] / 1000,
            p99_ms=raw["p99"] / 1000,
            max_ms=raw["max"] / 1000,
            non_2xx=int(raw["status"]),
            socket_errors=int(raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]),
        )


def lua_script(body: bytes) -> str:
    """A wrk script that POSTs `body` with the bench headers and reports through done()."""
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body.decode())}"]
    lines += [f'wrk.headers["{name}"] = "{value}"' for name, value in HEADERS.items()]
    return "\n".join(lines) + "\n" + DONE


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise LoadError("wrk is not on PATH: `make bench` installs it with apt-get (Debian's `wrk` package).")
    return found


def run_wrk(base: str, script: Path, connections: int, seconds: int, timeout_s: int = 2) -> Load:
    threads = min(connections, 2)
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout_s}s",
        "--latency",
        "-s",
        str(script),
        base + PATH,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise LoadError(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}")
    return Load.parse(done.stdout)
