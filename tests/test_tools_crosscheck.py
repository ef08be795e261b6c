"""The convention probes measured with the tools themselves, when they are installed (CI
installs torch, thop, ptflops and fvcore): every figure tests/test_conventions.py asserts
is what the tool reports for the same probe."""

from __future__ import annotations

import contextlib
import io

import pytest

from tests.test_conventions import PROBES, PTFLOPS_PROBES, probe_source

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

Shapes = list[tuple[int, ...]]


def build(layer: str):
    namespace: dict[str, object] = {}
    exec(probe_source(layer), namespace)  # our own probe text, not analyzed code
    return namespace["Probe"]().eval()


def zeros(inputs: Shapes) -> tuple:
    return tuple(torch.zeros(shape) for shape in inputs)


def thop(model, inputs: Shapes) -> int:
    profile = pytest.importorskip("thop").profile
    with torch.no_grad(), contextlib.redirect_stdout(io.StringIO()):
        macs, _ = profile(model, inputs=zeros(inputs), verbose=False)
    return int(macs)


class Keywords(torch.nn.Module):
    """How ptflops runs a model of several inputs: its input constructor returns keywords."""

    def __init__(self, probe) -> None:
        super().__init__()
        self.probe = probe

    def forward(self, inputs):
        return self.probe(*inputs)


def ptflops(model, inputs: Shapes) -> int:
    complexity = pytest.importorskip("ptflops").get_model_complexity_info
    tensors = zeros(inputs)
    if len(tensors) == 1:
        model, constructor = model, (lambda _: tensors[0])
    else:
        model, constructor = Keywords(model), (lambda _: {"inputs": tensors})
    with torch.no_grad(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        macs, _ = complexity(
            model, tuple(inputs[0][1:]), as_strings=False, print_per_layer_stat=False, input_constructor=constructor
        )
    return int(macs)


def fvcore(model, inputs: Shapes) -> int:
    analysis = pytest.importorskip("fvcore.nn").FlopCountAnalysis(model, zeros(inputs))  # grad enabled
    analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    return int(analysis.total())


def flop_counter(model, inputs: Shapes) -> int:
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model.to("meta")(*(torch.zeros(shape, device="meta") for shape in inputs))
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
