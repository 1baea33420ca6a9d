"""Generate the Python client from openapi/talq.yaml, or check that the committed one is fresh.

    python tools/generate_client.py            # regenerate generated/ from the spec
    python tools/generate_client.py --check    # fail, naming the files, if generated/ differs

The generator (openapi-python-client) and its post-hook formatter (ruff) are pinned in
requirements.lock; the post-hooks run ruff with --isolated (see openapi/generator.yaml), so the
output depends on nothing but the spec and those two pinned tools.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "talq.yaml"
CONFIG = ROOT / "openapi" / "generator.yaml"
# Custom templates (override the generator's by file name; upstream/ keeps the text each started from)
# and hand-written modules copied into the package after generation (see openapi/templates/README.md).
TEMPLATES = ROOT / "openapi" / "templates"
SDK_MODULES = ROOT / "openapi" / "sdk"
PACKAGE = "talq_client"
OUTPUT = ROOT / "generated"
# Files a run of the tests, the generator's formatter, `pip install -e generated` or `make dist-client`
# (pdm-backend's .pdm-build) may leave behind; never part of the client.
IGNORED_NAMES = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache", ".pdm-build"}


def generate_into(destination: Path, spec: Path = SPEC) -> None:
    """Run the pinned generator on `spec`, writing a fresh client project to `destination`."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [
        str(bin_dir / "openapi-python-client"),
        "generate",
        "--path",
        str(spec),
        "--config",
        str(CONFIG),
        "--meta",
        "pdm",
        "--output-path",
        str(destination),
        "--custom-template-path",
        str(TEMPLATES),
        "--fail-on-warning",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"openapi-python-client failed on {spec} (exit {result.returncode}).")
    for module in sorted(SDK_MODULES.glob("*.py")):
        shutil.copyfile(module, destination / PACKAGE / module.name)
    # The generator's own post-hooks (openapi/generator.yaml) again, now over the copied modules too.
    for hook in yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["post_hooks"]:
        hooked = subprocess.run(
            shlex.split(hook), cwd=destination, env=env, capture_output=True, text=True, check=False
        )
        if hooked.returncode != 0:
            sys.stderr.write(hooked.stdout + hooked.stderr)
            raise SystemExit(f"The post-hook {hook!r} failed on the client (exit {hooked.returncode}).")
    for leftover in destination.rglob(".ruff_cache"):
        shutil.rmtree(leftover)


def tree_files(root: Path) -> set[str]:
    """Relative paths of the files below `root`, leaving out caches."""
    files: set[str] = set()
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.is_file() and not IGNORED_NAMES.intersection(relative.parts):
            files.add(relative.as_posix())
    return files


def differences(expected: Path, actual: Path) -> list[str]:
    """One line per file that is changed, missing from `actual`, or extra in it."""
    expected_files, actual_files = tree_files(expected), tree_files(actual)
    lines = [f"missing: {name}" for name in sorted(expected_files - actual_files)]
    lines += [f"extra:   {name}" for name in sorted(actual_files - expected_files)]
    for name in sorted(expected_files & actual_files):
        if not filecmp.cmp(expected / name, actual / name, shallow=False):
            lines.append(f"changed: {name}")
    return lines


def check(spec: Path, committed: Path) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "generated"
        generate_into(fresh, spec)
        lines = differences(fresh, committed)
    if not lines:
        print(
            f"{committed.relative_to(ROOT) if committed.is_relative_to(ROOT) else committed} "
            f"matches a fresh generation from {spec.name}."
        )
        return 0
    print(f"The committed client in {committed} differs from a fresh generation from {spec}:")
    for line in lines:
        print(f"  {line}")
    print("Fix: run `make generate` and commit generated/ (never edit generated/ by hand).")
    return 1


def regenerate(spec: Path, committed: Path) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "generated"
        generate_into(fresh, spec)
        if committed.exists():
            shutil.rmtree(committed)
        shutil.copytree(fresh, committed)
    print(f"Regenerated {committed} from {spec}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--spec", type=Path, default=SPEC, help="the OpenAPI document")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the client project folder")
    args = parser.parse_args(argv)
    action = check if args.check else regenerate
    return action(args.spec.resolve(), args.output.resolve())


if __name__ == "__main__":
    raise SystemExit(main())
