"""Hypothesis strategies for the JSON Schemas of openapi/talq.yaml (dereferenced).

schemathesis exposes public strategies for *requests* only (`operation.as_strategy(...)`, used for
request bodies); for response bodies this small generator covers exactly the keywords the spec uses,
and refuses any other (an unknown keyword is an error here, never silently ignored).
hypothesis-jsonschema is not used: it is broken with current hypothesis.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

ANNOTATIONS = {"description", "examples", "example", "default", "title", "deprecated"}
SUPPORTED = {
    "type",
    "const",
    "enum",
    "pattern",
    "format",
    "minLength",
    "minimum",
    "maximum",
    "properties",
    "required",
    "additionalProperties",
    "maxLength",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "anyOf",
    "allOf",
}

JSON_SCALARS: st.SearchStrategy[Any] = (
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)


class UnsupportedSchema(Exception):
    pass


def _date_time() -> st.SearchStrategy[str]:
    """RFC 3339 date-times in the forms the vendor's API sends: `Z` or a numeric offset."""
    moments = st.datetimes(
        min_value=datetime.datetime(2000, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.just(datetime.UTC),
    )

    def render(moment: datetime.datetime, zulu: bool) -> str:
        text = moment.isoformat()
        return text.replace("+00:00", "Z") if zulu else text

    return st.builds(render, moments, st.booleans())


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:  # noqa: PLR0911, PLR0912 - a case per keyword
    """Values valid against `schema` (no $ref: dereference it first)."""
    keywords = {key for key in schema if key not in ANNOTATIONS and not key.startswith("x-")}
    unknown = keywords - SUPPORTED
    if unknown:
        raise UnsupportedSchema(
            f"keywords {sorted(unknown)} are not supported by contract_tests/strategies.py"
        )
    if "anyOf" in schema or "allOf" in schema:
        return _combined(schema)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):  # e.g. [string, "null"]: one of the types, the rest of the schema kept
        return st.one_of([from_schema({**schema, "type": one}) for one in kind])
    if kind == "null":
        return st.none()
    if kind == "array":
        items = from_schema(schema.get("items", {"type": "string"}))
        return st.lists(
            items,
            min_size=schema.get("minItems", 0),
            max_size=schema.get("maxItems", 3),
            unique_by=repr if schema.get("uniqueItems") else None,
        )
    if kind == "string":
        if schema.get("format") == "date-time":  # its pattern (upper-case T and Z) holds for these too
            return _date_time()
        if schema.get("format") == "date":  # YYYY-MM-DD (a campaign's start_date)
            return st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)).map(datetime.date.isoformat)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"].replace("$", r"\Z"), fullmatch=True)
        return st.text(min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 30), 30))
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":  # JSON numbers: finite (a body cannot carry NaN or infinity)
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "object":
        return _object(schema)
    raise UnsupportedSchema(f"type {kind!r} is not supported by contract_tests/strategies.py")


def _combined(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """`anyOf`: a value of any one alternative; `allOf` of object parts (its only use in the spec): an
    object of their properties and requirements together."""
    if "anyOf" in schema:
        return st.one_of([from_schema(alternative) for alternative in schema["anyOf"]])
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for part in schema["allOf"]:
        merged["properties"].update(part.get("properties", {}))
        merged["required"] += part.get("required", [])
    return from_schema(merged)


def _object(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    fixed = {name: from_schema(sub) for name, sub in properties.items() if name in required}
    optional = {name: from_schema(sub) for name, sub in properties.items() if name not in required}
    additional = schema.get("additionalProperties", True)
    extra_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(
        lambda key: key not in properties
    )
    extras: st.SearchStrategy[dict[str, Any]]
    if additional is False:
        extras = st.just({})
    else:
        values = JSON_VALUES if additional is True else from_schema(additional)
        extras = st.dictionaries(extra_keys, values, max_size=3)

    def combine(parts: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
        known, maybe, extra = parts
        return {**extra, **maybe, **known}

    return st.tuples(st.fixed_dictionaries(fixed), st.fixed_dictionaries({}, optional=optional), extras).map(
        combine
    )
