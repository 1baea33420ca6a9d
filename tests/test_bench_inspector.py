"""bench/inspector.py without load: the baseline is the tree before the inspector, and the report
says what was measured."""

from __future__ import annotations

from pathlib import Path

from bench.inspector import baseline_commit, extract, markdown


def test_the_baseline_is_the_mock_before_the_inspector(tmp_path: Path) -> None:
    commit = baseline_commit()
    assert commit.endswith("~1")
    extract(commit, tmp_path)
    assert (tmp_path / "mock_server" / "__main__.py").is_file()
    assert (tmp_path / "openapi" / "talq.yaml").is_file()
    assert not (tmp_path / "mock_server" / "inspector").exists()


TARGET = "c=16: CPU per request, one page streaming <= 105% of no page open"


def test_the_report_has_each_variant_and_each_target() -> None:
    data = {
        "when": "now", "machine": "2 CPUs", "baseline": "abc~1", "duration": 8, "rounds": 3,
        "cells": [
            {"variant": "baseline", "concurrency": 16, "rps_median": 5000.0, "rps_runs": [5000.0],
             "cpu_us_per_request_median": 150.0, "cpu_us_per_request_runs": [150.0]},
            {"variant": "no page open", "concurrency": 16, "rps_median": 4990.0, "rps_runs": [4990.0],
             "cpu_us_per_request_median": 151.0, "cpu_us_per_request_runs": [151.0]},
        ],
        "streamed_rows": [{"rows": 160, "requests": 40000}],
        "targets": [{"target": TARGET, "value": "90.0%", "met": False}],
    }  # fmt: skip
    text = markdown(data)
    assert "| baseline | 16 | 150 us | 150 | 5,000 | 5,000 |" in text
    assert "160 of 40,000" in text
    assert f"| {TARGET} | 90.0% | MISSED |" in text
