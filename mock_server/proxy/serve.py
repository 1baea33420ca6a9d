"""Build the proxy and run it under the mock's hardened server (uvicorn + the guarded protocol)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import uvicorn

from mock_server.proxy.config import ProxySettings
from mock_server.proxy.forward import ProxyApp
from mock_server.proxy.report import Report
from mock_server.proxy.validate import Checker
from mock_server.server import in_thread, server_config
from mock_server.spec.compiled import load_spec


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
def serving(
    settings: ProxySettings, loop: str = "asyncio", transport: httpx.AsyncBaseTransport | None = None
) -> Iterator[LiveProxy]:
    """Run a proxy on a free port of 127.0.0.1 in this process until the block ends (tests, bench)."""
    settings = replace(settings, host="127.0.0.1", port=0)
    app = build_proxy(settings, transport)
    with in_thread(proxy_server_config(app, settings, loop=loop), "talq-proxy") as port:
        yield LiveProxy(app, settings.host, port)
