"""Every spelling of an op: `torch.conv2d` is `F.conv2d`, `torch.ops.aten.addmm.default` is `torch.addmm`,
`x.sub_(y)` is `x.sub(y)` written into x, and keywords such as `out=` or `dtype=` never cut the trace.
Each case is a call in a forward() on inputs x, y, z, w: its output shape and FLOPs (seed) are exact,
and with torch installed, torch agrees on the shape and FlopCounterMode on the `torch` convention's count."""

from __future__ import annotations

import pytest

from tests.test_catalog_examples import op_source

Case = tuple[str, tuple[tuple[int, ...], ...], tuple[int, ...], int]

SPELLINGS: list[Case] = [
    # torch.* functions that are F's: the reference document's 3×3 convolution, (2·9 − 1)·9
    ("torch.conv2d(x, y)", ((1, 1, 5, 5), (1, 1, 3, 3)), (1, 1, 3, 3), 153),
    ("torch.conv1d(x, y, z)", ((2, 3, 10), (4, 3, 3), (4,)), (2, 4, 8), 1152),
    ("torch.conv_transpose2d(x, y, stride=2, padding=1)", ((1, 16, 8, 8), (16, 8, 4, 4)), (1, 8, 16, 16), 260096),
    # batch_norm's own order (weight, bias, running_mean, running_var, ...), eval statistics: 2 per element
    ("torch.batch_norm(x, None, None, y, z, False, 0.1, 1e-5, False)", ((2, 3, 4), (3,), (3,)), (2, 3, 4), 48),
    ("torch.layer_norm(x, [4])", ((2, 3, 4),), (2, 3, 4), 120),
    ("torch.group_norm(x, 3)", ((2, 6, 4),), (2, 6, 4), 240),
    ("torch.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False)", ((2, 3, 4),), (2, 3, 4), 120),
    ("torch.dropout(x, 0.5, False)", ((2, 3),), (2, 3), 0),
    # the weight first: a lookup, no arithmetic
    ("torch.embedding(x, y.long())", ((10, 4), (2, 3)), (2, 3, 4), 0),
    # stride=[] (aten's default) is the kernel size: 2·2 windows of 4, 3 comparisons each
    ("torch.max_pool2d(x, 2)", ((1, 1, 4, 4),), (1, 1, 2, 2), 12),
    ("torch.adaptive_max_pool1d(x, 2)[0]", ((1, 2, 8),), (1, 2, 2), 12),
    ("torch.selu(x)", ((2, 3),), (2, 3), 6),
    # torch._C._nn, where F's functions live
    ("torch._C._nn.linear(x, y)", ((2, 4), (3, 4)), (2, 3), 42),
    ("torch._C._nn.gelu(x)", ((2, 3),), (2, 3), 6),
    ("torch._C._nn.pad(x, [1, 1])", ((2, 3),), (2, 5), 0),
    ("torch._C._nn.avg_pool2d(x, 2)", ((1, 1, 4, 4),), (1, 1, 2, 2), 16),
    ("torch._C._nn.upsample_bilinear2d(x, [8, 8], False)", ((1, 1, 4, 4),), (1, 1, 8, 8), 448),
    ("torch._C._nn.upsample_nearest2d(x, [8, 8])", ((1, 1, 4, 4),), (1, 1, 8, 8), 0),
    ("torch._C._nn.scaled_dot_product_attention(x, x, x)", ((1, 2, 3, 4),), (1, 2, 3, 4), 300),
    # aten's ops, through any overload
    ("torch.ops.aten.addmm.default(x, y, z)", ((3, 5), (3, 4), (4, 5)), (3, 5), 120),
    ("torch.ops.aten.mm(x, y)", ((3, 4), (4, 5)), (3, 5), 105),
    ("torch.ops.aten.conv2d.default(x, y)", ((1, 1, 5, 5), (1, 1, 3, 3)), (1, 1, 3, 3), 153),
    ("torch.ops.aten.relu.default(x)", ((2, 3),), (2, 3), 6),
    ("torch.ops.aten.view.default(x, [6])", ((2, 3),), (6,), 0),
    ("torch.ops.aten.add.Tensor(x, y)", ((2, 3), (3,)), (2, 3), 6),
    ("torch.ops.aten._softmax.default(x, -1, False)", ((2, 3),), (2, 3), 18),
    ("torch.ops.aten.upsample_nearest2d.vec(x, [8, 8], None)", ((1, 1, 4, 4),), (1, 1, 8, 8), 0),
    ("torch.ops.aten.avg_pool2d.default(x, [2, 2])", ((1, 1, 4, 4),), (1, 1, 2, 2), 16),
    ("torch.ops.aten.layer_norm.default(x, [4])", ((2, 3, 4),), (2, 3, 4), 120),
    ("torch._C._nn.reflection_pad2d(x, [1, 1, 2, 2])", ((1, 1, 4, 4),), (1, 1, 8, 6), 0),
    ("torch.constant_pad_nd(x, [1, 2])", ((2, 3),), (2, 6), 0),
    # aten.convolution: the weight's rank and `transposed` say which
    (
        "torch.ops.aten.convolution.default(x, y, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)",
        ((1, 1, 5, 5), (1, 1, 3, 3)),
        (1, 1, 3, 3),
        153,
    ),
    ("torch.convolution(x, y, None, [2], [0], [1], True, [1], 1)", ((1, 4, 5), (4, 2, 3)), (1, 2, 12), 218),
    ("torch._C._VariableFunctions.matmul(x, y)", ((2, 3, 4), (4, 5)), (2, 3, 5), 210),
    ("torch._C._VariableFunctions.bmm(x, y)", ((2, 3, 4), (2, 4, 5)), (2, 3, 5), 210),
    # other names of products
    ("torch.linalg.matmul(x, y)", ((2, 3, 4), (4, 5)), (2, 3, 5), 210),
    ("torch.ger(x, y)", ((3,), (4,)), (3, 4), 12),
    ("x.ger(y)", ((3,), (4,)), (3, 4), 12),
    ("torch.vdot(x, y)", ((4,), (4,)), (), 7),
    ("x.vdot(y)", ((4,), (4,)), (), 7),
    # in-place forms: the out-of-place op written into x
    ("x.sub_(y)", ((2, 3), (3,)), (2, 3), 6),
    ("x.clamp_(min=0)", ((2, 3),), (2, 3), 6),
    ("x.div_(2)", ((2, 3),), (2, 3), 6),
    ("x.sigmoid_()", ((2, 3),), (2, 3), 6),
    ("x.addmm_(y, z)", ((3, 5), (3, 4), (4, 5)), (3, 5), 120),
    ("x.baddbmm_(y, z, beta=0.5, alpha=2)", ((2, 3, 5), (2, 3, 4), (2, 4, 5)), (2, 3, 5), 300),
    ("x.addr_(y, z)", ((3, 4), (3,), (4,)), (3, 4), 24),
    ("x.ger(y).add_(1)", ((3,), (4,)), (3, 4), 24),
    ("F.elu_(x)", ((2, 3),), (2, 3), 6),
    ("torch.exp_(x)", ((2, 3),), (2, 3), 6),
    # keywords any op takes: out= receives the result, dtype= sets its dtype
    ("torch.add(x, y, out=z)", ((2, 3), (3,), (2, 3)), (2, 3), 6),
    ("torch.matmul(x, y, out=z)", ((3, 4), (4, 5), (3, 5)), (3, 5), 105),
    ("torch.addmm(x, y, z, out=w)", ((5,), (3, 4), (4, 5), (3, 5)), (3, 5), 120),
    ("torch.exp(x, out=y)", ((2, 3), (2, 3)), (2, 3), 6),
    ("torch.sum(x, 1, dtype=torch.float64)", ((2, 3),), (2,), 4),
]


def _model(source: str, inputs, analyze_source, convention: str = "seed"):
    from staticflops.catalog import Example

    example = Example(source, tuple(inputs), (), 0, 0, 0)
    return analyze_source(op_source(example), model="M", inputs=list(inputs), convention=convention)


@pytest.mark.parametrize(("source", "inputs", "output", "flops"), SPELLINGS, ids=[c[0] for c in SPELLINGS])
def test_every_spelling_runs_its_entry(source, inputs, output, flops, analyze_source) -> None:
    model = _model(source, inputs, analyze_source)
    assert model.diagnostics == []
    assert model.flops == flops
    assert model.layers[-1].output == output if model.layers else output == inputs[0]


def test_a_spelling_is_reported_by_the_name_it_was_called_through(analyze_source) -> None:
    model = _model("torch.conv2d(x, y)", ((1, 1, 5, 5), (1, 1, 3, 3)), analyze_source)
    (call,) = model.layers
    assert call.type == "torch.conv2d"
    assert call.caller.qualname == "torch.nn.functional.conv2d"


@pytest.mark.parametrize(
    "keyword",
    [
        "memory_format=torch.contiguous_format",
        "device='cpu'",
        "requires_grad=False",
        "layout=torch.strided",
        "pin_memory=False",
        "non_blocking=True",
    ],
)
def test_keywords_that_never_change_a_shape_are_accepted_by_every_op(keyword, analyze_source) -> None:
    model = _model(f"torch.flatten(x, {keyword})", ((2, 3),), analyze_source)
    assert model.diagnostics == []
    assert model.layers[-1].output == (6,)


def test_out_receives_the_result(analyze_source) -> None:
    # torch resizes `out` to the result's shape
    model = _model("torch.matmul(x, y, out=z); z + 1", ((3, 4), (4, 5), (1,)), analyze_source)
    assert model.diagnostics == []
    assert model.layers[-1].output == (3, 5)


def test_an_in_place_op_keeps_the_tensor_and_its_shape(analyze_source) -> None:
    # torch does not resize x to the broadcast shape: the forward raises, as torch's does
    model = _model("x.sub_(y)", ((3,), (2, 3)), analyze_source)
    assert [(d.code.code, d.message.split(": ", 1)[1]) for d in model.diagnostics] == [
        ("SF306", "output with shape [3] doesn't match the broadcast shape [2, 3]")
    ]


PTFLOPS: list[tuple[str, tuple[tuple[int, ...], ...], int]] = [
    # patched: the first operand's elements × the second's last dimension, plus the added tensor's elements
    ("torch.addmm(x, y, z, beta=0.5, alpha=2)", ((3, 5), (3, 4), (4, 5)), 75),
    ("torch.addmm(x, y, z, beta=0)", ((3, 5), (3, 4), (4, 5)), 60),
    ("torch.baddbmm(x, y, z)", ((2, 3, 5), (2, 3, 4), (2, 4, 5)), 150),
    ("x.addmm(y, z)", ((3, 5), (3, 4), (4, 5)), 75),
    # not patched: other names and in-place forms count nothing
    ("x.baddbmm(y, z)", ((2, 3, 5), (2, 3, 4), (2, 4, 5)), 0),
    ("x.addmm_(y, z)", ((3, 5), (3, 4), (4, 5)), 0),
    ("torch.linalg.matmul(x, y)", ((2, 3, 4), (4, 5)), 0),
    ("torch._VariableFunctions.matmul(x, y)", ((2, 3, 4), (4, 5)), 0),
    ("x.add_(y)", ((2, 3), (2, 3)), 0),
    ("torch.ops.aten.mm.default(x, y)", ((3, 4), (4, 5)), 0),
]


@pytest.mark.parametrize(("source", "inputs", "flops"), PTFLOPS, ids=[c[0] for c in PTFLOPS])
def test_ptflops_counts_the_names_it_patched(source, inputs, flops, analyze_source) -> None:
    assert _model(source, inputs, analyze_source, "ptflops").flops == flops


FVCORE: list[tuple[str, tuple[tuple[int, ...], ...], int]] = [
    ("torch.linalg.matmul(x, y)", ((2, 3, 4), (4, 5)), 120),  # aten::matmul
    ("torch.ops.aten.addmm.default(x, y, z)", ((3, 5), (3, 4), (4, 5)), 60),
    ("x.addmm_(y, z)", ((3, 5), (3, 4), (4, 5)), 0),  # aten::addmm_ has no handle
    ("torch.matmul(x, y)", ((2, 1, 3, 4), (5, 4, 2)), 48),  # x's elements × y's last dimension, not the MACs
]


@pytest.mark.parametrize(("source", "inputs", "flops"), FVCORE, ids=[c[0] for c in FVCORE])
def test_fvcore_counts_the_aten_ops_it_handles(source, inputs, flops, analyze_source) -> None:
    assert _model(source, inputs, analyze_source, "fvcore").flops == flops


# ---------------------------------------------------------------- against torch
def _torch_run(source: str, inputs):
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    def run(device: str):
        names = {name: torch.ones(shape, device=device) for name, shape in zip("xyzw", inputs, strict=False)}
        namespace = {"torch": torch, "F": torch.nn.functional, **names}
        *statements, result = source.split("; ")
        for statement in statements:
            exec(statement, namespace)  # our own test text, not analyzed code
        return eval(result, namespace)

    with torch.no_grad():
        output = run("cpu")
        counter = FlopCounterMode(display=False)
        with counter:
            run("meta")
    return output, counter.get_total_flops()


@pytest.mark.torch
@pytest.mark.parametrize(("source", "inputs", "output", "flops"), SPELLINGS, ids=[c[0] for c in SPELLINGS])
def test_torch_agrees_on_every_spelling(source, inputs, output, flops, analyze_source) -> None:
    if "embedding" in source:
        pytest.skip("an embedding's indices must be valid ids; ones are")
    theirs, counted = _torch_run(source, inputs)
    assert tuple(theirs.shape) == output
    assert _model(source, inputs, analyze_source, "torch").flops == counted


@pytest.mark.parametrize(
    ("source", "output"), [("x.t_()", (3, 2)), ("x.unsqueeze_(0)", (1, 2, 3)), ("x.transpose_(0, 1); x + 1", (3, 2))]
)
def test_in_place_forms_that_reshape_their_tensor(source, output, analyze_source) -> None:
    model = _model(source, ((2, 3),), analyze_source)
    assert model.diagnostics == []
    assert model.layers[-1].output == output


def test_the_issue_s_forward_is_counted_whole(analyze_source) -> None:
    # "one op the catalog lacks cuts the shape flow": torch.conv2d, torch.outer and torch.addmm in one forward
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.weight = nn.Parameter(torch.zeros(4, 3, 3, 3))
                self.fc = nn.Parameter(torch.zeros(4 * 6 * 6, 10))
                self.bias = nn.Parameter(torch.zeros(10))

            def forward(self, x):
                y = torch.conv2d(x, self.weight)
                y = torch.addmm(self.bias, y.flatten(1), self.fc)
                return torch.outer(y[0], y[0])
        """,
        inputs=[(2, 3, 8, 8)],
    )
    assert model.diagnostics == []
    assert model.layers[-1].output == (10, 10)
    # conv: 2·4·6·6 outputs × (2·27 − 1); addmm: 2·10 outputs × 2·144; outer: 100 products
    assert model.flops == 2 * 4 * 36 * 53 + 2 * 10 * 2 * 144 + 100


def test_out_of_a_chain_receives_the_result(analyze_source) -> None:
    model = _model("torch.linalg.multi_dot([x, y], out=z); z + 1", ((3, 4), (4, 5), (1,)), analyze_source)
    assert model.diagnostics == []
    assert model.layers[-1].output == (3, 5)
