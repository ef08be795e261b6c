"""Installed libraries are read from source like the project's own code, never imported: from the
site-packages of the interpreter running staticflops, of `--python`, or of none (`--no-site-packages`).

`minilib` below is a model library in the style of timm: a `layers` package re-exporting its blocks,
and a `models` package with a registry that `create_model(name)` looks names up in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staticflops import analyze
from staticflops.cli import app
from staticflops.errors import StaticFlopsError
from staticflops.results import Analysis
from staticflops.source import libraries
from staticflops.source.libraries import ask_interpreter, find_libraries

REGISTRY = """
        _registry = {}


        def register_model(fn):
            _registry[fn.__name__] = fn
            return fn


        def list_models():
            return sorted(_registry)


        def create_model(name, **kwargs):
            if name not in _registry:
                raise RuntimeError(f"Unknown model ({name})")
            return _registry[name](**kwargs)
"""
MINILIB = {
    "minilib/__init__.py": """
        '''A small model library in the style of timm.'''
        from .layers import ClassifierHead, ConvBnAct
        from .models import create_model, list_models, register_model

        __version__ = "0.3.0"
    """,
    "minilib/layers/__init__.py": """
        from .attention import Attention
        from .conv_bn import ConvBnAct
        from .head import ClassifierHead
    """,
    "minilib/layers/attention.py": """
        raise RuntimeError("re-exported, never used: this module must not be read")
    """,
    "minilib/layers/conv_bn.py": """
        import torch.nn as nn


        class ConvBnAct(nn.Module):
            '''Conv2d, BatchNorm2d, ReLU: the block most of the library's models are made of.'''

            def __init__(self, in_chs, out_chs, kernel_size=3, stride=1, bias=False):
                super().__init__()
                self.conv = nn.Conv2d(in_chs, out_chs, kernel_size, stride, padding=kernel_size // 2, bias=bias)
                self.bn = nn.BatchNorm2d(out_chs)
                self.act = nn.ReLU(inplace=True)

            def forward(self, x):
                return self.act(self.bn(self.conv(x)))
    """,
    "minilib/layers/head.py": """
        import torch.nn as nn


        class ClassifierHead(nn.Module):
            def __init__(self, in_features, num_classes):
                super().__init__()
                self.pool = nn.AdaptiveAvgPool2d(1)
                self.fc = nn.Linear(in_features, num_classes)

            def forward(self, x):
                return self.fc(self.pool(x).flatten(1))
    """,
    "minilib/models/__init__.py": """
        from .tinynet import TinyNet
    """
    + REGISTRY
    + """

        @register_model
        def tiny(**kwargs):
            return TinyNet(width=8, **kwargs)
    """,
    "minilib/models/tinynet.py": """
        import torch.nn as nn

        from ..layers import ClassifierHead, ConvBnAct


        class TinyNet(nn.Module):
            def __init__(self, in_chans=3, width=16, num_classes=10):
                super().__init__()
                self.stem = ConvBnAct(in_chans, width)
                self.head = ClassifierHead(width, num_classes)

            def forward(self, x):
                return self.head(self.stem(x))
    """,
}

USER = """
    import torch.nn as nn

    import minilib
    from minilib.layers import ConvBnAct


    class Residual(ConvBnAct):
        '''A library block subclassed: a biased 1×1 convolution, and a skip connection.'''

        def __init__(self, chs):
            super().__init__(chs, chs, kernel_size=1, bias=True)

        def forward(self, x):
            return x + super().forward(x)


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.pre = ConvBnAct(3, 4, kernel_size=1)
            self.res = Residual(4)
            self.backbone = minilib.create_model("tiny", in_chans=4, num_classes=5)

        def forward(self, x):
            return self.backbone(self.res(self.pre(x)))
"""

INPUT = (1, 3, 8, 8)
# On 1×3×8×8 every layer before the head has 8·8 = 64 positions: 4 channels make 256 outputs, 8 make 512.
LAYERS = [
    # path, type, params, FLOPs
    ("pre.conv", "Conv2d", 3 * 4, 256 * (2 * 3 * 1 - 1)),  # 12; 1×1 without bias: 5 per output → 1,280
    ("pre.bn", "BatchNorm2d", 2 * 4, 256 * 4),  # 8; 4 per element (affine) → 1,024
    ("pre.act", "ReLU", 0, 256),
    ("res.conv", "Conv2d", 4 * 4 + 4, 256 * (2 * 4 * 1)),  # 20; with bias: 2·4 = 8 per output → 2,048
    ("res.bn", "BatchNorm2d", 2 * 4, 256 * 4),  # 8; 1,024
    ("res.act", "ReLU", 0, 256),
    ("res.add", "add", 0, 256),  # x + ...: one per element
    ("backbone.stem.conv", "Conv2d", 4 * 8 * 9, 512 * (2 * 4 * 9 - 1)),  # 288; 3×3 without bias: 71 → 36,352
    ("backbone.stem.bn", "BatchNorm2d", 2 * 8, 512 * 4),  # 16; 2,048
    ("backbone.stem.act", "ReLU", 0, 512),
    ("backbone.head.pool", "AdaptiveAvgPool2d", 0, 8 * 64),  # a 64-element window per channel → 512
    ("backbone.head.flatten", "Tensor.flatten", 0, 0),
    ("backbone.head.fc", "Linear", 8 * 5 + 5, 5 * (2 * 8)),  # 45; with bias: 2·8 per output → 80
]
PARAMS = 12 + 8 + 20 + 8 + 288 + 16 + 45  # 397
FLOPS = 1280 + 1024 + 256 + 2048 + 1024 + 256 + 256 + 36352 + 2048 + 512 + 512 + 80  # 45,648

runner = CliRunner()


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site-packages directory with minilib installed."""
    return write_tree(tmp_path / "site-packages", MINILIB)


@pytest.fixture
def user(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "project", {"train.py": USER}) / "train.py"


def fake_python(path: Path, roots: list[Path]) -> Path:
    """An 'interpreter' that answers the site-packages question with `roots`, whatever it is asked."""
    path.write_text(f"#!/bin/sh\nprintf '%s\\n' '{json.dumps([str(root) for root in roots])}'\n")
    path.chmod(0o755)
    return path


def rows(analysis: Analysis) -> list[tuple[str, str, int, int | None]]:
    (model,) = analysis.models
    return [(layer.path, layer.type, layer.params, layer.flops) for layer in model.layers]


def messages(analysis: Analysis) -> list[str]:
    return [d.message for d in analysis.diagnostics]


def read_under(analysis: Analysis, root: Path) -> list[str]:
    return sorted(
        str(Path(path).relative_to(root.resolve()))
        for path in analysis.reads.files
        if root.resolve() in Path(path).parents
    )


def test_an_installed_library_is_read_like_project_code(site, user) -> None:
    """Its layers are counted where they are built, a subclass of one is the user's, and a model
    from its registry is built by interpreting the library's own `create_model`."""
    analysis = analyze([user], inputs=[INPUT], library_paths=[site])
    assert rows(analysis) == LAYERS
    (model,) = analysis.models
    assert (model.params, model.flops, model.flops_complete) == (PARAMS, FLOPS, True)
    assert analysis.diagnostics == []
    assert model.layers[0].file == str(site / "minilib" / "layers" / "conv_bn.py")


def test_only_the_library_files_reached_by_imports_are_read(site, user) -> None:
    """`layers/__init__.py` re-exports `Attention`; nothing uses it, so attention.py (which raises)
    is never read, as with the project's own modules."""
    analysis = analyze([user], inputs=[INPUT], library_paths=[site])
    assert read_under(analysis, site) == [
        "minilib/__init__.py",
        "minilib/layers/__init__.py",
        "minilib/layers/conv_bn.py",
        "minilib/layers/head.py",
        "minilib/models/__init__.py",
        "minilib/models/tinynet.py",
    ]


def test_the_project_shadows_an_installed_module_of_the_same_name(site, user) -> None:
    (site / "helpers.py").write_text("raise RuntimeError('the installed helpers must not be read')\n")
    (user.parent / "helpers.py").write_text("WIDTH = 6\n")
    user.write_text("import torch.nn as nn\nfrom helpers import WIDTH\n\nmodel = nn.Linear(2, WIDTH)\n")
    analysis = analyze([user], inputs=[(1, 2)], library_paths=[site])
    assert analysis.models[0].params == 2 * 6 + 6
    assert read_under(analysis, site) == []


def test_python_names_the_environment_whose_packages_are_read(tmp_path, user) -> None:
    """`--python` asks that interpreter where its site-packages are; minilib installed in a venv
    counts as it does from a directory."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True)
    python = tmp_path / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = Path(ask_interpreter(str(python))[0])
    assert purelib.is_relative_to(tmp_path / "venv")
    write_tree(purelib, MINILIB)
    analysis = analyze([user], inputs=[INPUT], python=str(python))
    assert (analysis.models[0].params, analysis.models[0].flops) == (PARAMS, FLOPS)
    # the cache replays this result only while that interpreter still names these directories
    assert analysis.reads.interpreters == {str(python): [f"the installed packages of {python}", str(purelib.resolve())]}


def test_the_interpreter_running_staticflops_is_the_default() -> None:
    """Asked in-process, it gives what it would answer to `--python`."""
    default = find_libraries()
    assert str(Path(sysconfig.get_paths()["purelib"]).resolve()) in default.roots
    assert default.roots == find_libraries(python=sys.executable).roots
    assert default.origin == f"the installed packages of {sys.executable}"


def test_no_site_packages_reads_no_installed_library(site, user) -> None:
    """The same imports are unknown, and the diagnostic says why and what to do."""
    result = runner.invoke(app, ["analyze", str(user), "-i", "1,3,8,8", "--no-site-packages", "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    assert (
        "module 'minilib.layers' was not found in the project, and installed packages were not read "
        "(--no-site-packages); pass --path to read it from a directory"
    ) in result.stderr
    analysis = analyze([user], inputs=[INPUT], site_packages=False, library_paths=[site])
    assert read_under(analysis, site) == []
    (model,) = analysis.models
    assert (model.params, model.flops_complete) == (0, False)
    not_read = "was not found in the project, and installed packages were not read (--no-site-packages)"
    assert {(d.code.code, d.message.split(": ", 1)[0]) for d in analysis.diagnostics if not_read in d.message} >= {
        ("SF301", "'pre' is unknown; its parameters are not counted"),
        ("SF301", "'backbone' is unknown; its parameters are not counted"),
    }


def test_a_library_that_is_not_installed_is_a_diagnostic_not_a_crash(tmp_path, user) -> None:
    python = fake_python(tmp_path / "python", [tmp_path / "empty"])
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["analyze", str(user), "-i", "1,3,8,8", "--python", str(python)])
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.stderr
    assert (
        f"module 'minilib.layers' was not found in the project or the installed packages of {python} "
        "(install it there, pass --python for another environment, or --path)"
    ) in result.stderr


def test_a_missing_module_of_an_installed_package_names_the_package(site, tmp_path) -> None:
    model = tmp_path / "model.py"
    model.write_text(
        "import torch.nn as nn\nfrom minilib.experimental import Block\n\nmodel = nn.Sequential(Block())\n"
    )
    analysis = analyze([model], inputs=[(1, 3)], library_paths=[site])
    assert any(
        f"module 'minilib.experimental' was not found: package 'minilib' ({site / 'minilib'}) has no module "
        "'experimental'" in message
        for message in messages(analysis)
    )


def test_analyze_check_and_shapes_read_the_packages_of_python(site, user, tmp_path) -> None:
    python = fake_python(tmp_path / "python", [site])
    result = runner.invoke(app, ["analyze", str(user), "-i", "1,3,8,8", "--python", str(python), "-f", "json"])
    assert result.exit_code == 0, result.output
    (model,) = json.loads(result.stdout)["models"]
    assert (model["params"], model["flops"]) == (PARAMS, FLOPS)
    # the library's layers count towards a budget as the project's do
    result = runner.invoke(
        app, ["check", str(user), "-i", "1,3,8,8", "--python", str(python), "--max-model-params", "300"]
    )
    assert result.exit_code == 1 and "model 'Net' has 397 parameters, over the 300 limit" in result.stdout
    result = runner.invoke(app, ["shapes", str(user), "-i", "1,3,8,8", "--python", str(python)])
    assert result.exit_code == 0 and "Tensor[1, 5]" in result.stdout


@pytest.mark.parametrize(
    ("script", "why"),
    [
        (None, "cannot be run"),
        ("#!/bin/sh\necho not json\n", "did not answer as a Python interpreter would"),
        ("#!/bin/sh\necho broken >&2\nexit 3\n", "exited with code 3: broken"),
    ],
    ids=["missing", "not an interpreter", "failing"],
)
def test_a_bad_python_is_an_input_error(tmp_path, user, script, why) -> None:
    python = tmp_path / "python"
    if script is not None:
        python.write_text(script)
        python.chmod(0o755)
    for command in (["analyze", str(user)], ["check", str(user)], ["shapes", str(user)], ["diff", "HEAD"]):
        result = runner.invoke(app, [*command, "--python", str(python)])
        assert result.exit_code == 2, command
        assert f"SF002 [file-not-found] --python '{python}' {why}" in result.stderr


def test_an_interpreter_that_does_not_answer_in_time_is_an_input_error(tmp_path, monkeypatch) -> None:
    python = tmp_path / "python"
    python.write_text("#!/bin/sh\nsleep 5\n")
    python.chmod(0o755)
    monkeypatch.setattr(libraries, "QUERY_SECONDS", 0.2)
    with pytest.raises(StaticFlopsError, match=r"did not answer within 0\.2 s"):
        ask_interpreter(str(python))


def test_torch_installed_in_site_packages_is_never_read(tmp_path) -> None:
    """Modelled modules win over installed ones, and a modelled top-level package owns its whole
    dotted tree: torch's own sources, private and submodules included, are never opened."""
    explode = "raise RuntimeError('an installed copy of a modelled module must not be read')\n"
    site = write_tree(
        tmp_path / "site-packages",
        {
            name: explode
            for name in (
                "torch/__init__.py",
                "torch/_C/__init__.py",
                "torch/nn/__init__.py",
                "torch/nn/modules/__init__.py",
                "torch/nn/modules/conv.py",
                "torch/nn/modules/not_modelled.py",
                "numpy/__init__.py",
                "math.py",
                "typing_extensions.py",
            )
        },
    )
    model = tmp_path / "model.py"
    model.write_text(
        textwrap.dedent(
            """
            import math
            import numpy as np
            import torch
            import torch._C
            import torch.nn.modules.conv as conv
            from torch import nn
            from torch.nn.modules.conv import Conv2d
            from torch.nn.modules import not_modelled
            from typing_extensions import Final

            model = nn.Sequential(Conv2d(3, 4, 1), conv.Conv2d(4, 4, 1, bias=False))
            """
        )
    )
    analysis = analyze([model], inputs=[(1, 3, 2, 2)], library_paths=[site])
    # 16 outputs each: (2·3) with bias, then (2·4 − 1) without
    assert (analysis.models[0].params, analysis.models[0].flops) == ((12 + 4) + 16, 16 * 6 + 16 * 7)
    assert read_under(analysis, site) == []
    assert all(not found for _, modules in analysis.reads.resolutions for found in modules.values() if "site" in found)


def test_symbolic_links_into_library_roots_are_followed_and_out_of_all_roots_not(site, tmp_path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    elsewhere = write_tree(tmp_path / "elsewhere", {"outside.py": "WIDTH = 3\n"})
    (project / "linked.py").symlink_to(site / "minilib" / "layers" / "head.py")
    (site / "escaped.py").symlink_to(elsewhere / "outside.py")
    model = project / "model.py"
    model.write_text(
        "import torch.nn as nn\nfrom linked import ClassifierHead\nfrom escaped import WIDTH\n\n"
        "model = nn.Sequential(ClassifierHead(2, 5))\nwide = nn.Linear(2, WIDTH)\n"
    )
    analysis = analyze([model], model="model", inputs=[(1, 2, 4, 4)], library_paths=[site])
    assert analysis.models[0].params == 2 * 5 + 5
    assert any("module 'escaped' was not found" in message for message in messages(analysis))


def test_a_model_registered_by_a_star_imported_module_can_be_created(site, user) -> None:
    """timm registers each model in the file that defines it, which `models/__init__.py` only
    star-imports: a lookup that misses in a module-level registry runs the star-imported modules
    not loaded yet (Interpreter.complete_registry) and looks again."""
    write_tree(
        site,
        {
            "minilib/models/__init__.py": """
                from ._registry import create_model, register_model
                from .tiny import *
            """,
            "minilib/models/_registry.py": REGISTRY,
            "minilib/models/tiny.py": """
                from ._registry import register_model
                from .tinynet import TinyNet

                __all__ = []


                @register_model
                def tiny(**kwargs):
                    return TinyNet(width=8, **kwargs)
            """,
        },
    )
    analysis = analyze([user], inputs=[INPUT], library_paths=[site])
    assert analysis.models, messages(analysis)  # today: "building 'Net' raised RuntimeError: Unknown model (tiny)"
    assert analysis.models[0].flops == FLOPS
