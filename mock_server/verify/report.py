"""verify's report: a terminal table, JSON, Markdown and JUnit XML, from the same items."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from mock_server.spec.document import JSON
from mock_server.verify.checks import CONFIRMED, CONTRADICTED, NOT_PROBEABLE, UNPROBED
from mock_server.verify.runner import Item

VERDICTS = (CONTRADICTED, CONFIRMED, NOT_PROBEABLE, UNPROBED)
MAX_CELL = 110


def _cell(text: str, width: int = MAX_CELL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class VerifyReport:
    upstream: str
    mode: str  # "probe" or "replay"
    items: list[Item] = field(default_factory=list)
    planned: int = 0
    sent: int = 0
    waited_seconds: float = 0.0
    rate_limited: int = 0  # 429s received

    def counts(self) -> Counter[str]:
        return Counter(item.verdict for item in self.items)

    @property
    def contradicted(self) -> list[Item]:
        return [item for item in self.items if item.verdict == CONTRADICTED]

    def summary(self) -> str:
        counts = self.counts()
        verdicts = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v])
        return (
            f"talq verify ({self.mode}) against {self.upstream}: {len(self.items)} items: "
            f"{verdicts or 'none'}; "
            f"{self.sent} of {self.planned} planned requests sent, {self.rate_limited} answered 429, "
            f"{self.waited_seconds:.0f} s waited for the rate limit"
        )

    def table(self) -> str:
        rows = [
            ("verdict", "where in the spec", "what"),
            *((i.verdict, i.pointer, i.claim) for i in self.items),
        ]
        widths = [max(len(_cell(row[c], 70)) for row in rows) for c in range(2)]
        lines = []
        for verdict, where, what in rows:
            lines.append(f"{verdict:<{widths[0]}}  {_cell(where, 70):<{widths[1]}}  {_cell(what, 60)}")
        for item in self.contradicted:
            lines.append(
                f"\n✗ {item.pointer}\n  {_cell(item.detail, 400)}\n  spec: {_cell(item.spec_change, 400)}"
            )
            for evidence in item.evidence:
                request, answer = evidence["request"], evidence["answer"]
                lines.append(f"  sent: {request['method']} {request['path']} → {answer['status']}")
        lines.append("\n" + self.summary())
        return "\n".join(lines)

    def as_data(self) -> dict[str, JSON]:
        return {
            "upstream": self.upstream,
            "mode": self.mode,
            "counts": {verdict: self.counts()[verdict] for verdict in VERDICTS},
            "planned_requests": self.planned,
            "sent_requests": self.sent,
            "rate_limited": self.rate_limited,
            "waited_seconds": round(self.waited_seconds, 1),
            "items": [item.as_data() for item in self.items],
        }

    def markdown(self) -> str:
        lines = [
            f"# talq verify ({self.mode}) against `{self.upstream}`",
            "",
            self.summary(),
            "",
            "| verdict | where in the spec | what | detail |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {i.verdict} | `{i.pointer}` | {_md(i.claim)} | {_md(_cell(i.detail, 300))} |"
            for i in self.items
        ]
        for item in self.contradicted:
            lines += [
                "",
                f"## ✗ `{item.pointer}`",
                "",
                _md(item.detail),
                "",
                f"**Change:** {_md(item.spec_change)}",
                "",
            ]
            lines += ["```json", json.dumps(list(item.evidence), indent=2, ensure_ascii=False), "```"]
        return "\n".join(lines) + "\n"

    def junit(self) -> bytes:
        counts = self.counts()
        suite = ET.Element(
            "testsuite",
            name=f"talq verify {self.mode}",
            tests=str(len(self.items)),
            failures=str(counts[CONTRADICTED]),
            skipped=str(counts[NOT_PROBEABLE] + counts[UNPROBED]),
            errors="0",
        )
        for item in self.items:
            case = ET.SubElement(
                suite, "testcase", classname=f"verify.{item.probe or 'unprobed'}", name=item.pointer
            )
            if item.verdict == CONTRADICTED:
                failure = ET.SubElement(case, "failure", message=_cell(item.detail, 500), type="contradicted")
                failure.text = item.spec_change + "\n" + json.dumps(list(item.evidence), indent=2)
            elif item.verdict in {NOT_PROBEABLE, UNPROBED}:
                ET.SubElement(case, "skipped", message=f"{item.verdict}: {_cell(item.detail, 500)}")
        xml: bytes = ET.tostring(suite, encoding="utf-8", xml_declaration=True)
        return xml

    def write(self, path: Path) -> list[Path]:
        """The JSON report at `path`, the Markdown and the JUnit XML next to it (.md, .xml)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        written = [path, path.with_suffix(".md"), path.with_suffix(".xml")]
        written[0].write_text(
            json.dumps(self.as_data(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        written[1].write_text(self.markdown(), encoding="utf-8")
        written[2].write_bytes(self.junit())
        return written


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
