"""Build the proxy and run it under the mock's hardened server (uvicorn + the guarded protocol)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import uvicorn

from mock_server.proxy.config import ProxySettings
from mock_server.proxy.forward import ProxyApp
from mock_server.proxy.report import Report
from mock_server.proxy.validate import Checker
from mock_server.server import server_config
from mock_server.spec.compiled import load_spec

START_TIMEOUT_SECONDS = 10.0


def build_proxy(settings: ProxySettings, transport: httpx.AsyncBaseTransport | None = None) -> ProxyApp:
    """Load and compile the spec once; a fresh report. `transport`: how to reach the upstream (default:
    `upstream.transport_for` the upstream's scheme)."""
    return ProxyApp(settings, Checker(load_spec(settings.spec_path)), Report(settings.upstream), transport)


def proxy_server_config(app: Any, settings: ProxySettings, loop: str = "uvloop") -> uvicorn.Config:
    config = server_config(app, settings.server_settings(), loop=loop)
    config.date_header = False  # the upstream's Date passes through; a second one would be added
    return config


@dataclass(frozen=True)
class LiveProxy:
    app: ProxyApp
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def report(self) -> Report:
        return self.app.report


@contextlib.contextmanager
def in_thread(server: uvicorn.Server, name: str) -> Iterator[int]:
    """Run `server` in a thread until the block ends; yields the port it bound."""
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start within {START_TIMEOUT_SECONDS:g} s on 127.0.0.1.")
        time.sleep(0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@contextlib.contextmanager
def serving(
    settings: ProxySettings, loop: str = "asyncio", transport: httpx.AsyncBaseTransport | None = None
) -> Iterator[LiveProxy]:
    """Run a proxy on a free port of 127.0.0.1 in this process until the block ends (tests, bench)."""
    settings = replace(settings, host="127.0.0.1", port=0)
    app = build_proxy(settings, transport)
    with in_thread(uvicorn.Server(proxy_server_config(app, settings, loop=loop)), "talq-proxy") as port:
        yield LiveProxy(app, settings.host, port)
