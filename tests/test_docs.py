"""The documentation stays true: generated pages are current, the JSON output matches its schema."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from staticflops import analyze
from staticflops.report.json import to_json
from tests.conftest import FIXTURES, ROOT


def test_generated_pages_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/generate_docs.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_json_output_validates_against_the_schema() -> None:
    schema = json.loads((ROOT / "docs" / "schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for fixture in sorted(FIXTURES.glob("*.py")):
        for convention in ("seed", "macs"):
            jsonschema.validate(to_json(analyze([fixture], convention=convention)), schema)


def test_schema_and_docs_name_every_convention() -> None:
    from staticflops.conventions import Convention

    schema = json.loads((ROOT / "docs" / "schema.json").read_text())
    assert schema["properties"]["convention"]["enum"] == [str(c) for c in Convention]
    page = (ROOT / "docs" / "conventions.md").read_text()
    assert all(f"| `{c}`" in page for c in Convention)


def test_every_diagnostic_code_is_documented() -> None:
    from staticflops.diagnostics import CODES

    page = (ROOT / "docs" / "diagnostics.md").read_text()
    assert all(f"### {code} " in page for code in CODES)
