"""Weight initialisation that only writes tensor data is skipped (staticflops/torchmodel/elision.py), and
everything else about a constructor still runs: each case is a model in the style of a library's init code."""

from __future__ import annotations

from tests.conftest import codes

TRUNC_NORMAL = """
import math
import warnings
import torch
import torch.nn as nn


def _trunc_normal_(tensor, mean, std, a, b):
    def norm_cdf(x):
        return (1. + math.erf(x / math.sqrt(2.))) / 2.

    if (mean < a - 2 * std) or (mean > b + 2 * std):
        warnings.warn("mean is more than 2 std from [a, b]", stacklevel=2)
    low = norm_cdf((a - mean) / std)
    up = norm_cdf((b - mean) / std)
    tensor.uniform_(2 * low - 1, 2 * up - 1)
    tensor.erfinv_()
    tensor.mul_(std * math.sqrt(2.))
    tensor.add_(mean)
    tensor.clamp_(min=a, max=b)
    for _ in range(SPIN):  # what a slow initialiser costs when interpreted: more than the loop budget
        low = low * 1.0
    return tensor


def trunc_normal_(tensor, mean=0., std=1., a=-2., b=2.):
    with torch.no_grad():
        return _trunc_normal_(tensor, mean, std, a, b)


def named_apply(fn, module, name=''):
    for child_name, child in module.named_children():
        named_apply(fn=fn, module=child, name='.'.join((name, child_name)) if name else child_name)
    fn(module=module, name=name)
    return module
"""


def test_a_truncated_normal_initialiser_is_not_run(analyze_source) -> None:
    # timm's weight_init.trunc_normal_ applied with named_apply: it only writes the tensors it is given, so
    # its loop (far past the interpreter's loop budget) is never interpreted, and the model is exact
    model = analyze_source(
        TRUNC_NORMAL.replace("SPIN", "10 ** 9")
        + """

def init_weights(module, name=''):
    if isinstance(module, nn.Linear):
        trunc_normal_(module.weight, std=.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)


class Mlp(nn.Module):
    def __init__(self, dim=16, hidden=64):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)
        named_apply(init_weights, self)
        self.scale = trunc_normal_(nn.Parameter(torch.zeros(dim)), std=1e-6)  # the call's value: its argument

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x))) * self.scale
""",
        model="Mlp",
        inputs=[(2, 16)],
    )
    assert model.params == (16 * 64 + 64) + (64 * 16 + 16) + 16
    assert model.flops == 2 * 64 * (2 * 16) + 2 * 64 + 2 * 16 * (2 * 64) + 2 * 16
    assert "SF303" not in codes(model), model.diagnostics


def test_an_initialiser_that_adds_a_layer_is_run(analyze_source) -> None:
    # an attribute assignment is an effect the rest of the model can see: the call is interpreted
    model = analyze_source(
        """
        import torch.nn as nn

        def init_and_extend(module):
            nn.init.zeros_(module.weight)
            module.adapter = nn.Linear(8, 8, bias=False)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)
                init_and_extend(self.fc)

            def forward(self, x):
                return self.fc.adapter(self.fc(x))
        """,
        model="Net",
        inputs=[(1, 8)],
    )
    assert model.params == 8 * 8 + 8 + 8 * 8
    assert model.flops == 8 * 2 * 8 + 8 * (2 * 8 - 1)


def test_an_initialiser_that_asserts_is_run(analyze_source) -> None:
    # a skipped call must not hide the error the real one raises
    analysis = analyze_source(
        """
        import torch.nn as nn

        def init_weights(module, mode="jax"):
            assert mode in ("", "moco"), mode
            nn.init.normal_(module.weight)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)
                init_weights(self.fc)

            def forward(self, x):
                return self.fc(x)
        """,
        model="Net",
        inputs=[(1, 8)],
        all=True,
    )
    assert not analysis.models
    assert any(d.code.code == "SF306" and "AssertionError" in d.message for d in analysis.diagnostics)


def test_an_in_place_helper_in_forward_is_traced(analyze_source) -> None:
    # in forward, an in-place op is work: the same kind of helper is interpreted and its multiply counted
    model = analyze_source(
        """
        import torch.nn as nn

        def scale_(x, factor):
            x.mul_(factor)
            return x

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)

            def forward(self, x):
                return scale_(self.fc(x), 0.5)
        """,
        model="Net",
        inputs=[(1, 8)],
    )
    assert [layer.type for layer in model.layers][-1].endswith("mul_")
    assert model.flops == 8 * 2 * 8 + 8


def test_an_initialiser_dispatching_on_the_module_type_is_not_run(analyze_source) -> None:
    # efficientnet's _init_weight_goog through `Module.apply`: every branch only fills tensors
    model = analyze_source(
        TRUNC_NORMAL.replace("SPIN", "1")
        + """

def init_weights(module):
    if isinstance(module, nn.Linear):
        for _ in range(10 ** 9):  # more than the loop budget: were it run for a Linear, the build would fail
            std = .02
        trunc_normal_(module.weight, std=std)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(8)
        self.head = nn.Linear(8, 2)
        self.apply(init_weights)

    def forward(self, x):
        return self.head(self.norm(x))
""",
        model="Net",
        inputs=[(1, 8)],
    )
    assert model.params == 2 * 8 + (8 * 2 + 2)
    assert "SF303" not in codes(model), model.diagnostics


def test_a_module_s_own_initialiser_with_an_effect_is_run(analyze_source) -> None:
    # timm's init_weights_vit_timm: `elif hasattr(module, 'init_weights'): module.init_weights()`, where one
    # module's method adds a layer
    model = analyze_source(
        TRUNC_NORMAL.replace("SPIN", "1")
        + """

def init_weights(module, name=''):
    if isinstance(module, nn.Linear):
        trunc_normal_(module.weight, std=.02)
    elif hasattr(module, 'init_weights'):
        module.init_weights()


class Gate(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 8)

    def init_weights(self):
        self.extra = nn.Linear(8, 8, bias=False)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate = Gate()
        self.head = nn.Linear(8, 2)
        named_apply(init_weights, self)

    def forward(self, x):
        return self.head(self.gate.extra(self.gate.proj(x)))
""",
        model="Net",
        inputs=[(1, 8)],
    )
    assert model.params == (8 * 8 + 8) + 8 * 8 + (8 * 2 + 2)
    assert model.flops == 8 * 2 * 8 + 8 * (2 * 8 - 1) + 2 * 2 * 8
