"""A user's file that imports timm and torchvision, read from an installed environment's sources.

The libraries' wheels are fetched once with `pip download --no-deps` (benchmarks/.cache, as the
benchmarks do) and their packages laid out as a site-packages directory; nothing of them is
imported or run. The figures are those PyTorch 2.14 measured for the same models
(benchmarks/timm_reference.tsv and benchmarks/torchvision_reference.tsv): timm's resnet18 and
torchvision's resnet18 each have 11,689,512 parameters and do 3,625,662,976 seed conv/linear
FLOPs at 1×3×224×224.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from staticflops import analyze
from staticflops.catalog import WorkKind
from staticflops.conventions import Convention, price
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

RESNET18_PARAMS = 11_689_512
RESNET18_SEED_CONV_LINEAR = 3_625_662_976
PRODUCTS = {WorkKind.CONV, WorkKind.CONV_TRANSPOSE, WorkKind.LINEAR}


@pytest.fixture(scope="module")
def site_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import timm_suite
        import torchvision_suite
    finally:
        sys.path.pop(0)
    site = tmp_path_factory.mktemp("site-packages")
    for sources, package in ((timm_suite.fetch_sources(), "timm"), (torchvision_suite.fetch_sources(), "torchvision")):
        shutil.copytree(sources / package, site / package)
    return site


def test_timm_and_torchvision_models_used_from_a_users_file(site_packages: Path, tmp_path: Path) -> None:
    user = tmp_path / "ensemble.py"
    user.write_text(
        "import timm\n"
        "import torch.nn as nn\n"
        "import torchvision\n"
        "from timm.layers import DropPath\n\n\n"
        "class Ensemble(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        '        self.a = timm.create_model("resnet18", pretrained=False)\n'
        "        self.b = torchvision.models.resnet18(weights=None)\n"
        "        self.drop = DropPath(0.1)\n\n"
        "    def forward(self, x):\n"
        "        return self.drop(self.a(x)) + self.b(x)\n"
    )
    analysis = analyze([user], inputs=[(1, 3, 224, 224)], library_paths=[site_packages])
    (model,) = analysis.models
    assert model.params == 2 * RESNET18_PARAMS
    seed = sum(price(w, Convention.SEED) for layer in model.layers for w in layer.works if w.kind in PRODUCTS)
    assert seed == 2 * RESNET18_SEED_CONV_LINEAR
    assert model.layers[-1].output == (1, 1000)  # the sum of both classifiers' logits
    assert model.params_complete and model.flops_complete


def test_without_the_library_the_import_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    user = tmp_path / "uses_timm.py"
    user.write_text(
        "import timm\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        '        super().__init__()\n        self.backbone = timm.create_model("resnet18")\n'
        "        self.fc = nn.Linear(1000, 10)\n\n    def forward(self, x):\n        return self.fc(self.backbone(x))\n"
    )
    analysis = analyze([user], inputs=[(1, 3, 224, 224)], site_packages=False)
    messages = " ".join(d.message for d in analysis.diagnostics)
    assert "module 'timm' was not found" in messages
