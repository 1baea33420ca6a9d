"""The breaking-change gate's self-test: mutations of the real spec, each with the verdict it must get.

Every mutation is made here from openapi/talq.yaml as it is now (no committed copies to go stale), and
every case goes through the same comparison `make breaking` runs: pinned Redocly CLI plus our checks.
A Redocly upgrade or a redocly-diff.yaml change that loses a rule fails the case that needs the rule.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools import breaking

REDOCLY = pytest.mark.slow  # runs `redocly diff` (Node): make test runs it, make test-fast does not

Spec = dict[str, Any]


def schemas(spec: Spec) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"]
    return result


def remove_operation(spec: Spec) -> None:
    del spec["paths"]["/agents/{agent_id}/webhooks/{webhook_id}"]["get"]


def remove_request_property(spec: Spec) -> None:
    del schemas(spec)["MakeCallRequest"]["properties"]["delay_seconds"]


def remove_response_property(spec: Spec) -> None:
    call = schemas(spec)["Call"]
    del call["properties"]["to"]
    call["required"].remove("to")


def add_required_request_property(spec: Spec) -> None:
    request = schemas(spec)["MakeCallRequest"]
    request["properties"]["campaign_id"] = {"type": "string", "description": "The campaign."}
    request["required"].append("campaign_id")


def add_required_query_parameter(spec: Spec) -> None:
    parameter = {"name": "team", "in": "query", "required": True, "schema": {"type": "string"}}
    spec["paths"]["/calls"]["get"]["parameters"].append(parameter)


def narrow_max_length(spec: Spec) -> None:
    spec["components"]["parameters"]["Search"]["schema"]["maxLength"] = 50


def remove_call_status_value(spec: Spec) -> None:
    schemas(spec)["CallStatus"]["enum"].remove("busy")


def change_request_property_type(spec: Spec) -> None:
    schemas(spec)["MakeCallRequest"]["properties"]["is_testing"]["type"] = "string"


def change_response_property_type(spec: Spec) -> None:
    schemas(spec)["Pagination"]["properties"]["total"]["type"] = "string"


def remove_response_status(spec: Spec) -> None:
    del spec["paths"]["/agents/{agent_id}/end-call"]["post"]["responses"]["409"]


def remove_an_answer_only_enum_value(spec: Spec) -> None:
    schemas(spec)["ErrorCode"]["enum"].remove("CALL_NOT_ACTIVE")


def add_optional_request_property(spec: Spec) -> None:
    schemas(spec)["MakeCallRequest"]["properties"]["campaign_id"] = {"type": "string"}


def add_optional_response_property(spec: Spec) -> None:
    schemas(spec)["Call"]["properties"]["campaign_name"] = {"type": "string"}


def add_operation(spec: Spec) -> None:
    spec["paths"]["/agents/{agent_id}"]["delete"] = {  # the vendor's Delete Agent, not in the contract
        "operationId": "deleteAgent",
        "summary": "Delete Agent",
        "security": [{"bearerAuth": []}],
        "parameters": [{"$ref": "#/components/parameters/AgentId"}],
        "responses": {"204": {"description": "Deleted."}},
    }


def add_response_example(spec: Spec) -> None:
    content = spec["paths"]["/agents/{agent_id}/end-call"]["post"]["responses"]["200"]["content"]
    content["application/json"]["examples"]["another_call"] = {
        "summary": "Another ended call",
        "value": next(iter(content["application/json"]["examples"].values()))["value"],
    }


@dataclass(frozen=True)
class Case:
    mutate: Callable[[Spec], None]
    rule: str | None  # the rule that must classify it as breaking; None: compatible
    mentions: tuple[str, ...]  # words its finding must say (operation, pointer, what, users)


BREAKING: dict[str, Case] = {
    "remove an operation": Case(remove_operation, "operation-removed", ("getWebhook",)),
    "remove a request property": Case(
        remove_request_property, breaking.REQUEST_PROPERTY_REMOVED, ("delay_seconds", "MakeCallRequest")
    ),
    "remove a response property": Case(remove_response_property, "property-removed", ("`to`", "makeCall")),
    "add a required request property": Case(
        add_required_request_property, "required-properties-added", ("campaign_id", "makeCall")
    ),
    "add a required query parameter": Case(
        add_required_query_parameter, "parameter-became-required", ("team", "listCalls")
    ),
    "narrow a maxLength": Case(narrow_max_length, "schema-constraint-changed", ("maxLength", "Search")),
    "remove an enum value a request can send": Case(
        remove_call_status_value, "enum-values-removed", ("CallStatus", "busy", "listCalls (query `status`)")
    ),
    "change a request property's type": Case(
        change_request_property_type, "schema-type-changed", ("is_testing", "makeCall")
    ),
    "change a response property's type": Case(
        change_response_property_type, "schema-type-changed", ("total", "Pagination")
    ),
    "remove a response status": Case(remove_response_status, "response-removed", ("409", "endCall")),
}
COMPATIBLE: dict[str, Case] = {
    "add an optional request property": Case(
        add_optional_request_property, None, ("requestBody", "campaign_id")
    ),
    "add an optional response property": Case(
        add_optional_response_property, None, ("responses/200", "campaign_name")
    ),
    "add an operation": Case(add_operation, None, ("deleteAgent",)),
    "add a response example": Case(add_response_example, None, ("endCall", "another_call")),
    "remove an enum value only answers carry": Case(
        remove_an_answer_only_enum_value, None, ("#/components/schemas/ErrorCode", "enum")
    ),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, breaking.Report]:
    """Three comparisons, run side by side (one Node start-up each, about half a second): every breaking
    mutation in one revision, every compatible one in another, and the YAML round trip alone. The
    mutations touch different parts of the spec, so each still needs its own finding."""
    directory = tmp_path_factory.mktemp("breaking")
    spec = yaml.safe_load(breaking.SPEC.read_text(encoding="utf-8"))
    groups = {"breaking": BREAKING, "compatible": COMPATIBLE, "unchanged": {}}

    def run(group: str) -> breaking.Report:
        mutated = copy.deepcopy(spec)
        for case in groups[group].values():
            case.mutate(mutated)
        revision = directory / f"{group}.yaml"
        revision.write_text(yaml.safe_dump(mutated, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return breaking.compare(breaking.SPEC, revision)

    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        return dict(zip(groups, pool.map(run, groups), strict=True))


def finding_for(report: breaking.Report, case: Case) -> breaking.Finding | None:
    """The finding of `report` that names every word of the case."""
    for finding in report.findings:
        said = " ".join([finding.operation, finding.pointer, finding.path, finding.what, *finding.used_by])
        if (case.rule in (None, finding.rule)) and all(word in said for word in case.mentions):
            return finding
    return None


@REDOCLY
@pytest.mark.parametrize("name", BREAKING)
def test_a_breaking_mutation_gets_its_rule_a_pointer_and_a_reason(
    name: str, reports: dict[str, breaking.Report]
) -> None:
    case, report = BREAKING[name], reports["breaking"]
    finding = finding_for(report, case)
    assert finding is not None, f"{name}: no {case.rule} finding naming {case.mentions} in {report.findings}"
    assert finding.impact == "major"
    assert finding.pointer.startswith("#/")
    assert finding.why


@REDOCLY
@pytest.mark.parametrize("name", COMPATIBLE)
def test_a_compatible_mutation_is_seen_and_not_breaking(
    name: str, reports: dict[str, breaking.Report]
) -> None:
    finding = finding_for(reports["compatible"], COMPATIBLE[name])
    assert finding is not None, f"{name}: not seen in {reports['compatible'].findings}"
    assert finding.impact in ("minor", "patch")


@REDOCLY
def test_a_shared_schema_is_judged_where_it_breaks_not_at_its_first_use(
    reports: dict[str, breaking.Report],
) -> None:
    """CallStatus is first used by Make a Call's answer, where a removed value harms nobody; the finding
    is the List Calls filters' (Redocly on the specs as written would judge the first use only)."""
    finding = finding_for(reports["breaking"], BREAKING["remove an enum value a request can send"])
    assert finding is not None
    assert finding.operation == "GET /calls (listCalls)"
    users = "sent in requests of: listCalls (query `status`), listAgentCalls (query `status`)"
    assert users in finding.used_by
    assert finding.why == breaking.WHY["enum-values-removed"]["request"]


@REDOCLY
def test_breaking_changes_fail_the_version_check_naming_the_version_to_set(
    reports: dict[str, breaking.Report],
) -> None:
    report = reports["breaking"]
    assert report.impact == "major"
    version = breaking.check_version(report.base_version, report.revision_version, report.impact)
    next_major = f"{int(breaking.spec_version().split('.')[0]) + 1}.0.0"
    assert (version.ok, version.required) == (False, next_major)
    assert f"set info.version to {next_major} " in version.message


@REDOCLY
def test_compatible_changes_pass_and_ask_for_a_minor_version(reports: dict[str, breaking.Report]) -> None:
    report = reports["compatible"]
    assert report.breaking == ()
    assert report.impact == "minor"
    version = breaking.check_version(report.base_version, report.revision_version, report.impact)
    major, minor, _ = (int(part) for part in breaking.spec_version().split("."))
    assert (version.ok, version.required) == (True, f"{major}.{minor + 1}.0")


@REDOCLY
def test_the_yaml_round_trip_of_the_cases_changes_nothing(reports: dict[str, breaking.Report]) -> None:
    assert reports["unchanged"].findings == ()


@pytest.mark.parametrize(
    ("base", "revision", "impact", "ok", "required"),
    [
        ("1.0.0", "2.0.0", "major", True, None),
        ("1.4.2", "2.0.0", "major", True, None),
        ("1.0.0", "1.1.0", "major", False, "2.0.0"),
        ("1.0.0", "1.0.0", "major", False, "2.0.0"),
        ("2.3.1", "2.3.1", "major", False, "3.0.0"),
        ("1.0.0", "1.1.0", "minor", True, None),
        ("1.0.0", "1.0.0", "minor", True, "1.1.0"),
        ("1.0.0", "1.0.1", "patch", True, None),
        ("1.0.0", "1.0.0", "none", True, None),
        ("1.2.0", "1.1.0", "none", False, None),
        ("1.0.0", "one", "none", False, None),
    ],
)
def test_the_version_check(base: str, revision: str, impact: str, ok: bool, required: str | None) -> None:
    version = breaking.check_version(base, revision, impact)
    assert (version.ok, version.required) == (ok, required), version.message


# ---- the command, on a repository of its own -------------------------------------------------------


def git(repository: Path, *args: str) -> None:
    executable = shutil.which("git")
    assert executable is not None
    identity = ["-c", "user.name=gate test", "-c", "user.email=gate@example.invalid"]
    identity += ["-c", "commit.gpgsign=false"]
    subprocess.run([executable, "-C", str(repository), *identity, *args], check=True, capture_output=True)


@REDOCLY
def test_the_command_fails_a_commit_that_removes_a_call_status_then_passes_it_as_a_new_major(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec_path = tmp_path / "openapi" / "talq.yaml"
    spec_path.parent.mkdir()
    shutil.copyfile(breaking.SPEC, spec_path)
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "--quiet", "-m", "base")
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    remove_call_status_value(spec)
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    git(tmp_path, "commit", "--quiet", "-am", "drop busy")

    assert breaking.main(["--base", "HEAD~1", "--spec", str(spec_path)]) == 1
    out = capsys.readouterr().out
    assert "`CallStatus`: Enum lost values: 'busy'." in out
    assert "#/components/schemas/CallStatus/enum" in out
    next_major = f"{int(breaking.spec_version().split('.')[0]) + 1}.0.0"
    assert f"set info.version to {next_major} " in out
    assert out.rstrip().endswith("make breaking: FAIL (1 breaking, 1 compatible)")
    for line in readme_example():  # the README shows this very output
        assert line.split("...")[0].rstrip(" ;,") in out, line

    spec["info"]["version"] = next_major
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert breaking.main(["--base", "HEAD~1", "--spec", str(spec_path)]) == 0
    out = capsys.readouterr().out
    assert "BREAKING for apps built on the previous client (1):" in out
    assert out.rstrip().endswith("make breaking: pass (1 breaking, 2 compatible)")


def test_a_spec_that_does_not_parse_is_an_error_not_a_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "talq.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [\n", encoding="utf-8")
    assert breaking.main(["--base-file", str(broken)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "cannot compare: the base spec" in captured.err
    assert "cannot be read as YAML" in captured.err


def test_an_unknown_base_is_an_error_that_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert breaking.main(["--base", "no-such-ref-anywhere"]) == 2
    assert "fetch-depth: 0" in capsys.readouterr().err


@pytest.mark.parametrize("side", ["--base-file", "--spec"])
def test_an_unknown_ref_is_an_error_not_a_traceback(
    side: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = breaking.SPEC.read_text(encoding="utf-8")
    dangling = tmp_path / "talq.yaml"
    dangling.write_text(
        text.replace('"#/components/schemas/ErrorCode"', '"#/components/schemas/NoSuchSchema"', 1),
        encoding="utf-8",
    )
    other = "--spec" if side == "--base-file" else "--base-file"
    assert breaking.main([side, str(dangling), other, str(breaking.SPEC)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "cannot compare: the $ref '#/components/schemas/NoSuchSchema' points at nothing" in captured.err


@REDOCLY
def test_a_redocly_config_without_the_diff_rules_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "redocly.yaml"
    config.write_text("rules: {}\n", encoding="utf-8")
    with pytest.raises(breaking.GateError, match="extend diff-recommended"):
        breaking.run_redocly(breaking.SPEC, breaking.SPEC, config)


def test_a_duplicated_key_is_a_parse_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """PyYAML would keep the last value silently; Redocly refuses such a file, and so does the gate."""
    duplicated = tmp_path / "talq.yaml"
    duplicated.write_text(
        "openapi: 3.1.0\ninfo:\n  title: a\n  title: b\n  version: 1.0.0\npaths: {}\n", encoding="utf-8"
    )
    assert breaking.main(["--base-file", str(duplicated)]) == 2
    assert "duplicated key 'title'" in capsys.readouterr().err


@REDOCLY
def test_redocly_failing_is_an_error_with_its_reason_not_a_verdict(tmp_path: Path) -> None:
    config = tmp_path / "redocly.yaml"
    config.write_text("extends:\n  - no-such-ruleset\n", encoding="utf-8")
    with pytest.raises(breaking.GateError, match="redocly diff could not compare") as raised:
        breaking.run_redocly(breaking.SPEC, breaking.SPEC, config)
    assert "no-such-ruleset" in str(raised.value)
    assert "║" not in str(raised.value)


# ---- the README's section ----------------------------------------------------------------------------

README = breaking.ROOT / "README.md"
SECTION = "## Changing the contract: `make breaking`, versions, the changelog"


def readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    return text[start : text.index("\n## ", start + 1)]


def readme_example() -> list[str]:
    """The lines of the section's example output, from its BREAKING line to its verdict."""
    section = readme_section()
    block = section[section.index("    BREAKING") : section.index("make breaking: FAIL")]
    return [line.strip() for line in block.splitlines() if line.strip()] + ["make breaking: FAIL"]


def test_the_readme_loop_names_make_targets_that_exist() -> None:
    makefile = (breaking.ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    named = set(re.findall(r"make ([a-z][a-z-]*)", readme_section()))
    assert {"generate", "breaking", "test", "dist-client"} <= named
    assert named <= targets, named - targets
