"""One version for the contract and its client: the spec's info.version, with a CHANGELOG.md entry."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import talq_client

from tools import breaking

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = ROOT / "CHANGELOG.md"


def changelog_versions() -> list[str]:
    return re.findall(r"^## (\S+)", CHANGELOG.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_the_spec_version_is_semantic() -> None:
    assert breaking.parse_version(breaking.spec_version()) is not None, breaking.spec_version()


def test_the_current_version_has_a_changelog_entry() -> None:
    assert breaking.spec_version() in changelog_versions(), (
        f"CHANGELOG.md has no `## {breaking.spec_version()}` entry: add one (what `make breaking` printed)"
    )


def test_the_changelog_lists_semantic_versions_newest_first() -> None:
    versions = changelog_versions()
    parsed = [breaking.parse_version(version) for version in versions]
    semantic = [version for version in parsed if version is not None]
    assert len(semantic) == len(parsed), versions
    assert semantic == sorted(semantic, reverse=True), versions
    assert len(set(versions)) == len(versions), versions


def test_the_generated_client_carries_the_spec_version() -> None:
    project = tomllib.loads((ROOT / "generated" / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["version"] == breaking.spec_version()
    assert talq_client.__version__ == breaking.spec_version()
