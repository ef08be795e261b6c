"""What the OpInfo coverage run (benchmarks/opinfo_coverage.py) found wrong, each as a short model: shapes as
torch gives them, and an output that depends on the data flagged as such (SF301)."""

from __future__ import annotations

import pytest

from tests.conftest import codes

HEADER = """
import torch
import torch.nn as nn
import torch.nn.functional as F

class M(nn.Module):
    def forward(self, x, y):
        return {call}
"""


def outputs(analyze_source, call: str, x=(4, 5), y=(5,)) -> list:
    model = analyze_source(HEADER.format(call=call), inputs=[x, y])
    return [layer.output for layer in model.layers], codes(model)


@pytest.mark.parametrize(
    ("call", "x", "expected"),
    [
        # a 0-dimensional tensor takes dim 0 and -1 (torch's maybe_wrap_dim)
        ("torch.sum(x, dim=-1)", (), ()),
        ("torch.argmax(x, dim=-1, keepdim=True)", (), ()),
        # torch.var(x, True) is the (input, unbiased) overload: every element
        ("torch.var(x, True)", (4, 5), ()),
        ("torch.std(x, False)", (4, 5), ()),
        # the bounds of clamp may be tensors, broadcast with the input
        ("torch.clamp_min(x[:, :1], y)", (4, 5), (4, 5)),
        ("x[:, :1].clamp(min=y, max=1.0)", (4, 5), (4, 5)),
        # max pooling asked for its indices returns (values, indices)
        ("F.max_pool1d(x[None], 2, return_indices=True)[1]", (4, 5), (1, 4, 2)),
        ("F.adaptive_max_pool1d(x[None], 3, True)[0]", (4, 5), (1, 4, 3)),
        # Tensor.unfold of a 0-dimensional tensor: one window of its element
        ("x.unfold(0, 1, 1)", (), (1,)),
        # index_select on a 0-d input picks its one element: a 0-d result
        ("torch.index_select(x, 0, y.long()[:1])", (), ()),
        # narrow's start may be a 0-d tensor whose value is not known: the length still gives the shape
        ("torch.narrow(x, 1, y.long()[0], 2)", (4, 5), (4, 2)),
        # linspace's bounds may be 0-d tensors, and it may have no steps at all
        ("torch.cat([y, torch.linspace(y[0], y[1], 0)])", (4, 5), (5,)),
        ("x[:, :1] * torch.logspace(y[0], 3, 5)", (4, 5), (4, 5)),
    ],
)
def test_shapes_torch_gives(analyze_source, call, x, expected) -> None:
    shapes, found = outputs(analyze_source, call, x)
    assert found == []
    assert shapes[-1] == expected


def test_tensor_split_by_a_tensor_of_indices_depends_on_the_data(analyze_source) -> None:
    shapes, found = outputs(analyze_source, "torch.tensor_split(x, y.long())")
    assert shapes[-1] is None
    assert found == ["SF301"]


def test_a_predicate_is_a_boolean_mask(analyze_source) -> None:
    # torch.isnan's output is bool: indexing by it selects as many elements as are true
    shapes, found = outputs(analyze_source, "x[torch.isnan(x)]")
    assert shapes == [(4, 5)]
    assert found == ["SF301"]


def test_torch_special_and_linalg_names_are_catalog_entries(analyze_source) -> None:
    shapes, found = outputs(analyze_source, "torch.special.erf(x) + torch.linalg.vector_norm(x, dim=1)[:, None]")
    assert found == []
    assert shapes == [(4, 5), (4,), (4, 5)]
