"""The README's verify section: its Python example runs as written, and the workflow's nightly job is
what the README says (scheduled, the token from secrets, a skip line without it, the report uploaded)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def test_the_readme_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    (example,) = [block for block in blocks if "mock_server.verify.cli" in block]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(example, "README.md", "exec"), {})  # noqa: S102 - the README's own example
    assert output.getvalue().rstrip().endswith("exit status 0")
    assert "contradicted" not in output.getvalue().split("items:")[-1]


def test_the_nightly_job_runs_verify_with_the_secret_and_uploads_the_report() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "contract.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"]
    job = workflow["jobs"]["verify"]
    assert "schedule" in job["if"]
    assert job["env"]["TALQ_TOKEN"] == "${{ secrets.TALQ_TOKEN }}"
    steps = {step.get("name"): step for step in job["steps"]}
    assert steps["skip without a token"]["if"] == "env.TALQ_TOKEN == ''"
    assert "TALQ_TOKEN" in steps["skip without a token"]["run"]
    assert "make verify UPSTREAM=https://" in steps["make verify against the real API"]["run"]
    assert steps["upload the report"]["with"]["path"] == "reports/verify.*"
    assert "schedule" in workflow["jobs"]["test"]["if"]
