"""`make sandbox`: one mock for a whole team on this machine: a redis-server (AOF on, its data in
`.sandbox/redis`, port 6390 of 127.0.0.1) and two mock workers on one port sharing it. Ctrl-C stops
both; the data stays for the next start (`rm -rf .sandbox` forgets it)."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from pathlib import Path

from test_support.redis_server import RedisServer

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=4010, help="the mock's port (default 4010)")
    parser.add_argument("--redis-port", type=int, default=6390, help="Redis's port (default 6390)")
    parser.add_argument("--workers", type=int, default=2, help="mock processes on the port (default 2)")
    parser.add_argument("--data", type=Path, default=ROOT / ".sandbox" / "redis", help="Redis's data dir")
    args, rest = parser.parse_known_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    redis = RedisServer(args.data, args.redis_port)
    try:
        redis.start()
    except RuntimeError as error:
        print(
            f"make sandbox: {error} (is another Redis on port {args.redis_port}? use --redis-port)",
            file=sys.stderr,
        )
        return 1
    print(
        f"make sandbox: Redis on {redis.url} (AOF in {args.data}); {args.workers} mock workers share it",
        flush=True,
    )
    command = [sys.executable, "-m", "mock_server", "--port", str(args.port), "--store", redis.url]
    command += ["--workers", str(args.workers), *rest]
    mock = subprocess.Popen(command, cwd=ROOT)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: mock.terminate())
    try:
        return mock.wait()
    except KeyboardInterrupt:  # Ctrl-C reached the workers too: they stop on their own
        return mock.wait(timeout=30)
    finally:
        if mock.poll() is None:
            mock.terminate()
            mock.wait(timeout=30)
        redis.stop()


if __name__ == "__main__":
    raise SystemExit(main())
