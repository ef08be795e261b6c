"""Models prepared for eager-mode quantization but not converted (torchvision's `quantize=False`) are plain
float models: `QuantStub`/`DeQuantStub` pass their input through, `FloatFunctional`'s methods are the
tensor ops they name (torchmodel/stubs/quantization.py)."""

from __future__ import annotations

from tests.conftest import codes


def test_stubs_pass_through_and_add_relu_is_an_add_and_a_relu(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn
        from torch.ao.quantization import DeQuantStub, QuantStub

        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.quant = QuantStub()
                self.conv = nn.Conv2d(8, 8, 3, padding=1, bias=False)
                self.skip = nn.quantized.FloatFunctional()
                self.dequant = DeQuantStub()

            def forward(self, x):
                x = self.quant(x)
                x = self.skip.add_relu(self.conv(x), x)
                return self.dequant(x)
        """,
        inputs=[(1, 8, 4, 4)],
    )
    assert model.params == 8 * 8 * 9
    # conv: 8·4·4 = 128 outputs × (2·72 − 1); the add and the relu: one per element each
    assert model.flops == 128 * 143 + 128 + 128
    assert model.flops_complete, model.diagnostics
    # the stubs do no work; add_relu is a method, not a call of `skip`: its ops belong to the block, and
    # only the Identity it calls is under `skip`, as in torch's module tree
    assert [layer.path for layer in model.layers] == ["conv", "add", "relu", "skip.activation_post_process"]


def test_float_functional_ops_under_every_name_torch_gives_them(analyze_source) -> None:
    model = analyze_source(
        """
        import torch
        import torch.ao.nn.quantized as nnq
        from torch import nn

        class Head(nn.Module):
            def __init__(self):
                super().__init__()
                self.cat = torch.nn.quantized.FloatFunctional()
                self.mul = nnq.FloatFunctional()
                self.scalar = torch.ao.nn.quantized.modules.functional_modules.FloatFunctional()
                self.quant = torch.quantization.QuantStub()

            def forward(self, x, y):
                z = self.cat.cat([self.quant(x), y], dim=1)
                return self.scalar.add_scalar(self.mul.mul(z, z), 1.0)
        """,
        inputs=[(1, 4, 2, 2), (1, 4, 2, 2)],
    )
    assert model.params == 0
    # cat is free; mul and the scalar add: 1·8·2·2 = 32 elements each
    assert model.flops == 32 + 32
    assert model.layers[-1].output == (1, 8, 2, 2)
    # the scalar ops are not observed: no activation_post_process call after the add
    assert [layer.path for layer in model.layers][-2:] == ["mul.activation_post_process", "add"]


def test_float_functional_is_not_callable_itself(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn

        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.op = nn.quantized.FloatFunctional()

            def forward(self, x):
                return self.op(x)
        """,
        inputs=[(1, 4)],
    )
    assert "SF306" in codes(model)
