"""What the ModuleInfo coverage run (benchmarks/moduleinfo_coverage.py) found, each as a short model: outputs,
parameters and FLOPs under the `torch` convention as torch 2.14.1 gives them (`FlopCounterMode` on the meta
device, eval mode, `no_grad`; the figures were measured so, and the torch-marked harness re-measures them)."""

from __future__ import annotations

import textwrap

import pytest

import staticflops

HEADER = """
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.m = {module}

    def forward(self, {params}):
        {casts}
        return self.m({call})
"""


def analyze(tmp_path, module: str, call: str, inputs: list[tuple[int, ...]], casts: str = "pass", convention="torch"):
    """The model's revealed return value, parameters, FLOPs and diagnostic codes."""
    params = ", ".join("xyzw"[: len(inputs)])
    path = tmp_path / "model.py"
    source = HEADER.format(module=module, params=params, casts=casts, call=call)
    path.write_text(textwrap.dedent(source))
    analysis = staticflops.analyze([path], inputs=inputs, reveal=True, convention=convention, site_packages=False)
    (model,) = analysis.models
    returned = [line.rsplit(": ", 1)[1] for line in model.revealed  # forward()'s own, not a stub's
                if line.startswith(f"{path}:") and ": return: " in line]  # fmt: skip
    found = [d.code.code for d in model.diagnostics if d.code.code != "SF304"]
    return returned[0], model.params, model.flops, found


MHA = "nn.MultiheadAttention(4, 2, batch_first=True, add_bias_kv=True, add_zero_attn=True)"


@pytest.mark.parametrize(
    ("call", "inputs", "output", "flops"),
    [
        # bias_k/bias_v and a zero key are appended after the projections: 5 + 1 + 1 = 7 keys per query;
        # projections 2·(2·3 + 2·2·5 + 2·3)·4·4 = 1024, scores and weights·v 2 · 2·2·3·7·2·2 = 672
        ("x, y, y", [(2, 3, 4), (2, 5, 4)], "(Tensor[2, 3, 4], Tensor[2, 3, 7])", 1696),
        ("x, y, y, need_weights=False", [(2, 3, 4), (2, 5, 4)], "(Tensor[2, 3, 4], None)", 1696),
        ("x, y, y, average_attn_weights=False", [(2, 3, 4), (2, 5, 4)], "(Tensor[2, 3, 4], Tensor[2, 2, 3, 7])", 1696),
        ("x, y, y, average_attn_weights=False", [(3, 4), (5, 4)], "(Tensor[3, 4], Tensor[2, 3, 7])", 848),
    ],
)
def test_multihead_attention_attends_to_the_added_keys(tmp_path, call, inputs, output, flops) -> None:
    # in_proj 3·4·4 + 12, out_proj 4·4 + 4, bias_k and bias_v 4 each = 88
    assert analyze(tmp_path, MHA, call, inputs) == (output, 88, flops, [])


def test_linear_cross_entropy_projects_to_every_class_and_out_feature(tmp_path) -> None:
    # linear: 5 → 4·3 with a bias (72 parameters); 2·8·5·12 = 960 for the product
    module = "nn.LinearCrossEntropyLoss(5, 4, out_features=(3,), bias=True, reduction='none')"
    found = analyze(tmp_path, module, "x, y", [(8, 5), (8, 3)], casts="y = y.long()")
    assert found == ("Tensor[8, 3]", 72, 960, [])


def test_fractional_max_pool_module(tmp_path) -> None:
    module = "nn.FractionalMaxPool2d(2, output_size=(3, 4), return_indices=True)"
    found = analyze(tmp_path, module, "x", [(1, 2, 7, 9)])
    assert found == ("(Tensor[1, 2, 3, 4], Tensor[1, 2, 3, 4])", 0, 0, [])


def test_fractional_max_pool_samples_are_a_buffer(tmp_path) -> None:
    # torch registers `_random_samples` as a buffer: the module's forward() uses it, and it is no parameter
    module = "nn.FractionalMaxPool2d(2, output_ratio=0.5, _random_samples=torch.rand(1, 2, 2))"
    found = analyze(tmp_path, module, "x", [(1, 2, 6, 8)], casts="x = x + self.m._random_samples.sum()")
    assert found == ("Tensor[1, 2, 3, 4]", 0, 0, [])


@pytest.mark.parametrize(
    ("module", "call", "inputs", "casts", "output", "flops"),
    [
        # 7 per step and extended-target position: 7·6·(2·2·3 + 2) = 588; no reduction
        ("nn.CTCLoss(reduction='none')", "x, y, [6, 6], [3, 3]", [(6, 2, 5), (2, 3)], "y = y.long()", "Tensor[2]",
         588),
        # the mean: 2 more per sequence
        ("nn.CTCLoss()", "x, y, [6, 6], [3, 3]", [(6, 2, 5), (2, 3)], "y = y.long()", "Tensor[]", 592),
        # 4 per pair of the 4·4 classes and a division, per row: 2·65
        ("nn.MultiLabelMarginLoss(reduction='none')", "x, y", [(2, 4), (2, 4)], "y = y.long()", "Tensor[2]", 130),
        # a softmax of a 0-dimensional tensor: its one element (3 operations)
        ("nn.Softmax(0)", "x", [()], "pass", "Tensor[]", 3),
    ],
)  # fmt: skip
def test_losses_and_softmax_under_the_seed_convention(tmp_path, module, call, inputs, casts, output, flops) -> None:
    assert analyze(tmp_path, module, call, inputs, casts, convention="seed") == (output, 0, flops, [])


@pytest.mark.parametrize(
    ("module", "call", "inputs", "casts", "output"),
    [
        # forward()'s output_size picks the output padding; given with the batch and channels, or not
        ("nn.ConvTranspose2d(3, 4, 3, stride=2)", "x, output_size=[1, 4, 10, 9]", [(1, 3, 4, 4)], "pass",
         "Tensor[1, 4, 10, 9]"),
        ("nn.LazyConvTranspose2d(4, 3, stride=2)", "x, output_size=(10, 10)", [(1, 3, 4, 4)], "pass",
         "Tensor[1, 4, 10, 10]"),
        ("nn.MaxUnpool2d(2)", "x, y, output_size=(5, 7)", [(1, 2, 2, 3), (1, 2, 2, 3)], "y = y.long()",
         "Tensor[1, 2, 5, 7]"),
        # the inputs broadcast, then `dim` is reduced; a 1D distance is 0-dimensional unless keepdim
        ("nn.CosineSimilarity(dim=-1)", "x, y", [(2, 1, 5), (3, 5)], "pass", "Tensor[2, 3]"),
        ("nn.PairwiseDistance(keepdim=True)", "x, y", [(5,), (5,)], "pass", "Tensor[1]"),
        ("nn.PairwiseDistance()", "x, y", [(5,), (5,)], "pass", "Tensor[]"),
    ],
)  # fmt: skip
def test_shapes_torch_gives(tmp_path, module, call, inputs, casts, output) -> None:
    assert analyze(tmp_path, module, call, inputs, casts)[0] == output


def test_an_output_size_out_of_range_is_a_shape_error(tmp_path) -> None:
    # torch: "requested an output size of [12, 12], but valid sizes range from [9, 9] to [10, 10]"
    path = tmp_path / "model.py"
    source = HEADER.format(module="nn.ConvTranspose2d(3, 4, 3, stride=2)", params="x", casts="pass",
                           call="x, output_size=[12, 12]")  # fmt: skip
    path.write_text(textwrap.dedent(source))
    (model,) = staticflops.analyze([path], inputs=[(1, 3, 4, 4)], site_packages=False).models
    messages = [d.message for d in model.diagnostics if d.code.code == "SF201"]
    assert messages and "valid sizes range from [9, 9] to [10, 10]" in messages[0]


@pytest.mark.parametrize(
    ("module", "output"),
    [
        ("nn.TripletMarginWithDistanceLoss(reduction='none')", "Tensor[2]"),
        ("nn.TripletMarginWithDistanceLoss(swap=True)", "Tensor[]"),
        # the user's own distance is interpreted like the rest of their code
        ("nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: (a - b).abs().sum(-1), reduction='none')",
         "Tensor[2]"),
        ("nn.TripletMarginWithDistanceLoss(distance_function=nn.PairwiseDistance(p=1.0))", "Tensor[]"),
    ],
)  # fmt: skip
def test_triplet_margin_with_distance_loss(tmp_path, module, output) -> None:
    assert analyze(tmp_path, module, "x, y, z", [(2, 5)] * 3) == (output, 0, 0, [])


def test_adaptive_log_softmax_counts_its_head_and_flags_the_clusters(tmp_path) -> None:
    # head 16 → 4 + 2 (96), tails 16 → 8 → 4 (160) and 16 → 4 → 2 (72): 328 parameters, as torch; which rows
    # each tail projects is data (nonzero): the head's 2·3·16·6 = 576 is a lower bound, and said so
    module = "nn.AdaptiveLogSoftmaxWithLoss(16, 10, [4, 8], div_value=2.0)"
    casts = "y = y.long(); output, loss = self.m(x, y); assert loss.dim() == 0; return output.unsqueeze(0), loss"
    output, params, flops, found = analyze(tmp_path, module, "x, y", [(3, 16), (3,)], casts=casts)
    assert (output, params, flops) == ("(Tensor[1, 3], Tensor[])", 328, 576)
    assert found == ["SF301", "SF305", "SF305"]
