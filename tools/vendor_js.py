"""Copy the inspector's pinned JavaScript (htmx and its SSE extension, from node_modules as
package-lock.json pins them) into mock_server/inspector/static, byte for byte, with their licences.

    python -m tools.vendor_js           # copy (after changing the pins in package.json and npm ci)
    python -m tools.vendor_js --check   # exit 1 naming each file that differs from node_modules

The mock serves these files itself (no CDN): the inspector works offline. tests/inspector checks the
copies against node_modules."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "mock_server" / "inspector" / "static"
# (npm package, file in it, name in static/)
VENDORED = (
    ("htmx.org", "dist/htmx.min.js", "htmx.min.js"),
    ("htmx.org", "LICENSE", "htmx.LICENSE.txt"),
    ("htmx-ext-sse", "dist/sse.min.js", "htmx-ext-sse.min.js"),
    ("htmx-ext-sse", "LICENSE", "htmx-ext-sse.LICENSE.txt"),
)


def expected(node_modules: Path = ROOT / "node_modules") -> dict[str, bytes]:
    """What each vendored file must hold, and VENDORED.json: each package's pinned version."""
    files = {name: (node_modules / package / source).read_bytes() for package, source, name in VENDORED}
    versions = {
        package: json.loads((node_modules / package / "package.json").read_text())["version"]
        for package in sorted({package for package, _, _ in VENDORED})
    }
    files["VENDORED.json"] = (json.dumps(versions, indent=2) + "\n").encode()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of copying")
    args = parser.parse_args(argv)
    wanted = expected()
    if args.check:
        stale = [
            name
            for name, data in wanted.items()
            if not (STATIC / name).is_file() or (STATIC / name).read_bytes() != data
        ]
        for name in stale:
            print(
                f"vendor_js: {STATIC / name} differs from node_modules: run python -m tools.vendor_js",
                file=sys.stderr,
            )
        return 1 if stale else 0
    for name, data in wanted.items():
        (STATIC / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
