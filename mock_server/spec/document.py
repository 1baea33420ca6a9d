"""Reading the OpenAPI document and resolving its local `$ref`s."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

# The spec the mock serves by default: the copy shipped in the installed package (the wheel maps
# openapi/talq.yaml there), or, in a clone of the repository, openapi/talq.yaml itself.
PACKAGED_SPEC = Path(__file__).resolve().parents[1] / "openapi" / "talq.yaml"
REPOSITORY_SPEC = Path(__file__).resolve().parents[2] / "openapi" / "talq.yaml"
DEFAULT_SPEC = PACKAGED_SPEC if PACKAGED_SPEC.is_file() else REPOSITORY_SPEC

JSON = Any
# libyaml's parser when PyYAML has it (its wheels do): ~15x faster than the pure-Python one on the
# spec, the same documents (the constructor is the same safe one).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SpecError(Exception):
    """The document cannot be served: the message names the construct and what to do."""


def load_document(path: Path) -> dict[str, JSON]:
    """Parse the YAML document at `path`; a missing or malformed file is a SpecError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(f"Cannot read the OpenAPI document {path}: {error.strerror}.") from error
    try:
        document = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - SafeLoader or its C twin
    except yaml.YAMLError as error:
        raise SpecError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        raise SpecError(f"{path} is not an OpenAPI 3.1 document (its `openapi` field must be 3.1.x).")
    return document


def resolve_pointer(document: dict[str, JSON], ref: str) -> JSON:
    """The node a local reference such as `#/components/schemas/Call` points at."""
    if not ref.startswith("#/"):
        raise SpecError(f"Only local $refs (#/...) are supported, not {ref!r}.")
    node: JSON = document
    for raw in ref[2:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise SpecError(f"The $ref {ref!r} points at nothing.")
        node = node[part]
    return node


def dereference(document: dict[str, JSON], node: JSON, _seen: tuple[str, ...] = ()) -> JSON:
    """A copy of `node` with every local `$ref` replaced by what it points at."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in _seen:
                raise SpecError(f"The $ref {ref!r} is recursive; recursive schemas are not supported.")
            target = dereference(document, resolve_pointer(document, ref), (*_seen, ref))
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            return {**target, **dereference(document, siblings, _seen)} if siblings else target
        return {key: dereference(document, value, _seen) for key, value in node.items()}
    if isinstance(node, list):
        return [dereference(document, item, _seen) for item in node]
    return node


def walk(node: JSON, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], JSON]]:
    """Every (path, node) pair in the tree, parents first."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, str(index)))
