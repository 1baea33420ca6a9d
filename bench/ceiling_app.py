"""The ceiling: a bare ASGI app answering a constant 200 JSON body, served like the mock.

Same server stack and options as `python -m mock_server` (uvicorn, uvloop, httptools, no access
log), so the gap between the two is what the mock's own request path costs.
"""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn

BODY = (
    b'{"success":true,"data":{"id":"call_789012","agent_id":"agent_123456","to":"+1234567890",'
    b'"status":"initiated","created_at":"2024-01-15T10:30:00Z"}}'
)
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())],
}
END = {"type": "http.response.body", "body": BODY}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:  # drain the request body, as any real handler would
        message = await receive()
        more = message.get("more_body", False) and message["type"] == "http.request"
    await send(START)
    await send(END)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ceiling_app", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=5,
        timeout_graceful_shutdown=2,
        server_header=False,
        date_header=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
