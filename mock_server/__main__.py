"""python -m mock_server: serve the mock (default http://127.0.0.1:4010, no configuration needed)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from pathlib import Path

import uvicorn

from mock_server.app import create_app
from mock_server.server import is_loopback, server_config
from mock_server.settings import Settings, SettingsError, build_settings
from mock_server.spec.document import SpecError

log = logging.getLogger("mock_server")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m mock_server", description=__doc__)
    parser.add_argument("--host", help="address to bind (env TALQ_MOCK_HOST; default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, help="port (env TALQ_MOCK_PORT; default 4010; 0 picks a free one)"
    )
    parser.add_argument("--config", type=Path, help="YAML config file (env TALQ_MOCK_CONFIG)")
    parser.add_argument(
        "--spec", type=Path, help="OpenAPI document (env TALQ_MOCK_SPEC; default openapi/talq.yaml)"
    )
    parser.add_argument(
        "--seed", type=int, help="make call ids and dynamic bodies reproducible (env TALQ_MOCK_SEED)"
    )
    parser.add_argument(
        "--quiet", action="store_true", default=None, help="no per-request log lines (env TALQ_MOCK_QUIET)"
    )
    return parser.parse_args(argv)


def banner(settings: Settings) -> str:
    base = f"http://{settings.host}:{settings.port}"
    return (
        f"talq mock serving {settings.spec_path.name} on {base}/api/v1 (and Prism's root paths on {base})\n"
        f"Try it:\n"
        f"  curl -X POST {base}/api/v1/agents/agent_123456/call \\\n"
        f"    -H 'Authorization: Bearer talq_demo' -H 'Content-Type: application/json' \\\n"
        f'    -d \'{{"to": "+1234567890", "is_testing": true}}\'\n'
        f"Press Ctrl-C to stop."
    )


def exposure_warning(settings: Settings) -> str | None:
    """What to say when the mock listens beyond this machine (None on a loopback bind)."""
    if is_loopback(settings.host):
        return None
    admin = "needs the admin token" if settings.admin_token else "is off (set admin_token to use it)"
    return (
        f"Listening on {settings.host}, beyond this machine: anyone who can reach it can use the mock; "
        f"the admin API (/_mock/) {admin}."
    )


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv)[:1] in (["proxy"], ["check-traffic"]):
        from mock_server.proxy.cli import main as proxy_main  # noqa: PLC0415 - only when asked for

        return proxy_main(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    overrides = {
        "host": args.host,
        "port": args.port,
        "seed": args.seed,
        "quiet": args.quiet,
        "spec_path": args.spec,
    }
    try:
        settings = build_settings(config=args.config, overrides=overrides)
        app = create_app(settings)
    except (SettingsError, SpecError) as error:
        print(f"talq mock: cannot start: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.WARNING if settings.quiet else logging.INFO,
        format="%(asctime)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    print(banner(settings), flush=True)
    warning = exposure_warning(settings)
    if warning:
        log.warning("%s", warning)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once it has shut down cleanly
        uvicorn.Server(server_config(app, settings)).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
