"""Each convention against what the tool itself reported for single-layer probes.

The numbers are thop 0.1.1, ptflops 0.7.5 (pytorch backend, under `no_grad`), fvcore 0.1.5
(grad enabled) and torch.utils.flop_counter (meta device), measured on these exact layers
(conv input 1×8×10×12, 16 output channels; Linear 32→24; MultiheadAttention E=32, 4 heads,
L=S=10; SDPA q=k=v 1×4×10×8). tests/test_tools_crosscheck.py measures every probe again with
the tools, when they are installed.
"""

from __future__ import annotations

import pytest

from staticflops.conventions import Convention

SUBCLASSES = """
class MyConv(nn.Conv2d):
    pass

class MyBatchNorm(nn.BatchNorm2d):
    pass
"""

CONV = (1, 8, 10, 12)
PROBES = [
    # name, layer (or `F.`/`torch.` expression of x), inputs, thop, ptflops, fvcore, torch
    ("conv2d_bias", "nn.Conv2d(8, 16, 3, padding=1)", [CONV], 138240, 140160, 138240, 276480),
    ("conv2d_nobias", "nn.Conv2d(8, 16, 3, padding=1, bias=False)", [CONV], 138240, 138240, 138240, 276480),
    ("conv2d_depthwise", "nn.Conv2d(8, 8, 3, padding=1, groups=8, bias=False)", [CONV], 8640, 8640, 8640, 17280),
    ("conv2d_batch2", "nn.Conv2d(8, 16, 3, padding=1)", [(2, 8, 10, 12)], 276480, 140160, 276480, 552960),
    ("conv2d_subclass", "MyConv(8, 16, 3, padding=1)", [CONV], 0, 0, 138240, 276480),
    (
        "convtranspose2d_bias",
        "nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)",
        [(1, 16, 8, 8)],
        524288,
        133120,
        131072,
        262144,
    ),
    (
        "convtranspose2d_nobias",
        "nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1, bias=False)",
        [(1, 16, 8, 8)],
        524288,
        131072,
        131072,
        262144,
    ),
    ("linear_bias", "nn.Linear(32, 24)", [(1, 32)], 768, 792, 768, 1536),
    ("linear_nobias", "nn.Linear(32, 24, bias=False)", [(1, 32)], 768, 768, 768, 1536),
    ("linear_bias_3d", "nn.Linear(32, 24)", [(1, 5, 32)], 3840, 3960, 3840, 7680),
    ("batchnorm2d", "nn.BatchNorm2d(8)", [CONV], 3840, 1920, 1920, 0),
    ("batchnorm2d_subclass", "MyBatchNorm(8)", [CONV], 0, 0, 1920, 0),
    ("layernorm", "nn.LayerNorm(32)", [(1, 5, 32)], 640, 160, 800, 0),
    ("relu_module", "nn.ReLU()", [CONV], 0, 1920, 0, 0),
    ("relu_functional", "F.relu(x)", [CONV], 0, 960, 0, 0),
    ("gelu", "nn.GELU()", [CONV], 0, 1920, 0, 0),
    ("maxpool2d_k2s2", "nn.MaxPool2d(2, 2)", [CONV], 0, 1920, 0, 0),
    ("maxpool2d_k3s2p1", "nn.MaxPool2d(3, 2, 1)", [CONV], 0, 1920, 0, 0),
    ("avgpool2d_k2s2", "nn.AvgPool2d(2)", [CONV], 240, 1920, 0, 0),
    ("adaptiveavgpool2d_1", "nn.AdaptiveAvgPool2d(1)", [CONV], 968, 1920, 960, 0),
    ("adaptiveavgpool2d_2x3", "nn.AdaptiveAvgPool2d((2, 3))", [CONV], 1008, 1920, 960, 0),
    ("residual_add", "x + x", [CONV], 0, 0, 0, 0),
    ("residual_torch_add", "torch.add(x, x)", [CONV], 0, 960, 0, 0),
    ("softmax", "nn.Softmax(dim=-1)", [CONV], 2800, 960, 0, 0),
    (
        "multihead_attention",
        "nn.MultiheadAttention(32, 4, batch_first=True) -> self.layer(x, x, x, need_weights=False)",
        [(1, 10, 32)],
        0,
        49360,
        40960,
        94720,
    ),
    ("sdpa", "F.scaled_dot_product_attention(x, x, x)", [(1, 4, 10, 8)], 0, 0, 0, 12800),
    # attention's paths, named padding, uneven adaptive pooling, calls that reach patched functions
    (
        "mha_need_weights",
        "nn.MultiheadAttention(32, 4, batch_first=True) -> self.layer(x, x, x)",
        [(1, 10, 32)],
        0,
        49360,
        47360,
        94720,
    ),
    (
        "mha_sequence_first",
        "nn.MultiheadAttention(32, 4) -> self.layer(x, x, x)",
        [(10, 2, 32)],
        0,
        23472,
        94720,
        189440,
    ),
    ("conv2d_same_padding", "nn.Conv2d(8, 16, 3, padding='same')", [CONV], 138240, 140160, 0, 276480),
    ("adaptiveavgpool2d_uneven", "nn.AdaptiveAvgPool2d(3)", [CONV], 1032, 1920, 960, 0),
    ("local_response_norm", "nn.LocalResponseNorm(3)", [CONV], 0, 4080, 0, 0),
    ("f_upsample", "F.upsample(x, scale_factor=2)", [CONV], 0, 7680, 3840, 0),
    # beyond torchvision's layers: recurrent, resampling, norms, functional forms
    ("gru_bidir_2", "nn.GRU(8, 16, num_layers=2, bidirectional=True)", [(5, 2, 8)], 77440, 15488, 0, 138240),
    ("rnn_batch_first", "nn.RNN(8, 16, batch_first=True, bias=False)", [(2, 5, 8)], 4000, 2000, 0, 7680),
    ("lstm_proj", "nn.LSTM(8, 16, proj_size=4)", [(5, 1, 8)], 8960, 1056, 0, 8320),
    ("upsample_trilinear", "nn.Upsample(scale_factor=2, mode='trilinear')", [(1, 2, 3, 4, 5)], 0, 1920, 0, 0),
    ("upsample_bicubic", "nn.Upsample(size=(7, 9), mode='bicubic')", [CONV], 130536, 1008, 0, 0),
    ("upsampling_bilinear2d", "nn.UpsamplingBilinear2d(scale_factor=2)", [CONV], 42240, 3840, 15360, 0),
    ("interp_nearest_1d", "F.interpolate(x, scale_factor=2)", [(1, 4, 6)], 0, 48, 0, 0),
    ("prelu", "nn.PReLU(8)", [CONV], 960, 1920, 0, 0),
    ("convtranspose1d", "nn.ConvTranspose1d(4, 2, 3, stride=2)", [(1, 4, 5)], 264, 142, 120, 240),
    ("batchnorm1d", "nn.BatchNorm1d(32)", [(4, 32)], 512, 64, 256, 0),
    ("layernorm_plain", "nn.LayerNorm(12, elementwise_affine=False)", [CONV], 1920, 960, 3840, 0),
    ("groupnorm", "nn.GroupNorm(2, 8)", [CONV], 0, 1920, 4800, 0),
    ("softmax_dim1", "nn.Softmax(dim=1)", [CONV], 2760, 960, 0, 0),
    (
        "mha_kdim",
        "nn.MultiheadAttention(32, 4, kdim=16, vdim=24) -> self.layer(*inputs, need_weights=False)",
        [(10, 2, 32), (7, 2, 16), (7, 2, 24)],
        0,
        54704,
        58880,
        135680,
    ),
    ("sdpa_causal", "F.scaled_dot_product_attention(x, x, x, is_causal=True)", [(1, 4, 10, 8)], 0, 0, 0, 12800),
    ("leaky_relu", "nn.LeakyReLU()", [CONV], 0, 960, 0, 0),
    ("bmm", "torch.bmm(x, x.transpose(1, 2))", [(2, 3, 4)], 0, 72, 72, 144),
    ("avgpool1d", "nn.AvgPool1d(2)", [(1, 4, 6)], 12, 48, 0, 0),
    ("adaptive_avg_3d", "nn.AdaptiveAvgPool3d(1)", [(1, 2, 4, 4, 4)], 130, 256, 0, 0),
    ("f_adaptive_avg_2d", "F.adaptive_avg_pool2d(x, 1)", [CONV], 0, 960, 960, 0),
    ("instancenorm_plain", "nn.InstanceNorm1d(4)", [(2, 4, 10)], 160, 40, 320, 0),
    ("instancenorm_affine", "nn.InstanceNorm2d(8, affine=True)", [CONV], 3840, 1920, 4800, 0),
    ("upsample_nearest", "nn.Upsample(scale_factor=2)", [CONV], 3840, 7680, 3840, 0),
    ("upsample_bilinear", "nn.Upsample(scale_factor=2, mode='bilinear')", [CONV], 42240, 7680, 15360, 0),
    ("f_conv2d", "F.conv2d(x, torch.ones(16, 8, 3, 3), torch.ones(16), padding=1)", [CONV], 0, 0, 138240, 276480),
    ("f_group_norm", "F.group_norm(x, 2)", [CONV], 0, 0, 3840, 0),
    ("f_interpolate_bilinear", "F.interpolate(x, scale_factor=2, mode='bilinear')", [CONV], 0, 3840, 15360, 0),
    ("bilinear", "nn.Bilinear(32, 32, 24)", [(1, 32), (1, 32)], 0, 0, 0, 0),
    ("lstm", "nn.LSTM(8, 20)", [(10, 1, 8)], 25600, 2600, 0, 44800),
    ("matmul", "torch.matmul(x, x.transpose(-1, -2))", [(2, 3, 4, 5)], 0, 480, 480, 960),
    ("einsum", "torch.einsum('bij,bjk->bik', x, x)", [(2, 4, 4)], 0, 0, 128, 256),
    # an outer product sums no index: torch multiplies elementwise (no aten::bmm); numpy's estimate is 18 + 1
    ("einsum_outer", "torch.einsum('bi,bj->bij', x, x)", [(2, 3)], 0, 0, 9, 0),
    # k is summed out of y alone before the matrix product over (i, j): 3·4 multiply–accumulates
    ("einsum_one_sided", "torch.einsum('ij,jk->i', x, inputs[1])", [(3, 4), (4, 5)], 0, 0, 60, 24),
    ("einops_einsum", "einops.einsum(x, x, 'b i j, b j k -> b i k')", [(2, 4, 4)], 0, 0, 128, 256),
    ("einops_reduce_mean", "einops.reduce(x, 'b c h w -> b c', 'mean')", [CONV], 0, 0, 0, 0),
    ("einmix", "einops.layers.torch.EinMix('b c h w -> b h w d', weight_shape='c d', bias_shape='d', c=8, d=4)",
     [CONV], 0, 0, 3840, 7680),
    ("layer_norm_functional", "F.layer_norm(x, (12,))", [CONV], 0, 0, 3840, 0),
    # fvcore's `aten::grid_sampler` handle: 4 per output (8 channels × 5·6 points); the others have no rule
    # (what raft_small's reference run shows: fvcore's grid_sampler 4·602,112, nothing in the other totals)
    ("grid_sample", "F.grid_sample(x, inputs[1], align_corners=False)", [CONV, (1, 5, 6, 2)], 0, 0, 960, 0),
]


PTFLOPS_PROBES = [
    # ptflops' own rules, beyond the shared probes: name, layer or expression, inputs, ptflops
    ("lstm_2_layers_bidirectional", "nn.LSTM(8, 20, num_layers=2, bidirectional=True)", [(10, 3, 8)], 46_560),
    ("gru_batch_first", "nn.GRU(8, 20, batch_first=True)", [(2, 5, 8)], 9_700),  # per sample
    ("rnn_no_bias", "nn.RNN(8, 16, bias=False)", [(5, 1, 8)], 400),
    (
        "mha_kdim_vdim",
        "nn.MultiheadAttention(32, 4, kdim=16, vdim=24) -> self.layer(*inputs, need_weights=False)",
        [(10, 2, 32), (7, 2, 16), (7, 2, 24)],
        54_704,
    ),
    ("upsample_batch2", "nn.Upsample(scale_factor=2)", [(2, 3, 4, 5)], 120 + 480),
    ("interpolate_size", "F.interpolate(x, size=(6, 7))", [(1, 3, 4, 5)], 126),
    ("matmul", "torch.matmul(x, x.transpose(-1, -2))", [(2, 3, 4, 5)], 480),
    ("matmul_operator", "x @ x.transpose(-1, -2)", [(2, 3, 4, 5)], 0),
    ("mul_left_aligned", "torch.mul(x, torch.ones(8, 1, 1))", [CONV], 7680),
    ("tensor_add_scalar", "x.add(1.0)", [CONV], 960),
    ("linear_batch4", "nn.Linear(32, 24)", [(4, 32)], 792 + 3 * 0),  # whole batch 3,168, per sample
    ("adaptiveavgpool2d_batch2", "nn.AdaptiveAvgPool2d(1)", [(2, 8, 10, 12)], 960 + 1920),
    ("silu", "nn.SiLU()", [CONV], 960),
    ("relu6", "nn.ReLU6()", [CONV], 960),
    ("leaky_relu", "nn.LeakyReLU()", [CONV], 960),
    ("hardswish", "nn.Hardswish()", [CONV], 0),
    ("relu_method", "x.relu()", [CONV], 0),
    ("softmax_dim1", "nn.Softmax(dim=1)", [CONV], 960),
    ("instancenorm_affine", "nn.InstanceNorm2d(8, affine=True)", [CONV], 1920),
    ("groupnorm", "nn.GroupNorm(2, 8)", [CONV], 1920),
]


def probe_source(layer: str) -> str:
    """A model of one layer (`nn.Linear(32, 24)`, optionally `-> how forward calls it`) or of one
    expression of its input `x`."""
    functions = ("einops.rearrange", "einops.reduce", "einops.repeat", "einops.einsum")
    if layer.startswith(("F.", "torch.", "x ", "x.", *functions)):
        body = f"        return {layer}\n"
        init = "        pass\n"
    else:
        layer, _, call = layer.rpartition(" -> self.") if " -> self." in layer else (layer, "", "")
        call = f"self.{call}" if call else ""
        body = f"        return {call or 'self.layer(*inputs)'}\n"
        init = f"        self.layer = {layer}\n"
    einops = "import einops\nimport einops.layers.torch\n" if "einops." in layer else ""
    return (
        f"import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n{einops}"
        f"{SUBCLASSES}\n\nclass Probe(nn.Module):\n    def __init__(self):\n        super().__init__()\n{init}\n"
        f"    def forward(self, *inputs):\n        x = inputs[0]\n{body}"
    )


TOOLS = (Convention.THOP, Convention.PTFLOPS, Convention.FVCORE, Convention.TORCH)


@pytest.mark.parametrize(("name", "layer", "inputs", *TOOLS), PROBES, ids=[p[0] for p in PROBES])
def test_conventions_reproduce_the_tools(name, layer, inputs, thop, ptflops, fvcore, torch, analyze_source) -> None:
    for convention, expected in zip(TOOLS, (thop, ptflops, fvcore, torch), strict=True):
        model = analyze_source(probe_source(layer), model="Probe", inputs=inputs, convention=convention)
        assert model.flops == expected, (name, str(convention))


@pytest.mark.parametrize(("dim", "size"), [(0, 1), (1, 8), (-1, 12)])
def test_softmax_dimension_is_the_one_given(dim, size, analyze_source) -> None:
    """thop prices a softmax by rows·(3F − 1), F the size of its dimension (0 is a dimension, not 'unset')."""
    model = analyze_source(probe_source(f"nn.Softmax(dim={dim})"), model="Probe", inputs=[CONV], convention="thop")
    rows = 960 // size
    assert model.flops == rows * (3 * size - 1)


@pytest.mark.parametrize(("name", "layer", "inputs", "ptflops"), PTFLOPS_PROBES, ids=[p[0] for p in PTFLOPS_PROBES])
def test_ptflops_rules(name, layer, inputs, ptflops, analyze_source) -> None:
    model = analyze_source(probe_source(layer), model="Probe", inputs=inputs, convention=Convention.PTFLOPS)
    assert model.flops == ptflops


@pytest.mark.parametrize("convention", list(Convention))
def test_a_call_of_unknown_work_costs_nothing_in_every_convention(convention) -> None:
    # a module called on a tensor of unknown shape has no work records: priced as nothing (the model's total
    # is then a lower bound), not by a counter's rule that reads the first record
    from staticflops.conventions import Caller, price

    assert price((), convention, Caller("torch.nn.ReLU", exact_module=True)) == 0
