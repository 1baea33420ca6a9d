"""bench/: wrk's result line parsed, targets judged and reports written from made-up numbers (no load)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.load import MARKER, Load, LoadError, lua_script
from bench.report import write_reports
from bench.servers import INVALID_BODY, SERVERS, VALID_BODY

RESULT = (
    '{"requests":20000,"duration_us":2000000,"bytes":1,"connect":0,"read":1,"write":0,"status":3,'
    '"timeout":2,"p50":1200,"p75":1500,"p90":2500,"p99":5000,"max":10400,"mean":1300.5}'
)


def test_load_parses_the_done_line() -> None:
    load = Load.parse(f"Running 2s test\n{MARKER}{RESULT}\n")
    assert load.rps == 10_000
    assert (load.p50_ms, load.p99_ms, load.max_ms) == (1.2, 5.0, 10.4)
    assert load.non_2xx == 3
    assert load.socket_errors == 3


def test_load_without_result_line_is_an_error() -> None:
    with pytest.raises(LoadError):
        Load.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_lua_script_posts_the_body_with_the_bench_headers() -> None:
    script = lua_script(VALID_BODY)
    assert 'wrk.method = "POST"' in script
    assert json.dumps(VALID_BODY.decode()) in script
    assert 'wrk.headers["Authorization"] = "Bearer talq_bench"' in script
    assert b'"12345"' in INVALID_BODY


def cell(server: str, kind: str, concurrency: int, rps: float, p99: float) -> dict[str, Any]:
    return {
        "server": server,
        "request": kind,
        "concurrency": concurrency,
        "requests": int(rps * 5),
        "seconds": 5.0,
        "rps": rps,
        "p50_ms": p99 / 4,
        "p75_ms": p99 / 3,
        "p90_ms": p99 / 2,
        "p99_ms": p99,
        "max_ms": p99 * 2,
        "non_2xx": 0,
        "socket_errors": 0,
        "unexpected_status": 0,
        "rss_peak_mib": 60.0,
    }


def made_up_results() -> dict[str, Any]:
    speeds = {
        "mock": (10_000.0, 4.0),
        "mock-log": (8_000.0, 5.0),
        "prism": (3_000.0, 15.0),
        "ceiling": (30_000.0, 2.0),
    }
    cells = [
        cell(server, kind, concurrency, rps, p99)
        for server, (rps, p99) in speeds.items()
        for kind in ("valid", "invalid")
        for concurrency in (1, 16, 64)
    ]
    summary = {
        "label": "x",
        "status_checks": {"valid": 200, "invalid": 400},
        "expected_status": {"valid": 200, "invalid": 400},
        "status_ok": True,
        "rss_idle_mib": 50.0,
        "rss_peak_mib": 60.0,
        "startup_s": [0.5],
        "startup_median_s": 0.5,
    }
    servers = {
        "mock": {**summary, "rss_after_mib": 64.0},
        "mock-log": {**summary, "rss_after_mib": 66.0},
        "prism": {**summary, "rss_after_mib": 220.0, "startup_median_s": 0.7},
        "ceiling": {**summary, "rss_after_mib": 30.0},
    }
    meta = {
        "when": "2026-01-01T00:00:00+00:00",
        "cpus": 2,
        "duration_s": 5,
        "warmup_s": 2,
        "concurrency": [1, 16, 64],
        "starts": 1,
        "tools": {"wrk": "wrk 4.1.0", "prism": "5.16.0", "python": "3.11", "node": "v20"},
        "wall_s": 100.0,
    }
    return {"meta": meta, "servers": servers, "cells": cells, "ci_cost": None}


def test_reports_judge_the_targets_and_write_three_files(tmp_path: Path) -> None:
    results = made_up_results()
    table = write_reports(results, tmp_path)
    verdicts = {row["target"]: row["met"] for row in results["targets"]}
    assert verdicts["req/s >= 3x Prism at c=16 (valid)"] is True  # 10,000 / 3,000
    assert verdicts["access log on: req/s >= 3x Prism at c=16 (invalid)"] is False  # 8,000 / 3,000 = 2.67
    assert verdicts["p99 <= 1/3 of Prism's at c=16 (valid)"] is True  # 4 / 15 = 0.27
    assert verdicts["RSS after load <= 100 MiB"] is True
    assert verdicts[">= 25% of the ceiling's req/s at c=16 (invalid)"] is True  # 33%
    assert "| mock | valid | 16 | 10,000 |" in table
    assert "| mock-log | invalid | 16 | 8,000 |" in table
    assert (tmp_path / "bench.md").read_text() == table
    assert json.loads((tmp_path / "bench.json").read_text())["ratios"][0]["mock_over_prism_rps"] > 3
    assert (tmp_path / "bench.png").read_bytes().startswith(b"\x89PNG")


def test_the_logging_row_runs_the_mock_with_its_access_log_on() -> None:
    by_name = {server.name: server for server in SERVERS}
    quiet, logging = by_name["mock"].command(1), by_name["mock-log"].command(1)
    assert "--quiet" in quiet
    assert "--quiet" not in logging
    config = yaml.safe_load(Path(logging[logging.index("--config") + 1]).read_text())
    assert config["quiet"] is False
