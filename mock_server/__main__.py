"""talq-mock (or python -m mock_server): serve the mock (default http://127.0.0.1:4010, no config needed)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import uvicorn
from pydantic import ValidationError

from mock_server.app import create_app
from mock_server.server import is_loopback, server_config
from mock_server.settings import (
    Settings,
    SettingsError,
    build_settings,
    campaign_entries,
    example_agent,
    example_token,
)
from mock_server.spec.document import SpecError
from mock_server.verify.recording import Recording, recording_around
from mock_server.workers import supervise

log = logging.getLogger("mock_server")


def program_name() -> str:
    """How the user started us: `talq-mock` (the console script) or `python -m mock_server`."""
    return "talq-mock" if Path(sys.argv[0]).name.startswith("talq-mock") else "python -m mock_server"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line (not the usage block): what is wrong and where to look."""
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=program_name(), description=__doc__)
    parser.add_argument("--host", help="address to bind (env TALQ_MOCK_HOST; default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, help="port (env TALQ_MOCK_PORT; default 4010; 0 picks a free one)"
    )
    parser.add_argument("--config", type=Path, help="YAML config file (env TALQ_MOCK_CONFIG)")
    parser.add_argument(
        "--spec",
        type=Path,
        help="OpenAPI document (env TALQ_MOCK_SPEC; default the spec shipped with the mock)",
    )
    parser.add_argument(
        "--seed", type=int, help="make call ids and dynamic bodies reproducible (env TALQ_MOCK_SEED)"
    )
    parser.add_argument(
        "--quiet", action="store_true", default=None, help="no per-request log lines (env TALQ_MOCK_QUIET)"
    )
    parser.add_argument(
        "--store",
        help="where the state lives: memory (default) or redis://host:6379/0, shared by every worker "
        "and host that names it (env TALQ_MOCK_STORE)",
    )
    parser.add_argument(
        "--namespace",
        help="the shared store's namespace (env TALQ_MOCK_NAMESPACE; default 'default'; a request's "
        "X-Talq-Namespace header names another)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="processes serving the one port (env TALQ_MOCK_WORKERS; default 1; more needs --store redis://...)",
    )
    parser.add_argument(
        "--ready-file",
        type=Path,
        help="once the mock answers, write its base URL (http://127.0.0.1:<port>) to this file "
        "(for a program that started it; removed on exit)",
    )
    parser.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="write what clients exchanged with the mock, by operation, secrets scrubbed, to FILE on exit "
        "(for talq-mock verify --replay FILE)",
    )
    return parser.parse_args(argv)


def base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def banner(settings: Settings, port: int | None = None) -> str:
    """What to print once the mock listens on `port` (the bound one: never 0)."""
    base = base_url(settings.host, settings.port if port is None else port)
    return (
        f"talq mock serving {settings.spec_path.name} on {base}/api/v1 (and Prism's root paths on {base})\n"
        f"Try it:\n"
        f"  curl -X POST {base}/api/v1/agents/{example_agent(settings)}/call \\\n"
        f"    -H 'Authorization: Bearer {example_token(settings)}' -H 'Content-Type: application/json' \\\n"
        f'    -d \'{{"to": "+1234567890", "is_testing": true}}\'\n'
        f"Inspector (every request, each call's timeline, every webhook attempt): {base}/_mock/\n"
        f"Press Ctrl-C to stop.\n"
        f"{campaigns_line(settings, base)}"
    )


def campaigns_line(settings: Settings, base: str) -> str:
    """The campaigns the mock knows, and where Make Campaign Call queues a call under the first."""
    try:
        entries = campaign_entries(settings)
    except ValidationError:
        return "Campaigns: (the config's campaigns are invalid)"
    if not entries:
        return "Campaigns: none configured."
    names = ", ".join(f"{entry.id} ({entry.name}, {entry.status})" for entry in entries)
    return f"Campaigns: {names}; queue a call with POST {base}/api/v1/campaigns/{entries[0].id}/call"


def exposure_warning(settings: Settings) -> str | None:
    """What to say when the mock listens beyond this machine (None on a loopback bind)."""
    if is_loopback(settings.host):
        return None
    admin = "needs the admin token" if settings.admin_token else "is off (set admin_token to use it)"
    return (
        f"Listening on {settings.host}, beyond this machine: anyone who can reach it can use the mock; "
        f"the admin API (/_mock/) {admin}."
    )


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port (0: a free port), before the server starts: so the port is known
    and a port in use is one clear error rather than a banner followed by a traceback."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(
            socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
        )  # as uvicorn does: TIME_WAIT is no obstacle
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, calling `on_ready` once it listens and the app's start-up has completed, and
    `on_stopped` once it has shut down (before uvicorn re-raises a SIGTERM it caught, which ends the
    process without unwinding the stack)."""

    def __init__(
        self, config: uvicorn.Config, on_ready: Callable[[], None], on_stopped: Callable[[], None]
    ) -> None:
        super().__init__(config)
        self.on_ready = on_ready
        self.on_stopped = on_stopped

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self.on_ready()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().shutdown(sockets)
        finally:
            self.on_stopped()


def write_ready_file(path: Path, url: str) -> None:
    """Write atomically: a reader sees no file or the whole URL, never half of it."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(url + "\n", encoding="utf-8")
    os.replace(partial, path)


def fail(message: str, status: int = 2) -> int:
    print(f"{program_name()}: {message}", file=sys.stderr)
    return status


def subcommand(argv: list[str]) -> int:
    """`proxy` and `check-traffic` (mock_server/proxy/cli.py), `verify` (mock_server/verify/cli.py)."""
    if argv[0] == "verify":
        from mock_server.verify.cli import main as verify_main  # noqa: PLC0415 - only when asked for

        return verify_main(argv[1:])
    from mock_server.proxy.cli import main as proxy_main  # noqa: PLC0415 - only when asked for

    return proxy_main(argv)


def main(argv: list[str] | None = None) -> int:
    command = (sys.argv[1:] if argv is None else argv)[:1]
    if command in (["proxy"], ["check-traffic"], ["verify"]):
        return subcommand(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    overrides = {
        "host": args.host,
        "port": args.port,
        "seed": args.seed,
        "quiet": args.quiet,
        "spec_path": args.spec,
        "store": args.store,
        "namespace": args.namespace,
        "workers": args.workers,
    }
    try:
        settings = build_settings(config=args.config, overrides=overrides)
        if settings.workers > 1 and settings.store == "memory":
            raise SettingsError(
                f"--workers {settings.workers} needs a shared store: workers share no memory, so each would "
                "be a mock of its own. Add --store redis://host:6379/0 (make sandbox starts Redis and two "
                "workers)."
            )
        app = create_app(settings)
    except (SettingsError, SpecError) as error:
        return fail(f"cannot start: {error}")
    ready_file: Path | None = args.ready_file
    record: Path | None = args.record
    for flag, path in (("--ready-file", ready_file), ("--record", record)):
        if path is not None and not path.parent.is_dir():
            return fail(f"cannot write {flag} {path}: its folder does not exist; create it first.")
    recording = Recording()
    served: Any = app if record is None else recording_around(app, recording)
    try:
        sock = bind(settings.host, settings.port)
    except OSError as error:
        reason = error.strerror or str(error)
        return fail(
            f"cannot listen on {settings.host}:{settings.port}: {reason}. Stop the program using it, "
            f"or choose another port with --port (0 picks a free one).",
            status=1,
        )
    port: int = sock.getsockname()[1]
    logging.basicConfig(
        level=logging.WARNING if settings.quiet else logging.INFO,
        format="%(asctime)s %(name)s %(message)s",
        stream=sys.stderr,
    )

    first = [True]  # the first worker (or the only process) announces; the others serve quietly

    def announce() -> None:
        if not first[0]:
            return
        print(banner(settings, port), flush=True)
        warning = exposure_warning(settings)
        if warning:
            log.warning("%s", warning)
        if ready_file is not None:
            write_ready_file(ready_file, base_url(settings.host, port))

    def withdraw() -> None:
        if ready_file is not None:
            ready_file.unlink(missing_ok=True)  # a stale file would name a dead server
        if record is not None and not recording.written:
            recording.write(record)
            print(
                f"{program_name()}: {len(recording.exchanges)} exchanges recorded in {record}",
                file=sys.stderr,
            )

    def serve(index: int = 0) -> int:
        first[0] = index == 0
        server = AnnouncingServer(server_config(served, settings), on_ready=announce, on_stopped=withdraw)
        try:
            with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once it has shut down
                server.run(sockets=[sock])
        finally:
            sock.close()
            if server.started:
                withdraw()
        return 0 if server.started else 1

    if settings.workers == 1:
        return serve()
    return supervise(settings.workers, serve, withdraw)


if __name__ == "__main__":
    raise SystemExit(main())
