"""The README's table of where the contract's facts come from, made from the spec's markers.

Every operation, response, top-level schema, parameter and header of `openapi/talq.yaml` carries
`x-talq-source: <the vendor's page>` when a page shows it, `x-talq-inferred: "<reason>"` when it is
this project's decision, or both (a page shows part of it). `unmarked` lists the places with neither
(a test keeps it empty); the table lists every mark.

python -m tools.inferred_table          # print the rows
python -m tools.inferred_table --write  # replace the table's rows in README.md
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mock_server.spec.document import DEFAULT_SPEC, load_document, walk

README = Path(__file__).resolve().parent.parent / "README.md"
HEADER = (
    "| where in `openapi/talq.yaml` | the vendor's page | this project's decision and reason |\n"
    "| --- | --- | --- |\n"
)
SOURCE, INFERRED = "x-talq-source", "x-talq-inferred"
PAGE_BASE = "https://docs.talkover.ai/en/"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
MARKED_COMPONENTS = ("responses", "schemas", "parameters", "headers")


def pointer(path: tuple[str, ...]) -> str:
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)


def _page(url: str) -> str:
    name = url.rstrip("/").rpartition("/")[2]
    return f"[{name}]({url})"


def rows(spec: Path = DEFAULT_SPEC) -> list[str]:
    return [
        f"| `{pointer(path)}` | {_page(node[SOURCE]) if SOURCE in node else ''} | {node.get(INFERRED, '')} |"
        for path, node in walk(load_document(spec))
        if isinstance(node, dict) and (SOURCE in node or INFERRED in node)
    ]


def must_be_marked(document: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every operation (and webhook), its inline responses, and the components that state facts."""
    for section in ("paths", "webhooks"):
        for name, item in document.get(section, {}).items():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                yield (section, name, method), operation
                for status, response in operation.get("responses", {}).items():
                    if "$ref" not in response:
                        yield (section, name, method, "responses", status), response
    for kind in MARKED_COMPONENTS:
        for name, node in document.get("components", {}).get(kind, {}).items():
            yield ("components", kind, name), node


def unmarked(document: dict[str, Any]) -> list[str]:
    """The places with neither mark, and the sources that are not a page of the vendor's English docs."""
    problems = [
        f"{pointer(path)}: neither {SOURCE} nor {INFERRED}"
        for path, node in must_be_marked(document)
        if SOURCE not in node and INFERRED not in node
    ]
    problems += [
        f"{pointer(path)}: {SOURCE} {node[SOURCE]!r} is not a page under {PAGE_BASE}"
        for path, node in walk(document)
        if isinstance(node, dict)
        and SOURCE in node
        and not (isinstance(node[SOURCE], str) and node[SOURCE].startswith(PAGE_BASE))
    ]
    return problems


def with_rows(readme: str, table_rows: list[str]) -> str:
    start = readme.index(HEADER) + len(HEADER)
    end = readme.index("\n\n", start)
    return readme[:start] + "\n".join(table_rows) + readme[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update README.md in place")
    args = parser.parse_args(argv)
    if args.write:
        README.write_text(with_rows(README.read_text(encoding="utf-8"), rows()), encoding="utf-8")
    else:
        print("\n".join(rows()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
