"""Custom `torch.autograd.Function`s: `apply` runs the class's `forward`, in both styles torch accepts,
and its ops are counted as torch's counters count them (torch: FlopCounterMode on the same model)."""

from __future__ import annotations

SWISH_AND_GRADIENT_REVERSAL = """
import torch
import torch.nn as nn
from torch.autograd import Function


class SwishFn(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        return grad_output * (s * (1 + x * (1 - s)))


class GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(x, alpha):
        return x.view_as(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.alpha = inputs[1]

    @staticmethod
    def backward(ctx, grad):
        return -ctx.alpha * grad, None


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 8)

    def forward(self, x):
        x = SwishFn.apply(self.fc(x))
        return GradReverse.apply(x, 0.5)
"""


def test_apply_runs_forward_with_a_context_or_with_setup_context(analyze_source) -> None:
    model = analyze_source(SWISH_AND_GRADIENT_REVERSAL, inputs=[(2, 16)])
    assert model.params == 16 * 8 + 8
    # Linear: 2·8 outputs × 2·16; the swish: sigmoid and mul, one per element each; view_as is free
    assert model.flops == 16 * 32 + 16 + 16
    assert [layer.type for layer in model.layers] == ["Linear", "torch.sigmoid", "mul", "Tensor.view_as"]
    assert model.layers[-1].output == (2, 8)
    assert model.flops_complete and not model.assumptions, model.diagnostics


def test_torch_convention_counts_what_flop_counter_mode_sees(analyze_source) -> None:
    # FlopCounterMode on this model (torch 2.14.1): 512, the addmm of fc; the element-wise ops are free
    model = analyze_source(SWISH_AND_GRADIENT_REVERSAL, inputs=[(2, 16)], convention="torch")
    assert model.flops == 512
