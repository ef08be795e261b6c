"""torch's ModuleInfo database, module by module: what docs/moduleinfo-coverage.json records as covered stays
covered.

benchmarks/moduleinfo_coverage.py builds every ModuleInfo module from its samples' constructor arguments and
calls it on their forward inputs, in the static world and in torch (parameter counts, output shapes, and FLOPs
under the `torch` convention against FlopCounterMode); `--write` records the result, from which
docs/supported.md's ModuleInfo section is generated. Here it runs again on the whole database.
"""

from __future__ import annotations

import json
import sys

import pytest

from tests.conftest import ROOT

torch = pytest.importorskip("torch")
pytest.importorskip("expecttest")  # torch.testing._internal imports it
pytestmark = pytest.mark.torch

RECORD = json.loads((ROOT / "docs" / "moduleinfo-coverage.json").read_text())
SAME_TORCH = torch.__version__.split("+")[0] == RECORD["torch"]
"""ModuleInfo's entries and samples change between torch releases: the recorded figure is exact for its own."""


@pytest.fixture(scope="module")
def results() -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import moduleinfo_coverage

    return {result.name: result for result in moduleinfo_coverage.run(samples=RECORD["samples"])}


def test_every_recorded_covered_module_still_agrees_with_torch(results) -> None:
    covered = [name for name, entry in RECORD["modules"].items() if entry["status"] == "covered"]
    regressed = {
        name: (results[name].status, results[name].details[:1] or results[name].reason)
        for name in covered
        if name in results and results[name].status != "covered"
    }
    assert regressed == {}


@pytest.fixture(scope="module")
def extras() -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import moduleinfo_coverage

    return {result.name: result for result in moduleinfo_coverage.run(samples=RECORD["samples"], extras=True)}


def test_every_recorded_covered_module_beyond_moduleinfo_still_agrees_with_torch(extras) -> None:
    # our own samples (benchmarks/module_extras.py) of the torch.nn modules ModuleInfo lacks
    covered = [name for name, entry in RECORD["extras"]["modules"].items() if entry["status"] == "covered"]
    regressed = {
        name: (extras[name].status, extras[name].details[:1] or extras[name].reason)
        for name in covered
        if name in extras and extras[name].status != "covered"
    }
    assert regressed == {}


def test_the_record_has_the_modules_of_a_fresh_run(results) -> None:
    if SAME_TORCH:
        assert set(results) == set(RECORD["modules"]), "the same torch has the same ModuleInfo entries"
        counted = [r for r in results.values() if r.status != "excluded"]
        assert len(counted) == RECORD["total"]
        assert sum(r.status == "covered" for r in counted) >= RECORD["covered"]
    else:  # another release's ModuleInfo: most of its modules are the recorded ones
        assert len(set(results) & set(RECORD["modules"])) >= 0.9 * len(RECORD["modules"])


def test_the_record_is_what_the_docs_show() -> None:
    page = (ROOT / "docs" / "supported.md").read_text()
    assert f"**{RECORD['covered']} / {RECORD['total']} (" in page.split("## ModuleInfo coverage", 1)[1]
    left = [name for name, entry in RECORD["modules"].items() if entry["status"] != "covered"]
    left += [name for name, entry in RECORD["extras"]["modules"].items() if entry["status"] != "covered"]
    assert all(f"| `{name}` |" in page for name in left)
