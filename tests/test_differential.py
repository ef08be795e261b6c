"""Differential testing against PyTorch: random models (tests/modelgen.py) analyzed statically and run
with torch must agree on parameters, on every layer's output shape, and on every convolution's and
linear layer's FLOPs.

Runs when torch is installed. `STATICFLOPS_DIFFERENTIAL_MODELS` sets how many models (100 by default;
.ci/run uses 1,000); the seeds are fixed, so a failure names the seed that reproduces it.
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
from pathlib import Path

import pytest

from staticflops import analyze
from tests.modelgen import generate

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

COUNT = int(os.environ.get("STATICFLOPS_DIFFERENTIAL_MODELS", "100"))


def seed_flops(module, output_shape) -> int:
    """The seed formula, from torch's own module attributes and observed output shape."""
    outputs = math.prod(output_shape)
    if isinstance(module, torch.nn.Conv2d):
        products = module.in_channels // module.groups * math.prod(module.kernel_size)
    else:
        products = module.in_features
    return outputs * (2 * products - 1) + (outputs if module.bias is not None else 0)


def run_torch(path: Path, shape: tuple[int, ...]):
    spec = importlib.util.spec_from_file_location(f"generated_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # our own generated test model, run by the oracle, never by staticflops
    model = getattr(module, "model", None) or module.Net()
    model.eval()
    names = {id(m): n for n, m in model.named_modules()}
    calls = []

    def hook(mod, inputs, output):
        calls.append((names[id(mod)], type(mod).__name__, tuple(output.shape), mod))

    containers = (torch.nn.Sequential, torch.nn.ModuleList)
    for mod in model.modules():
        if not list(mod.children()) and not isinstance(mod, containers):
            mod.register_forward_hook(hook)
    with torch.no_grad():
        model(torch.randn(shape))
    return model, calls


@pytest.mark.parametrize("seed", range(COUNT))
def test_generated_model_agrees_with_pytorch(seed: int, tmp_path: Path) -> None:
    generated = generate(seed)
    path = tmp_path / f"model_{seed}.py"
    path.write_text(generated.source)
    model, calls = run_torch(path, generated.input_shape)
    analysis = analyze([path], inputs=[generated.input_shape])
    errors = [d.format() for d in analysis.diagnostics if d.severity == "error"]
    assert errors == [], (seed, generated.source)
    (ours,) = analysis.models
    assert ours.params == sum(p.numel() for p in model.parameters()), seed
    layers = [
        layer
        for layer in ours.layers
        if not layer.type.startswith(("F.", "torch.", "Tensor.")) and layer.type not in ("add", "cat")
    ]
    assert [(layer.path, layer.type, layer.output) for layer in layers] == [
        (name, kind, shape) for name, kind, shape, _ in calls
    ], seed
    for layer, (_, _, shape, module) in zip(layers, calls, strict=True):
        if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
            assert layer.flops == seed_flops(module, shape), (seed, layer.path)


if __name__ == "__main__":  # python tests/test_differential.py 10000: the long run in docs/reliability.md
    sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"], plugins=[]))
