"""Every `Example` on a catalog entry is a test: the analyzer must reproduce its numbers.

The arithmetic behind each example is written beside it in the catalog; the params and
output shapes are checked against real PyTorch in test_torch_crosscheck.py.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from staticflops.catalog import CATALOG, Example, LayerSpec, OpSpec
from tests.conftest import ROOT

OPERANDS = "xyzw"
"""An op example's source names its tensor inputs x, y, z, w, in order."""


def examples(kind: type) -> list:
    return [
        pytest.param(spec, example, id=f"{spec.qualname.removeprefix('torch.')}-{i}")
        for spec in CATALOG.entries.values()
        if isinstance(spec, kind)
        for i, example in enumerate(spec.examples)
    ]


def einops_import(source: str) -> str:
    """The import an einops entry's example needs (`einops.rearrange(x, ...)`, `einops.layers.torch.Reduce(...)`)."""
    return "import einops, einops.layers.torch" if "einops." in source else ""


def op_source(example: Example) -> str:
    """A model whose forward makes the example's call on its inputs."""
    *statements, result = example.source.split("; ")
    body = "".join(f"{statement}\n                " for statement in statements)
    return f"""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        {einops_import(example.source)}

        class M(nn.Module):
            def forward(self, {", ".join(OPERANDS[: len(example.inputs)])}):
                {body}return {result}
        """


@pytest.mark.parametrize(("spec", "example"), examples(LayerSpec))
def test_layer_example(spec, example, analyze_source) -> None:
    model = analyze_source(
        f"""
        import torch.nn as nn
        {einops_import(example.source)}

        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.layer = {example.source}

            def forward(self, *inputs):
                return self.layer(*inputs)
        """,
        model="M",
        inputs=list(example.inputs),
    )
    (layer,) = model.layers
    assert layer.type == spec.name
    assert layer.output == example.output
    assert model.params == example.params
    assert layer.flops == example.flops
    assert layer.macs == example.macs


@pytest.mark.parametrize(("spec", "example"), examples(OpSpec))
def test_op_example(spec, example, analyze_source) -> None:
    model = analyze_source(op_source(example), model="M", inputs=list(example.inputs))
    if example.data_dependent:  # said to depend on the data, with no shape and no work
        assert [d.code.code for d in model.diagnostics] == ["SF301"], model.diagnostics
        assert "depends on the data" in model.diagnostics[0].message
        (call,) = [layer for layer in model.layers if layer.caller.qualname == spec.qualname]
        assert (call.output, call.flops, model.flops_complete) == (None, None, False)
        return
    assert model.diagnostics == []
    (call,) = [layer for layer in model.layers if layer.caller.qualname == spec.qualname]
    assert call.output == example.output
    assert model.params == example.params == 0
    assert call.flops == example.flops
    assert call.macs == example.macs


def test_every_catalog_entry_has_an_example() -> None:
    missing = [name for name, spec in CATALOG.entries.items() if not spec.examples]
    assert missing == []


def test_a_name_defined_twice_stops_the_index() -> None:
    import importlib.util

    path = ROOT / "scripts" / "generate_catalog_index.py"
    spec = importlib.util.spec_from_file_location("generate_catalog_index", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    with pytest.raises(SystemExit, match=r"torch\.nn\.Linear is defined twice"):
        script.index_source(["linear", "linear"])


def test_the_index_names_every_entry_of_every_family() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/generate_catalog_index.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_a_lookup_imports_only_its_family() -> None:
    probe = (
        "import sys; from staticflops.catalog import CATALOG; "
        "before = {m for m in sys.modules if m.startswith('staticflops.catalog.')}; "
        "layer = CATALOG.entries['torch.nn.Conv2d']; missing = CATALOG.entries.get('torch.nn.NoSuchLayer'); "
        "after = {m for m in sys.modules if m.startswith('staticflops.catalog.')}; "
        "print(layer.qualname, missing, *sorted(m.rsplit('.', 1)[1] for m in after - before))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["torch.nn.Conv2d", "None", "conv"]


def test_a_stale_index_is_an_error_not_a_missing_entry() -> None:
    from staticflops.catalog.spec import FamilyEntries

    stale = FamilyEntries("staticflops.catalog", {"dropout": ("torch.nn.Dropout",)})
    with pytest.raises(RuntimeError, match="index is stale for dropout"):
        stale.get("torch.nn.Dropout")
