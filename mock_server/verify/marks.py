"""The spec's marks: `x-talq-source: <url>` (a fact taken from a vendor page) and
`x-talq-inferred: "<reason>"` (a decision of this project), each with its JSON pointer."""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.spec.document import JSON, walk

SOURCE = "x-talq-source"
INFERRED = "x-talq-inferred"
MARK_KEYS = (SOURCE, INFERRED)


def pointer(path: tuple[str, ...]) -> str:
    """`path` in the spec as a URI fragment pointer (RFC 6901): #/paths/~1calls/get."""
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)


@dataclass(frozen=True)
class Mark:
    pointer: str  # where in the spec, e.g. #/components/headers/X-RateLimit-Reset
    kind: str  # "source" or "inferred"
    text: str  # the page's URL, or the decision's reason

    @property
    def label(self) -> str:
        return f"{self.kind}: {self.text}"


def marks(document: dict[str, JSON]) -> list[Mark]:
    """Every mark of the spec, in document order (a node with both marks gives two)."""
    found: list[Mark] = []
    for path, node in walk(document):
        if not isinstance(node, dict):
            continue
        for key in MARK_KEYS:
            if key in node:
                found.append(Mark(pointer(path), key.removeprefix("x-talq-"), str(node[key])))
    return found


def resolves(document: dict[str, JSON], where: str) -> bool:
    """Whether the pointer `where` names a node of the spec."""
    node: JSON = document
    for raw in where.removeprefix("#/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True
