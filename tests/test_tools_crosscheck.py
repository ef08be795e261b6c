"""The convention probes measured with the tools themselves, when they are installed (CI
installs torch, thop, ptflops and fvcore): every figure tests/test_conventions.py asserts
is what the tool reports for the same probe."""

from __future__ import annotations

import contextlib
import io
import textwrap

import pytest

from staticflops.catalog import CATALOG, LayerSpec, indexing
from tests.test_catalog_examples import op_source
from tests.test_conventions import PROBES, PTFLOPS_PROBES, probe_source

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

Shapes = list[tuple[int, ...]]


def build(layer: str):
    namespace: dict[str, object] = {}
    exec(probe_source(layer), namespace)  # our own probe text, not analyzed code
    return namespace["Probe"]().eval()


def zeros(inputs: Shapes, indices: tuple[int, ...] = ()) -> tuple:
    """Inputs of zeros; those at the positions in `indices` are integer (token ids, offsets)."""
    return tuple(torch.zeros(shape, dtype=torch.long if i in indices else None) for i, shape in enumerate(inputs))


def thop(model, inputs: Shapes, indices: tuple[int, ...] = ()) -> int:
    profile = pytest.importorskip("thop").profile
    with torch.no_grad(), contextlib.redirect_stdout(io.StringIO()):
        macs, _ = profile(model, inputs=zeros(inputs, indices), verbose=False)
    return int(macs)


class Keywords(torch.nn.Module):
    """How ptflops runs a model of several inputs: its input constructor returns keywords."""

    def __init__(self, probe) -> None:
        super().__init__()
        self.probe = probe

    def forward(self, inputs):
        return self.probe(*inputs)


def ptflops(model, inputs: Shapes, indices: tuple[int, ...] = ()) -> int:
    complexity = pytest.importorskip("ptflops").get_model_complexity_info
    tensors = zeros(inputs, indices)
    if len(tensors) == 1:
        model, constructor = model, (lambda _: tensors[0])
    else:
        model, constructor = Keywords(model), (lambda _: {"inputs": tensors})
    with torch.no_grad(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        macs, _ = complexity(
            model, tuple(inputs[0][1:]), as_strings=False, print_per_layer_stat=False, input_constructor=constructor
        )
    return int(macs)


def fvcore(model, inputs: Shapes, indices: tuple[int, ...] = ()) -> int:
    analysis = pytest.importorskip("fvcore.nn").FlopCountAnalysis(model, zeros(inputs, indices))  # grad enabled
    analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    return int(analysis.total())


def flop_counter(model, inputs: Shapes, indices: tuple[int, ...] = ()) -> int:
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model.to("meta")(*(tensor.to("meta") for tensor in zeros(inputs, indices)))
    return int(counter.get_total_flops())


TOOLS = {"thop": thop, "ptflops": ptflops, "fvcore": fvcore, "torch": flop_counter}
CASES = [
    pytest.param(layer, inputs, tool, expected, id=f"{name}-{tool}")
    for name, layer, inputs, *figures in PROBES
    for tool, expected in zip(TOOLS, figures, strict=True)
] + [
    pytest.param(layer, inputs, "ptflops", expected, id=f"{name}-ptflops")
    for name, layer, inputs, expected in PTFLOPS_PROBES
]


@pytest.mark.parametrize(("layer", "inputs", "tool", "expected"), CASES)
def test_the_tool_reports_the_figure_we_assert(layer, inputs, tool, expected) -> None:
    assert TOOLS[tool](build(layer), inputs) == expected


# ---------------------------------------------------------------- every catalog example, under every tool
INDEX_INPUTS = {
    "torch.nn.Embedding": (0,),
    "torch.nn.EmbeddingBag": (0,),
    "torch.nn.CTCLoss": (1, 2, 3),
    "torch.nn.MultiLabelMarginLoss": (1,),
    "torch.nn.NLLLoss2d": (1,),
    "torch.nn.MaxUnpool1d": (1,),
    "torch.nn.MaxUnpool2d": (1,),
    "torch.nn.MaxUnpool3d": (1,),
    "torch.nn.functional.embedding": (0,),
    "torch.nn.functional.embedding_bag": (0, 2),
    **indexing.INDEX_OPERANDS,
}
"""Examples whose inputs at these positions are indices or offsets."""


def example_model(spec, example):
    if isinstance(spec, LayerSpec):
        return build(example.source)
    namespace: dict[str, object] = {}
    exec(textwrap.dedent(op_source(example)), namespace)  # our own catalog text, not analyzed code
    return namespace["M"]().eval()


def example_analysis_source(spec, example) -> str:
    return probe_source(example.source) if isinstance(spec, LayerSpec) else op_source(example)


EXAMPLES = [
    pytest.param(spec, example, tool, id=f"{spec.qualname.removeprefix('torch.')}-{i}-{tool}")
    for spec in CATALOG.entries.values()
    for i, example in enumerate(spec.examples)
    for tool in TOOLS
]


@pytest.mark.parametrize(("spec", "example", "tool"), EXAMPLES)
def test_every_catalog_example_is_priced_as_the_tool_prices_it(spec, example, tool, analyze_source) -> None:
    model_name = "Probe" if isinstance(spec, LayerSpec) else "M"
    ours = analyze_source(
        example_analysis_source(spec, example), model=model_name, inputs=list(example.inputs), convention=tool
    )
    try:
        theirs = TOOLS[tool](example_model(spec, example), list(example.inputs), INDEX_INPUTS.get(spec.qualname, ()))
    except Exception as error:  # the tool cannot run this call at all: nothing to compare with
        pytest.skip(f"{tool} fails on this example: {type(error).__name__}: {error}"[:200])
    assert ours.flops == theirs
