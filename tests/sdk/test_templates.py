"""Generator upgrades are deliberate: each overridden template's upstream text is kept and checked."""

from __future__ import annotations

from pathlib import Path

import openapi_python_client
import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "openapi" / "templates"
UPSTREAM = TEMPLATES / "upstream"
GENERATOR = Path(openapi_python_client.__file__).parent / "templates"
OVERRIDES = sorted(path.name for path in TEMPLATES.glob("*.jinja"))


def test_each_override_keeps_the_upstream_text_it_started_from() -> None:
    assert OVERRIDES
    assert sorted(path.name for path in UPSTREAM.glob("*.jinja")) == OVERRIDES
    for name in OVERRIDES:
        assert (GENERATOR / name).is_file(), f"{name} overrides no template of the generator"
        assert f"`{name}`" in (TEMPLATES / "README.md").read_text(encoding="utf-8"), (
            f"{name} is not described"
        )


@pytest.mark.parametrize("name", OVERRIDES)
def test_the_pinned_generator_template_is_the_kept_upstream_text(name: str) -> None:
    pinned = (GENERATOR / name).read_text(encoding="utf-8")
    kept = (UPSTREAM / name).read_text(encoding="utf-8")
    assert pinned == kept, (
        f"openapi-python-client {openapi_python_client.__version__} changed {name}: merge the change into "
        f"openapi/templates/{name}, then copy the new text to openapi/templates/upstream/{name}."
    )
