"""Cross-checks against real PyTorch, run when torch is installed (CI installs it).

The catalog's examples state params and output shapes; torch must agree with them.
"""

from __future__ import annotations

import math

import pytest

from staticflops.catalog import CATALOG, LayerSpec, OpSpec, indexing
from staticflops.interpreter.values import REQUIRED
from tests.conftest import skip_what_this_torch_lacks

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def einops_names(source: str) -> dict[str, object]:
    """`einops` for the examples of einops entries (skipped where einops is not installed)."""
    if "einops." not in source:
        return {}
    pytest.importorskip("einops.layers.torch")
    import einops

    return {"einops": einops}


INTEGER_INPUTS = {"NLLLoss": (1,), "NLLLoss2d": (1,), "MultiMarginLoss": (1,), "MultiLabelMarginLoss": (1,),
                  "CTCLoss": (1, 2, 3), "MaxUnpool1d": (1,), "MaxUnpool2d": (1,), "MaxUnpool3d": (1,)}  # fmt: skip
"""Layers whose inputs at these positions hold class indices (CTCLoss: targets and lengths; MaxUnpool: the
indices of the maxima)."""

EXAMPLES = [
    pytest.param(spec, example, id=f"{spec.name}-{i}")
    for spec in CATALOG.entries.values()
    if isinstance(spec, LayerSpec)
    for i, example in enumerate(spec.examples)
]


@pytest.mark.parametrize(("spec", "example"), EXAMPLES)
def test_example_params_and_shape_match_torch(spec, example) -> None:
    if spec.qualname.startswith("torch.nn.") and not hasattr(torch.nn, spec.name):
        pytest.skip(f"this torch ({torch.__version__}) has no {spec.qualname}")  # nn.LinearCrossEntropyLoss: 2.14
    layer = eval(example.source, {"nn": torch.nn, **einops_names(example.source)})  # our own catalog text
    layer.eval()
    dtype = torch.long if spec.name.startswith("Embedding") else torch.float32  # token ids
    inputs = [torch.zeros(shape, dtype=dtype) for shape in example.inputs]
    for index in INTEGER_INPUTS.get(spec.name, ()):
        inputs[index] = inputs[index].long()
    with torch.no_grad():
        output = layer(*inputs)
    if isinstance(output, tuple):  # nn.MultiheadAttention: (output, weights)
        output = output[0]
    assert tuple(output.shape) == example.output
    assert sum(p.numel() for p in layer.parameters()) == example.params
    if spec.name.startswith("ConvTranspose"):
        # MACs: every input element meets weight.numel() / in_channels weights
        assert example.macs == math.prod(example.inputs[0]) * layer.weight.numel() // layer.weight.shape[0]
    elif spec.name.startswith(("Conv", "Linear")) and not spec.name.endswith("Loss"):
        # MACs: every output element sums weight.numel() / out_channels products
        out_channels = layer.weight.shape[0]
        assert example.macs == math.prod(output.shape) * layer.weight.numel() // out_channels


OP_EXAMPLES = [
    pytest.param(spec, example, id=f"{spec.qualname.removeprefix('torch.')}-{i}")
    for spec in CATALOG.entries.values()
    if isinstance(spec, OpSpec)
    for i, example in enumerate(spec.examples)
]
INTEGER_OPERANDS = {
    "torch.nn.functional.embedding": (0,),
    "torch.nn.functional.embedding_bag": (0, 2),
    **indexing.INDEX_OPERANDS,
}
"""Ops whose operands at these positions hold indices or offsets (zeros); other operands are ones."""


@pytest.mark.parametrize(("spec", "example"), OP_EXAMPLES)
def test_op_example_shape_matches_torch(spec, example) -> None:
    integer = INTEGER_OPERANDS.get(spec.qualname, ())
    operands = {
        name: torch.zeros(shape, dtype=torch.long) if i in integer else torch.ones(shape)
        for i, (name, shape) in enumerate(zip("xyzw", example.inputs, strict=False))
    }
    namespace = {"torch": torch, "F": torch.nn.functional, **einops_names(example.source), **operands}
    *statements, result = example.source.split("; ")
    with torch.no_grad(), skip_what_this_torch_lacks():
        for statement in statements:
            exec(statement, namespace)  # our own catalog text, not analyzed code
        output = eval(result, namespace)
    if isinstance(output, (tuple, list)):
        output = output[0]
    assert tuple(output.shape) == example.output


@pytest.mark.parametrize("name", sorted(name for name, spec in CATALOG.layers().items() if isinstance(spec, LayerSpec)))
def test_every_catalog_layer_exists_in_torch_with_our_signature(name) -> None:
    import inspect

    spec = CATALOG.layers()[name]
    cls = getattr(torch.nn, name)
    theirs = [(p.name, p.kind.value, p.default) for p in inspect.signature(cls.__init__).parameters.values()][1:]
    if [name for name, _, _ in theirs] == ["args", "kwargs"]:  # nn.RNN, nn.LSTM, nn.GRU parse their own arguments
        required = {p.name: 4 for p in spec.init if p.default is REQUIRED}
        for p in spec.init:
            if p.default is not REQUIRED:
                cls(**required, **{p.name: p.default})  # torch accepts each of our parameters at our default
        return
    ours = [(p.name, p.kind.value, None if p.default is REQUIRED else p.default) for p in spec.init]
    assert ours == [
        (name, kind, None if default is inspect.Parameter.empty else default) for name, kind, default in theirs
    ]
