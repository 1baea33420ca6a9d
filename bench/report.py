"""The results as one table (stdout and reports/bench.md), reports/bench.json and reports/bench.png."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SERVER_ORDER = ("mock", "prism", "ceiling")  # the three the targets compare
LOGGING_MOCK = "mock-log"  # the mock as `make mock` starts it: access log on
REDIS_SERVERS = ("mock-redis", "mock-redis-2")  # the mock on the shared store: 1 and 2 workers
MIN_REDIS_SHARE = 0.6  # issue 21: one worker on Redis serves >= 60 % of the in-memory mock's req/s
KINDS = ("valid", "invalid")
STALL_MS = 200.0  # "multi-hundred-millisecond": a p99 at c=64 at or above this is a stall
MEMORY_MIB = 100.0


def cell(results: dict[str, Any], server: str, kind: str, connections: int) -> dict[str, Any] | None:
    for found in results["cells"]:
        if (found["server"], found["request"], found["concurrency"]) == (server, kind, connections):
            return found  # type: ignore[no-any-return]
    return None


def ratio(top: float | None, bottom: float | None) -> float | None:
    if top is None or bottom is None or bottom == 0:
        return None
    return top / bottom


def ratios(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for kind in KINDS:
        for connections in results["meta"]["concurrency"]:
            mock = cell(results, "mock", kind, connections)
            prism = cell(results, "prism", kind, connections) or {}
            ceiling = cell(results, "ceiling", kind, connections) or {}
            logging = cell(results, LOGGING_MOCK, kind, connections) or {}
            if mock is None:
                continue
            rows.append(
                {
                    "request": kind,
                    "concurrency": connections,
                    "mock_over_prism_rps": ratio(mock["rps"], prism.get("rps")),
                    "mock_over_ceiling_rps": ratio(mock["rps"], ceiling.get("rps")),
                    "mock_over_prism_p99": ratio(mock["p99_ms"], prism.get("p99_ms")),
                    "mock_log_over_prism_rps": ratio(logging.get("rps"), prism.get("rps")),
                }
            )
    return rows


def target(name: str, value: str, met: bool | None) -> dict[str, Any]:
    return {"target": name, "value": value, "met": met}


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of issue 6 with the measured value; met is None when a server needed was not run."""
    found: list[dict[str, Any]] = []
    by_key = {(row["request"], row["concurrency"]): row for row in results["ratios"]}
    for kind in KINDS:
        row = by_key.get((kind, 16), {})
        value = row.get("mock_over_prism_rps")
        found.append(
            target(f"req/s >= 3x Prism at c=16 ({kind})", _x(value), None if value is None else value >= 3)
        )
    for kind in KINDS:
        value = by_key.get((kind, 16), {}).get("mock_log_over_prism_rps")
        found.append(
            target(
                f"access log on: req/s >= 3x Prism at c=16 ({kind})",
                _x(value),
                None if value is None else value >= 3,
            )
        )
    for kind in KINDS:
        value = by_key.get((kind, 16), {}).get("mock_over_prism_p99")
        shown = _x(value)
        mock, prism, ceiling = (cell(results, name, kind, 16) for name in SERVER_ORDER)
        if mock is not None and prism is not None:
            shown = f"{shown} ({mock['p99_ms']:.2f} vs {prism['p99_ms']:.2f} ms"
            if ceiling is not None:
                # The bare server's own p99 is this run's floor: a bound below it is out of anyone's reach.
                shown += f"; ceiling's own p99 {ceiling['p99_ms']:.2f} ms"
            shown += ")"
        found.append(
            target(
                f"p99 <= 1/3 of Prism's at c=16 ({kind})",
                shown,
                None if value is None else value <= 1 / 3,
            )
        )
    for kind in KINDS:
        mock = cell(results, "mock", kind, 64)
        met = None if mock is None else mock["p99_ms"] < STALL_MS
        value = "n/a" if mock is None else f"p99 {mock['p99_ms']:.1f} ms (max {mock['max_ms']:.1f} ms)"
        found.append(target(f"no stalls at c=64: p99 < {STALL_MS:.0f} ms ({kind})", value, met))
    servers = results["servers"]
    if "mock" in servers and "prism" in servers:
        mock_s, prism_s = servers["mock"]["startup_median_s"], servers["prism"]["startup_median_s"]
        found.append(
            target(
                "start-up to first 200 <= Prism's", f"{mock_s:.3f} s vs {prism_s:.3f} s", mock_s <= prism_s
            )
        )
    if "mock" in servers:
        after = servers["mock"]["rss_after_mib"]
        found.append(
            target(f"RSS after load <= {MEMORY_MIB:.0f} MiB", f"{after:.1f} MiB", after <= MEMORY_MIB)
        )
    for kind in KINDS:
        value = by_key.get((kind, 16), {}).get("mock_over_ceiling_rps")
        found.append(
            target(
                f">= 25% of the ceiling's req/s at c=16 ({kind})",
                "n/a" if value is None else f"{value:.0%}",
                None if value is None else value >= 0.25,
            )
        )
    for kind in KINDS:
        memory, redis = cell(results, "mock", kind, 16), cell(results, "mock-redis", kind, 16)
        share = ratio(redis["rps"] if redis else None, memory["rps"] if memory else None)
        found.append(
            target(
                f"on Redis, 1 worker: req/s >= {MIN_REDIS_SHARE:.0%} of in memory at c=16 ({kind})",
                "n/a" if share is None else f"{share:.0%}",
                None if share is None else share >= MIN_REDIS_SHARE,
            )
        )
    bad = [c for c in results["cells"] if c["unexpected_status"] or c["socket_errors"]]
    checks_ok = all(summary["status_ok"] for summary in servers.values())
    found.append(
        target(
            "every answer had the expected status, no socket errors",
            f"{len(bad)} cell(s) with unexpected statuses or errors; "
            f"pre-checks {'ok' if checks_ok else 'FAILED'}",
            not bad and checks_ok,
        )
    )
    return found


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _us(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _row(values: list[str]) -> str:
    return "| " + " | ".join(values) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(row) for row in rows)]


def _met(met: bool | None) -> str:
    return "n/a" if met is None else ("MET" if met else "MISSED")


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    lines = [
        "# make bench",
        "",
        f"{meta['when']} · {meta['cpus']} CPUs · wrk {meta['warmup_s']:g} s warm-up + "
        f"{meta['duration_s']:g} s per cell, threads = min(c, 2) · {meta['tools']['wrk']} · "
        f"Prism {meta['tools']['prism']} · "
        f"Python {meta['tools']['python']} · Node {meta['tools']['node']}",
        "",
    ]
    rows = []
    for server in (*SERVER_ORDER, LOGGING_MOCK, *REDIS_SERVERS):
        for kind in KINDS:
            for connections in meta["concurrency"]:
                found = cell(results, server, kind, connections)
                if found is None:
                    continue
                rows.append(
                    [
                        server,
                        kind,
                        str(connections),
                        f"{found['rps']:,.0f}",
                        f"{found['p50_ms']:.2f}",
                        f"{found['p90_ms']:.2f}",
                        f"{found['p99_ms']:.2f}",
                        f"{found['max_ms']:.1f}",
                        f"{found['non_2xx']:,}",
                        str(found["unexpected_status"]),
                        str(found["socket_errors"]),
                        f"{found['rss_peak_mib']:.1f}",
                        _us(found.get("cpu_us_per_request")),
                        _us(found.get("redis_cpu_us_per_request")),
                    ]
                )
    header = ["server", "request", "c", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "non-2xx"]
    header += ["unexpected", "errors", "peak RSS MiB", "CPU us/req", "Redis CPU us/req"]
    lines += _table(header, rows)
    lines += ["", "non-2xx: 400s are expected for `invalid` on mock and Prism (the ceiling answers 200)."]
    lines += [
        "unexpected: answers whose status was not the expected one; errors: socket errors + timeouts.",
        "CPU us/req: user + system CPU of the server's process tree (and of redis-server) over the "
        "measured run, per request; wrk shares the cores.",
        "",
    ]
    rows = []
    for name in (*SERVER_ORDER, LOGGING_MOCK, *REDIS_SERVERS):
        summary = results["servers"].get(name)
        if summary is None:
            continue
        starts = ", ".join(f"{s:.2f}" for s in summary["startup_s"])
        rows.append(
            [
                summary["label"],
                f"{summary['startup_median_s']:.3f} s ({starts})",
                f"{summary['rss_idle_mib']:.1f}",
                f"{summary['rss_peak_mib']:.1f}",
                f"{summary['rss_after_mib']:.1f}",
                f"{summary['status_checks']} {'ok' if summary['status_ok'] else 'UNEXPECTED'}",
            ]
        )
    header = ["server", "start-up to first 200: median (each)", "RSS idle MiB", "RSS peak MiB"]
    header += ["RSS after load MiB", "status pre-check"]
    lines += [*_table(header, rows), ""]
    rows = [
        [
            row["request"],
            str(row["concurrency"]),
            _x(row["mock_over_prism_rps"]),
            "n/a" if row["mock_over_ceiling_rps"] is None else f"{row['mock_over_ceiling_rps']:.0%}",
            _x(row["mock_over_prism_p99"]),
            _x(row.get("mock_log_over_prism_rps")),
        ]
        for row in results["ratios"]
    ]
    header = [
        "request",
        "c",
        "mock/Prism req/s",
        "mock/ceiling req/s",
        "mock/Prism p99",
        "mock (log on)/Prism req/s",
    ]
    lines += _table(header, rows)
    lines += [""]
    rows = [[row["target"], row["value"], _met(row["met"])] for row in results["targets"]]
    lines += [*_table(["target (issue 6)", "measured", ""], rows), ""]
    cost = results.get("ci_cost")
    if cost:
        rows = [
            [name, f"`{item['command']}`", f"{item['seconds']:.1f} s", "ok" if item["ok"] else "FAILED"]
            for name, item in cost.items()
        ]
        lines += [*_table(["CI cost", "command", "time", "result"], rows), ""]
    lines += [f"Wall time of the bench: {meta['wall_s']:.0f} s."]
    return "\n".join(lines) + "\n"


def chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib  # noqa: PLC0415 - imported here so that the rest works without a display

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    concurrency = results["meta"]["concurrency"]
    servers = [name for name in (*SERVER_ORDER, LOGGING_MOCK) if name in results["servers"]]
    colours = {"mock": "#1f77b4", "prism": "#ff7f0e", "ceiling": "#7f7f7f", LOGGING_MOCK: "#2ca02c"}
    figure, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)
    width = 0.8 / max(len(servers), 1)
    by_key = {(row["request"], row["concurrency"]): row for row in results["ratios"]}
    for column, kind in enumerate(KINDS):
        for row, (metric, title) in enumerate((("rps", "requests/s"), ("p99_ms", "p99 latency (ms, log)"))):
            ax = axes[row][column]
            for index, server in enumerate(servers):
                values = [
                    (found[metric] if (found := cell(results, server, kind, c)) is not None else 0.0)
                    for c in concurrency
                ]
                positions = [x + (index - (len(servers) - 1) / 2) * width for x in range(len(concurrency))]
                bars = ax.bar(
                    positions, values, width, label=results["servers"][server]["label"], color=colours[server]
                )
                labels = [f"{v:,.0f}" if metric == "rps" else f"{v:.1f}" for v in values]
                ax.bar_label(bars, labels=labels, fontsize=7, padding=2)
            ax.set_xticks(range(len(concurrency)), [f"c={c}" for c in concurrency])
            ax.set_title(f"{kind} request: {title}")
            if metric == "p99_ms":
                ax.set_yscale("log")
                ax.set_ylim(top=ax.get_ylim()[1] * 4)
            else:
                notes = []
                for c in concurrency:
                    ratio_row = by_key.get((kind, c), {})
                    vs_prism, vs_ceiling = (
                        ratio_row.get("mock_over_prism_rps"),
                        ratio_row.get("mock_over_ceiling_rps"),
                    )
                    if vs_prism is not None or vs_ceiling is not None:
                        ceiling_text = "n/a" if vs_ceiling is None else f"{vs_ceiling:.0%}"
                        notes.append(f"c={c}: mock/Prism {_x(vs_prism)}, mock/ceiling {ceiling_text}")
                ax.text(0.01, 0.98, "\n".join(notes), transform=ax.transAxes, va="top", fontsize=8)
                ax.set_ylim(top=ax.get_ylim()[1] * 1.3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=len(servers), fontsize=9)
    figure.suptitle(
        f"make bench · {results['meta']['when']} · wrk {results['meta']['duration_s']:g} s per cell"
    )
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write_reports(results: dict[str, Any], folder: Path) -> str:
    """Fill in ratios and targets, write the three reports; the table's text."""
    results["ratios"] = ratios(results)
    results["targets"] = targets(results)
    folder.mkdir(parents=True, exist_ok=True)
    text = markdown(results)
    (folder / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    (folder / "bench.md").write_text(text)
    chart(results, folder / "bench.png")
    return text
