"""Every `Example` on a catalog entry is a test: the analyzer must reproduce its numbers.

The arithmetic behind each example is written beside it in the catalog; the params and
output shapes are checked against real PyTorch in test_torch_crosscheck.py.
"""

from __future__ import annotations

import pytest

from staticflops.catalog import CATALOG, LayerSpec

EXAMPLES = [
    pytest.param(spec, example, id=f"{spec.name}-{i}")
    for spec in CATALOG.entries.values()
    for i, example in enumerate(spec.examples)
]


@pytest.mark.parametrize(("spec", "example"), EXAMPLES)
def test_catalog_example(spec, example, analyze_source) -> None:
    assert isinstance(spec, LayerSpec)
    model = analyze_source(
        f"""
        import torch.nn as nn

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


def test_every_torch_nn_layer_has_an_example() -> None:
    missing = [name for name, spec in CATALOG.layers().items() if not spec.examples]
    assert missing == []


def test_catalog_rejects_duplicates() -> None:
    from staticflops.catalog import Catalog, linear

    with pytest.raises(RuntimeError, match="defined twice"):
        Catalog.build(linear.SPECS, linear.SPECS)
