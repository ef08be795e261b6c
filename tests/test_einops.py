"""einops as a modelled library: `import einops` works with no einops installed, shapes come from the
pattern strings, costs follow the catalog's torch rules (tests/test_einops_crosscheck.py checks the same
against einops and torch themselves)."""

from __future__ import annotations

import pytest

from staticflops import analyze
from tests.conftest import FIXTURES, codes

IMPORTS = """
import torch
import torch.nn as nn
import einops
from einops import rearrange, repeat, reduce, einsum, pack, unpack, parse_shape, asnumpy, EinopsError
from einops.layers.torch import Rearrange, Reduce, EinMix
"""


def forward_of(expression: str, arguments: str = "x", body: str = "") -> str:
    return (
        IMPORTS
        + f"""
class M(nn.Module):
    def forward(self, {arguments}):
        {body}return {expression}
"""
    )


def line_of(source: str, text: str) -> int:
    """The 1-based line of `source` (as analyze_source writes it: dedented) that holds `text`."""
    import textwrap

    return next(n for n, line in enumerate(textwrap.dedent(source).splitlines(), 1) if text in line)


# ---------------------------------------------------------------- the functions
CALLS = [
    # (expression on x, y, inputs, output, seed FLOPs, why)
    ("rearrange(x, 'b c h w -> b (h w) c')", [(2, 3, 4, 5)], (2, 20, 3), 0),
    ("rearrange(x, 'b (h p1) (w p2) c -> b h w (p1 p2 c)', p1=2, p2=2)", [(1, 4, 6, 3)], (1, 2, 3, 12), 0),
    ("rearrange(x, '... c -> c ...')", [(2, 3, 4)], (4, 2, 3), 0),
    ("rearrange(x, 'b c -> b 1 c ()')", [(2, 3)], (2, 1, 3, 1), 0),
    ("rearrange(x, 'b 1 c -> b c')", [(2, 1, 3)], (2, 3), 0),
    ("rearrange(x, '(b1 b2) c -> b1 b2 c', b1=2)", [(6, 5)], (2, 3, 5), 0),
    ("rearrange([x, y], 'n b c -> b n c')", [(2, 3), (2, 3)], (2, 2, 3), 0),
    ("einops.rearrange(x, 'b c h w -> b c (h w)', h=4)", [(2, 3, 4, 5)], (2, 3, 20), 0),
    ("repeat(x, 'h w -> (repeat h) w', repeat=2)", [(3, 4)], (6, 4), 0),
    ("repeat(x, 'b c -> b c k', k=5)", [(2, 3)], (2, 3, 5), 0),
    ("repeat(x, 'c -> b c 2', b=3)", [(4,)], (3, 4, 2), 0),
    # 6 outputs, each the mean of 20: 19 additions and a division
    ("reduce(x, 'b c h w -> b c', 'mean')", [(2, 3, 4, 5)], (2, 3), 120),
    # 2×2 max pooling: 8 outputs of 4, 3 comparisons each
    ("reduce(x, 'b c (h h2) (w w2) -> b c h w', 'max', h2=2, w2=2)", [(1, 2, 4, 4)], (1, 2, 2, 2), 24),
    ("reduce(x, 'b c h w -> b c 1 1', 'sum')", [(2, 3, 4, 5)], (2, 3, 1, 1), 120 - 6),
    ("reduce(x, 'b c -> c', 'min')", [(4, 3)], (3,), 12 - 3),
    # nothing reduced: einops calls no reduction at all
    ("reduce(x, 'b c -> c b', 'mean')", [(4, 3)], (3, 4), 0),
    # 6 products of 2: one multiplication each
    ("reduce(x, 'b (c 2) -> b c', 'prod')", [(2, 6)], (2, 3), 6),
    ("reduce(x, '... c -> ...', 'sum')", [(2, 3, 4)], (2, 3), 24 - 6),
    # every (b, i, j, k): 120 products into 30 outputs: 2·120 − 30
    ("einsum(x, y, 'b i j, b j k -> b i k')", [(2, 3, 4), (2, 4, 5)], (2, 3, 5), 210),
    ("einsum(x, y, 'batch h w, h w channel -> batch channel')", [(4, 2, 3), (2, 3, 5)], (4, 5), 2 * 120 - 20),
    # a trace: one operand, 3 elements summed into 1
    ("einsum(x, 'i i ->')", [(3, 3)], (), 2),
    ("einsum(x, y, '... d, e d -> ... e')", [(2, 3, 4), (5, 4)], (2, 3, 5), 2 * 120 - 30),
    # an outer product: one multiplication per output
    ("einsum(x, y, 'i, j -> i j')", [(3,), (4,)], (3, 4), 12),
    ("pack([x, y], 'b * c')[0]", [(2, 3, 4), (2, 5, 6, 4)], (2, 33, 4), 0),
    ("unpack(x, [(2,), (3, 4)], 'b * c')[1]", [(2, 14, 5)], (2, 2, 5), 0),
]


@pytest.mark.parametrize(("expression", "inputs", "output", "flops"), CALLS, ids=[c[0] for c in CALLS])
def test_an_einops_call_has_the_patterns_shape_and_the_catalogs_cost(
    expression, inputs, output, flops, analyze_source
) -> None:
    model = analyze_source(forward_of(expression, ", ".join("xy"[: len(inputs)])), inputs=inputs)
    assert model.diagnostics == []
    (row,) = [layer for layer in model.layers if layer.type.startswith("einops.")]
    assert row.output == output
    assert row.flops == flops
    assert model.flops_complete


def test_unpack_returns_one_tensor_per_packed_shape_and_pack_returns_them(analyze_source) -> None:
    source = forward_of(
        "c.sum() + d.sum()",
        "x, y",
        "packed, ps = pack([x, y], 'b * c')\n        c, d = unpack(packed * 2, ps, 'b * c')\n        "
        "assert ps == [(3,), (5, 6)] and c.shape == (2, 3, 4) and d.shape == (2, 5, 6, 4)\n        ",
    )
    model = analyze_source(source, inputs=[(2, 3, 4), (2, 5, 6, 4)])
    assert model.diagnostics == []
    assert [layer.type for layer in model.layers][:3] == ["einops.pack", "mul", "einops.unpack"]
    assert model.layers[2].output == (2, 3, 4)


def test_unpack_infers_the_one_unknown_length(analyze_source) -> None:
    model = analyze_source(forward_of("unpack(x, [(2,), (-1, 3)], 'b * c')[1]"), inputs=[(2, 14, 5)])
    assert model.diagnostics == []
    assert model.layers[-1].output == (2, 2, 5)  # the first piece; the second is (2, 4, 3, 5)


def test_parse_shape_and_asnumpy(analyze_source) -> None:
    source = forward_of(
        "rearrange(asnumpy(x), 'b c h w -> b (c h w)')",
        body="sizes = parse_shape(x, 'b _ h w')\n        assert sizes == {'b': 2, 'h': 4, 'w': 5}\n        "
        "assert parse_shape(x, 'batch ...') == {'batch': 2}\n        ",
    )
    model = analyze_source(source, inputs=[(2, 3, 4, 5)])
    assert model.diagnostics == []
    assert model.layers[-1].output == (2, 60)


def test_the_names_research_code_imports(analyze_source) -> None:
    source = """
    import torch.nn as nn
    import einops
    import einops.layers.torch as elt
    from einops.einops import rearrange
    from einops._torch_specific import allow_ops_in_compiled_graph

    allow_ops_in_compiled_graph()
    assert einops.__version__.startswith("0.8")

    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.flat = elt.Rearrange("b c h w -> b (c h w)")
            self.pool = einops.layers.torch.Reduce("b c h w -> b c", "max")

        def forward(self, x):
            return self.flat(x), self.pool(x), rearrange(x, "b c h w -> b h w c")
    """
    model = analyze_source(source, inputs=[(1, 2, 3, 4)])
    assert model.diagnostics == []
    assert [(layer.path, layer.type, layer.output) for layer in model.layers] == [
        ("flat", "Rearrange", (1, 24)),
        ("pool", "Reduce", (1, 2)),
        ("rearrange", "einops.rearrange", (1, 3, 4, 2)),
    ]
    assert model.layers[1].flops == 2 * (12 - 1)


def test_an_installed_einops_is_never_read(tmp_path) -> None:
    """Like torch, the modelled package owns its dotted tree: site-packages' einops is not interpreted."""
    site = tmp_path / "site"
    (site / "einops").mkdir(parents=True)
    (site / "einops" / "__init__.py").write_text("raise ImportError('the installed einops was read')\n")
    model_file = tmp_path / "model.py"
    model_file.write_text(
        "import torch.nn as nn\nfrom einops import rearrange\n\n\nclass M(nn.Module):\n"
        "    def forward(self, x):\n        return rearrange(x, 'b c -> c b')\n"
    )
    analysis = analyze([model_file], inputs=[(2, 3)], library_paths=[site])
    (model,) = analysis.models
    assert model.diagnostics == []
    assert model.layers[0].output == (3, 2)


# ---------------------------------------------------------------- the layers
def test_vit_patch_embedding(analyze_source) -> None:
    """vit-pytorch's patch embedding: 196 patches of 16·16·3 = 768 values, then a Linear to 64."""
    source = (
        IMPORTS
        + """
class PatchEmbedding(nn.Module):
    def __init__(self):
        super().__init__()
        self.to_patch = nn.Sequential(
            Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=16, p2=16),
            nn.Linear(768, 64),
        )

    def forward(self, img):
        return self.to_patch(img)
"""
    )
    model = analyze_source(source, inputs=[(1, 3, 224, 224)])
    assert model.diagnostics == []
    rearranged, linear = model.layers
    assert (rearranged.type, rearranged.output, rearranged.params, rearranged.flops) == (
        "Rearrange",
        (1, 196, 768),
        0,
        0,
    )
    assert (linear.output, linear.params) == ((1, 196, 64), 768 * 64 + 64)
    assert linear.flops == 2 * 768 * 196 * 64  # 2·I per output with its bias
    assert model.params == 49_216


def test_vit_input_shape_is_inferred_through_the_rearrange(analyze_source) -> None:
    source = (
        IMPORTS
        + """
class PatchEmbedding(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=16, p2=16)
        self.proj = nn.Linear(768, 64)

    def forward(self, img):
        return self.proj(self.patch(img))
"""
    )
    model = analyze_source(source)
    assert model.inputs == [(1, 3, 224, 224)]
    assert "c=3 through the pattern" in model.input_note
    assert codes(model) == ["SF304"]


EINMIXES = [
    # (constructor, input, output, params, seed FLOPs)
    # a Linear over the last axis: 6·5 outputs of 4 products and the bias
    ("EinMix('b t c -> b t d', weight_shape='c d', bias_shape='d', c=4, d=5)", (2, 3, 4), (2, 3, 5), 25, 240),
    # two heads of 3 → 4 channels, no bias: 40 outputs of 3 products (5 operations)
    ("EinMix('b (h c) -> b (h d)', weight_shape='h c d', h=2, c=3, d=4)", (5, 6), (5, 8), 24, 200),
    ("EinMix('... c -> ... d', weight_shape='c d', bias_shape='d', c=4, d=6)", (2, 3, 4), (2, 3, 6), 30, 288),
    # MLP-Mixer's token mixing: 16 tokens → 32, for each of 8 channels; 256 outputs of 16 products and the bias
    ("EinMix('b n c -> b m c', weight_shape='n m', bias_shape='m', n=16, m=32)", (1, 16, 8), (1, 32, 8), 544, 8192),
    # a per-channel scale: one multiplication per output
    ("EinMix('b c -> b c', weight_shape='c', c=7)", (3, 7), (3, 7), 7, 21),
]


@pytest.mark.parametrize(("layer", "shape", "output", "params", "flops"), EINMIXES, ids=[e[0] for e in EINMIXES])
def test_einmix_has_its_weight_and_bias_and_costs_its_einsum(
    layer, shape, output, params, flops, analyze_source
) -> None:
    source = (
        IMPORTS
        + f"""
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.mix = {layer}

    def forward(self, x):
        return self.mix(x)
"""
    )
    model = analyze_source(source, inputs=[shape])
    assert model.diagnostics == []
    (row,) = model.layers
    assert (row.type, row.output, row.params, row.flops) == ("EinMix", output, params, flops)
    assert model.params == params


def test_einmix_is_priced_as_torch_einsum_plus_its_bias(analyze_source) -> None:
    """`EinMix` runs `torch.einsum(einsum_pattern, x, weight)` and adds the bias: the catalog's einsum entry."""
    mix = analyze_source(
        forward_of(
            "self_mix(x)",
            body="self_mix = EinMix('b t c -> b t d', weight_shape='c d', bias_shape='d', c=4, d=5)\n        ",
        ),
        inputs=[(2, 3, 4)],
    )
    plain = analyze_source(forward_of("torch.einsum('abc,cd->abd', x, w) + b",
                                      body="w = torch.ones(4, 5)\n        b = torch.ones(5)\n        "),
                           inputs=[(2, 3, 4)])  # fmt: skip
    assert mix.flops == plain.flops == 240
    assert mix.macs == plain.macs == 120


@pytest.mark.parametrize("reduction", ["sum", "mean", "max", "min", "prod"])
def test_einops_reductions_are_priced_as_the_catalogs_reductions(reduction, analyze_source) -> None:
    """einops reshapes, permutes, then calls one torch reduction: the same elements into the same outputs."""
    theirs = {"sum": "sum", "mean": "mean", "max": "amax", "min": "amax", "prod": "sum"}[reduction]
    ours = analyze_source(forward_of(f"reduce(x, 'b c h w -> b c', '{reduction}')"), inputs=[(2, 3, 4, 5)])
    torch_call = analyze_source(forward_of(f"x.reshape(2, 3, 20).{theirs}(2)"), inputs=[(2, 3, 4, 5)])
    layer = analyze_source(forward_of(f"Reduce('b c h w -> b c', '{reduction}')(x)"), inputs=[(2, 3, 4, 5)])
    assert ours.flops == torch_call.flops == layer.flops > 0


def test_a_callable_reduction_keeps_the_shape_and_says_its_cost_is_unknown(analyze_source) -> None:
    source = forward_of("reduce(y, 'b h -> b', 'sum')", body="y = reduce(x, 'b h w -> b h', torch.logsumexp)\n        ")
    model = analyze_source(source, inputs=[(2, 3, 4)])
    first, second = model.layers
    assert first.output == (2, 3) and first.flops is None
    assert second.output == (2,) and second.flops == 4
    assert codes(model) == ["SF305"]
    assert not model.flops_complete
    assert model.diagnostics[0].line == line_of(source, "torch.logsumexp")


# ---------------------------------------------------------------- research-style blocks
def test_mlp_mixer_block_written_with_einops(analyze_source) -> None:
    """Token mixing with EinMix (16 tokens → 32 → 16), channel mixing with Linear, then Reduce's mean."""
    source = (
        IMPORTS
        + """
class Block(nn.Module):
    def __init__(self, tokens=16, dim=8):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.tokens = nn.Sequential(
            EinMix('b n c -> b m c', weight_shape='n m', bias_shape='m', n=tokens, m=2 * tokens),
            nn.GELU(),
            EinMix('b m c -> b n c', weight_shape='m n', bias_shape='n', n=tokens, m=2 * tokens),
        )
        self.channels = nn.Linear(dim, dim)
        self.pool = Reduce('b n c -> b c', 'mean')

    def forward(self, x):
        x = x + self.tokens(self.norm(x))
        x = x + self.channels(x)
        return self.pool(x)
"""
    )
    model = analyze_source(source, inputs=[(1, 16, 8)])
    assert model.diagnostics == []
    rows = {layer.path: layer for layer in model.layers if layer.path}
    assert rows["tokens.0"].output == (1, 32, 8) and rows["tokens.0"].params == 16 * 32 + 32
    assert rows["tokens.2"].output == (1, 16, 8) and rows["tokens.2"].params == 32 * 16 + 16
    assert rows["tokens.0"].flops == 2 * 16 * 256  # 256 outputs, 16 products and the bias each
    assert rows["tokens.2"].flops == 2 * 32 * 128
    assert rows["pool"].output == (1, 8) and rows["pool"].flops == 128  # 8 means of 16
    assert model.params == 16 + 544 + 528 + 72


def test_perceiver_cross_attention_written_with_einops(analyze_source) -> None:
    source = (
        IMPORTS
        + """
class Cross(nn.Module):
    def __init__(self):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(8, 32))
        self.to_kv = nn.Linear(16, 64, bias=False)

    def forward(self, data):
        q = repeat(self.latents, 'n d -> b n d', b=data.shape[0])
        k, v = self.to_kv(data).chunk(2, dim=-1)
        sim = einsum(q, k, 'b i d, b j d -> b i j')
        return einsum(sim.softmax(dim=-1), v, 'b i j, b j d -> b i d')
"""
    )
    model = analyze_source(source, inputs=[(2, 20, 16)])
    assert model.diagnostics == []
    rows = [layer for layer in model.layers if layer.type.startswith("einops.")]
    assert [(row.type, row.output) for row in rows] == [
        ("einops.repeat", (2, 8, 32)),
        ("einops.einsum", (2, 8, 20)),
        ("einops.einsum", (2, 8, 32)),
    ]
    assert rows[1].flops == 2 * (2 * 8 * 20 * 32) - 2 * 8 * 20
    assert rows[2].flops == 2 * (2 * 8 * 20 * 32) - 2 * 8 * 32


FIXTURE_MODELS = [
    # (model, input, params, seed FLOPs, MACs, torch-convention FLOPs): measured with einops 0.8.2 and
    # torch 2.14 (params, and FlopCounterMode for the torch convention); tests/test_einops_crosscheck.py
    # measures them again where torch is installed
    ("ViT()", (2, 3, 32, 32), 81_354, 5_690_928, 2_770_688, 5_541_376),
    ("MLPMixer()", (1, 3, 32, 32), 52_074, 4_498_048, 2_195_776, 4_391_552),
    ("Perceiver()", (2, 20, 16), 12_037, 475_328, 233_792, 467_584),
]


@pytest.mark.parametrize(("name", "shape", "params", "flops", "macs", "torch_flops"), FIXTURE_MODELS)
def test_the_einops_fixture(name, shape, params, flops, macs, torch_flops) -> None:
    for convention, expected in (("seed", flops), ("torch", torch_flops)):
        (model,) = analyze([FIXTURES / "einops_models.py"], model=name, inputs=[shape], convention=convention).models
        assert model.diagnostics == []
        assert (model.params, model.flops, model.macs) == (params, expected, macs)
        assert model.params_complete and model.flops_complete


def test_the_mixer_fixtures_input_is_solved_in_whole_patches() -> None:
    (model,) = analyze([FIXTURES / "einops_models.py"], model="MLPMixer()").models
    assert model.inputs == [(1, 3, 32, 32)]  # 64 patches of 4×4, as its EinMix over n=64 tokens requires
    assert model.params == 52_074


# ---------------------------------------------------------------- errors
SHAPE_ERRORS = [
    # (expression, inputs, code, words of the message)
    ("rearrange(x, 'b (h p) w -> b h p w', p=3)", [(2, 8, 5)], "SF202", "can't divide axis of length 8 in chunks of 3"),
    ("rearrange(x, 'b c h w -> b c (h w)')", [(2, 8, 5)], "SF201", "expected 4 dims. Received 3-dim tensor"),
    ("rearrange(x, '... c h w -> ... (c h w)')", [(2, 8)], "SF201", "expected >=3 dims. Received 2-dim tensor"),
    ("rearrange(x, 'b c -> c b', c=4)", [(2, 3)], "SF201", "Shape mismatch, 3 != 4"),
    ("rearrange(x, 'b 1 c -> b c')", [(2, 3, 4)], "SF201", "Shape mismatch, 3 != 1"),
    ("rearrange([x, y], 'n b c -> b n c')", [(2, 3), (2, 4)], "SF201", "stack expects each tensor to be equal size"),
    ("reduce(x, 'b c -> b', 'mean')", [(2, 3, 4)], "SF201", "expected 2 dims"),
    ("einsum(x, y, 'b i j, b j k -> b i k')", [(2, 3, 4), (2, 5, 5)], "SF201", "axis 'j' has size 4 and 5"),
    ("einsum(x, y, 'i j, j -> i')", [(2, 3, 4), (3,)], "SF201", "2 axes named for operand 0 of 3 dimensions"),
    ("pack([x, y], 'b * c')", [(2, 3, 4), (2, 5)], "SF201", "sizes of tensors must match except in dimension 1"),
    ("unpack(x, [(2,), (3,)], 'b * c')", [(2, 6, 5)], "SF202", "could not split axis of size 6"),
]


@pytest.mark.parametrize(("expression", "inputs", "code", "words"), SHAPE_ERRORS, ids=[e[0] for e in SHAPE_ERRORS])
def test_a_pattern_that_does_not_fit_is_a_shape_error_at_the_call(
    expression, inputs, code, words, analyze_source
) -> None:
    source = forward_of(expression, ", ".join("xy"[: len(inputs)]))
    model = analyze_source(source, inputs=inputs)
    (error,) = [d for d in model.diagnostics if d.code.code.startswith("SF2")]
    assert error.code.code == code
    assert words in error.message
    assert error.line == line_of(source, expression)


def test_a_layer_that_does_not_fit_is_a_shape_error_at_its_call(analyze_source) -> None:
    source = (
        IMPORTS
        + """
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=16, p2=16)
        self.mix = EinMix('b n c -> b n d', weight_shape='c d', c=768, d=32)

    def forward(self, img):
        x = self.patch(img)
        return self.mix(x)
"""
    )
    bad_size = analyze_source(source, inputs=[(1, 3, 225, 224)])
    (error,) = [d for d in bad_size.diagnostics if d.code.code.startswith("SF2")]
    assert error.code.code == "SF202"
    assert error.message.startswith("layer 'patch' (Rearrange): ")
    assert "can't divide axis of length 225 in chunks of 16" in error.message
    assert error.line == line_of(source, "x = self.patch(img)")
    bad_channels = analyze_source(source, inputs=[(1, 4, 224, 224)])
    (error,) = [d for d in bad_channels.diagnostics if d.code.code.startswith("SF2")]
    assert error.code.code == "SF201"
    assert error.message.startswith("layer 'mix' (EinMix): ")
    assert "axis 'c' has size 768 and 1024" in error.message
    assert error.line == line_of(source, "return self.mix(x)")


PATTERN_ERRORS = [
    # (expression, the exception einops raises, words of its message)
    ("rearrange(x, 'b c -> b')", "EinopsError", "Identifiers only on one side of expression"),
    ("rearrange(x, 'b (c (h w)) -> b c')", "EinopsError", "brackets inside brackets not allowed"),
    ("rearrange(x, 'b c -> b c 2')", "EinopsError", "Non-unitary anonymous axes are not supported"),
    ("repeat(x, 'b c -> b c k')", "EinopsError", "Specify sizes for new axes in repeat"),
    ("reduce(x, 'b c -> b', 'median')", "EinopsError", "Unknown reduction median"),
    ("rearrange(x, 'b (h w) -> b h w')", "EinopsError", "Could not infer sizes for {'h', 'w'}"),
    ("rearrange(x, 'b c -> b c', d=3)", "EinopsError", "Axis d is not used in transform"),
    ("rearrange(x, 'b c')", "ValueError", "not enough values to unpack"),
    ("einsum(x, x, 'b (c d), b c -> b')", "NotImplementedError", "Shape rearrangement is not yet supported"),
    ("einsum(x, x, 'b c, b c')", "ValueError", "Einsum pattern must contain '->'"),
    ("einsum(x, 'b c -> b k')", "EinopsError", "Unknown axis k on right side of einsum"),
    ("pack([x], 'b c')", "EinopsError", "No *-axis"),
]


@pytest.mark.parametrize(("expression", "raised", "words"), PATTERN_ERRORS, ids=[e[0] for e in PATTERN_ERRORS])
def test_a_malformed_pattern_raises_einops_error_whatever_the_shape(expression, raised, words, analyze_source) -> None:
    for body in ("", "x = x[x > 0]\n        "):  # known and unknown shapes: einops checks the pattern first
        source = forward_of(expression, body=body)
        model = analyze_source(source, inputs=[(2, 6)])
        errors = [d for d in model.diagnostics if d.code.code == "SF306"]
        assert [(e.line, f"raised {raised}: " in e.message and words in e.message) for e in errors] == [
            (line_of(source, expression), True)
        ], model.diagnostics


def test_a_malformed_layer_pattern_raises_where_the_layer_is_built(analyze_source) -> None:
    source = (
        IMPORTS
        + """
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.r = Rearrange('b c -> b c d')

    def forward(self, x):
        return self.r(x)
"""
    )
    analysis = analyze_source(source, all=True, model="M", inputs=[(2, 3)])
    (error,) = [d for d in analysis.diagnostics if d.code.code == "SF306"]
    assert "building 'M' raised EinopsError: Identifiers only on one side of expression" in error.message
    assert error.line == line_of(source, "self.r = Rearrange")


def test_analyzed_code_catches_einops_error(analyze_source) -> None:
    source = forward_of(
        "y",
        body="try:\n            y = rearrange(x, 'b c -> b')\n        except EinopsError:\n"
        "            y = rearrange(x, 'b c -> c b')\n        ",
    )
    model = analyze_source(source, inputs=[(2, 3)])
    assert model.diagnostics == []
    assert model.layers[-1].output == (3, 2)


def test_an_unknown_axis_length_is_said_and_the_shape_left_unknown(analyze_source) -> None:
    source = (
        IMPORTS
        + """
import os

class M(nn.Module):
    def forward(self, x):
        return rearrange(x, 'b (h w) -> b h w', h=int(os.environ['H']))
"""
    )
    model = analyze_source(source, inputs=[(2, 12)])
    assert model.layers[0].output is None
    assert "SF301" in codes(model)


def test_the_input_is_inferred_through_a_rearrange_call_too(analyze_source) -> None:
    source = IMPORTS + """
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(4, 8))
        self.proj = nn.Linear(48, 8)

    def forward(self, img):
        latents = repeat(self.latents, 'n d -> b n d', b=img.shape[0])
        x = self.proj(rearrange(img, 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=4, p2=4))
        return torch.cat((latents, x), dim=1)
"""
    model = analyze_source(source)
    assert model.inputs == [(1, 3, 224, 224)]  # the latents' repeat reads no input: not the first layer's input
    assert "einops.rearrange at line" in model.input_note
    assert model.layers[-1].output == (1, 4 + 56 * 56, 8)
