"""Model files as a new user tries them, each of which once lost most of its numbers to one op the
catalog lacked: PointNet's T-Net (`torch.eye` added to a regressed matrix, `torch.bmm`), a LLaMA-style
decoder (`torch.outer`, `torch.polar`, `view_as_complex`, `repeat_interleave`, the `x[:, [-1], :]`
head). Every layer is known; the figures are PyTorch's (2.14, `FlopCounterMode`), re-measured by the
torch-marked test when torch is installed.
"""

from __future__ import annotations

import sys

import pytest

from staticflops import analyze
from tests.conftest import FIXTURES

CASES = {
    # fixture, model, input: params, FlopCounterMode's total, the output's shape
    "pointnet": ("pointnet.py", "PointNetCls", (2, 3, 1024), 3_471_473, 1_758_548_992, (2, 40)),
    "llama": ("llama_reference.py", "Transformer", (2, 64), 1_922_304, 378_511_360, (2, 1, 1000)),
}


@pytest.mark.parametrize("case", CASES)
def test_every_layer_is_known_and_torch_agrees(case: str) -> None:
    file, name, shape, params, flops, output = CASES[case]
    analysis = analyze([FIXTURES / file], model=name, inputs=[shape], convention="torch")
    (model,) = analysis.models
    assert analysis.diagnostics == []
    assert model.params_complete and model.flops_complete
    assert model.params == params
    assert model.flops == flops
    assert output in [layer.output for layer in model.layers[-3:]]


@pytest.mark.torch
@pytest.mark.parametrize("case", CASES)
def test_the_recorded_figures_are_torchs(case: str) -> None:
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    file, name, shape, params, flops, output = CASES[case]
    sys.path.insert(0, str(FIXTURES))
    try:
        module = __import__(file.removesuffix(".py"))  # our own fixture, run by torch for the reference
    finally:
        sys.path.pop(0)
    model = getattr(module, name)().eval()
    dtype = torch.long if len(shape) == 2 else torch.float32  # token ids
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        result = model(torch.zeros(shape, dtype=dtype))
    first = result[0] if isinstance(result, tuple) else result
    assert sum(p.numel() for p in model.parameters()) == params
    assert counter.get_total_flops() == flops
    assert tuple(first.shape) == output
