"""The breaking-change gate: compare openapi/talq.yaml at a git ref with the working tree.

    python -m tools.breaking                  # BASE: merge base with origin/main, else HEAD~1
    python -m tools.breaking --base v1.2.0    # any git ref
    python -m tools.breaking --base-file old.yaml --spec new.yaml

Redocly CLI's `diff` (pinned in package.json, rule set in openapi/redocly-diff.yaml) classifies every
change as major, minor or patch; `--format json` tells its verdicts from a parse error. It is given
both specs with every schema $ref inlined: on the specs as written it judges a change to a shared
schema once, in the context of its first use, so a change harmless there (an answer) but breaking in a
later use (a request) would be misjudged. Each finding is then placed back in its component, its uses
merged into one, naming every operation that uses it. Our own check adds what Redocly misses (a
request property removed: it rates that a patch).

Exit status: 0 when the change is compatible, or breaking with a new major `info.version`; 1 when it
is breaking and the major version did not rise (the message says which version to set); 2 when the
two specs cannot be compared (a parse error, an unknown ref, the tool missing).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "talq.yaml"
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"
REDOCLY_CONFIG = ROOT / "openapi" / "redocly-diff.yaml"
IMPACTS = ("none", "patch", "minor", "major")
SCHEMAS = "#/components/schemas/"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
NO_RULES_WARNING = "No diff rules are on"
BANNER = re.compile("[║╔╚═]")  # Redocly's Node.js deprecation box on stderr
REQUEST_PROPERTY_REMOVED = "request-property-removed"

# Why each kind of change breaks an app built on the previous client, by rule and side.
# `{name}` is the changed element; request and response texts differ where the harm differs.
WHY: dict[str, dict[str, str]] = {
    "operation-removed": {"any": "calls to it fail and the regenerated client no longer has its function"},
    "path-removed": {"any": "calls to its operations fail and the regenerated client drops their functions"},
    "operation-id-changed": {
        "any": "the regenerated client renames its function: code calling the old name fails"
    },
    "parameter-removed": {
        "any": "code passing it fails against the regenerated client; the server ignores it"
    },
    "parameter-became-required": {
        "any": "calls made without it, as every previous client makes them, get 400"
    },
    "parameter-serialization-changed": {
        "any": "the previous client encodes it in a form the server now rejects"
    },
    "request-body-removed": {"any": "the previous client sends a body the server no longer reads"},
    "request-body-became-required": {"any": "calls without a body, valid before, get 400"},
    "response-removed": {
        "any": "code handling this status loses its parsed type: the regenerated client leaves it unparsed"
    },
    "response-header-removed": {"any": "code reading this header gets nothing"},
    "media-type-removed": {"any": "requests or answers in this media type are no longer understood"},
    "property-removed": {
        "request": "code setting it fails against the regenerated model; the server no longer reads it",
        "response": "code reading it gets nothing: the regenerated model drops the attribute",
    },
    REQUEST_PROPERTY_REMOVED: {
        "any": "code setting it fails against the regenerated model (unexpected keyword); "
        "the server no longer reads it",
    },
    "required-properties-added": {
        "request": "requests built without them, as every previous client builds them, get 400",
        "response": "answers now always carry them: harmless to read, but the model changes",
    },
    "required-properties-removed": {
        "request": "the regenerated model makes them optional: harmless to send",
        "response": "answers may now omit them: code reading them as always present breaks",
    },
    "enum-values-removed": {
        "request": "a client that sends a removed value gets 400, and the regenerated enum loses the member",
        "response": "the regenerated enum loses the member: code that names it fails",
    },
    "enum-values-added": {
        "request": "the generated client's enum does not know the new value",
        "response": "the generated client parses enums strictly: an answer with the new value raises "
        "ValueError in every previous client",
    },
    "schema-type-changed": {
        "request": "values of the old type, as the previous client sends them, get 400",
        "response": "the previous client parses the answer as the old type and fails",
    },
    "schema-constraint-changed": {
        "request": "values the previous contract accepted are now rejected with 400",
        "response": "answers may now hold values the previous contract ruled out",
    },
    "schema-combinator-changed": {"any": "values valid under the old combination of schemas may be rejected"},
    "security-requirement-changed": {"any": "requests authenticated as before may get 401"},
    "security-scheme-changed": {"any": "requests authenticated as before may get 401"},
    "server-removed": {"any": "clients configured with that base URL fail"},
}


class GateError(Exception):
    """The two specs could not be compared; the message says what to do."""


@dataclass(frozen=True)
class Finding:
    """One change, as a reviewer reads it."""

    impact: str  # major, minor or patch
    rule: str  # Redocly's rule id, ours, or "" for a change no rule classifies
    operation: str  # "POST /agents/{agent_id}/call (makeCall)" or a path or webhook
    pointer: str  # where it changed in the spec (the shared component when it is one)
    what: str
    why: str = ""
    used_by: tuple[str, ...] = ()
    path: str = ""  # where Redocly saw it: under the operation (the first use of a shared component)


@dataclass(frozen=True)
class Report:
    """Every change between two specs and their info.version."""

    base_version: str
    revision_version: str
    findings: tuple[Finding, ...]

    @property
    def breaking(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.impact == "major")

    @property
    def impact(self) -> str:
        return max((finding.impact for finding in self.findings), key=IMPACTS.index, default="none")


@dataclass(frozen=True)
class VersionCheck:
    ok: bool
    message: str
    required: str | None = None  # the version to set when the current one does not say enough


@dataclass
class Uses:
    """Where each component is used: sent in requests, read from answers, received as webhook payloads."""

    request: dict[str, list[str]] = field(default_factory=dict)
    response: dict[str, list[str]] = field(default_factory=dict)
    payload: dict[str, list[str]] = field(default_factory=dict)

    def add(self, side: dict[str, list[str]], components: set[str], label: str) -> None:
        for component in components:
            if label not in side.setdefault(component, []):
                side[component].append(label)

    def of(self, pointer: str) -> tuple[list[str], list[str], list[str]]:
        component = component_of(pointer)
        if component is None:
            return [], [], []
        sides = (self.request, self.response, self.payload)
        requests, responses, payloads = (side.get(component, []) for side in sides)
        return requests, responses, payloads

    def describe(self, pointer: str) -> tuple[str, ...]:
        requests, responses, payloads = self.of(pointer)
        return tuple(
            f"{title}: {', '.join(labels)}"
            for title, labels in (
                ("sent in requests of", requests),
                ("read from answers of", responses),
                ("received in webhook payloads", payloads),
            )
            if labels
        )


# ---- loading ---------------------------------------------------------------------------------------


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a duplicated key (which it would silently overwrite)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"duplicated key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def load_spec(path: Path, label: str) -> dict[str, Any]:
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise GateError(f"{label} ({path}) cannot be read as YAML: {error}") from error
    if not isinstance(document, dict) or "openapi" not in document:
        raise GateError(f"{label} ({path}) is not an OpenAPI document (no `openapi` key at its top)")
    return document


def info_version(document: Mapping[str, Any]) -> str:
    return str(document.get("info", {}).get("version", ""))


def spec_version(spec: Path = SPEC) -> str:
    """The spec's info.version: the contract's and its client's version."""
    return info_version(load_spec(spec, "the spec"))


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("git")
    if executable is None:
        raise GateError("git is not on PATH: install git, or compare two files with --base-file")
    return subprocess.run([executable, "-C", str(cwd), *args], capture_output=True, text=True, check=False)


def default_base(cwd: Path) -> str:
    """The merge base with origin/main when there is one, else HEAD~1."""
    if git("rev-parse", "--verify", "--quiet", "origin/main", cwd=cwd).returncode == 0:
        merge_base = git("merge-base", "HEAD", "origin/main", cwd=cwd)
        if merge_base.returncode == 0:
            return merge_base.stdout.strip()
    return "HEAD~1"


def spec_at(ref: str, spec: Path) -> str | None:
    """The spec's text at `ref`, or None when the file did not exist there."""
    cwd = spec.resolve().parent
    if git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=cwd).returncode != 0:
        raise GateError(
            f"BASE={ref} is not a commit of this repository; pass an existing ref "
            "(in CI fetch enough history: actions/checkout with fetch-depth: 0)"
        )
    shown = git("show", f"{ref}:./{spec.name}", cwd=cwd)
    return shown.stdout if shown.returncode == 0 else None


# ---- Redocly ---------------------------------------------------------------------------------------


def run_redocly(base: Path, revision: Path, config: Path = REDOCLY_CONFIG) -> dict[str, Any]:
    """Redocly's JSON report of the diff; a GateError when it did not produce one."""
    if not REDOCLY.exists():
        raise GateError(f"{REDOCLY.relative_to(ROOT)} is missing: run `make setup` (npm ci) first")
    command = [str(REDOCLY), "diff", str(base), str(revision), "--format", "json", "--fail-on", "none"]
    command += ["--config", str(config), "--lint-config", "error"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if NO_RULES_WARNING in result.stderr + result.stdout:
        raise GateError(f"{config} turns every diff rule off: make it extend diff-recommended")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = None
    if result.returncode != 0 or not isinstance(report, dict) or "changes" not in report:
        detail = "\n".join(
            line
            for line in result.stderr.splitlines()
            if line.strip() and not BANNER.search(line) and not line.lstrip().startswith("at ")
        )
        raise GateError(f"redocly diff could not compare the specs (exit {result.returncode}):\n{detail}")
    return report


# ---- the spec's structure ----------------------------------------------------------------------------


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def resolve(document: Mapping[str, Any], pointer: str) -> Any:
    node: Any = document
    for token in pointer.removeprefix("#/").split("/"):
        try:
            node = node[unescape(token)] if isinstance(node, dict) else node[int(token)]
        except (KeyError, IndexError, ValueError, TypeError) as error:
            raise GateError(
                f"the $ref {pointer!r} points at nothing: fix the $ref or add what it names"
            ) from error
    return node


def component_of(pointer: str) -> str | None:
    """`#/components/schemas/CallStatus` for any pointer below it; None outside components."""
    parts = pointer.split("/")
    return "/".join(parts[:4]) if len(parts) >= 4 and parts[1] == "components" else None


@dataclass(frozen=True)
class Operation:
    pointer: str  # #/paths/~1calls/get
    label: str  # GET /calls (listCalls)
    short: str  # listCalls
    operation: dict[str, Any]
    path_parameters: list[Any]

    @property
    def webhook(self) -> bool:
        return self.pointer.startswith("#/webhooks/")


def label_of(section: str, name: str, method: str, operation: Any) -> tuple[str, str]:
    """("POST /agents/{agent_id}/call (makeCall)", "makeCall") for an operation; webhooks by their name."""
    if section == "webhooks":
        return f"webhook {name}", name
    label = f"{method.upper()} {name}"
    operation_id = operation.get("operationId") if isinstance(operation, dict) else None
    return (f"{label} ({operation_id})", str(operation_id)) if operation_id else (label, label)


def operations(document: Mapping[str, Any]) -> Iterator[Operation]:
    """Every operation of the paths and every webhook."""
    for section in ("paths", "webhooks"):
        for name, item in (document.get(section) or {}).items():
            if not isinstance(item, dict):
                continue
            for method in METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    label, short = label_of(section, name, method, operation)
                    pointer = f"#/{section}/{escape(name)}/{method}"
                    yield Operation(pointer, label, short, operation, item.get("parameters", []))


def refs_reached(document: Mapping[str, Any], node: Any) -> set[str]:
    """Every component pointer `node` reaches through $refs, transitively."""
    reached: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                component = component_of(ref)
                if component is not None and component not in reached:
                    reached.add(component)
                    stack.append(resolve(document, component))
            stack.extend(value for key, value in current.items() if key != "$ref")
        elif isinstance(current, list):
            stack.extend(current)
    return reached


def uses(document: Mapping[str, Any]) -> Uses:
    found = Uses()
    for op in operations(document):
        if op.webhook:
            found.add(found.payload, refs_reached(document, op.operation.get("requestBody", {})), op.short)
            continue
        for parameter in [*op.path_parameters, *op.operation.get("parameters", [])]:
            components = refs_reached(document, parameter)
            resolved, _ = deref(document, parameter, "")
            label = f"{op.short} ({resolved.get('in', '?')} `{resolved.get('name', '?')}`)"
            found.add(found.request, components, label)
        found.add(
            found.request, refs_reached(document, op.operation.get("requestBody", {})), f"{op.short} (body)"
        )
        found.add(found.response, refs_reached(document, op.operation.get("responses", {})), op.short)
    return found


def operation_label(document: Mapping[str, Any], change_path: str) -> str:
    """The operation a Redocly change path (`#/paths/~1calls/get/...`) is under."""
    parts = change_path.split("/")
    if len(parts) < 3 or parts[1] not in ("paths", "webhooks"):
        return change_path
    name = unescape(parts[2])
    if len(parts) < 4 or parts[3] not in METHODS:
        return name if parts[1] == "paths" else f"webhook {name}"
    operation = (document.get(parts[1]) or {}).get(name, {}).get(parts[3], {})
    return label_of(parts[1], name, parts[3], operation)[0]


def why(rule: str, sides: list[str]) -> str:
    texts = WHY.get(rule, {})
    if "any" in texts or not texts:
        return texts.get("any", "the previous client may no longer work with the new contract")
    if len(sides) == 1:
        return texts[sides[0]]
    return "; ".join(f"in {'requests' if side == 'request' else 'answers'}: {texts[side]}" for side in sides)


def inline(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with every schema $ref replaced by the schema (a $ref's siblings kept) and
    `components/schemas` dropped: Redocly then judges each use of a shared schema in its own place (a
    request or an answer) instead of once, at the first use. Other $refs stay: Redocly matches an
    inline parameter by likeness, so one changed in several ways would read as removed and added."""

    def walk(node: Any, stack: frozenset[str]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(SCHEMAS) and ref not in stack:
                target = walk(resolve(document, ref), stack | {ref})
                siblings = {key: walk(value, stack) for key, value in node.items() if key != "$ref"}
                return {**target, **siblings} if isinstance(target, dict) else target
            return {key: walk(value, stack) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value, stack) for value in node]
        return node

    inlined: dict[str, Any] = walk(dict(document), frozenset())
    components = inlined.get("components")
    if isinstance(components, dict):
        components.pop("schemas", None)
    return inlined


def source_pointer(document: Mapping[str, Any], pointer: str) -> str:
    """Where a pointer into the inlined document is written in `document`: inside the component its
    $ref leads to (`#/paths/~1calls/get/parameters/0/schema/enum`: `#/components/schemas/CallStatus/enum`)."""
    node: Any = document
    current = "#"
    tokens = pointer.removeprefix("#/").split("/") if pointer.startswith("#/") else []
    for index, token in enumerate(tokens):
        key = unescape(token)
        if not (isinstance(node, dict) and key in node):  # a $ref's own siblings come first
            node, current = deref(document, node, current)
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return "/".join([current, *tokens[index:]])
        current = f"{current}/{token}"
    return deref(document, node, current)[1]


# ---- our own checks (what Redocly misses) -----------------------------------------------------------


def deref(document: Mapping[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        pointer = node["$ref"]
        seen.add(pointer)
        node = resolve(document, pointer)
    return node, pointer


def removed_properties(
    docs: tuple[Mapping[str, Any], Mapping[str, Any]],
    base: tuple[Any, str],
    revision: tuple[Any, str],
    path: str,
    seen: set[tuple[str, str]],
) -> Iterator[tuple[str, str, str]]:
    """(pointer in the base, path under the operation, name) of each property `revision` lost, recursively."""
    base_node, base_pointer = deref(docs[0], *base)
    revision_node, revision_pointer = deref(docs[1], *revision)
    if not isinstance(base_node, dict) or not isinstance(revision_node, dict):
        return
    if (base_pointer, revision_pointer) in seen:
        return
    seen.add((base_pointer, revision_pointer))
    revision_properties = revision_node.get("properties") or {}
    for name, schema in (base_node.get("properties") or {}).items():
        step = f"/properties/{escape(name)}"
        if name not in revision_properties:
            yield base_pointer + step, path + step, name
        else:
            target = (revision_properties[name], revision_pointer + step)
            yield from removed_properties(docs, (schema, base_pointer + step), target, path + step, seen)
    if "items" in base_node and "items" in revision_node:
        base_items = (base_node["items"], f"{base_pointer}/items")
        revision_items = (revision_node["items"], f"{revision_pointer}/items")
        yield from removed_properties(docs, base_items, revision_items, f"{path}/items", seen)


def request_property_findings(
    base_doc: Mapping[str, Any], revision_doc: Mapping[str, Any], shared: Uses
) -> list[Finding]:
    """A property removed from a request body (Redocly rates it a patch)."""
    findings: list[Finding] = []
    reported: set[str] = set()
    revision_operations = {op.pointer: op.operation for op in operations(revision_doc)}
    for op in operations(base_doc):
        if op.webhook or op.pointer not in revision_operations:
            continue
        base_content = (op.operation.get("requestBody") or {}).get("content") or {}
        revision_content = (revision_operations[op.pointer].get("requestBody") or {}).get("content") or {}
        for media_type, media in base_content.items():
            if media_type not in revision_content or "schema" not in media:
                continue
            at = f"{op.pointer}/requestBody/content/{escape(media_type)}/schema"
            schemas = (media["schema"], at), (revision_content[media_type].get("schema"), at)
            for where, path, name in removed_properties((base_doc, revision_doc), *schemas, at, set()):
                if where in reported:
                    continue
                reported.add(where)
                findings.append(
                    Finding(
                        impact="major",
                        rule=REQUEST_PROPERTY_REMOVED,
                        operation=op.label,
                        pointer=where,
                        what=f"{named(where)}Request property `{name}` was removed.",
                        why=why(REQUEST_PROPERTY_REMOVED, ["request"]),
                        used_by=shared.describe(where),
                        path=path,
                    )
                )
    return findings


# ---- the comparison ----------------------------------------------------------------------------------


def named(pointer: str, message: str = "") -> str:
    """`CallStatus`: , for a pointer into a shared component the message does not name (Redocly's
    messages name the property at its first use)."""
    component = component_of(pointer)
    name = f"`{unescape(component.rsplit('/', 1)[1])}`" if component else ""
    return f"{name}: " if name and name not in message else ""


def side_of(path: str) -> str:
    """request or response: which way the value at a path under an operation travels (webhooks: in)."""
    sent = not path.startswith("#/webhooks/") and ("/requestBody/" in path or "/parameters/" in path)
    return "request" if sent else "response"


def findings_from_redocly(
    report: Mapping[str, Any], base_doc: Mapping[str, Any], revision_doc: Mapping[str, Any], shared: Uses
) -> list[Finding]:
    """Redocly's changes, each use of a component merged into one finding placed in the component."""
    revision_file = (report.get("files") or {}).get("revision")
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for change in report["changes"]:
        path = str(change.get("path", ""))
        kind = str(change.get("kind", "modified"))
        document = revision_doc if kind == "added" else base_doc
        operation = operation_label(document, path)
        verdicts = change.get("verdicts") or []
        if not verdicts:
            where = source_pointer(document, path)
            changed = change.get("property") or unescape(where.rsplit("/", 1)[-1])
            impact = str(change.get("impact", "patch"))
            found = Finding(impact, "", operation, where, f"{kind} `{changed}`", path=path)
            groups.setdefault((impact, "", where), []).append(found)
            continue
        for verdict in verdicts:
            location = verdict.get("location") or {}
            located_in = revision_doc if location.get("file") == revision_file else base_doc
            where = source_pointer(located_in, str(location.get("pointer") or path))
            rule = str(verdict.get("ruleId", ""))
            message = str(verdict.get("message", ""))
            impact = str(verdict.get("impact", change.get("impact", "major")))
            found = Finding(impact, rule, operation, where, named(where, message) + message, path=path)
            groups.setdefault((impact, rule, where), []).append(found)
    order: dict[str, int] = {}  # the operations in the spec's order
    for op in [*operations(base_doc), *operations(revision_doc)]:
        order.setdefault(op.label, len(order))
    findings: list[Finding] = []
    for (_impact, rule, where), uses_of_it in groups.items():
        first = uses_of_it[0]
        labels = sorted({found.operation for found in uses_of_it}, key=lambda label: order.get(label, 0))
        first = replace(first, operation="; ".join(labels))
        if rule:
            sides = sorted({side_of(found.path) for found in uses_of_it})
            first = replace(first, why=why(rule, sides), used_by=shared.describe(where))
        findings.append(first)
    return findings


def compare(base: Path, revision: Path) -> Report:
    """Every change from `base` to `revision`: Redocly's verdicts plus our own checks."""
    base_doc = load_spec(base, "the base spec")
    revision_doc = load_spec(revision, "the revised spec")
    shared = uses(base_doc)
    with tempfile.TemporaryDirectory(prefix="talq-breaking-") as scratch:
        inlined = Path(scratch) / "base.json", Path(scratch) / "revision.json"
        for document, target in zip((base_doc, revision_doc), inlined, strict=True):
            target.write_text(json.dumps(inline(document), default=str), encoding="utf-8")
        report = run_redocly(*inlined)
    findings = findings_from_redocly(report, base_doc, revision_doc, shared)
    for own in request_property_findings(base_doc, revision_doc, shared):
        same = [f for f in findings if own.pointer in (f.pointer, f.path) or own.path in (f.pointer, f.path)]
        if not any(f.impact == "major" for f in same):
            # Ours replaces Redocly's unclassified entry for the same change.
            findings = [f for f in findings if f.rule or f not in same]
            findings.append(own)
    order = sorted(findings, key=lambda finding: (-IMPACTS.index(finding.impact), finding.operation))
    return Report(info_version(base_doc), info_version(revision_doc), tuple(order))


# ---- versions ----------------------------------------------------------------------------------------

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def parse_version(version: str) -> tuple[int, int, int] | None:
    match = SEMVER.match(version)
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def check_version(base_version: str, revision_version: str, impact: str) -> VersionCheck:
    """Breaking needs a new major; new surface (minor) wants a new minor: said, not enforced."""
    base = parse_version(base_version)
    revision = parse_version(revision_version)
    if revision is None:
        return VersionCheck(False, f"info.version {revision_version!r} is not MAJOR.MINOR.PATCH: set one")
    if base is None:
        return VersionCheck(
            True, f"the base's info.version {base_version!r} is not semantic; nothing to compare"
        )
    if revision < base:
        return VersionCheck(
            False,
            f"info.version went down from {base_version} to {revision_version}: set at least {base_version}",
        )
    if impact == "major" and revision[0] <= base[0]:
        required = f"{base[0] + 1}.0.0"
        return VersionCheck(
            False,
            f"breaking changes need a new major version: set info.version to {required} in "
            f"openapi/talq.yaml (it is {revision_version}), run `make generate` and add a `## {required}` "
            "entry to CHANGELOG.md",
            required,
        )
    if impact == "minor" and revision[:2] <= base[:2]:
        suggested = f"{base[0]}.{base[1] + 1}.0"
        return VersionCheck(
            True,
            f"compatible, with new surface: release it as {suggested} (set info.version, `make generate`, "
            "a CHANGELOG.md entry); the gate passes either way",
            suggested,
        )
    kind = "no change to the contract" if impact == "none" else f"a {impact} change"
    return VersionCheck(True, f"info.version {base_version} -> {revision_version} fits {kind}")


# ---- output ------------------------------------------------------------------------------------------


def render(report: Report, version: VersionCheck, base_label: str) -> str:
    lines = [
        f"make breaking: openapi/talq.yaml at {base_label} (info.version {report.base_version}) "
        f"-> working tree (info.version {report.revision_version})",
    ]
    if not report.findings:
        lines.append("no changes to the contract")
    breaking = report.breaking
    if breaking:
        lines.append(f"\nBREAKING for apps built on the previous client ({len(breaking)}):")
        for number, finding in enumerate(breaking, 1):
            lines.append(f"  {number}. {finding.operation}  [{finding.rule}]")
            lines.append(f"     at:   {finding.pointer}")
            lines.append(f"     what: {finding.what}")
            lines.append(f"     why:  {finding.why}")
            lines.extend(f"     {use}" for use in finding.used_by)
    compatible = [finding for finding in report.findings if finding.impact != "major"]
    if compatible:
        lines.append(f"\ncompatible ({len(compatible)}):")
        minor = [finding for finding in compatible if finding.impact == "minor"]
        lines.extend(f"  - minor: {f.operation}: {f.what} at {f.pointer}" for f in minor)
        patches: dict[str, list[str]] = {}
        for finding in compatible:
            if finding.impact != "minor":
                quoted = re.search(r"`([^`]+)`", finding.what)
                patches.setdefault(finding.operation, []).append(quoted[1] if quoted else finding.what)
        for operation, changed in patches.items():
            kinds = ", ".join(sorted(set(changed)))
            lines.append(f"  - patch: {operation}: {len(changed)} change(s) of {kinds}")
    lines.append(f"\nversion: {version.message}")
    verdict = "FAIL" if not version.ok else "pass"
    lines.append(f"make breaking: {verdict} ({len(breaking)} breaking, {len(compatible)} compatible)")
    return "\n".join(lines)


def as_json(report: Report, version: VersionCheck) -> str:
    return json.dumps(
        {
            "base_version": report.base_version,
            "revision_version": report.revision_version,
            "impact": report.impact,
            "ok": version.ok,
            "version_message": version.message,
            "required_version": version.required,
            "findings": [finding.__dict__ for finding in report.findings],
        },
        indent=2,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="", help="git ref of the base spec (default: see above)")
    parser.add_argument("--base-file", type=Path, help="a base spec file instead of a git ref")
    parser.add_argument(
        "--spec", type=Path, default=SPEC, help="the revised spec (default: openapi/talq.yaml)"
    )
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    args = parser.parse_args(argv)
    spec: Path = args.spec
    try:
        with tempfile.TemporaryDirectory(prefix="talq-breaking-") as scratch:
            if args.base_file is not None:
                base_path, base_label = Path(args.base_file), str(args.base_file)
            else:
                ref = args.base or default_base(spec.resolve().parent)
                merge_base = not args.base and ref != "HEAD~1"
                base_label = f"{ref[:12]} (merge base with origin/main)" if merge_base else ref
                text = spec_at(ref, spec)
                if text is None:
                    print(f"make breaking: {spec.name} does not exist at {ref}: nothing to compare, pass")
                    return 0
                base_path = Path(scratch) / f"base-{spec.name}"
                base_path.write_text(text, encoding="utf-8")
            report = compare(base_path, spec)
    except GateError as error:
        print(f"make breaking: cannot compare: {error}", file=sys.stderr)
        return 2
    version = check_version(report.base_version, report.revision_version, report.impact)
    print(as_json(report, version) if args.json else render(report, version, base_label))
    return 0 if version.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
