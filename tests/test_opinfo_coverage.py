"""torch's OpInfo database, op by op: what docs/opinfo-coverage.json records as covered stays covered.

benchmarks/opinfo_coverage.py calls every OpInfo op on its first sample inputs in the static world and in
torch (shapes, and FLOPs under the `torch` convention against FlopCounterMode); `--write` records the result,
from which docs/supported.md's coverage section is generated. Here it runs again on the whole database.
"""

from __future__ import annotations

import json
import sys

import pytest

from tests.conftest import ROOT

torch = pytest.importorskip("torch")
pytest.importorskip("expecttest")  # torch.testing._internal imports it
pytestmark = pytest.mark.torch

RECORD = json.loads((ROOT / "docs" / "opinfo-coverage.json").read_text())
SAME_TORCH = torch.__version__.split("+")[0] == RECORD["torch"]
"""OpInfo's entries and samples change between torch releases: the recorded figure is exact for its own."""


@pytest.fixture(scope="module")
def results() -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import opinfo_coverage

    return {result.name: result for result in opinfo_coverage.run(samples=RECORD["samples"])}


def test_every_recorded_covered_op_still_agrees_with_torch(results) -> None:
    covered = [name for name, entry in RECORD["ops"].items() if entry["status"] == "covered"]
    regressed = {
        name: (results[name].status, results[name].details[:1] or results[name].reason)
        for name in covered
        if name in results and results[name].status != "covered"
    }
    assert regressed == {}


def test_coverage_is_at_least_the_recorded_figure(results) -> None:
    counted = [r for r in results.values() if r.status != "excluded"]
    covered = sum(r.status == "covered" for r in counted)
    recorded = RECORD["covered"] / RECORD["total"]
    if SAME_TORCH:
        assert len(counted) == RECORD["total"], "the same torch has the same OpInfo entries"
        assert covered >= RECORD["covered"]
    else:  # another release's OpInfo: its own entries, held to the recorded share less a margin for new ones
        assert covered / len(counted) >= recorded - 0.05


def test_the_record_is_what_the_docs_show() -> None:
    page = (ROOT / "docs" / "supported.md").read_text()
    assert f"**{RECORD['covered']} / {RECORD['total']} (" in page
    missing = [name for name, entry in RECORD["ops"].items() if entry["status"] == "missing"]
    assert all(f"| `{name}` |" in page for name in missing)
