"""The torch surface beyond the catalog's worked examples (the issue "The torch surface", measured by
benchmarks/opinfo_coverage.py): calls as OpInfo's samples make them, each with its output shape and its seed
and `torch` FLOPs. With torch installed, the torch-marked test runs the same source and FlopCounterMode (on the
meta device) must agree on the shape and the `torch` figure."""

from __future__ import annotations

import pytest

from tests.test_spellings import _model, _torch_run

MHA = "F.multi_head_attention_forward(x, y, y, 8, 2, z, w, None, None, False, 0.0, z[:8], w[:8], training=False"
Case = tuple[str, tuple[tuple[int, ...], ...], tuple[int, ...], int, int]

CASES: list[Case] = [
    # source, inputs, the last call's output, seed FLOPs, torch FLOPs
    ("torch.signal.windows.hann(0)", ((1,),), (0,), 0, 0),  # an empty window
    ("torch.signal.windows.kaiser(1)", ((1,),), (1,), 0, 0),  # torch returns ones
    ("torch.signal.windows.gaussian(1)", ((1,),), (1,), 3, 0),  # computed: exp(−k²)
    ("torch.normal(x, 0.5)", ((2, 3),), (2, 3), 12, 0),
    ("torch.normal(1.6, 0.3, [2, 3])", ((1,),), (2, 3), 12, 0),
    ("torch.hash_tensor(x, dim=1, keepdim=True)", ((2, 3),), (2, 1), 4, 0),
    # 16 points per row, 5·6 rows: 2.5·16·4·30 = 4800; `ortho` scales the 480 outputs
    ("torch.fft.irfft(x, n=16, norm='ortho')", ((5, 6, 7),), (5, 6, 16), 5280, 0),
    # hfft is a forward transform: `forward` scales, the default does not; 2.5·12·log₂12·30 ≈ 3226.5 → 3226
    ("torch.fft.hfft(x, norm='forward')", ((5, 6, 7),), (5, 6, 12), 3586, 0),
    ("torch.fft.hfft(x)", ((5, 6, 7),), (5, 6, 12), 3226, 0),
    # a batch of 2 signals, no centering: 1 + (40 − 8) // 2 = 17 frames of 8 points; 2.5·8·3·34 = 2040
    ("torch.stft(x, 8, hop_length=2, center=False, return_complex=False)", ((2, 40),), (2, 5, 17, 2), 2040, 0),
    # centered: 40 + 2·4 = 48 samples, hop 2: 21 frames; 2.5·8·3·21 = 1260 (the full spectrum of a real signal)
    ("torch.histc(x, bins=4)", ((2, 3),), (4,), 18, 0),
    ("torch.isin(x, 2.0)", ((2, 3),), (2, 3), 6, 0),
    ("torch.as_strided_scatter(x, y, (2, 2), (1, 2), 1)", ((3, 3), (2, 2)), (3, 3), 0, 0),
    ("torch.slice_scatter(x, y, 0, 10, 20, 2)", ((20, 4), (5, 4)), (20, 4), 0, 0),
    ("x.select_scatter(y, -1, -1)", ((5, 5, 5), (5, 5)), (5, 5, 5), 0, 0),
    ("torch.diagonal_scatter(x, y, -2)", ((10, 10), (8,)), (10, 10), 0, 0),
    ("x.expand(torch.broadcast_shapes((2, 1), 3))", ((2, 1),), (2, 3), 0, 0),  # a torch.Size, from sizes alone
    # the product of the deviations is an aten.mm of (3, 4) and (4, 3): 2·36 under torch
    ("torch.cov(x, aweights=y)", ((3, 4), (4,)), (3, 3), 96 + 24 + 4, 72),
    ("torch.corrcoef(x)", ((1, 4),), (), 7 + 8 + 1 + 1 + 3, 8),  # one variable: a 0-d result
    ("torch.cov(x)", ((4,),), (), 16, 8),  # 2·4 − 1 + 4 + 4 + 1
    ("torch.cdist(x, y, p=1.0)", ((5, 5, 2), (5, 6, 2)), (5, 5, 6), 150 * 6, 0),
    ("F.pairwise_distance(x, y, keepdim=True)", ((3,), (3,)), (1,), 12, 0),
    ("torch.trapezoid(x, y, dim=0)", ((4, 2), (4, 2)), (2,), 2 * (8 + 3), 0),  # x of y's shape
    ("torch.cumulative_trapezoid(x)", ((3, 1),), (3, 0), 0, 0),  # one sample: nothing integrated
    ("torch.gradient(x, dim=1, edge_order=2)[0]", ((4, 5),), (4, 5), 40, 0),
    # the catalog's example under torch: 2·(320 + 768) for the projections, 2·(240 + 240) for the two bmm, 2·320
    (MHA + ")[0]", ((5, 1, 8), (6, 1, 8), (24, 8), (24,)), (5, 1, 8), 3_856, 3_776),
    # weights per head, and a key more for bias_k and one for add_zero_attn: (N, H, L, S + 2); 80 scores of
    # 2·4 − 1, softmax 3·80, 40 outputs of 2·8 − 1, the projections as before, then the addition of 0 (80)
    (MHA.replace("None, None, False", "w[:8], w[:8], True") + ", average_attn_weights=False)[1] + 0",
     ((5, 1, 8), (6, 1, 8), (24, 8), (24,)), (1, 2, 5, 8), 2_176 + 560 + 240 + 600 + 640 + 80, 4_096),
    # aten's grid samplers number F.grid_sample's modes: 0 bilinear (7 per output; 15 on a 5-D input), 1 nearest
    ("torch.grid_sampler_2d(x, y, 0, 0, False)", ((2, 3, 5, 20), (2, 13, 10, 2)), (2, 3, 13, 10), 780 * 7, 0),
    ("torch.grid_sampler_2d(x, y, 1, 2, True)", ((2, 3, 5, 20), (2, 13, 10, 2)), (2, 3, 13, 10), 0, 0),
    ("torch.grid_sampler_3d(x, y, 0, 1, False)", ((1, 2, 3, 3, 3), (1, 2, 2, 2, 3)), (1, 2, 2, 2, 2), 16 * 15, 0),
    ("torch.native_batch_norm(x, None, None, y, y, False, 0.1, 1e-5)[1] + 1", ((3, 2, 4), (2,)), (0,), 48, 0),
    ("torch.native_layer_norm(x, (3, 4), None, None, 1e-5)[2] + 1", ((2, 3, 4),), (2, 1, 1), 120 + 2, 0),
    # the logits' aten.mm: 2·(4·3·2·3) under torch; seed 24 logits of 2·3 − 1, then cross_entropy with class
    # probabilities of the logits' shape: the log-softmax 3·24, a pick per position 4·3, the mean 12
    ("F.linear_cross_entropy(x, y, z)", ((4, 3), (2, 3, 3), (4, 2, 3)), (), 120 + 72 + 12 + 12, 144),
    # lengths as lists: 5·(2·2 + 1) + 3·(2·1 + 1) = 34 states · 7 + 2·4, reduction none
    ("F.ctc_loss(x, y.long(), [5, 3], [2, 1], reduction='none')", ((5, 2, 4), (2, 2)), (2,), 246, 0),
    ("torch.view_as_real(torch.stft(x, 8, onesided=False, return_complex=True))", ((40,),), (8, 21, 2), 1260, 0),
]


@pytest.mark.parametrize(("source", "inputs", "output", "seed", "torch"), CASES, ids=[c[0] + str(c[1]) for c in CASES])
def test_surface(source, inputs, output, seed, torch, analyze_source) -> None:
    model = _model(source, inputs, analyze_source)
    assert model.diagnostics == []
    assert model.layers[-1].output == output
    assert model.flops == seed
    assert _model(source, inputs, analyze_source, "torch").flops == torch


@pytest.mark.torch
@pytest.mark.parametrize(("source", "inputs", "output", "seed", "torch"), CASES, ids=[c[0] + str(c[1]) for c in CASES])
def test_flop_counter_mode_agrees(source, inputs, output, seed, torch) -> None:
    theirs, counted = _counted(source, inputs)
    first = theirs[0] if isinstance(theirs, (tuple, list)) else theirs
    assert tuple(first.shape) == output
    assert counted == torch


def _counted(source: str, inputs) -> tuple[object, int]:
    """torch's output and FlopCounterMode's count on the meta device, or on the CPU for ops without a meta kernel
    (`cov` asks `aten.equal`), as benchmarks/opinfo_coverage.py measures."""
    try:
        return _torch_run(source, inputs)
    except NotImplementedError:
        import torch
        from torch.utils.flop_counter import FlopCounterMode

        names = {name: torch.ones(shape) for name, shape in zip("xyzw", inputs, strict=False)}
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            output = eval(source, {"torch": torch, "F": torch.nn.functional, **names})  # our own test text
        return output, counter.get_total_flops()


def test_resize_as_gives_the_tensor_itself_the_new_shape(analyze_source) -> None:
    model = _model("x.resize_as_(y); x + 1", ((2, 3), (4, 5)), analyze_source)
    assert model.diagnostics == []
    assert [layer.output for layer in model.layers] == [(4, 5), (4, 5)]


def test_scalar_tensor_and_empty_permuted_are_factories(analyze_source) -> None:
    model = _model("x + torch.scalar_tensor(-5) + torch.empty_permuted((2, 3), (1, 0))", ((3,),), analyze_source)
    assert model.diagnostics == []
    assert [layer.output for layer in model.layers] == [(3,), (2, 3)]


def test_bincount_depends_on_the_data_and_says_its_least_size(analyze_source) -> None:
    model = _model("torch.bincount(x.long(), minlength=4)", ((5,),), analyze_source)
    (diagnostic,) = model.diagnostics
    assert diagnostic.code.code == "SF301"
    assert "a data-dependent size at least 4" in diagnostic.message
    assert not model.flops_complete


def test_unravel_index_gives_one_coordinate_per_dimension(analyze_source) -> None:
    model = _model("torch.unravel_index(x.long(), (4, 5, 6))[2] + 1", ((2, 3),), analyze_source)
    assert model.diagnostics == []
    assert [layer.output for layer in model.layers] == [(2, 3), (2, 3)]
    assert model.flops == 2 * 3 * 6 + 6  # a remainder and a floor division per dimension, then the addition


@pytest.mark.parametrize(
    ("source", "inputs", "message"),
    [
        ("torch.as_strided(x, (3, 3), (3, 1), 1)", ((3, 3),), "require a storage of 10 elements"),
        ("torch.select_scatter(x, y, 0, 1)", ((5, 4), (5,)), "expected src to have a size equal to the slice"),
        ("torch.bincount(x.long())", ((2, 3),), "bincount only supports 1-d"),
        ("torch.signal.windows.exponential(5, center=1.0)", ((1,),), "Center must be None for symmetric windows"),
        ("torch.signal.windows.gaussian(5, std=0)", ((1,),), "Standard deviation must be positive"),
    ],
)
def test_impossible_calls_are_shape_errors(source, inputs, message, analyze_source) -> None:
    model = _model(source, inputs, analyze_source)
    assert [d.code.code for d in model.diagnostics] == ["SF201"]
    assert message in model.diagnostics[0].message


def test_histogram_with_edges_searches_each_element(analyze_source) -> None:
    # (torch has no meta kernel for histogram: checked on the CPU by the OpInfo coverage run)
    model = _model("torch.histogram(x, y)", ((2, 3), (4,)), analyze_source)
    assert model.diagnostics == []
    assert model.layers[-1].output == (3,)  # 4 edges, 3 bins
    assert model.flops == 6  # the search is not priced; one increment per element


def test_multihead_attention_sees_the_keys_bias_k_and_add_zero_attn_append(analyze_source) -> None:
    # torch 2.14 (FlopCounterMode, meta and CPU alike): 4096, and weights (1, 5, 8) for 6 keys
    model = analyze_source(
        """
        import torch.nn as nn

        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.MultiheadAttention(8, 2, add_bias_kv=True, add_zero_attn=True)

            def forward(self, q, k):
                out, w = self.a(q, k, k)
                return out, w + 0
        """,
        model="M",
        inputs=[(5, 1, 8), (6, 1, 8)],
        convention="torch",
    )
    assert model.diagnostics == []
    assert model.flops == 4096
    assert model.layers[-1].output == (1, 5, 8)


def test_bincount_of_a_constant_is_folded(analyze_source) -> None:
    # torch.bincount(torch.tensor([0, 2, 2])) is [1, 0, 2]: three bins, known
    model = _model("x + torch.bincount(torch.tensor([0, 2, 2]), minlength=2)", ((3,),), analyze_source)
    assert model.diagnostics == []
    assert [layer.output for layer in model.layers] == [(3,)]
    weighted = _model("torch.bincount(torch.tensor([0, 2]), weights=torch.tensor([1.0, 2.0]))", ((1,),), analyze_source)
    assert [d.code.code for d in weighted.diagnostics] == ["SF301"]


def test_the_fft_and_signal_namespaces_import_as_torch_spells_them(analyze_source) -> None:
    model = analyze_source(
        """
        import torch
        import torch.nn as nn
        import torch.signal.windows
        from torch.fft import irfft
        from torch.signal import windows
        from torch.signal.windows import hann

        class M(nn.Module):
            def forward(self, x):
                return irfft(x) * windows.hann(8) + hann(8, sym=False) + torch.signal.windows.kaiser(8)
        """,
        model="M",
        inputs=[(2, 5)],
    )
    assert model.diagnostics == []
    assert [layer.type for layer in model.layers[:2]] == ["torch.fft.irfft", "torch.signal.windows.hann"]
    assert model.layers[-1].output == (2, 8)
