"""Weight reparametrizations (fixtures/parametrized.py): parameters as torch counts them.

`weight_norm` turns a weight into `weight_g`, the norm over every dimension but `dim` (`dim=None`
or -1: a scalar), and `weight_v`, the weight's shape; `spectral_norm` into `weight_orig` (buffers
`weight_u`, `weight_v` are not parameters); the `parametrizations` forms hold the same tensors under
`parametrizations.weight.original*`, counted in the layer's own row. The layer's call is priced
as before: the seed FLOPs below are the plain layers' (docs/conventions.md).
"""

from __future__ import annotations

import sys

import pytest

from staticflops import analyze
from tests.conftest import FIXTURES

PARAMETRIZED = FIXTURES / "parametrized.py"

LAYER_PARAMS = {
    "block.convs.0": 8 * 8 * 3 + 8,  # weight norm removed again: the plain conv
    "block.convs.1": 8 * 8 * 3 + 8 + 8,  # weight_v, bias, weight_g of shape (8, 1, 1)
    "block.convs.2": 8 * 8 * 3 + 8 + 8,
    "down": 16 * 8 * 4 + 16,  # weight_orig, bias
    "up": 16 * 8 * 4 + 8,  # ConvTranspose1d(16, 8, 4): weight (16, 8, 4), spectral norm over dim 1
    "mix": 32 * 32 + 32 + 1,  # weight norm with dim=None: a scalar g
    "rotate": 32 * 32,  # orthogonal: the original; its `base` is a buffer
    "head": 8 + 1,
}


def test_reparametrized_layers_hold_the_parameters_torch_counts() -> None:
    analysis = analyze([PARAMETRIZED], model="Discriminator", inputs=[(2, 8, 4)])
    (model,) = analysis.models
    rows = {layer.path: layer.params for layer in model.layers if layer.params}
    assert rows == LAYER_PARAMS
    assert model.params == sum(LAYER_PARAMS.values()) == 3754
    assert model.params_complete and model.flops_complete
    assert model.flops == (
        3 * (2 * 8 * 4)  # leaky_relu, once per element, before each of the three convs
        + 3 * (2 * 8 * 3) * 2 * 8 * 4  # the dilated convs with bias: 2·(8·3) per output
        + 3 * (2 * 8 * 4)  # the residual adds
        + (2 * 8 * 4) * 2 * 16 * 2  # down: 2·(8·4) per output
        + 2 * (2 * 16 * 2 * 8 * 4) - 2 * 8 * 4 + 2 * 8 * 4  # up: 2·MACs − covered outputs + bias
        + 2 * 2 * 32 * 32  # mix, bias
        + (2 * 32 - 1) * 2 * 32  # rotate, no bias
        + 2 * 8 * 4  # mean
        + 2 * 2 * 8  # head, bias
    )


def test_a_parametrization_of_ones_own_keeps_the_original() -> None:
    analysis = analyze([PARAMETRIZED], model="SymmetricLinear(6)", inputs=[(2, 6)])
    (model,) = analysis.models
    assert model.params == 6 * 6 + 6
    assert [(layer.path, layer.output) for layer in model.layers] == [("linear", (2, 6))]


@pytest.mark.torch
def test_torch_counts_the_same() -> None:
    torch = pytest.importorskip("torch")
    sys.path.insert(0, str(FIXTURES))
    try:
        import parametrized  # our own fixture, run by torch for the reference figures
    finally:
        sys.path.pop(0)
    discriminator = parametrized.Discriminator().eval()
    rows = {name: sum(p.numel() for p in module.parameters()) for name, module in discriminator.named_modules()}
    assert {path: rows[path] for path in LAYER_PARAMS} == LAYER_PARAMS
    assert sum(p.numel() for p in discriminator.parameters()) == 3754
    assert tuple(discriminator(torch.zeros(2, 8, 4)).shape) == (2, 1)
    assert sum(p.numel() for p in parametrized.SymmetricLinear(6).parameters()) == 42
