"""The inspector's vendored JavaScript is byte for byte what package-lock.json pins (node_modules)."""

from __future__ import annotations

import json

from tools.vendor_js import ROOT, STATIC, VENDORED, expected, main


def test_the_vendored_files_are_the_pinned_packages_with_their_licences() -> None:
    assert main(["--check"]) == 0
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    versions = json.loads((STATIC / "VENDORED.json").read_text())
    for package in {package for package, _, _ in VENDORED}:
        assert versions[package] == lock[f"node_modules/{package}"]["version"]
    assert set(expected()) == {name for _, _, name in VENDORED} | {"VENDORED.json"}
    assert b"Zero-Clause BSD" in (STATIC / "htmx.LICENSE.txt").read_bytes()
    assert b"BSD Zero Clause" in (STATIC / "htmx-ext-sse.LICENSE.txt").read_bytes()
