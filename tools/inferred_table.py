"""The README's table of inferred decisions, made from the `x-talq-inferred` markers of the spec.

python -m tools.inferred_table          # print the rows
python -m tools.inferred_table --write  # replace the table's rows in README.md
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mock_server.spec.document import DEFAULT_SPEC, load_document, walk

README = Path(__file__).resolve().parent.parent / "README.md"
HEADER = "| where in `openapi/talq.yaml` | decision and reason |\n| --- | --- |\n"


def pointer(path: tuple[str, ...]) -> str:
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)


def rows(spec: Path = DEFAULT_SPEC) -> list[str]:
    return [
        f"| `{pointer(path)}` | {node['x-talq-inferred']} |"
        for path, node in walk(load_document(spec))
        if isinstance(node, dict) and "x-talq-inferred" in node
    ]


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
